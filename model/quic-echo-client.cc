/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo client: sends patterned packets, checks what comes back, measures RTTs.
 */

#include "quic-echo-client.h"

#include "quic-app-stream-io.h"

#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicEchoClient");

NS_OBJECT_ENSURE_REGISTERED(QuicEchoClient);

namespace
{
/// The defaults of QuicEchoClient's attributes that differ from QuicClient's.
const QuicClientBase::AttributeDefaults&
EchoClientDefaults()
{
    static const QuicClientBase::AttributeDefaults defaults{9,
                                                            100,
                                                            1,
                                                            "Size in bytes of each packet"};
    return defaults;
}
} // namespace

TypeId
QuicEchoClient::GetTypeId()
{
    static TypeId tid =
        MakeClientTypeId<QuicEchoClient>("ns3::QuicEchoClient", EchoClientDefaults())
            .AddTraceSource("Rx",
                            "The whole echo of a packet has been received",
                            MakeTraceSourceAccessor(&QuicEchoClient::m_rxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("RxWithAddresses",
                            "The whole echo of a packet has been received (remote and local "
                            "addresses)",
                            MakeTraceSourceAccessor(&QuicEchoClient::m_rxTraceWithAddresses),
                            "ns3::Packet::TwoAddressTracedCallback")
            .AddTraceSource("Rtt",
                            "Round-trip time of a packet: from its generation to the end of "
                            "its echo",
                            MakeTraceSourceAccessor(&QuicEchoClient::m_rttTrace),
                            "ns3::QuicEchoClient::RttTracedCallback");
    return tid;
}

QuicEchoClient::QuicEchoClient()
    : QuicClientBase("QuicEchoClient", EchoClientDefaults())
{
    NS_LOG_FUNCTION(this);
}

QuicEchoClient::~QuicEchoClient()
{
    NS_LOG_FUNCTION(this);
}

uint8_t
QuicEchoClient::GetPatternByte(uint32_t seq, uint32_t index)
{
    // A cheap integer hash of (seq, index): neighbouring packets and positions differ, so
    // a byte from another packet or another place is caught (with probability 255/256).
    uint32_t x = seq * 0x9E3779B1u + index * 0x85EBCA6Bu;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    x ^= x >> 12;
    return static_cast<uint8_t>(x);
}

uint64_t
QuicEchoClient::GetEchoed() const
{
    return m_echoed;
}

uint64_t
QuicEchoClient::GetMismatches() const
{
    return m_mismatches;
}

uint64_t
QuicEchoClient::GetUnexpectedBytes() const
{
    return m_unexpected;
}

const std::vector<Time>&
QuicEchoClient::GetRtts() const
{
    return m_rtts;
}

Time
QuicEchoClient::GetFirstRtt() const
{
    return m_firstRtt;
}

Ptr<Packet>
QuicEchoClient::GeneratePacket(uint32_t seq, uint64_t streamId)
{
    std::vector<uint8_t> data(m_size);
    for (uint32_t i = 0; i < m_size; ++i)
    {
        data[i] = GetPatternByte(seq, i);
    }
    m_streams[streamId].owed.push_back(Outstanding{seq, m_size, Simulator::Now()});
    return Create<Packet>(data.data(), m_size);
}

void
QuicEchoClient::ReceiveBytes(Ptr<Packet> p, uint64_t streamId)
{
    uint32_t size = p->GetSize();
    auto it = m_streams.find(streamId);
    if (it == m_streams.end())
    {
        // Not a stream we sent on (or an unknown one): nothing was owed there.
        NS_LOG_WARN("QuicEchoClient: " << size << " unexpected bytes on stream " << streamId);
        m_unexpected += size;
        return;
    }
    StreamState& state = it->second;
    std::size_t old = state.rx.size();
    state.rx.resize(old + size);
    p->CopyData(state.rx.data() + old, size);
    CheckEchoes(streamId, state);
}

void
QuicEchoClient::CheckEchoes(uint64_t streamId, StreamState& state)
{
    std::size_t pos = 0;
    while (!state.owed.empty() && state.rx.size() - pos >= state.owed.front().size)
    {
        const Outstanding o = state.owed.front();
        state.owed.pop_front();
        bool same = true;
        for (uint32_t i = 0; i < o.size; ++i)
        {
            if (state.rx[pos + i] != GetPatternByte(o.seq, i))
            {
                same = false;
                break;
            }
        }
        Ptr<Packet> echo = Create<Packet>(state.rx.data() + pos, o.size);
        pos += o.size;
        ++m_echoed;
        Time rtt = Simulator::Now() - o.generated;
        if (!same)
        {
            ++m_mismatches;
            NS_LOG_WARN("QuicEchoClient: echo of packet " << o.seq << " on stream " << streamId
                                                          << " differs from what was sent");
        }
        NS_LOG_INFO("QuicEchoClient: packet " << o.seq << " echoed on stream " << streamId
                                              << " after " << rtt.As(Time::MS)
                                              << (same ? "" : " (content mismatch)"));
        m_rtts.push_back(rtt);
        if (o.seq == 0)
        {
            m_firstRtt = rtt;
        }
        m_rxTrace(echo);
        if (!m_rxTraceWithAddresses.IsEmpty())
        {
            Address local;
            m_socket->GetSockName(local);
            m_rxTraceWithAddresses(echo, m_peer, local);
        }
        m_rttTrace(rtt);
    }
    if (state.owed.empty() && state.rx.size() > pos)
    {
        NS_LOG_WARN("QuicEchoClient: " << state.rx.size() - pos
                                       << " bytes echoed beyond what was sent on stream "
                                       << streamId);
        m_unexpected += state.rx.size() - pos;
        pos = state.rx.size();
    }
    state.rx.erase(state.rx.begin(), state.rx.begin() + static_cast<std::ptrdiff_t>(pos));
}

} // namespace ns3

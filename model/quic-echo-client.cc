/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo client: sends patterned packets, checks what comes back, measures RTTs.
 */

#include "quic-echo-client.h"

#include "quic-app-stream-io.h"
#include "quic-socket-base.h"

#include "ns3/abort.h"
#include "ns3/address-utils.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicEchoClient");

NS_OBJECT_ENSURE_REGISTERED(QuicEchoClient);

TypeId
QuicEchoClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicEchoClient")
            .SetParent<Application>()
            .SetGroupName("Applications")
            .AddConstructor<QuicEchoClient>()
            .AddAttribute("MaxPackets",
                          "The maximum number of packets the application will send (0: no "
                          "limit, until the application stops)",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicEchoClient::m_count),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Interval",
                          "The time to wait between packets",
                          TimeValue(Seconds(1.0)),
                          MakeTimeAccessor(&QuicEchoClient::m_interval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("RemoteAddress",
                          "The destination Address of the outbound packets (an Ipv4Address or "
                          "Ipv6Address with RemotePort, or an Inet[6]SocketAddress)",
                          AddressValue(),
                          MakeAddressAccessor(&QuicEchoClient::m_peerAddress),
                          MakeAddressChecker())
            .AddAttribute("RemotePort",
                          "The destination port of the outbound packets",
                          UintegerValue(9),
                          MakeUintegerAccessor(&QuicEchoClient::m_peerPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("PacketSize",
                          "Size in bytes of each packet",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicEchoClient::m_size),
                          MakeUintegerChecker<uint32_t>(1, 16 * 1024 * 1024))
            .AddAttribute("NumStreams",
                          "Number of client-initiated bidirectional streams (0, 4, 8, …) the "
                          "packets are spread over, round-robin; keep it within the server's "
                          "MaxStreamsBidi",
                          UintegerValue(1),
                          MakeUintegerAccessor(&QuicEchoClient::m_numStreams),
                          MakeUintegerChecker<uint32_t>(1, 1u << 20))
            .AddTraceSource("Tx",
                            "A packet has been accepted by the QUIC socket",
                            MakeTraceSourceAccessor(&QuicEchoClient::m_txTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Rx",
                            "The whole echo of a packet has been received",
                            MakeTraceSourceAccessor(&QuicEchoClient::m_rxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("TxWithAddresses",
                            "A packet has been accepted by the QUIC socket (local and remote "
                            "addresses)",
                            MakeTraceSourceAccessor(&QuicEchoClient::m_txTraceWithAddresses),
                            "ns3::Packet::TwoAddressTracedCallback")
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
    : m_count(100),
      m_interval(Seconds(1.0)),
      m_size(100),
      m_numStreams(1),
      m_peerPort(9)
{
    NS_LOG_FUNCTION(this);
}

QuicEchoClient::~QuicEchoClient()
{
    NS_LOG_FUNCTION(this);
}

void
QuicEchoClient::SetRemote(Address ip, uint16_t port)
{
    NS_LOG_FUNCTION(this << ip << port);
    m_peerAddress = ip;
    m_peerPort = port;
}

void
QuicEchoClient::SetRemote(Address addr)
{
    NS_LOG_FUNCTION(this << addr);
    m_peerAddress = addr;
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
QuicEchoClient::GetSent() const
{
    return m_sent;
}

uint64_t
QuicEchoClient::GetTransmitted() const
{
    return m_transmitted;
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

uint64_t
QuicEchoClient::GetReceivedBytes() const
{
    return m_rxBytes;
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

uint64_t
QuicEchoClient::GetSocketRefusals() const
{
    return m_io ? m_io->GetRefusals() : 0;
}

Ptr<Socket>
QuicEchoClient::GetSocket() const
{
    return m_socket;
}

void
QuicEchoClient::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    m_io.reset();
    m_socket = nullptr;
    Application::DoDispose();
}

void
QuicEchoClient::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!m_socket)
    {
        m_peer = QuicAppStreamIo::MakeSocketAddress(m_peerAddress,
                                                    m_peerPort,
                                                    "QuicEchoClient RemoteAddress");
        Ptr<QuicSocketBase> socket =
            QuicAppStreamIo::CreateBoundSocket(GetNode(), m_peer, "QuicEchoClient");
        m_socket = socket;
        m_io = std::make_unique<QuicAppStreamIo>(socket);
        m_io->SetSentCallback(MakeCallback(&QuicEchoClient::PacketSent, this));
        m_socket->SetConnectCallback(MakeCallback(&QuicEchoClient::ConnectionSucceeded, this),
                                     MakeCallback(&QuicEchoClient::ConnectionFailed, this));
        m_socket->SetSendCallback(MakeCallback(&QuicEchoClient::HandleSendSpace, this));
        m_socket->SetRecvCallback(MakeCallback(&QuicEchoClient::HandleRead, this));
        m_socket->SetCloseCallbacks(MakeCallback(&QuicEchoClient::HandleClose, this),
                                    MakeCallback(&QuicEchoClient::HandleClose, this));
        NS_ABORT_MSG_IF(m_socket->Connect(m_peer) != 0,
                        "QuicEchoClient: Connect(" << m_peer << ") failed (errno "
                                                   << m_socket->GetErrno() << ")");
    }
    // As UdpEchoClient: the first packet right away, so its RTT includes the handshake.
    m_sendEvent = Simulator::ScheduleNow(&QuicEchoClient::Send, this);
}

void
QuicEchoClient::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
QuicEchoClient::Send()
{
    NS_LOG_FUNCTION(this);
    uint32_t seq = static_cast<uint32_t>(m_sent);
    std::vector<uint8_t> data(m_size);
    for (uint32_t i = 0; i < m_size; ++i)
    {
        data[i] = GetPatternByte(seq, i);
    }
    Ptr<Packet> p = Create<Packet>(data.data(), m_size);
    uint64_t streamId = uint64_t(m_sent % m_numStreams) << 2; // RFC 9000 §2.1
    ++m_sent;
    m_streams[streamId].owed.push_back(Outstanding{seq, m_size, Simulator::Now()});
    NS_LOG_INFO("QuicEchoClient generates packet " << seq << " (" << m_size << " bytes) on stream "
                                                   << streamId);
    m_io->Send(p, streamId);
    if (m_count == 0 || m_sent < m_count)
    {
        m_sendEvent = Simulator::Schedule(m_interval, &QuicEchoClient::Send, this);
    }
}

void
QuicEchoClient::PacketSent(Ptr<const Packet> packet, uint64_t streamId)
{
    ++m_transmitted;
    m_txTrace(packet);
    if (!m_txTraceWithAddresses.IsEmpty())
    {
        Address local;
        m_socket->GetSockName(local);
        m_txTraceWithAddresses(packet, local, m_peer);
    }
}

void
QuicEchoClient::HandleRead(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    uint64_t streamId = 0;
    while (Ptr<Packet> p = m_io->Receive(std::numeric_limits<uint32_t>::max(), streamId))
    {
        uint32_t size = p->GetSize();
        m_rxBytes += size;
        auto it = m_streams.find(streamId);
        if (it == m_streams.end())
        {
            // Not a stream we sent on (or an unknown one): nothing was owed there.
            NS_LOG_WARN("QuicEchoClient: " << size << " unexpected bytes on stream " << streamId);
            m_unexpected += size;
            continue;
        }
        StreamState& state = it->second;
        std::size_t old = state.rx.size();
        state.rx.resize(old + size);
        p->CopyData(state.rx.data() + old, size);
        CheckEchoes(streamId, state);
    }
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

void
QuicEchoClient::HandleSendSpace(Ptr<Socket> socket, uint32_t available)
{
    m_io->Flush();
}

void
QuicEchoClient::ConnectionSucceeded(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_io->Flush();
}

void
QuicEchoClient::ConnectionFailed(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    NS_LOG_WARN("QuicEchoClient: connection to " << m_peer << " failed");
    m_sendEvent.Cancel();
}

void
QuicEchoClient::HandleClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_sendEvent.Cancel();
}

} // namespace ns3

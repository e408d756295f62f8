/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC server counting what QuicClients send it, per stream, with one-way delays.
 */

#include "quic-server.h"

#include "quic-app-stream-io.h"

#include "ns3/log.h"
#include "ns3/seq-ts-size-header.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicServer");

NS_OBJECT_ENSURE_REGISTERED(QuicServer);

namespace
{
/// Largest packet a QuicClient sends (its PacketSize limit): a larger size field is garbage.
constexpr uint64_t kMaxPacketSize = 16 * 1024 * 1024;
/// Port's default (QuicClient's RemotePort default).
constexpr uint16_t kDefaultPort = 100;
} // namespace

TypeId
QuicServer::GetTypeId()
{
    static TypeId tid =
        MakeServerTypeId<QuicServer>("ns3::QuicServer", kDefaultPort)
            .AddTraceSource("Rx",
                            "A whole packet has been received (packet, client address)",
                            MakeTraceSourceAccessor(&QuicServer::m_rxTrace),
                            "ns3::Packet::AddressTracedCallback")
            .AddTraceSource("RxWithSeqTsSize",
                            "A whole packet has been received (packet, client address, local "
                            "address, its SeqTsSizeHeader)",
                            MakeTraceSourceAccessor(&QuicServer::m_rxTraceWithSeqTsSize),
                            "ns3::PacketSink::SeqTsSizeCallback")
            .AddTraceSource("Delay",
                            "One-way delay of a whole packet received (delay, stream id)",
                            MakeTraceSourceAccessor(&QuicServer::m_delayTrace),
                            "ns3::QuicServer::DelayTracedCallback");
    return tid;
}

QuicServer::QuicServer()
    : QuicServerBase("QuicServer", kDefaultPort)
{
    NS_LOG_FUNCTION(this);
}

QuicServer::~QuicServer()
{
    NS_LOG_FUNCTION(this);
}

uint64_t
QuicServer::GetReceived() const
{
    return m_received;
}

std::map<uint64_t, uint64_t>
QuicServer::GetReceivedPerStream() const
{
    return m_perStream;
}

uint64_t
QuicServer::GetFramingErrors() const
{
    return m_framingErrors;
}

void
QuicServer::DoDispose()
{
    m_streams.clear(); // QuicServerBase::DoDispose logs the call
    QuicServerBase::DoDispose();
}

void
QuicServer::HandleRead(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Connection* conn = FindConnection(socket);
    if (!conn)
    {
        return;
    }
    std::map<uint64_t, StreamState>& streams = m_streams[socket];
    uint64_t streamId = 0;
    while (Ptr<Packet> p = conn->io->Receive(std::numeric_limits<uint32_t>::max(), streamId))
    {
        uint32_t size = p->GetSize();
        CountReceivedBytes(streamId, size);
        NS_LOG_LOGIC("QuicServer read " << size << " bytes of stream " << streamId);
        if (streamId == QuicAppStreamIo::kUnknownStream)
        {
            ++m_framingErrors; // cannot be put back in any stream's order
            continue;
        }
        StreamState& state = streams[streamId];
        if (state.corrupt)
        {
            continue;
        }
        if (!state.buffer)
        {
            state.buffer = p->Copy();
        }
        else
        {
            state.buffer->AddAtEnd(p);
        }
        Parse(*conn, streamId, state);
    }
}

void
QuicServer::Parse(Connection& conn, uint64_t streamId, StreamState& state)
{
    static const uint32_t headerSize = SeqTsSizeHeader().GetSerializedSize();
    while (state.buffer->GetSize() >= headerSize)
    {
        SeqTsSizeHeader header;
        state.buffer->PeekHeader(header);
        uint64_t size = header.GetSize();
        if (size < headerSize || size > kMaxPacketSize)
        {
            NS_LOG_WARN("QuicServer: stream " << streamId << " from " << conn.from
                                              << " does not parse (size field " << size
                                              << "); its bytes are only counted from now on");
            ++m_framingErrors;
            state.corrupt = true;
            state.buffer = nullptr;
            return;
        }
        if (size > state.buffer->GetSize())
        {
            return; // the rest of the packet is still on its way
        }
        Ptr<Packet> packet = state.buffer->CreateFragment(0, static_cast<uint32_t>(size));
        state.buffer->RemoveAtStart(static_cast<uint32_t>(size));
        ++m_received;
        ++m_perStream[streamId];
        Time delay = Simulator::Now() - header.GetTs();
        NS_LOG_INFO("QuicServer received packet " << header.GetSeq() << " (" << size
                                                  << " bytes) on stream " << streamId << ", delay "
                                                  << delay.As(Time::MS));
        m_rxTrace(packet, conn.from);
        if (!m_rxTraceWithSeqTsSize.IsEmpty())
        {
            Address local;
            m_socket->GetSockName(local);
            m_rxTraceWithSeqTsSize(packet, conn.from, local, header);
        }
        m_delayTrace(delay, streamId);
    }
}

void
QuicServer::ConnectionClosing(Ptr<Socket> socket, Connection& conn)
{
    HandleRead(socket); // whatever is still waiting
    for (const auto& kv : m_streams[socket])
    {
        if (kv.second.buffer && kv.second.buffer->GetSize() > 0)
        {
            NS_LOG_INFO("QuicServer: stream " << kv.first << " closed with "
                                              << kv.second.buffer->GetSize()
                                              << " bytes of an incomplete packet");
        }
    }
}

} // namespace ns3

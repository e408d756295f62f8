/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC server counting what QuicClients send it, per stream, with one-way delays.
 */

#include "quic-server.h"

#include "quic-app-stream-io.h"
#include "quic-socket-base.h"

#include "ns3/abort.h"
#include "ns3/address-utils.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/seq-ts-size-header.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicServer");

NS_OBJECT_ENSURE_REGISTERED(QuicServer);

namespace
{
/// Largest packet a QuicClient sends (its PacketSize limit): a larger size field is garbage.
constexpr uint64_t kMaxPacketSize = 16 * 1024 * 1024;
} // namespace

TypeId
QuicServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicServer")
            .SetParent<Application>()
            .SetGroupName("Applications")
            .AddConstructor<QuicServer>()
            .AddAttribute("Port",
                          "Port on which we listen for incoming connections",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicServer::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Local",
                          "Local address to listen on: an Ipv4Address or Ipv6Address (with "
                          "Port), or an Inet[6]SocketAddress; Ipv6Address::GetAny() for IPv6",
                          AddressValue(Ipv4Address::GetAny()),
                          MakeAddressAccessor(&QuicServer::m_local),
                          MakeAddressChecker())
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
    : m_port(100),
      m_local(Ipv4Address::GetAny())
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

uint64_t
QuicServer::GetReceivedBytes() const
{
    return m_receivedBytes;
}

std::map<uint64_t, uint64_t>
QuicServer::GetReceivedPerStream() const
{
    return m_perStream;
}

std::map<uint64_t, uint64_t>
QuicServer::GetReceivedBytesPerStream() const
{
    return m_perStreamBytes;
}

uint32_t
QuicServer::GetConnections() const
{
    return static_cast<uint32_t>(m_conns.size());
}

uint64_t
QuicServer::GetFramingErrors() const
{
    return m_framingErrors;
}

Ptr<Socket>
QuicServer::GetListeningSocket() const
{
    return m_socket;
}

std::vector<Ptr<Socket>>
QuicServer::GetAcceptedSockets() const
{
    std::vector<Ptr<Socket>> sockets;
    for (const auto& kv : m_conns)
    {
        sockets.push_back(kv.first);
    }
    return sockets;
}

void
QuicServer::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_conns.clear(); // disconnects from the sockets' traces first
    m_socket = nullptr;
    Application::DoDispose();
}

void
QuicServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        return;
    }
    Address local = QuicAppStreamIo::MakeSocketAddress(m_local, m_port, "QuicServer Local");
    TypeId factory = TypeId::LookupByName("ns3::QuicSocketFactory");
    NS_ABORT_MSG_UNLESS(GetNode()->GetObject<SocketFactory>(factory),
                        "QuicServer: node " << GetNode()->GetId()
                                            << " has no QUIC; call QuicHelper::InstallQuic first");
    m_socket = Socket::CreateSocket(GetNode(), factory);
    NS_ABORT_MSG_IF(m_socket->Bind(local) != 0,
                    "QuicServer: failed to bind to " << local << " (errno " << m_socket->GetErrno()
                                                     << ")");
    NS_ABORT_MSG_IF(m_socket->Listen() != 0,
                    "QuicServer: failed to listen on " << local << " (errno "
                                                       << m_socket->GetErrno() << ")");
    m_socket->SetAcceptCallback(MakeCallback(&QuicServer::HandleRequest, this),
                                MakeCallback(&QuicServer::HandleAccept, this));
}

void
QuicServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    for (auto& kv : m_conns)
    {
        if (!kv.second.closed)
        {
            kv.second.closed = true;
            kv.first->Close();
        }
    }
    if (m_socket)
    {
        m_socket->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                    MakeNullCallback<void, Ptr<Socket>, const Address&>());
        m_socket->Close();
    }
}

bool
QuicServer::HandleRequest(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    return true;
}

void
QuicServer::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    Ptr<QuicSocketBase> quic = DynamicCast<QuicSocketBase>(socket);
    NS_ABORT_MSG_UNLESS(quic, "QuicServer: accepted socket is not a QuicSocketBase");
    Connection& conn = m_conns[socket];
    conn.io = std::make_unique<QuicAppStreamIo>(quic);
    conn.from = from;
    socket->SetRecvCallback(MakeCallback(&QuicServer::HandleRead, this));
    socket->SetCloseCallbacks(MakeCallback(&QuicServer::HandleClose, this),
                              MakeCallback(&QuicServer::HandleClose, this));
    NS_LOG_INFO("QuicServer accepted a connection from " << from);
    HandleRead(socket); // anything that arrived with the handshake
}

void
QuicServer::HandleRead(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    auto it = m_conns.find(socket);
    if (it == m_conns.end())
    {
        return;
    }
    Connection& conn = it->second;
    uint64_t streamId = 0;
    while (Ptr<Packet> p = conn.io->Receive(std::numeric_limits<uint32_t>::max(), streamId))
    {
        uint32_t size = p->GetSize();
        m_receivedBytes += size;
        m_perStreamBytes[streamId] += size;
        NS_LOG_LOGIC("QuicServer read " << size << " bytes of stream " << streamId);
        if (streamId == QuicAppStreamIo::kUnknownStream)
        {
            ++m_framingErrors; // cannot be put back in any stream's order
            continue;
        }
        StreamState& state = conn.streams[streamId];
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
        Parse(conn, streamId, state);
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
QuicServer::HandleClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    auto it = m_conns.find(socket);
    if (it == m_conns.end())
    {
        return;
    }
    HandleRead(socket); // whatever is still waiting
    it->second.closed = true;
    for (const auto& kv : it->second.streams)
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

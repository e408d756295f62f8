/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo server: every byte goes back on the stream it came on.
 */

#include "quic-echo-server.h"

#include "quic-app-stream-io.h"
#include "quic-socket-base.h"

#include "ns3/abort.h"
#include "ns3/address-utils.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicEchoServer");

NS_OBJECT_ENSURE_REGISTERED(QuicEchoServer);

TypeId
QuicEchoServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicEchoServer")
            .SetParent<Application>()
            .SetGroupName("Applications")
            .AddConstructor<QuicEchoServer>()
            .AddAttribute("Port",
                          "Port on which we listen for incoming connections",
                          UintegerValue(9),
                          MakeUintegerAccessor(&QuicEchoServer::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Local",
                          "Local address to listen on: an Ipv4Address or Ipv6Address (with "
                          "Port), or an Inet[6]SocketAddress; Ipv6Address::GetAny() for IPv6",
                          AddressValue(Ipv4Address::GetAny()),
                          MakeAddressAccessor(&QuicEchoServer::m_local),
                          MakeAddressChecker())
            .AddTraceSource("Rx",
                            "Bytes have been received (and will be echoed)",
                            MakeTraceSourceAccessor(&QuicEchoServer::m_rxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("RxWithAddresses",
                            "Bytes have been received (client and local addresses)",
                            MakeTraceSourceAccessor(&QuicEchoServer::m_rxTraceWithAddresses),
                            "ns3::Packet::TwoAddressTracedCallback");
    return tid;
}

QuicEchoServer::QuicEchoServer()
    : m_port(9),
      m_local(Ipv4Address::GetAny())
{
    NS_LOG_FUNCTION(this);
}

QuicEchoServer::~QuicEchoServer()
{
    NS_LOG_FUNCTION(this);
}

uint64_t
QuicEchoServer::GetReceivedBytes() const
{
    return m_rxBytes;
}

uint64_t
QuicEchoServer::GetEchoedBytes() const
{
    return m_echoedBytes;
}

std::map<uint64_t, uint64_t>
QuicEchoServer::GetReceivedBytesPerStream() const
{
    return m_perStreamBytes;
}

uint32_t
QuicEchoServer::GetConnections() const
{
    return static_cast<uint32_t>(m_conns.size());
}

uint64_t
QuicEchoServer::GetUnechoedBytes() const
{
    return m_unechoed;
}

uint64_t
QuicEchoServer::GetSocketRefusals() const
{
    uint64_t refusals = 0;
    for (const auto& kv : m_conns)
    {
        refusals += kv.second.io->GetRefusals();
    }
    return refusals;
}

Ptr<Socket>
QuicEchoServer::GetListeningSocket() const
{
    return m_socket;
}

std::vector<Ptr<Socket>>
QuicEchoServer::GetAcceptedSockets() const
{
    std::vector<Ptr<Socket>> sockets;
    for (const auto& kv : m_conns)
    {
        sockets.push_back(kv.first);
    }
    return sockets;
}

void
QuicEchoServer::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_conns.clear(); // disconnects from the sockets' traces first
    m_socket = nullptr;
    Application::DoDispose();
}

void
QuicEchoServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        return;
    }
    Address local = QuicAppStreamIo::MakeSocketAddress(m_local, m_port, "QuicEchoServer Local");
    TypeId factory = TypeId::LookupByName("ns3::QuicSocketFactory");
    NS_ABORT_MSG_UNLESS(GetNode()->GetObject<SocketFactory>(factory),
                        "QuicEchoServer: node "
                            << GetNode()->GetId()
                            << " has no QUIC; call QuicHelper::InstallQuic first");
    m_socket = Socket::CreateSocket(GetNode(), factory);
    NS_ABORT_MSG_IF(m_socket->Bind(local) != 0,
                    "QuicEchoServer: failed to bind to " << local << " (errno "
                                                         << m_socket->GetErrno() << ")");
    NS_ABORT_MSG_IF(m_socket->Listen() != 0,
                    "QuicEchoServer: failed to listen on " << local << " (errno "
                                                           << m_socket->GetErrno() << ")");
    m_socket->SetAcceptCallback(MakeCallback(&QuicEchoServer::HandleRequest, this),
                                MakeCallback(&QuicEchoServer::HandleAccept, this));
}

void
QuicEchoServer::StopApplication()
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
QuicEchoServer::HandleRequest(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    return true;
}

void
QuicEchoServer::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    Ptr<QuicSocketBase> quic = DynamicCast<QuicSocketBase>(socket);
    NS_ABORT_MSG_UNLESS(quic, "QuicEchoServer: accepted socket is not a QuicSocketBase");
    Connection& conn = m_conns[socket];
    conn.io = std::make_unique<QuicAppStreamIo>(quic);
    conn.io->SetSentCallback(MakeCallback(&QuicEchoServer::EchoSent, this));
    conn.from = from;
    socket->SetRecvCallback(MakeCallback(&QuicEchoServer::HandleRead, this));
    socket->SetSendCallback(MakeCallback(&QuicEchoServer::HandleSendSpace, this));
    socket->SetCloseCallbacks(MakeCallback(&QuicEchoServer::HandleClose, this),
                              MakeCallback(&QuicEchoServer::HandleClose, this));
    NS_LOG_INFO("QuicEchoServer accepted a connection from " << from);
    HandleRead(socket); // anything that arrived with the handshake
}

void
QuicEchoServer::HandleRead(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    auto it = m_conns.find(socket);
    if (it == m_conns.end() || it->second.closed)
    {
        return;
    }
    Connection& conn = it->second;
    // Stop reading while echoes wait for the socket: QUIC flow control then pushes back.
    while (!conn.io->HasBacklog())
    {
        uint64_t streamId = 0;
        Ptr<Packet> p = conn.io->Receive(std::numeric_limits<uint32_t>::max(), streamId);
        if (!p)
        {
            break;
        }
        m_rxBytes += p->GetSize();
        m_perStreamBytes[streamId] += p->GetSize();
        NS_LOG_INFO("QuicEchoServer received " << p->GetSize() << " bytes on stream " << streamId
                                               << " from " << conn.from);
        m_rxTrace(p);
        if (!m_rxTraceWithAddresses.IsEmpty())
        {
            Address local;
            socket->GetSockName(local);
            m_rxTraceWithAddresses(p, conn.from, local);
        }
        if (streamId == QuicAppStreamIo::kUnknownStream)
        {
            NS_LOG_WARN("QuicEchoServer: " << p->GetSize() << " bytes of an unknown stream "
                                           << "cannot be echoed");
            m_unechoed += p->GetSize();
            continue;
        }
        conn.io->Send(p, streamId);
    }
}

void
QuicEchoServer::HandleSendSpace(Ptr<Socket> socket, uint32_t available)
{
    auto it = m_conns.find(socket);
    if (it == m_conns.end())
    {
        return;
    }
    it->second.io->Flush();
    if (!it->second.io->HasBacklog())
    {
        HandleRead(socket);
    }
}

void
QuicEchoServer::EchoSent(Ptr<const Packet> packet, uint64_t streamId)
{
    m_echoedBytes += packet->GetSize();
}

void
QuicEchoServer::HandleClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    auto it = m_conns.find(socket);
    if (it != m_conns.end())
    {
        it->second.closed = true;
    }
}

} // namespace ns3

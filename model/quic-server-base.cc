/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What QuicServer and QuicEchoServer share: a listening socket, the accepted
 * connections, and their life cycle.
 */

#include "quic-server-base.h"

#include "quic-app-stream-io.h"
#include "quic-socket-base.h"

#include "ns3/abort.h"
#include "ns3/address-utils.h"
#include "ns3/ipv4-address.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

namespace ns3
{

// No log component of its own: every log line of this class goes to its subclass's
// component (QuicServer, QuicEchoServer), which users enable by that name.

NS_OBJECT_ENSURE_REGISTERED(QuicServerBase);

TypeId
QuicServerBase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicServerBase").SetParent<Application>().SetGroupName("Applications");
    return tid;
}

TypeId
QuicServerBase::AddServerAttributes(TypeId tid, uint16_t defaultPort)
{
    return tid
        .AddAttribute("Port",
                      "Port on which we listen for incoming connections",
                      UintegerValue(defaultPort),
                      MakeUintegerAccessor(&QuicServerBase::m_port),
                      MakeUintegerChecker<uint16_t>())
        .AddAttribute("Local",
                      "Local address to listen on: an Ipv4Address or Ipv6Address (with "
                      "Port), or an Inet[6]SocketAddress; Ipv6Address::GetAny() for IPv6",
                      AddressValue(Ipv4Address::GetAny()),
                      MakeAddressAccessor(&QuicServerBase::m_local),
                      MakeAddressChecker());
}

QuicServerBase::QuicServerBase(const std::string& appName, uint16_t defaultPort)
    : NS_LOG_TEMPLATE_DEFINE(appName),
      m_appName(appName),
      m_port(defaultPort),
      m_local(Ipv4Address::GetAny())
{
    // No NS_LOG_FUNCTION: the subclass constructor logs, one line per construction as before.
}

QuicServerBase::~QuicServerBase()
{
}

uint64_t
QuicServerBase::GetReceivedBytes() const
{
    return m_rxBytes;
}

std::map<uint64_t, uint64_t>
QuicServerBase::GetReceivedBytesPerStream() const
{
    return m_perStreamBytes;
}

void
QuicServerBase::CountReceivedBytes(uint64_t streamId, uint64_t bytes)
{
    m_rxBytes += bytes;
    m_perStreamBytes[streamId] += bytes;
}

uint32_t
QuicServerBase::GetConnections() const
{
    return static_cast<uint32_t>(m_conns.size());
}

uint64_t
QuicServerBase::GetSocketRefusals() const
{
    uint64_t refusals = 0;
    for (const auto& kv : m_conns)
    {
        refusals += kv.second.io->GetRefusals();
    }
    return refusals;
}

Ptr<Socket>
QuicServerBase::GetListeningSocket() const
{
    return m_socket;
}

std::vector<Ptr<Socket>>
QuicServerBase::GetAcceptedSockets() const
{
    std::vector<Ptr<Socket>> sockets;
    for (const auto& kv : m_conns)
    {
        sockets.push_back(kv.first);
    }
    return sockets;
}

QuicServerBase::Connection*
QuicServerBase::FindConnection(Ptr<Socket> socket)
{
    auto it = m_conns.find(socket);
    return it == m_conns.end() ? nullptr : &it->second;
}

void
QuicServerBase::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_conns.clear(); // disconnects from the sockets' traces first
    m_socket = nullptr;
    Application::DoDispose();
}

void
QuicServerBase::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        return;
    }
    Address local = QuicAppStreamIo::MakeSocketAddress(m_local, m_port, m_appName + " Local");
    TypeId factory = TypeId::LookupByName("ns3::QuicSocketFactory");
    NS_ABORT_MSG_UNLESS(GetNode()->GetObject<SocketFactory>(factory),
                        m_appName << ": node " << GetNode()->GetId()
                                  << " has no QUIC; call QuicHelper::InstallQuic first");
    m_socket = Socket::CreateSocket(GetNode(), factory);
    NS_ABORT_MSG_IF(m_socket->Bind(local) != 0,
                    m_appName << ": failed to bind to " << local << " (errno "
                              << m_socket->GetErrno() << ")");
    NS_ABORT_MSG_IF(m_socket->Listen() != 0,
                    m_appName << ": failed to listen on " << local << " (errno "
                              << m_socket->GetErrno() << ")");
    m_socket->SetAcceptCallback(MakeCallback(&QuicServerBase::HandleRequest, this),
                                MakeCallback(&QuicServerBase::HandleAccept, this));
}

void
QuicServerBase::StopApplication()
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
QuicServerBase::HandleRequest(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    return true;
}

void
QuicServerBase::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    Ptr<QuicSocketBase> quic = DynamicCast<QuicSocketBase>(socket);
    NS_ABORT_MSG_UNLESS(quic, m_appName << ": accepted socket is not a QuicSocketBase");
    Connection& conn = m_conns[socket];
    conn.io = std::make_unique<QuicAppStreamIo>(quic);
    conn.from = from;
    socket->SetRecvCallback(MakeCallback(&QuicServerBase::HandleRead, this));
    socket->SetCloseCallbacks(MakeCallback(&QuicServerBase::HandleClose, this),
                              MakeCallback(&QuicServerBase::HandleClose, this));
    SetUpConnection(socket, conn);
    NS_LOG_INFO(m_appName << " accepted a connection from " << from);
    HandleRead(socket); // anything that arrived with the handshake
}

void
QuicServerBase::SetUpConnection(Ptr<Socket> socket, Connection& conn)
{
}

void
QuicServerBase::ConnectionClosing(Ptr<Socket> socket, Connection& conn)
{
}

void
QuicServerBase::HandleClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Connection* conn = FindConnection(socket);
    if (!conn)
    {
        return;
    }
    ConnectionClosing(socket, *conn);
    conn->closed = true;
}

} // namespace ns3

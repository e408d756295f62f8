/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-l4-protocol.h"

#include "quic-congestion-control.h"
#include "quic-header.h"
#include "quic-socket-base.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/object-vector.h"
#include "ns3/packet.h"
#include "ns3/socket-factory.h"
#include "ns3/string.h"
#include "ns3/tcp-congestion-ops.h"
#include "ns3/type-id.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicL4Protocol");

NS_OBJECT_ENSURE_REGISTERED(QuicL4Protocol);

namespace
{

/**
 * The IP part of a socket address, for remembering peers independently of ports.
 * \param a an InetSocketAddress or Inet6SocketAddress
 * \return the bare IP address
 */
Address
HostOf(const Address& a)
{
    if (InetSocketAddress::IsMatchingType(a))
    {
        return InetSocketAddress::ConvertFrom(a).GetIpv4();
    }
    if (Inet6SocketAddress::IsMatchingType(a))
    {
        return Inet6SocketAddress::ConvertFrom(a).GetIpv6();
    }
    return a;
}

} // namespace

TypeId
QuicL4Protocol::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicL4Protocol")
            .SetParent<Object>()
            .SetGroupName("Internet")
            .AddConstructor<QuicL4Protocol>()
            .AddAttribute("SocketType",
                          "Congestion control of new QUIC sockets: any TcpCongestionOps subclass "
                          "(ns3::QuicCongestionControl for RFC 9002 NewReno, or an ns-3 TCP "
                          "algorithm such as ns3::TcpNewReno, ns3::TcpCubic)",
                          TypeIdValue(QuicCongestionControl::GetTypeId()),
                          MakeTypeIdAccessor(&QuicL4Protocol::m_congestionTypeId),
                          MakeTypeIdChecker())
            .AddAttribute("SocketPlugins",
                          "Comma-separated plugin manifests given to every socket this node "
                          "creates (its Plugins attribute); set by QuicPluginHelper",
                          StringValue(""),
                          MakeStringAccessor(&QuicL4Protocol::m_socketPlugins),
                          MakeStringChecker())
            .AddAttribute("CidLength",
                          "Length in bytes of the connection IDs this node issues (1..20)",
                          UintegerValue(8),
                          MakeUintegerAccessor(&QuicL4Protocol::m_cidLength),
                          MakeUintegerChecker<uint8_t>(1, 20))
            .AddAttribute("SocketList",
                          "The QUIC sockets of this node (listeners, server forks and clients)",
                          ObjectVectorValue(),
                          MakeObjectVectorAccessor(&QuicL4Protocol::m_sockets),
                          MakeObjectVectorChecker<Object>())
            .AddTraceSource("Drop",
                            "A datagram no connection would take (unknown connection ID, "
                            "malformed header)",
                            MakeTraceSourceAccessor(&QuicL4Protocol::m_dropTrace),
                            "ns3::Packet::AddressTracedCallback");
    return tid;
}

QuicL4Protocol::QuicL4Protocol()
    : m_congestionTypeId(QuicCongestionControl::GetTypeId()),
      m_cidRng(CreateObject<UniformRandomVariable>()),
      m_cidLength(8),
      m_versions{QuicHeader::QUIC_VERSION_1}
{
    NS_LOG_FUNCTION(this);
}

QuicL4Protocol::~QuicL4Protocol()
{
    NS_LOG_FUNCTION(this);
}

void
QuicL4Protocol::SetNode(Ptr<Node> node)
{
    m_node = node;
}

Ptr<Node>
QuicL4Protocol::GetNode() const
{
    return m_node;
}

void
QuicL4Protocol::NotifyNewAggregate()
{
    if (!m_node)
    {
        Ptr<Node> node = GetObject<Node>();
        if (node)
        {
            m_node = node;
        }
    }
    Object::NotifyNewAggregate();
}

void
QuicL4Protocol::DoDispose()
{
    NS_LOG_FUNCTION(this);
    // Sockets hold a pointer to us; let them go first.
    std::vector<Ptr<Object>> sockets;
    sockets.swap(m_sockets);
    for (auto& o : sockets)
    {
        Ptr<QuicSocketBase> s = DynamicCast<QuicSocketBase>(o);
        if (s)
        {
            s->Abort();
        }
    }
    for (auto& kv : m_listeners)
    {
        kv.first->Dispose();
    }
    for (auto& kv : m_owners)
    {
        kv.first->Dispose();
    }
    m_listeners.clear();
    m_owners.clear();
    m_connections.clear();
    m_node = nullptr;
    Object::DoDispose();
}

Ptr<Socket>
QuicL4Protocol::CreateSocket()
{
    return CreateSocket(m_congestionTypeId);
}

Ptr<Socket>
QuicL4Protocol::CreateSocket(TypeId congestionTypeId)
{
    NS_LOG_FUNCTION(this << congestionTypeId);
    // Checked on the object, not the TypeId: ns-3.37 registers some algorithms (TcpCubic)
    // with a wrong parent TypeId.
    ObjectFactory factory;
    factory.SetTypeId(congestionTypeId);
    Ptr<TcpCongestionOps> cc = DynamicCast<TcpCongestionOps>(factory.Create());
    NS_ABORT_MSG_UNLESS(cc,
                        "ns3::QuicL4Protocol::SocketType must be a TcpCongestionOps subclass "
                        "(e.g. ns3::QuicCongestionControl or ns3::TcpNewReno), not "
                            << congestionTypeId.GetName());
    Ptr<QuicSocketBase> socket = CreateObject<QuicSocketBase>();
    socket->SetNode(m_node);
    socket->SetQuicL4(this);
    socket->SetCongestionControlAlgorithm(cc);
    if (!m_socketPlugins.empty())
    {
        socket->SetAttribute("Plugins", StringValue(m_socketPlugins));
    }
    AddSocket(socket);
    return socket;
}

void
QuicL4Protocol::AddSocket(Ptr<QuicSocketBase> socket)
{
    m_sockets.push_back(socket);
}

Ptr<QuicUdpPort>
QuicL4Protocol::OpenUdpSocket(Ptr<QuicSocketBase> socket, const Address& local, bool listening)
{
    NS_LOG_FUNCTION(this << socket << local << listening);
    Ptr<QuicUdpPort> udp = CreateObject<QuicUdpPort>();
    if (!udp->Bind(m_node, local))
    {
        NS_LOG_WARN("cannot bind UDP port to " << local);
        return nullptr;
    }
    udp->SetRxCallback(MakeCallback(&QuicL4Protocol::ReceiveFromUdp, this));
    if (listening)
    {
        m_listeners[udp] = socket;
    }
    else
    {
        m_owners[udp] = socket;
    }
    return udp;
}

void
QuicL4Protocol::RegisterConnectionId(const QuicConnectionId& cid, Ptr<QuicSocketBase> socket)
{
    NS_LOG_FUNCTION(this << cid);
    m_connections[cid] = socket;
}

void
QuicL4Protocol::UnregisterConnectionId(const QuicConnectionId& cid)
{
    m_connections.erase(cid);
}

void
QuicL4Protocol::RemoveSocket(Ptr<QuicSocketBase> socket)
{
    NS_LOG_FUNCTION(this << socket);
    for (auto it = m_connections.begin(); it != m_connections.end();)
    {
        it = it->second == socket ? m_connections.erase(it) : std::next(it);
    }
    for (auto* table : {&m_listeners, &m_owners})
    {
        for (auto it = table->begin(); it != table->end();)
        {
            if (it->second == socket)
            {
                it->first->Dispose();
                it = table->erase(it);
            }
            else
            {
                ++it;
            }
        }
    }
    m_sockets.erase(std::remove(m_sockets.begin(), m_sockets.end(), Ptr<Object>(socket)),
                    m_sockets.end());
}

int
QuicL4Protocol::SendDatagram(Ptr<QuicUdpPort> udp,
                             Ptr<Packet> datagram,
                             const Address& to,
                             uint8_t tos)
{
    return udp->SendTo(datagram, to, tos);
}

bool
QuicL4Protocol::IsAuthenticated(const Address& peer) const
{
    return m_authenticated.count(HostOf(peer)) > 0;
}

void
QuicL4Protocol::AddAuthenticated(const Address& peer)
{
    m_authenticated.insert(HostOf(peer));
}

QuicConnectionId
QuicL4Protocol::NewConnectionId()
{
    // Unique on this node: a collision with a live connection is drawn again.
    for (;;)
    {
        QuicConnectionId cid = QuicConnectionId::CreateRandom(m_cidRng, m_cidLength);
        if (m_connections.count(cid) == 0)
        {
            return cid;
        }
    }
}

uint8_t
QuicL4Protocol::GetConnectionIdLength() const
{
    return m_cidLength;
}

bool
QuicL4Protocol::IsVersionSupported(uint32_t version) const
{
    return std::find(m_versions.begin(), m_versions.end(), version) != m_versions.end();
}

const std::vector<uint32_t>&
QuicL4Protocol::GetSupportedVersions() const
{
    return m_versions;
}

int64_t
QuicL4Protocol::AssignStreams(int64_t stream)
{
    m_cidRng->SetStream(stream);
    return 1;
}

std::size_t
QuicL4Protocol::GetSocketCount() const
{
    return m_sockets.size();
}

void
QuicL4Protocol::ReceiveFromUdp(Ptr<QuicUdpPort> udp,
                               Ptr<Packet> packet,
                               const Address& from,
                               uint8_t tos)
{
    std::size_t size = packet->GetSize();
    m_rxScratch.resize(size);
    packet->CopyData(m_rxScratch.data(), size);
    const uint8_t* data = m_rxScratch.data();

    // RFC 9000 §5.2: route by destination connection ID, which sits at a fixed place
    // in both header forms (version-independent properties, RFC 8999).
    QuicConnectionId dcid;
    bool isLong = size >= 1 && (data[0] & 0x80) != 0;
    if (isLong)
    {
        if (size < 6 || data[5] > 20 || size < 6u + data[5])
        {
            NS_LOG_LOGIC("malformed long header from " << from);
            m_dropTrace(packet, from);
            return;
        }
        dcid = QuicConnectionId(data + 6, data[5]);
    }
    else
    {
        if (size < 1u + m_cidLength)
        {
            m_dropTrace(packet, from);
            return;
        }
        dcid = QuicConnectionId(data + 1, m_cidLength);
    }

    auto it = m_connections.find(dcid);
    if (it != m_connections.end())
    {
        Ptr<QuicSocketBase> conn = it->second; // may remove itself while handling
        conn->ReceiveDatagram(data, size, from, tos);
        return;
    }
    auto lit = m_listeners.find(udp);
    if (lit == m_listeners.end() || !isLong)
    {
        NS_LOG_LOGIC("datagram for unknown connection " << dcid << " from " << from);
        m_dropTrace(packet, from);
        return;
    }
    uint32_t version =
        (uint32_t(data[1]) << 24) | (uint32_t(data[2]) << 16) | (uint32_t(data[3]) << 8) | data[4];
    if (version != 0 && !IsVersionSupported(version))
    {
        SendVersionNegotiation(udp, data, size, from);
        return;
    }
    // RFC 9000 §14.1: an Initial opening a connection comes in a datagram of at
    // least 1200 bytes; its packet type is checked by the new connection.
    if (version == 0 || ((data[0] & 0x30) >> 4) != QuicHeader::INITIAL || size < 1200)
    {
        NS_LOG_LOGIC("not a valid connection-opening Initial from " << from);
        m_dropTrace(packet, from);
        return;
    }
    Ptr<QuicSocketBase> listener = lit->second;
    Ptr<QuicSocketBase> fork = listener->ForkForInitial(udp, from);
    if (!fork)
    {
        m_dropTrace(packet, from);
        return;
    }
    AddSocket(fork);
    fork->ReceiveDatagram(data, size, from, tos);
}

void
QuicL4Protocol::SendVersionNegotiation(Ptr<QuicUdpPort> udp,
                                       const uint8_t* data,
                                       std::size_t size,
                                       const Address& from)
{
    // RFC 9000 §6.1: echo the connection IDs swapped, list our versions.
    if (size < 1200 || size < 7u + data[5])
    {
        return; // §6.1: only datagrams large enough to be Initials are answered
    }
    uint8_t dcidLen = data[5];
    uint8_t scidLen = data[6 + dcidLen];
    if (scidLen > 20 || size < 7u + dcidLen + scidLen)
    {
        return;
    }
    QuicConnectionId clientDcid(data + 6, dcidLen);
    QuicConnectionId clientScid(data + 7 + dcidLen, scidLen);
    QuicHeader vn = QuicHeader::CreateVersionNegotiation(clientScid, clientDcid, m_versions);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(vn);
    NS_LOG_LOGIC("Version Negotiation to " << from);
    SendDatagram(udp, p, from, 0);
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-udp-port.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-end-point.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-end-point.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6-routing-protocol.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicUdpPort");

NS_OBJECT_ENSURE_REGISTERED(QuicUdpPort);

namespace
{
/// The largest UDP payload over IPv4 (UdpSocketImpl's GetTxAvailable()).
constexpr uint32_t kMaxUdpPayload = 65507;
} // namespace

TypeId
QuicUdpPort::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicUdpPort")
                            .SetParent<Object>()
                            .SetGroupName("Internet")
                            .AddConstructor<QuicUdpPort>();
    return tid;
}

QuicUdpPort::QuicUdpPort()
{
    NS_LOG_FUNCTION(this);
}

QuicUdpPort::~QuicUdpPort()
{
    NS_LOG_FUNCTION(this);
}

void
QuicUdpPort::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Close();
    m_rx = MakeNullCallback<void, Ptr<QuicUdpPort>, Ptr<Packet>, const Address&, uint8_t>();
    m_node = nullptr;
    m_udp = nullptr;
    m_ipv4 = nullptr;
    m_ipv6 = nullptr;
    Object::DoDispose();
}

bool
QuicUdpPort::Bind(Ptr<Node> node, const Address& local)
{
    NS_LOG_FUNCTION(this << node << local);
    NS_ABORT_MSG_IF(m_endPoint || m_endPoint6, "QuicUdpPort::Bind: the port is already bound");
    m_node = node;
    m_udp = node->GetObject<UdpL4Protocol>();
    NS_ABORT_MSG_UNLESS(m_udp,
                        "QUIC needs UDP on node " << node->GetId()
                                                  << ": install it with QuicHelper::InstallQuic");
    m_ipv4 = node->GetObject<Ipv4>();
    m_ipv6 = node->GetObject<Ipv6>();
    // Scripts set ChecksumEnabled before the simulation: one read, not one per datagram.
    m_checksums = Node::ChecksumEnabled();
    // The same choice of UdpL4Protocol::Allocate as UdpSocketImpl::Bind, so that ports
    // (ephemeral ones included) are the ones a UdpSocketImpl would get.
    if (InetSocketAddress::IsMatchingType(local))
    {
        InetSocketAddress transport = InetSocketAddress::ConvertFrom(local);
        Ipv4Address ipv4 = transport.GetIpv4();
        uint16_t port = transport.GetPort();
        if (ipv4 == Ipv4Address::GetAny())
        {
            m_endPoint = port == 0 ? m_udp->Allocate() : m_udp->Allocate(nullptr, port);
        }
        else
        {
            m_endPoint = port == 0 ? m_udp->Allocate(ipv4) : m_udp->Allocate(nullptr, ipv4, port);
        }
        if (!m_endPoint)
        {
            return false;
        }
        m_sockName = InetSocketAddress(m_endPoint->GetLocalAddress(), m_endPoint->GetLocalPort());
        m_endPoint->SetRxCallback(MakeCallback(&QuicUdpPort::ForwardUp4, this));
        m_endPoint->SetDestroyCallback(MakeCallback(&QuicUdpPort::EndPointDestroyed, this));
        return true;
    }
    if (Inet6SocketAddress::IsMatchingType(local))
    {
        Inet6SocketAddress transport = Inet6SocketAddress::ConvertFrom(local);
        Ipv6Address ipv6 = transport.GetIpv6();
        uint16_t port = transport.GetPort();
        if (ipv6 == Ipv6Address::GetAny())
        {
            m_endPoint6 = port == 0 ? m_udp->Allocate6() : m_udp->Allocate6(nullptr, port);
        }
        else
        {
            m_endPoint6 =
                port == 0 ? m_udp->Allocate6(ipv6) : m_udp->Allocate6(nullptr, ipv6, port);
        }
        if (!m_endPoint6)
        {
            return false;
        }
        m_sockName =
            Inet6SocketAddress(m_endPoint6->GetLocalAddress(), m_endPoint6->GetLocalPort());
        m_endPoint6->SetRxCallback(MakeCallback(&QuicUdpPort::ForwardUp6, this));
        m_endPoint6->SetDestroyCallback(MakeCallback(&QuicUdpPort::EndPoint6Destroyed, this));
        return true;
    }
    return false;
}

void
QuicUdpPort::SetRxCallback(RxCallback cb)
{
    m_rx = cb;
}

void
QuicUdpPort::Close()
{
    NS_LOG_FUNCTION(this);
    if (m_endPoint)
    {
        Ipv4EndPoint* ep = m_endPoint;
        m_endPoint = nullptr;
        ep->SetDestroyCallback(MakeNullCallback<void>());
        m_udp->DeAllocate(ep);
    }
    if (m_endPoint6)
    {
        Ipv6EndPoint* ep = m_endPoint6;
        m_endPoint6 = nullptr;
        ep->SetDestroyCallback(MakeNullCallback<void>());
        m_udp->DeAllocate(ep);
    }
}

void
QuicUdpPort::EndPointDestroyed()
{
    m_endPoint = nullptr;
}

void
QuicUdpPort::EndPoint6Destroyed()
{
    m_endPoint6 = nullptr;
}

int
QuicUdpPort::GetSockName(Address& address) const
{
    if (!m_endPoint && !m_endPoint6)
    {
        // As UdpSocketImpl once closed (a fork asking after its listener's port closed).
        address = InetSocketAddress(Ipv4Address::GetZero(), 0);
        return 0;
    }
    // Built once at Bind (applications such as PacketSink ask for it per packet): an end
    // point's address and port do not change.
    address = m_sockName;
    return 0;
}

void
QuicUdpPort::ForwardUp4(Ptr<Packet> p, Ipv4Header header, uint16_t port, Ptr<Ipv4Interface>)
{
    if (!m_rx.IsNull())
    {
        // A connection hears from one peer: its Address is built once.
        Ipv4Address source = header.GetSource();
        if (!m_lastFromValid || source != m_lastFromIpv4 || port != m_lastFromPort)
        {
            m_lastFrom = InetSocketAddress(source, port);
            m_lastFromIpv4 = source;
            m_lastFromPort = port;
            m_lastFromValid = true;
        }
        // RFC 9000 §13.4: the ECN bits come from the IP header itself.
        m_rx(this, p, m_lastFrom, header.GetTos());
    }
}

void
QuicUdpPort::ForwardUp6(Ptr<Packet> p, Ipv6Header header, uint16_t port, Ptr<Ipv6Interface>)
{
    if (!m_rx.IsNull())
    {
        m_rx(this, p, Inet6SocketAddress(header.GetSource(), port), header.GetTrafficClass());
    }
}

int
QuicUdpPort::SendTo(Ptr<Packet> datagram, const Address& to, uint8_t tos)
{
    // The IPv4 peer of the last datagram (a connection's usual case) is known to be one;
    // m_lastTo is empty (equal to no address) until the first IPv4 datagram.
    if (to == m_lastTo || InetSocketAddress::IsMatchingType(to))
    {
        return SendTo4(datagram, to, tos);
    }
    if (Inet6SocketAddress::IsMatchingType(to))
    {
        return SendTo6(datagram, to, tos);
    }
    return -1;
}

int
QuicUdpPort::SendTo4(Ptr<Packet> p, const Address& to, uint8_t tos)
{
    // A connection sends to one peer: its address is parsed once.
    if (!(to == m_lastTo))
    {
        InetSocketAddress transport = InetSocketAddress::ConvertFrom(to);
        m_lastTo = to;
        m_lastToIpv4 = transport.GetIpv4();
        m_lastToPort = transport.GetPort();
        m_lastToTos = transport.GetTos();
        m_lastToHeader = Ipv4Header(); // what routing is asked with, built once per peer
        m_lastToHeader.SetDestination(m_lastToIpv4);
        m_lastToHeader.SetProtocol(UdpL4Protocol::PROT_NUMBER);
    }
    Ipv4Address dest = m_lastToIpv4;
    uint16_t port = m_lastToPort;
    uint32_t size = p->GetSize();
    if (!m_endPoint || size > kMaxUdpPayload || dest.IsBroadcast())
    {
        return -1;
    }
    // As UdpSocketImpl::DoSendTo: a TOS in the peer's address wins (with the socket
    // priority it implies); else the ECN bits travel to Ipv4L3Protocol in a tag.
    if (m_lastToTos != 0)
    {
        tos = m_lastToTos;
        uint8_t priority = Socket::IpTos2Priority(tos);
        if (priority != 0)
        {
            SocketPriorityTag priorityTag;
            priorityTag.SetPriority(priority);
            p->ReplacePacketTag(priorityTag);
        }
    }
    if (tos != 0)
    {
        SocketIpTosTag tosTag;
        tosTag.SetTos(tos);
        p->ReplacePacketTag(tosTag);
    }
    uint16_t localPort = m_endPoint->GetLocalPort();
    Ipv4Address local = m_endPoint->GetLocalAddress();
    if (local != Ipv4Address::GetAny())
    {
        SendUdp4(p, local, dest, localPort, port, nullptr);
        return static_cast<int>(size);
    }
    Ptr<Ipv4RoutingProtocol> routing = m_ipv4 ? m_ipv4->GetRoutingProtocol() : nullptr;
    if (!routing)
    {
        return -1;
    }
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route = routing->RouteOutput(p, m_lastToHeader, nullptr, err);
    if (!route)
    {
        NS_LOG_LOGIC("no route to " << dest);
        return -1;
    }
    // UdpSocketImpl refuses subnet-directed broadcasts without SO_BROADCAST.
    int32_t outIf = m_ipv4->GetInterfaceForDevice(route->GetOutputDevice());
    if (outIf >= 0)
    {
        uint32_t n = m_ipv4->GetNAddresses(outIf);
        for (uint32_t i = 0; i < n; ++i)
        {
            if (dest == m_ipv4->GetAddress(outIf, i).GetBroadcast())
            {
                return -1;
            }
        }
    }
    SendUdp4(p, route->GetSource(), dest, localPort, port, route);
    return static_cast<int>(size);
}

void
QuicUdpPort::SendUdp4(Ptr<Packet> p,
                      Ipv4Address saddr,
                      Ipv4Address daddr,
                      uint16_t sport,
                      uint16_t dport,
                      Ptr<Ipv4Route> route)
{
    UdpHeader udpHeader;
    if (m_checksums)
    {
        udpHeader.EnableChecksums();
        udpHeader.InitializeChecksum(saddr, daddr, UdpL4Protocol::PROT_NUMBER);
    }
    udpHeader.SetDestinationPort(dport);
    udpHeader.SetSourcePort(sport);
    p->AddHeader(udpHeader);
    m_udp->GetDownTarget()(p, saddr, daddr, UdpL4Protocol::PROT_NUMBER, route);
}

int
QuicUdpPort::SendTo6(Ptr<Packet> p, const Address& to, uint8_t tclass)
{
    Inet6SocketAddress transport = Inet6SocketAddress::ConvertFrom(to);
    Ipv6Address dest = transport.GetIpv6();
    uint16_t port = transport.GetPort();
    uint32_t size = p->GetSize();
    if (dest.IsIpv4MappedAddress())
    {
        // UdpSocketImpl sends these over IPv4 without the traffic class.
        return SendTo4(p, InetSocketAddress(dest.GetIpv4MappedAddress(), port), 0);
    }
    if (!m_endPoint6 || size > kMaxUdpPayload)
    {
        return -1;
    }
    if (tclass != 0)
    {
        SocketIpv6TclassTag tclassTag;
        tclassTag.SetTclass(tclass);
        p->ReplacePacketTag(tclassTag);
    }
    uint16_t localPort = m_endPoint6->GetLocalPort();
    Ipv6Address local = m_endPoint6->GetLocalAddress();
    if (local != Ipv6Address::GetAny())
    {
        m_udp->Send(p, local, dest, localPort, port, nullptr);
        return static_cast<int>(size);
    }
    Ptr<Ipv6RoutingProtocol> routing = m_ipv6 ? m_ipv6->GetRoutingProtocol() : nullptr;
    if (!routing)
    {
        return -1;
    }
    Ipv6Header header;
    header.SetDestination(dest);
    header.SetNextHeader(UdpL4Protocol::PROT_NUMBER);
    Socket::SocketErrno err;
    Ptr<Ipv6Route> route = routing->RouteOutput(p, header, nullptr, err);
    if (!route)
    {
        NS_LOG_LOGIC("no route to " << dest);
        return -1;
    }
    m_udp->Send(p, route->GetSource(), dest, localPort, port, route);
    return static_cast<int>(size);
}

} // namespace ns3

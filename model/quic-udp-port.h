/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One UDP port of the QUIC stack, bound directly to ns-3's UdpL4Protocol.
 */

#ifndef QUIC_UDP_PORT_H
#define QUIC_UDP_PORT_H

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv6-header.h"
#include "ns3/object.h"
#include "ns3/ptr.h"

namespace ns3
{

class Ipv4;
class Ipv6;
class Ipv4Route;
class Ipv4EndPoint;
class Ipv6EndPoint;
class Ipv4Interface;
class Ipv6Interface;
class Node;
class Packet;
class UdpL4Protocol;

/**
 * \ingroup quic
 * A UDP port the QUIC stack sends and receives its datagrams through.
 *
 * It does what ns-3's UdpSocketImpl does for a unicast socket with default options, minus
 * the socket layer's per-datagram work that QUIC does not need: received datagrams are
 * handed over directly (no delivery queue, no RecvFrom, no copy of every packet to tag it
 * with its IP TOS: the ECN bits are read from the IP header), and datagrams go straight
 * to UdpL4Protocol::Send after the same route look-up UdpSocketImpl makes. Ports,
 * addresses, UDP and IP headers, and so the packets on the wire, are the same as through
 * a UdpSocketImpl bound to the same address.
 */
class QuicUdpPort : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicUdpPort();
    ~QuicUdpPort() override;

    /**
     * Called for every datagram arriving on the port: the port, the UDP payload, the
     * sender's address and port, and the IP TOS byte (IPv4) or traffic class (IPv6).
     */
    typedef Callback<void, Ptr<QuicUdpPort>, Ptr<Packet>, const Address&, uint8_t> RxCallback;

    /**
     * Binds to a local address, as UdpSocketImpl::Bind does: port 0 takes an ephemeral
     * port, the any-address receives on every interface.
     * \param node the node (with UdpL4Protocol installed)
     * \param local an InetSocketAddress or Inet6SocketAddress
     * \return false if the address or port is not available
     */
    bool Bind(Ptr<Node> node, const Address& local);

    /**
     * \param cb called for every arriving datagram
     */
    void SetRxCallback(RxCallback cb);

    /**
     * Sends one datagram (the packet is handed to UDP: pass a copy to keep it unchanged).
     * \param datagram the UDP payload
     * \param to the peer's InetSocketAddress or Inet6SocketAddress
     * \param tos IP TOS byte or IPv6 traffic class (the ECN bits), 0 for none
     * \return bytes sent, or -1 (not bound, no route, broadcast or unknown address type)
     */
    int SendTo(Ptr<Packet> datagram, const Address& to, uint8_t tos);

    /**
     * \param [out] address the local address and port (0.0.0.0:0 once closed, as
     *        UdpSocketImpl gives)
     * \return 0
     */
    int GetSockName(Address& address) const;

    /// Releases the port; nothing is received after.
    void Close();

  protected:
    void DoDispose() override;

  private:
    /**
     * A datagram arrived over IPv4 (Ipv4EndPoint's receive callback).
     * \param p the UDP payload
     * \param header its IPv4 header
     * \param port the sender's port
     * \param incoming the interface it came on
     */
    void ForwardUp4(Ptr<Packet> p, Ipv4Header header, uint16_t port, Ptr<Ipv4Interface> incoming);

    /**
     * A datagram arrived over IPv6 (Ipv6EndPoint's receive callback).
     * \param p the UDP payload
     * \param header its IPv6 header
     * \param port the sender's port
     * \param incoming the interface it came on
     */
    void ForwardUp6(Ptr<Packet> p, Ipv6Header header, uint16_t port, Ptr<Ipv6Interface> incoming);

    /// UdpL4Protocol deleted the IPv4 end point (node disposed).
    void EndPointDestroyed();

    /// UdpL4Protocol deleted the IPv6 end point (node disposed).
    void EndPoint6Destroyed();

    /**
     * \param p the datagram
     * \param to the IPv4 peer
     * \param tos the ECN bits
     * \return bytes sent or -1
     */
    int SendTo4(Ptr<Packet> p, const Address& to, uint8_t tos);

    /**
     * What UdpL4Protocol::Send does (the UDP header, then IPv4 through UDP's down
     * target), with ns-3's ChecksumEnabled read at Bind instead of per datagram (a
     * GlobalValue look-up costs as much as the rest of the UDP layer).
     * \param p the datagram
     * \param saddr the source address
     * \param daddr the destination address
     * \param sport the source port
     * \param dport the destination port
     * \param route the route, or null to let IPv4 find one
     */
    void SendUdp4(Ptr<Packet> p,
                  Ipv4Address saddr,
                  Ipv4Address daddr,
                  uint16_t sport,
                  uint16_t dport,
                  Ptr<Ipv4Route> route);

    /**
     * \param p the datagram
     * \param to the IPv6 peer
     * \param tclass the ECN bits
     * \return bytes sent or -1
     */
    int SendTo6(Ptr<Packet> p, const Address& to, uint8_t tclass);

    Ptr<Node> m_node;                   //!< the node
    Ptr<UdpL4Protocol> m_udp;           //!< the node's UDP
    Ptr<Ipv4> m_ipv4;                   //!< the node's IPv4 (for routes)
    Ptr<Ipv6> m_ipv6;                   //!< the node's IPv6 (for routes)
    Ipv4EndPoint* m_endPoint{nullptr};  //!< IPv4 end point (owned by UdpL4Protocol)
    Ipv6EndPoint* m_endPoint6{nullptr}; //!< IPv6 end point (owned by UdpL4Protocol)
    RxCallback m_rx;                    //!< receiver of arriving datagrams
    Address m_sockName;                 //!< local address and port (set by Bind)
    Address m_lastTo;                   //!< last IPv4 peer sent to
    Ipv4Address m_lastToIpv4;           //!< its IP address
    uint16_t m_lastToPort{0};           //!< its port
    uint8_t m_lastToTos{0};             //!< the TOS in its address
    Ipv4Header m_lastToHeader;          //!< the header routing is asked with for it
    Address m_lastFrom;                 //!< last IPv4 sender, as passed to m_rx
    Ipv4Address m_lastFromIpv4;         //!< its IP address
    uint16_t m_lastFromPort{0};         //!< its port
    bool m_lastFromValid{false};        //!< m_lastFrom* set
    bool m_checksums{false};            //!< ns-3's ChecksumEnabled, read at Bind
};

} // namespace ns3

#endif /* QUIC_UDP_PORT_H */

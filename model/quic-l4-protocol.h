/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The per-node QUIC protocol: UDP ports, connection demultiplexing, server forks.
 */

#ifndef QUIC_L4_PROTOCOL_H
#define QUIC_L4_PROTOCOL_H

#include "quic-connection-id.h"
#include "quic-udp-port.h"

#include "ns3/address.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <set>
#include <unordered_map>
#include <vector>

namespace ns3
{

class Node;
class QuicSocketBase;
class TcpCongestionOps;

/**
 * \ingroup quic
 * QUIC on one node: aggregated to the node by QuicHelper::InstallQuic.
 *
 * It creates QUIC sockets (each with a congestion controller of the SocketType
 * attribute's type), owns the UDP ports (QuicUdpPort) they send and receive through, and hands
 * every received datagram to the connection its destination connection ID names. An Initial packet
 * for an unknown connection arriving on a listening socket's port forks a new server socket; one
 * with an unsupported version is answered by a Version Negotiation packet (RFC 9000 §6). It also
 * remembers the peers a client completed a handshake with, so that later connections to them can
 * use 0-RTT.
 */
class QuicL4Protocol : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicL4Protocol();
    ~QuicL4Protocol() override;

    /**
     * \param node the node this protocol runs on
     */
    void SetNode(Ptr<Node> node);

    /// \return the node
    Ptr<Node> GetNode() const;

    /**
     * Creates a QUIC socket with this node's congestion-control type.
     * \return the socket
     */
    Ptr<Socket> CreateSocket();

    /**
     * Creates a QUIC socket with a given congestion-control type.
     * \param congestionTypeId a TcpCongestionOps subclass
     * \return the socket
     */
    Ptr<Socket> CreateSocket(TypeId congestionTypeId);

    /**
     * Opens the UDP port a QUIC socket uses.
     * \param socket the QUIC socket
     * \param local local address (InetSocketAddress or Inet6SocketAddress; port 0 picks one)
     * \param listening true for a server's listening socket (Initials may fork it)
     * \return the UDP port, or nullptr if binding failed (the error is on the QUIC socket)
     */
    Ptr<QuicUdpPort> OpenUdpSocket(Ptr<QuicSocketBase> socket,
                                   const Address& local,
                                   bool listening);

    /**
     * A connection is known by this local connection ID from now on.
     * \param cid the connection ID
     * \param socket the connection
     */
    void RegisterConnectionId(const QuicConnectionId& cid, Ptr<QuicSocketBase> socket);

    /**
     * \param cid a connection ID no longer used
     */
    void UnregisterConnectionId(const QuicConnectionId& cid);

    /**
     * A socket is gone: forgets its IDs, closes its UDP port if it owned it, and drops
     * it from the socket list.
     * \param socket the socket
     */
    void RemoveSocket(Ptr<QuicSocketBase> socket);

    /**
     * Sends one UDP datagram.
     * \param udp the UDP port
     * \param datagram the QUIC packets (one or several coalesced; handed to UDP, which
     *        adds its headers to it)
     * \param to the peer
     * \param tos IP TOS byte (ECN bits)
     * \return bytes sent, or -1
     */
    int SendDatagram(Ptr<QuicUdpPort> udp, Ptr<Packet> datagram, const Address& to, uint8_t tos);

    /**
     * \param peer an address (the port is ignored)
     * \return true if a client on this node completed a handshake with it before
     */
    bool IsAuthenticated(const Address& peer) const;

    /**
     * Remembers a peer for 0-RTT.
     * \param peer its address
     */
    void AddAuthenticated(const Address& peer);

    /// \return a fresh random local connection ID
    QuicConnectionId NewConnectionId();

    /// \return the length of the connection IDs this node issues
    uint8_t GetConnectionIdLength() const;

    /**
     * \param version a QUIC version
     * \return true if this node supports it
     */
    bool IsVersionSupported(uint32_t version) const;

    /// \return the versions this node supports, preferred first
    const std::vector<uint32_t>& GetSupportedVersions() const;

    /**
     * Assign a fixed random variable stream number to the random variables used by this
     * protocol (connection IDs).
     * \param stream first stream index to use
     * \return the number of stream indices assigned
     */
    int64_t AssignStreams(int64_t stream);

    /// \return the sockets (listeners, forks and clients) alive on this node
    std::size_t GetSocketCount() const;

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    /**
     * A datagram arrived on one of our UDP ports.
     * \param udp the port
     * \param packet the UDP payload
     * \param from the sender
     * \param tos the IP TOS byte or IPv6 traffic class (ECN bits)
     */
    void ReceiveFromUdp(Ptr<QuicUdpPort> udp, Ptr<Packet> packet, const Address& from, uint8_t tos);

    /**
     * Answers an Initial of an unsupported version (RFC 9000 §6.1).
     * \param udp the port it came on
     * \param data its bytes
     * \param size its length
     * \param from its sender
     */
    void SendVersionNegotiation(Ptr<QuicUdpPort> udp,
                                const uint8_t* data,
                                std::size_t size,
                                const Address& from);

    /// \param socket a new socket, added to the socket list
    void AddSocket(Ptr<QuicSocketBase> socket);

    Ptr<Node> m_node;                   //!< the node
    TypeId m_congestionTypeId;          //!< SocketType attribute
    std::vector<Ptr<Object>> m_sockets; //!< SocketList attribute
    std::string m_socketPlugins;        //!< SocketPlugins attribute
    std::unordered_map<QuicConnectionId, Ptr<QuicSocketBase>, QuicConnectionId::Hash>
        m_connections; //!< local connection ID → connection
    std::map<Ptr<QuicUdpPort>, Ptr<QuicSocketBase>> m_listeners; //!< listening UDP port → listener
    std::map<Ptr<QuicUdpPort>, Ptr<QuicSocketBase>> m_owners;    //!< client UDP port → its socket
    std::set<Address> m_authenticated;   //!< peers known for 0-RTT (IP only)
    Ptr<UniformRandomVariable> m_cidRng; //!< connection ID source
    uint8_t m_cidLength;                 //!< CidLength attribute
    std::vector<uint32_t> m_versions;    //!< supported versions
    std::vector<uint8_t> m_rxScratch;    //!< receive buffer reused per datagram

    TracedCallback<Ptr<const Packet>, const Address&> m_dropTrace; //!< undeliverable datagrams
};

} // namespace ns3

#endif /* QUIC_L4_PROTOCOL_H */

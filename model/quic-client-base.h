/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What QuicClient and QuicEchoClient share: one connection, paced packet generation
 * round-robin over streams, lossless writes, connect and close handling.
 */

#ifndef QUIC_CLIENT_BASE_H
#define QUIC_CLIENT_BASE_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <string>

namespace ns3
{

class Packet;
class Socket;
class QuicAppStreamIo;

/**
 * \ingroup quic
 * \brief Base of the QUIC client applications (QuicClient, QuicEchoClient): opens one
 * connection to RemoteAddress/RemotePort when the application starts, generates
 * MaxPackets packets of PacketSize bytes every Interval, round-robin over NumStreams
 * client-initiated bidirectional streams (ids 0, 4, 8, …; RFC 9000 §2.1), and closes the
 * connection when it stops.
 *
 * A packet the socket refuses (buffers full, or stream not allowed yet) waits in a
 * QuicAppStreamIo and is handed over from the socket's send and connect callbacks:
 * nothing is dropped. A subclass says what a packet contains (GeneratePacket) and what
 * to do with the bytes the server sends back (ReceiveBytes).
 *
 * The attributes and the Tx / TxWithAddresses trace sources are declared on each
 * subclass's own TypeId (MakeClientTypeId), so that
 * Config::SetDefault("ns3::QuicClient::MaxPackets", …) and each subclass's defaults keep
 * working as they did. Log lines go to the subclass's log component.
 */
class QuicClientBase : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ~QuicClientBase() override;

    /**
     * \brief Sets the remote address and port.
     * \param ip the server's address (Ipv4Address or Ipv6Address)
     * \param port the server's port
     */
    void SetRemote(Address ip, uint16_t port);

    /**
     * \brief Sets the remote address.
     * \param addr the server's address, with its port (InetSocketAddress or
     *        Inet6SocketAddress)
     */
    void SetRemote(Address addr);

    /// \return packets generated so far
    uint64_t GetSent() const;

    /// \return packets accepted by the socket so far
    uint64_t GetTransmitted() const;

    /// \return bytes accepted by the socket so far
    uint64_t GetTransmittedBytes() const;

    /// \return bytes generated but not yet accepted by the socket
    uint64_t GetBacklogBytes() const;

    /// \return bytes received from the server in total
    uint64_t GetReceivedBytes() const;

    /**
     * \return how many times the socket refused a packet (ERROR_MSGSIZE when its buffers
     *         are full, ERROR_AGAIN before the stream is allowed); each refused packet
     *         waited and was handed over later
     */
    uint64_t GetSocketRefusals() const;

    /// \return the QUIC socket (nullptr before the application starts)
    Ptr<Socket> GetSocket() const;

    /**
     * \param index a stream index in [0, NumStreams)
     * \return the stream id used for it (client-initiated bidirectional: 4 * index)
     */
    static uint64_t GetStreamIdForIndex(uint32_t index);

    /// The attribute defaults that differ between the client applications (for subclasses).
    struct AttributeDefaults
    {
        uint16_t remotePort;        //!< RemotePort's default
        uint32_t packetSize;        //!< PacketSize's default
        uint32_t minPacketSize;     //!< PacketSize's smallest value
        std::string packetSizeHelp; //!< PacketSize's description
    };

  protected:
    /**
     * Registers a client application's TypeId: parent QuicClientBase, group
     * Applications, a constructor, the attributes MaxPackets, Interval, RemoteAddress,
     * RemotePort, PacketSize and NumStreams, and the trace sources Tx and
     * TxWithAddresses. The subclass adds its own trace sources to the result.
     * \tparam T the subclass
     * \param name its TypeId name (e.g. "ns3::QuicClient")
     * \param defaults its attribute defaults
     * \return the TypeId
     */
    template <class T>
    static TypeId MakeClientTypeId(const std::string& name, const AttributeDefaults& defaults)
    {
        return AddClientAttributesAndTraces(TypeId(name)
                                                .SetParent<QuicClientBase>()
                                                .SetGroupName("Applications")
                                                .AddConstructor<T>(),
                                            defaults);
    }

    /**
     * \param appName the subclass's name, also the name of its log component (used in
     *        log lines and error messages)
     * \param defaults its attribute defaults (the constructor's initial values)
     */
    QuicClientBase(const std::string& appName, const AttributeDefaults& defaults);

    void DoDispose() override;

    /**
     * Builds packet \p seq: called once per packet, when it is generated.
     * \param seq the packet's sequence number (0, 1, 2, …)
     * \param streamId the stream it will be sent on
     * \return the packet (m_size bytes)
     */
    virtual Ptr<Packet> GeneratePacket(uint32_t seq, uint64_t streamId) = 0;

    /**
     * Bytes from the server were read (already counted in GetReceivedBytes).
     * \param packet the bytes
     * \param streamId their stream (QuicAppStreamIo::kUnknownStream if unknown)
     */
    virtual void ReceiveBytes(Ptr<Packet> packet, uint64_t streamId) = 0;

    NS_LOG_TEMPLATE_DECLARE; //!< the subclass's log component

    const std::string m_appName; //!< the subclass's name

    // Attributes.
    uint32_t m_count;      //!< MaxPackets (0: until stopped)
    Time m_interval;       //!< Interval
    uint32_t m_size;       //!< PacketSize
    uint32_t m_numStreams; //!< NumStreams
    Address m_peerAddress; //!< RemoteAddress
    uint16_t m_peerPort;   //!< RemotePort

    // State.
    Ptr<Socket> m_socket; //!< the connection
    Address m_peer;       //!< peer socket address

  private:
    /**
     * Adds the attributes and trace sources every client application has.
     * \param tid the subclass's TypeId
     * \param defaults its attribute defaults
     * \return tid
     */
    static TypeId AddClientAttributesAndTraces(TypeId tid, const AttributeDefaults& defaults);

    void StartApplication() override;
    void StopApplication() override;

    /// Generates one packet and schedules the next.
    void Send();

    /**
     * A queued packet was accepted by the socket.
     * \param packet the packet
     * \param streamId its stream
     */
    void PacketSent(Ptr<const Packet> packet, uint64_t streamId);

    /**
     * Reads what the server sends and hands it to ReceiveBytes.
     * \param socket the socket
     */
    void HandleRead(Ptr<Socket> socket);

    /**
     * The socket has room again.
     * \param socket the socket
     * \param available bytes available
     */
    void HandleSendSpace(Ptr<Socket> socket, uint32_t available);

    /**
     * The handshake completed.
     * \param socket the socket
     */
    void ConnectionSucceeded(Ptr<Socket> socket);

    /**
     * The handshake failed.
     * \param socket the socket
     */
    void ConnectionFailed(Ptr<Socket> socket);

    /**
     * The connection closed.
     * \param socket the socket
     */
    void HandleClose(Ptr<Socket> socket);

    std::unique_ptr<QuicAppStreamIo> m_io; //!< stream reads and lossless writes
    EventId m_sendEvent;                   //!< next packet
    uint64_t m_sent{0};                    //!< packets generated
    uint64_t m_transmitted{0};             //!< packets accepted by the socket
    uint64_t m_transmittedBytes{0};        //!< bytes accepted by the socket
    uint64_t m_rxBytes{0};                 //!< bytes received

    // Traces.
    TracedCallback<Ptr<const Packet>> m_txTrace; //!< Tx
    /// TxWithAddresses: packet, local address, remote address
    TracedCallback<Ptr<const Packet>, const Address&, const Address&> m_txTraceWithAddresses;
};

} // namespace ns3

#endif /* QUIC_CLIENT_BASE_H */

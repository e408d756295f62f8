/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A constant-rate QUIC client spreading its packets over several streams.
 */

#ifndef QUIC_CLIENT_H
#define QUIC_CLIENT_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <memory>

namespace ns3
{

class Packet;
class Socket;
class QuicAppStreamIo;

/**
 * \ingroup quic
 * \brief Sends MaxPackets packets of PacketSize bytes every Interval to a QuicServer, over
 * one QUIC connection, round-robin over NumStreams client-initiated bidirectional
 * streams (ids 0, 4, 8, …; RFC 9000 §2.1), as the WNS3 2019 ns-3 QUIC module's client.
 *
 * Each packet starts with a SeqTsSizeHeader (a SeqTsHeader with the packet's size), so
 * the server can cut the byte stream of each stream back into packets and compute their
 * one-way delay. The timestamp is the time the packet was generated: time spent waiting
 * for the socket counts in the delay.
 *
 * The first packet is generated when the application starts, before the handshake
 * completes; the socket sends it as soon as the connection allows. A packet the socket
 * refuses (buffers full, or stream not allowed yet) waits and is handed over from the
 * socket's send and connect callbacks: nothing is dropped. StopApplication closes the
 * connection (gracefully: see QuicSocketBase's FlushOnClose).
 */
class QuicClient : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicClient();
    ~QuicClient() override;

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

  protected:
    void DoDispose() override;

  private:
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
     * Reads (and discards) anything the server sends.
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

    // Attributes.
    uint32_t m_count;      //!< MaxPackets (0: until stopped)
    Time m_interval;       //!< Interval
    uint32_t m_size;       //!< PacketSize
    uint32_t m_numStreams; //!< NumStreams
    Address m_peerAddress; //!< RemoteAddress
    uint16_t m_peerPort;   //!< RemotePort

    // State.
    Ptr<Socket> m_socket;                  //!< the connection
    std::unique_ptr<QuicAppStreamIo> m_io; //!< stream reads and lossless writes
    Address m_peer;                        //!< peer socket address
    EventId m_sendEvent;                   //!< next packet
    uint64_t m_sent{0};                    //!< packets generated
    uint64_t m_transmitted{0};             //!< packets accepted by the socket
    uint64_t m_transmittedBytes{0};        //!< bytes accepted by the socket
    uint64_t m_rxBytes{0};                 //!< bytes received (not expected)

    // Traces.
    TracedCallback<Ptr<const Packet>> m_txTrace; //!< Tx
    TracedCallback<Ptr<const Packet>> m_rxTrace; //!< Rx
    /// TxWithAddresses: packet, local address, remote address
    TracedCallback<Ptr<const Packet>, const Address&, const Address&> m_txTraceWithAddresses;
};

} // namespace ns3

#endif /* QUIC_CLIENT_H */

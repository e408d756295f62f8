/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo server: every byte goes back on the stream it came on.
 */

#ifndef QUIC_ECHO_SERVER_H
#define QUIC_ECHO_SERVER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <vector>

namespace ns3
{

class Packet;
class Socket;
class QuicAppStreamIo;

/**
 * \ingroup quic
 * \brief Accepts QUIC connections on Port and echoes every byte back on the stream it
 * arrived on (as UdpEchoServer does with datagrams).
 *
 * Flow control is end to end: while echoed bytes wait for room in the socket, the
 * server stops reading that connection, so a client sending faster than it reads is
 * slowed by QUIC's own flow control rather than by a growing buffer here.
 */
class QuicEchoServer : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicEchoServer();
    ~QuicEchoServer() override;

    /// \return bytes received over all connections and streams
    uint64_t GetReceivedBytes() const;

    /// \return bytes echoed (accepted by the socket) over all connections and streams
    uint64_t GetEchoedBytes() const;

    /// \return bytes received per stream id, over all connections
    std::map<uint64_t, uint64_t> GetReceivedBytesPerStream() const;

    /// \return connections accepted
    uint32_t GetConnections() const;

    /// \return bytes that could not be echoed because their stream was unknown (should be 0)
    uint64_t GetUnechoedBytes() const;

    /**
     * \return how many times a socket refused echoed bytes (its buffers full), over all
     *         connections; each time the server waited and stopped reading meanwhile
     */
    uint64_t GetSocketRefusals() const;

    /// \return the listening socket (nullptr before the application starts)
    Ptr<Socket> GetListeningSocket() const;

    /// \return the accepted connections' sockets
    std::vector<Ptr<Socket>> GetAcceptedSockets() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * A client asks to connect.
     * \param socket the listening socket
     * \param from the client
     * \return true (every client is accepted)
     */
    bool HandleRequest(Ptr<Socket> socket, const Address& from);

    /**
     * A connection was accepted.
     * \param socket its socket
     * \param from the client
     */
    void HandleAccept(Ptr<Socket> socket, const Address& from);

    /**
     * Data is ready on a connection: echo it.
     * \param socket its socket
     */
    void HandleRead(Ptr<Socket> socket);

    /**
     * A connection has room again: echo what waits, then read more.
     * \param socket its socket
     * \param available bytes available
     */
    void HandleSendSpace(Ptr<Socket> socket, uint32_t available);

    /**
     * A connection closed.
     * \param socket its socket
     */
    void HandleClose(Ptr<Socket> socket);

    /**
     * Echoed bytes were accepted by a socket.
     * \param packet the bytes
     * \param streamId their stream
     */
    void EchoSent(Ptr<const Packet> packet, uint64_t streamId);

    /// One accepted connection.
    struct Connection
    {
        std::unique_ptr<QuicAppStreamIo> io; //!< stream reads and lossless writes
        Address from;                        //!< the client
        bool closed{false};                  //!< the connection closed
    };

    // Attributes.
    uint16_t m_port; //!< Port
    Address m_local; //!< Local

    // State.
    Ptr<Socket> m_socket;                          //!< listening socket
    std::map<Ptr<Socket>, Connection> m_conns;     //!< accepted connections
    uint64_t m_rxBytes{0};                         //!< bytes received
    uint64_t m_echoedBytes{0};                     //!< bytes accepted back by the sockets
    uint64_t m_unechoed{0};                        //!< bytes of an unknown stream
    std::map<uint64_t, uint64_t> m_perStreamBytes; //!< bytes received per stream

    // Traces.
    TracedCallback<Ptr<const Packet>> m_rxTrace; //!< Rx
    /// RxWithAddresses: bytes, client, local
    TracedCallback<Ptr<const Packet>, const Address&, const Address&> m_rxTraceWithAddresses;
};

} // namespace ns3

#endif /* QUIC_ECHO_SERVER_H */

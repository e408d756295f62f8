/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo server: every byte goes back on the stream it came on.
 */

#ifndef QUIC_ECHO_SERVER_H
#define QUIC_ECHO_SERVER_H

#include "quic-server-base.h"

#include "ns3/traced-callback.h"

namespace ns3
{

class Packet;

/**
 * \ingroup quic
 * \brief Accepts QUIC connections on Port and echoes every byte back on the stream it
 * arrived on (as UdpEchoServer does with datagrams).
 *
 * Flow control is end to end: while echoed bytes wait for room in the socket, the
 * server stops reading that connection, so a client sending faster than it reads is
 * slowed by QUIC's own flow control rather than by a growing buffer here. Listening and
 * the connections' life cycle are QuicServerBase's.
 */
class QuicEchoServer : public QuicServerBase
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicEchoServer();
    ~QuicEchoServer() override;

    /// \return bytes echoed (accepted by the socket) over all connections and streams
    uint64_t GetEchoedBytes() const;

    /// \return bytes that could not be echoed because their stream was unknown (should be 0)
    uint64_t GetUnechoedBytes() const;

  private:
    /**
     * A connection was accepted: echoes need its send and sent callbacks.
     * \param socket its socket
     * \param conn its state
     */
    void SetUpConnection(Ptr<Socket> socket, Connection& conn) override;

    /**
     * Data is ready on a connection: echo it.
     * \param socket its socket
     */
    void HandleRead(Ptr<Socket> socket) override;

    /**
     * A connection has room again: echo what waits, then read more.
     * \param socket its socket
     * \param available bytes available
     */
    void HandleSendSpace(Ptr<Socket> socket, uint32_t available);

    /**
     * Echoed bytes were accepted by a socket.
     * \param packet the bytes
     * \param streamId their stream
     */
    void EchoSent(Ptr<const Packet> packet, uint64_t streamId);

    // State.
    uint64_t m_echoedBytes{0}; //!< bytes accepted back by the sockets
    uint64_t m_unechoed{0};    //!< bytes of an unknown stream

    // Traces.
    TracedCallback<Ptr<const Packet>> m_rxTrace; //!< Rx
    /// RxWithAddresses: bytes, client, local
    TracedCallback<Ptr<const Packet>, const Address&, const Address&> m_rxTraceWithAddresses;
};

} // namespace ns3

#endif /* QUIC_ECHO_SERVER_H */

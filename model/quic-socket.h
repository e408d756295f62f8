/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The QUIC socket interface.
 */

#ifndef QUIC_SOCKET_H
#define QUIC_SOCKET_H

#include "ns3/socket.h"

namespace ns3
{

/**
 * \ingroup quic
 * A QUIC connection seen through ns-3's Socket API.
 *
 * Send(packet, flags) carries the stream id in flags (0 picks the default stream:
 * see QuicL5Protocol::GetDefaultStreamId), as in the WNS3 2019 ns-3 QUIC module.
 * QuicSocketBase implements it.
 */
class QuicSocket : public Socket
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Connection states (RFC 9000 §10 and the handshake).
    enum State : uint8_t
    {
        IDLE,           //!< created, not bound or connected
        LISTENING,      //!< a server's listening socket
        CONNECTING_CLT, //!< client handshake in progress
        CONNECTING_SVR, //!< server handshake in progress
        OPEN,           //!< handshake complete, data flows
        CLOSING,        //!< CONNECTION_CLOSE sent, closing period (RFC 9000 §10.2.1)
        DRAINING,       //!< CONNECTION_CLOSE received, draining period (§10.2.2)
        CLOSED,         //!< gone
    };

    /**
     * \param state a state
     * \return its name
     */
    static const char* StateName(State state);
};

} // namespace ns3

#endif /* QUIC_SOCKET_H */

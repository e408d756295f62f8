/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Congestion-control state of a QUIC connection, readable by ns-3's TCP algorithms.
 */

#ifndef QUIC_SOCKET_STATE_H
#define QUIC_SOCKET_STATE_H

#include "ns3/tcp-socket-state.h"

namespace ns3
{

/**
 * \ingroup quic
 * The congestion-control state of one QUIC connection (path 0).
 *
 * It extends TcpSocketState so that an unmodified TcpCongestionOps can read and change
 * it: m_cWnd, m_ssThresh, m_segmentSize (the maximum datagram payload, RFC 9002's
 * max_datagram_size), m_bytesInFlight, m_minRtt, m_lastRtt, m_congState, m_pacingRate are
 * the inherited fields and mean what they mean for TCP. TCP algorithms that count RTT
 * rounds by sequence numbers (Vegas, Illinois, YeAH, Cubic's HyStart) see a synthetic
 * cumulative byte sequence: m_nextTxSequence / m_highTxMark advance by the bytes of every
 * ack-eliciting packet sent and m_lastAckedSeq by the bytes acknowledged. QUIC packet
 * numbers are never reused, so this sequence space never goes back on retransmission.
 */
class QuicSocketState : public TcpSocketState
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicSocketState();

    /**
     * Copy constructor (for forked server sockets).
     * \param other the state to copy
     */
    QuicSocketState(const QuicSocketState& other);

    /// RFC 9002 §7.2: the minimum congestion window, 2 * max_datagram_size.
    uint32_t GetMinimumWindow() const;

    /**
     * Advances the synthetic byte sequence of sent data.
     * \param bytes bytes of an ack-eliciting packet just sent
     */
    void OnBytesSent(uint32_t bytes);

    /**
     * Advances the synthetic byte sequence of acknowledged data.
     * \param bytes bytes newly acknowledged
     */
    void OnBytesAcked(uint32_t bytes);

    Time m_smoothedRtt{Seconds(0)};        //!< RFC 9002 smoothed_rtt
    Time m_rttVar{Seconds(0)};             //!< RFC 9002 rttvar
    Time m_recoveryStartTime{Seconds(-1)}; //!< RFC 9002 congestion_recovery_start_time
    uint64_t m_totalBytesSent{0};          //!< ack-eliciting bytes ever sent
    uint64_t m_totalBytesAcked{0};         //!< bytes ever acknowledged
    uint64_t m_totalBytesLost{0};          //!< bytes ever declared lost
    uint32_t m_ptoCount{0};                //!< RFC 9002 pto_count
};

} // namespace ns3

#endif /* QUIC_SOCKET_STATE_H */

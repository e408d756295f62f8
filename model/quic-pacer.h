/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Packet pacing of RFC 9002 §7.7.
 */

#ifndef QUIC_PACER_H
#define QUIC_PACER_H

#include "quic-socket-state.h"

#include "ns3/data-rate.h"
#include "ns3/nstime.h"

namespace ns3
{

/**
 * \ingroup quic
 * Spaces the departures of congestion-controlled packets (RFC 9002 §7.7).
 *
 * The rate is QuicSocketState::m_pacingRate. When the algorithm sets it itself
 * (HasCongControl(), TcpBbr) it is used as set; otherwise UpdatePacingRate() computes it
 * as ns-3's TcpSocketBase does: factor × max(cwnd, bytes in flight) / RTT, with factor
 * m_pacingSsRatio % while cwnd < ssthresh / 2 and m_pacingCaRatio % after, capped at
 * m_maxPacingRate. QUIC uses smoothed_rtt there (RFC 9002 §7.7), TCP its latest sample.
 * Every packet sent at the pacing rate pushes the earliest next departure by its own
 * transmission time at that rate; ACK-only packets are not paced (RFC 9002 §7.7: they
 * are not congestion controlled).
 */
class QuicPacer
{
  public:
    /// \param tcb the connection's state (m_pacing, m_pacingRate and the ratios)
    explicit QuicPacer(Ptr<QuicSocketState> tcb);

    /// \return true if pacing is on
    bool IsEnabled() const;

    /**
     * Recomputes m_pacingRate from cwnd and smoothed RTT (algorithms without CongControl).
     * Before the first RTT sample the rate stays at m_maxPacingRate unless
     * m_paceInitialWindow is set (then the initial RTT is used).
     */
    void UpdatePacingRate();

    /**
     * \param now the current time
     * \return true if a congestion-controlled packet may leave now
     */
    bool CanSend(Time now) const;

    /// \return the earliest time the next paced packet may leave
    Time GetNextSendTime() const;

    /**
     * A congestion-controlled packet left.
     * \param now when
     * \param bytes its size
     */
    void OnPacketSent(Time now, uint32_t bytes);

  private:
    Ptr<QuicSocketState> m_tcb; //!< state
    Time m_nextSend{0};         //!< earliest departure of the next paced packet
};

} // namespace ns3

#endif /* QUIC_PACER_H */

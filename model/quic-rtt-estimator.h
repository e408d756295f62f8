/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * RTT estimation of RFC 9002 §5.
 */

#ifndef QUIC_RTT_ESTIMATOR_H
#define QUIC_RTT_ESTIMATOR_H

#include "ns3/nstime.h"

namespace ns3
{

/**
 * \ingroup quic
 * The RTT estimator of one path (RFC 9002 §5): latest, minimum and smoothed RTT, RTT
 * variation, and the probe timeout they define.
 */
class QuicRttEstimator
{
  public:
    /// RFC 9002 §6.1.2: the timer granularity, kGranularity.
    static Time GetGranularity();

    /**
     * \param initialRtt the RTT assumed before the first sample (RFC 9002 §6.2.2: 333 ms)
     */
    explicit QuicRttEstimator(Time initialRtt = MilliSeconds(333));

    /**
     * Takes an RTT sample (RFC 9002 §5.3).
     * \param latestRtt time from sending the largest newly acknowledged packet to its ACK
     * \param ackDelay the peer's reported ACK delay (exponent already applied)
     * \param maxAckDelay the peer's max_ack_delay
     * \param handshakeConfirmed whether the handshake is confirmed (ack delay is then
     *        limited to max_ack_delay; before, it is used as reported)
     */
    void Update(Time latestRtt, Time ackDelay, Time maxAckDelay, bool handshakeConfirmed);

    /**
     * Forgets the samples after persistent congestion (RFC 9002 §5.2: min_rtt is set
     * to the next sample). Smoothed RTT and variance are kept.
     */
    void ResetMinRtt();

    /// \return whether a sample was taken yet
    bool HasSample() const;
    /// \return latest_rtt
    Time GetLatestRtt() const;
    /// \return min_rtt (the initial RTT before the first sample)
    Time GetMinRtt() const;
    /// \return smoothed_rtt
    Time GetSmoothedRtt() const;
    /// \return rttvar
    Time GetRttVar() const;

    /**
     * RFC 9002 §6.2.1: the probe timeout before backoff,
     * smoothed_rtt + max(4 * rttvar, kGranularity) + max_ack_delay.
     * \param maxAckDelay the peer's max_ack_delay; zero for the Initial and Handshake spaces
     * \return the PTO period
     */
    Time GetPtoPeriod(Time maxAckDelay) const;

    /**
     * RFC 9002 §6.1.2: the time threshold for loss,
     * max(9/8 * max(smoothed_rtt, latest_rtt), kGranularity).
     * \return the loss delay
     */
    Time GetLossDelay() const;

  private:
    bool m_hasSample{false};   //!< a sample was taken
    Time m_latestRtt;          //!< latest_rtt
    Time m_minRtt;             //!< min_rtt
    Time m_smoothedRtt;        //!< smoothed_rtt
    Time m_rttVar;             //!< rttvar
    bool m_minRttReset{false}; //!< the next sample sets min_rtt
};

} // namespace ns3

#endif /* QUIC_RTT_ESTIMATOR_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Delivery-rate estimation for QUIC packets (draft-cheng-iccrg-delivery-rate-estimation),
 * producing ns-3's TcpRateOps structures so that TcpBbr's CongControl can run on QUIC.
 */

#ifndef QUIC_RATE_SAMPLER_H
#define QUIC_RATE_SAMPLER_H

#include "quic-sent-packet-map.h"

#include "ns3/nstime.h"
#include "ns3/tcp-rate-ops.h"

namespace ns3
{

/**
 * \ingroup quic
 * Delivery-rate sampler of one connection.
 *
 * ns-3's TcpRateLinux works on TcpTxItem, whose fields are private to TCP, so QUIC keeps
 * its own: every sent packet records the connection's delivery state (QuicSentPacket::
 * delivered, deliveredTime, firstSentTime, isAppLimited); every acknowledged packet moves
 * it forward; after each ACK frame GenerateSample() produces the TcpRateSample of that
 * ACK (delivered bytes over the longer of the send and ACK intervals, as the draft's
 * §3.3 prescribes) and GetConnectionRate() the TcpRateConnection. QUIC never
 * acknowledges a packet twice and never retransmits one (lost data travels in new
 * packets), so there is no SACK reneging and no "retransmitted" flag to handle.
 */
class QuicRateSampler
{
  public:
    QuicRateSampler() = default;

    /**
     * Stamps a packet about to be sent with the delivery state (draft §3.2).
     * \param packet the packet (its rate fields are written)
     * \param bytesInFlight bytes in flight before it is counted
     */
    void OnPacketSent(QuicSentPacket& packet, uint32_t bytesInFlight);

    /**
     * An in-flight packet was acknowledged (draft §3.3, per packet).
     * \param bytes its size
     * \param timeSent when it was sent
     * \param delivered its stamped delivered count
     * \param deliveredTime its stamped delivered time
     * \param firstSentTime its stamped first-sent time
     * \param appLimited its stamped app-limited flag
     */
    void OnPacketAcked(uint32_t bytes,
                       Time timeSent,
                       uint64_t delivered,
                       Time deliveredTime,
                       Time firstSentTime,
                       bool appLimited);

    /**
     * Bytes were declared lost since the last sample.
     * \param bytes their number
     */
    void OnPacketsLost(uint32_t bytes);

    /**
     * The sender has nothing to send although the window would allow it (draft §3.4):
     * samples taken until this data is delivered are marked app-limited.
     * \param bytesInFlight bytes in flight now
     */
    void OnApplicationLimited(uint32_t bytesInFlight);

    /**
     * Ends one ACK frame's processing and produces its sample (draft §3.3).
     * \param ackedBytes bytes newly acknowledged by the ACK
     * \param priorInFlight bytes in flight before the ACK was processed
     * \param minRtt the connection's minimum RTT (shorter intervals are invalid)
     * \return the sample
     */
    const TcpRateOps::TcpRateSample& GenerateSample(uint32_t ackedBytes,
                                                    uint32_t priorInFlight,
                                                    Time minRtt);

    /// \return the connection's delivery state
    const TcpRateOps::TcpRateConnection& GetConnectionRate() const;

  private:
    TcpRateOps::TcpRateConnection m_rc; //!< connection state
    TcpRateOps::TcpRateSample m_rs;     //!< sample being built
    bool m_havePrior{false};            //!< a packet was acknowledged since the last sample
    uint64_t m_priorDelivered{0};       //!< full-width m_rs.m_priorDelivered
    uint32_t m_lostSinceSample{0};      //!< bytes lost since the last sample
};

} // namespace ns3

#endif /* QUIC_RATE_SAMPLER_H */

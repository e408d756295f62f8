/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Packets received in one packet-number space, and when to acknowledge them.
 */

#ifndef QUIC_RECEIVED_PACKET_TRACKER_H
#define QUIC_RECEIVED_PACKET_TRACKER_H

#include "quic-subheader.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>

namespace ns3
{

/**
 * \ingroup quic
 * The receiver side of acknowledgments in one packet-number space (RFC 9000 §13.2).
 *
 * Received packet numbers are kept as disjoint intervals (at most GetMaxRanges(), oldest
 * dropped first, RFC 9000 §13.2.3), so building an ACK frame costs O(ranges). The tracker
 * also decides when an ACK is due: immediately on reordering or a gap, after every
 * second ack-eliciting packet, and otherwise after max_ack_delay (RFC 9000 §13.2.1-2).
 */
class QuicReceivedPacketTracker
{
  public:
    /// Most ACK ranges kept and sent (older ones are forgotten).
    static constexpr std::size_t kMaxRanges = 32;

    QuicReceivedPacketTracker() = default;

    /**
     * \param packetNumber a decoded packet number
     * \return true if it was already received (a duplicate, RFC 9000 §12.3)
     */
    bool IsDuplicate(uint64_t packetNumber) const;

    /**
     * Records a received packet.
     * \param packetNumber its number
     * \param ackEliciting whether it contained an ack-eliciting frame
     * \param now arrival time
     * \param ecnCodepoint its IP ECN bits (0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE)
     */
    void OnPacketReceived(uint64_t packetNumber, bool ackEliciting, Time now, uint8_t ecnCodepoint);

    /// \return true if an ACK must be sent now (without waiting for the delayed-ACK timer)
    bool IsAckImmediate() const;

    /**
     * Ack-eliciting packets received before an ACK is sent at once (RFC 9000 §13.2.2
     * recommends 2; the ACK-frequency extension lets a sender ask for more).
     * \param threshold at least 1
     */
    void SetAckElicitingThreshold(uint32_t threshold);

    /// \return true if some received ack-eliciting packet is not acknowledged yet
    bool IsAckPending() const;

    /// \return true if anything was received at all (an ACK frame can be built)
    bool HasReceived() const;

    /// \return the time the oldest unacknowledged ack-eliciting packet arrived
    Time GetAckPendingSince() const;

    /// \return the largest packet number received
    uint64_t GetLargestReceived() const;

    /**
     * Builds an ACK frame of everything received.
     * \param now the time it will be sent (for ACK Delay)
     * \param ackDelayExponent our ack_delay_exponent
     * \param withEcn whether to carry ECN counts (ACK_ECN)
     * \return the frame
     */
    QuicSubheader BuildAckFrame(Time now, uint8_t ackDelayExponent, bool withEcn) const;

    /**
     * Writes the bytes BuildAckFrame(now, ackDelayExponent, withEcn).Encode(writer) would
     * write, without building the frame (an ns3::Header and three vectors per ACK).
     * \param writer where the frame goes
     * \param now the time it will be sent (for ACK Delay)
     * \param ackDelayExponent our ack_delay_exponent
     * \param withEcn whether to carry ECN counts (ACK_ECN)
     * \param maxSize room left: a larger frame is not written
     * \param [out] largest the largest packet number acknowledged
     * \param [out] frameType ACK or ACK_ECN
     * \return the bytes written, 0 when the frame needs more than maxSize
     */
    uint32_t WriteAckFrame(QuicByteWriter& writer,
                           Time now,
                           uint8_t ackDelayExponent,
                           bool withEcn,
                           uint32_t maxSize,
                           uint64_t& largest,
                           uint64_t& frameType) const;

    /// The ACK built last was sent: the pending state resets.
    void OnAckSent();

    /**
     * The peer acknowledged a packet of ours that carried an ACK acknowledging up to
     * largestAcked: ranges below it need not be repeated (RFC 9000 §13.2.4).
     * \param largestAcked largest number that ACK acknowledged
     */
    void OnAckOfAck(uint64_t largestAcked);

    /**
     * \return true if the peer has not yet acknowledged an ACK frame of ours covering the
     *         largest ack-eliciting packet received: the ACK that would tell it so may have
     *         been lost, so packets sent anyway should carry a fresh one (RFC 9000 §13.2.4
     *         ack-of-ack tracking)
     */
    bool HasUnconfirmedAck() const;

    /// \return number of packets received with each ECN codepoint (RFC 9000 §13.4.1)
    const QuicEcnCounts& GetEcnCounts() const;

    /// \return number of ranges currently held
    std::size_t GetRangeCount() const;

  private:
    /**
     * RFC 9000 §19.3: the ACK Delay field, microseconds since the largest packet arrived
     * scaled down by ack_delay_exponent.
     * \param now the current time
     * \param ackDelayExponent our ack_delay_exponent
     * \return the encoded delay
     */
    uint64_t EncodeAckDelay(Time now, uint8_t ackDelayExponent) const;

    std::map<uint64_t, uint64_t> m_ranges; //!< received intervals, low → high
    bool m_hasReceived{false};             //!< anything received
    uint64_t m_largest{0};                 //!< largest received
    Time m_largestTime;                    //!< arrival of the largest
    uint32_t m_unackedElicting{0};         //!< ack-eliciting received since the last ACK
    uint32_t m_ackThreshold{2};            //!< see SetAckElicitingThreshold
    Time m_pendingSince;                   //!< arrival of the first of those
    bool m_immediate{false};               //!< an ACK is due now
    QuicEcnCounts m_ecn;                   //!< ECN counts
    uint64_t m_forgottenBelow{0};          //!< numbers below were received or are too old
    bool m_hasElicting{false};             //!< an ack-eliciting packet was received
    uint64_t m_largestElicting{0};         //!< largest ack-eliciting packet number received
    bool m_hasConfirmed{false};            //!< the peer acknowledged one of our ACK frames
    uint64_t m_confirmedUpTo{0};           //!< largest number such a confirmed ACK covered
};

} // namespace ns3

#endif /* QUIC_RECEIVED_PACKET_TRACKER_H */

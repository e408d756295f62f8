/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Loss detection and probe timeouts of RFC 9002 §6, across the three packet-number spaces.
 */

#ifndef QUIC_LOSS_RECOVERY_H
#define QUIC_LOSS_RECOVERY_H

#include "quic-congestion-bridge.h"
#include "quic-deadline-timer.h"
#include "quic-ecn.h"
#include "quic-rtt-estimator.h"
#include "quic-sent-packet-map.h"
#include "quic-spurious-loss-detector.h"
#include "quic-subheader.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <array>
#include <functional>
#include <optional>

namespace ns3
{

/**
 * \ingroup quic
 * The three packet-number spaces of RFC 9000 §12.3.
 */
enum class QuicPacketNumberSpace : uint8_t
{
    INITIAL = 0,     //!< Initial packets
    HANDSHAKE = 1,   //!< Handshake packets
    APPLICATION = 2, //!< 0-RTT and 1-RTT packets
};

/// Number of packet-number spaces.
constexpr std::size_t kQuicPacketNumberSpaces = 3;

/// \return a space's name, for logs
const char* QuicPacketNumberSpaceName(QuicPacketNumberSpace space);

/**
 * \ingroup quic
 * What loss recovery needs from its connection.
 */
class QuicRecoveryListener
{
  public:
    virtual ~QuicRecoveryListener() = default;

    /**
     * A packet was acknowledged: its frames are delivered.
     * \param space its space
     * \param packet the packet
     */
    virtual void OnPacketAcked(QuicPacketNumberSpace space, const QuicSentPacket& packet) = 0;

    /**
     * A packet was declared lost: the information of its frames must be sent again in
     * new packets (RFC 9000 §13.3).
     * \param space its space
     * \param packet the packet
     */
    virtual void OnPacketLost(QuicPacketNumberSpace space, const QuicSentPacket& packet) = 0;

    /**
     * A probe timeout fired: send one or two ack-eliciting packets in this space
     * (RFC 9002 §6.2.4), bypassing the congestion window.
     * \param space the space to probe
     * \param count how many packets
     */
    virtual void SendProbes(QuicPacketNumberSpace space, uint32_t count) = 0;

    /// \return true if a server may not send more before address validation (RFC 9000 §8.1)
    virtual bool IsAtAmplificationLimit() const = 0;

    /// \return true once this endpoint knows the peer validated its address (RFC 9002 §6.2.2.1)
    virtual bool HasPeerCompletedAddressValidation() const = 0;

    /// \return true once the handshake is confirmed (RFC 9001 §4.1.2)
    virtual bool IsHandshakeConfirmed() const = 0;

    /**
     * \param space a space
     * \return true if keys for it are available (it has not been discarded)
     */
    virtual bool HasKeys(QuicPacketNumberSpace space) const = 0;

    /**
     * The probe timeout about to be armed, which the connection may change (the
     * compute_pto protocol operation, so plugins can replace the retransmission timer).
     * \param space the space probed
     * \param duration the RFC 9002 duration, backoff included
     * \return the duration to use
     */
    virtual Time AdjustPtoDuration(QuicPacketNumberSpace space, Time duration)
    {
        return duration;
    }

    /**
     * An RTT sample was taken (RFC 9002 §5.1), after the estimator was updated.
     * \param sample the sample
     */
    virtual void OnRttSample(Time sample)
    {
    }

    /**
     * An ACK covered a packet declared lost earlier (a spurious loss, RFC 9002 §6.1.1).
     * \param space its space
     * \param packetNumber its number
     */
    virtual void OnSpuriousLoss(QuicPacketNumberSpace space, uint64_t packetNumber)
    {
    }
};

/**
 * \ingroup quic
 * Loss detection (RFC 9002 §6 and Appendix A) for one connection.
 *
 * It keeps the sent packets of each space (QuicSentPacketMap), takes RTT samples,
 * detects losses by packet threshold (3) and time threshold (9/8 RTT), arms the loss
 * detection timer (earliest loss time, else probe timeout with exponential backoff),
 * establishes persistent congestion, counts bytes in flight, and reports to the
 * connection and to congestion control.
 */
class QuicLossRecovery
{
  public:
    /// RFC 9002 §6.1.1: kPacketThreshold.
    static constexpr uint64_t kPacketThreshold = 3;
    /// RFC 9002 §7.6: kPersistentCongestionThreshold.
    static constexpr uint32_t kPersistentCongestionThreshold = 3;

    /**
     * \param listener the connection
     * \param tcb congestion state (bytes in flight, RTT fields are kept up to date)
     * \param cc congestion control
     * \param initialRtt RTT before the first sample
     */
    QuicLossRecovery(QuicRecoveryListener& listener,
                     Ptr<QuicSocketState> tcb,
                     QuicCongestionBridge& cc,
                     Time initialRtt);

    ~QuicLossRecovery();

    /**
     * \param ecn the connection's ECN sender (validates ACK_ECN counts; nullptr: the CE
     *        count of every ACK_ECN is trusted)
     */
    void SetEcnController(QuicEcnController* ecn);

    /**
     * \param maxAckDelay the peer's max_ack_delay (from its transport parameters)
     */
    void SetPeerMaxAckDelay(Time maxAckDelay);

    /**
     * RFC 9002 §A.5: a packet was sent.
     * \param space its space
     * \param packet the packet (moved in)
     */
    void OnPacketSent(QuicPacketNumberSpace space, QuicSentPacket&& packet);

    /**
     * RFC 9002 §A.7: an ACK frame arrived.
     * \param space the space it acknowledges
     * \param ack the frame
     * \param ackDelayExponent the peer's ack_delay_exponent
     * \return false if it acknowledges a packet never sent (a PROTOCOL_VIOLATION)
     */
    bool OnAckReceived(QuicPacketNumberSpace space,
                       const QuicSubheader& ack,
                       uint8_t ackDelayExponent);

    /**
     * A space's keys are discarded (RFC 9002 §6.4): its packets leave flight.
     * \param space the space
     */
    void DiscardSpace(QuicPacketNumberSpace space);

    /// Re-arms the loss detection timer (after sending, or when limits change).
    void SetLossDetectionTimer();

    /// Stops the timer (the connection is closing).
    void Stop();

    /// \return the RTT estimator
    const QuicRttEstimator& GetRtt() const;

    /// \return the current probe timeout period without backoff, for APPLICATION
    Time GetPtoPeriod() const;

    /// \return pto_count
    uint32_t GetPtoCount() const;

    /**
     * \param space a space
     * \return true if ack-eliciting packets are in flight in it
     */
    bool HasAckElicitingInFlight(QuicPacketNumberSpace space) const;

    /**
     * \param space a space
     * \return its sent-packet map
     */
    const QuicSentPacketMap& GetSentPackets(QuicPacketNumberSpace space) const;

    /**
     * Visits the outstanding packets of a space, oldest first.
     * \param space the space
     * \param f called with each packet; returns false to stop
     */
    void ForEachOutstanding(QuicPacketNumberSpace space,
                            const std::function<bool(const QuicSentPacket&)>& f);

    /// \return the time the loss detection timer fires (zero if not armed)
    Time GetTimerExpiry() const;

    /**
     * \param space a space
     * \return the largest packet number the peer acknowledged in it, if any
     */
    std::optional<uint64_t> GetLargestAcked(QuicPacketNumberSpace space) const;

    /// \return packets declared lost so far
    uint64_t GetLostPacketCount() const;

    /// \return probe timeouts that fired so far
    uint64_t GetPtoFiredCount() const;

    /// \return RTT samples taken so far
    uint64_t GetRttSampleCount() const;

    /// \return packets declared lost and acknowledged afterwards (QuicSpuriousLossDetector)
    uint64_t GetSpuriousLossCount() const;

  private:
    /// State of one space.
    struct Space
    {
        QuicSentPacketMap sent;                //!< outstanding packets
        bool hasLargestAcked{false};           //!< an ACK was received
        uint64_t largestAcked{0};              //!< largest acknowledged
        Time lossTime{Seconds(0)};             //!< time-threshold loss deadline (0: none)
        Time lastAckElicitingSent{Seconds(0)}; //!< time_of_last_ack_eliciting_packet
        uint32_t ackElicitingInFlight{0};      //!< ack-eliciting packets in flight
        uint64_t ecnCe{0};                     //!< largest ECN-CE count reported
        QuicSpuriousLossDetector spurious;     //!< recently lost numbers
    };

    /**
     * RFC 9002 §A.10: declares lost what the thresholds say.
     * \param space the space
     */
    void DetectAndRemoveLostPackets(QuicPacketNumberSpace space);

    /// RFC 9002 §A.9: the timer fired.
    void OnLossDetectionTimeout();

    /**
     * RFC 9002 §A.8.
     * \param [out] space the space whose PTO comes first
     * \return the PTO expiry time, or zero if none
     */
    Time GetPtoTimeAndSpace(QuicPacketNumberSpace& space) const;

    /**
     * \param [out] space the space with the earliest loss time
     * \return the earliest loss time, or zero
     */
    Time GetEarliestLossTime(QuicPacketNumberSpace& space) const;

    /**
     * Removes a packet from flight accounting.
     * \param s its space
     * \param p the packet
     */
    void RemoveFromFlight(Space& s, const QuicSentPacket& p);

    /// \return true if any space has ack-eliciting packets in flight
    bool AnyAckElicitingInFlight() const;

    QuicRecoveryListener& m_listener;                    //!< the connection
    Ptr<QuicSocketState> m_tcb;                          //!< congestion state
    QuicCongestionBridge& m_cc;                          //!< congestion control
    QuicRttEstimator m_rtt;                              //!< RTT estimator
    std::array<Space, kQuicPacketNumberSpaces> m_spaces; //!< per-space state
    Time m_peerMaxAckDelay{MilliSeconds(25)};            //!< peer's max_ack_delay
    uint32_t m_ptoCount{0};                              //!< pto_count
    Time m_firstRttSampleTime{Seconds(-1)};              //!< time of the first RTT sample
    QuicDeadlineTimer m_timer;                           //!< loss detection timer
    uint64_t m_lostPackets{0};                           //!< packets declared lost
    uint64_t m_ptoFired{0};                              //!< probe timeouts fired
    uint64_t m_rttSamples{0};                            //!< RTT samples taken
    uint64_t m_spuriousLosses{0};                        //!< lost, then acknowledged
    QuicEcnController* m_ecn{nullptr};                   //!< ECN validation, if any

    // OnAckReceived's lists, kept between ACKs so that an ACK allocates none.
    std::vector<uint64_t> m_newlyAckedScratch;           //!< newly acknowledged numbers
    std::vector<QuicAckedPacketInfo> m_ackedInfoScratch; //!< their congestion-control view
};

} // namespace ns3

#endif /* QUIC_LOSS_RECOVERY_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ECN on a QUIC path: marking, validation of the peer's counts, and the congestion signal.
 */

#ifndef QUIC_ECN_H
#define QUIC_ECN_H

#include "quic-congestion-bridge.h"
#include "quic-socket-state.h"
#include "quic-subheader.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * ECN validation states of a path (RFC 9000 §13.4.2, Appendix A.4).
 */
enum QuicEcnState
{
    ECN_DISABLED = 0, //!< ECN not used (attribute off): nothing marked
    ECN_TESTING,      //!< the first packets are marked and their counts awaited
    ECN_UNKNOWN,      //!< testing packets sent, no verdict yet: nothing marked
    ECN_FAILED,       //!< the path or the peer mangles ECN: nothing marked any more
    ECN_CAPABLE,      //!< counts validated: every packet marked
};

/**
 * \param state a state
 * \return its name ("testing", "capable", …)
 */
const char* QuicEcnStateName(QuicEcnState state);

/**
 * \ingroup quic
 * The sender side of ECN for one connection (path 0).
 *
 * It decides the codepoint of every datagram (ECT(0), or ECT(1) when the algorithm asks
 * for it, as TcpDctcp does), and checks each ACK_ECN frame against what was sent
 * (RFC 9000 §13.4.2.1): counts that decrease, that do not cover the newly acknowledged
 * ECT packets, or an ACK without counts that acknowledges ECT packets make validation
 * fail and marking stop; the transfer goes on without ECN. During testing only the first
 * kTestingPackets datagrams are marked; if every one of them is lost the path is
 * assumed to drop marked packets and ECN fails too. A validated rise of the CE count is
 * the congestion signal (RFC 9002 §7.1), returned to loss recovery.
 */
class QuicEcnController
{
  public:
    /// RFC 9000 §A.4: datagrams marked while testing.
    static constexpr uint32_t kTestingPackets = 10;

    /// Callback told of every state change (old, new).
    using StateCallback = std::function<void(QuicEcnState, QuicEcnState)>;

    QuicEcnController() = default;

    /**
     * Starts using ECN: the path enters ECN_TESTING.
     * \param codepoint the ECT codepoint to mark with (2: ECT(0), 1: ECT(1))
     */
    void Enable(uint8_t codepoint);

    /// \param cb called on every state change
    void SetStateCallback(StateCallback cb);

    /// \return the current state
    QuicEcnState GetState() const;

    /// \return the codepoint the next datagram carries (0: Not-ECT)
    uint8_t GetCodepointToSend() const;

    /**
     * A datagram left.
     * \param codepoint its codepoint (as returned by GetCodepointToSend)
     * \param packets QUIC packets it carried
     */
    void OnDatagramSent(uint8_t codepoint, uint32_t packets);

    /**
     * A packet was declared lost.
     * \param codepoint the codepoint it was sent with
     */
    void OnPacketLost(uint8_t codepoint);

    /**
     * An ACK frame arrived (RFC 9000 §13.4.2.1).
     * \param space its packet-number space (0..2)
     * \param ack the frame
     * \param largestIncreased it raised the largest acknowledged packet number
     * \param ect0Acked packets sent with ECT(0) that it newly acknowledges
     * \param ect1Acked packets sent with ECT(1) that it newly acknowledges
     * \return the rise of the CE count to react to (0 when none, or when not validated)
     */
    uint64_t OnAckReceived(std::size_t space,
                           const QuicSubheader& ack,
                           bool largestIncreased,
                           uint64_t ect0Acked,
                           uint64_t ect1Acked);

    /// \return CE marks reported by the peer (validated rises, all spaces)
    uint64_t GetCeMarks() const;

    /// \return datagrams sent with an ECT codepoint
    uint64_t GetMarkedDatagrams() const;

    /// \return why validation failed (empty if it did not)
    const std::string& GetFailureReason() const;

    /**
     * Passes newly acknowledged packets to congestion control when the ACK reported new
     * CE marks. TcpDctcp counts marked bytes in PktsAcked while TcpSocketState::m_ecnState
     * is ECN_ECE_RCVD (as TCP sets it for an ACK with ECE); its CwndEvent(ECN_IS_CE/NO_CE)
     * is receiver behaviour that dereferences TCP's receive buffer, so it is never called.
     * Here the marked packets (as many as the CE count rose, newest first) are passed in
     * one call with that state, the others in a second call, so DCTCP's alpha sees the
     * fraction of marked bytes. Other algorithms get the usual single call (so per-ACK
     * samples such as delivery rates are not split).
     * \param cc congestion control
     * \param tcb the state
     * \param acked the packets (sent order)
     * \param rttSample the ACK's RTT sample (zero if none)
     * \param ackDelay the ACK's ack_delay
     * \param priorInFlight bytes in flight before the ACK
     * \param newCe the rise of the CE count
     */
    static void DeliverMarkedAck(QuicCongestionBridge& cc,
                                 Ptr<QuicSocketState> tcb,
                                 const std::vector<QuicAckedPacketInfo>& acked,
                                 Time rttSample,
                                 Time ackDelay,
                                 uint32_t priorInFlight,
                                 uint64_t newCe);

  private:
    /**
     * \param state the new state
     */
    void SetState(QuicEcnState state);

    /**
     * Validation failed: marking stops.
     * \param reason why
     */
    void Fail(const std::string& reason);

    /// What one space has seen.
    struct SpaceCounts
    {
        QuicEcnCounts reported;  //!< counts of the last ACK processed
        uint64_t pendingEct0{0}; //!< ECT(0) packets acknowledged since then
        uint64_t pendingEct1{0}; //!< ECT(1) packets acknowledged since then
    };

    QuicEcnState m_state{ECN_DISABLED};  //!< state
    uint8_t m_codepoint{2};              //!< ECT codepoint used
    StateCallback m_stateCb;             //!< state observer
    std::array<SpaceCounts, 3> m_spaces; //!< per packet-number space
    uint32_t m_testingDatagrams{0};      //!< datagrams marked while testing
    uint64_t m_testingPacketsSent{0};    //!< QUIC packets marked while testing
    uint64_t m_testingPacketsLost{0};    //!< of those, declared lost
    uint64_t m_ceMarks{0};               //!< CE marks reported
    uint64_t m_markedDatagrams{0};       //!< datagrams marked
    std::string m_failure;               //!< why it failed
};

} // namespace ns3

#endif /* QUIC_ECN_H */

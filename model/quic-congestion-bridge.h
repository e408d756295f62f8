/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Drives a connection's congestion window from QUIC's recovery events.
 */

#ifndef QUIC_CONGESTION_BRIDGE_H
#define QUIC_CONGESTION_BRIDGE_H

#include "quic-congestion-control.h"
#include "quic-pacer.h"
#include "quic-rate-sampler.h"
#include "quic-sent-packet-map.h"
#include "quic-socket-state.h"

#include "ns3/tcp-congestion-ops.h"
#include "ns3/tcp-recovery-ops.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * One packet acknowledged, as congestion control sees it.
 */
struct QuicAckedPacketInfo
{
    uint32_t bytes{0};      //!< its size
    Time timeSent;          //!< when it was sent
    bool appLimited{false}; //!< the sender was not cwnd-limited when it was sent
    uint64_t delivered{0};  //!< rate stamp: bytes delivered when it was sent
    Time deliveredTime;     //!< rate stamp: time of that delivery count
    Time firstSentTime;     //!< rate stamp: start of its send interval
};

/**
 * \ingroup quic
 * The seam between loss recovery and congestion control.
 *
 * With a QuicCongestionControl (native), QUIC's events are passed through as they are.
 * With any other TcpCongestionOps (legacy: every algorithm shipped with ns-3.37) they are
 * translated into the calls ns-3's TcpSocketBase makes, in its order:
 *
 * - ACK in CA_OPEN: PktsAcked(segments, rtt) then IncreaseWindow(segments); segments are
 *   acknowledged bytes / max_datagram_size, the remainder carried to the next ACK. rtt
 *   is this ACK's sample, or the latest one (TCP passes m_lastRtt).
 * - first loss of a recovery period (RFC 9002 §7.3.2: a lost packet sent after the
 *   period began): CongestionStateSet(CA_RECOVERY), ssthresh = GetSsThresh(tcb, bytes in
 *   flight), then, unless HasCongControl(), the window is set by TCP's fast-recovery
 *   algorithm (a TcpRecoveryOps, ns-3 TCP's RecoveryType): EnterRecovery at the start,
 *   DoRecovery on every ACK of the period, UpdateBytesSent for every packet sent in it,
 *   ExitRecovery at its end. TcpPrrRecovery (ns-3 TCP's default, RFC 6937) brings cwnd
 *   down to ssthresh over one round trip, sending about one packet per two delivered;
 *   TcpClassicRecovery sets cwnd = ssthresh at once. RFC 9002 §7.3.2 allows both. Without
 *   a recovery algorithm (null) the bridge behaves as TcpClassicRecovery.
 * - first ACK of a packet sent after the period began: PktsAcked,
 *   CwndEvent(CA_EVENT_COMPLETE_CWR), CongestionStateSet(CA_OPEN), cwnd = ssthresh,
 *   ExitRecovery, IncreaseWindow — TCP's exit from fast recovery on a full ACK.
 * - persistent congestion (RFC 9002 §7.6), QUIC's equivalent of TCP's retransmission
 *   timeout: GetSsThresh, CongestionStateSet(CA_LOSS), cwnd = minimum window; in CA_LOSS
 *   ACKs call PktsAcked and IncreaseWindow (slow start back), as TCP does.
 * - ECN-CE (OnEcnCongestion): TCP's EnterCwr: ssthresh = GetSsThresh, state CA_CWR
 *   without CongestionStateSet (TCP does not call it for CWR), cwnd = ssthresh; on exit
 *   state CA_OPEN, cwnd = ssthresh, CwndEvent(CA_EVENT_COMPLETE_CWR).
 * - a packet sent with nothing in flight: CwndEvent(CA_EVENT_TX_START).
 * - HasCongControl() (TcpBbr): after every ACK, CongControl(tcb, rate connection,
 *   rate sample) with the QuicRateSampler's figures.
 *
 * QUIC has no DISORDER state (loss is declared by packet or time threshold at once) and
 * no retransmission timeout that shrinks the window (a PTO does not, RFC 9002 §6.2), so
 * neither CA_DISORDER nor a PTO reaches the algorithm. ns-3.37's TcpCongestionOps has
 * no ReduceCwnd: the reduction is the recovery algorithm's (classic: cwnd = ssthresh).
 *
 * TCP timestamps: TcpLedbat and TcpLp compute one-way delay as m_rcvTimestampValue −
 * m_rcvTimestampEchoReply. QUIC carries no timestamps, so the bridge writes a delay
 * signal of its own into those fields on every ACK (in ms, never 0): EchoReply = send
 * time of the newest packet acknowledged, Value = ACK arrival time − the peer's
 * ack_delay. Their difference is the round-trip time without the peer's ACK delay; both
 * algorithms only compare it with its running minimum, so the constant part cancels and
 * what remains is queueing delay — on both directions of the path, where TCP's would
 * see only the forward one (a modelling choice, documented in quic.rst).
 *
 * ECN: TcpDctcp's CwndEvent(CA_EVENT_ECN_IS_CE / CA_EVENT_ECN_NO_CE) is TCP *receiver*
 * behaviour (it reads tcb->m_rxBuffer and sends empty packets): the bridge never raises
 * these two events. A sender learns of CE marks from ACK_ECN counts: call OnEcnEcho()
 * once per ACK frame, before OnPacketsAcked(), which sets m_ecnState to ECN_ECE_RCVD or
 * ECN_IDLE — DCTCP's PktsAcked counts the bytes acknowledged under ECE to compute
 * alpha — and OnEcnCongestion() when the CE count rose (the window reduction).
 */
class QuicCongestionBridge
{
  public:
    /**
     * \param tcb the connection's state (m_pacing already set from the socket's attribute)
     * \param cc the algorithm (never null)
     * \param recovery TCP's fast-recovery algorithm for a legacy algorithm's loss recovery
     *        periods (see the class comment); null: cwnd = ssthresh at once. Unused for a
     *        native algorithm.
     */
    QuicCongestionBridge(Ptr<QuicSocketState> tcb,
                         Ptr<TcpCongestionOps> cc,
                         Ptr<TcpRecoveryOps> recovery = nullptr);

    /// \return true if the algorithm is QUIC-native
    bool IsNative() const;

    /// \return the algorithm
    Ptr<TcpCongestionOps> GetAlgorithm() const;

    /// \return true if the algorithm sets cwnd and pacing rate itself (CongControl)
    bool HasCongControl() const;

    /// \return the pacer (RFC 9002 §7.7)
    QuicPacer& GetPacer();

    /// \return the delivery-rate sampler
    const QuicRateSampler& GetRateSampler() const;

    /**
     * The handshake completed: CongestionStateSet(CA_OPEN), as TcpSocketBase calls it on
     * entering ESTABLISHED (TcpBbr initialises itself there, TcpVegas, TcpVeno and
     * TcpIllinois switch their delay machinery on), and a first pacing rate.
     */
    void OnConnectionEstablished();

    /**
     * A packet is about to be sent: stamps its delivery-rate fields and raises
     * CA_EVENT_TX_START if nothing was in flight (as TcpSocketBase before a data segment).
     * \param packet the packet (rate fields written)
     * \param priorInFlight bytes in flight before it
     */
    void StampPacket(QuicSentPacket& packet, uint32_t priorInFlight);

    /**
     * A packet was sent (bytes in flight already counted).
     * \param packetNumber its number
     * \param bytes its size
     * \param ackEliciting whether it is ack-eliciting
     */
    void OnPacketSent(uint64_t packetNumber, uint32_t bytes, bool ackEliciting);

    /**
     * Packets newly acknowledged by one ACK frame (bytes in flight already reduced).
     * \param acked the in-flight packets acknowledged
     * \param rttSample the RTT sample this ACK gave, or zero if none
     * \param ackDelay the ACK's ack_delay (zero outside the application space)
     * \param priorInFlight bytes in flight before the ACK was processed
     */
    void OnPacketsAcked(const std::vector<QuicAckedPacketInfo>& acked,
                        Time rttSample,
                        Time ackDelay,
                        uint32_t priorInFlight);

    /**
     * Packets declared lost by one detection pass (bytes in flight already reduced).
     * \param lostBytes bytes lost
     * \param newestLostTimeSent send time of the newest packet lost
     * \param persistentCongestion RFC 9002 §7.6 established
     */
    void OnPacketsLost(uint32_t lostBytes, Time newestLostTimeSent, bool persistentCongestion);

    /**
     * The peer reported new ECN-CE marks (RFC 9002 §7.1): a congestion event that
     * enters CA_CWR for legacy algorithms.
     * \param newestAckedTimeSent send time of the newest packet the ACK acknowledged
     */
    void OnEcnCongestion(Time newestAckedTimeSent);

    /**
     * ECN feedback of one ACK frame, for algorithms that count marked bytes (TcpDctcp):
     * sets m_ecnState to ECN_ECE_RCVD if ceIncreased, else back to ECN_IDLE (unless ECN
     * is disabled). Call before OnPacketsAcked for the same ACK.
     * \param ceIncreased the ACK's ECN-CE count rose
     */
    void OnEcnEcho(bool ceIncreased);

    /// A probe timeout fired (the window is not changed, RFC 9002 §6.2).
    void OnProbeTimeout();

    /**
     * The sender had window to send but no data (RFC 9002 §7.8): rate samples until
     * what is in flight is delivered are marked application-limited.
     */
    void OnApplicationLimited();

  private:
    /**
     * Enters a congestion state.
     * \param state the new state
     * \param notify call CongestionStateSet first (TCP does not for CA_CWR)
     */
    void SetState(TcpSocketState::TcpCongState_t state, bool notify);

    /**
     * Raises a CwndEvent; never the receiver-side ECN events (see the class comment).
     * \param event the event
     */
    void CwndEvent(TcpSocketState::TcpCAEvent_t event);

    /// Pacing rate after a window change (when the algorithm does not set it itself).
    void UpdatePacingRate();

    /**
     * \param t a time
     * \return it as a TCP timestamp value (ms, never 0)
     */
    static uint32_t ToTimestamp(Time t);

    Ptr<QuicSocketState> m_tcb;          //!< state
    Ptr<TcpCongestionOps> m_cc;          //!< the algorithm
    Ptr<QuicCongestionControl> m_native; //!< the algorithm when native
    bool m_congControl{false};           //!< m_cc->HasCongControl()
    bool m_established{false};           //!< OnConnectionEstablished ran
    uint32_t m_ackedRemainder{0};        //!< acknowledged bytes not yet worth a segment
    QuicRateSampler m_rate;              //!< delivery-rate samples
    QuicPacer m_pacer;                   //!< pacing
    Time m_pendingRtt{0};                //!< smallest RTT sample not yet given to PktsAcked
    Ptr<TcpRecoveryOps> m_recoveryOps;   //!< TCP's fast-recovery algorithm, or null
};

} // namespace ns3

#endif /* QUIC_CONGESTION_BRIDGE_H */

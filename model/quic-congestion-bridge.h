/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Drives a connection's congestion window from QUIC's recovery events.
 */

#ifndef QUIC_CONGESTION_BRIDGE_H
#define QUIC_CONGESTION_BRIDGE_H

#include "quic-congestion-control.h"
#include "quic-socket-state.h"

#include "ns3/tcp-congestion-ops.h"

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
};

/**
 * \ingroup quic
 * The seam between loss recovery and congestion control.
 *
 * With a QuicCongestionControl (native), QUIC's events are passed through as they are.
 * With any other TcpCongestionOps (legacy: TcpNewReno, TcpCubic, …) they are translated
 * into the calls ns-3's TcpSocketBase makes, at the moments it makes them: PktsAcked and
 * IncreaseWindow (acknowledged bytes converted to segments exactly, the remainder carried
 * to the next ACK), GetSsThresh at the start of a loss episode, CongestionStateSet on
 * every state change. QUIC has no DISORDER state: recovery periods map onto CA_OPEN,
 * CA_RECOVERY and CA_LOSS (persistent congestion).
 */
class QuicCongestionBridge
{
  public:
    /**
     * \param tcb the connection's state
     * \param cc the algorithm (never null)
     */
    QuicCongestionBridge(Ptr<QuicSocketState> tcb, Ptr<TcpCongestionOps> cc);

    /// \return true if the algorithm is QUIC-native
    bool IsNative() const;

    /// \return the algorithm
    Ptr<TcpCongestionOps> GetAlgorithm() const;

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
     */
    void OnPacketsAcked(const std::vector<QuicAckedPacketInfo>& acked, Time rttSample);

    /**
     * Packets declared lost by one detection pass (bytes in flight already reduced).
     * \param lostBytes bytes lost
     * \param newestLostTimeSent send time of the newest packet lost
     * \param persistentCongestion RFC 9002 §7.6 established
     */
    void OnPacketsLost(uint32_t lostBytes, Time newestLostTimeSent, bool persistentCongestion);

    /**
     * The peer reported new ECN-CE marks (RFC 9002 §7.1).
     * \param newestAckedTimeSent send time of the newest packet the ACK acknowledged
     */
    void OnEcnCongestion(Time newestAckedTimeSent);

    /// A probe timeout fired.
    void OnProbeTimeout();

  private:
    /**
     * A congestion event for legacy algorithms.
     * \param timeSent send time of the packet that triggered it
     * \param state the congestion state to enter (CA_RECOVERY, CA_CWR)
     */
    void LegacyCongestionEvent(Time timeSent, TcpSocketState::TcpCongState_t state);

    /**
     * Enters a congestion state, telling the algorithm first.
     * \param state the new state
     */
    void SetState(TcpSocketState::TcpCongState_t state);

    Ptr<QuicSocketState> m_tcb;          //!< state
    Ptr<TcpCongestionOps> m_cc;          //!< the algorithm
    Ptr<QuicCongestionControl> m_native; //!< the algorithm when native
    uint32_t m_ackedRemainder{0};        //!< acknowledged bytes not yet worth a segment
    Time m_pendingRtt{0};                //!< smallest RTT sample not yet given to PktsAcked
};

} // namespace ns3

#endif /* QUIC_CONGESTION_BRIDGE_H */

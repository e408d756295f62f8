/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QUIC-native congestion control (RFC 9002 §7).
 */

#ifndef QUIC_CONGESTION_CONTROL_H
#define QUIC_CONGESTION_CONTROL_H

#include "quic-socket-state.h"

#include "ns3/tcp-congestion-ops.h"

namespace ns3
{

/**
 * \ingroup quic
 * The congestion controller of RFC 9002 §7 (NewReno with byte counting) and the base
 * class of QUIC-native congestion controllers.
 *
 * It is a TcpCongestionOps, so it is chosen like any ns-3 TCP algorithm through
 * ns3::QuicL4Protocol::SocketType; unlike them it receives QUIC's own events: every packet
 * sent, every packet acknowledged with its send time, losses with the send time of the
 * newest lost packet, persistent congestion, ECN-CE and probe timeouts. Subclasses
 * override these to build other QUIC-native algorithms.
 */
class QuicCongestionControl : public TcpCongestionOps
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicCongestionControl();

    /**
     * Copy constructor.
     * \param other the object to copy
     */
    QuicCongestionControl(const QuicCongestionControl& other);

    // TcpCongestionOps
    std::string GetName() const override;
    uint32_t GetSsThresh(Ptr<const TcpSocketState> tcb, uint32_t bytesInFlight) override;
    void IncreaseWindow(Ptr<TcpSocketState> tcb, uint32_t segmentsAcked) override;
    Ptr<TcpCongestionOps> Fork() override;

    /**
     * RFC 9002 §7.2: the initial window, min(10 * max_datagram_size,
     * max(14720, 2 * max_datagram_size)).
     * \param maxDatagramSize max_datagram_size
     * \return the initial congestion window in bytes
     */
    static uint32_t GetInitialWindow(uint32_t maxDatagramSize);

    /**
     * A packet was sent (bytes in flight are already counted by the caller).
     * \param tcb state
     * \param packetNumber its number
     * \param bytes its size
     * \param ackEliciting whether it is ack-eliciting
     */
    virtual void OnPacketSent(Ptr<QuicSocketState> tcb,
                              uint64_t packetNumber,
                              uint32_t bytes,
                              bool ackEliciting);

    /**
     * RFC 9002 §7.3.1-7.3.3: an in-flight packet was acknowledged.
     * \param tcb state
     * \param bytes its size
     * \param timeSent when it was sent
     * \param appLimited whether the sender was application- or flow-control-limited
     */
    virtual void OnPacketAcked(Ptr<QuicSocketState> tcb,
                               uint32_t bytes,
                               Time timeSent,
                               bool appLimited);

    /**
     * RFC 9002 §7.3.2: a congestion event (loss or ECN-CE).
     * \param tcb state
     * \param timeSent send time of the newest packet lost or marked
     */
    virtual void OnCongestionEvent(Ptr<QuicSocketState> tcb, Time timeSent);

    /**
     * RFC 9002 §7.6.2: persistent congestion; the window collapses to the minimum.
     * \param tcb state
     */
    virtual void OnPersistentCongestion(Ptr<QuicSocketState> tcb);

    /**
     * A probe timeout fired (RFC 9002 §6.2); the window does not change in NewReno.
     * \param tcb state
     */
    virtual void OnProbeTimeout(Ptr<QuicSocketState> tcb);

    /**
     * \param tcb state
     * \param timeSent a packet's send time
     * \return true if it was sent during the current recovery period (RFC 9002 §7.3.2)
     */
    bool InCongestionRecovery(Ptr<const QuicSocketState> tcb, Time timeSent) const;

  private:
    double m_lossReductionFactor; //!< kLossReductionFactor (0.5)
    uint32_t m_caBytesAcked{0};   //!< bytes acked in congestion avoidance, not yet applied
};

} // namespace ns3

#endif /* QUIC_CONGESTION_CONTROL_H */

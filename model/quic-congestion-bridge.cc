/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-congestion-bridge.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicCongestionBridge");

QuicCongestionBridge::QuicCongestionBridge(Ptr<QuicSocketState> tcb,
                                           Ptr<TcpCongestionOps> cc,
                                           Ptr<TcpRecoveryOps> recovery)
    : m_tcb(tcb),
      m_cc(cc),
      m_native(DynamicCast<QuicCongestionControl>(cc)),
      m_pacer(tcb),
      m_recoveryOps(recovery)
{
    NS_ABORT_MSG_IF(!cc, "QuicCongestionBridge: no congestion control algorithm");
    m_congControl = !m_native && m_cc->HasCongControl();
    m_cc->Init(m_tcb); // TcpBbr switches pacing on here, TcpDctcp its ECN mode
    if (m_tcb->m_pacing && !m_congControl)
    {
        UpdatePacingRate();
    }
}

bool
QuicCongestionBridge::IsNative() const
{
    return m_native != nullptr;
}

Ptr<TcpCongestionOps>
QuicCongestionBridge::GetAlgorithm() const
{
    return m_cc;
}

bool
QuicCongestionBridge::HasCongControl() const
{
    return m_congControl;
}

QuicPacer&
QuicCongestionBridge::GetPacer()
{
    return m_pacer;
}

const QuicRateSampler&
QuicCongestionBridge::GetRateSampler() const
{
    return m_rate;
}

uint32_t
QuicCongestionBridge::ToTimestamp(Time t)
{
    return static_cast<uint32_t>(std::max<int64_t>(t.GetMilliSeconds(), 0)) + 1;
}

void
QuicCongestionBridge::OnConnectionEstablished()
{
    NS_LOG_FUNCTION(this);
    if (m_native || m_established)
    {
        return;
    }
    m_established = true;
    m_cc->CongestionStateSet(m_tcb, TcpSocketState::CA_OPEN);
    UpdatePacingRate();
}

void
QuicCongestionBridge::StampPacket(QuicSentPacket& packet, uint32_t priorInFlight)
{
    if (!packet.inFlight)
    {
        return;
    }
    m_rate.OnPacketSent(packet, priorInFlight);
    if (!m_native && packet.ackEliciting && priorInFlight == 0)
    {
        CwndEvent(TcpSocketState::CA_EVENT_TX_START);
    }
}

void
QuicCongestionBridge::OnPacketSent(uint64_t packetNumber, uint32_t bytes, bool ackEliciting)
{
    if (ackEliciting)
    {
        m_tcb->OnBytesSent(bytes);
        // TcpSocketBase counts every segment sent in recovery (PRR's prr_out).
        if (m_recoveryOps && !m_native && m_tcb->m_congState == TcpSocketState::CA_RECOVERY)
        {
            m_recoveryOps->UpdateBytesSent(bytes);
        }
    }
    if (m_native)
    {
        m_native->OnPacketSent(m_tcb, packetNumber, bytes, ackEliciting);
    }
}

void
QuicCongestionBridge::OnPacketsAcked(const std::vector<QuicAckedPacketInfo>& acked,
                                     Time rttSample,
                                     Time ackDelay,
                                     uint32_t priorInFlight)
{
    NS_LOG_FUNCTION(this << acked.size() << rttSample << priorInFlight);
    uint32_t bytes = 0;
    Time newestSent(0);
    for (const auto& a : acked)
    {
        bytes += a.bytes;
        newestSent = std::max(newestSent, a.timeSent);
        m_rate.OnPacketAcked(a.bytes,
                             a.timeSent,
                             a.delivered,
                             a.deliveredTime,
                             a.firstSentTime,
                             a.appLimited);
    }
    m_tcb->OnBytesAcked(bytes);
    m_tcb->m_lastAckedSackedBytes = bytes;
    if (m_native)
    {
        for (const auto& a : acked)
        {
            // a.appLimited marks a delivery-rate bubble (draft-cheng-iccrg-delivery-rate
            // §3.4), not RFC 9002 §7.8's under-used window: the native controller is not
            // given it, so that its growth stays exactly RFC 9002's.
            m_native->OnPacketAcked(m_tcb, a.bytes, a.timeSent, false);
        }
        // The state is kept for the CongState trace (RFC 9002 §7.3.2 periods).
        if (m_tcb->m_congState != TcpSocketState::CA_OPEN &&
            newestSent > m_tcb->m_recoveryStartTime)
        {
            SetState(TcpSocketState::CA_OPEN, true);
        }
        UpdatePacingRate();
        return;
    }

    // The delay signal LEDBAT and LP read as TCP timestamps (see the class comment).
    m_tcb->m_rcvTimestampEchoReply = ToTimestamp(newestSent);
    m_tcb->m_rcvTimestampValue = ToTimestamp(Simulator::Now() - ackDelay);

    uint32_t total = m_ackedRemainder + bytes;
    uint32_t segments = total / m_tcb->m_segmentSize;
    m_ackedRemainder = total % m_tcb->m_segmentSize;
    // An ACK worth less than a segment (the handshake's packets are smaller) makes no call,
    // as in TCP, but its RTT sample must not be lost: the handshake's are the only ones
    // taken on an empty queue (Vegas's base RTT). The next call gets the smallest sample
    // since the last one; a single call per ACK also keeps two calls out of one instant
    // (coalesced packets), which TcpWestwood rejects.
    if (rttSample.IsStrictlyPositive())
    {
        m_pendingRtt = m_pendingRtt.IsZero() ? rttSample : std::min(m_pendingRtt, rttSample);
    }
    Time rtt = m_tcb->m_lastRtt.Get();
    if (segments > 0 && m_pendingRtt.IsStrictlyPositive())
    {
        rtt = m_pendingRtt;
        m_pendingRtt = Time(0);
    }

    // RFC 9002 §7.3.2: the period ends with the acknowledgment of a packet sent after it
    // began — TCP's full ACK beyond its recovery point.
    TcpSocketState::TcpCongState_t state = m_tcb->m_congState;
    bool periodOver = state != TcpSocketState::CA_OPEN && newestSent > m_tcb->m_recoveryStartTime;
    switch (state)
    {
    case TcpSocketState::CA_CWR:
        if (periodOver)
        {
            // TcpSocketBase::ReceivedAck leaves CWR before processing the ACK as in OPEN.
            SetState(TcpSocketState::CA_OPEN, false);
            if (!m_congControl)
            {
                m_tcb->m_cWnd = std::max(m_tcb->m_ssThresh.Get(), m_tcb->GetMinimumWindow());
                CwndEvent(TcpSocketState::CA_EVENT_COMPLETE_CWR);
            }
            if (segments > 0)
            {
                m_cc->PktsAcked(m_tcb, segments, rtt);
                m_cc->IncreaseWindow(m_tcb, segments);
            }
        }
        else if (segments > 0)
        {
            m_cc->PktsAcked(m_tcb, segments, rtt);
        }
        break;
    case TcpSocketState::CA_RECOVERY:
        if (segments > 0)
        {
            m_cc->PktsAcked(m_tcb, segments, rtt);
        }
        if (!periodOver && !m_congControl && m_recoveryOps && bytes > 0)
        {
            // TcpSocketBase calls DoRecovery on every ACK within recovery that delivers
            // data (dupACKs and partial ACKs) with the bytes it delivered. It lets PRR
            // rebuild a pipe below ssthresh (the slow-start reduction bound) only once a
            // partial ACK covers retransmitted data; a QUIC period ends (RFC 9002 §7.3.2)
            // at the first ACK of a packet sent after it began, before any retransmission
            // can be acknowledged within it, so that condition never holds here: every
            // ACK of the period counts as one, which is RFC 6937 §3's PRR-SSRB. Without
            // it a burst loss leaves the pipe at what is in flight until the period ends
            // and the window then opens to ssthresh in one burst.
            m_tcb->m_isRetransDataAcked = true;
            m_recoveryOps->DoRecovery(m_tcb, bytes);
            m_tcb->m_isRetransDataAcked = false;
            m_tcb->m_cWnd = std::max(m_tcb->m_cWnd.Get(), m_tcb->GetMinimumWindow());
        }
        if (periodOver)
        {
            CwndEvent(TcpSocketState::CA_EVENT_COMPLETE_CWR);
            SetState(TcpSocketState::CA_OPEN, true);
            if (!m_congControl)
            {
                // Algorithms with CongControl set the window right after (TCP writes
                // ssthresh here too, then CongControl overwrites it).
                m_tcb->m_cWnd = std::max(m_tcb->m_ssThresh.Get(), m_tcb->GetMinimumWindow());
                if (m_recoveryOps)
                {
                    m_recoveryOps->ExitRecovery(m_tcb);
                }
            }
            if (segments > 0)
            {
                m_cc->IncreaseWindow(m_tcb, segments);
            }
        }
        break;
    case TcpSocketState::CA_LOSS:
        if (segments > 0)
        {
            m_cc->PktsAcked(m_tcb, segments, rtt);
        }
        if (periodOver)
        {
            SetState(TcpSocketState::CA_OPEN, true);
        }
        if (segments > 0)
        {
            m_cc->IncreaseWindow(m_tcb, segments);
        }
        break;
    default: // CA_OPEN (QUIC never enters CA_DISORDER)
        if (segments > 0)
        {
            m_cc->PktsAcked(m_tcb, segments, rtt);
            m_cc->IncreaseWindow(m_tcb, segments);
        }
        break;
    }
    m_tcb->m_cWndInfl = m_tcb->m_cWnd.Get();

    if (m_congControl)
    {
        const TcpRateOps::TcpRateSample& rs =
            m_rate.GenerateSample(bytes, priorInFlight, m_tcb->m_minRtt);
        m_cc->CongControl(m_tcb, m_rate.GetConnectionRate(), rs);
    }
    else
    {
        UpdatePacingRate();
    }
}

void
QuicCongestionBridge::OnPacketsLost(uint32_t lostBytes,
                                    Time newestLostTimeSent,
                                    bool persistentCongestion)
{
    NS_LOG_FUNCTION(this << lostBytes << newestLostTimeSent << persistentCongestion);
    m_tcb->m_totalBytesLost += lostBytes;
    m_rate.OnPacketsLost(lostBytes);
    if (m_native)
    {
        // States first, as for legacy algorithms (observers see the state change before
        // the reduction): CA_RECOVERY when a new period starts, CA_LOSS on persistent
        // congestion.
        if (!m_native->InCongestionRecovery(m_tcb, newestLostTimeSent))
        {
            SetState(TcpSocketState::CA_RECOVERY, true);
        }
        m_native->OnCongestionEvent(m_tcb, newestLostTimeSent);
        if (persistentCongestion)
        {
            SetState(TcpSocketState::CA_LOSS, true);
            m_native->OnPersistentCongestion(m_tcb);
        }
        UpdatePacingRate();
        return;
    }
    if (persistentCongestion)
    {
        // Like TcpSocketBase's retransmission timeout: one ssthresh computation (unless
        // already in CA_LOSS), CA_LOSS, the window back to the minimum.
        if (m_tcb->m_congState != TcpSocketState::CA_LOSS)
        {
            m_tcb->m_ssThresh = m_cc->GetSsThresh(m_tcb, m_tcb->m_bytesInFlight);
        }
        SetState(TcpSocketState::CA_LOSS, true);
        m_tcb->m_cWnd = m_tcb->GetMinimumWindow();
        m_tcb->m_cWndInfl = m_tcb->m_cWnd.Get();
        m_tcb->m_recoveryStartTime = Simulator::Now();
        m_ackedRemainder = 0;
        UpdatePacingRate();
        return;
    }
    if (newestLostTimeSent <= m_tcb->m_recoveryStartTime)
    {
        return; // RFC 9002 §7.3.2: one reduction per recovery period
    }
    m_tcb->m_recoveryStartTime = Simulator::Now();
    // TcpSocketBase::EnterRecovery: the state first, then ssthresh, then the recovery
    // algorithm (classic: cwnd = ssthresh), skipped for algorithms with CongControl.
    SetState(TcpSocketState::CA_RECOVERY, true);
    m_tcb->m_ssThresh = m_cc->GetSsThresh(m_tcb, m_tcb->m_bytesInFlight);
    if (!m_congControl && m_recoveryOps)
    {
        // TcpSocketBase::EnterRecovery passes the 3 dupACKs, the data outstanding when
        // recovery began (PRR's RecoverFS, RFC 6937 §3: here what was in flight before
        // this loss was declared) and the bytes this ACK delivered: 0 here, since loss
        // detection runs before this ACK's packets reach OnPacketsAcked, whose
        // DoRecovery counts them. RFC 9002 §7.2: never below the minimum window.
        m_recoveryOps->EnterRecovery(m_tcb, 3, m_tcb->m_bytesInFlight + lostBytes, 0);
        m_tcb->m_cWnd = std::max(m_tcb->m_cWnd.Get(), m_tcb->GetMinimumWindow());
    }
    else if (!m_congControl)
    {
        m_tcb->m_cWnd = std::max(m_tcb->m_ssThresh.Get(), m_tcb->GetMinimumWindow());
        m_tcb->m_cWndInfl = m_tcb->m_cWnd.Get();
    }
    UpdatePacingRate();
}

void
QuicCongestionBridge::OnEcnCongestion(Time newestAckedTimeSent)
{
    NS_LOG_FUNCTION(this << newestAckedTimeSent);
    if (m_native)
    {
        if (!m_native->InCongestionRecovery(m_tcb, newestAckedTimeSent))
        {
            SetState(TcpSocketState::CA_CWR, false);
        }
        m_native->OnCongestionEvent(m_tcb, newestAckedTimeSent);
        UpdatePacingRate();
        return;
    }
    if (newestAckedTimeSent <= m_tcb->m_recoveryStartTime ||
        m_tcb->m_congState == TcpSocketState::CA_CWR)
    {
        return; // one reduction per round trip (RFC 9002 §7.3.2, TCP's EnterCwr guard)
    }
    m_tcb->m_recoveryStartTime = Simulator::Now();
    // TcpSocketBase::EnterCwr: ssthresh, then CA_CWR without CongestionStateSet.
    m_tcb->m_ssThresh = m_cc->GetSsThresh(m_tcb, m_tcb->m_bytesInFlight);
    SetState(TcpSocketState::CA_CWR, false);
    if (!m_congControl)
    {
        m_tcb->m_cWnd = std::max(m_tcb->m_ssThresh.Get(), m_tcb->GetMinimumWindow());
        m_tcb->m_cWndInfl = m_tcb->m_cWnd.Get();
    }
    UpdatePacingRate();
}

void
QuicCongestionBridge::OnEcnEcho(bool ceIncreased)
{
    if (m_tcb->m_ecnState == TcpSocketState::ECN_DISABLED)
    {
        return;
    }
    m_tcb->m_ecnState = ceIncreased ? TcpSocketState::ECN_ECE_RCVD : TcpSocketState::ECN_IDLE;
}

void
QuicCongestionBridge::OnProbeTimeout()
{
    if (m_native)
    {
        m_native->OnProbeTimeout(m_tcb);
    }
}

void
QuicCongestionBridge::OnApplicationLimited()
{
    m_rate.OnApplicationLimited(m_tcb->m_bytesInFlight);
}

void
QuicCongestionBridge::SetState(TcpSocketState::TcpCongState_t state, bool notify)
{
    if (m_tcb->m_congState == state)
    {
        return;
    }
    if (notify)
    {
        m_cc->CongestionStateSet(m_tcb, state);
    }
    m_tcb->m_congState = state;
}

void
QuicCongestionBridge::CwndEvent(TcpSocketState::TcpCAEvent_t event)
{
    // Receiver-side events: TcpDctcp would dereference m_rxBuffer and send TCP packets.
    NS_ABORT_MSG_IF(event == TcpSocketState::CA_EVENT_ECN_IS_CE ||
                        event == TcpSocketState::CA_EVENT_ECN_NO_CE,
                    "QuicCongestionBridge: CA_EVENT_ECN_IS_CE/NO_CE are TCP receiver events; "
                    "feed ECN through OnEcnEcho/OnEcnCongestion");
    m_cc->CwndEvent(m_tcb, event);
}

void
QuicCongestionBridge::UpdatePacingRate()
{
    // With CongControl the algorithm sets m_pacingRate itself (TcpSocketBase does not
    // compute it then either).
    if (m_tcb->m_pacing && !m_congControl)
    {
        m_pacer.UpdatePacingRate();
    }
}

} // namespace ns3

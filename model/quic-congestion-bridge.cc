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

QuicCongestionBridge::QuicCongestionBridge(Ptr<QuicSocketState> tcb, Ptr<TcpCongestionOps> cc)
    : m_tcb(tcb),
      m_cc(cc),
      m_native(DynamicCast<QuicCongestionControl>(cc))
{
    NS_ABORT_MSG_IF(!cc, "QuicCongestionBridge: no congestion control algorithm");
    m_cc->Init(m_tcb);
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

void
QuicCongestionBridge::OnPacketSent(uint64_t packetNumber, uint32_t bytes, bool ackEliciting)
{
    if (ackEliciting)
    {
        m_tcb->OnBytesSent(bytes);
    }
    if (m_native)
    {
        m_native->OnPacketSent(m_tcb, packetNumber, bytes, ackEliciting);
    }
}

void
QuicCongestionBridge::OnPacketsAcked(const std::vector<QuicAckedPacketInfo>& acked, Time rttSample)
{
    uint32_t bytes = 0;
    Time newestSent(0);
    for (const auto& a : acked)
    {
        bytes += a.bytes;
        newestSent = std::max(newestSent, a.timeSent);
    }
    m_tcb->OnBytesAcked(bytes);
    if (m_native)
    {
        for (const auto& a : acked)
        {
            m_native->OnPacketAcked(m_tcb, a.bytes, a.timeSent, a.appLimited);
        }
        return;
    }
    // Legacy: the recovery period ends with the first acknowledgment of a packet sent
    // after it started (RFC 9002 §7.3.2), as TCP leaves recovery on a full ACK.
    if (m_tcb->m_congState != TcpSocketState::CA_OPEN && newestSent > m_tcb->m_recoveryStartTime)
    {
        if (m_tcb->m_congState == TcpSocketState::CA_RECOVERY ||
            m_tcb->m_congState == TcpSocketState::CA_CWR)
        {
            m_tcb->m_cWnd = std::max(m_tcb->m_ssThresh.Get(), m_tcb->GetMinimumWindow());
        }
        SetState(TcpSocketState::CA_OPEN);
    }
    // An ACK worth less than a segment (the handshake's packets are smaller) makes no call,
    // as in TCP, but its RTT sample must not be lost: the handshake's are the only ones
    // taken on an empty queue (Vegas's base RTT). The next call gets the smallest sample
    // since the last one; a single call per ACK also keeps two calls out of one instant
    // (coalesced packets), which TcpWestwood rejects.
    if (!rttSample.IsZero())
    {
        m_pendingRtt = m_pendingRtt.IsZero() ? rttSample : std::min(m_pendingRtt, rttSample);
    }
    uint32_t total = m_ackedRemainder + bytes;
    uint32_t segments = total / m_tcb->m_segmentSize;
    m_ackedRemainder = total % m_tcb->m_segmentSize;
    if (segments == 0)
    {
        return;
    }
    Time rtt = m_pendingRtt;
    m_pendingRtt = Time(0);
    m_cc->PktsAcked(m_tcb, segments, rtt);
    if (m_tcb->m_congState == TcpSocketState::CA_OPEN)
    {
        m_cc->IncreaseWindow(m_tcb, segments);
    }
}

void
QuicCongestionBridge::OnPacketsLost(uint32_t lostBytes,
                                    Time newestLostTimeSent,
                                    bool persistentCongestion)
{
    NS_LOG_FUNCTION(this << lostBytes << newestLostTimeSent << persistentCongestion);
    m_tcb->m_totalBytesLost += lostBytes;
    if (m_native)
    {
        m_native->OnCongestionEvent(m_tcb, newestLostTimeSent);
        if (persistentCongestion)
        {
            m_native->OnPersistentCongestion(m_tcb);
        }
        return;
    }
    LegacyCongestionEvent(newestLostTimeSent, TcpSocketState::CA_RECOVERY);
    if (persistentCongestion)
    {
        // Like TCP's retransmission timeout: back to one minimum window, CA_LOSS.
        m_tcb->m_ssThresh = m_cc->GetSsThresh(m_tcb, m_tcb->m_bytesInFlight);
        m_tcb->m_cWnd = m_tcb->GetMinimumWindow();
        m_tcb->m_recoveryStartTime = Simulator::Now();
        SetState(TcpSocketState::CA_LOSS);
    }
}

void
QuicCongestionBridge::OnEcnCongestion(Time newestAckedTimeSent)
{
    if (m_native)
    {
        m_native->OnCongestionEvent(m_tcb, newestAckedTimeSent);
        return;
    }
    LegacyCongestionEvent(newestAckedTimeSent, TcpSocketState::CA_CWR);
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
QuicCongestionBridge::LegacyCongestionEvent(Time timeSent, TcpSocketState::TcpCongState_t state)
{
    if (timeSent <= m_tcb->m_recoveryStartTime)
    {
        return; // one reduction per recovery period
    }
    m_tcb->m_recoveryStartTime = Simulator::Now();
    m_tcb->m_ssThresh = m_cc->GetSsThresh(m_tcb, m_tcb->m_bytesInFlight);
    m_tcb->m_cWnd = std::max(m_tcb->m_ssThresh.Get(), m_tcb->GetMinimumWindow());
    SetState(state);
}

void
QuicCongestionBridge::SetState(TcpSocketState::TcpCongState_t state)
{
    if (m_tcb->m_congState == state)
    {
        return;
    }
    m_cc->CongestionStateSet(m_tcb, state);
    m_tcb->m_congState = state;
}

} // namespace ns3

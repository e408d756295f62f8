/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-congestion-control.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicCongestionControl");

NS_OBJECT_ENSURE_REGISTERED(QuicCongestionControl);

TypeId
QuicCongestionControl::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicCongestionControl")
            .SetParent<TcpCongestionOps>()
            .SetGroupName("Internet")
            .AddConstructor<QuicCongestionControl>()
            .AddAttribute("LossReductionFactor",
                          "RFC 9002 kLossReductionFactor: the window is multiplied by it on a "
                          "congestion event",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&QuicCongestionControl::m_lossReductionFactor),
                          MakeDoubleChecker<double>(0.01, 1.0));
    return tid;
}

QuicCongestionControl::QuicCongestionControl()
    : TcpCongestionOps(),
      m_lossReductionFactor(0.5)
{
}

QuicCongestionControl::QuicCongestionControl(const QuicCongestionControl& other)
    : TcpCongestionOps(other),
      m_lossReductionFactor(other.m_lossReductionFactor),
      m_caBytesAcked(other.m_caBytesAcked)
{
}

std::string
QuicCongestionControl::GetName() const
{
    return "QuicCongestionControl";
}

uint32_t
QuicCongestionControl::GetSsThresh(Ptr<const TcpSocketState> tcb, uint32_t bytesInFlight)
{
    auto ssthresh = static_cast<uint32_t>(tcb->m_cWnd.Get() * m_lossReductionFactor);
    return std::max(ssthresh, 2 * tcb->m_segmentSize);
}

void
QuicCongestionControl::IncreaseWindow(Ptr<TcpSocketState> tcb, uint32_t segmentsAcked)
{
    // Not called for QUIC-native controllers: the socket calls OnPacketAcked with bytes.
    NS_LOG_FUNCTION(this << tcb << segmentsAcked);
}

Ptr<TcpCongestionOps>
QuicCongestionControl::Fork()
{
    return CopyObject<QuicCongestionControl>(this);
}

uint32_t
QuicCongestionControl::GetInitialWindow(uint32_t maxDatagramSize)
{
    return std::min(10 * maxDatagramSize, std::max(14720U, 2 * maxDatagramSize));
}

void
QuicCongestionControl::OnPacketSent(Ptr<QuicSocketState> tcb,
                                    uint64_t packetNumber,
                                    uint32_t bytes,
                                    bool ackEliciting)
{
    NS_LOG_FUNCTION(this << packetNumber << bytes << ackEliciting);
}

bool
QuicCongestionControl::InCongestionRecovery(Ptr<const QuicSocketState> tcb, Time timeSent) const
{
    return timeSent <= tcb->m_recoveryStartTime;
}

void
QuicCongestionControl::OnPacketAcked(Ptr<QuicSocketState> tcb,
                                     uint32_t bytes,
                                     Time timeSent,
                                     bool appLimited)
{
    NS_LOG_FUNCTION(this << bytes << timeSent << appLimited);
    // RFC 9002 §7.8: do not grow the window when it was not the limit.
    if (appLimited || InCongestionRecovery(tcb, timeSent))
    {
        return;
    }
    if (tcb->m_cWnd < tcb->m_ssThresh)
    {
        tcb->m_cWnd = tcb->m_cWnd + bytes; // RFC 9002 §7.3.1: slow start, byte counting
        return;
    }
    // RFC 9002 §7.3.3: one max_datagram_size per congestion window acknowledged. Acked
    // bytes are accumulated so that integer division loses nothing.
    m_caBytesAcked += bytes;
    if (m_caBytesAcked >= tcb->m_cWnd)
    {
        m_caBytesAcked -= tcb->m_cWnd;
        tcb->m_cWnd = tcb->m_cWnd + tcb->m_segmentSize;
    }
}

void
QuicCongestionControl::OnCongestionEvent(Ptr<QuicSocketState> tcb, Time timeSent)
{
    NS_LOG_FUNCTION(this << timeSent);
    if (InCongestionRecovery(tcb, timeSent))
    {
        return; // RFC 9002 §7.3.2: one reduction per round trip
    }
    tcb->m_recoveryStartTime = Simulator::Now();
    tcb->m_ssThresh = GetSsThresh(tcb, tcb->m_bytesInFlight);
    tcb->m_cWnd = std::max(tcb->m_ssThresh.Get(), tcb->GetMinimumWindow());
    m_caBytesAcked = 0;
}

void
QuicCongestionControl::OnPersistentCongestion(Ptr<QuicSocketState> tcb)
{
    NS_LOG_FUNCTION(this);
    tcb->m_cWnd = tcb->GetMinimumWindow();
    tcb->m_recoveryStartTime = Seconds(-1);
    m_caBytesAcked = 0;
}

void
QuicCongestionControl::OnProbeTimeout(Ptr<QuicSocketState> tcb)
{
    NS_LOG_FUNCTION(this << tcb->m_ptoCount);
}

} // namespace ns3

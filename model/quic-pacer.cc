/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-pacer.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicPacer");

QuicPacer::QuicPacer(Ptr<QuicSocketState> tcb)
    : m_tcb(tcb)
{
}

bool
QuicPacer::IsEnabled() const
{
    return m_tcb->m_pacing;
}

void
QuicPacer::UpdatePacingRate()
{
    Time rtt = m_tcb->m_smoothedRtt;
    if (m_tcb->m_lastRtt.Get().IsZero())
    {
        if (!m_tcb->m_paceInitialWindow || !rtt.IsStrictlyPositive())
        {
            m_tcb->m_pacingRate = m_tcb->m_maxPacingRate;
            return;
        }
    }
    if (!rtt.IsStrictlyPositive())
    {
        return;
    }
    // Like Linux and ns-3 TCP: faster while far below ssthresh, so that slow start is not
    // slowed by its own pacing.
    double factor = m_tcb->m_cWnd < m_tcb->m_ssThresh / 2 ? m_tcb->m_pacingSsRatio / 100.0
                                                          : m_tcb->m_pacingCaRatio / 100.0;
    double bytes = std::max(m_tcb->m_cWnd.Get(), m_tcb->m_bytesInFlight.Get());
    DataRate rate(static_cast<uint64_t>(bytes * 8 * factor / rtt.GetSeconds()));
    m_tcb->m_pacingRate = std::min(rate, m_tcb->m_maxPacingRate);
}

bool
QuicPacer::CanSend(Time now) const
{
    return !m_tcb->m_pacing || now >= m_nextSend;
}

Time
QuicPacer::GetNextSendTime() const
{
    return m_nextSend;
}

void
QuicPacer::OnPacketSent(Time now, uint32_t bytes)
{
    if (!m_tcb->m_pacing || m_tcb->m_pacingRate.Get().GetBitRate() == 0)
    {
        return;
    }
    // From the later of now and the scheduled slot: a sender that was idle (or blocked
    // by the window) gains no burst credit for the time it did not send.
    m_nextSend = std::max(now, m_nextSend) + m_tcb->m_pacingRate.Get().CalculateBytesTxTime(bytes);
}

} // namespace ns3

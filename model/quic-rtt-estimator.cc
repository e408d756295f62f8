/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-rtt-estimator.h"

#include <algorithm>

namespace ns3
{

Time
QuicRttEstimator::GetGranularity()
{
    return MilliSeconds(1);
}

QuicRttEstimator::QuicRttEstimator(Time initialRtt)
    : m_latestRtt(initialRtt),
      m_minRtt(initialRtt),
      m_smoothedRtt(initialRtt),
      m_rttVar(initialRtt / 2) // RFC 9002 §6.2.2: rttvar = initial_rtt / 2
{
}

void
QuicRttEstimator::Update(Time latestRtt, Time ackDelay, Time maxAckDelay, bool handshakeConfirmed)
{
    m_latestRtt = latestRtt;
    if (!m_hasSample)
    {
        // RFC 9002 §5.3: the first sample erases the initial values.
        m_hasSample = true;
        m_minRtt = latestRtt;
        m_smoothedRtt = latestRtt;
        m_rttVar = latestRtt / 2;
        return;
    }
    if (m_minRttReset)
    {
        m_minRtt = latestRtt;
        m_minRttReset = false;
    }
    // RFC 9002 §5.2: min_rtt ignores ack delay.
    m_minRtt = std::min(m_minRtt, latestRtt);
    if (handshakeConfirmed)
    {
        ackDelay = std::min(ackDelay, maxAckDelay);
    }
    // RFC 9002 §5.3: subtract the ack delay only if the result stays at or above min_rtt.
    Time adjusted = latestRtt;
    if (latestRtt >= m_minRtt + ackDelay)
    {
        adjusted = latestRtt - ackDelay;
    }
    Time sample = m_smoothedRtt > adjusted ? m_smoothedRtt - adjusted : adjusted - m_smoothedRtt;
    m_rttVar = (m_rttVar * 3 + sample) / 4;
    m_smoothedRtt = (m_smoothedRtt * 7 + adjusted) / 8;
}

void
QuicRttEstimator::ResetMinRtt()
{
    m_minRttReset = true;
}

bool
QuicRttEstimator::HasSample() const
{
    return m_hasSample;
}

Time
QuicRttEstimator::GetLatestRtt() const
{
    return m_latestRtt;
}

Time
QuicRttEstimator::GetMinRtt() const
{
    return m_minRtt;
}

Time
QuicRttEstimator::GetSmoothedRtt() const
{
    return m_smoothedRtt;
}

Time
QuicRttEstimator::GetRttVar() const
{
    return m_rttVar;
}

Time
QuicRttEstimator::GetPtoPeriod(Time maxAckDelay) const
{
    return m_smoothedRtt + std::max(m_rttVar * 4, GetGranularity()) + maxAckDelay;
}

Time
QuicRttEstimator::GetLossDelay() const
{
    // RFC 9002 §6.1.2: kTimeThreshold = 9/8.
    Time base = std::max(m_smoothedRtt, m_latestRtt);
    return std::max(base * 9 / 8, GetGranularity());
}

} // namespace ns3

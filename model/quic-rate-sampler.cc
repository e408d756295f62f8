/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-rate-sampler.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicRateSampler");

void
QuicRateSampler::OnPacketSent(QuicSentPacket& packet, uint32_t bytesInFlight)
{
    // Draft §3.2: a send with nothing in flight starts a new interval; measuring it from
    // the last ACK would count the idle time as transmission time.
    if (bytesInFlight == 0)
    {
        m_rc.m_firstSentTime = packet.timeSent;
        m_rc.m_deliveredTime = packet.timeSent;
    }
    packet.delivered = m_rc.m_delivered;
    packet.deliveredTime = m_rc.m_deliveredTime;
    packet.firstSentTime = m_rc.m_firstSentTime;
    packet.isAppLimited = m_rc.m_appLimited != 0;
}

void
QuicRateSampler::OnPacketAcked(uint32_t bytes,
                               Time timeSent,
                               uint64_t delivered,
                               Time deliveredTime,
                               Time firstSentTime,
                               bool appLimited)
{
    m_rc.m_delivered += bytes;
    m_rc.m_deliveredTime = Simulator::Now();
    // Draft §3.3: the sample describes the most recently sent of the packets this ACK
    // acknowledges (the one with the largest delivered count at send time).
    if (!m_havePrior || delivered >= m_priorDelivered)
    {
        m_havePrior = true;
        m_priorDelivered = delivered;
        m_rs.m_priorDelivered = static_cast<uint32_t>(delivered);
        m_rs.m_priorTime = deliveredTime;
        m_rs.m_isAppLimited = appLimited;
        m_rs.m_sendElapsed = timeSent - firstSentTime;
        m_rs.m_ackElapsed = m_rc.m_deliveredTime - deliveredTime;
        m_rc.m_txItemDelivered = static_cast<uint32_t>(delivered);
        m_rc.m_firstSentTime = timeSent;
    }
}

void
QuicRateSampler::OnPacketsLost(uint32_t bytes)
{
    m_lostSinceSample += bytes;
}

void
QuicRateSampler::OnApplicationLimited(uint32_t bytesInFlight)
{
    // Draft §3.4: the bubble ends when everything now in flight is delivered; 0 means
    // "not app-limited", hence the max with 1.
    m_rc.m_appLimited =
        std::max<uint32_t>(static_cast<uint32_t>(m_rc.m_delivered + bytesInFlight), 1);
}

const TcpRateOps::TcpRateSample&
QuicRateSampler::GenerateSample(uint32_t ackedBytes, uint32_t priorInFlight, Time minRtt)
{
    if (m_rc.m_appLimited != 0 && m_rc.m_delivered > m_rc.m_appLimited)
    {
        m_rc.m_appLimited = 0; // the app-limited bubble was delivered
    }
    m_rs.m_ackedSacked = ackedBytes;
    m_rs.m_bytesLoss = m_lostSinceSample;
    m_rs.m_priorInFlight = priorInFlight;
    m_lostSinceSample = 0;
    if (!m_havePrior || m_rs.m_priorTime.IsZero())
    {
        // Nothing newly acknowledged with a usable stamp: an invalid sample.
        m_rs.m_delivered = -1;
        m_rs.m_interval = Seconds(0);
        m_rc.m_rateDelivered = -1;
        m_rc.m_rateInterval = Seconds(0);
        m_havePrior = false;
        return m_rs;
    }
    m_havePrior = false;
    // 64-bit arithmetic: TcpRateSample's 32-bit m_priorDelivered wraps after 4 GB.
    m_rs.m_delivered = static_cast<int32_t>(m_rc.m_delivered - m_priorDelivered);
    // Draft §3.3: the longer of the send and ACK intervals, so that neither ACK
    // compression nor a send burst overestimates the rate.
    m_rs.m_interval = std::max(m_rs.m_sendElapsed, m_rs.m_ackElapsed);
    if (m_rs.m_interval < minRtt)
    {
        // Shorter than an RTT: the sample cannot reflect the path (Linux tcp_rate.c).
        m_rs.m_interval = Seconds(0);
        m_rs.m_priorTime = Seconds(0); // IsValid() is false
        m_rc.m_rateDelivered = -1;
        m_rc.m_rateInterval = Seconds(0);
        return m_rs;
    }
    if (m_rs.m_interval.IsStrictlyPositive())
    {
        m_rs.m_deliveryRate =
            DataRate(static_cast<uint64_t>(m_rs.m_delivered * 8.0 / m_rs.m_interval.GetSeconds()));
    }
    m_rc.m_rateDelivered = m_rs.m_delivered;
    m_rc.m_rateInterval = m_rs.m_interval;
    m_rc.m_rateAppLimited = m_rs.m_isAppLimited;
    return m_rs;
}

const TcpRateOps::TcpRateConnection&
QuicRateSampler::GetConnectionRate() const
{
    return m_rc;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-flow-controller.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicFlowController");

QuicFlowController::QuicFlowController()
    : m_sendLimit(0),
      m_sentOffset(0),
      m_blockedSignalled(false),
      m_blockedLimit(0),
      m_recvWindow(0),
      m_maxRecvWindow(0),
      m_recvLimit(0),
      m_highestReceived(0),
      m_consumed(0),
      m_lastUpdate(Seconds(0)),
      m_hasLastUpdate(false),
      m_windowIncreases(0)
{
}

uint64_t
QuicFlowController::GetSendLimit() const
{
    return m_sendLimit;
}

uint64_t
QuicFlowController::GetSentOffset() const
{
    return m_sentOffset;
}

uint64_t
QuicFlowController::GetSendCredit() const
{
    return m_sendLimit - m_sentOffset;
}

void
QuicFlowController::OnSent(uint64_t newOffset)
{
    NS_LOG_FUNCTION(this << newOffset);
    NS_ABORT_MSG_IF(newOffset > m_sendLimit,
                    "QuicFlowController::OnSent(" << newOffset << "): beyond the peer's limit "
                                                  << m_sendLimit
                                                  << "; check GetSendCredit() before sending");
    m_sentOffset = std::max(m_sentOffset, newOffset);
}

void
QuicFlowController::SetProvisionalPeerLimit(uint64_t limit)
{
    NS_LOG_FUNCTION(this << limit);
    NS_ABORT_MSG_IF(m_sentOffset > limit,
                    "QuicFlowController::SetProvisionalPeerLimit: " << m_sentOffset
                                                                    << " bytes already sent");
    m_sendLimit = limit;
}

bool
QuicFlowController::UpdatePeerLimit(uint64_t limit)
{
    NS_LOG_FUNCTION(this << limit);
    if (limit <= m_sendLimit)
    {
        // RFC 9000 §4.1: ignore frames that do not increase the limit
        return false;
    }
    m_sendLimit = limit;
    return true;
}

bool
QuicFlowController::IsBlocked() const
{
    return m_sentOffset >= m_sendLimit;
}

bool
QuicFlowController::ShouldSendBlocked() const
{
    return IsBlocked() && !(m_blockedSignalled && m_blockedLimit == m_sendLimit);
}

void
QuicFlowController::OnBlockedSent()
{
    NS_LOG_FUNCTION(this << m_sendLimit);
    m_blockedSignalled = true;
    m_blockedLimit = m_sendLimit;
}

void
QuicFlowController::SetReceiveWindow(uint64_t initialWindow, uint64_t maxWindow)
{
    NS_LOG_FUNCTION(this << initialWindow << maxWindow);
    m_recvWindow = initialWindow;
    m_maxRecvWindow = std::max(initialWindow, maxWindow);
    m_recvLimit = std::max(m_recvLimit, m_consumed + initialWindow);
}

uint64_t
QuicFlowController::GetReceiveWindow() const
{
    return m_recvWindow;
}

uint64_t
QuicFlowController::GetMaxReceiveWindow() const
{
    return m_maxRecvWindow;
}

void
QuicFlowController::EnsureWindowAtLeast(uint64_t window)
{
    NS_LOG_FUNCTION(this << window);
    uint64_t target = std::min(window, m_maxRecvWindow);
    if (target > m_recvWindow)
    {
        m_recvWindow = target;
        ++m_windowIncreases;
    }
}

uint64_t
QuicFlowController::GetReceiveLimit() const
{
    return m_recvLimit;
}

uint64_t
QuicFlowController::GetHighestReceived() const
{
    return m_highestReceived;
}

uint64_t
QuicFlowController::GetConsumed() const
{
    return m_consumed;
}

bool
QuicFlowController::OnReceived(uint64_t highestOffset, QuicTransportErrorCode& error)
{
    NS_LOG_FUNCTION(this << highestOffset);
    if (highestOffset > m_recvLimit)
    {
        // RFC 9000 §4.1: the peer sent beyond the advertised limit
        NS_LOG_LOGIC("flow control violation: offset " << highestOffset << " above limit "
                                                       << m_recvLimit);
        error = QuicTransportErrorCode::FLOW_CONTROL_ERROR;
        return false;
    }
    m_highestReceived = std::max(m_highestReceived, highestOffset);
    return true;
}

void
QuicFlowController::OnConsumed(uint64_t bytes)
{
    NS_LOG_FUNCTION(this << bytes);
    NS_ABORT_MSG_IF(bytes > m_highestReceived - m_consumed,
                    "QuicFlowController::OnConsumed(" << bytes << "): only "
                                                      << m_highestReceived - m_consumed
                                                      << " bytes received and not yet consumed");
    m_consumed += bytes;
}

bool
QuicFlowController::ShouldSendUpdate() const
{
    // Credit still open to the peer below half the window: more than half a
    // window was consumed since the last update.
    return m_recvLimit - m_consumed < m_recvWindow / 2;
}

uint64_t
QuicFlowController::GetNewLimit(Time now, Time smoothedRtt)
{
    NS_LOG_FUNCTION(this << now << smoothedRtt);
    // Auto-tuning (quiche): updates less than 2 RTTs apart mean the window
    // drains faster than it is refilled, i.e. it is below the bandwidth-delay
    // product of the path.
    if (m_hasLastUpdate && smoothedRtt.IsStrictlyPositive() &&
        now - m_lastUpdate < smoothedRtt * 2 && m_recvWindow < m_maxRecvWindow)
    {
        uint64_t doubled = m_recvWindow > m_maxRecvWindow / 2 ? m_maxRecvWindow : m_recvWindow * 2;
        NS_LOG_LOGIC("window " << m_recvWindow << " -> " << doubled);
        m_recvWindow = std::max<uint64_t>(doubled, 1);
        ++m_windowIncreases;
    }
    m_lastUpdate = now;
    m_hasLastUpdate = true;
    m_recvLimit = std::max(m_recvLimit, m_consumed + m_recvWindow);
    return m_recvLimit;
}

uint32_t
QuicFlowController::GetWindowIncreases() const
{
    return m_windowIncreases;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-ecn.h"

#include "ns3/log.h"
#include "ns3/tcp-dctcp.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicEcn");

const char*
QuicEcnStateName(QuicEcnState state)
{
    switch (state)
    {
    case ECN_DISABLED:
        return "disabled";
    case ECN_TESTING:
        return "testing";
    case ECN_UNKNOWN:
        return "unknown";
    case ECN_FAILED:
        return "failed";
    case ECN_CAPABLE:
        return "capable";
    }
    return "?";
}

void
QuicEcnController::Enable(uint8_t codepoint)
{
    NS_LOG_FUNCTION(this << unsigned(codepoint));
    NS_ABORT_MSG_UNLESS(
        codepoint == 1 || codepoint == 2,
        "QuicEcnController::Enable: the codepoint must be ECT(0) (2) or ECT(1) (1)");
    m_codepoint = codepoint;
    if (m_state == ECN_DISABLED)
    {
        SetState(ECN_TESTING);
    }
}

void
QuicEcnController::SetStateCallback(StateCallback cb)
{
    m_stateCb = std::move(cb);
}

QuicEcnState
QuicEcnController::GetState() const
{
    return m_state;
}

uint8_t
QuicEcnController::GetCodepointToSend() const
{
    return (m_state == ECN_TESTING || m_state == ECN_CAPABLE) ? m_codepoint : 0;
}

void
QuicEcnController::OnDatagramSent(uint8_t codepoint, uint32_t packets)
{
    if (codepoint == 0)
    {
        return;
    }
    ++m_markedDatagrams;
    if (m_state == ECN_TESTING)
    {
        m_testingPacketsSent += packets;
        // RFC 9000 §A.4: mark only the first packets until their counts come back.
        if (++m_testingDatagrams >= kTestingPackets)
        {
            SetState(ECN_UNKNOWN);
        }
    }
}

void
QuicEcnController::OnPacketLost(uint8_t codepoint)
{
    if (codepoint == 0 || (m_state != ECN_TESTING && m_state != ECN_UNKNOWN))
    {
        return;
    }
    ++m_testingPacketsLost;
    // RFC 9000 §13.4.2.1: every marked packet lost — the marks are likely why.
    if (m_state == ECN_UNKNOWN && m_testingPacketsLost >= m_testingPacketsSent)
    {
        Fail("every packet marked while testing was lost");
    }
}

uint64_t
QuicEcnController::OnAckReceived(std::size_t space,
                                 const QuicSubheader& ack,
                                 bool largestIncreased,
                                 uint64_t ect0Acked,
                                 uint64_t ect1Acked)
{
    SpaceCounts& s = m_spaces.at(space);
    s.pendingEct0 += ect0Acked;
    s.pendingEct1 += ect1Acked;
    if (m_state == ECN_DISABLED || m_state == ECN_FAILED)
    {
        return 0;
    }
    // RFC 9000 §13.4.2.1: an ACK that does not raise the largest acknowledged may be
    // reordered; it never fails validation (its packets are checked with the next one).
    if (!largestIncreased)
    {
        return 0;
    }
    uint64_t pendingMarked = s.pendingEct0 + s.pendingEct1;
    if (!ack.HasEcnCounts())
    {
        if (pendingMarked > 0)
        {
            Fail("an ACK without ECN counts acknowledged ECT packets");
        }
        return 0;
    }
    const QuicEcnCounts& c = ack.GetEcnCounts();
    if (c.ect0 < s.reported.ect0 || c.ect1 < s.reported.ect1 || c.ce < s.reported.ce)
    {
        Fail("ECN counts decreased");
        return 0;
    }
    uint64_t dEct0 = c.ect0 - s.reported.ect0;
    uint64_t dEct1 = c.ect1 - s.reported.ect1;
    uint64_t dCe = c.ce - s.reported.ce;
    // Each newly acknowledged ECT packet arrived as ECT or CE (remarking ECT(0) to
    // ECT(1) or the reverse is a path fault too).
    if (dEct0 + dCe < s.pendingEct0 || dEct1 + dCe < s.pendingEct1 ||
        dEct0 + dEct1 + dCe < pendingMarked)
    {
        Fail("ECN counts do not cover the newly acknowledged ECT packets");
        return 0;
    }
    s.reported = c;
    s.pendingEct0 = 0;
    s.pendingEct1 = 0;
    if (pendingMarked > 0 && (m_state == ECN_TESTING || m_state == ECN_UNKNOWN))
    {
        SetState(ECN_CAPABLE);
    }
    m_ceMarks += dCe;
    return dCe;
}

uint64_t
QuicEcnController::GetCeMarks() const
{
    return m_ceMarks;
}

uint64_t
QuicEcnController::GetMarkedDatagrams() const
{
    return m_markedDatagrams;
}

const std::string&
QuicEcnController::GetFailureReason() const
{
    return m_failure;
}

void
QuicEcnController::SetState(QuicEcnState state)
{
    if (state == m_state)
    {
        return;
    }
    NS_LOG_LOGIC("ECN " << QuicEcnStateName(m_state) << " -> " << QuicEcnStateName(state));
    QuicEcnState old = m_state;
    m_state = state;
    if (m_stateCb)
    {
        m_stateCb(old, state);
    }
}

void
QuicEcnController::Fail(const std::string& reason)
{
    NS_LOG_WARN("ECN validation failed: " << reason);
    m_failure = reason;
    SetState(ECN_FAILED);
}

void
QuicEcnController::DeliverMarkedAck(QuicCongestionBridge& cc,
                                    Ptr<QuicSocketState> tcb,
                                    const std::vector<QuicAckedPacketInfo>& acked,
                                    Time rttSample,
                                    Time ackDelay,
                                    uint32_t priorInFlight,
                                    uint64_t newCe)
{
    if (newCe == 0 || !DynamicCast<TcpDctcp>(cc.GetAlgorithm()))
    {
        cc.OnPacketsAcked(acked, rttSample, ackDelay, priorInFlight);
        return;
    }
    std::size_t marked = static_cast<std::size_t>(std::min<uint64_t>(newCe, acked.size()));
    std::vector<QuicAckedPacketInfo> ce(acked.end() - marked, acked.end());
    std::vector<QuicAckedPacketInfo> rest(acked.begin(), acked.end() - marked);
    uint32_t ceBytes = 0;
    for (const auto& a : ce)
    {
        ceBytes += a.bytes;
    }
    // TcpDctcp::PktsAcked counts the segments of this call as marked (TCP's ECE).
    tcb->m_ecnState = TcpSocketState::ECN_ECE_RCVD;
    cc.OnPacketsAcked(ce, rest.empty() ? rttSample : Time(0), ackDelay, priorInFlight);
    tcb->m_ecnState = TcpSocketState::ECN_IDLE;
    if (!rest.empty())
    {
        cc.OnPacketsAcked(rest,
                          rttSample,
                          ackDelay,
                          priorInFlight - std::min(priorInFlight, ceBytes));
    }
}

} // namespace ns3

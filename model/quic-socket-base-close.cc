/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase, idle timeout, closing, draining and destruction (RFC 9000 §10).
 * One class in several files, one concern each (see quic-socket-base.cc).
 */

#include "quic-socket-base-internal.h"

namespace ns3
{

namespace
{
/// NS_LOG=QuicSocketBase covers this file too.
LogComponent& g_log = quicsocketbase::GetLogComponent();
} // namespace

// --- closing ---------------------------------------------------------------------------------

Time
QuicSocketBase::GetIdleTimeout() const
{
    // RFC 9000 §10.1: the smaller of the two non-zero announced values.
    Time local = m_idleTimeoutAttr;
    Time peer = m_peerTpApplied ? m_peerIdleTimeout : Time(0);
    Time t = local.IsZero() ? peer : (peer.IsZero() ? local : std::min(local, peer));
    if (t.IsZero())
    {
        return t;
    }
    // Not shorter than three PTOs, so a lost packet cannot end the connection.
    Time pto = m_recovery ? m_recovery->GetPtoPeriod() * 3 : Time(0);
    return std::max(t, pto);
}

void
QuicSocketBase::RestartIdleTimer()
{
    m_lastActivity = Now();
    Time timeout = GetIdleTimeout();
    if (timeout.IsZero())
    {
        return;
    }
    // A QuicDeadlineTimer: its event is not moved on every packet (it moves itself on
    // when it runs early); it is moved earlier only when the timeout itself shrank (the
    // peer's value arrived, RTT samples lowered 3 PTOs).
    m_idleTimer.Arm(m_lastActivity + timeout, m_lastActivity);
}

void
QuicSocketBase::OnIdleTimer()
{
    Time timeout = GetIdleTimeout();
    if (timeout.IsZero())
    {
        return;
    }
    Time idle = Simulator::Now() - m_lastActivity;
    if (idle < timeout)
    {
        m_idleTimer.Arm(m_lastActivity + timeout);
        return;
    }
    NS_LOG_INFO(this << " idle timeout after " << idle.As(Time::S));
    // RFC 9000 §10.1: the connection is silently closed.
    m_closeCode = static_cast<uint64_t>(QuicTransportErrorCode::NO_ERROR);
    m_errno = ERROR_NOTCONN;
    bool wasOpen = m_state != CLOSING && m_state != DRAINING;
    Destroy();
    if (wasOpen)
    {
        NotifyErrorClose();
    }
}

void
QuicSocketBase::StartClosing(uint64_t code,
                             bool application,
                             uint64_t frameType,
                             const std::string& reason)
{
    NS_LOG_FUNCTION(this << code << application << reason);
    if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED || !m_recovery)
    {
        return;
    }
    m_closeCode = code;
    m_closeApplication = application;
    m_closeFrameType = frameType;
    m_closeReason = reason;
    Time period = m_recovery->GetPtoPeriod() * 3;
    CancelTimers();
    SetState(CLOSING);
    SendConnectionClose();
    // RFC 9000 §10.2: the closing period lasts three PTOs.
    m_closeTimer = Simulator::Schedule(period, &QuicSocketBase::Destroy, this);
    if (code == 0 && application)
    {
        NotifyNormalClose();
    }
    else
    {
        NotifyErrorClose();
    }
}

void
QuicSocketBase::SendConnectionClose()
{
    m_lastCloseSent = Simulator::Now();
    // The close goes in the most protected space both ends have (RFC 9000 §10.2.3);
    // before the handshake completes, an application close becomes APPLICATION_ERROR.
    QuicPacketNumberSpace space = QuicPacketNumberSpace::INITIAL;
    if (HasKeys(QuicPacketNumberSpace::APPLICATION) && m_handshake->IsComplete())
    {
        space = QuicPacketNumberSpace::APPLICATION;
    }
    else if (HasKeys(QuicPacketNumberSpace::HANDSHAKE))
    {
        space = QuicPacketNumberSpace::HANDSHAKE;
    }
    else if (m_spaceDiscarded[Idx(QuicPacketNumberSpace::INITIAL)])
    {
        return; // nothing left to send it in
    }
    QuicSubheader frame;
    if (m_closeApplication && space == QuicPacketNumberSpace::APPLICATION)
    {
        frame = QuicSubheader::CreateApplicationClose(m_closeCode, m_closeReason);
    }
    else
    {
        auto code = m_closeApplication ? QuicTransportErrorCode::APPLICATION_ERROR
                                       : static_cast<QuicTransportErrorCode>(m_closeCode);
        frame = QuicSubheader::CreateConnectionClose(code, m_closeFrameType, m_closeReason);
    }
    if (!m_udp)
    {
        return;
    }
    m_pending.clear();
    m_pktFrames[0].clear();
    QuicByteWriter w(m_pktFrames[0]);
    frame.Encode(w);
    PendingPacket pkt;
    pkt.plan = PacketPlan{space, PacketTypeFor(space), false};
    pkt.packetNumber = m_nextPn[Idx(space)];
    pkt.pnLength =
        QuicPacketNumber::GetEncodedLength(pkt.packetNumber, m_recovery->GetLargestAcked(space));
    m_pending.push_back(std::move(pkt));
    FlushDatagram();
}

void
QuicSocketBase::StartDraining(uint64_t code, bool application)
{
    NS_LOG_FUNCTION(this << code << application);
    if (m_state == DRAINING || m_state == CLOSED)
    {
        return;
    }
    bool wasClosing = m_state == CLOSING;
    m_closeCode = code;
    m_closeApplication = application;
    Time period = m_recovery ? m_recovery->GetPtoPeriod() * 3 : Time(0);
    CancelTimers();
    SetState(DRAINING);
    // RFC 9000 §10.2.2: no more packets; the state goes after three PTOs.
    m_closeTimer = Simulator::Schedule(period, &QuicSocketBase::Destroy, this);
    if (!wasClosing)
    {
        if (code == 0)
        {
            NotifyNormalClose();
        }
        else
        {
            NotifyErrorClose();
        }
    }
}

void
QuicSocketBase::Destroy()
{
    NS_LOG_FUNCTION(this);
    if (m_destroyed)
    {
        return;
    }
    m_destroyed = true;
    CancelTimers();
    if (m_state != CLOSED)
    {
        SetState(CLOSED);
    }
    if (m_quicl4)
    {
        Ptr<QuicSocketBase> self = this; // L4 drops its reference
        m_quicl4->RemoveSocket(self);
    }
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase, the application's side: the ns3::Socket calls (send, receive, close).
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

// --- the application's side ----------------------------------------------------------------

uint32_t
QuicSocketBase::GetTxAvailable() const
{
    if (!m_l5 || m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
    {
        return 0;
    }
    return std::min(m_txBuffer->GetFreeSpace(), m_l5->GetTxAvailable(m_l5->GetDefaultStreamId()));
}

int
QuicSocketBase::Send(Ptr<Packet> p, uint32_t flags)
{
    NS_LOG_FUNCTION(this << p->GetSize() << flags);
    if (!m_connected || !m_l5)
    {
        m_errno = ERROR_NOTCONN;
        return -1;
    }
    if (m_shutdownSend || m_closeRequested || m_state == CLOSING || m_state == DRAINING ||
        m_state == CLOSED)
    {
        m_errno = ERROR_SHUTDOWN;
        return -1;
    }
    uint32_t size = p->GetSize();
    if (size > m_txBuffer->GetFreeSpace())
    {
        m_errno = ERROR_MSGSIZE;
        return -1;
    }
    uint64_t streamId = flags == 0 ? m_l5->GetDefaultStreamId() : flags;
    SocketErrno err = ERROR_NOTERROR;
    int accepted = m_l5->Send(p, streamId, err);
    if (accepted < 0)
    {
        m_errno = err;
        return -1;
    }
    m_txBuffer->Reserve(static_cast<uint32_t>(accepted));
    // With the window full (the usual case when an application refills its buffer from
    // the send callback), nothing but ACK-only packets could leave now; what opens the
    // window sends anyway: an ACK (ReceiveDatagram), a loss (OnPacketLost) or a PTO.
    bool windowFull =
        m_state == OPEN && m_tcb->m_bytesInFlight.Get() + m_maxPacketSize > m_tcb->m_cWnd.Get();
    if (!windowFull)
    {
        ScheduleSend();
    }
    return accepted;
}

int
QuicSocketBase::SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress)
{
    return Send(p, flags); // a connection has one peer
}

uint32_t
QuicSocketBase::GetRxAvailable() const
{
    return m_rxBuffer->GetAvailable();
}

Ptr<Packet>
QuicSocketBase::Recv(uint32_t maxSize, uint32_t flags)
{
    if (m_rxBuffer->GetAvailable() == 0 || m_shutdownRecv)
    {
        m_errno = m_state == CLOSED || m_state == DRAINING ? ERROR_NOTERROR : ERROR_AGAIN;
        return nullptr;
    }
    uint64_t streamId = 0;
    Ptr<Packet> p = m_rxBuffer->Extract(maxSize, streamId);
    if (p && m_l5)
    {
        m_l5->OnConsumed(streamId, p->GetSize()); // credit back to the peer
        // A send event only if a credit update was queued: most reads queue none, and an
        // event per read would be an empty send per packet received.
        if (!m_txBuffer->IsEmpty())
        {
            ScheduleSend();
        }
    }
    return p;
}

Ptr<Packet>
QuicSocketBase::RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress)
{
    Ptr<Packet> p = Recv(maxSize, flags);
    if (p)
    {
        fromAddress = m_peer;
    }
    return p;
}

Ptr<Packet>
QuicSocketBase::RecvFromStream(uint64_t streamId, uint32_t maxSize)
{
    uint64_t next = 0;
    if (!m_rxBuffer->PeekStream(next) || next != streamId)
    {
        return nullptr;
    }
    return Recv(maxSize, 0);
}

int
QuicSocketBase::GetSockName(Address& address) const
{
    if (m_udp)
    {
        return m_udp->GetSockName(address);
    }
    address = m_local;
    return 0;
}

int
QuicSocketBase::GetPeerName(Address& address) const
{
    if (!m_connected)
    {
        m_errno = ERROR_NOTCONN;
        return -1;
    }
    address = m_peer;
    return 0;
}

int
QuicSocketBase::ShutdownSend()
{
    NS_LOG_FUNCTION(this);
    m_shutdownSend = true;
    if (m_l5)
    {
        m_l5->FinishAll();
        ScheduleSend();
    }
    return 0;
}

int
QuicSocketBase::ShutdownRecv()
{
    m_shutdownRecv = true;
    return 0;
}

int
QuicSocketBase::Close()
{
    NS_LOG_FUNCTION(this << StateName(m_state));
    switch (m_state)
    {
    case IDLE:
    case LISTENING:
        Destroy();
        return 0;
    case CLOSING:
    case DRAINING:
    case CLOSED:
        return 0;
    default:
        break;
    }
    m_closeRequested = true;
    m_l5->FinishAll();
    if (m_flushOnClose)
    {
        ScheduleSend();
        MaybeFinishGracefulClose();
    }
    else
    {
        StartClosing(0, true, 0, "");
    }
    return 0;
}

void
QuicSocketBase::CloseWithApplicationError(uint64_t applicationErrorCode, const std::string& reason)
{
    StartClosing(applicationErrorCode, true, 0, reason);
}

void
QuicSocketBase::CloseWithTransportError(const QuicWireError& error)
{
    NS_LOG_WARN(this << " closing: " << error.ToString());
    StartClosing(static_cast<uint64_t>(error.code),
                 false,
                 error.frameType == QuicWireError::kNoFrameType ? 0 : error.frameType,
                 error.message);
}

void
QuicSocketBase::Abort()
{
    NS_LOG_FUNCTION(this);
    CancelTimers();
    if (m_state != CLOSED)
    {
        m_state = CLOSED;
    }
}

void
QuicSocketBase::MaybeFinishGracefulClose()
{
    if (m_closeRequested &&
        (m_state == OPEN || m_state == CONNECTING_SVR || m_state == CONNECTING_CLT) &&
        m_l5->IsAllDataAcked() && m_handshake->IsComplete())
    {
        StartClosing(0, true, 0, "");
    }
}

} // namespace ns3

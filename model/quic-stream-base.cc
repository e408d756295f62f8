/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-stream-base.h"

#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicStreamBase");

NS_OBJECT_ENSURE_REGISTERED(QuicStreamBase);

TypeId
QuicStreamBase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicStreamBase")
            .SetParent<Object>()
            .SetGroupName("Internet")
            .AddConstructor<QuicStreamBase>()
            .AddTraceSource("RxBytes",
                            "Bytes of this stream delivered to the application",
                            MakeTraceSourceAccessor(&QuicStreamBase::m_bytesDelivered),
                            "ns3::TracedValueCallback::Uint64");
    return tid;
}

QuicStreamBase::QuicStreamBase()
    : m_tx(CreateObject<QuicStreamTxBuffer>()),
      m_rx(CreateObject<QuicStreamRxBuffer>())
{
}

QuicStreamBase::~QuicStreamBase() = default;

void
QuicStreamBase::DoDispose()
{
    m_tx = nullptr;
    m_rx = nullptr;
    Object::DoDispose();
}

void
QuicStreamBase::Setup(uint64_t streamId,
                      bool isServer,
                      uint32_t sendBufferSize,
                      uint32_t receiveBufferSize,
                      uint64_t maxReceiveWindow,
                      uint64_t peerSendLimit)
{
    NS_LOG_FUNCTION(this << streamId << isServer);
    m_streamId = streamId;
    m_isServer = isServer;
    m_tx->SetMaxBufferSize(sendBufferSize);
    // The receive buffer holds at most what the window lets the peer send.
    m_rx->SetMaxBufferSize(maxReceiveWindow);
    m_recvFc.SetReceiveWindow(receiveBufferSize, maxReceiveWindow);
    m_sendFc.UpdatePeerLimit(peerSendLimit);
    m_sendState = CanSend() ? SEND_READY : SEND_NONE;
    m_recvState = CanReceive() ? RECV_RECV : RECV_NONE;
}

uint64_t
QuicStreamBase::GetStreamId() const
{
    return m_streamId;
}

bool
QuicStreamBase::IsBidirectional() const
{
    return (m_streamId & 0x2) == 0; // RFC 9000 §2.1: bit 0x2 set for unidirectional
}

bool
QuicStreamBase::IsLocal() const
{
    // RFC 9000 §2.1: bit 0x1 set for server-initiated streams.
    return ((m_streamId & 0x1) == 1) == m_isServer;
}

bool
QuicStreamBase::CanSend() const
{
    return IsBidirectional() || IsLocal();
}

bool
QuicStreamBase::CanReceive() const
{
    return IsBidirectional() || !IsLocal();
}

Ptr<QuicStreamTxBuffer>
QuicStreamBase::GetTxBuffer() const
{
    return m_tx;
}

Ptr<QuicStreamRxBuffer>
QuicStreamBase::GetRxBuffer() const
{
    return m_rx;
}

QuicFlowController&
QuicStreamBase::GetSendFlowControl()
{
    return m_sendFc;
}

QuicFlowController&
QuicStreamBase::GetReceiveFlowControl()
{
    return m_recvFc;
}

QuicStreamBase::SendState
QuicStreamBase::GetSendState() const
{
    return m_sendState;
}

QuicStreamBase::RecvState
QuicStreamBase::GetRecvState() const
{
    return m_recvState;
}

void
QuicStreamBase::SetSendState(SendState s)
{
    NS_LOG_FUNCTION(this << m_streamId << int(m_sendState) << int(s));
    m_sendState = s;
}

void
QuicStreamBase::SetRecvState(RecvState s)
{
    NS_LOG_FUNCTION(this << m_streamId << int(m_recvState) << int(s));
    m_recvState = s;
}

uint8_t
QuicStreamBase::GetPriority() const
{
    return m_priority;
}

void
QuicStreamBase::SetPriority(uint8_t priority)
{
    m_priority = priority;
}

uint64_t
QuicStreamBase::GetBytesDelivered() const
{
    return m_bytesDelivered;
}

void
QuicStreamBase::AddBytesDelivered(uint64_t bytes)
{
    m_bytesDelivered = m_bytesDelivered + bytes;
}

bool
QuicStreamBase::IsClosed() const
{
    // RFC 9000 §3.1 makes "Reset Recvd" terminal, but once RESET_STREAM is queued the
    // stream object has no further use: the frame is repeated until acknowledged by the
    // socket's control-frame queue, which does not need the stream. Nothing reports that
    // acknowledgment to the stream, so "Reset Sent" counts as done here (otherwise a
    // reset stream is never forgotten and never returns its MAX_STREAMS credit).
    bool sendDone = m_sendState == SEND_NONE || m_sendState == SEND_DATA_RECVD ||
                    m_sendState == SEND_RESET_SENT || m_sendState == SEND_RESET_RECVD;
    bool recvDone =
        m_recvState == RECV_NONE || m_recvState == RECV_DATA_READ || m_recvState == RECV_RESET_READ;
    return sendDone && recvDone;
}

} // namespace ns3

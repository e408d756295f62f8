/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-l5-protocol.h"

#include "quic-byte-writer.h"
#include "quic-socket-base.h"
#include "quic-varint.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicL5Protocol");

NS_OBJECT_ENSURE_REGISTERED(QuicL5Protocol);

namespace
{

/// \return true if a stream id is bidirectional (RFC 9000 §2.1)
bool
IsBidi(uint64_t id)
{
    return (id & 0x2) == 0;
}

/// \return true if a stream id was opened by the server
bool
IsServerInitiated(uint64_t id)
{
    return (id & 0x1) == 1;
}

} // namespace

TypeId
QuicL5Protocol::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicL5Protocol")
                            .SetParent<Object>()
                            .SetGroupName("Internet")
                            .AddConstructor<QuicL5Protocol>();
    return tid;
}

QuicL5Protocol::QuicL5Protocol() = default;

QuicL5Protocol::~QuicL5Protocol() = default;

void
QuicL5Protocol::DoDispose()
{
    for (auto& kv : m_streams)
    {
        kv.second->Dispose();
    }
    m_streams.clear();
    m_socket = nullptr;
    Object::DoDispose();
}

void
QuicL5Protocol::Setup(QuicSocketBase* socket, bool isServer, const QuicL5Config& config)
{
    m_socket = socket;
    m_isServer = isServer;
    m_config = config;
    m_connRecv.SetReceiveWindow(config.connectionWindow, config.maxConnectionWindow);
    if (!isServer)
    {
        // Until the server's transport parameters arrive, a client assumes the server
        // grants what it grants itself: the "remembered" parameters 0-RTT data is sent
        // under (RFC 9000 §7.4.1) — a modelling choice, as no session state is stored.
        // They also let the application write before the handshake completes.
        m_peerMaxStreamsBidi = config.maxStreamsBidi;
        m_peerMaxStreamsUni = config.maxStreamsUni;
        m_peerStreamDataBidiLocal = config.streamRcvBufSize;
        m_peerStreamDataBidiRemote = config.streamRcvBufSize;
        m_peerStreamDataUni = config.streamRcvBufSize;
        m_connSend.SetProvisionalPeerLimit(config.connectionWindow);
    }
}

void
QuicL5Protocol::FillTransportParameters(QuicTransportParameters& tp) const
{
    tp.SetInitialMaxData(m_config.connectionWindow);
    tp.SetInitialMaxStreamDataBidiLocal(m_config.streamRcvBufSize);
    tp.SetInitialMaxStreamDataBidiRemote(m_config.streamRcvBufSize);
    tp.SetInitialMaxStreamDataUni(m_config.streamRcvBufSize);
    tp.SetInitialMaxStreamsBidi(m_config.maxStreamsBidi);
    tp.SetInitialMaxStreamsUni(m_config.maxStreamsUni);
}

uint64_t
QuicL5Protocol::PeerInitialCredit(uint64_t streamId) const
{
    bool local = IsServerInitiated(streamId) == m_isServer;
    if (!IsBidi(streamId))
    {
        return m_peerStreamDataUni;
    }
    // RFC 9000 §18.2: "bidi_local" applies to streams the peer opened, "bidi_remote"
    // to streams we opened (both seen from the peer).
    return local ? m_peerStreamDataBidiRemote : m_peerStreamDataBidiLocal;
}

void
QuicL5Protocol::OnPeerTransportParameters(const QuicTransportParameters& tp)
{
    // The real values replace the assumed ones, lower ones included, as long as nothing
    // beyond them was sent (always true without 0-RTT: no data leaves before them).
    auto apply = [](QuicFlowController& fc, uint64_t limit) {
        if (fc.GetSentOffset() <= limit)
        {
            fc.SetProvisionalPeerLimit(limit);
        }
        else
        {
            fc.UpdatePeerLimit(limit);
        }
    };
    apply(m_connSend, tp.GetInitialMaxData());
    m_peerStreamDataBidiLocal = tp.GetInitialMaxStreamDataBidiLocal();
    m_peerStreamDataBidiRemote = tp.GetInitialMaxStreamDataBidiRemote();
    m_peerStreamDataUni = tp.GetInitialMaxStreamDataUni();
    m_peerMaxStreamsBidi = tp.GetInitialMaxStreamsBidi();
    m_peerMaxStreamsUni = tp.GetInitialMaxStreamsUni();
    for (auto& kv : m_streams)
    {
        if (kv.second->CanSend())
        {
            apply(kv.second->GetSendFlowControl(), PeerInitialCredit(kv.first));
        }
    }
}

// --- the application's side ----------------------------------------------------------------

uint64_t
QuicL5Protocol::GetDefaultStreamId() const
{
    if (!m_isServer)
    {
        return 0;
    }
    return m_streams.count(0) > 0 ? 0 : 1;
}

Ptr<QuicStreamBase>
QuicL5Protocol::GetStream(uint64_t streamId) const
{
    auto it = m_streams.find(streamId);
    return it == m_streams.end() ? nullptr : it->second;
}

Ptr<QuicStreamBase>
QuicL5Protocol::OpenStream(uint64_t streamId)
{
    Ptr<QuicStreamBase> s = CreateObject<QuicStreamBase>();
    s->Setup(streamId,
             m_isServer,
             m_config.streamSndBufSize,
             m_config.streamRcvBufSize,
             m_config.maxStreamWindow,
             PeerInitialCredit(streamId));
    m_streams[streamId] = s;
    // quiche-style: the connection window stays above 1.5 stream windows.
    m_connRecv.EnsureWindowAtLeast(m_config.streamRcvBufSize + m_config.streamRcvBufSize / 2);
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({streamId});
    m_socket->GetProtoops().Call(*m_socket, QuicSocketBase::GetProtoopIds().streamOpened, a);
    NS_LOG_LOGIC("stream " << streamId << " opened");
    return s;
}

Ptr<QuicStreamBase>
QuicL5Protocol::GetOrOpen(uint64_t streamId, bool local, QuicWireError& error)
{
    auto it = m_streams.find(streamId);
    if (it != m_streams.end())
    {
        return it->second;
    }
    bool ours = IsServerInitiated(streamId) == m_isServer;
    uint64_t index = streamId >> 2;
    bool bidi = IsBidi(streamId);
    if (ours)
    {
        uint64_t& opened = bidi ? m_openedLocalBidi : m_openedLocalUni;
        if (!local)
        {
            if (index < opened)
            {
                return nullptr; // closed and forgotten: late frames are ignored
            }
            // RFC 9000 §19.8: a frame for a stream of ours not yet opened.
            error.Set(QuicTransportErrorCode::STREAM_STATE_ERROR,
                      QuicWireError::kNoFrameType,
                      "Stream ID",
                      0,
                      "stream " + std::to_string(streamId) + " was never opened locally");
            return nullptr;
        }
        uint64_t limit = bidi ? m_peerMaxStreamsBidi : m_peerMaxStreamsUni;
        if (index >= limit)
        {
            return nullptr; // the peer's MAX_STREAMS does not allow it yet
        }
        if (index < opened)
        {
            return nullptr; // closed
        }
        opened = index + 1;
        return OpenStream(streamId);
    }
    if (local)
    {
        return nullptr; // we cannot open the peer's streams
    }
    uint64_t& opened = bidi ? m_openedByPeerBidi : m_openedByPeerUni;
    uint64_t limit = (bidi ? m_config.maxStreamsBidi : m_config.maxStreamsUni) +
                     (bidi ? m_closedByPeerBidi : m_closedByPeerUni);
    if (index >= limit)
    {
        error.Set(QuicTransportErrorCode::STREAM_LIMIT_ERROR,
                  QuicWireError::kNoFrameType,
                  "Stream ID",
                  0,
                  "stream " + std::to_string(streamId) + " beyond the limit of " +
                      std::to_string(limit));
        return nullptr;
    }
    if (index < opened)
    {
        return nullptr; // closed and forgotten
    }
    // RFC 9000 §3.2: opening a stream opens every lower one of its kind.
    Ptr<QuicStreamBase> s;
    for (uint64_t i = opened; i <= index; ++i)
    {
        s = OpenStream((i << 2) | (streamId & 0x3));
    }
    opened = index + 1;
    return s;
}

int
QuicL5Protocol::Send(Ptr<Packet> data, uint64_t streamId, Socket::SocketErrno& error)
{
    QuicWireError unused;
    Ptr<QuicStreamBase> s = GetOrOpen(streamId, true, unused);
    if (!s)
    {
        bool ours = IsServerInitiated(streamId) == m_isServer;
        uint64_t limit = IsBidi(streamId) ? m_peerMaxStreamsBidi : m_peerMaxStreamsUni;
        if (ours && (streamId >> 2) >= limit)
        {
            // RFC 9000 §4.6: tell the peer we are blocked by its stream limit.
            m_socket->QueueControlFrame(
                QuicSubheader::CreateStreamsBlocked(IsBidi(streamId), limit));
            m_socket->NotifyStreamDataReady(); // the socket sends nothing else for a refusal
            error = Socket::ERROR_AGAIN;
        }
        else
        {
            error = Socket::ERROR_INVAL;
        }
        return -1;
    }
    if (!s->CanSend())
    {
        error = Socket::ERROR_INVAL; // the peer's unidirectional stream: receive-only
        return -1;
    }
    if (s->GetTxBuffer()->IsFinished() || s->GetTxBuffer()->IsReset())
    {
        error = Socket::ERROR_SHUTDOWN;
        return -1;
    }
    if (data->GetSize() > s->GetTxBuffer()->GetFreeSpace())
    {
        error = Socket::ERROR_MSGSIZE;
        return -1;
    }
    uint32_t n = s->GetTxBuffer()->Add(data);
    if (s->GetSendState() == QuicStreamBase::SEND_READY)
    {
        s->SetSendState(QuicStreamBase::SEND_SEND);
    }
    return static_cast<int>(n);
}

uint32_t
QuicL5Protocol::GetTxAvailable(uint64_t streamId) const
{
    Ptr<QuicStreamBase> s = GetStream(streamId);
    if (s)
    {
        return s->CanSend() && !s->GetTxBuffer()->IsFinished() ? s->GetTxBuffer()->GetFreeSpace()
                                                               : 0;
    }
    return m_config.streamSndBufSize;
}

void
QuicL5Protocol::FinishAll()
{
    for (auto& kv : m_streams)
    {
        Ptr<QuicStreamBase> s = kv.second;
        // Streams the peer opened and we never wrote on are finished too (an empty STREAM
        // frame with FIN): RFC 9000 §3 closes a bidirectional stream only when both parts
        // are done, and only then does the peer get its MAX_STREAMS credit back.
        if (s->CanSend() && !s->GetTxBuffer()->IsFinished() && !s->GetTxBuffer()->IsReset())
        {
            s->GetTxBuffer()->Finish();
            if (s->GetSendState() == QuicStreamBase::SEND_READY)
            {
                s->SetSendState(QuicStreamBase::SEND_SEND);
            }
        }
    }
}

void
QuicL5Protocol::ResetStream(uint64_t streamId, uint64_t applicationErrorCode)
{
    Ptr<QuicStreamBase> s = GetStream(streamId);
    if (!s || !s->CanSend() || s->GetTxBuffer()->IsReset())
    {
        return;
    }
    uint64_t finalSize = s->GetTxBuffer()->Reset();
    s->SetSendState(QuicStreamBase::SEND_RESET_SENT);
    m_socket->QueueControlFrame(
        QuicSubheader::CreateResetStream(streamId, applicationErrorCode, finalSize));
    m_socket->NotifyStreamDataReady();
    MaybeForget(s); // its receiving part may be done already
}

void
QuicL5Protocol::StopSending(uint64_t streamId, uint64_t applicationErrorCode)
{
    Ptr<QuicStreamBase> s = GetStream(streamId);
    if (!s || !s->CanReceive())
    {
        return;
    }
    m_socket->QueueControlFrame(QuicSubheader::CreateStopSending(streamId, applicationErrorCode));
    m_socket->NotifyStreamDataReady();
}

void
QuicL5Protocol::OnConsumed(uint64_t streamId, uint64_t bytes)
{
    m_connRecv.OnConsumed(bytes);
    Ptr<QuicStreamBase> s = GetStream(streamId);
    if (s)
    {
        s->GetReceiveFlowControl().OnConsumed(bytes);
        s->AddBytesDelivered(bytes);
        DeliverReadable(s); // what waited for room in the socket buffer
        MaybeSendCreditUpdates(s);
        MaybeForget(s);
    }
    else
    {
        MaybeSendCreditUpdates(nullptr);
    }
}

// --- the sender's side ---------------------------------------------------------------------

uint64_t
QuicL5Protocol::GetConnectionCredit() const
{
    return m_connSend.GetSendCredit();
}

bool
QuicL5Protocol::StreamCanSend(const Ptr<QuicStreamBase>& s, uint64_t connCredit) const
{
    Ptr<QuicStreamTxBuffer> tx = s->GetTxBuffer();
    if (!s->CanSend() || !tx->HasPendingData())
    {
        return false;
    }
    uint64_t id = s->GetStreamId();
    if (IsServerInitiated(id) == m_isServer &&
        (id >> 2) >= (IsBidi(id) ? m_peerMaxStreamsBidi : m_peerMaxStreamsUni))
    {
        return false; // RFC 9000 §4.6: opened before the peer's limit was known
    }
    if (tx->HasLostData())
    {
        return true; // retransmissions use no new credit
    }
    if (tx->GetUnsentBytes() == 0)
    {
        return true; // a FIN alone
    }
    QuicFlowController& fc = const_cast<QuicStreamBase&>(*s).GetSendFlowControl();
    return connCredit > 0 && fc.GetSendLimit() > tx->GetNextOffset();
}

bool
QuicL5Protocol::HasDataToSend() const
{
    uint64_t credit = GetConnectionCredit();
    for (const auto& kv : m_streams)
    {
        if (StreamCanSend(kv.second, credit))
        {
            return true;
        }
    }
    return false;
}

bool
QuicL5Protocol::IsAllDataAcked() const
{
    for (const auto& kv : m_streams)
    {
        Ptr<QuicStreamTxBuffer> tx = kv.second->GetTxBuffer();
        if (kv.second->CanSend() && !tx->IsReset() && !tx->IsAllAcked())
        {
            return false;
        }
    }
    return true;
}

void
QuicL5Protocol::ScheduleOrder(std::vector<Ptr<QuicStreamBase>>& order)
{
    order.clear();
    order.reserve(m_streams.size());
    if (m_config.priorityScheduling)
    {
        for (auto& kv : m_streams)
        {
            order.push_back(kv.second);
        }
        std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
            return a->GetPriority() < b->GetPriority();
        });
        return;
    }
    // Round-robin: start after the stream served first last time.
    auto start = m_streams.upper_bound(m_rrCursor);
    for (auto it = start; it != m_streams.end(); ++it)
    {
        order.push_back(it->second);
    }
    for (auto it = m_streams.begin(); it != start; ++it)
    {
        order.push_back(it->second);
    }
}

uint32_t
QuicL5Protocol::WriteStreamFrames(QuicByteWriter& writer,
                                  uint32_t budget,
                                  std::vector<QuicSentFrame>& sent,
                                  bool mayOmitLength)
{
    uint32_t written = 0;
    bool first = true;
    // The kept vector is taken for this call (a nested call would find it empty).
    std::vector<Ptr<QuicStreamBase>> order;
    order.swap(m_orderScratch);
    ScheduleOrder(order);
    for (const Ptr<QuicStreamBase>& s : order)
    {
        Ptr<QuicStreamTxBuffer> tx = s->GetTxBuffer();
        uint64_t id = s->GetStreamId();
        QuicFlowController& fc = s->GetSendFlowControl();
        uint64_t connCredit = GetConnectionCredit();
        if (!StreamCanSend(s, connCredit))
        {
            // RFC 9000 §4.1: say so when flow control, not the application, holds data.
            if (s->CanSend() && tx->GetUnsentBytes() > 0 && !tx->HasLostData())
            {
                if (fc.GetSendLimit() <= tx->GetNextOffset() && fc.ShouldSendBlocked())
                {
                    m_socket->QueueControlFrame(
                        QuicSubheader::CreateStreamDataBlocked(id, fc.GetSendLimit()));
                    fc.OnBlockedSent();
                }
                if (connCredit == 0 && m_connSend.ShouldSendBlocked())
                {
                    m_socket->QueueControlFrame(
                        QuicSubheader::CreateDataBlocked(m_connSend.GetSendLimit()));
                    m_connSend.OnBlockedSent();
                }
            }
            continue;
        }
        uint32_t room = budget - written;
        // Header sized exactly (RFC 9000 §19.8), since every byte here is goodput lost:
        // type, stream id, and an offset no larger than the stream's next offset (lost data
        // lies below it); then either a Length, or none when the frame runs to the end of
        // the packet.
        uint32_t fixed =
            1 + QuicVarInt::GetEncodedSize(id) + QuicVarInt::GetEncodedSize(tx->GetNextOffset());
        if (room <= fixed + 2)
        {
            break;
        }
        uint64_t maxOffset = std::min(fc.GetSendLimit(), tx->GetNextOffset() + connCredit);
        uint64_t available = tx->PeekChunkLength(maxOffset);
        bool withLength = !mayOmitLength || available < room - fixed;
        uint64_t maxLen = room - fixed;
        if (withLength)
        {
            // Frames never exceed 16383 bytes, so the Length takes 1 or 2 bytes.
            maxLen -= QuicVarInt::GetEncodedSize(std::min<uint64_t>(available, maxLen));
        }
        uint64_t offset = 0;
        uint64_t len = 0;
        bool fin = false;
        if (!tx->NextChunk(maxLen, maxOffset, offset, len, fin))
        {
            continue;
        }
        uint64_t end = offset + len;
        if (offset < fc.GetSentOffset())
        {
            uint64_t again = std::min(end, fc.GetSentOffset()) - offset;
            m_bytesRetransmitted += again;
            ++m_framesRetransmitted;
            NotifyRetransmission(id, offset, again);
        }
        if (end > fc.GetSentOffset())
        {
            m_connSend.OnSent(m_connSend.GetSentOffset() + (end - fc.GetSentOffset()));
            fc.OnSent(end);
        }
        std::size_t headerStart = writer.Size();
        uint64_t frameType =
            QuicSubheader::EncodeStreamHeader(writer, id, offset, len, offset > 0, withLength, fin);
        auto headerSize = static_cast<uint32_t>(writer.Size() - headerStart);
        if (len > 0)
        {
            tx->CopyData(offset, len, writer.Extend(len)); // straight into the packet
        }
        written += headerSize + static_cast<uint32_t>(len);
        QuicSentFrame rec;
        rec.type = frameType;
        rec.streamId = id;
        rec.offset = offset;
        rec.length = len;
        rec.fin = fin;
        sent.push_back(rec);
        if (fin)
        {
            s->SetSendState(QuicStreamBase::SEND_DATA_SENT);
        }
        // RFC 9000 §4.1: data left behind by flow control is signalled when the limit is
        // reached — the sender may send nothing more (and so never come back here) until
        // the peer's credit arrives.
        if (tx->GetUnsentBytes() > 0)
        {
            if (fc.GetSendLimit() <= tx->GetNextOffset() && fc.ShouldSendBlocked())
            {
                m_socket->QueueControlFrame(
                    QuicSubheader::CreateStreamDataBlocked(id, fc.GetSendLimit()));
                fc.OnBlockedSent();
            }
            if (GetConnectionCredit() == 0 && m_connSend.ShouldSendBlocked())
            {
                m_socket->QueueControlFrame(
                    QuicSubheader::CreateDataBlocked(m_connSend.GetSendLimit()));
                m_connSend.OnBlockedSent();
            }
        }
        if (first)
        {
            m_rrCursor = id; // the next packet starts with the stream after this one
            first = false;
        }
        if (!withLength)
        {
            break; // the frame runs to the end of the packet
        }
    }
    order.clear(); // no stream kept alive by the scratch vector
    m_orderScratch.swap(order);
    return written;
}

uint32_t
QuicL5Protocol::OnStreamFrameAcked(const QuicSentFrame& frame)
{
    Ptr<QuicStreamBase> s = GetStream(frame.streamId);
    if (!s || s->GetTxBuffer()->IsReset())
    {
        return 0;
    }
    Ptr<QuicStreamTxBuffer> tx = s->GetTxBuffer();
    uint32_t before = tx->GetBufferedBytes();
    tx->OnAcked(frame.offset, frame.length, frame.fin);
    uint32_t after = tx->GetBufferedBytes();
    if (tx->IsFinished() && tx->IsAllAcked())
    {
        s->SetSendState(QuicStreamBase::SEND_DATA_RECVD);
        MaybeForget(s);
    }
    return before - after;
}

void
QuicL5Protocol::OnStreamFrameLost(const QuicSentFrame& frame)
{
    Ptr<QuicStreamBase> s = GetStream(frame.streamId);
    if (!s || s->GetTxBuffer()->IsReset())
    {
        return;
    }
    s->GetTxBuffer()->OnLost(frame.offset, frame.length, frame.fin);
}

// --- the receiver's side -------------------------------------------------------------------

bool
QuicL5Protocol::AccountReceived(Ptr<QuicStreamBase> s, uint64_t end, QuicWireError& error)
{
    QuicFlowController& fc = s->GetReceiveFlowControl();
    uint64_t before = fc.GetHighestReceived();
    QuicTransportErrorCode code = QuicTransportErrorCode::NO_ERROR;
    if (!fc.OnReceived(end, code))
    {
        error.Set(code,
                  QuicWireError::kNoFrameType,
                  "Offset",
                  0,
                  "stream " + std::to_string(s->GetStreamId()) + " data beyond its limit of " +
                      std::to_string(fc.GetReceiveLimit()));
        return false;
    }
    if (end > before)
    {
        // RFC 9000 §4.1: the connection limit counts the highest offsets of all streams.
        if (!m_connRecv.OnReceived(m_connRecv.GetHighestReceived() + (end - before), code))
        {
            error.Set(code,
                      QuicWireError::kNoFrameType,
                      "Offset",
                      0,
                      "connection data beyond its limit of " +
                          std::to_string(m_connRecv.GetReceiveLimit()));
            return false;
        }
    }
    return true;
}

bool
QuicL5Protocol::OnStreamFrame(const QuicSubheader& frame, const uint8_t* data, QuicWireError& error)
{
    uint64_t id = frame.GetStreamId();
    Ptr<QuicStreamBase> s = GetOrOpen(id, false, error);
    if (!s)
    {
        return !error.IsError();
    }
    if (!s->CanReceive())
    {
        error.Set(QuicTransportErrorCode::STREAM_STATE_ERROR,
                  frame.GetFrameType(),
                  "Stream ID",
                  0,
                  "STREAM frame on our send-only stream " + std::to_string(id));
        return false;
    }
    uint64_t end = frame.GetOffset() + frame.GetDataLength();
    if (!AccountReceived(s, end, error))
    {
        return false;
    }
    QuicTransportErrorCode code = QuicTransportErrorCode::NO_ERROR;
    bool fin = (frame.GetFrameType() & QuicSubheader::STREAM_FIN_BIT) != 0;
    if (!s->GetRxBuffer()->Insert(frame.GetOffset(), data, frame.GetDataLength(), fin, code))
    {
        error.Set(code,
                  frame.GetFrameType(),
                  "Offset",
                  0,
                  "stream " + std::to_string(id) + " data rejected");
        return false;
    }
    if (fin && s->GetRecvState() == QuicStreamBase::RECV_RECV)
    {
        s->SetRecvState(QuicStreamBase::RECV_SIZE_KNOWN);
    }
    DeliverReadable(s);
    return true;
}

void
QuicL5Protocol::DeliverReadable(Ptr<QuicStreamBase> s)
{
    Ptr<QuicStreamRxBuffer> rx = s->GetRxBuffer();
    while (rx->GetReadableBytes() > 0)
    {
        uint32_t room = m_socket->GetSocketRxFreeSpace();
        if (room == 0)
        {
            return; // delivered when the application reads (OnConsumed)
        }
        Ptr<Packet> p = rx->Extract(std::min<uint64_t>(room, rx->GetReadableBytes()));
        m_socket->DeliverStreamData(s->GetStreamId(), p);
    }
    if (rx->IsFinRead() && s->GetRecvState() != QuicStreamBase::RECV_DATA_READ)
    {
        s->SetRecvState(QuicStreamBase::RECV_DATA_READ);
    }
}

bool
QuicL5Protocol::OnControlFrame(const QuicSubheader& frame, QuicWireError& error)
{
    uint64_t type = frame.GetFrameType();
    switch (type)
    {
    case QuicSubheader::MAX_DATA:
        if (m_connSend.UpdatePeerLimit(frame.GetMaximumData()))
        {
            m_socket->NotifyStreamDataReady();
        }
        return true;
    case QuicSubheader::MAX_STREAMS_BIDI:
    case QuicSubheader::MAX_STREAMS_UNI: {
        uint64_t& limit =
            type == QuicSubheader::MAX_STREAMS_BIDI ? m_peerMaxStreamsBidi : m_peerMaxStreamsUni;
        if (frame.GetMaximumStreams() > limit)
        {
            limit = frame.GetMaximumStreams();
            m_socket->NotifyStreamDataReady();
        }
        return true;
    }
    case QuicSubheader::DATA_BLOCKED:
    case QuicSubheader::STREAMS_BLOCKED_BIDI:
    case QuicSubheader::STREAMS_BLOCKED_UNI:
        MaybeSendCreditUpdates(nullptr);
        return true;
    default:
        break;
    }
    // Stream-scoped frames.
    uint64_t id = frame.GetStreamId();
    Ptr<QuicStreamBase> s = GetOrOpen(id, false, error);
    if (!s)
    {
        return !error.IsError();
    }
    switch (type)
    {
    case QuicSubheader::MAX_STREAM_DATA:
        if (!s->CanSend())
        {
            error.Set(QuicTransportErrorCode::STREAM_STATE_ERROR,
                      type,
                      "Stream ID",
                      0,
                      "MAX_STREAM_DATA for the receive-only stream " + std::to_string(id));
            return false;
        }
        if (s->GetSendFlowControl().UpdatePeerLimit(frame.GetMaximumStreamData()))
        {
            m_socket->NotifyStreamDataReady();
        }
        return true;
    case QuicSubheader::STREAM_DATA_BLOCKED:
        if (!s->CanReceive())
        {
            error.Set(QuicTransportErrorCode::STREAM_STATE_ERROR,
                      type,
                      "Stream ID",
                      0,
                      "STREAM_DATA_BLOCKED for our send-only stream " + std::to_string(id));
            return false;
        }
        MaybeSendCreditUpdates(s);
        return true;
    case QuicSubheader::RESET_STREAM: {
        if (!s->CanReceive())
        {
            error.Set(QuicTransportErrorCode::STREAM_STATE_ERROR,
                      type,
                      "Stream ID",
                      0,
                      "RESET_STREAM for our send-only stream " + std::to_string(id));
            return false;
        }
        if (!AccountReceived(s, frame.GetFinalSize(), error))
        {
            return false;
        }
        QuicTransportErrorCode code = QuicTransportErrorCode::NO_ERROR;
        if (!s->GetRxBuffer()->OnReset(frame.GetFinalSize(), code))
        {
            error.Set(code, type, "Final Size", 0, "RESET_STREAM final size mismatch");
            return false;
        }
        s->SetRecvState(QuicStreamBase::RECV_RESET_READ);
        MaybeForget(s);
        return true;
    }
    case QuicSubheader::STOP_SENDING:
        if (!s->CanSend())
        {
            error.Set(QuicTransportErrorCode::STREAM_STATE_ERROR,
                      type,
                      "Stream ID",
                      0,
                      "STOP_SENDING for the receive-only stream " + std::to_string(id));
            return false;
        }
        // RFC 9000 §3.5: answer with RESET_STREAM carrying the same code.
        ResetStream(id, frame.GetErrorCode());
        return true;
    default:
        error.Set(QuicTransportErrorCode::INTERNAL_ERROR,
                  type,
                  "Frame Type",
                  0,
                  "not a stream-layer frame");
        return false;
    }
}

void
QuicL5Protocol::OnControlFrameLost(const QuicSubheader& frame)
{
    uint64_t type = frame.GetFrameType();
    switch (type)
    {
    case QuicSubheader::MAX_DATA:
        m_socket->QueueControlFrame(QuicSubheader::CreateMaxData(m_connRecv.GetReceiveLimit()));
        break;
    case QuicSubheader::MAX_STREAM_DATA: {
        Ptr<QuicStreamBase> s = GetStream(frame.GetStreamId());
        if (s && !s->GetRxBuffer()->IsFinReceived() && !s->GetRxBuffer()->IsReset())
        {
            m_socket->QueueControlFrame(
                QuicSubheader::CreateMaxStreamData(s->GetStreamId(),
                                                   s->GetReceiveFlowControl().GetReceiveLimit()));
        }
        break;
    }
    case QuicSubheader::MAX_STREAMS_BIDI:
        m_socket->QueueControlFrame(
            QuicSubheader::CreateMaxStreams(true, m_config.maxStreamsBidi + m_closedByPeerBidi));
        break;
    case QuicSubheader::MAX_STREAMS_UNI:
        m_socket->QueueControlFrame(
            QuicSubheader::CreateMaxStreams(false, m_config.maxStreamsUni + m_closedByPeerUni));
        break;
    case QuicSubheader::DATA_BLOCKED:
        if (m_connSend.GetSendLimit() == frame.GetMaximumData())
        {
            m_socket->QueueControlFrame(frame); // still blocked at that limit
        }
        break;
    case QuicSubheader::STREAM_DATA_BLOCKED: {
        Ptr<QuicStreamBase> s = GetStream(frame.GetStreamId());
        if (s && s->GetSendFlowControl().GetSendLimit() == frame.GetMaximumStreamData())
        {
            m_socket->QueueControlFrame(frame);
        }
        break;
    }
    default:
        m_socket->QueueControlFrame(frame); // RESET_STREAM, STOP_SENDING, STREAMS_BLOCKED
        break;
    }
}

void
QuicL5Protocol::MaybeSendCreditUpdates(Ptr<QuicStreamBase> s)
{
    Time now = Simulator::Now();
    Time srtt = m_socket->GetSocketState()->m_smoothedRtt;
    bool queued = false;
    if (s && s->CanReceive() && !s->GetRxBuffer()->IsFinReceived() &&
        !s->GetRxBuffer()->IsReset() && s->GetReceiveFlowControl().ShouldSendUpdate())
    {
        uint64_t limit = s->GetReceiveFlowControl().GetNewLimit(now, srtt);
        m_socket->QueueControlFrame(QuicSubheader::CreateMaxStreamData(s->GetStreamId(), limit));
        // Keep the connection window above 1.5 stream windows as streams grow.
        uint64_t w = s->GetReceiveFlowControl().GetReceiveWindow();
        m_connRecv.EnsureWindowAtLeast(w + w / 2);
        queued = true;
    }
    if (m_connRecv.ShouldSendUpdate())
    {
        m_socket->QueueControlFrame(
            QuicSubheader::CreateMaxData(m_connRecv.GetNewLimit(now, srtt)));
        queued = true;
    }
    if (queued)
    {
        m_socket->NotifyStreamDataReady();
    }
}

void
QuicL5Protocol::MaybeForget(Ptr<QuicStreamBase> s)
{
    if (!s->IsClosed())
    {
        return;
    }
    uint64_t id = s->GetStreamId();
    bool ours = IsServerInitiated(id) == m_isServer;
    m_streams.erase(id);
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({id});
    m_socket->GetProtoops().Call(*m_socket, QuicSocketBase::GetProtoopIds().streamClosed, a);
    if (!ours)
    {
        // RFC 9000 §4.6: credit for a new stream as each peer stream closes.
        bool bidi = IsBidi(id);
        uint64_t& closed = bidi ? m_closedByPeerBidi : m_closedByPeerUni;
        ++closed;
        uint64_t limit = (bidi ? m_config.maxStreamsBidi : m_config.maxStreamsUni) + closed;
        m_socket->QueueControlFrame(QuicSubheader::CreateMaxStreams(bidi, limit));
    }
    s->Dispose();
}

uint64_t
QuicL5Protocol::GetBytesRetransmitted() const
{
    return m_bytesRetransmitted;
}

uint64_t
QuicL5Protocol::GetFramesRetransmitted() const
{
    return m_framesRetransmitted;
}

void
QuicL5Protocol::NotifyRetransmission(uint64_t streamId, uint64_t offset, uint64_t bytes)
{
    // Observer event for plugins (monitoring's retransmission counters); off the
    // first-transmission path, and one look-up when nothing is attached.
    static const QuicProtoopId retransmitted = QuicProtoopRegistry::Intern(
        "stream_data_retransmitted",
        {QuicProtoopArgKind::VALUE, QuicProtoopArgKind::VALUE, QuicProtoopArgKind::VALUE});
    if (m_socket->GetProtoops().IsHooked(retransmitted, kQuicNoParam))
    {
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({streamId, offset, bytes});
        m_socket->GetProtoops().Call(*m_socket, retransmitted, a);
    }
}

const std::map<uint64_t, Ptr<QuicStreamBase>>&
QuicL5Protocol::GetStreams() const
{
    return m_streams;
}

const QuicFlowController&
QuicL5Protocol::GetConnectionSendFlowControl() const
{
    return m_connSend;
}

const QuicFlowController&
QuicL5Protocol::GetConnectionReceiveFlowControl() const
{
    return m_connRecv;
}

} // namespace ns3

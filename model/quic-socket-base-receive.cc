/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase, receiving and processing packets and frames.
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

using quicsocketbase::kAeadTagSize;
using quicsocketbase::SpaceOf;

// --- receiving --------------------------------------------------------------------------------

void
QuicSocketBase::ReceiveDatagram(const uint8_t* data,
                                std::size_t size,
                                const Address& from,
                                uint8_t tos)
{
    NS_LOG_FUNCTION(this << size << from);
    if (m_state == CLOSED || m_state == DRAINING || !m_handshake)
    {
        return; // RFC 9000 §10.2.2: a draining endpoint sends nothing
    }
    Ptr<QuicSocketBase> self = this; // a close may make L4 drop its reference
    NowScope nowScope(*this);        // after self: closed before the reference goes
    m_stats.bytesReceived += size;
    if (m_isServer && !m_peerAddressValidated)
    {
        m_bytesReceivedBeforeValidation += size;
    }
    if (m_state == CLOSING)
    {
        // RFC 9000 §10.2.1: answer with CONNECTION_CLOSE, at a limited rate.
        Time gap = m_recovery ? m_recovery->GetRtt().GetSmoothedRtt() : MilliSeconds(1);
        if (Simulator::Now() - m_lastCloseSent >= gap)
        {
            SendConnectionClose();
        }
        return;
    }
    std::size_t pos = 0;
    while (pos < size)
    {
        QuicHeader h;
        std::size_t consumed = 0;
        QuicWireError err;
        if (!QuicHeader::TryDecode(data + pos,
                                   size - pos,
                                   m_localCid.GetLength(),
                                   h,
                                   consumed,
                                   err))
        {
            NS_LOG_LOGIC("undecodable packet dropped: " << err.ToString());
            ++m_stats.packetsDropped;
            break; // RFC 9000 §12.2: the rest of the datagram cannot be parsed either
        }
        QuicHeader::PacketType type = h.GetType();
        if (type == QuicHeader::VERSION_NEGOTIATION)
        {
            OnVersionNegotiation(h);
            break;
        }
        if (type == QuicHeader::RETRY || type == QuicHeader::UNKNOWN_VERSION)
        {
            ++m_stats.packetsDropped; // Retry is not modelled; unknown versions are ignored
            break;
        }
        std::size_t end = size;
        if (h.IsLong())
        {
            if (h.GetPayloadLength() > size - pos - consumed)
            {
                ++m_stats.packetsDropped;
                break;
            }
            end = pos + consumed + h.GetPayloadLength();
        }
        std::size_t payloadLen = end - pos - consumed;
        if (payloadLen <= kAeadTagSize)
        {
            ++m_stats.packetsDropped; // too short to hold an AEAD tag and a frame
            pos = end;
            continue;
        }
        if (m_packetProtection && !QuicPacketProtection::Verify(data + pos, end - pos))
        {
            ++m_stats.packetsDropped; // RFC 9000 §12.2: authentication failed, discarded
            pos = end;
            continue;
        }
        if (m_isServer && !m_cidsSet && type == QuicHeader::INITIAL)
        {
            AdoptClientInitial(h);
        }
        else if (!m_isServer && !m_serverCidKnown &&
                 (type == QuicHeader::INITIAL || type == QuicHeader::HANDSHAKE))
        {
            // RFC 9000 §7.2: the client switches to the connection ID the server chose.
            m_peerCid = h.GetSourceConnectionId();
            m_serverCidKnown = true;
        }
        if (!ProcessPacket(h, data + pos + consumed, payloadLen - kAeadTagSize, tos))
        {
            break;
        }
        if (!m_txTrace.IsEmpty() || !m_rxTrace.IsEmpty())
        {
            m_rxTrace(Create<Packet>(data + pos, end - pos), h, this);
        }
        pos = end;
    }
    if (m_state == CLOSED || m_state == CLOSING || m_state == DRAINING)
    {
        return;
    }
    OnHandshakeProgress();
    MaybeFinishGracefulClose();
    SendPendingData();
    if (m_dataToNotify && m_state != CLOSED)
    {
        m_dataToNotify = false;
        NotifyDataRecv();
    }
    if (m_notifySend && m_state != CLOSED)
    {
        m_notifySend = false;
        uint32_t avail = GetTxAvailable();
        if (avail > 0)
        {
            NotifySend(avail);
        }
    }
}

void
QuicSocketBase::AdoptClientInitial(const QuicHeader& h)
{
    m_originalDcid = h.GetDestinationConnectionId();
    m_peerCid = h.GetSourceConnectionId();
    m_version = h.GetVersion();
    m_localCid = m_quicl4->NewConnectionId();
    m_quicl4->RegisterConnectionId(m_localCid, this);
    // The client keeps using the original DCID until our first Initial reaches it.
    m_quicl4->RegisterConnectionId(m_originalDcid, this);
    m_cidsSet = true;
    BuildLocalTransportParameters();
    m_handshake->SetServerParameters(m_localTp);
    RestartIdleTimer();
}

bool
QuicSocketBase::ProcessPacket(const QuicHeader& h,
                              const uint8_t* payload,
                              std::size_t len,
                              uint8_t tos)
{
    QuicHeader::PacketType type = h.GetType();
    QuicPacketNumberSpace space = SpaceOf(type);
    std::size_t si = Idx(space);
    bool keys = HasKeys(space);
    if (type == QuicHeader::ZERO_RTT)
    {
        // A server reads 0-RTT once it has the ClientHello; a client never receives it.
        keys = m_isServer && m_handshake->HasPeerParameters() && !m_spaceDiscarded[si];
    }
    if (!keys)
    {
        NS_LOG_LOGIC("no keys for " << QuicHeader::PacketTypeToString(type) << ": dropped");
        ++m_stats.packetsDropped;
        return true;
    }
    std::optional<uint64_t> largest;
    if (m_received[si].HasReceived())
    {
        largest = m_received[si].GetLargestReceived();
    }
    uint64_t pn = QuicPacketNumber::Decode(largest,
                                           h.GetTruncatedPacketNumber(),
                                           h.GetPacketNumberLength() * 8);
    if (m_received[si].IsDuplicate(pn))
    {
        ++m_stats.packetsDropped;
        return true;
    }
    if (m_isServer && space == QuicPacketNumberSpace::HANDSHAKE)
    {
        // RFC 9000 §8.1: a Handshake packet proves the client's address; RFC 9001
        // §4.9.1: the server then discards Initial keys.
        m_peerAddressValidated = true;
        DiscardSpace(QuicPacketNumberSpace::INITIAL);
    }

    // Plugins see this packet (META_PACKET) while it is parsed.
    QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(si), pn, true);
    QuicByteReader reader(payload, len);
    bool ackEliciting = false;
    const QuicProtoopId processFrame = GetProtoopIds().processFrame;
    while (reader.Remaining() > 0)
    {
        QuicSubheader f;
        QuicWireError err;
        std::size_t frameStart = reader.Position();
        std::size_t pluginConsumed = 0;
        if (m_plugins && ParsePluginFrame(payload + frameStart, reader.Remaining(), pluginConsumed))
        {
            if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
            {
                return false;
            }
            if (pluginConsumed == 0 || pluginConsumed > reader.Remaining())
            {
                QuicWireError e;
                e.Set(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                      0,
                      "Frame Type",
                      frameStart,
                      "a plugin could not parse its frame");
                CloseWithTransportError(e);
                return false;
            }
            reader.Skip(pluginConsumed);
            ackEliciting = true; // plugin frames are ack-eliciting (their notify needs it)
            continue;
        }
        if (!QuicSubheader::TryDecode(reader, f, err))
        {
            err.offset += frameStart;
            CloseWithTransportError(err);
            return false;
        }
        uint64_t ft = f.GetFrameType();
        if (!QuicSubheader::IsAllowedInPacketType(ft, type))
        {
            QuicWireError e;
            e.Set(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                  ft,
                  "Frame Type",
                  frameStart,
                  std::string("frame not allowed in ") + QuicHeader::PacketTypeToString(type) +
                      " packets");
            CloseWithTransportError(e);
            return false;
        }
        const uint8_t* data = nullptr;
        uint64_t dataLen = 0;
        if (QuicSubheader::IsStream(ft) || ft == QuicSubheader::CRYPTO ||
            QuicSubheader::IsDatagram(ft))
        {
            dataLen = f.GetDataLength();
            data = payload + reader.Position();
            reader.Skip(dataLen); // TryDecode checked the bytes are there
        }
        ackEliciting = ackEliciting || QuicSubheader::IsAckEliciting(ft);
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&f),
                                                     reinterpret_cast<uint64_t>(data),
                                                     dataLen,
                                                     uint64_t(si)});
        a.param = ft;
        uint64_t rc = m_protoops.Call(*this, processFrame, a);
        if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
        {
            return false; // the frame closed the connection
        }
        if (rc != 0)
        {
            QuicWireError e = m_lastError;
            if (!e.IsError())
            {
                e.Set(static_cast<QuicTransportErrorCode>(rc),
                      ft,
                      "",
                      frameStart,
                      "frame rejected");
            }
            e.frameType = ft;
            m_lastError.Clear();
            CloseWithTransportError(e);
            return false;
        }
    }
    if (m_plugins)
    {
        // Plugin-defined ACK policy (e.g. the ack-frequency plugin); no plugin, no call.
        static const QuicProtoopId ackThreshold =
            QuicProtoopRegistry::Intern("ack_eliciting_threshold", {QuicProtoopArgKind::VALUE});
        if (m_protoops.IsCallable(ackThreshold, kQuicNoParam))
        {
            QuicProtoopArgs t = QuicProtoopArgs::Inputs({uint64_t(si)});
            uint64_t n = m_protoops.Call(*this, ackThreshold, t);
            m_received[si].SetAckElicitingThreshold(
                static_cast<uint32_t>(std::min<uint64_t>(n, UINT32_MAX)));
        }
    }
    m_received[si].OnPacketReceived(pn, ackEliciting, Now(), tos & 0x3);
    ++m_stats.packetsReceived;
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({pn, len, uint64_t(si)});
    m_protoops.Call(*this, GetProtoopIds().onPacketReceived, a);
    RestartIdleTimer();
    return true;
}

uint64_t
QuicSocketBase::ProcessFrame(const QuicSubheader& f,
                             const uint8_t* data,
                             uint64_t dataLen,
                             QuicPacketNumberSpace space)
{
    uint64_t type = f.GetFrameType();
    auto fail = [this, type](QuicTransportErrorCode code, const std::string& msg) {
        m_lastError.Set(code, type, "", 0, msg);
        return static_cast<uint64_t>(code);
    };
    if (QuicSubheader::IsStream(type))
    {
        QuicWireError err;
        if (!m_l5->OnStreamFrame(f, data, err))
        {
            m_lastError = err;
            return static_cast<uint64_t>(err.code);
        }
        return 0;
    }
    if (QuicSubheader::IsStreamControl(type))
    {
        QuicWireError err;
        if (!m_l5->OnControlFrame(f, err))
        {
            m_lastError = err;
            return static_cast<uint64_t>(err.code);
        }
        return 0;
    }
    switch (type)
    {
    case QuicSubheader::PADDING:
    case QuicSubheader::PING:
        return 0;
    case QuicSubheader::ACK:
    case QuicSubheader::ACK_ECN:
        if (!m_recovery->OnAckReceived(space, f, m_peerAckDelayExponent))
        {
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                        "acknowledges a packet number never sent");
        }
        m_rttTrace = m_tcb->m_smoothedRtt;
        m_ptoTrace = m_recovery->GetPtoPeriod();
        if (space == QuicPacketNumberSpace::APPLICATION)
        {
            m_largestAckedTrace =
                m_recovery->GetLargestAcked(space).value_or(m_largestAckedTrace.Get());
        }
        return 0;
    case QuicSubheader::CRYPTO:
        return OnCryptoFrame(f, data, space);
    case QuicSubheader::NEW_TOKEN:
        if (m_isServer)
        {
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION, "NEW_TOKEN sent by a client");
        }
        return 0; // tokens are not used: Retry and address-validation tokens are not modelled
    case QuicSubheader::NEW_CONNECTION_ID:
    case QuicSubheader::RETIRE_CONNECTION_ID:
        return 0; // connection migration is not modelled; extra IDs are not used
    case QuicSubheader::PATH_CHALLENGE:
        QueueControlFrame(QuicSubheader::CreatePathResponse(f.GetPathData()));
        return 0;
    case QuicSubheader::PATH_RESPONSE:
        return 0;
    case QuicSubheader::CONNECTION_CLOSE:
    case QuicSubheader::APPLICATION_CLOSE:
        NS_LOG_INFO(this << " peer closed: code " << f.GetErrorCode() << " "
                         << f.GetReasonPhrase());
        StartDraining(f.GetErrorCode(), type == QuicSubheader::APPLICATION_CLOSE);
        return 0;
    case QuicSubheader::HANDSHAKE_DONE:
        if (m_isServer)
        {
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                        "HANDSHAKE_DONE sent by a client");
        }
        if (!m_handshakeConfirmed)
        {
            // RFC 9001 §4.1.2: confirmed; §4.9.2: Handshake keys go.
            m_handshakeConfirmed = true;
            DiscardSpace(QuicPacketNumberSpace::HANDSHAKE);
        }
        return 0;
    case QuicSubheader::DATAGRAM:
    case QuicSubheader::DATAGRAM_WITH_LENGTH:
        if (m_maxDatagramFrameSize == 0 || dataLen > m_maxDatagramFrameSize)
        {
            // RFC 9221 §3: DATAGRAM without (or beyond) our announced support.
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION, "unexpected DATAGRAM frame");
        }
        ++m_datagramsReceived;
        return 0;
    default:
        return fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR, "no handler for this frame type");
    }
}

uint64_t
QuicSocketBase::OnCryptoFrame(const QuicSubheader& f,
                              const uint8_t* data,
                              QuicPacketNumberSpace space)
{
    std::size_t si = Idx(space);
    QuicTransportErrorCode code = QuicTransportErrorCode::NO_ERROR;
    if (!m_cryptoRx[si]->Insert(f.GetOffset(), data, f.GetDataLength(), false, code))
    {
        m_lastError.Set(code, QuicSubheader::CRYPTO, "Offset", 0, "CRYPTO data rejected");
        return static_cast<uint64_t>(code);
    }
    uint64_t readable = m_cryptoRx[si]->GetReadableBytes();
    if (readable == 0)
    {
        return 0;
    }
    if (readable > QuicHandshake::kMaxMessageSize * 2)
    {
        m_lastError.Set(QuicTransportErrorCode::CRYPTO_BUFFER_EXCEEDED,
                        QuicSubheader::CRYPTO,
                        "",
                        0,
                        "too much CRYPTO data");
        return static_cast<uint64_t>(QuicTransportErrorCode::CRYPTO_BUFFER_EXCEEDED);
    }
    m_cryptoScratch.resize(readable);
    m_cryptoRx[si]->Read(m_cryptoScratch.data(), readable);
    QuicWireError err;
    if (!m_handshake->OnCryptoData(static_cast<QuicHandshake::Level>(si),
                                   m_cryptoScratch.data(),
                                   readable,
                                   err))
    {
        m_lastError = err;
        return static_cast<uint64_t>(err.code);
    }
    return 0;
}

void
QuicSocketBase::OnHandshakeProgress()
{
    PullHandshakeOutput();
    if (m_handshake->HasPeerParameters() && !m_peerTpApplied)
    {
        ApplyPeerTransportParameters();
    }
    if (m_isServer)
    {
        if (m_state == CONNECTING_SVR && m_handshake->HasPeerParameters() && !m_acceptNotified)
        {
            m_acceptNotified = true;
            if (m_listener)
            {
                m_listener->NotifyNewConnectionCreated(this, m_peer);
            }
        }
        if (m_handshake->IsComplete() && !m_handshakeConfirmed)
        {
            // RFC 9001 §4.1.2: the server's handshake is confirmed on completion; it
            // tells the client with HANDSHAKE_DONE and drops Handshake keys (§4.9.2).
            m_handshakeConfirmed = true;
            m_peerAddressValidated = true;
            QueueControlFrame(QuicSubheader::CreateHandshakeDone());
            DiscardSpace(QuicPacketNumberSpace::HANDSHAKE);
            SetState(OPEN);
            QuicProtoopArgs a;
            m_protoops.Call(*this, GetProtoopIds().handshakeDone, a);
        }
        return;
    }
    if (m_handshake->IsComplete() && m_state == CONNECTING_CLT)
    {
        SetState(OPEN);
        m_quicl4->AddAuthenticated(m_peer); // later connections may use 0-RTT
        QuicProtoopArgs a;
        m_protoops.Call(*this, GetProtoopIds().handshakeDone, a);
        if (!m_zeroRtt)
        {
            NotifyConnectionSucceeded();
        }
    }
}

void
QuicSocketBase::OnVersionNegotiation(const QuicHeader& h)
{
    // RFC 9000 §6.2: only a client still waiting for its first server packet acts on it.
    if (m_isServer || m_state != CONNECTING_CLT || m_serverCidKnown || m_versionNegotiated)
    {
        return;
    }
    const std::vector<uint32_t>& offered = h.GetSupportedVersions();
    if (std::find(offered.begin(), offered.end(), m_version) != offered.end())
    {
        return; // a VN listing our version is ignored
    }
    uint32_t chosen = 0;
    for (uint32_t v : offered)
    {
        if (m_quicl4->IsVersionSupported(v))
        {
            chosen = v;
            break;
        }
    }
    if (chosen == 0)
    {
        NS_LOG_INFO(this << " no common QUIC version");
        m_errno = ERROR_NOTCONN;
        Destroy();
        NotifyConnectionFailed();
        return;
    }
    NS_LOG_INFO(this << " version negotiation: retrying with 0x" << std::hex << chosen << std::dec);
    m_versionNegotiated = true;
    m_version = chosen;
    // A new first flight: the handshake restarts from the ClientHello.
    m_recovery->DiscardSpace(QuicPacketNumberSpace::INITIAL);
    if (m_plugins)
    {
        m_plugins->ForgetSpace(uint8_t(Idx(QuicPacketNumberSpace::INITIAL)));
    }
    m_cryptoTx[Idx(QuicPacketNumberSpace::INITIAL)] = NewCryptoTxBuffer();
    m_handshake = NewHandshake();
    m_handshake->StartClient(m_localTp);
}

} // namespace ns3

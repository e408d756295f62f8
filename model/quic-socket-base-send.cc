/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase, building and sending packets.
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
using quicsocketbase::kMaxDatagramsPerCall;
using quicsocketbase::kMinInitialDatagram;

// --- sending ----------------------------------------------------------------------------------

QuicHeader::PacketType
QuicSocketBase::PacketTypeFor(QuicPacketNumberSpace space) const
{
    switch (space)
    {
    case QuicPacketNumberSpace::INITIAL:
        return QuicHeader::INITIAL;
    case QuicPacketNumberSpace::HANDSHAKE:
        return QuicHeader::HANDSHAKE;
    default:
        // A client without 1-RTT keys sends application data in 0-RTT packets.
        return (!m_isServer && !m_handshake->Has1RttKeys()) ? QuicHeader::ZERO_RTT
                                                            : QuicHeader::SHORT;
    }
}

bool
QuicSocketBase::CanSendIn(QuicPacketNumberSpace space) const
{
    if (space == QuicPacketNumberSpace::APPLICATION && !m_isServer && m_zeroRtt &&
        !m_handshake->Has1RttKeys())
    {
        return !m_spaceDiscarded[Idx(space)]; // 0-RTT
    }
    return HasKeys(space);
}

uint32_t
QuicSocketBase::GetHeaderOverhead(QuicPacketNumberSpace space, uint8_t pnLength) const
{
    if (PacketTypeFor(space) == QuicHeader::SHORT)
    {
        return 1 + m_peerCid.GetLength() + pnLength;
    }
    // first byte, version, two connection IDs with their lengths, Length (2 bytes)
    uint32_t n = 1 + 4 + 1 + m_peerCid.GetLength() + 1 + m_localCid.GetLength() + 2 + pnLength;
    if (space == QuicPacketNumberSpace::INITIAL)
    {
        n += 1; // empty token: its varint length
    }
    return n;
}

bool
QuicSocketBase::IsAckDue(QuicPacketNumberSpace space) const
{
    const QuicReceivedPacketTracker& t = m_received[Idx(space)];
    if (!t.IsAckPending())
    {
        return false;
    }
    // RFC 9000 §13.2.1: Initial and Handshake packets are acknowledged at once; 1-RTT
    // ones after two ack-eliciting packets, on reordering, or after max_ack_delay.
    return space != QuicPacketNumberSpace::APPLICATION || t.IsAckImmediate() ||
           Now() >= t.GetAckPendingSince() + m_maxAckDelay;
}

bool
QuicSocketBase::HasDataFor(QuicPacketNumberSpace space, bool congestionLimited, bool probe) const
{
    if (PacketTypeFor(space) != QuicHeader::ZERO_RTT && IsAckDue(space))
    {
        return true;
    }
    if (probe)
    {
        return true;
    }
    if (!m_pluginFrames.empty() && space == QuicPacketNumberSpace::APPLICATION &&
        PacketTypeFor(space) == QuicHeader::SHORT && HasPluginFrames(congestionLimited))
    {
        return true;
    }
    if (congestionLimited)
    {
        return false;
    }
    if (m_cryptoTx[Idx(space)]->HasPendingData())
    {
        return true;
    }
    if (space != QuicPacketNumberSpace::APPLICATION)
    {
        return false;
    }
    if (PacketTypeFor(space) == QuicHeader::SHORT && !m_txBuffer->IsEmpty())
    {
        return true;
    }
    return m_l5->HasDataToSend();
}

void
QuicSocketBase::SendPendingData()
{
    if (m_sending || !m_handshake)
    {
        return;
    }
    if (m_state == IDLE || m_state == LISTENING || m_state == CLOSING || m_state == DRAINING ||
        m_state == CLOSED)
    {
        return;
    }
    m_sending = true;
    NowScope nowScope(*this);
    PullHandshakeOutput();
    m_pacingBlocked = false;
    for (uint32_t i = 0; i < kMaxDatagramsPerCall; ++i)
    {
        if (SendDatagram(nullptr) == 0)
        {
            break;
        }
    }
    m_sending = false;
    if (m_pacingBlocked)
    {
        if (!m_pacingEvent.IsRunning())
        {
            Time at = m_ccBridge->GetPacer().GetNextSendTime();
            m_pacingEvent = Simulator::Schedule(std::max(at - Now(), Time(0)),
                                                &QuicSocketBase::OnPacingTimer,
                                                this);
        }
    }
    else if (m_state == OPEN &&
             m_tcb->m_bytesInFlight.Get() + m_maxPacketSize <= m_tcb->m_cWnd.Get())
    {
        // Window left and nothing sent: application- or flow-control-limited (the rate
        // sampler marks the samples of this bubble, draft-cheng-iccrg-delivery-rate §3.4).
        m_ccBridge->OnApplicationLimited();
    }
    ScheduleAckTimer();
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({static_cast<uint64_t>(Now().GetNanoSeconds())});
    m_protoops.Call(*this, GetProtoopIds().setNextWakeTime, a);
}

uint32_t
QuicSocketBase::SendDatagram(const QuicPacketNumberSpace* probeSpace)
{
    if (!m_udp)
    {
        return 0;
    }
    uint64_t budget64 = std::min<uint64_t>(m_maxPacketSize, GetAmplificationBudget());
    if (budget64 < 64)
    {
        return 0; // RFC 9000 §8.1: anti-amplification limit reached
    }
    auto budget = static_cast<uint32_t>(budget64);
    bool cwndOk = m_tcb->m_bytesInFlight.Get() + m_maxPacketSize <= m_tcb->m_cWnd.Get();
    // RFC 9002 §7.7: a paced sender holds congestion-controlled packets until their
    // departure time; ACK-only packets still leave (limited = true lets only ACKs through).
    if (cwndOk && !m_ccBridge->GetPacer().CanSend(Now()))
    {
        cwndOk = false;
        m_pacingBlocked = true;
    }
    if (!cwndOk && probeSpace == nullptr && m_pluginFrames.empty() &&
        !m_received[0].IsAckPending() && !m_received[1].IsAckPending() &&
        !m_received[2].IsAckPending())
    {
        // Held by the window or the pacer with no ACK owed: HasDataFor would say so for
        // every space (the attempt that ends nearly every SendPendingData call).
        return 0;
    }
    m_pending.clear();
    uint32_t used = 0;
    bool hasInitial = false;
    for (std::size_t i = 0; i < kQuicPacketNumberSpaces; ++i)
    {
        auto space = static_cast<QuicPacketNumberSpace>(i);
        if (probeSpace != nullptr && space != *probeSpace)
        {
            continue;
        }
        if (!CanSendIn(space))
        {
            continue;
        }
        bool probe = probeSpace != nullptr;
        bool limited = !cwndOk && !probe;
        if (!HasDataFor(space, limited, probe))
        {
            continue;
        }
        std::optional<uint64_t> largestAcked = m_recovery->GetLargestAcked(space);
        uint64_t pn = m_nextPn[i];
        uint8_t pnLength = QuicPacketNumber::GetEncodedLength(pn, largestAcked);
        uint32_t overhead = GetHeaderOverhead(space, pnLength) + kAeadTagSize;
        if (used + overhead + 8 > budget)
        {
            break;
        }
        std::size_t slot = m_pending.size();
        m_pktFrames[slot].clear();
        PendingPacket pkt;
        pkt.plan = PacketPlan{space, PacketTypeFor(space), probe};
        pkt.packetNumber = pn;
        pkt.pnLength = pnLength;
        FrameJob job;
        job.plan = pkt.plan;
        job.buffer = &m_pktFrames[slot];
        job.budget = budget - used - overhead;
        job.congestionLimited = limited;
        job.frames = &pkt.frames;
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&job)});
        uint64_t written = 0;
        {
            QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(i), pn, false);
            written = m_protoops.Call(*this, GetProtoopIds().scheduleFrames, a);
        }
        if (written == 0 || m_pktFrames[slot].empty())
        {
            // The number goes to the next packet: slots set while writing do not.
            ForgetPluginPacket(QuicPacketNumberSpace(i), pn);
            continue;
        }
        pkt.ackEliciting = job.ackEliciting;
        pkt.hasAck = job.hasAck;
        pkt.ackLargest = job.ackLargest;
        used += overhead + static_cast<uint32_t>(m_pktFrames[slot].size());
        hasInitial = hasInitial || space == QuicPacketNumberSpace::INITIAL;
        m_pending.push_back(std::move(pkt));
        if (m_pending.back().plan.type == QuicHeader::SHORT)
        {
            break; // a short header has no length: it is the last packet of a datagram
        }
    }
    if (m_pending.empty())
    {
        return 0;
    }
    // RFC 9000 §14.1: datagrams with a client's Initial, or a server's ack-eliciting
    // Initial, are padded to 1200 bytes — with PADDING frames in the last packet.
    bool mustPad = false;
    for (const PendingPacket& p : m_pending)
    {
        if (p.plan.space == QuicPacketNumberSpace::INITIAL && (!m_isServer || p.ackEliciting))
        {
            mustPad = true;
        }
    }
    if (mustPad && used < kMinInitialDatagram)
    {
        std::size_t slot = m_pending.size() - 1;
        m_pktFrames[slot].resize(m_pktFrames[slot].size() + (kMinInitialDatagram - used), 0);
        m_pending.back().padded = true;
    }
    return FlushDatagram();
}

uint32_t
QuicSocketBase::FlushDatagram()
{
    m_datagram.clear();
    QuicByteWriter dw(m_datagram);
    Time now = Now();
    // Headers are kept for the Tx trace only: most runs connect nothing to it.
    bool traced = !m_txTrace.IsEmpty();
    std::vector<QuicHeader> headers;
    for (std::size_t k = 0; k < m_pending.size(); ++k)
    {
        PendingPacket& p = m_pending[k];
        const std::vector<uint8_t>& frames = m_pktFrames[k];
        uint64_t payload = frames.size() + kAeadTagSize;
        std::size_t start = m_datagram.size();
        if (p.plan.type == QuicHeader::SHORT && !traced)
        {
            // The bulk of packets: the header's bytes, no QuicHeader (no trace wants one).
            QuicHeader::EncodeShort(dw, m_peerCid, p.packetNumber, p.pnLength);
        }
        else
        {
            // Built in place (one QuicHeader per packet, not a default one assigned over).
            QuicHeader h = [&]() {
                switch (p.plan.type)
                {
                case QuicHeader::INITIAL:
                    return QuicHeader::CreateInitial(m_peerCid,
                                                     m_localCid,
                                                     {},
                                                     p.packetNumber,
                                                     p.pnLength,
                                                     payload,
                                                     m_version);
                case QuicHeader::HANDSHAKE:
                    return QuicHeader::CreateHandshake(m_peerCid,
                                                       m_localCid,
                                                       p.packetNumber,
                                                       p.pnLength,
                                                       payload,
                                                       m_version);
                case QuicHeader::ZERO_RTT:
                    return QuicHeader::Create0Rtt(m_peerCid,
                                                  m_localCid,
                                                  p.packetNumber,
                                                  p.pnLength,
                                                  payload,
                                                  m_version);
                default:
                    return QuicHeader::CreateShort(m_peerCid, p.packetNumber, p.pnLength);
                }
            }();
            if (h.IsLong())
            {
                h.SetLengthFieldSize(2);
            }
            h.Encode(dw);
            if (traced)
            {
                headers.push_back(h);
            }
        }
        dw.WriteBytes(frames.data(), frames.size());
        dw.WriteRepeated(0, kAeadTagSize); // the AEAD tag's bytes (no real encryption)
        p.size = static_cast<uint32_t>(m_datagram.size() - start);
        if (m_packetProtection)
        {
            QuicPacketProtection::Seal(m_datagram.data() + start, p.size);
        }
    }
    auto size = static_cast<uint32_t>(m_datagram.size());
    Ptr<Packet> datagram = QuicMakePacket(m_datagram.data(), size);
    uint8_t ecn = m_ecn.GetCodepointToSend();
    m_ecn.OnDatagramSent(ecn, static_cast<uint32_t>(m_pending.size()));
    // UDP and IP add their headers to the packet they are given: the Tx trace gets the
    // QUIC datagram alone.
    m_quicl4->SendDatagram(m_udp, traced ? datagram->Copy() : datagram, m_peer, ecn);
    m_stats.bytesSent += size;
    if (m_isServer && !m_peerAddressValidated)
    {
        m_bytesSentBeforeValidation += size;
    }

    const ProtoopIds& id = GetProtoopIds();
    bool ackElicitingSent = false;
    for (std::size_t k = 0; k < m_pending.size(); ++k)
    {
        PendingPacket& p = m_pending[k];
        std::size_t si = Idx(p.plan.space);
        m_nextPn[si] = p.packetNumber + 1;
        ++m_stats.packetsSent;
        if (p.hasAck)
        {
            m_received[si].OnAckSent();
            m_lastAckSent[si] = now;
        }
        if (traced)
        {
            m_txTrace(datagram, headers[k], this);
        }
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({p.packetNumber, p.size, uint64_t(si)});
        {
            QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(si), p.packetNumber, false);
            m_protoops.Call(*this, id.onPacketSent, a);
        }
        ackElicitingSent = ackElicitingSent || p.ackEliciting;
        if (p.ackEliciting && !p.plan.probe)
        {
            m_ccBridge->GetPacer().OnPacketSent(now, p.size);
        }
        if (si == Idx(QuicPacketNumberSpace::APPLICATION))
        {
            m_nextPacketNumberTrace = m_nextPn[si];
        }
        if (m_state != CLOSING)
        {
            QuicSentPacket sent;
            sent.packetNumber = p.packetNumber;
            sent.timeSent = now;
            sent.size = p.size;
            sent.ackEliciting = p.ackEliciting;
            sent.inFlight = p.ackEliciting || p.padded;
            sent.hasAck = p.hasAck;
            sent.largestAckSent = p.ackLargest;
            sent.ecn = ecn;
            sent.frames = std::move(p.frames);
            m_recovery->OnPacketSent(p.plan.space, std::move(sent));
        }
        else
        {
            // Not tracked: its packet metadata slots go now.
            ForgetPluginPacket(p.plan.space, p.packetNumber);
        }
        // RFC 9001 §4.9.1: a client discards Initial keys when it first sends a
        // Handshake packet.
        if (!m_isServer && p.plan.space == QuicPacketNumberSpace::HANDSHAKE &&
            !m_spaceDiscarded[Idx(QuicPacketNumberSpace::INITIAL)])
        {
            DiscardSpace(QuicPacketNumberSpace::INITIAL);
        }
    }
    if (ackElicitingSent)
    {
        RestartIdleTimer(); // RFC 9000 §10.1
    }
    m_pending.clear();
    return size;
}

uint64_t
QuicSocketBase::WriteFrames(FrameJob& job)
{
    std::vector<uint8_t>& buf = *job.buffer;
    QuicByteWriter w(buf);
    std::size_t start = buf.size();
    auto room = [&]() -> uint32_t {
        std::size_t used = buf.size() - start;
        return used >= job.budget ? 0 : job.budget - static_cast<uint32_t>(used);
    };
    QuicPacketNumberSpace space = job.plan.space;
    std::size_t si = Idx(space);
    Time now = Now();

    // 1. ACK: whenever something ack-eliciting awaits acknowledgment (RFC 9000 §13.2);
    //    never in 0-RTT packets (§12.4).
    QuicReceivedPacketTracker& tracker = m_received[si];
    // A packet that goes anyway (not held by the window, so it carries more than an ACK)
    // repeats the ACK once per smoothed RTT until the peer confirms one (ack-of-ack): a
    // single lost ACK then cannot leave the peer backing off its PTO round after round
    // (TCP repeats its cumulative ACK in every segment), at a cost of one ACK frame per RTT.
    bool ackDue =
        tracker.IsAckPending() || (!job.congestionLimited && tracker.HasUnconfirmedAck() &&
                                   now - m_lastAckSent[si] >= m_tcb->m_smoothedRtt);
    if (job.plan.type != QuicHeader::ZERO_RTT && tracker.HasReceived() && ackDue)
    {
        // RFC 9000 §13.4.1: ECN counts are reported once any packet arrived marked.
        const QuicEcnCounts& ecnCounts = tracker.GetEcnCounts();
        bool withEcn = ecnCounts.ect0 + ecnCounts.ect1 + ecnCounts.ce > 0;
        uint64_t largest = 0;
        uint64_t ackType = 0;
        // Written straight into the packet (what BuildAckFrame(...).Encode would write).
        if (tracker.WriteAckFrame(w, now, m_ackDelayExponent, withEcn, room(), largest, ackType) >
            0)
        {
            job.hasAck = true;
            job.ackLargest = largest;
            QuicSentFrame rec;
            rec.type = ackType;
            rec.offset = job.ackLargest;
            job.frames->push_back(rec);
        }
    }
    if (!m_pluginFrames.empty() && job.plan.type == QuicHeader::SHORT)
    {
        WritePluginFrames(job, start); // plugin frames reserved outside the window go too
    }
    if (job.congestionLimited && !job.plan.probe)
    {
        return buf.size() - start; // only ACKs escape the congestion window
    }

    // 2. CRYPTO data of this space, retransmissions first.
    Ptr<QuicStreamTxBuffer> crypto = m_cryptoTx[si];
    while (crypto->HasPendingData() && room() > 16)
    {
        uint64_t offset = 0;
        uint64_t len = 0;
        bool fin = false;
        if (!crypto->NextChunk(room() - 16, UINT64_MAX, offset, len, fin) || len == 0)
        {
            break;
        }
        QuicSubheader f = QuicSubheader::CreateCrypto(offset, len);
        f.Encode(w);
        std::size_t pos = buf.size();
        buf.resize(pos + len);
        crypto->CopyData(offset, len, buf.data() + pos);
        QuicSentFrame rec;
        rec.type = QuicSubheader::CRYPTO;
        rec.streamId = si;
        rec.offset = offset;
        rec.length = len;
        job.frames->push_back(rec);
        job.ackEliciting = true;
    }

    if (space == QuicPacketNumberSpace::APPLICATION)
    {
        // 3. Control frames (1-RTT only): HANDSHAKE_DONE, flow-control updates, …
        if (job.plan.type == QuicHeader::SHORT && !m_txBuffer->IsEmpty())
        {
            QuicSubheader f; // an ns3::Header: built only when a control frame waits
            while (room() > 0 && m_txBuffer->Pop(room(), f))
            {
                f.Encode(w);
                QuicSentFrame rec;
                rec.type = f.GetFrameType();
                rec.streamId = f.GetStreamId();
                rec.control = std::make_shared<QuicSubheader>(f);
                job.frames->push_back(rec);
                job.ackEliciting = job.ackEliciting || QuicSubheader::IsAckEliciting(rec.type);
            }
        }
        // 4. Stream data, by the scheduling policy, within flow control.
        if (room() > 24)
        {
            // Nothing follows stream data in a 1-RTT packet (a probe adds a PING only when
            // nothing ack-eliciting was written), and long-header packets may be padded.
            bool last = job.plan.type == QuicHeader::SHORT;
            uint32_t n = m_l5->WriteStreamFrames(w, room(), *job.frames, last);
            job.ackEliciting = job.ackEliciting || n > 0;
        }
    }

    // 5. A probe must elicit an acknowledgment (RFC 9002 §6.2.4).
    if (job.plan.probe && !job.ackEliciting && room() >= 1)
    {
        QuicSubheader::CreatePing().Encode(w);
        QuicSentFrame rec;
        rec.type = QuicSubheader::PING;
        job.frames->push_back(rec);
        job.ackEliciting = true;
    }
    return buf.size() - start;
}

void
QuicSocketBase::PullHandshakeOutput()
{
    if (!m_handshake || !m_handshake->HasOutput())
    {
        return; // nothing new: the usual case, twice per datagram after the handshake
    }
    for (std::size_t i = 0; i < kQuicPacketNumberSpaces; ++i)
    {
        std::vector<uint8_t> bytes = m_handshake->Take(static_cast<QuicHandshake::Level>(i));
        if (!bytes.empty() && !m_spaceDiscarded[i])
        {
            uint32_t n = m_cryptoTx[i]->Add(bytes.data(), static_cast<uint32_t>(bytes.size()));
            NS_ABORT_MSG_IF(n != bytes.size(), "QuicSocketBase: CRYPTO send buffer overflow");
        }
    }
}

void
QuicSocketBase::ScheduleAckTimer()
{
    // Pending after every other packet and sent with the next: a QuicDeadlineTimer keeps
    // one event queued instead of one cancelled event per two packets.
    const QuicReceivedPacketTracker& t = m_received[Idx(QuicPacketNumberSpace::APPLICATION)];
    if (!t.IsAckPending() || m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
    {
        m_ackTimer.Disarm();
        return;
    }
    m_ackTimer.Arm(t.GetAckPendingSince() + m_maxAckDelay, Now());
}

void
QuicSocketBase::OnAckTimer()
{
    SendPendingData();
}

void
QuicSocketBase::DiscardSpace(QuicPacketNumberSpace space)
{
    NS_LOG_FUNCTION(this << QuicPacketNumberSpaceName(space));
    if (m_spaceDiscarded[Idx(space)])
    {
        return;
    }
    m_spaceDiscarded[Idx(space)] = true;
    m_recovery->DiscardSpace(space);
    if (m_plugins)
    {
        m_plugins->ForgetSpace(uint8_t(Idx(space))); // its sent packets are abandoned
    }
}

} // namespace ns3

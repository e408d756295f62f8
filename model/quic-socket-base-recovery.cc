/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase, keys, address validation and the loss-recovery events (QuicRecoveryListener).
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

using quicsocketbase::kMinInitialDatagram;

// --- keys and validation (QuicRecoveryListener) --------------------------------------------

bool
QuicSocketBase::HasKeys(QuicPacketNumberSpace space) const
{
    if (!m_handshake || m_spaceDiscarded[Idx(space)])
    {
        return false;
    }
    switch (space)
    {
    case QuicPacketNumberSpace::INITIAL:
        return true;
    case QuicPacketNumberSpace::HANDSHAKE:
        return m_handshake->HasHandshakeKeys();
    case QuicPacketNumberSpace::APPLICATION:
        return m_handshake->Has1RttKeys();
    }
    return false;
}

bool
QuicSocketBase::IsHandshakeConfirmed() const
{
    return m_handshakeConfirmed;
}

bool
QuicSocketBase::HasPeerCompletedAddressValidation() const
{
    // RFC 9002 §A.6: servers assume the client validated the server's address.
    return m_isServer || m_handshakeConfirmed || m_handshakeAcked;
}

uint64_t
QuicSocketBase::GetAmplificationBudget() const
{
    if (!m_isServer || m_peerAddressValidated)
    {
        return UINT64_MAX;
    }
    // RFC 9000 §8.1: at most three times the bytes received before validation.
    uint64_t limit = 3 * m_bytesReceivedBeforeValidation;
    return limit > m_bytesSentBeforeValidation ? limit - m_bytesSentBeforeValidation : 0;
}

bool
QuicSocketBase::IsAtAmplificationLimit() const
{
    return GetAmplificationBudget() < kMinInitialDatagram / 4;
}

Time
QuicSocketBase::AdjustPtoDuration(QuicPacketNumberSpace space, Time duration)
{
    QuicProtoopArgs a = QuicProtoopArgs::Inputs(
        {uint64_t(space), static_cast<uint64_t>(duration.GetNanoSeconds())});
    uint64_t ns = m_protoops.Call(*this, GetProtoopIds().computePto, a);
    return NanoSeconds(static_cast<int64_t>(std::min<uint64_t>(ns, uint64_t(INT64_MAX) / 2)));
}

// --- recovery events ----------------------------------------------------------------------

void
QuicSocketBase::OnPacketAcked(QuicPacketNumberSpace space, const QuicSentPacket& packet)
{
    if (space == QuicPacketNumberSpace::HANDSHAKE)
    {
        m_handshakeAcked = true;
    }
    // Plugins see this packet (META_PACKET) until it leaves; then its slots are freed.
    QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(space), packet.packetNumber, false);
    if (m_plugins)
    {
        NotifyPluginPacketAcked(space, packet);
    }
    const QuicProtoopId notify = GetProtoopIds().notifyFrame;
    for (const QuicSentFrame& f : packet.frames)
    {
        if (f.type == QuicSubheader::CRYPTO)
        {
            m_cryptoTx[Idx(space)]->OnAcked(f.offset, f.length, false);
        }
        else if (QuicSubheader::IsStream(f.type))
        {
            uint32_t released = m_l5->OnStreamFrameAcked(f);
            if (released > 0)
            {
                m_txBuffer->Release(released);
                m_notifySend = true;
            }
        }
        else if (f.type == QuicSubheader::ACK || f.type == QuicSubheader::ACK_ECN)
        {
            m_received[Idx(space)].OnAckOfAck(f.offset);
        }
        if (m_protoops.IsHooked(notify, f.type))
        {
            QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&f), 1});
            a.param = f.type;
            m_protoops.Call(*this, notify, a);
        }
    }
    ForgetPluginPacket(space, packet.packetNumber);
}

void
QuicSocketBase::OnPacketLost(QuicPacketNumberSpace space, const QuicSentPacket& packet)
{
    const ProtoopIds& id = GetProtoopIds();
    m_lostPacketsTrace = m_lostPacketsTrace.Get() + 1;
    QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(space), packet.packetNumber, false);
    QuicProtoopArgs lost = QuicProtoopArgs::Inputs({packet.packetNumber, uint64_t(space)});
    m_protoops.Call(*this, id.packetLost, lost);
    m_ecn.OnPacketLost(packet.ecn);
    for (const QuicSentFrame& f : packet.frames)
    {
        if (f.type == QuicSubheader::CRYPTO)
        {
            if (!m_spaceDiscarded[Idx(space)])
            {
                m_cryptoTx[Idx(space)]->OnLost(f.offset, f.length, false);
            }
        }
        else if (QuicSubheader::IsStream(f.type))
        {
            m_l5->OnStreamFrameLost(f);
        }
        else if (f.control)
        {
            // RFC 9000 §13.3: the stream layer decides on its frames (flow-control updates
            // are sent afresh with current values); PATH_RESPONSE is not retransmitted;
            // other control frames are repeated as they were.
            if (QuicSubheader::IsStreamControl(f.type))
            {
                m_l5->OnControlFrameLost(*f.control);
            }
            else if (f.type != QuicSubheader::PATH_RESPONSE)
            {
                m_txBuffer->Push(*f.control, true);
            }
        }
        if (m_protoops.IsHooked(id.notifyFrame, f.type))
        {
            QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&f), 0});
            a.param = f.type;
            m_protoops.Call(*this, id.notifyFrame, a);
        }
    }
    ForgetPluginPacket(space, packet.packetNumber);
    ScheduleSend();
}

void
QuicSocketBase::SendProbes(QuicPacketNumberSpace space, uint32_t count)
{
    NS_LOG_FUNCTION(this << QuicPacketNumberSpaceName(space) << count);
    // Observer event for plugins (one per PTO expiry; nothing attached costs one look-up).
    using K = QuicProtoopArgKind;
    static const QuicProtoopId ptoFired =
        QuicProtoopRegistry::Intern("pto_fired", {K::VALUE, K::VALUE});
    if (m_protoops.IsHooked(ptoFired, kQuicNoParam))
    {
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({uint64_t(space), count});
        m_protoops.Call(*this, ptoFired, a);
    }
    if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
    {
        return;
    }
    // RFC 9002 §6.2.4: probe with new data if there is some, else retransmit, else PING.
    // Unacknowledged CRYPTO data of the space is resent with the probe.
    if (space != QuicPacketNumberSpace::APPLICATION && !m_spaceDiscarded[Idx(space)])
    {
        m_cryptoTx[Idx(space)]->OnLost(m_cryptoTx[Idx(space)]->GetAckedOffset(),
                                       m_cryptoTx[Idx(space)]->GetNextOffset() -
                                           m_cryptoTx[Idx(space)]->GetAckedOffset(),
                                       false);
    }
    // With no new stream data, the probes carry the oldest unacknowledged stream data: a
    // probe that arrives then repairs a loss even while the ACKs that would declare it
    // are lost (a probe of PINGs only left such a transfer waiting on doubling PTOs).
    if (space == QuicPacketNumberSpace::APPLICATION && !m_l5->HasDataToSend())
    {
        uint32_t packets = 0;
        m_recovery->ForEachOutstanding(space, [this, &packets, count](const QuicSentPacket& p) {
            bool stream = false;
            for (const QuicSentFrame& f : p.frames)
            {
                if (QuicSubheader::IsStream(f.type))
                {
                    m_l5->OnStreamFrameLost(f);
                    stream = true;
                }
            }
            packets += stream ? 1 : 0;
            return packets < count;
        });
    }
    for (uint32_t i = 0; i < count; ++i)
    {
        m_probePending[Idx(space)] = true;
        if (SendDatagram(&space) == 0)
        {
            break;
        }
    }
    m_probePending[Idx(space)] = false;
}

} // namespace ns3

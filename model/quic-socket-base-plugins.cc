/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase: loading, calling and unloading plugins (kept apart from the connection
 * logic of quic-socket-base.cc).
 */

#include "quic-plugin-instance.h"
#include "quic-socket-base.h"
#include "quic-varint.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSocketBasePlugins");

namespace
{

/// \return the comma-separated items of s, trimmed, empty ones dropped
std::vector<std::string>
SplitList(const std::string& s)
{
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
    {
        std::size_t a = item.find_first_not_of(" \t");
        std::size_t b = item.find_last_not_of(" \t");
        if (a != std::string::npos)
        {
            out.push_back(item.substr(a, b - a + 1));
        }
    }
    return out;
}

} // namespace

void
QuicSocketBase::ForgetPluginPacket(QuicPacketNumberSpace space, uint64_t packetNumber)
{
    if (m_plugins)
    {
        m_plugins->ForgetPacket(QuicPluginSet::PacketKey(uint8_t(space), packetNumber, false));
    }
}

QuicPluginSet&
QuicSocketBase::GetPlugins()
{
    if (!m_plugins)
    {
        m_plugins = std::make_unique<QuicPluginSet>(*this);
    }
    return *m_plugins;
}

bool
QuicSocketBase::LoadPlugin(const std::string& manifest, std::string& error)
{
    NS_LOG_FUNCTION(this << manifest);
    if (m_state == LISTENING)
    {
        // A listener runs no connection: its accepted connections load the plugin.
        if (!QuicPlugin::Load(manifest, error))
        {
            return false;
        }
        m_pluginManifests += (m_pluginManifests.empty() ? "" : ",") + manifest;
        return true;
    }
    QuicPluginOptions o;
    o.heapSize = m_pluginHeapSize;
    o.fuel = m_pluginFuel;
    o.jit = m_pluginJit;
    return GetPlugins().Load(manifest, o, error);
}

void
QuicSocketBase::LoadConfiguredPlugins()
{
    for (const std::string& m : SplitList(m_pluginManifests))
    {
        std::string error;
        if (!LoadPlugin(m, error))
        {
            NS_FATAL_ERROR("QuicSocketBase: attribute Plugins: cannot load '"
                           << m << "': " << error
                           << " (fix the manifest or remove it from ns3::QuicSocketBase::Plugins)");
        }
    }
}

void
QuicSocketBase::OnRttSample(Time sample)
{
    // Observer event for plugins (monitoring's RTT-sample counter); nothing attached, no call.
    static const QuicProtoopId rttSample =
        QuicProtoopRegistry::Intern("rtt_sample", {QuicProtoopArgKind::VALUE});
    if (m_plugins && m_protoops.IsHooked(rttSample, kQuicNoParam))
    {
        QuicProtoopArgs a =
            QuicProtoopArgs::Inputs({static_cast<uint64_t>(sample.GetNanoSeconds())});
        m_protoops.Call(*this, rttSample, a);
    }
}

void
QuicSocketBase::OnSpuriousLoss(QuicPacketNumberSpace space, uint64_t packetNumber)
{
    NS_LOG_FUNCTION(this << QuicPacketNumberSpaceName(space) << packetNumber);
    m_spuriousLossesTrace = m_spuriousLossesTrace.Get() + 1;
    // Observer event for plugins (monitoring's spurious-loss counter).
    static const QuicProtoopId spuriousLoss =
        QuicProtoopRegistry::Intern("spurious_loss",
                                    {QuicProtoopArgKind::VALUE, QuicProtoopArgKind::VALUE});
    if (m_plugins && m_protoops.IsHooked(spuriousLoss, kQuicNoParam))
    {
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({packetNumber, uint64_t(space)});
        m_protoops.Call(*this, spuriousLoss, a);
    }
}

void
QuicSocketBase::AdoptListenerPlugins(const QuicSocketBase& listener)
{
    m_pluginManifests = listener.m_pluginManifests;
    if (!listener.m_plugins)
    {
        return;
    }
    for (const auto& inst : listener.m_plugins->GetInstances())
    {
        // The copied table holds the listener's hooks (bound to the listener's instance).
        m_protoops.DetachOwner(inst->GetName());
        if (inst->IsActive() && !inst->GetManifestPath().empty())
        {
            m_pluginManifests += (m_pluginManifests.empty() ? "" : ",") + inst->GetManifestPath();
        }
    }
}

uint64_t
QuicSocketBase::CallPlugin(const std::string& protoop,
                           const std::vector<uint64_t>& args,
                           bool& found)
{
    NS_LOG_FUNCTION(this << protoop);
    found = false;
    QuicProtoopId id;
    if (!QuicProtoopRegistry::Find(protoop, id))
    {
        return 0;
    }
    NS_ABORT_MSG_IF(args.size() > QuicProtoopArgs::kMaxArgs,
                    "QuicSocketBase::CallPlugin: at most " << QuicProtoopArgs::kMaxArgs
                                                           << " arguments");
    QuicProtoopArgs a;
    for (uint64_t v : args)
    {
        a.in[a.nIn++] = v;
    }
    return m_protoops.CallExternal(*this, id, a, found);
}

void
QuicSocketBase::NotifyPluginFault(const std::string& plugin, const std::string& reason)
{
    NS_LOG_FUNCTION(this << plugin << reason);
    m_pluginFaultTrace(plugin, reason);
    // Closed from the event loop, not from inside the protocol operation that faulted;
    // ScheduleNow keeps it at the same simulated time in every run.
    Ptr<QuicSocketBase> self(this);
    std::string phrase = "plugin " + plugin + " faulted";
    Simulator::ScheduleNow([self, phrase]() {
        State s = self->GetState();
        if (s != CLOSED && s != CLOSING && s != DRAINING && s != LISTENING)
        {
            self->CloseWithApplicationError(kQuicPluginFaultError, phrase);
        }
    });
}

void
QuicSocketBase::ReservePluginFrame(uint64_t type, uint32_t size, bool congestionControlled)
{
    NS_LOG_FUNCTION(this << type << size << congestionControlled);
    m_pluginFrames.push_back(PluginFrame{type, size, congestionControlled});
    ScheduleSend();
}

bool
QuicSocketBase::HasPluginFrames(bool congestionLimited) const
{
    for (const PluginFrame& f : m_pluginFrames)
    {
        if (!congestionLimited || !f.congestionControlled)
        {
            return true;
        }
    }
    return false;
}

void
QuicSocketBase::WritePluginFrames(FrameJob& job, std::size_t start)
{
    std::vector<uint8_t>& buf = *job.buffer;
    const QuicProtoopId writeFrame = GetProtoopIds().writeFrame;
    bool limited = job.congestionLimited && !job.plan.probe;
    std::vector<uint8_t> scratch;
    for (auto it = m_pluginFrames.begin(); it != m_pluginFrames.end();)
    {
        std::size_t used = buf.size() - start;
        uint32_t room = used >= job.budget ? 0 : job.budget - static_cast<uint32_t>(used);
        if (limited && it->congestionControlled)
        {
            ++it;
            continue;
        }
        if (it->size > room)
        {
            ++it; // waits for a packet with room
            continue;
        }
        PluginFrame f = *it;
        it = m_pluginFrames.erase(it);
        if (!m_protoops.IsCallable(writeFrame, f.type))
        {
            continue; // the plugin is gone: nothing writes this frame any more
        }
        scratch.assign(f.size, 0);
        QuicProtoopArgs a =
            QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(scratch.data()), f.size});
        a.param = f.type;
        uint64_t written = m_protoops.Call(*this, writeFrame, a);
        if (written == 0 || written > f.size)
        {
            continue;
        }
        buf.insert(buf.end(), scratch.begin(), scratch.begin() + written);
        QuicSentFrame rec;
        rec.type = f.type;
        rec.length = written;
        job.frames->push_back(rec);
        job.ackEliciting = true;
    }
}

bool
QuicSocketBase::ParsePluginFrame(const uint8_t* data, std::size_t size, std::size_t& consumed)
{
    using K = QuicProtoopArgKind;
    static const QuicProtoopId parseFrame =
        QuicProtoopRegistry::Intern("parse_frame", {K::BUFFER, K::VALUE});
    uint64_t type = 0;
    if (QuicVarInt::Decode(data, size, type) == 0 || !m_protoops.IsHooked(parseFrame, type))
    {
        return false;
    }
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(data), size});
    a.param = type;
    consumed = m_protoops.Call(*this, parseFrame, a);
    return true;
}

void
QuicSocketBase::NotifyPluginPacketAcked(QuicPacketNumberSpace space, const QuicSentPacket& packet)
{
    static const QuicProtoopId packetAcked =
        QuicProtoopRegistry::Intern("packet_acked",
                                    {QuicProtoopArgKind::VALUE, QuicProtoopArgKind::VALUE});
    if (m_protoops.IsHooked(packetAcked, kQuicNoParam))
    {
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({packet.packetNumber, uint64_t(space)});
        m_protoops.Call(*this, packetAcked, a);
    }
}

void
QuicSocketBase::NotifyPluginMessage(const std::string& plugin, const std::vector<uint8_t>& data)
{
    m_pluginMessageTrace(plugin, std::string(data.begin(), data.end()));
}

} // namespace ns3

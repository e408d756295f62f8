/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase: loading, calling and unloading plugins (kept apart from the connection
 * logic of quic-socket-base.cc).
 */

#include "quic-plugin-instance.h"
#include "quic-socket-base.h"

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
QuicSocketBase::NotifyPluginMessage(const std::string& plugin, const std::vector<uint8_t>& data)
{
    m_pluginMessageTrace(plugin, std::string(data.begin(), data.end()));
}

} // namespace ns3

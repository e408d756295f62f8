/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-plugin-helper.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/quic-l4-protocol.h"
#include "ns3/quic-plugin.h"
#include "ns3/quic-socket-base.h"
#include "ns3/string.h"

#include <cstdlib>
#include <fstream>

#ifndef QUIC_PLUGIN_DIR
#define QUIC_PLUGIN_DIR "quic-plugins"
#endif

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicPluginHelper");

QuicPluginHelper::QuicPluginHelper() = default;

std::string
QuicPluginHelper::GetDefaultDirectory()
{
    const char* env = std::getenv("NS3_QUIC_PLUGIN_DIR");
    return (env != nullptr && *env != '\0') ? std::string(env) : std::string(QUIC_PLUGIN_DIR);
}

std::string
QuicPluginHelper::Resolve(const std::string& nameOrPath)
{
    if (nameOrPath.find('/') != std::string::npos ||
        (nameOrPath.size() > 7 && nameOrPath.substr(nameOrPath.size() - 7) == ".plugin"))
    {
        return nameOrPath;
    }
    return GetDefaultDirectory() + "/" + nameOrPath + ".plugin";
}

bool
QuicPluginHelper::IsAvailable(const std::string& name)
{
    std::string error;
    return std::ifstream(Resolve(name)).good() && QuicPlugin::Load(Resolve(name), error) != nullptr;
}

void
QuicPluginHelper::Add(const std::string& nameOrPath)
{
    m_manifests.push_back(Resolve(nameOrPath));
}

const std::vector<std::string>&
QuicPluginHelper::GetManifests() const
{
    return m_manifests;
}

void
QuicPluginHelper::Install(Ptr<Socket> socket) const
{
    Ptr<QuicSocketBase> s = DynamicCast<QuicSocketBase>(socket);
    NS_ABORT_MSG_UNLESS(s, "QuicPluginHelper::Install: not a QUIC socket");
    for (const std::string& m : m_manifests)
    {
        std::string error;
        NS_ABORT_MSG_UNLESS(s->LoadPlugin(m, error),
                            "QuicPluginHelper::Install: plugin '" << m << "': " << error);
    }
}

void
QuicPluginHelper::Install(NodeContainer nodes) const
{
    std::string list;
    for (const std::string& m : m_manifests)
    {
        std::string error;
        NS_ABORT_MSG_UNLESS(QuicPlugin::Load(m, error),
                            "QuicPluginHelper::Install: plugin '" << m << "': " << error);
        list += (list.empty() ? "" : ",") + m;
    }
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<QuicL4Protocol> l4 = (*it)->GetObject<QuicL4Protocol>();
        NS_ABORT_MSG_UNLESS(l4,
                            "QuicPluginHelper::Install: node " << (*it)->GetId()
                                                               << " has no QUIC stack (run "
                                                                  "QuicHelper::InstallQuic first)");
        StringValue old;
        l4->GetAttribute("SocketPlugins", old);
        std::string v = old.Get();
        l4->SetAttribute("SocketPlugins", StringValue(v.empty() ? list : v + "," + list));
    }
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-plugin.h"

#include "ebpf/ebpf-program.h"
#include "quic-plugin-api.h"

#include "ns3/log.h"

#include <fstream>
#include <iterator>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicPlugin");

namespace
{

/// Verified objects by path: two manifests naming one object share its Program.
std::map<std::string, std::shared_ptr<const ebpf::Program>>&
ObjectCache()
{
    static std::map<std::string, std::shared_ptr<const ebpf::Program>> cache;
    return cache;
}

/// Plugins by manifest path.
std::map<std::string, std::shared_ptr<const QuicPlugin>>&
PluginCache()
{
    static std::map<std::string, std::shared_ptr<const QuicPlugin>> cache;
    return cache;
}

uint64_t g_objectsVerified = 0; //!< objects parsed and verified

/**
 * \param path object file
 * \param [out] error reason
 * \return the verified program (cached)
 */
std::shared_ptr<const ebpf::Program>
LoadObject(const std::string& path, std::string& error)
{
    auto it = ObjectCache().find(path);
    if (it != ObjectCache().end())
    {
        return it->second;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f)
    {
        error = "cannot read object '" + path + "'";
        return nullptr;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                               std::istreambuf_iterator<char>());
    ebpf::LoadResult r = ebpf::Program::FromElf(bytes.data(), bytes.size(), QuicPluginHelpers());
    ++g_objectsVerified;
    if (!r)
    {
        error = "object '" + path + "' rejected: " + r.error;
        return nullptr;
    }
    ObjectCache()[path] = r.program;
    return r.program;
}

} // namespace

std::shared_ptr<const QuicPlugin>
QuicPlugin::FromManifest(const QuicPluginManifest& manifest, std::string& error)
{
    auto plugin = std::make_shared<QuicPlugin>();
    plugin->m_manifest = manifest;
    for (const QuicPluginManifest::Pluglet& d : manifest.pluglets)
    {
        Pluglet p;
        p.decl = d;
        p.program = LoadObject(d.object, error);
        if (!p.program)
        {
            error = manifest.name + ", line " + std::to_string(d.line) + ": " + error;
            return nullptr;
        }
        p.entry = p.program->FindFunction(d.function);
        if (p.entry == nullptr)
        {
            error = manifest.name + ", line " + std::to_string(d.line) + ": object '" + d.object +
                    "' has no function or section '" + d.function + "'";
            return nullptr;
        }
        p.protoop = QuicProtoopRegistry::Intern(d.protoop);
        plugin->m_pluglets.push_back(p);
    }
    return plugin;
}

std::shared_ptr<const QuicPlugin>
QuicPlugin::Load(const std::string& manifestPath, std::string& error)
{
    auto it = PluginCache().find(manifestPath);
    if (it != PluginCache().end())
    {
        return it->second;
    }
    QuicPluginManifest m;
    if (!QuicPluginManifest::Load(manifestPath, m, error))
    {
        return nullptr;
    }
    std::shared_ptr<const QuicPlugin> p = FromManifest(m, error);
    if (p)
    {
        NS_LOG_INFO("plugin " << p->GetName() << " loaded from " << manifestPath << " ("
                              << p->GetPluglets().size() << " pluglets)");
        PluginCache()[manifestPath] = p;
    }
    return p;
}

uint64_t
QuicPlugin::GetObjectsVerified()
{
    return g_objectsVerified;
}

void
QuicPlugin::ClearCache()
{
    PluginCache().clear();
    ObjectCache().clear();
}

const std::string&
QuicPlugin::GetName() const
{
    return m_manifest.name;
}

const QuicPluginManifest&
QuicPlugin::GetManifest() const
{
    return m_manifest;
}

const std::vector<QuicPlugin::Pluglet>&
QuicPlugin::GetPluglets() const
{
    return m_pluglets;
}

} // namespace ns3

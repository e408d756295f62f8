/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A loaded plugin: its manifest and its verified bytecode, shared by every connection.
 */

#ifndef QUIC_PLUGIN_H
#define QUIC_PLUGIN_H

#include "quic-plugin-manifest.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ebpf
{
class Program;
struct Function;
} // namespace ebpf

namespace ns3
{

/**
 * \ingroup quic
 * A plugin as loaded from its manifest: each pluglet's object parsed, relocated and
 * verified once (ebpf::Program), then shared read-only by every connection that loads
 * the plugin (each connection runs it in its own QuicPluginInstance).
 */
class QuicPlugin
{
  public:
    /// One pluglet, ready to run.
    struct Pluglet
    {
        QuicPluginManifest::Pluglet decl;             //!< its manifest line
        QuicProtoopId protoop{0};                     //!< the interned operation
        std::shared_ptr<const ebpf::Program> program; //!< verified bytecode (shared)
        const ebpf::Function* entry{nullptr};         //!< entry function in program
    };

    /**
     * Loads a plugin, or returns the one already loaded from that manifest path.
     * \param manifestPath the `.plugin` file
     * \param [out] error why it failed (syntax with line, verifier rejection, missing
     *        helper, missing entry function, unreadable file)
     * \return the plugin, or nullptr
     */
    static std::shared_ptr<const QuicPlugin> Load(const std::string& manifestPath,
                                                  std::string& error);

    /**
     * Builds a plugin from an already parsed manifest (no cache).
     * \param manifest the manifest
     * \param [out] error why it failed
     * \return the plugin, or nullptr
     */
    static std::shared_ptr<const QuicPlugin> FromManifest(const QuicPluginManifest& manifest,
                                                          std::string& error);

    /// \return the number of objects parsed and verified so far (sharing shows in it)
    static uint64_t GetObjectsVerified();

    /// Forgets every cached plugin (connections keep theirs).
    static void ClearCache();

    /// \return the plugin's dotted name
    const std::string& GetName() const;
    /// \return the manifest it came from
    const QuicPluginManifest& GetManifest() const;
    /// \return the pluglets, in manifest order
    const std::vector<Pluglet>& GetPluglets() const;

  private:
    QuicPluginManifest m_manifest;   //!< manifest
    std::vector<Pluglet> m_pluglets; //!< pluglets
};

} // namespace ns3

#endif /* QUIC_PLUGIN_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Plugin manifests (PQUIC's `name.plugin` files).
 */

#ifndef QUIC_PLUGIN_MANIFEST_H
#define QUIC_PLUGIN_MANIFEST_H

#include "quic-protoop-table.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * A parsed plugin manifest.
 *
 * Format: the first non-comment line is the plugin's dotted name; then one pluglet per
 * line, `<protoop> [param <p>] <replace|pre|post|external> <object.o>[:<function>]`;
 * `#` starts a comment. Object paths are relative to the manifest's folder. Without
 * `:<function>`, the pluglet's entry is the function in section "pluglet".
 */
struct QuicPluginManifest
{
    /// One pluglet line.
    struct Pluglet
    {
        std::string protoop;                                  //!< operation name
        QuicProtoopParam param{kQuicNoParam};                 //!< its parameter
        QuicProtoopAnchor anchor{QuicProtoopAnchor::REPLACE}; //!< anchor
        std::string object;                                   //!< path of the object (resolved)
        std::string function; //!< entry function or section ("pluglet")
        unsigned line{0};     //!< line in the manifest
    };

    std::string name;              //!< dotted plugin name
    std::string path;              //!< the manifest file
    std::vector<Pluglet> pluglets; //!< in manifest order

    /**
     * Parses manifest text.
     * \param text the contents
     * \param directory folder object paths are relative to
     * \param [out] manifest the result
     * \param [out] error the reason, with its line, on failure
     * \return true on success
     */
    static bool Parse(const std::string& text,
                      const std::string& directory,
                      QuicPluginManifest& manifest,
                      std::string& error);

    /**
     * Reads and parses a manifest file.
     * \param path the file
     * \param [out] manifest the result
     * \param [out] error the reason on failure
     * \return true on success
     */
    static bool Load(const std::string& path, QuicPluginManifest& manifest, std::string& error);
};

} // namespace ns3

#endif /* QUIC_PLUGIN_MANIFEST_H */

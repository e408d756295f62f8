/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-plugin-manifest.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace ns3
{

namespace
{

/// \return true if s is a dotted name of letters, digits, '_', '-' and '.'
bool
IsPluginName(const std::string& s)
{
    if (s.empty() || s.front() == '.' || s.back() == '.')
    {
        return false;
    }
    for (char c : s)
    {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
        {
            return false;
        }
    }
    return true;
}

/// \return true if s is a protocol-operation name (C identifier)
bool
IsProtoopName(const std::string& s)
{
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
    {
        return false;
    }
    for (char c : s)
    {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
        {
            return false;
        }
    }
    return true;
}

/// Parses a decimal or 0x hexadecimal number; \return false if s is not one
bool
ParseNumber(const std::string& s, uint64_t& value)
{
    if (s.empty())
    {
        return false;
    }
    std::size_t used = 0;
    try
    {
        value = std::stoull(s, &used, 0);
    }
    catch (...)
    {
        return false;
    }
    return used == s.size() && s[0] != '-';
}

} // namespace

bool
QuicPluginManifest::Parse(const std::string& text,
                          const std::string& directory,
                          QuicPluginManifest& manifest,
                          std::string& error)
{
    manifest = QuicPluginManifest();
    std::istringstream in(text);
    std::string line;
    unsigned lineNo = 0;
    while (std::getline(in, line))
    {
        ++lineNo;
        std::size_t hash = line.find('#');
        if (hash != std::string::npos)
        {
            line.erase(hash);
        }
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string s; words >> s;)
        {
            w.push_back(s);
        }
        if (w.empty())
        {
            continue;
        }
        auto fail = [&](const std::string& why) {
            error = "line " + std::to_string(lineNo) + ": " + why;
            return false;
        };
        if (manifest.name.empty())
        {
            if (w.size() != 1 || !IsPluginName(w[0]))
            {
                return fail("the first line must be the plugin's dotted name, got '" + line + "'");
            }
            manifest.name = w[0];
            continue;
        }
        Pluglet p;
        p.line = lineNo;
        std::size_t i = 0;
        p.protoop = w[i++];
        if (!IsProtoopName(p.protoop))
        {
            return fail("'" + p.protoop + "' is not a protocol-operation name");
        }
        if (i < w.size() && w[i] == "param")
        {
            if (i + 1 >= w.size() || !ParseNumber(w[i + 1], p.param) || p.param == kQuicNoParam)
            {
                return fail("'param' needs a number (decimal or 0x…)");
            }
            i += 2;
        }
        if (i + 2 != w.size())
        {
            return fail("expected '<protoop> [param <p>] <replace|pre|post|external> "
                        "<object.o>'");
        }
        const std::string& anchor = w[i++];
        if (anchor == "replace")
        {
            p.anchor = QuicProtoopAnchor::REPLACE;
        }
        else if (anchor == "pre")
        {
            p.anchor = QuicProtoopAnchor::PRE;
        }
        else if (anchor == "post")
        {
            p.anchor = QuicProtoopAnchor::POST;
        }
        else if (anchor == "external")
        {
            p.anchor = QuicProtoopAnchor::EXTERNAL;
        }
        else
        {
            return fail("unknown anchor '" + anchor + "' (replace, pre, post or external)");
        }
        std::string object = w[i];
        std::size_t colon = object.rfind(':');
        p.function = "pluglet";
        if (colon != std::string::npos)
        {
            p.function = object.substr(colon + 1);
            object.erase(colon);
            if (p.function.empty() || object.empty())
            {
                return fail("object '" + w[i] + "': expected <object.o>[:<function>]");
            }
        }
        p.object = (object[0] == '/' || directory.empty()) ? object : directory + "/" + object;
        manifest.pluglets.push_back(p);
    }
    if (manifest.name.empty())
    {
        error = "empty manifest (no plugin name)";
        return false;
    }
    if (manifest.pluglets.empty())
    {
        error = "plugin '" + manifest.name + "' has no pluglet";
        return false;
    }
    // PQUIC: one replace per anchor slot, also inside one plugin.
    for (std::size_t a = 0; a < manifest.pluglets.size(); ++a)
    {
        for (std::size_t b = a + 1; b < manifest.pluglets.size(); ++b)
        {
            const Pluglet& x = manifest.pluglets[a];
            const Pluglet& y = manifest.pluglets[b];
            if (x.protoop == y.protoop && x.param == y.param && x.anchor == y.anchor &&
                (x.anchor == QuicProtoopAnchor::REPLACE || x.anchor == QuicProtoopAnchor::EXTERNAL))
            {
                error = "line " + std::to_string(y.line) + ": second " +
                        QuicProtoopAnchorName(y.anchor) + " of '" + y.protoop +
                        "' in the same plugin (first at line " + std::to_string(x.line) + ")";
                return false;
            }
        }
    }
    return true;
}

bool
QuicPluginManifest::Load(const std::string& path, QuicPluginManifest& manifest, std::string& error)
{
    std::ifstream f(path);
    if (!f)
    {
        error = "cannot read manifest '" + path + "'";
        return false;
    }
    std::ostringstream text;
    text << f.rdbuf();
    std::string directory;
    std::size_t slash = path.rfind('/');
    if (slash != std::string::npos)
    {
        directory = path.substr(0, slash);
    }
    if (!Parse(text.str(), directory, manifest, error))
    {
        error = path + ": " + error;
        return false;
    }
    manifest.path = path;
    return true;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Loading plugins on nodes, sockets and servers' accepted connections.
 */

#ifndef QUIC_PLUGIN_HELPER_H
#define QUIC_PLUGIN_HELPER_H

#include "ns3/node-container.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * Gives plugins to connections.
 *
 * A plugin is named by the path of its manifest, or by a bare name ("monitoring"), found
 * as `<name>.plugin` in the plugin folder: the environment variable NS3_QUIC_PLUGIN_DIR if
 * set, else the folder the build compiled the plugins into.
 *
 * \code
 *   QuicPluginHelper plugins;
 *   plugins.Add("monitoring");
 *   plugins.Install(clientSocket);  // that connection only
 *   plugins.Install(serverNodes);   // every socket those nodes create from now on
 * \endcode
 */
class QuicPluginHelper
{
  public:
    QuicPluginHelper();

    /**
     * Adds a plugin to what Install gives.
     * \param nameOrPath a bare plugin name or a manifest path
     */
    void Add(const std::string& nameOrPath);

    /**
     * Loads the plugins on a socket now (a listener: on each connection it accepts).
     * Aborts with the reason if one cannot be loaded.
     * \param socket a QuicSocketBase
     */
    void Install(Ptr<Socket> socket) const;

    /**
     * Every QUIC socket these nodes create from now on loads the plugins (attribute
     * ns3::QuicL4Protocol::SocketPlugins; QuicHelper::InstallQuic must have run).
     * \param nodes the nodes
     */
    void Install(NodeContainer nodes) const;

    /// \return the manifests added, as resolved paths
    const std::vector<std::string>& GetManifests() const;

    /// \return the plugin folder (see the class description)
    static std::string GetDefaultDirectory();

    /**
     * \param nameOrPath a bare name or a path
     * \return the manifest path it stands for
     */
    static std::string Resolve(const std::string& nameOrPath);

    /**
     * \param name a bare plugin name
     * \return true if its manifest and objects were built (clang with a bpf target)
     */
    static bool IsAvailable(const std::string& name);

  private:
    std::vector<std::string> m_manifests; //!< resolved manifest paths
};

} // namespace ns3

#endif /* QUIC_PLUGIN_HELPER_H */

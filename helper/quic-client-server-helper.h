/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicClient and QuicServer, in the style of ns-3's UdpClientHelper.
 */

#ifndef QUIC_CLIENT_SERVER_HELPER_H
#define QUIC_CLIENT_SERVER_HELPER_H

#include "ns3/address.h"
#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/quic-client.h"
#include "ns3/quic-server.h"

#include <string>

namespace ns3
{

/**
 * \ingroup quic
 * \brief Creates QuicServer applications.
 *
 * \code
 *   QuicServerHelper server(4433);
 *   ApplicationContainer apps = server.Install(nodes.Get(1));
 * \endcode
 */
class QuicServerHelper
{
  public:
    /// A helper with the default port.
    QuicServerHelper();

    /**
     * \param port the port the servers listen on (on any IPv4 address)
     */
    explicit QuicServerHelper(uint16_t port);

    /**
     * \param local the address to listen on (Ipv4Address or Ipv6Address; use
     *        Ipv6Address::GetAny() for IPv6)
     * \param port the port
     */
    QuicServerHelper(Address local, uint16_t port);

    /**
     * \brief Records an attribute to be set on each application created.
     * \param name the attribute's name
     * \param value its value
     */
    void SetAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Creates one server on each node.
     * \param c the nodes
     * \return the applications
     */
    ApplicationContainer Install(NodeContainer c);

    /**
     * \brief Creates one server on a node.
     * \param node the node
     * \return the application
     */
    ApplicationContainer Install(Ptr<Node> node);

    /**
     * \brief Creates one server on a node named with the Names service.
     * \param nodeName the node's name
     * \return the application
     */
    ApplicationContainer Install(std::string nodeName);

    /// \return the last server created (for tests)
    Ptr<QuicServer> GetServer();

  private:
    /**
     * \param node the node
     * \return a server installed on it
     */
    Ptr<Application> InstallPriv(Ptr<Node> node);

    ObjectFactory m_factory;  //!< creates the applications
    Ptr<QuicServer> m_server; //!< the last one created
};

/**
 * \ingroup quic
 * \brief Creates QuicClient applications.
 *
 * \code
 *   QuicClientHelper client(serverAddress, 4433);
 *   client.SetAttribute("NumStreams", UintegerValue(4));
 *   ApplicationContainer apps = client.Install(nodes.Get(0));
 * \endcode
 */
class QuicClientHelper
{
  public:
    /// A helper with no remote yet (set RemoteAddress and RemotePort).
    QuicClientHelper();

    /**
     * \param ip the server's address (Ipv4Address or Ipv6Address)
     * \param port the server's port
     */
    QuicClientHelper(Address ip, uint16_t port);

    /**
     * \param addr the server's address with its port (InetSocketAddress or
     *        Inet6SocketAddress)
     */
    explicit QuicClientHelper(Address addr);

    /**
     * \brief Records an attribute to be set on each application created.
     * \param name the attribute's name
     * \param value its value
     */
    void SetAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Creates one client on each node.
     * \param c the nodes
     * \return the applications
     */
    ApplicationContainer Install(NodeContainer c);

    /**
     * \brief Creates one client on a node.
     * \param node the node
     * \return the application
     */
    ApplicationContainer Install(Ptr<Node> node);

    /**
     * \brief Creates one client on a node named with the Names service.
     * \param nodeName the node's name
     * \return the application
     */
    ApplicationContainer Install(std::string nodeName);

  private:
    ObjectFactory m_factory; //!< creates the applications
};

} // namespace ns3

#endif /* QUIC_CLIENT_SERVER_HELPER_H */

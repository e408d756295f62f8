/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicEchoClient and QuicEchoServer, in the style of ns-3's UdpEchoHelper.
 */

#ifndef QUIC_ECHO_HELPER_H
#define QUIC_ECHO_HELPER_H

#include "ns3/address.h"
#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/quic-echo-client.h"
#include "ns3/quic-echo-server.h"

#include <string>

namespace ns3
{

/**
 * \ingroup quic
 * \brief Creates QuicEchoServer applications.
 *
 * \code
 *   QuicEchoServerHelper server(9);
 *   ApplicationContainer apps = server.Install(nodes.Get(1));
 * \endcode
 */
class QuicEchoServerHelper
{
  public:
    /// A helper with the default port.
    QuicEchoServerHelper();

    /**
     * \param port the port the servers listen on (on any IPv4 address)
     */
    explicit QuicEchoServerHelper(uint16_t port);

    /**
     * \param local the address to listen on (Ipv4Address or Ipv6Address; use
     *        Ipv6Address::GetAny() for IPv6)
     * \param port the port
     */
    QuicEchoServerHelper(Address local, uint16_t port);

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
    Ptr<QuicEchoServer> GetServer();

  private:
    /**
     * \param node the node
     * \return a server installed on it
     */
    Ptr<Application> InstallPriv(Ptr<Node> node);

    ObjectFactory m_factory;      //!< creates the applications
    Ptr<QuicEchoServer> m_server; //!< the last one created
};

/**
 * \ingroup quic
 * \brief Creates QuicEchoClient applications.
 *
 * \code
 *   QuicEchoClientHelper client(serverAddress, 9);
 *   client.SetAttribute("MaxPackets", UintegerValue(10));
 *   ApplicationContainer apps = client.Install(nodes.Get(0));
 * \endcode
 */
class QuicEchoClientHelper
{
  public:
    /// A helper with no remote yet (set RemoteAddress and RemotePort).
    QuicEchoClientHelper();

    /**
     * \param ip the server's address (Ipv4Address or Ipv6Address)
     * \param port the server's port
     */
    QuicEchoClientHelper(Address ip, uint16_t port);

    /**
     * \param addr the server's address with its port (InetSocketAddress or
     *        Inet6SocketAddress)
     */
    explicit QuicEchoClientHelper(Address addr);

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

#endif /* QUIC_ECHO_HELPER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The shape shared by the helpers of the QUIC applications (QuicServerHelper,
 * QuicClientHelper, QuicEchoServerHelper, QuicEchoClientHelper).
 */

#ifndef QUIC_APPLICATION_HELPER_H
#define QUIC_APPLICATION_HELPER_H

#include "ns3/address.h"
#include "ns3/application-container.h"
#include "ns3/names.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/uinteger.h"

#include <string>

namespace ns3
{

/**
 * \ingroup quic
 * \brief Creates applications of type \p App on nodes, each with the attributes recorded
 * by SetAttribute (in the style of ns-3's UdpClientHelper).
 *
 * \tparam App the application class (QuicServer, QuicClient, QuicEchoServer,
 *         QuicEchoClient, …)
 */
template <class App>
class QuicApplicationHelper
{
  public:
    /**
     * \brief Records an attribute to be set on each application created.
     * \param name the attribute's name
     * \param value its value
     */
    void SetAttribute(std::string name, const AttributeValue& value)
    {
        m_factory.Set(name, value);
    }

    /**
     * \brief Creates one application on each node.
     * \param c the nodes
     * \return the applications
     */
    ApplicationContainer Install(NodeContainer c)
    {
        ApplicationContainer apps;
        for (auto i = c.Begin(); i != c.End(); ++i)
        {
            apps.Add(InstallPriv(*i));
        }
        return apps;
    }

    /**
     * \brief Creates one application on a node.
     * \param node the node
     * \return the application
     */
    ApplicationContainer Install(Ptr<Node> node)
    {
        return ApplicationContainer(InstallPriv(node));
    }

    /**
     * \brief Creates one application on a node named with the Names service.
     * \param nodeName the node's name
     * \return the application
     */
    ApplicationContainer Install(std::string nodeName)
    {
        return Install(Names::Find<Node>(nodeName));
    }

  protected:
    /// A helper creating \p App applications with their default attributes.
    QuicApplicationHelper()
    {
        m_factory.SetTypeId(App::GetTypeId());
    }

    /// \return the last application created (nullptr before the first Install)
    Ptr<App> GetLastApplication() const
    {
        return m_last;
    }

  private:
    /**
     * \param node the node
     * \return an application installed on it
     */
    Ptr<App> InstallPriv(Ptr<Node> node)
    {
        m_last = m_factory.Create<App>();
        node->AddApplication(m_last);
        return m_last;
    }

    ObjectFactory m_factory; //!< creates the applications
    Ptr<App> m_last;         //!< the last one created
};

/**
 * \ingroup quic
 * \brief A helper for a QUIC server application \p Server with the Port and Local
 * attributes (QuicServerBase).
 *
 * \tparam Server the application class (QuicServer, QuicEchoServer)
 */
template <class Server>
class QuicServerAppHelper : public QuicApplicationHelper<Server>
{
  public:
    /// A helper with the application's default port.
    QuicServerAppHelper() = default;

    /**
     * \param port the port the servers listen on (on any IPv4 address)
     */
    explicit QuicServerAppHelper(uint16_t port)
    {
        this->SetAttribute("Port", UintegerValue(port));
    }

    /**
     * \param local the address to listen on (Ipv4Address or Ipv6Address; use
     *        Ipv6Address::GetAny() for IPv6)
     * \param port the port
     */
    QuicServerAppHelper(Address local, uint16_t port)
        : QuicServerAppHelper(port)
    {
        this->SetAttribute("Local", AddressValue(local));
    }

    /// \return the last server created (for tests)
    Ptr<Server> GetServer()
    {
        return this->GetLastApplication();
    }
};

/**
 * \ingroup quic
 * \brief A helper for a QUIC client application \p Client with the RemoteAddress and
 * RemotePort attributes (QuicClientBase).
 *
 * \tparam Client the application class (QuicClient, QuicEchoClient)
 */
template <class Client>
class QuicClientAppHelper : public QuicApplicationHelper<Client>
{
  public:
    /// A helper with no remote yet (set RemoteAddress and RemotePort).
    QuicClientAppHelper() = default;

    /**
     * \param ip the server's address (Ipv4Address or Ipv6Address)
     * \param port the server's port
     */
    QuicClientAppHelper(Address ip, uint16_t port)
    {
        this->SetAttribute("RemoteAddress", AddressValue(ip));
        this->SetAttribute("RemotePort", UintegerValue(port));
    }

    /**
     * \param addr the server's address with its port (InetSocketAddress or
     *        Inet6SocketAddress)
     */
    explicit QuicClientAppHelper(Address addr)
    {
        this->SetAttribute("RemoteAddress", AddressValue(addr));
    }
};

} // namespace ns3

#endif /* QUIC_APPLICATION_HELPER_H */

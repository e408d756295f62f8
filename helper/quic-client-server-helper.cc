/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicClient and QuicServer, in the style of ns-3's UdpClientHelper.
 */

#include "quic-client-server-helper.h"

#include "ns3/address.h"
#include "ns3/names.h"
#include "ns3/uinteger.h"

namespace ns3
{

QuicServerHelper::QuicServerHelper()
{
    m_factory.SetTypeId(QuicServer::GetTypeId());
}

QuicServerHelper::QuicServerHelper(uint16_t port)
    : QuicServerHelper()
{
    SetAttribute("Port", UintegerValue(port));
}

QuicServerHelper::QuicServerHelper(Address local, uint16_t port)
    : QuicServerHelper(port)
{
    SetAttribute("Local", AddressValue(local));
}

void
QuicServerHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

Ptr<Application>
QuicServerHelper::InstallPriv(Ptr<Node> node)
{
    m_server = m_factory.Create<QuicServer>();
    node->AddApplication(m_server);
    return m_server;
}

ApplicationContainer
QuicServerHelper::Install(NodeContainer c)
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(InstallPriv(*i));
    }
    return apps;
}

ApplicationContainer
QuicServerHelper::Install(Ptr<Node> node)
{
    return ApplicationContainer(InstallPriv(node));
}

ApplicationContainer
QuicServerHelper::Install(std::string nodeName)
{
    return Install(Names::Find<Node>(nodeName));
}

Ptr<QuicServer>
QuicServerHelper::GetServer()
{
    return m_server;
}

QuicClientHelper::QuicClientHelper()
{
    m_factory.SetTypeId(QuicClient::GetTypeId());
}

QuicClientHelper::QuicClientHelper(Address ip, uint16_t port)
    : QuicClientHelper()
{
    SetAttribute("RemoteAddress", AddressValue(ip));
    SetAttribute("RemotePort", UintegerValue(port));
}

QuicClientHelper::QuicClientHelper(Address addr)
    : QuicClientHelper()
{
    SetAttribute("RemoteAddress", AddressValue(addr));
}

void
QuicClientHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
QuicClientHelper::Install(NodeContainer c)
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

ApplicationContainer
QuicClientHelper::Install(Ptr<Node> node)
{
    Ptr<QuicClient> client = m_factory.Create<QuicClient>();
    node->AddApplication(client);
    return ApplicationContainer(client);
}

ApplicationContainer
QuicClientHelper::Install(std::string nodeName)
{
    return Install(Names::Find<Node>(nodeName));
}

} // namespace ns3

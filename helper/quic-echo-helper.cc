/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicEchoClient and QuicEchoServer, in the style of ns-3's UdpEchoHelper.
 */

#include "quic-echo-helper.h"

#include "ns3/address.h"
#include "ns3/names.h"
#include "ns3/uinteger.h"

namespace ns3
{

QuicEchoServerHelper::QuicEchoServerHelper()
{
    m_factory.SetTypeId(QuicEchoServer::GetTypeId());
}

QuicEchoServerHelper::QuicEchoServerHelper(uint16_t port)
    : QuicEchoServerHelper()
{
    SetAttribute("Port", UintegerValue(port));
}

QuicEchoServerHelper::QuicEchoServerHelper(Address local, uint16_t port)
    : QuicEchoServerHelper(port)
{
    SetAttribute("Local", AddressValue(local));
}

void
QuicEchoServerHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

Ptr<Application>
QuicEchoServerHelper::InstallPriv(Ptr<Node> node)
{
    m_server = m_factory.Create<QuicEchoServer>();
    node->AddApplication(m_server);
    return m_server;
}

ApplicationContainer
QuicEchoServerHelper::Install(NodeContainer c)
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(InstallPriv(*i));
    }
    return apps;
}

ApplicationContainer
QuicEchoServerHelper::Install(Ptr<Node> node)
{
    return ApplicationContainer(InstallPriv(node));
}

ApplicationContainer
QuicEchoServerHelper::Install(std::string nodeName)
{
    return Install(Names::Find<Node>(nodeName));
}

Ptr<QuicEchoServer>
QuicEchoServerHelper::GetServer()
{
    return m_server;
}

QuicEchoClientHelper::QuicEchoClientHelper()
{
    m_factory.SetTypeId(QuicEchoClient::GetTypeId());
}

QuicEchoClientHelper::QuicEchoClientHelper(Address ip, uint16_t port)
    : QuicEchoClientHelper()
{
    SetAttribute("RemoteAddress", AddressValue(ip));
    SetAttribute("RemotePort", UintegerValue(port));
}

QuicEchoClientHelper::QuicEchoClientHelper(Address addr)
    : QuicEchoClientHelper()
{
    SetAttribute("RemoteAddress", AddressValue(addr));
}

void
QuicEchoClientHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
QuicEchoClientHelper::Install(NodeContainer c)
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

ApplicationContainer
QuicEchoClientHelper::Install(Ptr<Node> node)
{
    Ptr<QuicEchoClient> client = m_factory.Create<QuicEchoClient>();
    node->AddApplication(client);
    return ApplicationContainer(client);
}

ApplicationContainer
QuicEchoClientHelper::Install(std::string nodeName)
{
    return Install(Names::Find<Node>(nodeName));
}

} // namespace ns3

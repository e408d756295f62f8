/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-helper.h"

#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/quic-l4-protocol.h"
#include "ns3/quic-socket-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicHelper");

QuicHelper::QuicHelper()
    : InternetStackHelper()
{
}

void
QuicHelper::InstallQuic(NodeContainer c)
{
    for (auto it = c.Begin(); it != c.End(); ++it)
    {
        InstallQuic(*it);
    }
}

void
QuicHelper::InstallQuic(Ptr<Node> node)
{
    if (!node->GetObject<Ipv4>() && !node->GetObject<Ipv6>())
    {
        Install(node);
    }
    NS_ABORT_MSG_IF(node->GetObject<QuicL4Protocol>(),
                    "QuicHelper::InstallQuic: QUIC is already installed on node " << node->GetId());
    Ptr<QuicL4Protocol> quic = CreateObject<QuicL4Protocol>();
    quic->SetNode(node);
    node->AggregateObject(quic);
    Ptr<QuicSocketFactory> factory = CreateObject<QuicSocketFactory>();
    factory->SetQuicL4(quic);
    node->AggregateObject(factory);
}

int64_t
QuicHelper::AssignQuicStreams(NodeContainer c, int64_t stream)
{
    int64_t current = stream;
    for (auto it = c.Begin(); it != c.End(); ++it)
    {
        Ptr<QuicL4Protocol> quic = (*it)->GetObject<QuicL4Protocol>();
        if (quic)
        {
            current += quic->AssignStreams(current);
        }
    }
    return current - stream;
}

} // namespace ns3

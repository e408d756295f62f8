/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-socket-factory.h"

#include "quic-l4-protocol.h"

#include "ns3/abort.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(QuicSocketFactory);

TypeId
QuicSocketFactory::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicSocketFactory")
                            .SetParent<SocketFactory>()
                            .SetGroupName("Internet")
                            .AddConstructor<QuicSocketFactory>();
    return tid;
}

QuicSocketFactory::QuicSocketFactory() = default;

QuicSocketFactory::~QuicSocketFactory() = default;

void
QuicSocketFactory::SetQuicL4(Ptr<QuicL4Protocol> quic)
{
    m_quic = quic;
}

Ptr<Socket>
QuicSocketFactory::CreateSocket()
{
    if (!m_quic)
    {
        m_quic = GetObject<QuicL4Protocol>();
    }
    NS_ABORT_MSG_UNLESS(m_quic,
                        "QuicSocketFactory: no QuicL4Protocol on this node; install QUIC with "
                        "QuicHelper::InstallQuic(nodes) after the Internet stack");
    return m_quic->CreateSocket();
}

void
QuicSocketFactory::DoDispose()
{
    m_quic = nullptr;
    SocketFactory::DoDispose();
}

} // namespace ns3

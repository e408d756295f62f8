/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A constant-rate QUIC client spreading its packets over several streams.
 */

#include "quic-client.h"

#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/seq-ts-size-header.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicClient");

NS_OBJECT_ENSURE_REGISTERED(QuicClient);

namespace
{
/// The defaults of QuicClient's attributes that differ from QuicEchoClient's.
const QuicClientBase::AttributeDefaults&
ClientDefaults()
{
    static const QuicClientBase::AttributeDefaults defaults{
        100,
        1024,
        20,
        "Size in bytes of each packet, SeqTsSizeHeader (20 bytes) included"};
    return defaults;
}
} // namespace

TypeId
QuicClient::GetTypeId()
{
    static TypeId tid = MakeClientTypeId<QuicClient>("ns3::QuicClient", ClientDefaults())
                            .AddTraceSource("Rx",
                                            "Bytes have been received from the server",
                                            MakeTraceSourceAccessor(&QuicClient::m_rxTrace),
                                            "ns3::Packet::TracedCallback");
    return tid;
}

QuicClient::QuicClient()
    : QuicClientBase("QuicClient", ClientDefaults())
{
    NS_LOG_FUNCTION(this);
}

QuicClient::~QuicClient()
{
    NS_LOG_FUNCTION(this);
}

Ptr<Packet>
QuicClient::GeneratePacket(uint32_t seq, uint64_t streamId)
{
    SeqTsSizeHeader header; // timestamped now
    header.SetSeq(seq);
    header.SetSize(m_size);
    Ptr<Packet> p = Create<Packet>(m_size - header.GetSerializedSize());
    p->AddHeader(header);
    return p;
}

void
QuicClient::ReceiveBytes(Ptr<Packet> packet, uint64_t streamId)
{
    NS_LOG_INFO("QuicClient received " << packet->GetSize() << " bytes on stream " << streamId);
    m_rxTrace(packet);
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-test-utils.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv6-address-helper.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/pointer.h"
#include "ns3/ppp-header.h"
#include "ns3/quic-byte-reader.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-socket-factory.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/udp-header.h"

#include <algorithm>

namespace ns3
{
namespace quictest
{

TwoNodes::TwoNodes(const std::string& rate, Time delay, bool ipv6, uint16_t port)
{
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", TimeValue(delay));
    // Queues large enough that no test loses a packet it did not choose to drop.
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("10000p"));
    devices = p2p.Install(nodes);
    QuicHelper stack;
    stack.InstallQuic(nodes);
    if (ipv6)
    {
        Ipv6AddressHelper address;
        address.SetBase("2001:db8::", Ipv6Prefix(64));
        Ipv6InterfaceContainer ifaces = address.Assign(devices);
        serverAddress = Inet6SocketAddress(ifaces.GetAddress(1, 1), port);
        anyAddress = Inet6SocketAddress(Ipv6Address::GetAny(), port);
    }
    else
    {
        Ipv4AddressHelper address;
        address.SetBase("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer ifaces = address.Assign(devices);
        serverAddress = InetSocketAddress(ifaces.GetAddress(1), port);
        anyAddress = InetSocketAddress(Ipv4Address::GetAny(), port);
    }
}

void
TwoNodes::SetReceiveErrorModel(uint32_t node, Ptr<ErrorModel> em)
{
    devices.Get(node)->SetAttribute("ReceiveErrorModel", PointerValue(em));
}

Ptr<QuicSocketBase>
TwoNodes::CreateSocket(uint32_t node) const
{
    return DynamicCast<QuicSocketBase>(
        Socket::CreateSocket(nodes.Get(node), QuicSocketFactory::GetTypeId()));
}

NS_OBJECT_ENSURE_REGISTERED(OutageErrorModel);

TypeId
OutageErrorModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::quictest::OutageErrorModel")
                            .SetParent<ErrorModel>()
                            .SetGroupName("Internet")
                            .AddConstructor<OutageErrorModel>();
    return tid;
}

void
OutageErrorModel::SetOutage(Time from, Time to)
{
    m_from = from;
    m_to = to;
}

bool
OutageErrorModel::DoCorrupt(Ptr<Packet> p)
{
    Time now = Simulator::Now();
    return now >= m_from && now < m_to;
}

void
OutageErrorModel::DoReset()
{
}

NS_OBJECT_ENSURE_REGISTERED(ImpairmentErrorModel);

TypeId
ImpairmentErrorModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::quictest::ImpairmentErrorModel")
                            .SetParent<ErrorModel>()
                            .SetGroupName("Internet")
                            .AddConstructor<ImpairmentErrorModel>();
    return tid;
}

ImpairmentErrorModel::ImpairmentErrorModel()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
ImpairmentErrorModel::SetDevice(Ptr<NetDevice> device)
{
    NS_ABORT_MSG_UNLESS(DynamicCast<PointToPointNetDevice>(device),
                        "ImpairmentErrorModel::SetDevice: a PointToPointNetDevice is needed");
    m_device = device;
}

void
ImpairmentErrorModel::SetDropModel(Ptr<ErrorModel> drop)
{
    m_drop = drop;
}

void
ImpairmentErrorModel::SetReorder(double probability, Time delay)
{
    m_reorderP = probability;
    m_reorderDelay = delay;
}

void
ImpairmentErrorModel::SetDuplicate(double probability)
{
    m_duplicateP = probability;
}

void
ImpairmentErrorModel::SetCorrupt(double probability)
{
    m_corruptP = probability;
}

void
ImpairmentErrorModel::SetEcnBleaching(bool bleach)
{
    m_bleach = bleach;
}

int64_t
ImpairmentErrorModel::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

uint64_t
ImpairmentErrorModel::GetDropped() const
{
    return m_dropped;
}

uint64_t
ImpairmentErrorModel::GetReordered() const
{
    return m_reordered;
}

uint64_t
ImpairmentErrorModel::GetDuplicated() const
{
    return m_duplicated;
}

uint64_t
ImpairmentErrorModel::GetCorrupted() const
{
    return m_corrupted;
}

uint64_t
ImpairmentErrorModel::GetBleached() const
{
    return m_bleached;
}

bool
ImpairmentErrorModel::DoCorrupt(Ptr<Packet> p)
{
    auto it = std::find(m_passing.begin(), m_passing.end(), PeekPointer(p));
    if (it != m_passing.end())
    {
        m_passing.erase(it); // held back or copied earlier: already impaired
        return false;
    }
    if (m_drop && m_drop->IsCorrupt(p))
    {
        ++m_dropped;
        return true;
    }
    bool corrupt = m_corruptP > 0 && m_rng->GetValue() < m_corruptP;
    if (m_bleach || corrupt)
    {
        Rewrite(p, m_bleach, corrupt);
    }
    if (m_device && m_reorderP > 0 && m_rng->GetValue() < m_reorderP)
    {
        ++m_reordered;
        Simulator::Schedule(m_reorderDelay, &ImpairmentErrorModel::Reinject, this, p->Copy());
        return true; // the device drops this one; the copy arrives later
    }
    if (m_device && m_duplicateP > 0 && m_rng->GetValue() < m_duplicateP)
    {
        ++m_duplicated;
        Simulator::ScheduleNow(&ImpairmentErrorModel::Reinject, this, p->Copy());
    }
    return false;
}

void
ImpairmentErrorModel::Reinject(Ptr<Packet> p)
{
    m_passing.push_back(PeekPointer(p));
    DynamicCast<PointToPointNetDevice>(m_device)->Receive(p);
}

void
ImpairmentErrorModel::Rewrite(Ptr<Packet> p, bool bleach, bool corrupt)
{
    PppHeader ppp;
    Ipv4Header ip;
    p->RemoveHeader(ppp);
    if (ppp.GetProtocol() != 0x0021) // not IPv4
    {
        p->AddHeader(ppp);
        return;
    }
    p->RemoveHeader(ip);
    if (bleach && ip.GetEcn() != Ipv4Header::ECN_NotECT)
    {
        ++m_bleached;
        ip.SetEcn(Ipv4Header::ECN_NotECT);
    }
    if (corrupt && ip.GetProtocol() == 17 && p->GetSize() > 8)
    {
        UdpHeader udp;
        p->RemoveHeader(udp); // keeps the checksum it carried, now wrong
        std::vector<uint8_t> bytes = PacketBytes(p);
        auto at = static_cast<std::size_t>(m_rng->GetInteger(0, bytes.size() - 1));
        bytes[at] ^= static_cast<uint8_t>(m_rng->GetInteger(1, 255));
        p->RemoveAtEnd(p->GetSize());
        p->AddAtEnd(Create<Packet>(bytes.data(), bytes.size()));
        p->AddHeader(udp);
        ++m_corrupted;
    }
    ip.EnableChecksum(); // a correct IPv4 checksum for the rewritten header
    p->AddHeader(ip);
    p->AddHeader(ppp);
}

void
ImpairmentErrorModel::DoReset()
{
}

NS_OBJECT_ENSURE_REGISTERED(PacketNumberErrorModel);

TypeId
PacketNumberErrorModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::quictest::PacketNumberErrorModel")
                            .SetParent<ErrorModel>()
                            .SetGroupName("Internet")
                            .AddConstructor<PacketNumberErrorModel>();
    return tid;
}

void
PacketNumberErrorModel::SetPacketNumbers(const std::vector<uint64_t>& pns)
{
    m_pns = pns;
}

const std::vector<uint64_t>&
PacketNumberErrorModel::GetDropped() const
{
    return m_dropped;
}

bool
PacketNumberErrorModel::DoCorrupt(Ptr<Packet> p)
{
    // PPP (2) + IPv4 (20) + UDP (8), then the QUIC short header: flags, 8-byte DCID, PN.
    constexpr uint32_t kQuic = 2 + 20 + 8;
    uint8_t buf[kQuic + 1 + 8 + 4];
    if (p->GetSize() < sizeof(buf))
    {
        return false;
    }
    p->CopyData(buf, sizeof(buf));
    uint8_t first = buf[kQuic];
    if ((first & 0x80) != 0 || (first & 0x40) == 0)
    {
        return false; // long header, or not QUIC
    }
    uint8_t pnLength = (first & 0x03) + 1;
    uint64_t pn = 0;
    for (uint8_t i = 0; i < pnLength; ++i)
    {
        pn = (pn << 8) | buf[kQuic + 1 + 8 + i];
    }
    auto it = std::find(m_pns.begin(), m_pns.end(), pn);
    if (it == m_pns.end())
    {
        return false;
    }
    m_pns.erase(it);
    m_dropped.push_back(pn);
    return true;
}

void
PacketNumberErrorModel::DoReset()
{
}

std::vector<uint8_t>
PacketBytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    return bytes;
}

std::vector<QuicSubheader>
DecodeFrames(Ptr<const Packet> packet, uint8_t dcidLength, QuicHeader& header)
{
    std::vector<QuicSubheader> frames;
    std::vector<uint8_t> bytes = PacketBytes(packet);
    std::size_t consumed = 0;
    QuicWireError err;
    if (!QuicHeader::TryDecode(bytes.data(), bytes.size(), dcidLength, header, consumed, err))
    {
        return frames;
    }
    std::size_t end = header.IsLong() ? consumed + header.GetPayloadLength() : bytes.size();
    if (end > bytes.size() || end < consumed + 16)
    {
        return frames;
    }
    QuicByteReader reader(bytes.data() + consumed, end - consumed - 16);
    while (reader.Remaining() > 0)
    {
        QuicSubheader f;
        if (!QuicSubheader::TryDecode(reader, f, err))
        {
            break;
        }
        uint64_t t = f.GetFrameType();
        if (QuicSubheader::IsStream(t) || t == QuicSubheader::CRYPTO ||
            QuicSubheader::IsDatagram(t))
        {
            reader.Skip(f.GetDataLength());
        }
        frames.push_back(f);
    }
    return frames;
}

uint8_t
PatternByte(uint32_t seed, uint64_t offset)
{
    // A cheap hash of (seed, offset): reordered or misplaced bytes do not match.
    uint64_t x = offset * 0x9E3779B97F4A7C15ULL + seed * 0xC2B2AE3D27D4EB4FULL;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 32;
    return static_cast<uint8_t>(x);
}

Ptr<Packet>
MakePatternPacket(uint32_t size, uint32_t seed, uint64_t offset)
{
    std::vector<uint8_t> bytes(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        bytes[i] = PatternByte(seed, offset + i);
    }
    return Create<Packet>(bytes.data(), size);
}

} // namespace quictest
} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A bulk transfer over QUIC between two nodes joined by a point-to-point link:
 * BulkSend (with ns3::QuicSocketFactory) on one side, PacketSink on the other.
 * Prints the handshake time, the transfer time and the goodput it measured.
 *
 *   ./quic-bulk-transfer --bytes=5000000 --rate=10Mbps --delay=20ms --cc=ns3::TcpCubic
 */

#include "ns3/applications-module.h"
#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-l4-protocol.h"
#include "ns3/quic-socket-base.h"

#include <iomanip>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("QuicBulkTransfer");

namespace
{
Time g_lastRx;          //!< time of the last byte received
uint64_t g_rxBytes = 0; //!< bytes received

void
OnSinkRx(Ptr<const Packet> p, const Address& from)
{
    g_rxBytes += p->GetSize();
    g_lastRx = Simulator::Now();
}
} // namespace

int
main(int argc, char* argv[])
{
    uint64_t bytes = 5000000;
    std::string rate = "10Mbps";
    std::string delay = "20ms";
    std::string cc = "ns3::QuicCongestionControl";
    double errorRate = 0.0;
    bool ipv6 = false;
    double stopTime = 120;
    bool pacing = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("bytes", "Bytes to transfer (0: unlimited until stopTime)", bytes);
    cmd.AddValue("rate", "Link data rate", rate);
    cmd.AddValue("delay", "Link one-way delay", delay);
    cmd.AddValue("cc", "Congestion control TypeId (QuicCongestionControl or any ns-3 TCP one)", cc);
    cmd.AddValue("errorRate", "Packet error rate on the link (receiver side)", errorRate);
    cmd.AddValue("ipv6", "Use IPv6", ipv6);
    cmd.AddValue("stopTime", "Simulation stop time in seconds", stopTime);
    cmd.AddValue("pacing", "Pace packets (RFC 9002 §7.7; BBR paces in any case)", pacing);
    cmd.Parse(argc, argv);

    Config::SetDefault("ns3::QuicSocketBase::Pacing", BooleanValue(pacing));
    Config::SetDefault("ns3::QuicL4Protocol::SocketType", TypeIdValue(TypeId::LookupByName(cc)));

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    NetDeviceContainer devices = p2p.Install(nodes);
    if (errorRate > 0)
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorRate", DoubleValue(errorRate));
        em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
        devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }

    QuicHelper stack;
    stack.InstallQuic(nodes);
    Address sinkAddress;
    Address anyAddress;
    uint16_t port = 4433;
    if (ipv6)
    {
        Ipv6AddressHelper address;
        address.SetBase("2001:db8::", Ipv6Prefix(64));
        Ipv6InterfaceContainer ifaces = address.Assign(devices);
        sinkAddress = Inet6SocketAddress(ifaces.GetAddress(1, 1), port);
        anyAddress = Inet6SocketAddress(Ipv6Address::GetAny(), port);
    }
    else
    {
        Ipv4AddressHelper address;
        address.SetBase("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer ifaces = address.Assign(devices);
        sinkAddress = InetSocketAddress(ifaces.GetAddress(1), port);
        anyAddress = InetSocketAddress(Ipv4Address::GetAny(), port);
    }

    PacketSinkHelper sink("ns3::QuicSocketFactory", anyAddress);
    ApplicationContainer sinkApp = sink.Install(nodes.Get(1));
    sinkApp.Start(Seconds(0));
    sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&OnSinkRx));

    BulkSendHelper source("ns3::QuicSocketFactory", sinkAddress);
    source.SetAttribute("MaxBytes", UintegerValue(bytes));
    source.SetAttribute("SendSize", UintegerValue(1400));
    ApplicationContainer sourceApp = source.Install(nodes.Get(0));
    sourceApp.Start(Seconds(0));

    Simulator::Stop(Seconds(stopTime));
    Simulator::Run();

    double seconds = g_lastRx.GetSeconds();
    std::cout << "quic-bulk-transfer: " << g_rxBytes << " of " << bytes << " bytes received";
    if (seconds > 0)
    {
        std::cout << " in " << std::fixed << std::setprecision(3) << seconds << " s, goodput "
                  << std::setprecision(2) << g_rxBytes * 8.0 / seconds / 1e6 << " Mbps";
    }
    std::cout << " (" << cc << ", " << rate << ", " << delay << ")" << std::endl;
    Simulator::Destroy();
    return (bytes == 0 || g_rxBytes == bytes) ? 0 : 1;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-tester: a QuicEchoClient talks to a QuicEchoServer across a point-to-point link;
 * the script prints how many packets came back, whether their content was intact, and
 * the round-trip times (the first one includes the handshake).
 *
 *   ./quic-tester --rate=10Mbps --delay=10ms --packets=20 --size=1000 --interval=50ms
 *   ./quic-tester --streams=4 --ipv6 --run=3 --verbose
 *
 * The exit status is 0 if every packet was echoed intact, 1 otherwise.
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-echo-client.h"
#include "ns3/quic-echo-helper.h"
#include "ns3/quic-echo-server.h"
#include "ns3/quic-helper.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <string>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("QuicTester");

namespace
{
/**
 * Prints one RTT sample (--verbose).
 * \param rtt the sample
 */
void
PrintRtt(Time rtt)
{
    std::cout << std::fixed << std::setprecision(6) << Simulator::Now().GetSeconds()
              << " s: echo after " << std::setprecision(3) << rtt.GetSeconds() * 1000 << " ms"
              << std::endl;
}

/// Enables every log component of the QUIC module (their names start with "Quic").
void
EnableQuicLogging()
{
#ifndef NS3_LOG_ENABLE
    std::cerr << "quic-tester: NS_LOG is compiled out of this build (no NS3_LOG_ENABLE); "
                 "--verbose shows the RTT samples only"
              << std::endl;
#endif
    for (const auto& kv : *LogComponent::GetComponentList())
    {
        if (kv.first.rfind("Quic", 0) == 0)
        {
            kv.second->Enable(
                LogLevel(LOG_LEVEL_INFO | LOG_PREFIX_TIME | LOG_PREFIX_NODE | LOG_PREFIX_FUNC));
        }
    }
}
} // namespace

int
main(int argc, char* argv[])
{
    std::string rate = "10Mbps";
    std::string delay = "10ms";
    uint32_t packets = 10;
    uint32_t size = 1000;
    Time interval = MilliSeconds(100);
    uint32_t streams = 1;
    bool ipv6 = false;
    uint32_t seed = 1;
    uint64_t run = 1;
    bool verbose = false;
    Time timeout = Seconds(30);

    CommandLine cmd(__FILE__);
    cmd.AddValue("rate", "Link data rate", rate);
    cmd.AddValue("delay", "Link one-way propagation delay", delay);
    cmd.AddValue("packets", "Packets the client sends", packets);
    cmd.AddValue("size", "Bytes per packet", size);
    cmd.AddValue("interval", "Time between packets", interval);
    cmd.AddValue("streams", "Client streams the packets are spread over (0, 4, 8, ...)", streams);
    cmd.AddValue("ipv6", "Use IPv6 instead of IPv4", ipv6);
    cmd.AddValue("seed", "Random seed (RngSeedManager::SetSeed)", seed);
    cmd.AddValue("run", "Run number (RngSeedManager::SetRun)", run);
    cmd.AddValue("verbose", "Print each RTT and enable NS_LOG of the QUIC components", verbose);
    cmd.AddValue("timeout", "Time the client waits for echoes after its last packet", timeout);
    cmd.Parse(argc, argv);

    if (packets == 0 || size == 0 || streams == 0)
    {
        std::cerr << "quic-tester: --packets, --size and --streams must be positive" << std::endl;
        return 2;
    }
    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);
    if (verbose)
    {
        EnableQuicLogging();
    }

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    NetDeviceContainer devices = p2p.Install(nodes);

    QuicHelper stack;
    stack.InstallQuic(nodes);

    const uint16_t port = 4433;
    Address serverIp;
    Address anyIp;
    if (ipv6)
    {
        Ipv6AddressHelper address;
        address.SetBase("2001:db8::", Ipv6Prefix(64));
        Ipv6InterfaceContainer ifaces = address.Assign(devices);
        serverIp = ifaces.GetAddress(1, 1);
        anyIp = Ipv6Address::GetAny();
    }
    else
    {
        Ipv4AddressHelper address;
        address.SetBase("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer ifaces = address.Assign(devices);
        serverIp = ifaces.GetAddress(1);
        anyIp = Ipv4Address::GetAny();
    }

    QuicEchoServerHelper server(anyIp, port);
    ApplicationContainer serverApps = server.Install(nodes.Get(1));
    serverApps.Start(Seconds(0));

    const Time start = Seconds(1);
    const Time stop = start + interval * int64_t(packets - 1) + timeout;
    QuicEchoClientHelper client(serverIp, port);
    client.SetAttribute("MaxPackets", UintegerValue(packets));
    client.SetAttribute("PacketSize", UintegerValue(size));
    client.SetAttribute("Interval", TimeValue(interval));
    client.SetAttribute("NumStreams", UintegerValue(streams));
    ApplicationContainer clientApps = client.Install(nodes.Get(0));
    clientApps.Start(start);
    clientApps.Stop(stop);
    serverApps.Stop(stop + Seconds(1));
    Ptr<QuicEchoClient> echo = DynamicCast<QuicEchoClient>(clientApps.Get(0));
    if (verbose)
    {
        echo->TraceConnectWithoutContext("Rtt", MakeCallback(&PrintRtt));
    }

    Simulator::Stop(stop + Seconds(5));
    Simulator::Run();

    const std::vector<Time>& rtts = echo->GetRtts();
    std::cout << "quic-tester: " << (ipv6 ? "IPv6" : "IPv4") << ", " << rate << ", " << delay
              << ", " << packets << " x " << size << " bytes every " << interval.GetSeconds() * 1000
              << " ms"
              << " on " << streams << " stream(s), seed " << seed << " run " << run << std::endl;
    std::cout << "  packets sent:       " << echo->GetSent()
              << " (accepted by the socket: " << echo->GetTransmitted() << ", after "
              << echo->GetSocketRefusals() << " refused writes that waited)" << std::endl;
    std::cout << "  packets echoed:     " << echo->GetEchoed() << std::endl;
    std::cout << "  content mismatches: " << echo->GetMismatches()
              << " (unexpected bytes: " << echo->GetUnexpectedBytes() << ")" << std::endl;
    if (!rtts.empty())
    {
        Time sum;
        for (const Time& t : rtts)
        {
            sum += t;
        }
        auto [mn, mx] = std::minmax_element(rtts.begin(), rtts.end());
        std::cout << std::fixed << std::setprecision(3);
        std::cout << "  RTT min/mean/max:   " << mn->GetSeconds() * 1000 << " / "
                  << sum.GetSeconds() * 1000 / rtts.size() << " / " << mx->GetSeconds() * 1000
                  << " ms" << std::endl;
    }
    else
    {
        std::cout << "  RTT min/mean/max:   - (no echo)" << std::endl;
    }
    if (echo->GetFirstRtt().IsPositive())
    {
        std::cout << "  first echo (handshake included): " << std::fixed << std::setprecision(3)
                  << echo->GetFirstRtt().GetSeconds() * 1000 << " ms" << std::endl;
    }
    else
    {
        std::cout << "  first echo (handshake included): - (not echoed)" << std::endl;
    }
    bool ok = echo->GetSent() == packets && echo->GetEchoed() == packets &&
              echo->GetMismatches() == 0 && echo->GetUnexpectedBytes() == 0;
    std::cout << "  result: " << (ok ? "OK" : "FAILED") << std::endl;
    Simulator::Destroy();
    return ok ? 0 : 1;
}

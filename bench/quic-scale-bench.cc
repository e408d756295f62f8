/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Many concurrent connections across one dumbbell, QUIC next to ns-3's TCP in the same
 * invocation: short flows (BulkSend of --flowSize bytes) arrive by a Poisson process
 * between --leaves sender/receiver pairs sharing one bottleneck. Every configuration runs
 * in a forked child (peak RSS = its VmHWM); a baseline child builds the same topology
 * without flows, so that memory per connection = (peak RSS − baseline) / peak concurrent
 * connections. Prints one figure per line with its unit and the QUIC/TCP ratios; the
 * child's CPU time (wait4) is printed next to wall time, steadier on a shared machine.
 *
 *   quic-scale-bench [--flows=1000] [--arrivalRate=5000] [--flowSize=100000]
 *                    [--rate=1000] [--stopTime=30] [--transports=quic,tcp]
 */

#include "quic-bench-child.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-l4-protocol.h"
#include "ns3/quic-socket-base.h"
#include "ns3/traffic-control-module.h"

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ns3;

namespace
{

/// What one configuration asks for.
struct ScaleConfig
{
    bool quic{true};                       //!< QUIC (true) or ns-3 TCP
    uint32_t flows{1000};                  //!< flows to start (0: baseline)
    double arrivalRate{5000};              //!< Poisson arrivals per second
    uint32_t flowSize{100000};             //!< bytes per flow
    uint32_t leaves{10};                   //!< sender/receiver pairs
    double rateMbps{1000};                 //!< bottleneck rate
    Time delay{MilliSeconds(10)};          //!< bottleneck one-way delay
    double stopTime{30};                   //!< simulated seconds at most
    uint32_t seed{1};                      //!< RNG run number
    std::string quicCc{"ns3::TcpNewReno"}; //!< QUIC congestion control
};

/// What one configuration measured (sent from the child through a pipe).
struct ScaleResult
{
    double wallSeconds{0};      //!< wall time of set-up, run and teardown
    double cpuSeconds{0};       //!< user + system CPU time of the child (from wait4)
    uint64_t events{0};         //!< events executed
    uint64_t peakRssKiB{0};     //!< VmHWM of the child
    uint32_t completed{0};      //!< flows whose bytes all arrived
    uint32_t peakConcurrent{0}; //!< most flows started and not complete at once
    double lastCompletion{0};   //!< simulated time the last flow completed
};

uint32_t g_active = 0;                     //!< flows started and not complete
uint32_t g_peakActive = 0;                 //!< most active at once
uint32_t g_completed = 0;                  //!< flows complete
double g_lastCompletion = 0;               //!< last completion time
uint32_t g_flowSize = 0;                   //!< bytes per flow
std::map<std::string, uint64_t> g_rxBytes; //!< bytes received per sender address

void
OnFlowStart()
{
    ++g_active;
    g_peakActive = std::max(g_peakActive, g_active);
}

void
OnSinkRx(Ptr<const Packet> p, const Address& from)
{
    std::ostringstream key;
    key << InetSocketAddress::ConvertFrom(from).GetIpv4() << ":"
        << InetSocketAddress::ConvertFrom(from).GetPort();
    uint64_t& got = g_rxBytes[key.str()];
    uint64_t before = got;
    got += p->GetSize();
    if (before < g_flowSize && got >= g_flowSize)
    {
        ++g_completed;
        --g_active;
        g_lastCompletion = Simulator::Now().GetSeconds();
    }
}

/**
 * Builds the dumbbell, runs the flows and measures (in the calling process).
 * \param c the configuration
 * \return the figures
 */
ScaleResult
RunOne(const ScaleConfig& c)
{
    ScaleResult r;
    auto start = std::chrono::steady_clock::now();
    RngSeedManager::SetRun(c.seed);
    g_flowSize = c.flowSize;

    Time rtt = (c.delay + MilliSeconds(1) * 2) * 2;
    auto bdpPackets = static_cast<uint32_t>(c.rateMbps * 1e6 / 8 * rtt.GetSeconds() / 1500);
    uint32_t queuePackets = std::max<uint32_t>(100, bdpPackets);
    Config::SetDefault("ns3::TcpL4Protocol::SocketType",
                       TypeIdValue(TypeId::LookupByName("ns3::TcpNewReno")));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    Config::SetDefault("ns3::QuicL4Protocol::SocketType",
                       TypeIdValue(TypeId::LookupByName(c.quicCc)));
    Config::SetDefault("ns3::QuicSocketBase::MaxPacketSize", UintegerValue(1472));

    NodeContainer routers;
    routers.Create(2);
    NodeContainer senders;
    senders.Create(c.leaves);
    NodeContainer receivers;
    receivers.Create(c.leaves);
    PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    access.SetChannelAttribute("Delay", StringValue("1ms"));
    access.SetQueue("ns3::DropTailQueue",
                    "MaxSize",
                    QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, queuePackets)));
    PointToPointHelper bottleneck;
    bottleneck.SetDeviceAttribute("DataRate", DataRateValue(DataRate(c.rateMbps * 1e6)));
    bottleneck.SetChannelAttribute("Delay", TimeValue(c.delay));
    bottleneck.SetQueue("ns3::DropTailQueue",
                        "MaxSize",
                        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, queuePackets)));

    NodeContainer all(routers, senders, receivers);
    if (c.quic)
    {
        QuicHelper stack;
        stack.InstallQuic(all);
    }
    else
    {
        InternetStackHelper stack;
        stack.Install(all);
    }
    Ipv4AddressHelper address;
    TrafficControlHelper tch;
    NetDeviceContainer core = bottleneck.Install(routers);
    address.SetBase("10.0.0.0", "255.255.255.0");
    address.Assign(core);
    tch.Uninstall(core);
    std::vector<Ipv4Address> receiverAddress;
    for (uint32_t i = 0; i < c.leaves; ++i)
    {
        NetDeviceContainer left = access.Install(senders.Get(i), routers.Get(0));
        NetDeviceContainer right = access.Install(routers.Get(1), receivers.Get(i));
        address.SetBase(Ipv4Address((10u << 24) | ((1u + i) << 8)), "255.255.255.0");
        address.Assign(left);
        address.SetBase(Ipv4Address((10u << 24) | ((128u + i) << 8)), "255.255.255.0");
        receiverAddress.push_back(address.Assign(right).GetAddress(1));
        tch.Uninstall(left);
        tch.Uninstall(right);
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    std::string factory = c.quic ? "ns3::QuicSocketFactory" : "ns3::TcpSocketFactory";
    uint16_t port = 4433;
    PacketSinkHelper sink(factory, InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sinks = sink.Install(receivers);
    sinks.Start(Seconds(0));
    for (uint32_t i = 0; i < sinks.GetN(); ++i)
    {
        sinks.Get(i)->TraceConnectWithoutContext("Rx", MakeCallback(&OnSinkRx));
    }
    Ptr<ExponentialRandomVariable> gap = CreateObject<ExponentialRandomVariable>();
    gap->SetAttribute("Mean", DoubleValue(1.0 / c.arrivalRate));
    gap->SetStream(1);
    double t = 0.01;
    for (uint32_t f = 0; f < c.flows; ++f)
    {
        t += gap->GetValue();
        uint32_t leaf = f % c.leaves;
        BulkSendHelper source(factory, InetSocketAddress(receiverAddress[leaf], port));
        source.SetAttribute("MaxBytes", UintegerValue(c.flowSize));
        source.SetAttribute("SendSize", UintegerValue(1448));
        ApplicationContainer app = source.Install(senders.Get(leaf));
        app.Start(Seconds(t));
        Simulator::Schedule(Seconds(t), &OnFlowStart);
    }

    Simulator::Stop(Seconds(c.stopTime));
    Simulator::Run();
    r.events = Simulator::GetEventCount();
    Simulator::Destroy();
    r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.peakRssKiB = quicbench::PeakRssKiB();
    r.completed = g_completed;
    r.peakConcurrent = g_peakActive;
    r.lastCompletion = g_lastCompletion;
    return r;
}

} // namespace

int
main(int argc, char* argv[])
{
    ScaleConfig base;
    std::string transports = "quic,tcp";
    std::string delay = "10ms";
    CommandLine cmd(__FILE__);
    cmd.AddValue("flows", "Flows (connections) to start", base.flows);
    cmd.AddValue("arrivalRate", "Poisson flow arrivals per second", base.arrivalRate);
    cmd.AddValue("flowSize", "Bytes per flow", base.flowSize);
    cmd.AddValue("leaves", "Sender/receiver pairs around the bottleneck", base.leaves);
    cmd.AddValue("rate", "Bottleneck rate in Mbps", base.rateMbps);
    cmd.AddValue("delay", "Bottleneck one-way delay", delay);
    cmd.AddValue("stopTime", "Simulated seconds at most", base.stopTime);
    cmd.AddValue("run", "RNG run number", base.seed);
    cmd.AddValue("quicCc", "QUIC congestion control TypeId", base.quicCc);
    cmd.AddValue("transports", "Which of quic,tcp to run", transports);
    cmd.Parse(argc, argv);
    base.delay = Time(delay);
    if (base.leaves == 0 || base.arrivalRate <= 0)
    {
        NS_FATAL_ERROR("quic-scale-bench: --leaves and --arrivalRate must be positive");
    }

    std::cout << std::fixed;
    double wall[2] = {0, 0};
    double cpu[2] = {0, 0};
    double perConn[2] = {0, 0};
    for (int t = 0; t < 2; ++t)
    {
        bool quic = (t == 0);
        if (transports.find(quic ? "quic" : "tcp") == std::string::npos)
        {
            continue;
        }
        std::string tag = quic ? "quic " : "tcp ";
        ScaleConfig c = base;
        c.quic = quic;
        ScaleConfig empty = c;
        empty.flows = 0;
        ScaleResult r;
        ScaleResult b;
        if (!quicbench::RunInChild([&] { return RunOne(empty); }, b) ||
            !quicbench::RunInChild([&] { return RunOne(c); }, r))
        {
            std::cout << tag << "failed" << std::endl;
            continue;
        }
        wall[t] = r.wallSeconds;
        cpu[t] = r.cpuSeconds;
        double extraMiB = (double(r.peakRssKiB) - double(b.peakRssKiB)) / 1024.0;
        perConn[t] = r.peakConcurrent > 0 ? extraMiB * 1024.0 / r.peakConcurrent : 0;
        std::cout << std::setprecision(3);
        std::cout << tag << "flows completed: " << r.completed << " of " << c.flows << " flows\n";
        std::cout << tag << "peak concurrent connections: " << r.peakConcurrent << " connections\n";
        std::cout << tag << "last completion: " << r.lastCompletion << " s (simulated)\n";
        std::cout << tag << "wall: " << r.wallSeconds << " s\n";
        std::cout << tag << "cpu: " << r.cpuSeconds << " s\n";
        std::cout << tag << "events: " << r.events << " events\n";
        std::cout << std::setprecision(1);
        std::cout << tag << "peak RSS: " << r.peakRssKiB / 1024.0 << " MiB\n";
        std::cout << tag << "peak RSS without flows: " << b.peakRssKiB / 1024.0 << " MiB\n";
        std::cout << tag << "memory per concurrent connection: " << perConn[t] << " KiB"
                  << std::endl;
    }
    if (wall[0] > 0 && wall[1] > 0)
    {
        std::cout << std::setprecision(3) << "quic/tcp wall: " << wall[0] / wall[1] << " x\n";
        std::cout << "quic/tcp cpu: " << cpu[0] / cpu[1] << " x\n";
    }
    if (perConn[0] > 0 && perConn[1] > 0)
    {
        std::cout << std::setprecision(3)
                  << "quic/tcp memory per connection: " << perConn[0] / perConn[1] << " x"
                  << std::endl;
    }
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Wall-clock cost of simulating QUIC next to ns-3's own TCP on the same dumbbell, measured
 * in the same invocation:
 *
 *   sender --access-- router --bottleneck-- router --access-- receiver
 *
 * One bulk flow (BulkSend → PacketSink) per run, NewReno on both transports (for QUIC
 * both RFC 9002's own controller and ns-3's TcpNewReno through the bridge), the same
 * drop-tail queue of a bandwidth-delay product on every device (no queue discs), access
 * links 1 Gbps. Every configuration runs in a forked child so that its peak RSS (VmHWM)
 * and its events are its own. Prints one figure per line with its unit, then the QUIC/TCP
 * ratio of wall seconds per simulated GB for each rate and the growth of that cost from
 * the lowest to the highest rate. The child's CPU time (user + system, from wait4) is printed
 * next to wall time: on a shared machine it is the steadier of the two; --repeat=N runs
 * each configuration N times (all rows interleaved) and keeps the smallest times.
 *
 *   quic-dumbbell-bench [--rates=10,100,1000] [--duration=20] [--delay=10ms]
 *                       [--transports=quic,tcp]
 * [--quicCc=ns3::QuicCongestionControl,ns3::TcpNewReno] [--repeat=1]
 *                       [--queueBdp=1] [--bufferFactor=2] [--pcap=prefix] [--timeline=prefix]
 *                       [--wireDigest=false]
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
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

/// What one configuration asks for.
struct BenchConfig
{
    bool quic{true};                   //!< QUIC (true) or ns-3 TCP
    double rateMbps{100};              //!< bottleneck rate
    double accessMbps{1000};           //!< access link rate
    Time delay{MilliSeconds(10)};      //!< bottleneck one-way delay
    Time accessDelay{MilliSeconds(1)}; //!< access one-way delay
    double duration{20};               //!< simulated seconds
    double queueBdp{1.0};              //!< queue size in bandwidth-delay products
    double bufferFactor{2.0};          //!< socket buffers in units of BDP + queue
    bool wireDigest{false};            //!< digest every frame put on a link
    uint32_t sendSize{1448};           //!< application write size
    uint32_t quicPacketSize{1472};     //!< QUIC MaxPacketSize (1500 MTU − IP − UDP)
    std::string quicCc{"ns3::QuicCongestionControl"}; //!< QUIC congestion control
    std::string label{"quic"};                        //!< row name (file names)
    std::string pcapPrefix;                           //!< bottleneck pcap file prefix (empty: none)
    std::string timelinePrefix; //!< goodput timeline file prefix (empty: none)
};

/// What one configuration measured (sent from the child through a pipe).
struct Result
{
    uint64_t rxBytes{0};      //!< application bytes received
    double wallSeconds{0};    //!< wall time of set-up, run and teardown
    double cpuSeconds{0};     //!< user + system CPU time of the child (from wait4)
    uint64_t events{0};       //!< events executed
    uint64_t peakRssKiB{0};   //!< VmHWM of the child
    uint32_t queuePackets{0}; //!< queue size used
    uint64_t frames{0};       //!< frames sent on all links (with --wireDigest)
    uint64_t digest{0};       //!< FNV-1a of every frame's time, link and bytes (--wireDigest)
};

uint64_t g_rxBytes = 0;                      //!< bytes received by the sink
uint64_t g_frames = 0;                       //!< frames put on the links
uint64_t g_digest = 14695981039346656037ULL; //!< FNV-1a offset basis
std::vector<uint8_t> g_frameBytes;           //!< scratch for one frame's bytes

/// Folds bytes into the FNV-1a digest.
void
Fold(const uint8_t* data, std::size_t size)
{
    for (std::size_t i = 0; i < size; ++i)
    {
        g_digest = (g_digest ^ data[i]) * 1099511628211ULL;
    }
}

/**
 * A frame starts on a link: its time, device and bytes go into the digest, so that two
 * builds that put the same packets on the wire at the same times print the same digest.
 */
void
OnPhyTxBegin(std::string context, Ptr<const Packet> p)
{
    ++g_frames;
    int64_t now = Simulator::Now().GetTimeStep();
    Fold(reinterpret_cast<const uint8_t*>(&now), sizeof(now));
    Fold(reinterpret_cast<const uint8_t*>(context.data()), context.size());
    g_frameBytes.resize(p->GetSize());
    p->CopyData(g_frameBytes.data(), g_frameBytes.size());
    Fold(g_frameBytes.data(), g_frameBytes.size());
}

void
OnSinkRx(Ptr<const Packet> p, const Address& from)
{
    g_rxBytes += p->GetSize();
}

/**
 * Writes the goodput of the last period, then schedules itself again.
 * \param out the file
 * \param period the sampling period
 * \param lastBytes bytes received at the previous sample
 */
void
SampleGoodput(std::shared_ptr<std::ofstream> out, Time period, uint64_t lastBytes)
{
    *out << Simulator::Now().GetSeconds() << " "
         << (g_rxBytes - lastBytes) * 8 / period.GetSeconds() / 1e6 << "\n";
    Simulator::Schedule(period, &SampleGoodput, out, period, g_rxBytes);
}

/**
 * Builds the dumbbell, runs it and measures (in the calling process).
 * \param c the configuration
 * \return the figures
 */
Result
RunOne(const BenchConfig& c)
{
    Result r;
    auto start = std::chrono::steady_clock::now();

    // Same MSS-sized units on both sides: TCP segments of 1448 bytes (1500 MTU with
    // timestamps), QUIC packets filling the same MTU. The BDP is the bottleneck rate times
    // the smallest RTT a full-size packet sees: propagation both ways plus its transmission
    // on the three links (1.2 ms on a 10 Mbps bottleneck; the ACK's is neglected).
    double baseRtt = 2 * (c.delay + c.accessDelay * 2).GetSeconds() +
                     1500 * 8 / (c.rateMbps * 1e6) + 2 * 1500 * 8 / (c.accessMbps * 1e6);
    uint64_t bdpBytes = static_cast<uint64_t>(c.rateMbps * 1e6 / 8 * baseRtt);
    uint32_t queuePackets = std::max<uint32_t>(10, std::ceil(c.queueBdp * bdpBytes / 1500.0));
    r.queuePackets = queuePackets;
    // Send and receive buffers large enough for the window never to be buffer-limited
    // (the window stops growing at BDP + queue, where the queue overflows).
    auto buffer = static_cast<uint32_t>(
        std::max<double>(4 << 20, c.bufferFactor * (bdpBytes + queuePackets * 1500.0)));

    Config::SetDefault("ns3::TcpL4Protocol::SocketType",
                       TypeIdValue(TypeId::LookupByName("ns3::TcpNewReno")));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
    Config::SetDefault("ns3::QuicL4Protocol::SocketType",
                       TypeIdValue(TypeId::LookupByName(c.quicCc)));
    Config::SetDefault("ns3::QuicSocketBase::MaxPacketSize", UintegerValue(c.quicPacketSize));
    Config::SetDefault("ns3::QuicSocketBase::SocketSndBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::QuicSocketBase::StreamSndBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::QuicSocketBase::SocketRcvBufSize", UintegerValue(buffer));

    NodeContainer nodes;
    nodes.Create(4); // sender, left router, right router, receiver
    PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", DataRateValue(DataRate(c.accessMbps * 1e6)));
    access.SetChannelAttribute("Delay", TimeValue(c.accessDelay));
    access.SetQueue("ns3::DropTailQueue",
                    "MaxSize",
                    QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, queuePackets)));
    PointToPointHelper bottleneck;
    bottleneck.SetDeviceAttribute("DataRate", DataRateValue(DataRate(c.rateMbps * 1e6)));
    bottleneck.SetChannelAttribute("Delay", TimeValue(c.delay));
    bottleneck.SetQueue("ns3::DropTailQueue",
                        "MaxSize",
                        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, queuePackets)));
    NetDeviceContainer d0 = access.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer d1 = bottleneck.Install(nodes.Get(1), nodes.Get(2));
    NetDeviceContainer d2 = access.Install(nodes.Get(2), nodes.Get(3));

    if (c.quic)
    {
        QuicHelper stack;
        stack.InstallQuic(nodes);
    }
    else
    {
        InternetStackHelper stack;
        stack.Install(nodes);
    }
    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(d0);
    address.SetBase("10.1.2.0", "255.255.255.0");
    address.Assign(d1);
    address.SetBase("10.1.3.0", "255.255.255.0");
    Ipv4InterfaceContainer i2 = address.Assign(d2);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    // The device queues above are the only queues, identical for both transports.
    TrafficControlHelper tch;
    for (NetDeviceContainer* d : {&d0, &d1, &d2})
    {
        tch.Uninstall(*d);
    }

    std::string factory = c.quic ? "ns3::QuicSocketFactory" : "ns3::TcpSocketFactory";
    uint16_t port = 4433;
    PacketSinkHelper sink(factory, InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sinkApp = sink.Install(nodes.Get(3));
    sinkApp.Start(Seconds(0));
    sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&OnSinkRx));
    BulkSendHelper source(factory, InetSocketAddress(i2.GetAddress(1), port));
    source.SetAttribute("MaxBytes", UintegerValue(0));
    source.SetAttribute("SendSize", UintegerValue(c.sendSize));
    ApplicationContainer sourceApp = source.Install(nodes.Get(0));
    sourceApp.Start(Seconds(0));

    if (!c.pcapPrefix.empty())
    {
        bottleneck.EnablePcap(c.pcapPrefix + "-" + c.label, d1.Get(0), true);
    }
    if (!c.timelinePrefix.empty())
    {
        // Where the goodput is lost (slow start, recoveries); adds one event per period.
        std::ostringstream name;
        name << c.timelinePrefix << "-" + c.label + "-" << c.rateMbps << "Mbps.txt";
        auto out = std::make_shared<std::ofstream>(name.str());
        *out << "# time_s goodput_Mbps (sink bytes over the last 10 ms)\n";
        Simulator::Schedule(MilliSeconds(10), &SampleGoodput, out, MilliSeconds(10), 0);
    }
    if (c.wireDigest)
    {
        Config::Connect("/NodeList/*/DeviceList/*/$ns3::PointToPointNetDevice/PhyTxBegin",
                        MakeCallback(&OnPhyTxBegin));
    }
    Simulator::Stop(Seconds(c.duration));
    Simulator::Run();
    r.events = Simulator::GetEventCount();
    r.rxBytes = g_rxBytes;
    r.frames = g_frames;
    r.digest = g_digest;
    Simulator::Destroy();
    r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.peakRssKiB = quicbench::PeakRssKiB();
    return r;
}

/// One row of the output: a transport and, for QUIC, its congestion control.
struct Variant
{
    std::string label; //!< row name
    bool quic;         //!< QUIC (true) or ns-3 TCP
    std::string cc;    //!< QUIC congestion control TypeId
};

/// \return the comma-separated names of s, empty ones dropped
std::vector<std::string>
ParseNames(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (!item.empty())
        {
            out.push_back(item);
        }
    }
    return out;
}

/// \return a TypeId name without its "ns3::" namespace
std::string
ShortName(const std::string& typeId)
{
    return typeId.rfind("ns3::", 0) == 0 ? typeId.substr(5) : typeId;
}

/// \return the comma-separated numbers of s
std::vector<double>
ParseList(const std::string& s)
{
    std::vector<double> out;
    for (const std::string& item : ParseNames(s))
    {
        out.push_back(std::stod(item));
    }
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    BenchConfig base;
    std::string rates = "10,100,1000";
    std::string transports = "quic,tcp";
    // RFC 9002's own NewReno first, then ns-3's TcpNewReno through the congestion bridge.
    std::string quicCcs = "ns3::QuicCongestionControl,ns3::TcpNewReno";
    uint32_t repeat = 1;
    std::string delay = "10ms";
    std::string accessDelay = "1ms";
    CommandLine cmd(__FILE__);
    cmd.AddValue("rates", "Bottleneck rates in Mbps, comma-separated", rates);
    cmd.AddValue("duration", "Simulated seconds per run", base.duration);
    cmd.AddValue("delay", "Bottleneck one-way delay", delay);
    cmd.AddValue("accessDelay", "Access links' one-way delay", accessDelay);
    cmd.AddValue("accessRate", "Access links' rate in Mbps", base.accessMbps);
    cmd.AddValue("queueBdp",
                 "Queue size of every device in bandwidth-delay products",
                 base.queueBdp);
    cmd.AddValue("bufferFactor",
                 "Send/receive buffers (both transports) in units of BDP + queue, at least 4 MiB",
                 base.bufferFactor);
    cmd.AddValue("sendSize", "Application write size in bytes (both transports)", base.sendSize);
    cmd.AddValue("quicPacketSize", "QUIC MaxPacketSize (UDP payload bytes)", base.quicPacketSize);
    cmd.AddValue("quicCc",
                 "QUIC congestion control TypeIds, comma-separated: one QUIC row each (the "
                 "first is \"quic\", the others \"quic-<name>\")",
                 quicCcs);
    cmd.AddValue("pcap",
                 "Prefix of a pcap of the bottleneck (sender side) per run; empty: none",
                 base.pcapPrefix);
    cmd.AddValue("timeline",
                 "Prefix of a goodput timeline per run (10 ms samples, one more event each); "
                 "empty: none",
                 base.timelinePrefix);
    cmd.AddValue("transports", "Which of quic,tcp to run", transports);
    cmd.AddValue("wireDigest",
                 "Also print the number of frames put on the links and a digest of their "
                 "times and bytes (to check that a change leaves the wire unchanged)",
                 base.wireDigest);
    cmd.AddValue("repeat",
                 "Runs of each configuration (QUIC and TCP interleaved); the smallest wall and "
                 "CPU times are printed",
                 repeat);
    cmd.Parse(argc, argv);
    base.delay = Time(delay);
    base.accessDelay = Time(accessDelay);
    // One row per transport variant: QUIC once per --quicCc entry (the first is named
    // "quic", the others "quic-<algorithm>"), then ns-3's TCP.
    std::vector<Variant> variants;
    if (transports.find("quic") != std::string::npos)
    {
        for (const std::string& cc : ParseNames(quicCcs))
        {
            std::string label = variants.empty() ? "quic" : "quic-" + ShortName(cc);
            variants.push_back({label, true, cc});
        }
    }
    bool runTcp = transports.find("tcp") != std::string::npos;
    if (runTcp)
    {
        variants.push_back({"tcp", false, ""});
    }

    std::cout << std::fixed;
    std::vector<double> rateList = ParseList(rates);
    // Per variant, its cost per GB at each rate (for the growth lines).
    std::vector<std::vector<double>> wallPerGbByRate(variants.size());
    std::vector<std::vector<double>> cpuPerGbByRate(variants.size());
    for (double rate : rateList)
    {
        std::vector<double> wallPerGb(variants.size(), 0);
        std::vector<double> cpuPerGb(variants.size(), 0);
        // Each repetition runs every variant in turn, so that all see the same load; the
        // smallest wall and CPU times are kept (interference only ever adds time). The
        // simulated figures are identical in every repetition (determinism).
        std::vector<Result> best(variants.size());
        std::vector<bool> ok(variants.size(), false);
        for (uint32_t k = 0; k < repeat; ++k)
        {
            for (std::size_t v = 0; v < variants.size(); ++v)
            {
                BenchConfig c = base;
                c.quic = variants[v].quic;
                c.quicCc = variants[v].cc;
                c.label = variants[v].label;
                c.rateMbps = rate;
                Result r;
                if (!quicbench::RunInChild([&] { return RunOne(c); }, r))
                {
                    continue;
                }
                if (!ok[v])
                {
                    best[v] = r;
                    ok[v] = true;
                }
                best[v].wallSeconds = std::min(best[v].wallSeconds, r.wallSeconds);
                best[v].cpuSeconds = std::min(best[v].cpuSeconds, r.cpuSeconds);
            }
        }
        std::string ratePrefix = std::to_string(static_cast<uint64_t>(rate)) + "Mbps ";
        for (std::size_t v = 0; v < variants.size(); ++v)
        {
            std::string tag = ratePrefix + variants[v].label + " ";
            if (!ok[v])
            {
                std::cout << tag << "failed" << std::endl;
                continue;
            }
            const Result& r = best[v];
            double goodput = r.rxBytes * 8.0 / base.duration / 1e6;
            double gb = r.rxBytes / 1e9;
            wallPerGb[v] = gb > 0 ? r.wallSeconds / gb : 0;
            cpuPerGb[v] = gb > 0 ? r.cpuSeconds / gb : 0;
            if (variants[v].quic)
            {
                std::cout << tag << "congestion control: " << variants[v].cc << "\n";
            }
            std::cout << std::setprecision(3);
            std::cout << tag << "queue: " << r.queuePackets << " packets\n";
            std::cout << tag << "goodput: " << goodput << " Mbps\n";
            std::cout << tag << "goodput/bottleneck: " << std::setprecision(2)
                      << 100.0 * goodput / rate << " %\n";
            std::cout << std::setprecision(3);
            std::cout << tag << "wall: " << r.wallSeconds << " s\n";
            std::cout << tag << "cpu: " << r.cpuSeconds << " s\n";
            std::cout << tag << "events: " << r.events << " events\n";
            std::cout << tag << "wall per simulated GB: " << wallPerGb[v] << " s/GB\n";
            std::cout << tag << "cpu per simulated GB: " << cpuPerGb[v] << " s/GB\n";
            std::cout << tag << "peak RSS: " << std::setprecision(1) << r.peakRssKiB / 1024.0
                      << " MiB" << std::endl;
            if (base.wireDigest)
            {
                std::cout << tag << "frames on the links: " << r.frames << " frames\n";
                std::cout << tag << "wire digest: " << std::hex << r.digest << std::dec
                          << " (FNV-1a)" << std::endl;
            }
            wallPerGbByRate[v].push_back(wallPerGb[v]);
            cpuPerGbByRate[v].push_back(cpuPerGb[v]);
        }
        std::size_t tcp = variants.size() - 1;
        for (std::size_t v = 0; runTcp && v < tcp; ++v)
        {
            if (wallPerGb[v] > 0 && wallPerGb[tcp] > 0)
            {
                std::string tag = ratePrefix + variants[v].label + "/tcp ";
                std::cout << std::setprecision(3) << tag
                          << "wall per GB: " << wallPerGb[v] / wallPerGb[tcp] << " x\n";
                std::cout << tag << "cpu per GB: " << cpuPerGb[v] / cpuPerGb[tcp] << " x"
                          << std::endl;
            }
        }
    }
    for (std::size_t v = 0; v < variants.size(); ++v)
    {
        const std::vector<double>& wall = wallPerGbByRate[v];
        const std::vector<double>& cpu = cpuPerGbByRate[v];
        if (!variants[v].quic || rateList.size() < 2 || wall.size() != rateList.size() ||
            wall.front() <= 0 || cpu.front() <= 0)
        {
            continue;
        }
        std::string tag = variants[v].label + " growth " +
                          std::to_string(static_cast<uint64_t>(rateList.front())) + " to " +
                          std::to_string(static_cast<uint64_t>(rateList.back())) + " Mbps, ";
        std::cout << std::setprecision(3) << tag << "wall per GB: " << wall.back() / wall.front()
                  << " x\n";
        std::cout << tag << "cpu per GB: " << cpu.back() / cpu.front() << " x" << std::endl;
    }
    return 0;
}

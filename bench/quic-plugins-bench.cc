/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Cost of the monitoring plugin on a bulk transfer: the same transfer with no plugin,
 * with monitoring interpreted and with monitoring JIT-compiled (monitoring on both ends),
 * interleaved and repeated in this one process (the run with the least CPU time kept);
 * prints wall and CPU times, simulator events and the ratios to the run without plugin,
 * one figure per line with its unit. CPU time is the figure to trust on a loaded machine.
 *
 *   quic-plugins-bench [--bytes=N] [--repeat=N] [--mode=all|none|interp|jit]
 *
 * --mode=none runs only the plugin-free transfer once (for callgrind: the share of the
 * protocol-operation dispatch in a connection without plugins).
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-plugin-helper.h"
#include "ns3/quic-socket-base.h"
#include "ns3/quic-socket-factory.h"

#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>

using namespace ns3;

namespace
{

uint64_t g_received = 0; //!< bytes read by the server

void
ServerRx(Ptr<Socket> s)
{
    while (Ptr<Packet> p = s->Recv())
    {
        g_received += p->GetSize();
    }
}

void
Accept(Ptr<Socket> s, const Address&)
{
    s->SetRecvCallback(MakeCallback(&ServerRx));
}

void
Fill(uint64_t* left, Ptr<Socket> s, uint32_t)
{
    while (*left > 0 && s->GetTxAvailable() > 0)
    {
        uint32_t n =
            static_cast<uint32_t>(std::min<uint64_t>({*left, uint64_t(s->GetTxAvailable()), 1400}));
        if (s->Send(Create<Packet>(n), 0) < 0)
        {
            break;
        }
        *left -= n;
    }
}

/// \return CPU seconds used by this process
double
CpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/// One transfer's cost.
struct Cost
{
    double seconds{0};   //!< wall time
    double cpu{0};       //!< process CPU time (robust against other load on the machine)
    uint64_t events{0};  //!< simulator events
    uint64_t counted{0}; //!< packets the monitoring plugin counted (0 without)
};

/**
 * \param bytes to transfer
 * \param plugin "" or a plugin name for both ends
 * \param jit JIT or interpreter
 * \return its cost
 */
Cost
Transfer(uint64_t bytes, const std::string& plugin, bool jit)
{
    g_received = 0;
    Config::SetDefault("ns3::QuicSocketBase::PluginJit", BooleanValue(jit));
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1000p"));
    NetDeviceContainer devices = p2p.Install(nodes);
    QuicHelper stack;
    stack.InstallQuic(nodes);
    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifaces = address.Assign(devices);
    if (!plugin.empty())
    {
        QuicPluginHelper helper;
        helper.Add(plugin);
        helper.Install(nodes);
    }
    Ptr<Socket> server = Socket::CreateSocket(nodes.Get(1), QuicSocketFactory::GetTypeId());
    server->Bind(InetSocketAddress(Ipv4Address::GetAny(), 4433));
    server->Listen();
    server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                              MakeCallback(&Accept));
    Ptr<QuicSocketBase> client = DynamicCast<QuicSocketBase>(
        Socket::CreateSocket(nodes.Get(0), QuicSocketFactory::GetTypeId()));
    uint64_t left = bytes;
    client->SetSendCallback(MakeBoundCallback(&Fill, &left));
    client->Connect(InetSocketAddress(ifaces.GetAddress(1), 4433));
    Simulator::Schedule(MilliSeconds(1), [&left, client]() { Fill(&left, client, 0); });
    Simulator::Stop(Seconds(600));
    uint64_t events0 = Simulator::GetEventCount();
    auto start = std::chrono::steady_clock::now();
    double cpu0 = CpuSeconds();
    Simulator::Run();
    Cost c;
    c.cpu = CpuSeconds() - cpu0;
    c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    c.events = Simulator::GetEventCount() - events0;
    bool found = false;
    c.counted = client->CallPlugin("monitoring_get", {0}, found);
    if (g_received != bytes)
    {
        std::cerr << "quic-plugins-bench: transfer incomplete (" << g_received << " of " << bytes
                  << " bytes)" << std::endl;
    }
    Simulator::Destroy();
    return c;
}

/// Keeps the cheapest (CPU time) of several runs.
void
KeepBest(Cost& best, const Cost& c, bool first)
{
    if (first || c.cpu < best.cpu)
    {
        best = c;
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint64_t bytes = 50000000;
    uint32_t repeat = 3;
    std::string mode = "all";
    CommandLine cmd(__FILE__);
    cmd.AddValue("bytes", "Bytes of the bulk transfer", bytes);
    cmd.AddValue("repeat", "Runs per configuration (best wall time kept)", repeat);
    cmd.AddValue("mode", "all, none, interp or jit", mode);
    cmd.Parse(argc, argv);

    if (mode != "none" && !QuicPluginHelper::IsAvailable("monitoring"))
    {
        std::cout << "quic-plugins-bench: monitoring plugin not built (clang with the bpf "
                     "target is needed); skipping"
                  << std::endl;
        return 0;
    }
    std::cout << std::fixed << std::setprecision(4);
    if (mode != "all")
    {
        Cost c = Transfer(bytes, mode == "none" ? "" : "monitoring", mode == "jit");
        std::cout << "wall " << mode << ": " << c.seconds << " s\n"
                  << "events " << mode << ": " << c.events << " events\n";
        return 0;
    }
    // Interleaved, so no configuration profits from a warmer machine or a quieter moment.
    Cost none;
    Cost interp;
    Cost jit;
    for (uint32_t i = 0; i < repeat; ++i)
    {
        KeepBest(none, Transfer(bytes, "", true), i == 0);
        KeepBest(interp, Transfer(bytes, "monitoring", false), i == 0);
        KeepBest(jit, Transfer(bytes, "monitoring", true), i == 0);
    }
    std::cout << "bytes transferred: " << bytes << " bytes\n"
              << "wall no plugin: " << none.seconds << " s\n"
              << "wall monitoring interpreted: " << interp.seconds << " s\n"
              << "wall monitoring JIT: " << jit.seconds << " s\n"
              << "events no plugin: " << none.events << " events\n"
              << "events monitoring interpreted: " << interp.events << " events\n"
              << "events monitoring JIT: " << jit.events << " events\n"
              << "packets counted by monitoring (client): " << jit.counted << " packets\n"
              << "cpu no plugin: " << none.cpu << " s\n"
              << "cpu monitoring interpreted: " << interp.cpu << " s\n"
              << "cpu monitoring JIT: " << jit.cpu << " s\n"
              << "wall ratio interpreted / none: " << interp.seconds / none.seconds << " x\n"
              << "wall ratio JIT / none: " << jit.seconds / none.seconds << " x\n"
              << "cpu ratio interpreted / none: " << interp.cpu / none.cpu << " x\n"
              << "cpu ratio JIT / none: " << jit.cpu / none.cpu << " x\n";
    return 0;
}

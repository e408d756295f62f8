/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Two QUIC connections share one lossy link; only the first loads plugins (by default
 * monitoring and retransmission-timer). The script prints, per connection, what the core
 * counted, what the monitoring plugin counted, and how the transfer went, so the effect
 * of the plugins (an earlier, more aggressive PTO; identical counts) is visible side by
 * side.
 *
 *   ./quic-plugins --plugins=monitoring,retransmission-timer --errorRate=0.02
 *   ./quic-plugins --plugins= (no plugin on either connection)
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-loss-recovery.h"
#include "ns3/quic-plugin-helper.h"
#include "ns3/quic-socket-base.h"
#include "ns3/quic-socket-factory.h"

#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("QuicPluginsExample");

namespace
{

/// One connection's client side and what the server read of it.
struct Flow
{
    Ptr<QuicSocketBase> socket; //!< client socket
    uint64_t toSend{0};         //!< bytes still to hand to the socket
    uint64_t received{0};       //!< bytes the server read
    Time done;                  //!< when the server read the last byte
    std::string fault;          //!< a plugin fault, if any
};

Flow g_flows[2];                               //!< with plugins, without
std::map<Ptr<Socket>, Flow*> g_byServerSocket; //!< server connection → flow
uint64_t g_bytes = 2000000;                    //!< bytes per flow

void
Fill(Flow* f, Ptr<Socket> s, uint32_t)
{
    while (f->toSend > 0 && s->GetTxAvailable() > 0)
    {
        uint32_t n = static_cast<uint32_t>(
            std::min<uint64_t>({f->toSend, uint64_t(s->GetTxAvailable()), 1400}));
        if (s->Send(Create<Packet>(n), 0) < 0)
        {
            break;
        }
        f->toSend -= n;
    }
}

void
ServerRx(Ptr<Socket> s)
{
    Flow* f = g_byServerSocket[s];
    while (Ptr<Packet> p = s->Recv())
    {
        if (f != nullptr)
        {
            f->received += p->GetSize();
            if (f->received == g_bytes)
            {
                f->done = Simulator::Now();
            }
        }
    }
}

/// The server learns which flow a connection is from its client's port order.
void
Accept(Ptr<Socket> s, const Address& from)
{
    uint16_t port = InetSocketAddress::ConvertFrom(from).GetPort();
    Address a;
    g_flows[0].socket->GetSockName(a);
    g_byServerSocket[s] =
        InetSocketAddress::ConvertFrom(a).GetPort() == port ? &g_flows[0] : &g_flows[1];
    s->SetRecvCallback(MakeCallback(&ServerRx));
}

void
OnFault(Flow* f, const std::string& plugin, const std::string& reason)
{
    f->fault = plugin + ": " + reason;
}

void
OnMessage(const std::string& plugin, const std::string& text)
{
    std::cout << "message from " << plugin << ":\n" << text;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string plugins = "monitoring,retransmission-timer";
    std::string rate = "10Mbps";
    std::string delay = "20ms";
    double errorRate = 0.02;
    bool jit = true;
    double stopTime = 60;
    CommandLine cmd(__FILE__);
    cmd.AddValue("plugins", "Comma-separated plugins for the first connection", plugins);
    cmd.AddValue("bytes", "Bytes each connection sends", g_bytes);
    cmd.AddValue("rate", "Link data rate", rate);
    cmd.AddValue("delay", "Link one-way delay", delay);
    cmd.AddValue("errorRate", "Packet error rate at the server", errorRate);
    cmd.AddValue("jit", "JIT-compile pluglets (else interpret)", jit);
    cmd.AddValue("stopTime", "Simulation stop time in seconds", stopTime);
    cmd.Parse(argc, argv);

    QuicPluginHelper helper;
    std::istringstream list(plugins);
    for (std::string name; std::getline(list, name, ',');)
    {
        if (name.empty())
        {
            continue;
        }
        if (!QuicPluginHelper::IsAvailable(name))
        {
            std::cout << "quic-plugins: plugin '" << name << "' not built in "
                      << QuicPluginHelper::GetDefaultDirectory()
                      << " (clang with the bpf target is needed); skipping" << std::endl;
            return 0;
        }
        helper.Add(name);
    }
    Config::SetDefault("ns3::QuicSocketBase::PluginJit", BooleanValue(jit));

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
    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifaces = address.Assign(devices);
    const uint16_t port = 4433;

    Ptr<Socket> server = Socket::CreateSocket(nodes.Get(1), QuicSocketFactory::GetTypeId());
    server->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    server->Listen();
    server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                              MakeCallback(&Accept));

    for (int i = 0; i < 2; ++i)
    {
        Flow& f = g_flows[i];
        f.toSend = g_bytes;
        f.socket = DynamicCast<QuicSocketBase>(
            Socket::CreateSocket(nodes.Get(0), QuicSocketFactory::GetTypeId()));
        if (i == 0)
        {
            helper.Install(f.socket);
            f.socket->TraceConnectWithoutContext("PluginFault", MakeBoundCallback(&OnFault, &f));
            f.socket->TraceConnectWithoutContext("PluginMessage", MakeCallback(&OnMessage));
        }
        f.socket->Bind();
        f.socket->SetSendCallback(MakeBoundCallback(&Fill, &f));
        f.socket->Connect(InetSocketAddress(ifaces.GetAddress(1), port));
        Simulator::Schedule(MilliSeconds(1), [&f]() { Fill(&f, f.socket, 0); });
    }

    Simulator::Stop(Seconds(stopTime));
    Simulator::Run();

    const char* names[] = {"with plugins", "without"};
    std::cout << std::left << std::setw(26) << "connection" << std::setw(18) << names[0] << names[1]
              << "\n";
    auto row = [](const std::string& what, const std::string& a, const std::string& b) {
        std::cout << std::left << std::setw(26) << what << std::setw(18) << a << b << "\n";
    };
    auto num = [](uint64_t v) { return std::to_string(v); };
    auto secs = [](Time t) {
        std::ostringstream s;
        s << std::fixed << std::setprecision(3) << t.GetSeconds() << " s";
        return t.IsZero() ? std::string("not done") : s.str();
    };
    const QuicSocketBase::Stats& a = g_flows[0].socket->GetStats();
    const QuicSocketBase::Stats& b = g_flows[1].socket->GetStats();
    const QuicLossRecovery* ra = g_flows[0].socket->GetLossRecovery();
    const QuicLossRecovery* rb = g_flows[1].socket->GetLossRecovery();
    row("bytes delivered", num(g_flows[0].received), num(g_flows[1].received));
    row("completion time", secs(g_flows[0].done), secs(g_flows[1].done));
    row("packets sent (core)", num(a.packetsSent), num(b.packetsSent));
    row("packets lost (core)", num(ra->GetLostPacketCount()), num(rb->GetLostPacketCount()));
    row("PTOs fired (core)", num(ra->GetPtoFiredCount()), num(rb->GetPtoFiredCount()));
    row("stream bytes resent", num(a.streamBytesRetransmitted), num(b.streamBytesRetransmitted));
    bool found = false;
    const char* counters[] = {"packets sent (plugin)",
                              "bytes sent (plugin)",
                              "packets recv (plugin)",
                              "bytes recv (plugin)",
                              "packets lost (plugin)",
                              "PTOs (plugin)",
                              "streams opened (plugin)",
                              "streams closed (plugin)"};
    for (uint64_t i = 0; i < 8; ++i)
    {
        uint64_t v = g_flows[0].socket->CallPlugin("monitoring_get", {i}, found);
        if (!found)
        {
            break;
        }
        row(counters[i], num(v), "-");
    }
    // Counters 16..19: RTT samples, retransmitted STREAM frames and bytes, spurious losses.
    const char* more[] = {"RTT samples (plugin)",
                          "frames retransmitted (plugin)",
                          "bytes retransmitted (plugin)",
                          "spurious losses (plugin)"};
    for (uint64_t i = 16; found && i < 20; ++i)
    {
        row(more[i - 16], num(g_flows[0].socket->CallPlugin("monitoring_get", {i}, found)), "-");
    }
    if (found)
    {
        g_flows[0].socket->CallPlugin("monitoring_report", {}, found);
    }
    if (!g_flows[0].fault.empty())
    {
        std::cout << "plugin fault: " << g_flows[0].fault << "\n";
    }
    Simulator::Destroy();
    return 0;
}

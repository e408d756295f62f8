/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-dumbbell-helper.h"

#include "ns3/abort.h"
#include "ns3/bulk-send-application.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/queue-disc.h"
#include "ns3/queue-size.h"
#include "ns3/quic-congestion-control.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-socket-base.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-congestion-ops.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicDumbbellHelper");

namespace
{
constexpr uint32_t kIpv4UdpHeaders = 20 + 8; //!< bytes under a QUIC packet
/// IPv4 + TCP header with the timestamp option ns-3 sends by default (10 bytes, padded to 12)
constexpr uint32_t kIpv4TcpHeaders = 20 + 20 + 12;
/// QuicSocketBase::MaxPacketSize's lower bound (RFC 9000 §14: 1200-byte datagrams)
constexpr uint32_t kQuicMinPacket = 1200;
} // namespace

QuicDumbbellHelper::QuicDumbbellHelper(const QuicDumbbellConfig& config)
    : m_config(config)
{
    NS_LOG_FUNCTION(this);
}

const QuicDumbbellConfig&
QuicDumbbellHelper::GetConfig() const
{
    return m_config;
}

Time
QuicDumbbellHelper::GetStopTime() const
{
    return m_config.startTime + m_config.duration;
}

Time
QuicDumbbellHelper::GetStartTime(uint32_t flow) const
{
    NS_ABORT_MSG_UNLESS(flow < m_startTimes.size(),
                        "QuicDumbbellHelper::GetStartTime: flow "
                            << flow << " of " << m_startTimes.size() << " (call Install() first)");
    return m_startTimes[flow];
}

Time
QuicDumbbellHelper::GetMinRtt() const
{
    return (m_config.accessDelay * 2 + m_config.bottleneckDelay) * 2;
}

uint64_t
QuicDumbbellHelper::GetBdpBytes() const
{
    return static_cast<uint64_t>(
        std::llround(m_config.bottleneckRate.GetBitRate() / 8.0 * GetMinRtt().GetSeconds()));
}

std::string
QuicDumbbellHelper::GetQueueSize() const
{
    return m_queueSize;
}

uint32_t
QuicDumbbellHelper::GetNFlows() const
{
    return m_config.numFlows;
}

NodeContainer
QuicDumbbellHelper::GetSenders() const
{
    return m_senders;
}

NodeContainer
QuicDumbbellHelper::GetReceivers() const
{
    return m_receivers;
}

NodeContainer
QuicDumbbellHelper::GetRouters() const
{
    return m_routers;
}

const QuicDumbbellFlowTrace&
QuicDumbbellHelper::GetFlowTrace(uint32_t flow) const
{
    NS_ABORT_MSG_UNLESS(flow < m_traces.size(),
                        "QuicDumbbellHelper::GetFlowTrace: flow "
                            << flow << " of " << m_traces.size() << " (call Install() first)");
    return m_traces[flow];
}

uint64_t
QuicDumbbellHelper::GetRxBytes(uint32_t flow) const
{
    NS_ABORT_MSG_UNLESS(flow < m_sinks.GetN(),
                        "QuicDumbbellHelper::GetRxBytes: flow " << flow << " of "
                                                                << m_sinks.GetN());
    return DynamicCast<PacketSink>(m_sinks.Get(flow))->GetTotalRx();
}

void
QuicDumbbellHelper::Validate() const
{
    const QuicDumbbellConfig& c = m_config;
    NS_ABORT_MSG_UNLESS(c.transport == "quic" || c.transport == "tcp",
                        "QuicDumbbellHelper: transport '" << c.transport
                                                          << "' unknown; use quic or tcp");
    TypeId ccTid;
    NS_ABORT_MSG_UNLESS(TypeId::LookupByNameFailSafe(c.congestionControl, &ccTid),
                        "QuicDumbbellHelper: congestion control '"
                            << c.congestionControl
                            << "' is no TypeId; use e.g. ns3::TcpNewReno, ns3::TcpVegas or "
                               "ns3::QuicCongestionControl");
    // By object, not by TypeId parent: TcpCubic's parent is wrong in ns-3.37.
    ObjectFactory factory(c.congestionControl);
    Ptr<Object> algo = factory.Create();
    NS_ABORT_MSG_UNLESS(DynamicCast<TcpCongestionOps>(algo),
                        "QuicDumbbellHelper: " << c.congestionControl
                                               << " is not a TcpCongestionOps");
    NS_ABORT_MSG_IF(c.transport == "tcp" && DynamicCast<QuicCongestionControl>(algo),
                    "QuicDumbbellHelper: " << c.congestionControl
                                           << " runs only over QUIC; with transport tcp "
                                              "use an ns-3 TCP algorithm (ns3::TcpNewReno)");
    NS_ABORT_MSG_UNLESS(c.numFlows >= 1, "QuicDumbbellHelper: numFlows must be at least 1");
    NS_ABORT_MSG_UNLESS(c.bottleneckRate.GetBitRate() > 0 && c.accessRate.GetBitRate() > 0,
                        "QuicDumbbellHelper: link rates must be positive");
    NS_ABORT_MSG_IF(c.bottleneckDelay.IsStrictlyNegative() || c.accessDelay.IsStrictlyNegative(),
                    "QuicDumbbellHelper: link delays must not be negative");
    NS_ABORT_MSG_UNLESS(c.lossRate >= 0 && c.lossRate < 1,
                        "QuicDumbbellHelper: lossRate " << c.lossRate << " not in [0, 1)");
    uint32_t minMtu =
        c.transport == "quic" ? kQuicMinPacket + kIpv4UdpHeaders : kIpv4TcpHeaders + 536;
    NS_ABORT_MSG_UNLESS(c.mtu >= minMtu && c.mtu <= 65535,
                        "QuicDumbbellHelper: mtu " << c.mtu << " must be in [" << minMtu
                                                   << ", 65535] for " << c.transport
                                                   << " (QUIC needs 1200-byte UDP payloads)");
    TypeId qdTid;
    NS_ABORT_MSG_UNLESS(TypeId::LookupByNameFailSafe(c.queueDisc, &qdTid) &&
                            qdTid.IsChildOf(QueueDisc::GetTypeId()),
                        "QuicDumbbellHelper: queueDisc '"
                            << c.queueDisc
                            << "' is no QueueDisc TypeId; use e.g. ns3::PfifoFastQueueDisc, "
                               "ns3::FifoQueueDisc, ns3::CoDelQueueDisc");
    NS_ABORT_MSG_UNLESS(c.duration.IsStrictlyPositive() && !c.startTime.IsStrictlyNegative(),
                        "QuicDumbbellHelper: duration must be positive, startTime not negative");
    // ns-3.37's pfifo_fast takes a byte size without complaint and then passes nothing.
    NS_ABORT_MSG_IF(qdTid == TypeId::LookupByName("ns3::PfifoFastQueueDisc") &&
                        !c.queueSize.empty() &&
                        QueueSize(c.queueSize).GetUnit() != QueueSizeUnit::PACKETS,
                    "QuicDumbbellHelper: ns3::PfifoFastQueueDisc needs queueSize in packets "
                    "(e.g. 17p), not '"
                        << c.queueSize << "'");
    NS_ABORT_MSG_IF(c.startJitter.IsStrictlyNegative() || c.startJitter >= c.duration,
                    "QuicDumbbellHelper: startJitter must be in [0, duration)");
    NS_ABORT_MSG_UNLESS(c.goodputInterval.IsStrictlyPositive(),
                        "QuicDumbbellHelper: goodputInterval must be positive");
}

void
QuicDumbbellHelper::Install()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_installed, "QuicDumbbellHelper::Install called twice");
    Validate();
    m_installed = true;
    const QuicDumbbellConfig& c = m_config;

    TypeId ccTid = TypeId::LookupByName(c.congestionControl);
    if (c.transport == "quic")
    {
        Config::SetDefault("ns3::QuicL4Protocol::SocketType", TypeIdValue(ccTid));
    }
    else
    {
        Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(ccTid));
    }
    // Both transports fill full-size IP packets.
    Config::SetDefault("ns3::QuicSocketBase::MaxPacketSize",
                       UintegerValue(c.mtu - kIpv4UdpHeaders));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(c.mtu - kIpv4TcpHeaders));

    if (c.queueSize.empty())
    {
        // One BDP at the minimum RTT, in full-size packets, rounded up.
        uint64_t packets = (GetBdpBytes() + c.mtu - 1) / c.mtu;
        m_queueSize = std::to_string(std::max<uint64_t>(packets, 1)) + "p";
    }
    else
    {
        m_queueSize = c.queueSize;
    }
    QueueSize queueSize(m_queueSize); // aborts on a malformed size

    m_routers.Create(2);
    m_senders.Create(c.numFlows);
    m_receivers.Create(c.numFlows);

    QuicHelper stack;
    stack.InstallQuic(m_routers);
    stack.InstallQuic(m_senders);
    stack.InstallQuic(m_receivers);

    PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", DataRateValue(c.accessRate));
    access.SetDeviceAttribute("Mtu", UintegerValue(c.mtu));
    access.SetChannelAttribute("Delay", TimeValue(c.accessDelay));

    PointToPointHelper bottleneck;
    bottleneck.SetDeviceAttribute("DataRate", DataRateValue(c.bottleneckRate));
    bottleneck.SetDeviceAttribute("Mtu", UintegerValue(c.mtu));
    bottleneck.SetChannelAttribute("Delay", TimeValue(c.bottleneckDelay));
    // The device queue holds one packet: packets wait in the queue disc under study.
    bottleneck.SetQueue("ns3::DropTailQueue", "MaxSize", QueueSizeValue(QueueSize("1p")));

    NetDeviceContainer core = bottleneck.Install(m_routers.Get(0), m_routers.Get(1));
    TrafficControlHelper tch;
    tch.SetRootQueueDisc(c.queueDisc, "MaxSize", QueueSizeValue(queueSize));
    // Installed before addresses are assigned, which would install pfifo_fast otherwise.
    QueueDiscContainer queueDiscs = tch.Install(core);
    queueDiscs.Get(0)->TraceConnectWithoutContext(
        "Drop",
        MakeCallback(&QuicDumbbellHelper::OnQueueDrop, this));
    m_bottleneckRx = core.Get(1);
    if (c.lossRate > 0)
    {
        m_errorModel = CreateObject<RateErrorModel>();
        m_errorModel->SetRate(c.lossRate);
        m_errorModel->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        m_bottleneckRx->SetAttribute("ReceiveErrorModel", PointerValue(m_errorModel));
    }
    m_links.push_back(core);

    Ipv4AddressHelper address;
    address.SetBase("10.0.0.0", "255.255.255.0");
    address.Assign(core);
    std::vector<Ipv4Address> receiverAddresses;
    for (uint32_t i = 0; i < c.numFlows; ++i)
    {
        NetDeviceContainer left = access.Install(m_senders.Get(i), m_routers.Get(0));
        address.NewNetwork();
        m_senderAddresses.push_back(address.Assign(left).GetAddress(0));
        NetDeviceContainer right = access.Install(m_routers.Get(1), m_receivers.Get(i));
        address.NewNetwork();
        Ipv4InterfaceContainer rightIfaces = address.Assign(right);
        receiverAddresses.push_back(rightIfaces.GetAddress(1));
        m_links.push_back(left);
        m_links.push_back(right);
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    std::string factory =
        c.transport == "quic" ? "ns3::QuicSocketFactory" : "ns3::TcpSocketFactory";
    Time stop = GetStopTime();
    Ptr<UniformRandomVariable> jitter = CreateObject<UniformRandomVariable>();
    jitter->SetStream(0);
    for (uint32_t i = 0; i < c.numFlows; ++i)
    {
        Time start = c.startTime;
        if (c.startJitter.IsStrictlyPositive())
        {
            start += NanoSeconds(jitter->GetInteger(0, c.startJitter.GetNanoSeconds()));
        }
        m_startTimes.push_back(start);
        PacketSinkHelper sink(factory, InetSocketAddress(Ipv4Address::GetAny(), c.port));
        ApplicationContainer sinkApp = sink.Install(m_receivers.Get(i));
        sinkApp.Start(Seconds(0));
        m_sinks.Add(sinkApp);

        BulkSendHelper source(factory, InetSocketAddress(receiverAddresses[i], c.port));
        source.SetAttribute("MaxBytes", UintegerValue(0));
        source.SetAttribute("SendSize", UintegerValue(1400));
        ApplicationContainer sourceApp = source.Install(m_senders.Get(i));
        sourceApp.Start(start);
        sourceApp.Stop(stop);
        m_sources.Add(sourceApp);
    }

    m_traces.assign(c.numFlows, QuicDumbbellFlowTrace());
    m_lastRx.assign(c.numFlows, 0);
    // The applications create their sockets when they start (an event scheduled when the
    // nodes initialise, so after any event scheduled now for the same time): connect one
    // nanosecond later.
    for (uint32_t i = 0; i < c.numFlows; ++i)
    {
        Simulator::Schedule(m_startTimes[i] + NanoSeconds(1),
                            &QuicDumbbellHelper::ConnectSenderTraces,
                            this,
                            i);
    }
    Simulator::Schedule(c.startTime, &QuicDumbbellHelper::SampleGoodput, this);
}

int64_t
QuicDumbbellHelper::AssignStreams(int64_t stream)
{
    NS_ABORT_MSG_UNLESS(m_installed, "QuicDumbbellHelper::AssignStreams: call Install() first");
    NS_ABORT_MSG_UNLESS(stream >= 1,
                        "QuicDumbbellHelper::AssignStreams: stream 0 is the start jitter's; "
                        "start at 1");
    int64_t current = stream;
    if (m_errorModel)
    {
        current += m_errorModel->AssignStreams(current);
    }
    QuicHelper stack;
    NodeContainer all(m_routers, m_senders, m_receivers);
    current += stack.AssignStreams(all, current);
    current += stack.AssignQuicStreams(all, current);
    return current - stream;
}

void
QuicDumbbellHelper::EnablePcap(const std::string& prefix)
{
    NS_ABORT_MSG_UNLESS(m_installed, "QuicDumbbellHelper::EnablePcap: call Install() first");
    PointToPointHelper p2p;
    for (const NetDeviceContainer& link : m_links)
    {
        p2p.EnablePcap(prefix, link, false);
    }
}

void
QuicDumbbellHelper::ConnectSenderTraces(uint32_t flow)
{
    NS_LOG_FUNCTION(this << flow);
    Ptr<BulkSendApplication> app = DynamicCast<BulkSendApplication>(m_sources.Get(flow));
    Ptr<Socket> socket = app->GetSocket();
    NS_ABORT_MSG_UNLESS(socket, "QuicDumbbellHelper: flow " << flow << " has no socket yet");
    bool ok =
        socket->TraceConnectWithoutContext("CongestionWindow",
                                           MakeCallback(&QuicDumbbellHelper::OnCwnd, this, flow));
    ok &= socket->TraceConnectWithoutContext(
        "SlowStartThreshold",
        MakeCallback(&QuicDumbbellHelper::OnSsThresh, this, flow));
    ok &= socket->TraceConnectWithoutContext(
        "BytesInFlight",
        MakeCallback(&QuicDumbbellHelper::OnBytesInFlight, this, flow));
    // The latest RTT sample for both transports: TcpSocketBase's "RTT" is its socket state's
    // last sample; QuicSocketBase's own "RTT" is smoothed, so read the state's.
    Ptr<QuicSocketBase> quic = DynamicCast<QuicSocketBase>(socket);
    Ptr<Object> rttSource = quic ? Ptr<Object>(quic->GetSocketState()) : Ptr<Object>(socket);
    ok &=
        rttSource->TraceConnectWithoutContext("RTT",
                                              MakeCallback(&QuicDumbbellHelper::OnRtt, this, flow));
    NS_ABORT_MSG_UNLESS(ok, "QuicDumbbellHelper: a sender socket lacks a trace source");
}

void
QuicDumbbellHelper::SampleGoodput()
{
    double now = Simulator::Now().GetSeconds();
    double interval = m_config.goodputInterval.GetSeconds();
    for (uint32_t i = 0; i < m_config.numFlows; ++i)
    {
        uint64_t rx = GetRxBytes(i);
        if (now > m_config.startTime.GetSeconds())
        {
            m_traces[i].goodput.emplace_back(now, (rx - m_lastRx[i]) * 8.0 / interval / 1e6);
        }
        m_traces[i].rxBytes.emplace_back(now, static_cast<double>(rx));
        m_lastRx[i] = rx;
    }
    if (Simulator::Now() + m_config.goodputInterval <= GetStopTime())
    {
        Simulator::Schedule(m_config.goodputInterval, &QuicDumbbellHelper::SampleGoodput, this);
    }
}

void
QuicDumbbellHelper::OnCwnd(uint32_t flow, uint32_t oldValue, uint32_t newValue)
{
    m_traces[flow].cwnd.emplace_back(Simulator::Now().GetSeconds(), newValue);
}

void
QuicDumbbellHelper::OnSsThresh(uint32_t flow, uint32_t oldValue, uint32_t newValue)
{
    m_traces[flow].ssthresh.emplace_back(Simulator::Now().GetSeconds(), newValue);
}

void
QuicDumbbellHelper::OnBytesInFlight(uint32_t flow, uint32_t oldValue, uint32_t newValue)
{
    m_traces[flow].bytesInFlight.emplace_back(Simulator::Now().GetSeconds(), newValue);
}

void
QuicDumbbellHelper::OnRtt(uint32_t flow, Time oldValue, Time newValue)
{
    if (newValue.IsStrictlyPositive())
    {
        m_traces[flow].rtt.emplace_back(Simulator::Now().GetSeconds(), newValue.GetSeconds() * 1e3);
    }
}

void
QuicDumbbellHelper::OnQueueDrop(Ptr<const QueueDiscItem> item)
{
    Ptr<const Ipv4QueueDiscItem> ipItem = DynamicCast<const Ipv4QueueDiscItem>(item);
    if (!ipItem)
    {
        return;
    }
    Ipv4Address source = ipItem->GetHeader().GetSource();
    for (uint32_t i = 0; i < m_senderAddresses.size(); ++i)
    {
        if (m_senderAddresses[i] == source)
        {
            m_traces[i].drops.emplace_back(Simulator::Now().GetSeconds(), item->GetSize());
        }
    }
}

void
QuicDumbbellHelper::WriteSeries(const std::string& folder, const std::string& prefix) const
{
    struct Column
    {
        const char* name;                                  //!< file name part
        const char* header;                                //!< first line
        QuicDumbbellSeries QuicDumbbellFlowTrace::*series; //!< the series
        bool step; //!< a state (holds until the next change), not a sample
    };

    const Column columns[] = {
        {"cwnd", "# time_s cwnd_bytes", &QuicDumbbellFlowTrace::cwnd, true},
        {"ssthresh",
         "# time_s ssthresh_bytes (4294967295: no threshold yet)",
         &QuicDumbbellFlowTrace::ssthresh,
         true},
        {"rtt", "# time_s rtt_ms (latest sample)", &QuicDumbbellFlowTrace::rtt, false},
        {"inflight", "# time_s bytes_in_flight", &QuicDumbbellFlowTrace::bytesInFlight, true},
        {"goodput", "# time_s goodput_mbps", &QuicDumbbellFlowTrace::goodput, false},
        {"drops",
         "# time_s bytes (a packet dropped by the bottleneck queue)",
         &QuicDumbbellFlowTrace::drops,
         false},
    };
    double stop = std::min(GetStopTime(), Simulator::Now()).GetSeconds();
    for (uint32_t i = 0; i < m_traces.size(); ++i)
    {
        for (const Column& col : columns)
        {
            std::string path =
                folder + "/" + prefix + "-flow" + std::to_string(i) + "-" + col.name + ".txt";
            std::ofstream out(path);
            NS_ABORT_MSG_UNLESS(out, "QuicDumbbellHelper: cannot write " << path);
            out << col.header << "\n" << std::setprecision(9);
            const QuicDumbbellSeries& series = m_traces[i].*(col.series);
            for (const auto& [t, v] : series)
            {
                out << t << " " << v << "\n";
            }
            // A state that stopped changing (Vegas at equilibrium) still holds at the end.
            if (col.step && !series.empty() && series.back().first < stop)
            {
                out << stop << " " << series.back().second << "\n";
            }
        }
    }
}

double
QuicDumbbellHelper::TimeAverage(const QuicDumbbellSeries& series, double t0, double t1)
{
    if (series.empty() || t1 <= t0)
    {
        return 0;
    }
    double area = 0;
    double covered = 0;
    for (std::size_t k = 0; k < series.size(); ++k)
    {
        double from = std::max(series[k].first, t0);
        double to = k + 1 < series.size() ? std::min(series[k + 1].first, t1) : t1;
        if (to > from)
        {
            area += series[k].second * (to - from);
            covered += to - from;
        }
    }
    return covered > 0 ? area / covered : 0;
}

double
QuicDumbbellHelper::SampleMean(const QuicDumbbellSeries& series, double t0, double t1)
{
    double sum = 0;
    std::size_t n = 0;
    for (const auto& [t, v] : series)
    {
        if (t >= t0 && t <= t1)
        {
            sum += v;
            ++n;
        }
    }
    return n > 0 ? sum / n : 0;
}

double
QuicDumbbellHelper::ValueAt(const QuicDumbbellSeries& series, double t)
{
    double value = 0;
    for (const auto& [time, v] : series)
    {
        if (time > t)
        {
            break;
        }
        value = v;
    }
    return value;
}

double
QuicDumbbellHelper::JainIndex(const std::vector<double>& x)
{
    double sum = 0;
    double squares = 0;
    for (double v : x)
    {
        sum += v;
        squares += v * v;
    }
    if (squares <= 0)
    {
        return 1;
    }
    return sum * sum / (x.size() * squares);
}

} // namespace ns3

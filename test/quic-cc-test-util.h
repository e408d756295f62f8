/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared by the congestion suites (quic-congestion-bridge, quic-pacing): a bottleneck
 * topology with a drop-tail queue, one bulk transfer over QUIC (every byte checked) or
 * over ns-3's own TCP on the same topology, and a recorder of the congestion traces.
 *
 * Header-only on purpose, like quic-connection-test-util.h.
 */

#ifndef QUIC_CC_TEST_UTIL_H
#define QUIC_CC_TEST_UTIL_H

#include "quic-connection-test-util.h"

#include "ns3/bulk-send-application.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/data-rate.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tcp-socket-base.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/tcp-socket-state.h"
#include "ns3/traffic-control-helper.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{
namespace quiccc
{

using quicconn::PatternApp;

/// The bottleneck and the transfer.
struct BulkParams
{
    std::string algorithm{"ns3::TcpNewReno"}; //!< TcpCongestionOps TypeId name
    std::string rate{"10Mbps"};               //!< bottleneck rate
    std::string delay{"20ms"};                //!< one-way delay (RTT = 2x)
    uint32_t queuePackets{25};                //!< drop-tail queue of the sender's device
    uint64_t bytes{5000000};                  //!< bytes to transfer
    bool pacing{false};                       //!< QUIC: Pacing attribute
    Time limit{Seconds(60)};                  //!< simulated time limit
    /// Extra Config::SetDefault calls (algorithm attributes), run before each transfer.
    std::function<void()> configure;
    /// QUIC: called with the client's connection before it connects (more traces).
    std::function<void(Ptr<QuicSocketBase>)> onConnection;
};

/// One loss episode as the traces show it.
struct Reduction
{
    double time{0};         //!< when (s)
    uint32_t cwndBefore{0}; //!< cwnd when the episode started (bytes)
    uint32_t ssThresh{0};   //!< ssthresh the algorithm chose (bytes)
};

/**
 * Records CongestionWindow, SlowStartThreshold, CongState and PacingRate of one sender:
 * the same trace sources exist, with the same types, on TcpSocketBase and QuicSocketBase.
 */
struct CcRecorder
{
    std::vector<std::pair<double, uint32_t>> cwnd;       //!< (time s, cwnd bytes)
    std::vector<std::pair<double, uint64_t>> pacingRate; //!< (time s, bit/s)
    std::vector<Reduction> reductions;                   //!< loss episodes (CA_RECOVERY, CA_LOSS)
    uint32_t lastCwnd{0};                                //!< latest cwnd
    bool ssExited{false};                                //!< ssthresh was set once
    double ssExitTime{-1};                               //!< when (s)
    uint32_t ssExitCwnd{0};                              //!< cwnd then (bytes)
    bool pending{false};                                 //!< an episode awaits its ssthresh
    Reduction current;                                   //!< that episode

    /// CongestionWindow callback.
    void OnCwnd(uint32_t, uint32_t n)
    {
        cwnd.emplace_back(Simulator::Now().GetSeconds(), n);
        lastCwnd = n;
    }

    /// SlowStartThreshold callback.
    void OnSsThresh(uint32_t, uint32_t n)
    {
        if (n >= 0x7fffffffU)
        {
            return; // the initial "infinite" ssthresh
        }
        if (!ssExited)
        {
            ssExited = true;
            ssExitTime = Simulator::Now().GetSeconds();
            ssExitCwnd = lastCwnd;
        }
        if (pending)
        {
            current.ssThresh = n;
            reductions.push_back(current);
            pending = false;
        }
        else if (!reductions.empty() && reductions.back().time == Simulator::Now().GetSeconds())
        {
            reductions.back().ssThresh = n; // the value the episode's entry ended with
        }
    }

    /// CongState callback (fires before the state changes, and before the reduction).
    void OnCongState(TcpSocketState::TcpCongState_t, TcpSocketState::TcpCongState_t n)
    {
        if (n == TcpSocketState::CA_RECOVERY || n == TcpSocketState::CA_LOSS)
        {
            pending = true;
            current = Reduction{Simulator::Now().GetSeconds(), lastCwnd, 0};
        }
    }

    /// PacingRate callback.
    void OnPacingRate(DataRate, DataRate n)
    {
        pacingRate.emplace_back(Simulator::Now().GetSeconds(), n.GetBitRate());
    }

    /**
     * Connects to a socket's trace sources.
     * \param s the socket (TcpSocketBase or QuicSocketBase)
     */
    void Attach(Ptr<Socket> s)
    {
        s->TraceConnectWithoutContext("CongestionWindow", MakeCallback(&CcRecorder::OnCwnd, this));
        s->TraceConnectWithoutContext("SlowStartThreshold",
                                      MakeCallback(&CcRecorder::OnSsThresh, this));
        s->TraceConnectWithoutContext("CongState", MakeCallback(&CcRecorder::OnCongState, this));
        s->TraceConnectWithoutContext("PacingRate", MakeCallback(&CcRecorder::OnPacingRate, this));
    }

    /**
     * \param from start (s)
     * \param to end (s)
     * \return the time-weighted mean cwnd over [from, to] in bytes
     */
    double MeanCwnd(double from, double to) const
    {
        double area = 0;
        double value = 0;
        double t = from;
        for (const auto& [when, w] : cwnd)
        {
            if (when <= from)
            {
                value = w;
                continue;
            }
            if (when >= to)
            {
                break;
            }
            area += value * (when - t);
            t = when;
            value = w;
        }
        area += value * (to - t);
        return to > from ? area / (to - from) : 0;
    }

    /**
     * \param minCwnd episodes that start below this cwnd (bytes) are left out: at the
     *        minimum window every algorithm's answer is the floor, not its law
     * \return the median of ssthresh / cwnd over the loss episodes, or -1 if none
     */
    double MedianReductionFactor(uint32_t minCwnd) const
    {
        std::vector<double> f;
        for (const Reduction& r : reductions)
        {
            if (r.cwndBefore >= minCwnd && r.cwndBefore > 0)
            {
                f.push_back(double(r.ssThresh) / r.cwndBefore);
            }
        }
        if (f.empty())
        {
            return -1;
        }
        std::sort(f.begin(), f.end());
        return f[f.size() / 2];
    }

    /**
     * \param from start (s)
     * \return loss episodes that started at or after from
     */
    uint32_t EpisodesAfter(double from) const
    {
        return static_cast<uint32_t>(
            std::count_if(reductions.begin(), reductions.end(), [from](const Reduction& r) {
                return r.time >= from;
            }));
    }
};

/// What one transfer produced.
struct BulkResult
{
    bool complete{false};    //!< every byte arrived
    uint64_t bytesRead{0};   //!< bytes the receiver read
    uint64_t mismatches{0};  //!< bytes that differ from what was sent (QUIC only)
    double startTime{0};     //!< when the sender connected (s)
    double completeTime{0};  //!< when the last byte arrived (s)
    uint32_t segmentSize{0}; //!< the sender's segment size (bytes)
    uint64_t lostPackets{0}; //!< packets the sender declared lost (QUIC)
    CcRecorder rec;          //!< the sender's traces
    std::vector<std::pair<double, uint32_t>> txTimes; //!< QUIC: (send time s, size) of
                                                      //!< every 1-RTT packet sent
};

/**
 * Tx trace of the QUIC sender: records every 1-RTT packet.
 * \param res the result
 * \param pkt the datagram
 * \param h the packet's header
 */
inline void
RecordTx(BulkResult* res, Ptr<const Packet> pkt, const QuicHeader& h, Ptr<const QuicSocketBase>)
{
    if (h.GetType() == QuicHeader::SHORT)
    {
        res->txTimes.emplace_back(Simulator::Now().GetSeconds(), pkt->GetSize());
    }
}

/**
 * Rx trace of the TCP sink: notes completion.
 * \param res the result
 * \param sink the sink (not a Ptr: see RunTcpBulk)
 * \param want bytes expected
 */
inline void
SinkRx(BulkResult* res, PacketSink* sink, uint64_t want, Ptr<const Packet>, const Address&)
{
    if (!res->complete && sink->GetTotalRx() >= want)
    {
        res->complete = true;
        res->completeTime = Simulator::Now().GetSeconds();
        Simulator::Stop(MilliSeconds(100));
    }
}

/// Segment size of the TCP runs: 1428 + 20 (TCP) + 12 (timestamps) + 20 (IP) = 1480
/// bytes on the wire, as a full QUIC packet: 1452 + 8 (UDP) + 20 (IP).
constexpr uint32_t kTcpSegmentSize = 1428;
/// QUIC's MaxPacketSize in these runs (the default).
constexpr uint32_t kQuicPacketSize = 1452;

/**
 * Two nodes over a point-to-point bottleneck whose sender-side device queue is a
 * drop-tail queue (the queue disc Ipv4AddressHelper installs is removed, so nothing
 * else buffers or marks).
 * \param p the parameters
 * \return the topology
 */
inline quicconn::Topology
MakeBottleneck(const BulkParams& p)
{
    quicconn::Topology t;
    t.nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(p.rate));
    p2p.SetChannelAttribute("Delay", StringValue(p.delay));
    p2p.SetQueue("ns3::DropTailQueue",
                 "MaxSize",
                 StringValue(std::to_string(p.queuePackets) + "p"));
    t.devices = p2p.Install(t.nodes);
    QuicHelper stack;
    stack.InstallQuic(t.nodes);
    stack.AssignQuicStreams(t.nodes, 100);
    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifaces = address.Assign(t.devices);
    TrafficControlHelper tch;
    tch.Uninstall(t.devices);
    t.serverAddress = InetSocketAddress(ifaces.GetAddress(1), 4433);
    t.anyAddress = InetSocketAddress(Ipv4Address::GetAny(), 4433);
    return t;
}

/**
 * A bulk transfer over QUIC (client to server, stream 0), the algorithm chosen through
 * ns3::QuicL4Protocol::SocketType.
 * \param p the parameters
 * \return what happened
 */
inline BulkResult
RunQuicBulk(const BulkParams& p)
{
    quicconn::ResetSimulation();
    Config::SetDefault("ns3::QuicL4Protocol::SocketType",
                       TypeIdValue(TypeId::LookupByName(p.algorithm)));
    if (p.configure)
    {
        p.configure();
    }
    quicconn::Topology t = MakeBottleneck(p);
    Ptr<PatternApp> client = CreateObject<PatternApp>();
    Ptr<PatternApp> server = CreateObject<PatternApp>();
    client->Setup(t.serverAddress, false);
    server->Setup(t.anyAddress, true);
    client->SetSendSeed(7);
    server->SetRecvSeed(7);
    client->SetPlan({{0, p.bytes}});
    server->SetExpected({{0, p.bytes}});
    BulkResult r;
    r.segmentSize = kQuicPacketSize;
    bool pacing = p.pacing;
    client->SetConfigure(
        [pacing](Ptr<QuicSocketBase> s) { s->SetAttribute("Pacing", BooleanValue(pacing)); });
    auto onConnection = p.onConnection;
    client->SetOnConnection([&r, onConnection](Ptr<QuicSocketBase> s) {
        r.startTime = Simulator::Now().GetSeconds();
        r.rec.Attach(s);
        if (onConnection)
        {
            onConnection(s);
        }
        s->TraceConnectWithoutContext("Tx", MakeBoundCallback(&RecordTx, &r));
    });
    server->SetOnComplete([&r]() {
        r.complete = true;
        r.completeTime = Simulator::Now().GetSeconds();
        Simulator::Stop(MilliSeconds(100));
    });
    t.nodes.Get(0)->AddApplication(client);
    t.nodes.Get(1)->AddApplication(server);
    client->SetStartTime(Seconds(0.1));
    server->SetStartTime(Seconds(0));
    Simulator::Stop(p.limit);
    Simulator::Run();
    const auto& recs = server->GetRecords();
    if (recs.count(0) != 0)
    {
        r.bytesRead = recs.at(0).bytes;
        r.mismatches = recs.at(0).mismatches;
    }
    if (client->GetConnection() && client->GetConnection()->GetLossRecovery())
    {
        r.lostPackets = client->GetConnection()->GetLossRecovery()->GetLostPacketCount();
    }
    Simulator::Destroy();
    return r;
}

/**
 * The same transfer over ns-3's TCP (BulkSend to PacketSink), the algorithm chosen
 * through ns3::TcpL4Protocol::SocketType; send and receive buffers large enough that
 * only the congestion window limits it.
 * \param p the parameters
 * \return what happened (no content check: PacketSink counts bytes)
 */
inline BulkResult
RunTcpBulk(const BulkParams& p)
{
    quicconn::ResetSimulation();
    Config::SetDefault("ns3::TcpL4Protocol::SocketType",
                       TypeIdValue(TypeId::LookupByName(p.algorithm)));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(kTcpSegmentSize));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(8 << 20));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(8 << 20));
    if (p.configure)
    {
        p.configure();
    }
    quicconn::Topology t = MakeBottleneck(p);
    BulkResult r;
    r.segmentSize = kTcpSegmentSize;
    Address sinkAddr = InetSocketAddress(Ipv4Address::GetAny(), 5000);
    PacketSinkHelper sinkHelper("ns3::TcpSocketFactory", sinkAddr);
    ApplicationContainer sinkApps = sinkHelper.Install(t.nodes.Get(1));
    Ptr<PacketSink> sink = DynamicCast<PacketSink>(sinkApps.Get(0));
    Address dst =
        InetSocketAddress(InetSocketAddress::ConvertFrom(t.serverAddress).GetIpv4(), 5000);
    BulkSendHelper bulk("ns3::TcpSocketFactory", dst);
    bulk.SetAttribute("MaxBytes", UintegerValue(p.bytes));
    bulk.SetAttribute("SendSize", UintegerValue(kTcpSegmentSize));
    ApplicationContainer src = bulk.Install(t.nodes.Get(0));
    sinkApps.Start(Seconds(0));
    src.Start(Seconds(0.1));
    Ptr<BulkSendApplication> app = DynamicCast<BulkSendApplication>(src.Get(0));
    Simulator::Schedule(Seconds(0.1) + NanoSeconds(1), [&r, app]() {
        r.startTime = Simulator::Now().GetSeconds();
        r.rec.Attach(app->GetSocket());
    });
    uint64_t total = p.bytes;
    // A plain pointer: a Ptr bound into the sink's own trace would keep it alive forever.
    sink->TraceConnectWithoutContext("Rx",
                                     MakeBoundCallback(&SinkRx, &r, PeekPointer(sink), total));
    Simulator::Stop(p.limit);
    Simulator::Run();
    r.bytesRead = sink->GetTotalRx();
    Simulator::Destroy();
    return r;
}

} // namespace quiccc
} // namespace ns3

#endif /* QUIC_CC_TEST_UTIL_H */

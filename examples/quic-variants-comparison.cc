/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The dumbbell study of the WNS3 2019 ns-3 QUIC paper (De Biasio et al., "A QUIC
 * Implementation for ns-3", Section 5): bulk flows share a 2 Mbps bottleneck with a 100 ms
 * minimum RTT for 20 s, over QUIC or over ns-3 TCP on the same topology, with any
 * congestion control. Writes each flow's cwnd, ssthresh, RTT, bytes in flight and goodput
 * as gnuplot-ready text (time in s, value) and one summary line per flow.
 *
 *   ./quic-variants-comparison --transport=quic --cc=ns3::TcpVegas --outDir=results/study
 *
 * utils/run-study.sh runs the paper's six configurations and plots them.
 */

#include "ns3/core-module.h"
#include "ns3/flow-monitor-helper.h"
#include "ns3/network-module.h"
#include "ns3/quic-dumbbell-helper.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("QuicVariantsComparison");

int
main(int argc, char* argv[])
{
    QuicDumbbellConfig config;
    std::string bottleneckRate = "2Mbps";
    std::string bottleneckDelay = "0ms";
    std::string accessRate = "12Mbps";
    std::string accessDelay = "25ms";
    double duration = 20;
    std::string startJitter = "0s";
    uint32_t run = 1;
    bool pcap = false;
    bool flowMonitor = false;
    std::string outDir = "results/quic-variants-comparison";
    std::string prefix;

    CommandLine cmd(__FILE__);
    cmd.AddValue("transport", "Transport: quic or tcp (ns-3 TCP, same topology)", config.transport);
    cmd.AddValue("cc",
                 "Congestion control TypeId: ns3::QuicCongestionControl (quic only) or any "
                 "ns-3 TCP one (ns3::TcpNewReno, ns3::TcpVegas, ns3::TcpCubic, ...)",
                 config.congestionControl);
    cmd.AddValue("flows", "Number of sender/receiver pairs", config.numFlows);
    cmd.AddValue("bottleneckRate", "Bottleneck data rate", bottleneckRate);
    cmd.AddValue("bottleneckDelay", "Bottleneck one-way delay", bottleneckDelay);
    cmd.AddValue("accessRate", "Access link data rate", accessRate);
    cmd.AddValue("accessDelay", "Access link one-way delay (two per path)", accessDelay);
    cmd.AddValue("queueDisc", "Bottleneck queue disc TypeId", config.queueDisc);
    cmd.AddValue("queueSize",
                 "Bottleneck queue size (e.g. 17p, 25000B); empty: one BDP",
                 config.queueSize);
    cmd.AddValue("lossRate", "Packet loss rate on the bottleneck", config.lossRate);
    cmd.AddValue("mtu", "IP MTU of every link in bytes", config.mtu);
    cmd.AddValue("duration", "Seconds of bulk data per flow", duration);
    cmd.AddValue("startJitter",
                 "Each flow starts up to this much after the first (random; 0: together)",
                 startJitter);
    cmd.AddValue("run",
                 "Run number (RngRun): draws the losses and the start jitter (with neither, "
                 "runs are identical)",
                 run);
    cmd.AddValue("pcap", "Write pcap files of every link into outDir", pcap);
    cmd.AddValue("flowMonitor", "Write FlowMonitor statistics into outDir", flowMonitor);
    cmd.AddValue("outDir", "Output folder (created if missing)", outDir);
    cmd.AddValue("prefix", "File name prefix (default: <transport>-<cc without ns3::>)", prefix);
    cmd.Parse(argc, argv);

    NS_ABORT_MSG_UNLESS(duration > 0, "--duration must be positive");
    config.bottleneckRate = DataRate(bottleneckRate);
    config.bottleneckDelay = Time(bottleneckDelay);
    config.accessRate = DataRate(accessRate);
    config.accessDelay = Time(accessDelay);
    config.duration = Seconds(duration);
    config.startJitter = Time(startJitter);
    if (prefix.empty())
    {
        std::string cc = config.congestionControl;
        prefix = config.transport + "-" + (cc.rfind("ns3::", 0) == 0 ? cc.substr(5) : cc);
    }
    RngSeedManager::SetRun(run);
    SystemPath::MakeDirectories(outDir);

    QuicDumbbellHelper dumbbell(config);
    dumbbell.Install();
    dumbbell.AssignStreams(1);
    if (pcap)
    {
        dumbbell.EnablePcap(outDir + "/" + prefix);
    }
    FlowMonitorHelper flowHelper;
    if (flowMonitor)
    {
        flowHelper.InstallAll();
    }

    Simulator::Stop(dumbbell.GetStopTime());
    Simulator::Run();

    dumbbell.WriteSeries(outDir, prefix);
    if (flowMonitor)
    {
        flowHelper.SerializeToXmlFile(outDir + "/" + prefix + "-flowmon.xml", true, true);
    }

    // Statistics over the last 10 s (or the second half of a shorter run): the paper's
    // steady state, after slow start.
    double t1 = dumbbell.GetStopTime().GetSeconds();
    double t0 = t1 - std::min(10.0, duration / 2);
    std::vector<double> shares;
    std::ostringstream summary;
    summary << std::fixed;
    for (uint32_t i = 0; i < dumbbell.GetNFlows(); ++i)
    {
        const QuicDumbbellFlowTrace& trace = dumbbell.GetFlowTrace(i);
        double rxLate = QuicDumbbellHelper::ValueAt(trace.rxBytes, t1) -
                        QuicDumbbellHelper::ValueAt(trace.rxBytes, t0);
        double goodputLate = rxLate * 8 / (t1 - t0) / 1e6;
        shares.push_back(goodputLate);
        summary << prefix << " flow=" << i << " transport=" << config.transport
                << " cc=" << config.congestionControl << " rxBytes=" << dumbbell.GetRxBytes(i)
                << std::setprecision(3)
                << " goodputMbps=" << dumbbell.GetRxBytes(i) * 8.0 / duration / 1e6
                << " lateGoodputMbps=" << goodputLate << std::setprecision(0)
                << " meanCwndBytes=" << QuicDumbbellHelper::TimeAverage(trace.cwnd, t0, t1)
                << std::setprecision(1)
                << " meanRttMs=" << QuicDumbbellHelper::SampleMean(trace.rtt, t0, t1)
                << " drops=" << trace.drops.size() << "\n";
    }
    summary << prefix << " all jainIndex=" << std::setprecision(4)
            << QuicDumbbellHelper::JainIndex(shares) << " window=" << std::setprecision(1) << t0
            << "-" << t1 << "s bdpBytes=" << dumbbell.GetBdpBytes()
            << " queue=" << dumbbell.GetQueueSize() << "\n";
    std::cout << summary.str();
    std::ofstream out(outDir + "/" + prefix + "-summary.txt");
    out << summary.str();
    Simulator::Destroy();
    return 0;
}

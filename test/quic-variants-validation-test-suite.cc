/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-variants-validation: the dumbbell of the WNS3 2019 ns-3 QUIC paper (two bulk flows,
 * 2 Mbps bottleneck, 100 ms minimum RTT, a one-BDP drop-tail queue, 20 s), checked against
 * what the paper reports: the windows settle around the bandwidth-delay product, Vegas
 * keeps a lower RTT than NewReno, QUIC's NewReno-like controller grows its window faster
 * in congestion avoidance than ns-3's TCP NewReno, and the two flows share the bottleneck
 * fairly (per run, and for TcpNewReno also over 20 runs compared with ns-3 TCP). Statistics are
 * taken over the last 10 s, after slow start.
 */

#include "quic-test-utils.h"

#include "ns3/config.h"
#include "ns3/queue-size.h"
#include "ns3/quic-dumbbell-helper.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <numeric>
#include <sstream>

using namespace ns3;

namespace
{

/// What a test needs of one dumbbell run, over the last 10 s.
struct DumbbellResult
{
    std::vector<double> meanCwnd;  //!< per flow: time-averaged cwnd, bytes
    std::vector<double> meanRtt;   //!< per flow: mean of the RTT samples, ms
    std::vector<double> goodput;   //!< per flow: goodput, Mbps
    std::vector<double> caGrowth;  //!< per flow: window growth above ssthresh, bytes/s
    std::vector<uint64_t> rxBytes; //!< per flow: bytes received over the whole run
    double bdp{0};                 //!< bandwidth-delay product, bytes
    double queueBytes{0};          //!< bottleneck queue capacity, bytes
    double mtu{0};                 //!< IP MTU, bytes
    std::string name;              //!< transport and algorithm, for messages

    /// \return the sum of the flows' mean windows
    double AggregateCwnd() const
    {
        return std::accumulate(meanCwnd.begin(), meanCwnd.end(), 0.0);
    }

    /// \return the mean of the flows' mean RTTs
    double MeanRtt() const
    {
        return std::accumulate(meanRtt.begin(), meanRtt.end(), 0.0) / meanRtt.size();
    }

    /// \return the mean of the flows' congestion-avoidance growth rates
    double MeanGrowth() const
    {
        return std::accumulate(caGrowth.begin(), caGrowth.end(), 0.0) / caGrowth.size();
    }
};

/**
 * Gross window growth in congestion avoidance: the sum of every increase of the window
 * made while it was at or above ssthresh, per second of [t0, t1]. Loss reductions are left
 * out, so this is the additive-increase rate whatever the loss pattern; increases during
 * recovery (below ssthresh, e.g. TCP's PRR) are left out too.
 * \param trace a flow's recording
 * \param t0 start, s
 * \param t1 end, s
 * \return bytes per second
 */
double
CongestionAvoidanceGrowth(const QuicDumbbellFlowTrace& trace, double t0, double t1)
{
    double growth = 0;
    for (std::size_t k = 1; k < trace.cwnd.size(); ++k)
    {
        double t = trace.cwnd[k].first;
        if (t < t0 || t > t1)
        {
            continue;
        }
        double before = trace.cwnd[k - 1].second;
        double after = trace.cwnd[k].second;
        double ssthresh = QuicDumbbellHelper::ValueAt(trace.ssthresh, t);
        if (after > before && before >= ssthresh)
        {
            growth += after - before;
        }
    }
    return growth / (t1 - t0);
}

/**
 * Runs the paper's dumbbell once (default QuicDumbbellConfig) and summarises it.
 * \param transport "quic" or "tcp"
 * \param cc the congestion control TypeId
 * \param startJitter the flows start up to this much apart (0: together, as in the paper)
 * \param run the RngRun drawing the jitter
 * \return the summary
 */
DumbbellResult
RunDumbbell(const std::string& transport,
            const std::string& cc,
            Time startJitter = Seconds(0),
            uint32_t run = 1)
{
    Config::Reset();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(run);
    QuicDumbbellConfig config;
    config.transport = transport;
    config.congestionControl = cc;
    config.startJitter = startJitter;
    QuicDumbbellHelper dumbbell(config);
    dumbbell.Install();
    dumbbell.AssignStreams(1);
    Simulator::Stop(dumbbell.GetStopTime());
    Simulator::Run();

    DumbbellResult r;
    r.name = transport + " " + cc;
    r.bdp = dumbbell.GetBdpBytes();
    r.mtu = config.mtu;
    r.queueBytes =
        QueueSize(dumbbell.GetQueueSize()).GetValue() *
        (QueueSize(dumbbell.GetQueueSize()).GetUnit() == QueueSizeUnit::PACKETS ? config.mtu : 1);
    double t1 = dumbbell.GetStopTime().GetSeconds();
    double t0 = t1 - 10;
    for (uint32_t i = 0; i < dumbbell.GetNFlows(); ++i)
    {
        const QuicDumbbellFlowTrace& trace = dumbbell.GetFlowTrace(i);
        r.meanCwnd.push_back(QuicDumbbellHelper::TimeAverage(trace.cwnd, t0, t1));
        r.meanRtt.push_back(QuicDumbbellHelper::SampleMean(trace.rtt, t0, t1));
        double rx = QuicDumbbellHelper::ValueAt(trace.rxBytes, t1) -
                    QuicDumbbellHelper::ValueAt(trace.rxBytes, t0);
        r.goodput.push_back(rx * 8 / (t1 - t0) / 1e6);
        r.caGrowth.push_back(CongestionAvoidanceGrowth(trace, t0, t1));
        r.rxBytes.push_back(dumbbell.GetRxBytes(i));
    }
    Simulator::Destroy();
    Config::Reset();
    return r;
}

/// \return the per-flow values, for messages
std::string
Describe(const std::vector<double>& v)
{
    std::ostringstream os;
    for (std::size_t i = 0; i < v.size(); ++i)
    {
        os << (i ? ", " : "") << v[i];
    }
    return os.str();
}

/**
 * The windows settle around the bottleneck's bandwidth-delay product (25 kB).
 *
 * Tolerance, from the sawtooth itself: with a drop-tail queue of Q bytes a loss-based
 * aggregate window climbs to BDP + Q (the pipe and the queue full) and is halved to
 * (BDP + Q) / 2 = BDP here (Q = BDP), so its time average lies in [BDP, BDP + Q]; one
 * packet per flow of overshoot before the drop is detected is allowed above. Each of the
 * two flows then averages between BDP / 2 and BDP when they share fairly; a flow may be
 * ahead or behind in its own sawtooth when the window is cut, so each flow's mean must lie
 * within [0.5, 1.5] x BDP — around the BDP, and far from both a starved flow and a window
 * that never met a loss.
 */
class QuicVariantsWindowTestCase : public TestCase
{
  public:
    /**
     * \param cc congestion control over QUIC
     */
    explicit QuicVariantsWindowTestCase(const std::string& cc)
        : TestCase("windows settle around the BDP, quic " + cc),
          m_cc(cc)
    {
    }

  private:
    void DoRun() override
    {
        DumbbellResult r = RunDumbbell("quic", m_cc);
        QUIC_TEST_REQUIRE(r.rxBytes[0] > 0 && r.rxBytes[1] > 0, r.name << ": a flow sent nothing");
        double aggregate = r.AggregateCwnd();
        double high = r.bdp + r.queueBytes + r.meanCwnd.size() * r.mtu;
        NS_TEST_EXPECT_MSG_GT_OR_EQ(aggregate,
                                    r.bdp,
                                    r.name << ": aggregate mean cwnd " << aggregate
                                           << " B below the BDP " << r.bdp << " B");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(aggregate,
                                    high,
                                    r.name << ": aggregate mean cwnd " << aggregate
                                           << " B above BDP + queue " << high << " B");
        for (std::size_t i = 0; i < r.meanCwnd.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_GT_OR_EQ(r.meanCwnd[i],
                                        0.5 * r.bdp,
                                        r.name << ": flow " << i << " mean cwnd "
                                               << Describe(r.meanCwnd));
            NS_TEST_EXPECT_MSG_LT_OR_EQ(r.meanCwnd[i],
                                        1.5 * r.bdp,
                                        r.name << ": flow " << i << " mean cwnd "
                                               << Describe(r.meanCwnd));
        }
    }

    std::string m_cc; //!< the algorithm
};

/**
 * Vegas keeps a lower mean RTT than NewReno: it stops growing once a few packets per flow
 * wait in the queue (alpha..beta = 2..4), while NewReno fills the queue until a drop. Checked
 * over QUIC against both NewReno flavours (ns-3's TcpNewReno through the bridge and QUIC's
 * RFC 9002 controller), and over ns-3 TCP as the reference.
 */
class QuicVariantsVegasRttTestCase : public TestCase
{
  public:
    QuicVariantsVegasRttTestCase()
        : TestCase("Vegas keeps a lower mean RTT than NewReno")
    {
    }

  private:
    void DoRun() override
    {
        DumbbellResult vegas = RunDumbbell("quic", "ns3::TcpVegas");
        DumbbellResult newReno = RunDumbbell("quic", "ns3::TcpNewReno");
        DumbbellResult quicNewReno = RunDumbbell("quic", "ns3::QuicCongestionControl");
        DumbbellResult tcpVegas = RunDumbbell("tcp", "ns3::TcpVegas");
        DumbbellResult tcpNewReno = RunDumbbell("tcp", "ns3::TcpNewReno");
        NS_TEST_EXPECT_MSG_LT(vegas.MeanRtt(),
                              newReno.MeanRtt(),
                              "quic: Vegas RTT " << Describe(vegas.meanRtt) << " ms, NewReno "
                                                 << Describe(newReno.meanRtt) << " ms");
        NS_TEST_EXPECT_MSG_LT(vegas.MeanRtt(),
                              quicNewReno.MeanRtt(),
                              "quic: Vegas RTT " << Describe(vegas.meanRtt)
                                                 << " ms, QuicCongestionControl "
                                                 << Describe(quicNewReno.meanRtt) << " ms");
        NS_TEST_EXPECT_MSG_LT(tcpVegas.MeanRtt(),
                              tcpNewReno.MeanRtt(),
                              "tcp: Vegas RTT " << Describe(tcpVegas.meanRtt) << " ms, NewReno "
                                                << Describe(tcpNewReno.meanRtt) << " ms");
    }
};

/**
 * QUIC's NewReno-like controller grows its window faster in congestion avoidance than
 * ns-3's TCP NewReno. RFC 9002 §7.3.3 counts acknowledged bytes: one max_datagram_size per
 * window acknowledged, i.e. one packet per RTT. ns-3.37's TcpNewReno adds
 * segmentSize^2 / cwnd per ACK *received*, whatever the segments it covers, so with the
 * receiver acknowledging every second segment it grows half a segment per RTT. The
 * expected ratio is 2; the RTTs of both runs are within 10% of each other (both fill the
 * same queue), so a ratio of at least 1.5 says "faster" with room for that difference, and
 * fails if both grew alike.
 */
class QuicVariantsGrowthTestCase : public TestCase
{
  public:
    QuicVariantsGrowthTestCase()
        : TestCase("QUIC NewReno grows faster in congestion avoidance than TCP NewReno")
    {
    }

  private:
    void DoRun() override
    {
        DumbbellResult quic = RunDumbbell("quic", "ns3::QuicCongestionControl");
        DumbbellResult tcp = RunDumbbell("tcp", "ns3::TcpNewReno");
        QUIC_TEST_REQUIRE(tcp.MeanGrowth() > 0, "TCP NewReno never grew its window");
        double ratio = quic.MeanGrowth() / tcp.MeanGrowth();
        NS_TEST_EXPECT_MSG_GT_OR_EQ(ratio,
                                    1.5,
                                    "growth in congestion avoidance, quic "
                                        << Describe(quic.caGrowth) << " B/s, tcp "
                                        << Describe(tcp.caGrowth) << " B/s");
        double rttRatio = quic.MeanRtt() / tcp.MeanRtt();
        NS_TEST_EXPECT_MSG_EQ_TOL(rttRatio,
                                  1.0,
                                  0.1,
                                  "the comparison assumes similar RTTs: quic "
                                      << Describe(quic.meanRtt) << " ms, tcp "
                                      << Describe(tcp.meanRtt) << " ms");
    }
};

/**
 * The two flows share the bottleneck fairly: Jain's index of their goodputs over the last
 * 10 s is at least 0.95 (the criterion; 0.95 allows a 1.55 : 1 split of two flows).
 * Checked on the paper's run (both flows start together) and, so that a lucky phase of the
 * two sawtooths cannot pass it, on four more runs whose flows start up to 200 ms apart.
 */
class QuicVariantsFairnessTestCase : public TestCase
{
  public:
    /**
     * \param cc congestion control over QUIC
     */
    explicit QuicVariantsFairnessTestCase(const std::string& cc)
        : TestCase("two flows share fairly, quic " + cc),
          m_cc(cc)
    {
    }

  private:
    void DoRun() override
    {
        for (uint32_t run = 0; run <= 4; ++run)
        {
            Time jitter = run == 0 ? Seconds(0) : MilliSeconds(200);
            DumbbellResult r = RunDumbbell("quic", m_cc, jitter, std::max(run, 1U));
            double jain = QuicDumbbellHelper::JainIndex(r.goodput);
            NS_TEST_EXPECT_MSG_GT_OR_EQ(jain,
                                        0.95,
                                        r.name << " run " << run << ": goodputs "
                                               << Describe(r.goodput) << " Mbps");
            // Together they fill the bottleneck (2 Mbps less QUIC and IP/UDP overheads).
            double total = std::accumulate(r.goodput.begin(), r.goodput.end(), 0.0);
            NS_TEST_EXPECT_MSG_GT(total,
                                  1.8,
                                  r.name << " run " << run << ": goodputs " << Describe(r.goodput));
        }
    }

    std::string m_cc; //!< the algorithm
};

/**
 * ns-3's TcpNewReno over QUIC shares the bottleneck at least as fairly as over ns-3 TCP.
 * Per run, over a 10 s window, two NewReno flows behind a drop-tail queue are not always
 * within 0.95: one flow can take every drop for several sawtooth cycles (a phase effect
 * of the deterministic drop-tail queue); ns-3's own TCP NewReno falls below 0.95 on 25 of
 * 100 runs of this dumbbell, TcpNewReno over QUIC on 4. Beside the five runs of
 * QuicVariantsFairnessTestCase, this checks the statistics over 20 runs (run 0 as the
 * paper, both flows together; the others start up to 200 ms apart): the mean Jain index
 * is at least 0.95, and no more runs fall below 0.95 over QUIC than over ns-3 TCP.
 */
class QuicVariantsNewRenoFairnessTestCase : public TestCase
{
  public:
    QuicVariantsNewRenoFairnessTestCase()
        : TestCase("TcpNewReno over quic shares as fairly as over tcp, 20 runs")
    {
    }

  private:
    /**
     * \param transport quic or tcp
     * \param[out] below runs whose Jain index is below 0.95
     * \param[out] all every run's index, for the messages
     * \return the mean Jain index over the runs
     */
    static double MeanJain(const std::string& transport, uint32_t& below, std::string& all)
    {
        std::ostringstream os;
        double sum = 0;
        below = 0;
        for (uint32_t run = 0; run < kRuns; ++run)
        {
            Time jitter = run == 0 ? Seconds(0) : MilliSeconds(200);
            DumbbellResult r = RunDumbbell(transport, "ns3::TcpNewReno", jitter, std::max(run, 1U));
            double jain = QuicDumbbellHelper::JainIndex(r.goodput);
            sum += jain;
            below += jain < 0.95 ? 1 : 0;
            os << (run ? " " : "") << jain;
        }
        all = os.str();
        return sum / kRuns;
    }

    void DoRun() override
    {
        uint32_t quicBelow = 0;
        uint32_t tcpBelow = 0;
        std::string quicAll;
        std::string tcpAll;
        double quicMean = MeanJain("quic", quicBelow, quicAll);
        double tcpMean = MeanJain("tcp", tcpBelow, tcpAll);
        NS_TEST_EXPECT_MSG_GT_OR_EQ(quicMean,
                                    0.95,
                                    "mean Jain index over QUIC (over TCP "
                                        << tcpMean << "); runs: " << quicAll);
        NS_TEST_EXPECT_MSG_LT_OR_EQ(quicBelow,
                                    tcpBelow,
                                    "runs below 0.95: quic " << quicAll << "; tcp " << tcpAll);
    }

    static constexpr uint32_t kRuns = 20; //!< runs compared
};

/// The suite.
class QuicVariantsValidationTestSuite : public TestSuite
{
  public:
    QuicVariantsValidationTestSuite()
        : TestSuite("quic-variants-validation", SYSTEM)
    {
        AddTestCase(new QuicVariantsWindowTestCase("ns3::QuicCongestionControl"), TestCase::QUICK);
        AddTestCase(new QuicVariantsWindowTestCase("ns3::TcpNewReno"), TestCase::QUICK);
        AddTestCase(new QuicVariantsVegasRttTestCase(), TestCase::QUICK);
        AddTestCase(new QuicVariantsGrowthTestCase(), TestCase::QUICK);
        AddTestCase(new QuicVariantsFairnessTestCase("ns3::QuicCongestionControl"),
                    TestCase::QUICK);
        AddTestCase(new QuicVariantsFairnessTestCase("ns3::TcpNewReno"), TestCase::QUICK);
        AddTestCase(new QuicVariantsFairnessTestCase("ns3::TcpVegas"), TestCase::QUICK);
        AddTestCase(new QuicVariantsNewRenoFairnessTestCase(), TestCase::QUICK);
    }
};

QuicVariantsValidationTestSuite g_quicVariantsValidationTestSuite; //!< registers the suite

} // namespace

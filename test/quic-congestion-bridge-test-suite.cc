/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-congestion-bridge: every congestion control shipped with ns-3.37, and
 * QuicCongestionControl, drives a QUIC connection. For each, a 5 MB transfer over a
 * 10 Mbps / 40 ms RTT bottleneck with a 25-packet drop-tail queue completes byte-exact,
 * and the shape of its congestion window is compared with the same algorithm running
 * over ns-3's TCP on the same topology: slow-start exit, the reduction factor on loss,
 * the mean window of the second half, the algorithm's own signature (NewReno halves,
 * Cubic keeps 0.7, Vegas stays near the BDP without loss, BBR's bandwidth estimate finds
 * the bottleneck rate).
 */

#include "quic-cc-test-util.h"
#include "quic-test-utils.h"

#include "ns3/enum.h"
#include "ns3/tcp-congestion-ops.h"
#include "ns3/tcp-recovery-ops.h"
#include "ns3/tcp-westwood.h"
#include "ns3/test.h"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>

using namespace ns3;
using namespace ns3::quiccc;

namespace
{

/// Bandwidth-delay product of the bottleneck in full-size packets: 10 Mb/s * 40 ms / 1480 B.
constexpr double kBdpPackets = 10e6 * 0.040 / 8 / 1480;

/// How an algorithm's window is compared with TCP's.
enum class Kind
{
    LAW,      //!< loss-based, fixed decrease law: reduction factors agree within 0.1
    ADAPTIVE, //!< loss-based, decrease adapted to delay or alpha history: within 0.2
    VEGAS,    //!< delay-based: no loss once converged, window near the BDP
    BBR,      //!< model-based: bandwidth estimate finds the bottleneck rate
    LP,       //!< TCP-LP: early-congestion inference halves the window before any loss
};

/// What the algorithm is expected to do, beyond matching TCP.
struct Expectation
{
    Kind kind{Kind::LAW}; //!< how to compare
    double lawLow{-1};    //!< ssthresh / cwnd on loss must lie in [lawLow, lawHigh]
    double lawHigh{-1};   //!< (-1: no law checked)
};

/// Features of one run's traces.
struct Features
{
    double completion{0};     //!< transfer time (s)
    double ssExitPkts{0};     //!< cwnd at slow-start exit (packets)
    double factor{-1};        //!< median ssthresh / cwnd over loss episodes
    double meanPkts{0};       //!< mean cwnd over the second half of the transfer (packets)
    uint32_t episodes{0};     //!< loss episodes
    uint32_t lateEpisodes{0}; //!< loss episodes in the second half
    double firstHalving{-1};  //!< first time cwnd fell to <= 60% of its value (s)
};

/**
 * \param r a run
 * \return its features
 */
Features
Extract(const BulkResult& r)
{
    Features f;
    f.completion = r.completeTime - r.startTime;
    f.ssExitPkts = double(r.rec.ssExitCwnd) / r.segmentSize;
    f.factor = r.rec.MedianReductionFactor(8 * r.segmentSize);
    double mid = r.startTime + f.completion / 2;
    f.meanPkts = r.rec.MeanCwnd(mid, r.completeTime) / r.segmentSize;
    f.episodes = static_cast<uint32_t>(r.rec.reductions.size());
    f.lateEpisodes = r.rec.EpisodesAfter(mid);
    for (std::size_t i = 1; i < r.rec.cwnd.size(); ++i)
    {
        uint32_t before = r.rec.cwnd[i - 1].second;
        if (before >= 8 * r.segmentSize && r.rec.cwnd[i].second <= 0.6 * before)
        {
            f.firstHalving = r.rec.cwnd[i].first;
            break;
        }
    }
    return f;
}

/**
 * \return the socket state the unit cases drive a bridge with: 1000-byte segments, a
 * 20-segment window, ssthresh 10 segments (congestion avoidance)
 */
Ptr<QuicSocketState>
UnitTcb()
{
    Ptr<QuicSocketState> tcb = CreateObject<QuicSocketState>();
    tcb->m_segmentSize = 1000;
    tcb->m_cWnd = 20000;
    tcb->m_ssThresh = 10000;
    return tcb;
}

/**
 * Sends one ack-eliciting packet through a bridge, as QuicLossRecovery::OnPacketSent does:
 * stamped with the flight before it, counted in flight, then reported.
 * \param bridge the bridge
 * \param tcb its socket state
 * \param pn packet number
 * \param size bytes
 */
void
SendThroughBridge(QuicCongestionBridge& bridge,
                  Ptr<QuicSocketState> tcb,
                  uint64_t pn,
                  uint32_t size)
{
    QuicSentPacket p;
    p.packetNumber = pn;
    p.timeSent = Simulator::Now();
    p.size = size;
    p.ackEliciting = true;
    p.inFlight = true;
    bridge.StampPacket(p, tcb->m_bytesInFlight);
    tcb->m_bytesInFlight = tcb->m_bytesInFlight + size;
    bridge.OnPacketSent(pn, size, true);
}

/**
 * One algorithm over QUIC and over TCP.
 */
class QuicBridgeAlgorithmTestCase : public TestCase
{
  public:
    /**
     * \param name test name
     * \param algorithm TypeId name
     * \param tcpAlgorithm TypeId name of the TCP reference
     * \param expect what the algorithm should do
     * \param configure attributes of the algorithm (both runs)
     */
    QuicBridgeAlgorithmTestCase(const std::string& name,
                                const std::string& algorithm,
                                const std::string& tcpAlgorithm,
                                Expectation expect,
                                std::function<void()> configure = nullptr)
        : TestCase(name),
          m_algorithm(algorithm),
          m_tcpAlgorithm(tcpAlgorithm),
          m_expect(expect),
          m_configure(std::move(configure))
    {
    }

  private:
    void DoRun() override
    {
        BulkParams p;
        p.algorithm = m_algorithm;
        p.configure = m_configure;
        p.limit = Seconds(20);
        BulkResult q = RunQuicBulk(p);
        p.algorithm = m_tcpAlgorithm;
        BulkResult t = RunTcpBulk(p);
        Features fq = Extract(q);
        Features ft = Extract(t);
        if (std::getenv("QUIC_CC_VERBOSE"))
        {
            std::cout << GetName() << " quic: t=" << fq.completion << " ssExit=" << fq.ssExitPkts
                      << " factor=" << fq.factor << " mean=" << fq.meanPkts
                      << " episodes=" << fq.episodes << " late=" << fq.lateEpisodes
                      << " halving=" << fq.firstHalving << " lost=" << q.lostPackets << "\n"
                      << GetName() << " tcp:  t=" << ft.completion << " ssExit=" << ft.ssExitPkts
                      << " factor=" << ft.factor << " mean=" << ft.meanPkts
                      << " episodes=" << ft.episodes << " late=" << ft.lateEpisodes
                      << " halving=" << ft.firstHalving << std::endl;
        }

        // Byte-exact delivery over QUIC.
        QUIC_TEST_REQUIRE(q.complete, "QUIC transfer completes");
        NS_TEST_ASSERT_MSG_EQ(q.bytesRead, p.bytes, "every byte read once");
        NS_TEST_ASSERT_MSG_EQ(q.mismatches, 0, "every byte read is the byte written");
        // The window was driven at all: it moved away from the initial window.
        QUIC_TEST_REQUIRE(q.rec.cwnd.size() > 20, "cwnd trace shows the algorithm at work");

        switch (m_expect.kind)
        {
        case Kind::LAW:
        case Kind::ADAPTIVE:
            CheckLossBased(q, t, fq, ft);
            break;
        case Kind::VEGAS:
            CheckVegas(q, t, fq, ft);
            break;
        case Kind::BBR:
            CheckBbr(q, t, fq, ft);
            break;
        case Kind::LP:
            CheckLp(q, t, fq, ft);
            break;
        }
    }

    /**
     * Transfer time, slow-start exit and mean window against TCP's.
     * \param fq QUIC's features
     * \param ft TCP's features
     */
    void CheckAgainstTcp(const Features& fq, const Features& ft)
    {
        // Throughput: both fill a 10 Mb/s link in roughly the same time. 5 MB take 4 s at
        // line rate; slow start, loss recovery and the sawtooth cost each protocol a few
        // RTTs, and QUIC packets carry ~3% less payload (headers, AEAD tag). 25% covers
        // a couple of extra loss episodes on either side.
        NS_TEST_ASSERT_MSG_LT(std::abs(fq.completion / ft.completion - 1),
                              0.25,
                              "transfer time close to TCP's (" << fq.completion << " s vs "
                                                               << ft.completion << " s)");
        // Slow-start exit (by loss, HyStart or BBR's full pipe): the window then depends
        // on the round in which the first drop falls, and slow start doubles every
        // round, so the protocols may be one doubling apart, no more.
        double ssRatio = fq.ssExitPkts / ft.ssExitPkts;
        NS_TEST_ASSERT_MSG_GT(ssRatio,
                              0.5,
                              "slow-start exit window (" << fq.ssExitPkts << " vs " << ft.ssExitPkts
                                                         << " packets)");
        NS_TEST_ASSERT_MSG_LT(ssRatio,
                              2.0,
                              "slow-start exit window (" << fq.ssExitPkts << " vs " << ft.ssExitPkts
                                                         << " packets)");
        // Steady state: the mean window of the second half within a factor 1.5 of
        // TCP's. Same law and same path give the same sawtooth on average; where in its
        // sawtooth each transfer ends, and QUIC's ACK pattern (every second packet, 25 ms
        // max_ack_delay) against TCP's, move it by less.
        double meanRatio = fq.meanPkts / ft.meanPkts;
        NS_TEST_ASSERT_MSG_GT(meanRatio,
                              1 / 1.5,
                              "mean cwnd (" << fq.meanPkts << " vs " << ft.meanPkts << " packets)");
        NS_TEST_ASSERT_MSG_LT(meanRatio,
                              1.5,
                              "mean cwnd (" << fq.meanPkts << " vs " << ft.meanPkts << " packets)");
    }

    /**
     * Loss-based algorithms: both lose in a 25-packet queue and reduce by the same law.
     * \param q QUIC's run
     * \param t TCP's run
     * \param fq QUIC's features
     * \param ft TCP's features
     */
    void CheckLossBased(const BulkResult& q,
                        const BulkResult& t,
                        const Features& fq,
                        const Features& ft)
    {
        QUIC_TEST_REQUIRE(t.complete, "TCP reference transfer completes");
        QUIC_TEST_REQUIRE(q.rec.ssExited && t.rec.ssExited, "both leave slow start");
        QUIC_TEST_REQUIRE(fq.factor > 0, "QUIC saw loss episodes with a reduction");
        QUIC_TEST_REQUIRE(ft.factor > 0, "TCP saw loss episodes with a reduction");
        // Median ssthresh / cwnd over the episodes. A fixed law is the same code on both
        // sides; what differs is the bytes in flight some laws use instead of cwnd (QUIC
        // has already removed the packets just declared lost) and where in the sawtooth
        // the drop falls: 0.1. An adaptive decrease (Illinois: delay; DCTCP: alpha
        // decaying per window) also depends on the delay history and on how many windows
        // passed before each loss: 0.2.
        double tolerance = m_expect.kind == Kind::LAW ? 0.1 : 0.2;
        NS_TEST_ASSERT_MSG_LT(std::abs(fq.factor - ft.factor),
                              tolerance,
                              "reduction factor (QUIC " << fq.factor << ", TCP " << ft.factor
                                                        << ")");
        if (m_expect.lawLow > 0)
        {
            NS_TEST_ASSERT_MSG_GT_OR_EQ(fq.factor,
                                        m_expect.lawLow,
                                        "reduction factor within the algorithm's law");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(fq.factor,
                                        m_expect.lawHigh,
                                        "reduction factor within the algorithm's law");
        }
        CheckAgainstTcp(fq, ft);
    }

    /**
     * Vegas keeps alpha..beta (2..4) packets queued: cwnd ~ BDP + 3, far below BDP +
     * 25-packet queue where drops begin, so no loss once converged. (ns-3.37's TCP Vegas
     * settles at 20 segments, 0.6 BDP, on this path, so its window is not a reference;
     * both must show the same structure: slow start left without loss, then no loss.)
     * \param q QUIC's run
     * \param t TCP's run
     * \param fq QUIC's features
     * \param ft TCP's features
     */
    void CheckVegas(const BulkResult& q,
                    const BulkResult& t,
                    const Features& fq,
                    const Features& ft)
    {
        QUIC_TEST_REQUIRE(t.complete, "TCP reference transfer completes");
        QUIC_TEST_REQUIRE(q.rec.ssExited && t.rec.ssExited, "both leave slow start");
        NS_TEST_ASSERT_MSG_EQ(fq.lateEpisodes, 0, "QUIC: no loss in Vegas' second half");
        NS_TEST_ASSERT_MSG_EQ(ft.lateEpisodes, 0, "TCP: no loss in Vegas' second half");
        NS_TEST_ASSERT_MSG_GT(fq.meanPkts, 0.8 * kBdpPackets, "Vegas cwnd near the BDP");
        NS_TEST_ASSERT_MSG_LT(fq.meanPkts, 1.5 * kBdpPackets, "Vegas cwnd near the BDP");
        // Vegas' slow start leaves early (gamma = 1 packet queued), well before the
        // window a loss-based sender reaches (BDP + queue = ~60 packets).
        NS_TEST_ASSERT_MSG_LT(fq.ssExitPkts, 60, "Vegas leaves slow start before loss");
    }

    /**
     * BBR's bandwidth filter must find the 10 Mb/s bottleneck, which only happens if the
     * rate samples are right; its pacing rate in the second half is that estimate times
     * the gain cycle (0.75..1.25), so its median lies within 20% of the link rate.
     * \param q QUIC's run
     * \param t TCP's run
     * \param fq QUIC's features
     * \param ft TCP's features
     */
    void CheckBbr(const BulkResult& q, const BulkResult& t, const Features& fq, const Features& ft)
    {
        QUIC_TEST_REQUIRE(t.complete, "TCP reference transfer completes");
        QUIC_TEST_REQUIRE(q.rec.ssExited && t.rec.ssExited, "both leave startup");
        std::vector<double> rates;
        double mid = q.startTime + fq.completion / 2;
        for (const auto& [when, bps] : q.rec.pacingRate)
        {
            if (when >= mid)
            {
                rates.push_back(double(bps));
            }
        }
        QUIC_TEST_REQUIRE(!rates.empty(), "BBR sets the pacing rate");
        std::sort(rates.begin(), rates.end());
        double median = rates[rates.size() / 2];
        NS_TEST_ASSERT_MSG_GT(median, 0.8e7, "BBR bandwidth estimate ~ 10 Mbps");
        NS_TEST_ASSERT_MSG_LT(median, 1.2e7, "BBR bandwidth estimate ~ 10 Mbps");
        CheckAgainstTcp(fq, ft);
    }

    /**
     * TCP-LP infers congestion from one-way delay before any loss and halves its window.
     * Both protocols must do it, at the same moment (within one RTT), before any loss
     * episode: that is the delay signal the bridge feeds (see QuicCongestionBridge).
     * (ns-3.37's TCP-LP then keeps its window at 1-3 segments on this path and does not
     * finish in 20 s, so its transfer time and window are not a reference.)
     * \param q QUIC's run
     * \param t TCP's run
     * \param fq QUIC's features
     * \param ft TCP's features
     */
    void CheckLp(const BulkResult& q, const BulkResult& t, const Features& fq, const Features& ft)
    {
        QUIC_TEST_REQUIRE(fq.firstHalving > 0, "QUIC-LP halves its window");
        QUIC_TEST_REQUIRE(ft.firstHalving > 0, "TCP-LP halves its window");
        NS_TEST_ASSERT_MSG_LT(std::abs(fq.firstHalving - ft.firstHalving),
                              0.040,
                              "early-congestion inference at the same time");
        NS_TEST_ASSERT_MSG_EQ(
            (q.rec.reductions.empty() || q.rec.reductions.front().time > fq.firstHalving),
            true,
            "QUIC-LP halved before any loss episode");
        NS_TEST_ASSERT_MSG_EQ(
            (t.rec.reductions.empty() || t.rec.reductions.front().time > ft.firstHalving),
            true,
            "TCP-LP halved before any loss episode");
    }

    std::string m_algorithm;           //!< QUIC's algorithm
    std::string m_tcpAlgorithm;        //!< TCP's
    Expectation m_expect;              //!< expectations
    std::function<void()> m_configure; //!< attributes
};

/// DCTCP's first congestion estimate.
struct EstimateLog
{
    uint32_t count{0};  //!< estimates so far
    uint32_t first{0};  //!< first argument of the first estimate
    uint32_t second{0}; //!< second argument of the first estimate
    double alpha{-1};   //!< alpha of the first estimate

    /**
     * CongestionEstimate trace.
     * \param log the log
     * \param first bytes marked (ns-3.37 passes them first, although the typedef
     *        documents bytes acknowledged first)
     * \param second bytes acknowledged
     * \param alpha the new alpha
     */
    static void Record(EstimateLog* log, uint32_t first, uint32_t second, double alpha)
    {
        if (log->count++ == 0)
        {
            log->first = first;
            log->second = second;
            log->alpha = alpha;
        }
    }
};

/**
 * The bridge refuses to raise TCP receiver events and never crashes DCTCP: a DCTCP
 * connection survives ECN feedback through OnEcnEcho / OnEcnCongestion.
 */
class QuicBridgeDctcpEcnTestCase : public TestCase
{
  public:
    QuicBridgeDctcpEcnTestCase()
        : TestCase("DCTCP fed ECN feedback by the sender-side hooks")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketState> tcb = UnitTcb();
        ObjectFactory factory("ns3::TcpDctcp");
        Ptr<TcpCongestionOps> dctcp = factory.Create<TcpCongestionOps>();
        QUIC_TEST_REQUIRE(dctcp, "TcpDctcp exists");
        EstimateLog log;
        dctcp->TraceConnectWithoutContext("CongestionEstimate",
                                          MakeBoundCallback(&EstimateLog::Record, &log));
        QuicCongestionBridge bridge(tcb, dctcp);
        bridge.OnConnectionEstablished();
        NS_TEST_ASSERT_MSG_EQ(tcb->m_useEcn, TcpSocketState::On, "DCTCP switched ECN on");
        tcb->m_ecnState = TcpSocketState::ECN_IDLE;
        Simulator::Schedule(Seconds(1), [&]() {
            for (uint32_t i = 0; i < 40; ++i)
            {
                SendThroughBridge(bridge, tcb, i, 1000);
            }
        });
        Simulator::Schedule(Seconds(1.05), [&]() {
            // Half the ACKs report new CE marks: DCTCP counts their bytes.
            for (uint32_t i = 0; i < 20; ++i)
            {
                uint32_t prior = tcb->m_bytesInFlight;
                tcb->m_bytesInFlight = tcb->m_bytesInFlight - 2000;
                bridge.OnEcnEcho(i % 2 == 0);
                if (i == 0)
                {
                    bridge.OnEcnCongestion(Seconds(1));
                }
                QuicAckedPacketInfo a{2000, Seconds(1), false, 0, Seconds(1), Seconds(1)};
                bridge.OnPacketsAcked({a}, MilliSeconds(50), Time(0), prior);
            }
        });
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ(tcb->m_congState.Get(),
                              TcpSocketState::CA_CWR,
                              "ECN-CE entered CWR (the period has not ended)");
        NS_TEST_ASSERT_MSG_LT(tcb->m_cWnd.Get(), 20000u, "ECN-CE reduced the window");
        NS_TEST_ASSERT_MSG_GT(tcb->m_cWnd.Get(), 2000u, "not below the minimum");
        // One window (40 000 bytes of the synthetic sequence) acknowledged, half of it
        // under ECE: DCTCP's estimate sees exactly that, and alpha moves from its initial
        // 1 by g = 1/16 towards 0.5: 15/16 + 0.5/16.
        QUIC_TEST_REQUIRE(log.count >= 1, "DCTCP updated alpha once a window was acknowledged");
        NS_TEST_ASSERT_MSG_EQ(std::min(log.first, log.second), 20000u, "bytes under ECE");
        NS_TEST_ASSERT_MSG_EQ(std::max(log.first, log.second), 40000u, "bytes acknowledged");
        NS_TEST_ASSERT_MSG_EQ_TOL(log.alpha, 0.96875, 1e-9, "DCTCP alpha after one window");
    }
};

/**
 * The window in a loss recovery period is set by TCP's fast-recovery algorithm, as
 * TcpSocketBase does. 20 packets of 1000 bytes in flight, TcpNewReno in congestion
 * avoidance; an ACK of packets 1..3 declares packet 0 lost: ssthresh = 16 000 / 2.
 * - TcpPrrRecovery (RFC 6937): RecoverFS = 17 000 (in flight before the loss); after the
 *   ACK's 3000 delivered bytes, cwnd = pipe + ceil(3000 * 8000 / 17 000) = 16 000 + 1412,
 *   so the sender keeps sending about one packet per two delivered.
 * - TcpClassicRecovery, and no recovery algorithm: cwnd = ssthresh at once.
 * In both, the ACK of a packet sent after the period began ends it with cwnd = ssthresh
 * plus NewReno's one increase (1000^2 / 8000 = 125).
 */
class QuicBridgeRecoveryOpsTestCase : public TestCase
{
  public:
    /**
     * \param recovery TcpRecoveryOps TypeId name, or empty for none
     */
    explicit QuicBridgeRecoveryOpsTestCase(const std::string& recovery)
        : TestCase("loss recovery window set by " +
                   (recovery.empty() ? std::string("no recovery algorithm") : recovery)),
          m_recoveryName(recovery)
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketState> tcb = UnitTcb();
        Ptr<TcpCongestionOps> newReno = CreateObject<TcpNewReno>();
        Ptr<TcpRecoveryOps> recovery;
        if (!m_recoveryName.empty())
        {
            recovery = ObjectFactory(m_recoveryName).Create<TcpRecoveryOps>();
        }
        QuicCongestionBridge bridge(tcb, newReno, recovery);
        bridge.OnConnectionEstablished();
        auto send = [&](uint64_t pn) { SendThroughBridge(bridge, tcb, pn, 1000); };
        auto ack = [&](uint32_t packets, Time sent) {
            uint32_t prior = tcb->m_bytesInFlight;
            tcb->m_bytesInFlight = tcb->m_bytesInFlight - packets * 1000;
            QuicAckedPacketInfo a{packets * 1000, sent, false, 0, sent, sent};
            bridge.OnPacketsAcked({a}, MilliSeconds(100), Time(0), prior);
        };
        bool prr = m_recoveryName == "ns3::TcpPrrRecovery";
        Simulator::Schedule(Seconds(1), [&]() {
            for (uint64_t pn = 0; pn < 20; ++pn)
            {
                send(pn);
            }
        });
        Simulator::Schedule(Seconds(1.1), [&]() {
            // QuicLossRecovery's order: acknowledged and lost packets leave the flight,
            // the loss is reported, then the acknowledgment.
            tcb->m_bytesInFlight = tcb->m_bytesInFlight - 3000 - 1000;
            bridge.OnPacketsLost(1000, Seconds(1), false);
            NS_TEST_EXPECT_MSG_EQ(tcb->m_congState.Get(),
                                  TcpSocketState::CA_RECOVERY,
                                  "the loss started a recovery period");
            NS_TEST_EXPECT_MSG_EQ(tcb->m_ssThresh.Get(), 8000u, "ssthresh = in flight / 2");
            tcb->m_bytesInFlight = tcb->m_bytesInFlight + 3000; // ack() takes them off
            ack(3, Seconds(1));
            NS_TEST_EXPECT_MSG_EQ(tcb->m_cWnd.Get(),
                                  (prr ? 17412U : 8000U),
                                  "window after the first ACK of the period");
        });
        Simulator::Schedule(Seconds(1.15), [&]() { send(20); });
        Simulator::Schedule(Seconds(1.2), [&]() {
            ack(16, Seconds(1)); // the rest of the original flight
            NS_TEST_EXPECT_MSG_EQ(tcb->m_congState.Get(),
                                  TcpSocketState::CA_RECOVERY,
                                  "packets sent before the period do not end it");
            ack(1, Seconds(1.15));
            NS_TEST_EXPECT_MSG_EQ(tcb->m_congState.Get(),
                                  TcpSocketState::CA_OPEN,
                                  "a packet sent after the period began ends it");
            NS_TEST_EXPECT_MSG_EQ(tcb->m_cWnd.Get(), 8125u, "cwnd = ssthresh, then + 125");
        });
        Simulator::Run();
        Simulator::Destroy();
    }

    std::string m_recoveryName; //!< TcpRecoveryOps TypeId name, or empty
};

/**
 * QuicRateSampler against hand-computed samples (draft-cheng-iccrg-delivery-rate-
 * estimation §3): a sample's interval is the longer of its send and ACK intervals (an
 * ACK-compressed burst does not look fast), a sample shorter than min RTT is invalid,
 * app-limited marks last until the bubble is delivered.
 */
class QuicRateSamplerTestCase : public TestCase
{
  public:
    QuicRateSamplerTestCase()
        : TestCase("QuicRateSampler: intervals, validity, app-limited bubbles")
    {
    }

  private:
    /**
     * Sends a packet now.
     * \param pn its number
     * \param inFlight bytes in flight before it
     * \return the stamped packet
     */
    QuicSentPacket Send(uint64_t pn, uint32_t inFlight)
    {
        QuicSentPacket p;
        p.packetNumber = pn;
        p.timeSent = Simulator::Now();
        p.size = 1000;
        p.ackEliciting = true;
        p.inFlight = true;
        m_sampler.OnPacketSent(p, inFlight);
        return p;
    }

    /**
     * Acknowledges a packet now.
     * \param p the packet
     */
    void Ack(const QuicSentPacket& p)
    {
        m_sampler.OnPacketAcked(p.size,
                                p.timeSent,
                                p.delivered,
                                p.deliveredTime,
                                p.firstSentTime,
                                p.isAppLimited);
    }

    void DoRun() override
    {
        std::vector<QuicSentPacket> round1;
        std::vector<QuicSentPacket> round2;
        TcpRateOps::TcpRateSample s1;
        TcpRateOps::TcpRateSample s2;
        bool appLimitedStamp = false;
        TcpRateOps::TcpRateSample s4;
        TcpRateOps::TcpRateSample s5;
        // Round 1: 10 packets 1 ms apart from t = 1 s (nothing in flight before).
        for (uint32_t k = 0; k < 10; ++k)
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(k),
                                [this, k, &round1]() { round1.push_back(Send(k, k * 1000)); });
        }
        // Each acknowledged alone, 50 ms after it left. The last ACK: delivered 10 000
        // bytes since p0's stamp (0), send interval 9 ms, ACK interval 59 ms (since the
        // delivered time stamped at the first send): 10 000 B / 59 ms.
        for (uint32_t k = 0; k < 10; ++k)
        {
            Simulator::Schedule(Seconds(1.05) + MilliSeconds(k), [this, k, &round1, &s1]() {
                Ack(round1[k]);
                s1 = m_sampler.GenerateSample(1000, (10 - k) * 1000, MilliSeconds(40));
            });
        }
        // Round 2 after an idle moment: 10 packets 1 ms apart from 1.060 s, then one
        // ACK for all of them at 1.200 s (ACK compression). Delivered 10 000 bytes; send
        // interval 9 ms, ACK interval 140 ms: the rate is 10 000 B / 140 ms, not / 9 ms.
        for (uint32_t k = 0; k < 10; ++k)
        {
            Simulator::Schedule(Seconds(1.06) + MilliSeconds(k),
                                [this, k, &round2]() { round2.push_back(Send(10 + k, k * 1000)); });
        }
        Simulator::Schedule(Seconds(1.2), [this, &round2, &s2]() {
            for (const auto& p : round2)
            {
                Ack(p);
            }
            s2 = m_sampler.GenerateSample(10000, 10000, MilliSeconds(40));
        });
        // App-limited: the sender runs out of data with nothing in flight; the next
        // packet is stamped app-limited and so is its sample; once the bubble (0 bytes in
        // flight at the mark) is delivered, later packets are not.
        Simulator::Schedule(Seconds(1.3), [this, &appLimitedStamp, &s4]() {
            m_sampler.OnApplicationLimited(0);
            QuicSentPacket p = Send(20, 0);
            appLimitedStamp = p.isAppLimited;
            Simulator::Schedule(MilliSeconds(50), [this, p, &s4]() {
                Ack(p);
                s4 = m_sampler.GenerateSample(1000, 1000, MilliSeconds(40));
            });
        });
        Simulator::Schedule(Seconds(1.4), [this, &s5]() {
            QuicSentPacket p = Send(21, 0);
            Simulator::Schedule(MilliSeconds(50), [this, p, &s5]() {
                Ack(p);
                s5 = m_sampler.GenerateSample(1000, 1000, MilliSeconds(40));
            });
        });
        Simulator::Run();
        Simulator::Destroy();

        NS_TEST_ASSERT_MSG_EQ(s1.m_delivered, 10000, "round 1: bytes delivered");
        NS_TEST_ASSERT_MSG_EQ(s1.m_interval, MilliSeconds(59), "round 1: the ACK interval");
        NS_TEST_ASSERT_MSG_EQ(s1.m_deliveryRate.GetBitRate(),
                              static_cast<uint64_t>(10000 * 8 / 0.059),
                              "round 1: rate");
        NS_TEST_ASSERT_MSG_EQ(s2.m_delivered, 10000, "round 2: bytes delivered");
        NS_TEST_ASSERT_MSG_EQ(s2.m_sendElapsed, MilliSeconds(9), "round 2: send interval");
        NS_TEST_ASSERT_MSG_EQ(s2.m_ackElapsed, MilliSeconds(140), "round 2: ACK interval");
        NS_TEST_ASSERT_MSG_EQ(s2.m_interval, MilliSeconds(140), "the longer interval");
        NS_TEST_ASSERT_MSG_EQ(s2.m_deliveryRate.GetBitRate(),
                              static_cast<uint64_t>(10000 * 8 / 0.14),
                              "an ACK-compressed burst does not look fast");
        NS_TEST_ASSERT_MSG_EQ(s2.m_priorInFlight, 10000u, "prior in flight passed through");
        NS_TEST_ASSERT_MSG_EQ(s2.IsValid(), true, "interval above min RTT: valid");
        NS_TEST_ASSERT_MSG_EQ(appLimitedStamp, true, "packet sent in the bubble is marked");
        NS_TEST_ASSERT_MSG_EQ(s4.m_isAppLimited, true, "its sample is app-limited");
        NS_TEST_ASSERT_MSG_EQ(s5.m_isAppLimited, false, "the bubble ended once delivered");
        NS_TEST_ASSERT_MSG_EQ(m_sampler.GetConnectionRate().m_delivered,
                              22000u,
                              "connection delivered count");

        // Validity: a sample shorter than min RTT is discarded.
        QuicRateSampler fresh;
        QuicSentPacket p;
        p.timeSent = Seconds(0);
        p.size = 1000;
        p.inFlight = true;
        Simulator::Schedule(Seconds(1), [&]() {
            p.timeSent = Simulator::Now();
            fresh.OnPacketSent(p, 0);
        });
        TcpRateOps::TcpRateSample shortSample;
        Simulator::Schedule(Seconds(1.01), [&]() {
            fresh.OnPacketAcked(p.size,
                                p.timeSent,
                                p.delivered,
                                p.deliveredTime,
                                p.firstSentTime,
                                p.isAppLimited);
            shortSample = fresh.GenerateSample(1000, 1000, MilliSeconds(40));
        });
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ(shortSample.IsValid(), false, "10 ms interval, 40 ms min RTT");
    }

    QuicRateSampler m_sampler; //!< under test
};

/// Values seen on the trace sources a QuicSocketBase shares with TcpSocketBase.
struct TraceLog
{
    std::vector<Time> rtt;                               //!< RTT
    std::vector<Time> rto;                               //!< RTO
    std::vector<uint32_t> nextTxSeq;                     //!< NextTxSequence
    std::vector<uint32_t> highTxMark;                    //!< HighestSequence
    std::vector<uint64_t> nextPn;                        //!< NextPacketNumber
    std::vector<uint64_t> largestAcked;                  //!< LargestAckedPacketNumber
    std::vector<uint64_t> lost;                          //!< LostPackets
    std::vector<uint32_t> inFlight;                      //!< BytesInFlight
    std::set<TcpSocketState::TcpCongState_t> congStates; //!< CongState values
    bool ecnConnected{false};                            //!< EcnState could be connected

    /**
     * Appends a new value.
     * \tparam T the value type
     * \param v the log
     * \param oldValue old
     * \param newValue new
     */
    template <typename T>
    static void Push(std::vector<T>* v, T oldValue, T newValue)
    {
        v->push_back(newValue);
    }

    /**
     * Appends a sequence number's value.
     * \param v the log
     * \param oldValue old
     * \param newValue new
     */
    static void PushSeq(std::vector<uint32_t>* v,
                        SequenceNumber32 oldValue,
                        SequenceNumber32 newValue)
    {
        v->push_back(newValue.GetValue());
    }

    /**
     * Records a congestion state.
     * \param log the log
     * \param oldValue old
     * \param newValue new
     */
    static void State(TraceLog* log,
                      TcpSocketState::TcpCongState_t oldValue,
                      TcpSocketState::TcpCongState_t newValue)
    {
        log->congStates.insert(newValue);
    }

    /**
     * Connects to a connection.
     * \param s the connection
     */
    void Attach(Ptr<QuicSocketBase> s)
    {
        s->TraceConnectWithoutContext("RTT", MakeBoundCallback(&Push<Time>, &rtt));
        s->TraceConnectWithoutContext("RTO", MakeBoundCallback(&Push<Time>, &rto));
        s->TraceConnectWithoutContext("NextTxSequence", MakeBoundCallback(&PushSeq, &nextTxSeq));
        s->TraceConnectWithoutContext("HighestSequence", MakeBoundCallback(&PushSeq, &highTxMark));
        s->TraceConnectWithoutContext("NextPacketNumber",
                                      MakeBoundCallback(&Push<uint64_t>, &nextPn));
        s->TraceConnectWithoutContext("LargestAckedPacketNumber",
                                      MakeBoundCallback(&Push<uint64_t>, &largestAcked));
        s->TraceConnectWithoutContext("LostPackets", MakeBoundCallback(&Push<uint64_t>, &lost));
        s->TraceConnectWithoutContext("BytesInFlight",
                                      MakeBoundCallback(&Push<uint32_t>, &inFlight));
        s->TraceConnectWithoutContext("CongState", MakeBoundCallback(&State, this));
        ecnConnected = s->TraceConnectWithoutContext(
            "EcnState",
            MakeCallback(+[](TcpSocketState::EcnState_t, TcpSocketState::EcnState_t) {}));
    }
};

/**
 * The trace sources QuicSocketBase shares with TcpSocketBase (names and callback types)
 * report what happened in a lossy transfer.
 */
class QuicBridgeTraceSourcesTestCase : public TestCase
{
  public:
    QuicBridgeTraceSourcesTestCase()
        : TestCase("trace sources on par with TcpSocketBase")
    {
    }

  private:
    void DoRun() override
    {
        TraceLog log;
        BulkParams p;
        p.algorithm = "ns3::TcpNewReno";
        p.bytes = 2000000;
        p.onConnection = [&log](Ptr<QuicSocketBase> s) { log.Attach(s); };
        BulkResult r = RunQuicBulk(p);
        QUIC_TEST_REQUIRE(r.complete, "transfer completes");
        QUIC_TEST_REQUIRE(r.lostPackets > 0, "the 25-packet queue dropped packets");
        NS_TEST_ASSERT_MSG_EQ(log.ecnConnected, true, "EcnState exists with TCP's type");
        // RTT: smoothed RTT, between the path's 40 ms and 40 ms + a full queue (25 x
        // 1.2 ms) + max_ack_delay (25 ms).
        QUIC_TEST_REQUIRE(log.rtt.size() > 100, "RTT reported after ACKs");
        Time lo = *std::min_element(log.rtt.begin(), log.rtt.end());
        Time hi = *std::max_element(log.rtt.begin(), log.rtt.end());
        NS_TEST_ASSERT_MSG_GT_OR_EQ(lo, MilliSeconds(40), "RTT at least the path's");
        NS_TEST_ASSERT_MSG_LT(hi, MilliSeconds(100), "RTT at most path + queue + ack delay");
        QUIC_TEST_REQUIRE(!log.rto.empty(), "RTO reported");
        NS_TEST_ASSERT_MSG_GT(log.rto.back(), log.rtt.back(), "PTO period above smoothed RTT");
        // Sequences: the synthetic byte sequence covers at least the stream bytes and
        // never goes back; HighestSequence equals it (QUIC never resends a packet).
        QUIC_TEST_REQUIRE(!log.nextTxSeq.empty() && !log.highTxMark.empty(), "sequences");
        NS_TEST_ASSERT_MSG_EQ(std::is_sorted(log.nextTxSeq.begin(), log.nextTxSeq.end()),
                              true,
                              "NextTxSequence never goes back");
        NS_TEST_ASSERT_MSG_GT(log.nextTxSeq.back(), p.bytes, "covers the stream bytes");
        NS_TEST_ASSERT_MSG_EQ(log.highTxMark.back(), log.nextTxSeq.back(), "HighestSequence");
        // Packet numbers: increasing; the peer acknowledged nearly all by the end.
        QUIC_TEST_REQUIRE(!log.nextPn.empty() && !log.largestAcked.empty(), "packet numbers");
        NS_TEST_ASSERT_MSG_EQ(std::is_sorted(log.nextPn.begin(), log.nextPn.end()),
                              true,
                              "NextPacketNumber increases");
        NS_TEST_ASSERT_MSG_GT(log.nextPn.back(), p.bytes / kQuicPacketSize, "one per packet");
        NS_TEST_ASSERT_MSG_EQ(std::is_sorted(log.largestAcked.begin(), log.largestAcked.end()),
                              true,
                              "LargestAckedPacketNumber increases");
        NS_TEST_ASSERT_MSG_LT(log.largestAcked.back(), log.nextPn.back(), "acked < sent");
        NS_TEST_ASSERT_MSG_GT(log.largestAcked.back(),
                              log.nextPn.back() * 9 / 10,
                              "nearly everything acknowledged");
        // Losses: the count the trace reports is loss recovery's.
        QUIC_TEST_REQUIRE(!log.lost.empty(), "LostPackets reported");
        NS_TEST_ASSERT_MSG_EQ(log.lost.back(), r.lostPackets, "LostPackets == losses declared");
        // Congestion states: recovery entered and left.
        NS_TEST_ASSERT_MSG_EQ(log.congStates.count(TcpSocketState::CA_RECOVERY),
                              1,
                              "CA_RECOVERY entered");
        NS_TEST_ASSERT_MSG_EQ(log.congStates.count(TcpSocketState::CA_OPEN), 1, "CA_OPEN again");
        // Bytes in flight: never above the largest window.
        QUIC_TEST_REQUIRE(!log.inFlight.empty() && !r.rec.cwnd.empty(), "flight and cwnd");
        uint32_t maxCwnd = 0;
        for (const auto& [when, w] : r.rec.cwnd)
        {
            maxCwnd = std::max(maxCwnd, w);
        }
        NS_TEST_ASSERT_MSG_LT_OR_EQ(*std::max_element(log.inFlight.begin(), log.inFlight.end()),
                                    maxCwnd + kQuicPacketSize,
                                    "BytesInFlight within the window (+ one packet)");
    }
};

/// The suite.
class QuicCongestionBridgeTestSuite : public TestSuite
{
  public:
    QuicCongestionBridgeTestSuite()
        : TestSuite("quic-congestion-bridge", UNIT)
    {
        auto westwood = [](TcpWestwood::ProtocolType t) {
            return [t]() { Config::SetDefault("ns3::TcpWestwood::ProtocolType", EnumValue(t)); };
        };
        // Laws: NewReno/LinuxReno halve the bytes in flight (in flight is cwnd minus
        // the packets just declared lost, hence down to 0.4); Cubic's beta is 0.7,
        // Scalable keeps 7/8, BIC 0.8 (its beta), each ±0.07 for the flight-vs-cwnd
        // difference; Illinois' beta is 1/8..1/2, DCTCP's 1 - alpha/2 with alpha in [0, 1].
        auto law = [](double lo, double hi) { return Expectation{Kind::LAW, lo, hi}; };

        struct Entry
        {
            const char* name;                //!< test name
            const char* quic;                //!< QUIC's algorithm
            const char* tcp;                 //!< TCP's
            Expectation expect;              //!< expectations
            std::function<void()> configure; //!< attributes
        };

        std::vector<Entry> entries = {
            {"TcpNewReno", "ns3::TcpNewReno", "ns3::TcpNewReno", law(0.4, 0.6), nullptr},
            {"TcpLinuxReno", "ns3::TcpLinuxReno", "ns3::TcpLinuxReno", law(0.4, 0.6), nullptr},
            {"QuicCongestionControl",
             "ns3::QuicCongestionControl",
             "ns3::TcpNewReno",
             law(0.4, 0.6),
             nullptr},
            {"TcpCubic", "ns3::TcpCubic", "ns3::TcpCubic", law(0.63, 0.77), nullptr},
            {"TcpScalable", "ns3::TcpScalable", "ns3::TcpScalable", law(0.805, 0.945), nullptr},
            {"TcpBic", "ns3::TcpBic", "ns3::TcpBic", law(0.73, 0.87), nullptr},
            {"TcpHighSpeed", "ns3::TcpHighSpeed", "ns3::TcpHighSpeed", law(-1, -1), nullptr},
            {"TcpHybla", "ns3::TcpHybla", "ns3::TcpHybla", law(-1, -1), nullptr},
            {"TcpVeno", "ns3::TcpVeno", "ns3::TcpVeno", law(-1, -1), nullptr},
            {"TcpYeah", "ns3::TcpYeah", "ns3::TcpYeah", law(-1, -1), nullptr},
            {"TcpHtcp", "ns3::TcpHtcp", "ns3::TcpHtcp", law(-1, -1), nullptr},
            {"TcpLedbat", "ns3::TcpLedbat", "ns3::TcpLedbat", law(-1, -1), nullptr},
            {"TcpWestwood",
             "ns3::TcpWestwood",
             "ns3::TcpWestwood",
             law(-1, -1),
             westwood(TcpWestwood::WESTWOOD)},
            {"TcpWestwood+",
             "ns3::TcpWestwood",
             "ns3::TcpWestwood",
             law(-1, -1),
             westwood(TcpWestwood::WESTWOODPLUS)},
            {"TcpIllinois",
             "ns3::TcpIllinois",
             "ns3::TcpIllinois",
             Expectation{Kind::ADAPTIVE, 0.5, 0.875},
             nullptr},
            {"TcpDctcp",
             "ns3::TcpDctcp",
             "ns3::TcpDctcp",
             Expectation{Kind::ADAPTIVE, 0.5, 1.0},
             nullptr},
            {"TcpVegas", "ns3::TcpVegas", "ns3::TcpVegas", Expectation{Kind::VEGAS}, nullptr},
            {"TcpBbr", "ns3::TcpBbr", "ns3::TcpBbr", Expectation{Kind::BBR}, nullptr},
            {"TcpLp", "ns3::TcpLp", "ns3::TcpLp", Expectation{Kind::LP}, nullptr},
        };
        for (const Entry& e : entries)
        {
            AddTestCase(
                new QuicBridgeAlgorithmTestCase(e.name, e.quic, e.tcp, e.expect, e.configure),
                TestCase::QUICK);
        }
        AddTestCase(new QuicBridgeTraceSourcesTestCase(), TestCase::QUICK);
        AddTestCase(new QuicRateSamplerTestCase(), TestCase::QUICK);
        AddTestCase(new QuicBridgeDctcpEcnTestCase(), TestCase::QUICK);
        AddTestCase(new QuicBridgeRecoveryOpsTestCase("ns3::TcpPrrRecovery"), TestCase::QUICK);
        AddTestCase(new QuicBridgeRecoveryOpsTestCase("ns3::TcpClassicRecovery"), TestCase::QUICK);
        AddTestCase(new QuicBridgeRecoveryOpsTestCase(""), TestCase::QUICK);
    }
};

/// Static instance.
QuicCongestionBridgeTestSuite g_quicCongestionBridgeTestSuite;

} // namespace

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-pacing: with the Pacing attribute on (RFC 9002 §7.7), consecutive data packets
 * leave the sender no closer than their transmission time at the pacing rate in force
 * when the first of them left, and while pacing is what limits the sender they leave
 * exactly that far apart (within 5%). Checked with the rate computed from cwnd / smoothed
 * RTT (TcpNewReno, QuicCongestionControl), with the rate capped by MaxPacingRate, and
 * with the rate TcpBbr sets itself; without pacing the same transfer sends bursts.
 */

#include "quic-cc-test-util.h"
#include "quic-test-utils.h"

#include "ns3/test.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

using namespace ns3;
using namespace ns3::quiccc;

namespace
{

/// Data packets only: ACK-only packets are not paced (RFC 9002 §7.7).
constexpr uint32_t kMinDataPacket = 1000;

/// Inter-departure statistics of one run.
struct GapStats
{
    uint32_t gaps{0};        //!< gaps between consecutive data packets measured
    uint32_t tooShort{0};    //!< gaps shorter than 95% of the pacing interval
    uint32_t matching{0};    //!< gaps within ±5% of the pacing interval
    uint32_t zero{0};        //!< gaps of zero (a burst)
    double worstShort{1};    //!< smallest gap / interval seen
    std::vector<double> abs; //!< every gap (s)
};

/**
 * \param r a run
 * \return the gaps between consecutive data packets, each compared with the
 *         transmission time of the first packet at the pacing rate when it left
 */
GapStats
MeasureGaps(const BulkResult& r)
{
    GapStats g;
    std::vector<std::pair<double, uint32_t>> data;
    for (const auto& tx : r.txTimes)
    {
        if (tx.second >= kMinDataPacket)
        {
            data.push_back(tx);
        }
    }
    std::size_t k = 0; // index in the pacing-rate trace
    uint64_t rate = 0;
    for (std::size_t i = 0; i + 1 < data.size(); ++i)
    {
        while (k < r.rec.pacingRate.size() && r.rec.pacingRate[k].first <= data[i].first)
        {
            rate = r.rec.pacingRate[k].second;
            ++k;
        }
        if (rate == 0)
        {
            continue;
        }
        double interval = data[i].second * 8.0 / rate;
        double gap = data[i + 1].first - data[i].first;
        ++g.gaps;
        g.abs.push_back(gap);
        if (gap == 0)
        {
            ++g.zero;
        }
        if (gap < 0.95 * interval)
        {
            ++g.tooShort;
        }
        if (std::abs(gap / interval - 1) <= 0.05)
        {
            ++g.matching;
        }
        g.worstShort = std::min(g.worstShort, gap / interval);
    }
    return g;
}

/**
 * A paced transfer: the inter-departure time follows the pacing rate.
 */
class QuicPacingRateTestCase : public TestCase
{
  public:
    /**
     * \param name test name
     * \param algorithm congestion control
     * \param minMatching fraction of gaps that must match the pacing interval within 5%
     * \param cap MaxPacingRate (empty: default)
     */
    QuicPacingRateTestCase(const std::string& name,
                           const std::string& algorithm,
                           double minMatching,
                           const std::string& cap = "")
        : TestCase(name),
          m_algorithm(algorithm),
          m_minMatching(minMatching),
          m_cap(cap)
    {
    }

  private:
    void DoRun() override
    {
        BulkParams p;
        p.algorithm = m_algorithm;
        p.bytes = 1500000;
        p.queuePackets = 50;
        p.pacing = true;
        std::string cap = m_cap;
        if (!cap.empty())
        {
            p.configure = [cap]() {
                Config::SetDefault("ns3::QuicSocketBase::MaxPacingRate",
                                   DataRateValue(DataRate(cap)));
            };
        }
        BulkResult r = RunQuicBulk(p);
        QUIC_TEST_REQUIRE(r.complete, "transfer completes");
        NS_TEST_ASSERT_MSG_EQ(r.mismatches, 0, "byte-exact");
        GapStats g = MeasureGaps(r);
        if (std::getenv("QUIC_CC_VERBOSE"))
        {
            std::cout << GetName() << ": gaps=" << g.gaps << " matching=" << g.matching
                      << " tooShort=" << g.tooShort << " zero=" << g.zero
                      << " worst=" << g.worstShort << " t=" << r.completeTime - r.startTime
                      << std::endl;
        }
        QUIC_TEST_REQUIRE(g.gaps > 500, "enough data packets measured");
        // Pacing is never violated: no data packet leaves earlier than 95% of the
        // previous one's transmission time at the pacing rate (5%: the task's tolerance;
        // by construction the pacer is exact to the nanosecond).
        NS_TEST_ASSERT_MSG_EQ(g.tooShort,
                              0,
                              "gaps shorter than the pacing interval (worst ratio " << g.worstShort
                                                                                    << ")");
        NS_TEST_ASSERT_MSG_EQ(g.zero, 0, "no burst of back-to-back data packets");
        // And pacing is what spaces them: the share of gaps equal to the interval within
        // 5% (the others are longer: waiting for the window or for the application).
        double share = double(g.matching) / g.gaps;
        NS_TEST_ASSERT_MSG_GT(share,
                              m_minMatching,
                              "share of gaps matching the pacing interval within 5%");
        if (!m_cap.empty())
        {
            // Capped below the link rate, the sender is pacing-limited throughout: the
            // median gap is one packet's time at the cap.
            std::vector<double> gaps = g.abs;
            std::sort(gaps.begin(), gaps.end());
            double median = gaps[gaps.size() / 2];
            double expected = kQuicPacketSize * 8.0 / DataRate(m_cap).GetBitRate();
            NS_TEST_ASSERT_MSG_LT(std::abs(median / expected - 1),
                                  0.05,
                                  "median inter-departure " << median << " s vs " << expected
                                                            << " s at " << m_cap);
        }
    }

    std::string m_algorithm; //!< congestion control
    double m_minMatching;    //!< required share of matching gaps
    std::string m_cap;       //!< MaxPacingRate
};

/**
 * Without pacing the same transfer leaves in bursts (the control: the measure above can
 * tell paced from unpaced).
 */
class QuicPacingOffTestCase : public TestCase
{
  public:
    QuicPacingOffTestCase()
        : TestCase("without pacing, data leaves in bursts")
    {
    }

  private:
    void DoRun() override
    {
        BulkParams p;
        p.algorithm = "ns3::TcpNewReno";
        p.bytes = 1500000;
        p.queuePackets = 50;
        p.pacing = false;
        BulkResult r = RunQuicBulk(p);
        QUIC_TEST_REQUIRE(r.complete, "transfer completes");
        uint32_t gaps = 0;
        uint32_t zero = 0;
        double last = -1;
        for (const auto& tx : r.txTimes)
        {
            if (tx.second < kMinDataPacket)
            {
                continue;
            }
            if (last >= 0)
            {
                ++gaps;
                zero += tx.first == last ? 1 : 0;
            }
            last = tx.first;
        }
        if (std::getenv("QUIC_CC_VERBOSE"))
        {
            std::cout << GetName() << ": gaps=" << gaps << " zero=" << zero << std::endl;
        }
        QUIC_TEST_REQUIRE(gaps > 500, "enough data packets measured");
        // ACK clocking releases two packets per ACK at once, slow start more.
        NS_TEST_ASSERT_MSG_GT(double(zero) / gaps, 0.3, "back-to-back data packets");
    }
};

/// The suite.
class QuicPacingTestSuite : public TestSuite
{
  public:
    QuicPacingTestSuite()
        : TestSuite("quic-pacing", UNIT)
    {
        // Rate = 1.2 (2 in early slow start) x cwnd / srtt: the window is sent in
        // srtt / 1.2, then the sender waits for ACKs, so most — not all — gaps are
        // pacing gaps.
        AddTestCase(new QuicPacingRateTestCase("TcpNewReno, rate from cwnd and srtt",
                                               "ns3::TcpNewReno",
                                               0.5),
                    TestCase::QUICK);
        AddTestCase(new QuicPacingRateTestCase("QuicCongestionControl, rate from cwnd and srtt",
                                               "ns3::QuicCongestionControl",
                                               0.5),
                    TestCase::QUICK);
        // Capped at half the link rate, pacing limits the sender all the time.
        AddTestCase(new QuicPacingRateTestCase("TcpNewReno, MaxPacingRate 5 Mbps",
                                               "ns3::TcpNewReno",
                                               0.9,
                                               "5Mbps"),
                    TestCase::QUICK);
        // BBR sets the rate itself (CongControl) and paces at ~ the bottleneck rate with
        // a cwnd of 2 BDP: nearly every gap is a pacing gap.
        AddTestCase(
            new QuicPacingRateTestCase("TcpBbr, rate set by the algorithm", "ns3::TcpBbr", 0.7),
            TestCase::QUICK);
        AddTestCase(new QuicPacingOffTestCase(), TestCase::QUICK);
    }
};

/// Static instance.
QuicPacingTestSuite g_quicPacingTestSuite;

} // namespace

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSpuriousLossDetector: lost packet numbers covered by a later ACK range are reported
 * once each; memory stays bounded.
 */

#include "ns3/quic-spurious-loss-detector.h"
#include "ns3/test.h"

#include <memory>
#include <vector>

using namespace ns3;

namespace
{

/**
 * \ingroup quic-test
 * Reports what an ACK range covers, once, and keeps what it does not.
 */
class QuicSpuriousLossReportTestCase : public TestCase
{
  public:
    QuicSpuriousLossReportTestCase()
        : TestCase("lost numbers covered by ACK ranges reported once, the rest kept")
    {
    }

  private:
    void DoRun() override
    {
        QuicSpuriousLossDetector d;
        NS_TEST_ASSERT_MSG_EQ(d.IsEmpty(), true, "empty at first");
        for (uint64_t pn : {5, 6, 7, 10, 12, 13})
        {
            d.OnPacketLost(pn);
        }
        d.OnPacketLost(6); // declared twice: remembered once
        NS_TEST_ASSERT_MSG_EQ(d.GetRememberedCount(), 6u, "six numbers");
        std::vector<uint64_t> got;
        auto collect = [&got](uint64_t pn) { got.push_back(pn); };
        // Counts are taken outside the test macros: they evaluate their arguments again.
        // A range over three spurious losses (5 stays a true loss, never acknowledged).
        uint64_t n = d.OnAckRange(6, 10, collect);
        NS_TEST_EXPECT_MSG_EQ(n, 3u, "6, 7 and 10");
        NS_TEST_EXPECT_MSG_EQ((got == std::vector<uint64_t>{6, 7, 10}), true, "ascending");
        // ACK frames repeat their ranges: nothing is reported twice.
        n = d.OnAckRange(6, 11, collect);
        NS_TEST_EXPECT_MSG_EQ(n, 0u, "already reported");
        NS_TEST_EXPECT_MSG_EQ(d.GetRememberedCount(), 3u, "5, 12, 13 remembered");
        // A range splitting an interval keeps both ends.
        d.OnPacketLost(14);
        d.OnPacketLost(15);
        n = d.OnAckRange(13, 14, collect);
        NS_TEST_EXPECT_MSG_EQ(n, 2u, "13 and 14");
        NS_TEST_EXPECT_MSG_EQ(d.GetRememberedCount(), 3u, "5, 12, 15 remembered");
        n = d.OnAckRange(20, 10, collect);
        NS_TEST_EXPECT_MSG_EQ(n, 0u, "an empty range");
        got.clear();
        n = d.OnAckRange(0, 100, collect);
        NS_TEST_EXPECT_MSG_EQ(n, 3u, "the rest at last");
        NS_TEST_EXPECT_MSG_EQ((got == std::vector<uint64_t>{5, 12, 15}), true, "5, 12, 15");
        NS_TEST_EXPECT_MSG_EQ(d.IsEmpty(), true, "nothing left");
        d.OnPacketLost(40);
        d.Clear();
        NS_TEST_EXPECT_MSG_EQ(d.IsEmpty(), true, "cleared with the space");
        n = d.OnAckRange(0, 100, collect);
        NS_TEST_EXPECT_MSG_EQ(n, 0u, "nothing after Clear");
    }
};

/**
 * \ingroup quic-test
 * At most kMaxIntervals intervals: the oldest losses are forgotten first.
 */
class QuicSpuriousLossBoundTestCase : public TestCase
{
  public:
    QuicSpuriousLossBoundTestCase()
        : TestCase("memory bounded: the oldest intervals forgotten first")
    {
    }

  private:
    void DoRun() override
    {
        QuicSpuriousLossDetector d;
        const uint64_t runs = QuicSpuriousLossDetector::kMaxIntervals + 100;
        for (uint64_t i = 0; i < runs; ++i)
        {
            d.OnPacketLost(3 * i); // disjoint: one interval each
            d.OnPacketLost(3 * i + 1);
        }
        NS_TEST_ASSERT_MSG_EQ(d.GetRememberedCount(),
                              2 * QuicSpuriousLossDetector::kMaxIntervals,
                              "bounded");
        std::vector<uint64_t> got;
        uint64_t n = d.OnAckRange(0, 3 * runs, [&got](uint64_t pn) { got.push_back(pn); });
        NS_TEST_EXPECT_MSG_EQ(n, 2 * QuicSpuriousLossDetector::kMaxIntervals, "what was kept");
        NS_TEST_EXPECT_MSG_EQ(got.front(), 3 * 100, "the 100 oldest runs were forgotten");
        NS_TEST_EXPECT_MSG_EQ(got.back(), 3 * (runs - 1) + 1, "the newest kept");
    }
};

/**
 * \ingroup quic-test
 * The spurious-loss detector's suite.
 */
class QuicSpuriousLossTestSuite : public TestSuite
{
  public:
    QuicSpuriousLossTestSuite()
        : TestSuite("quic-spurious-loss", TestSuite::UNIT)
    {
        // TestSuite takes ownership of the cases (ns-3's API wants raw pointers).
        AddTestCase(std::make_unique<QuicSpuriousLossReportTestCase>().release(), TestCase::QUICK);
        AddTestCase(std::make_unique<QuicSpuriousLossBoundTestCase>().release(), TestCase::QUICK);
    }
};

/// The suite's static instance, registered with ns-3's TestRunner.
QuicSpuriousLossTestSuite g_quicSpuriousLossTestSuite;

} // namespace

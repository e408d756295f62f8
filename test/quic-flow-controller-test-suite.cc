/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicFlowController: credit of one direction of a stream or connection
 * (RFC 9000 §4), with receive-window auto-tuning.
 */

#include "ns3/nstime.h"
#include "ns3/quic-flow-controller.h"
#include "ns3/quic-wire-error.h"
#include "ns3/test.h"

#include <algorithm>
#include <memory>

using namespace ns3;

/**
 * \ingroup quic-test
 * \brief Sender side: limits, decreases ignored, blocked signalled once per limit.
 */
class QuicFlowControllerSenderTestCase : public TestCase
{
  public:
    QuicFlowControllerSenderTestCase()
        : TestCase("sender: limits, decreases ignored, blocked signalled once per limit")
    {
    }

  private:
    void DoRun() override
    {
        QuicFlowController fc;
        NS_TEST_ASSERT_MSG_EQ(fc.GetSendLimit(), 0, "no credit at first");
        NS_TEST_ASSERT_MSG_EQ(fc.IsBlocked(), true, "blocked at 0");
        NS_TEST_ASSERT_MSG_EQ(fc.UpdatePeerLimit(1000), true, "initial limit");
        NS_TEST_ASSERT_MSG_EQ(fc.IsBlocked(), false, "credit");
        fc.OnSent(600);
        NS_TEST_ASSERT_MSG_EQ(fc.GetSendCredit(), 400, "credit left");
        fc.OnSent(300);
        NS_TEST_ASSERT_MSG_EQ(fc.GetSentOffset(), 600, "retransmissions consume nothing");
        NS_TEST_ASSERT_MSG_EQ(fc.UpdatePeerLimit(800), false, "decrease ignored");
        NS_TEST_ASSERT_MSG_EQ(fc.UpdatePeerLimit(1000), false, "same value ignored");
        NS_TEST_ASSERT_MSG_EQ(fc.GetSendLimit(), 1000, "limit kept");
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendBlocked(), false, "not blocked");
        fc.OnSent(1000);
        NS_TEST_ASSERT_MSG_EQ(fc.IsBlocked(), true, "blocked");
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendBlocked(), true, "signal it");
        fc.OnBlockedSent();
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendBlocked(), false, "only once per limit");
        NS_TEST_ASSERT_MSG_EQ(fc.IsBlocked(), true, "still blocked");
        NS_TEST_ASSERT_MSG_EQ(fc.UpdatePeerLimit(1500), true, "raised");
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendBlocked(), false, "credit again");
        fc.OnSent(1500);
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendBlocked(), true, "blocked at the new limit");
    }
};

/**
 * \ingroup quic-test
 * \brief Receiver side: FLOW_CONTROL_ERROR beyond the limit, update at half the window.
 */
class QuicFlowControllerReceiverTestCase : public TestCase
{
  public:
    QuicFlowControllerReceiverTestCase()
        : TestCase("receiver: FLOW_CONTROL_ERROR, update when half the window is consumed")
    {
    }

  private:
    void DoRun() override
    {
        QuicFlowController fc;
        fc.SetReceiveWindow(1000, 8000);
        NS_TEST_ASSERT_MSG_EQ(fc.GetReceiveLimit(), 1000, "initial limit");
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(fc.OnReceived(1000, err), true, "up to the limit");
        NS_TEST_ASSERT_MSG_EQ(fc.OnReceived(1001, err), false, "beyond");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FLOW_CONTROL_ERROR, "error code");
        NS_TEST_ASSERT_MSG_EQ(fc.GetHighestReceived(), 1000, "violation not recorded");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(fc.OnReceived(500, err), true, "lower offsets are fine");
        NS_TEST_ASSERT_MSG_EQ(fc.GetHighestReceived(), 1000, "highest kept");

        fc.OnConsumed(500);
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendUpdate(), false, "exactly half: not yet");
        fc.OnConsumed(1);
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendUpdate(), true, "more than half consumed");
        // First update: no previous update to compare with, the window stays.
        NS_TEST_ASSERT_MSG_EQ(fc.GetNewLimit(Seconds(1), MilliSeconds(100)), 1501, "501 + 1000");
        NS_TEST_ASSERT_MSG_EQ(fc.GetReceiveLimit(), 1501, "committed");
        NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendUpdate(), false, "just updated");
        NS_TEST_ASSERT_MSG_EQ(fc.OnReceived(1501, err), true, "new credit usable");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::NO_ERROR, "no error");
    }
};

/**
 * \ingroup quic-test
 * \brief Auto-tuning doubles the window when updates come faster than 2 RTTs,
 * never beyond the maximum, and not when they are slow.
 */
class QuicFlowControllerAutoTuneTestCase : public TestCase
{
  public:
    QuicFlowControllerAutoTuneTestCase()
        : TestCase("receiver: auto-tuning doubles the window and caps it")
    {
    }

  private:
    void DoRun() override
    {
        QuicFlowController fc;
        fc.SetReceiveWindow(1000, 5000);
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        Time rtt = MilliSeconds(100);
        Time now = Seconds(1);
        uint64_t expectedWindows[] = {1000, 2000, 4000, 5000, 5000};
        for (uint64_t expected : expectedWindows)
        {
            // The application drains the whole window within one RTT.
            fc.OnReceived(fc.GetReceiveLimit(), err);
            fc.OnConsumed(fc.GetReceiveLimit() - fc.GetConsumed());
            NS_TEST_ASSERT_MSG_EQ(fc.ShouldSendUpdate(), true, "update due");
            uint64_t limit = fc.GetNewLimit(now, rtt);
            NS_TEST_ASSERT_MSG_EQ(fc.GetReceiveWindow(), expected, "window");
            NS_TEST_ASSERT_MSG_EQ(limit, fc.GetConsumed() + expected, "limit = consumed + window");
            now += MilliSeconds(50);
        }
        NS_TEST_ASSERT_MSG_EQ(fc.GetWindowIncreases(), 3, "1000 -> 2000 -> 4000 -> 5000");

        // Slow updates (3 RTTs apart) keep the window.
        QuicFlowController slow;
        slow.SetReceiveWindow(1000, 5000);
        now = Seconds(1);
        for (int i = 0; i < 4; ++i)
        {
            slow.OnReceived(slow.GetReceiveLimit(), err);
            slow.OnConsumed(slow.GetReceiveLimit() - slow.GetConsumed());
            slow.GetNewLimit(now, rtt);
            now += MilliSeconds(300);
        }
        NS_TEST_ASSERT_MSG_EQ(slow.GetReceiveWindow(), 1000, "no increase");
        NS_TEST_ASSERT_MSG_EQ(slow.GetWindowIncreases(), 0, "no increase counted");

        // EnsureWindowAtLeast (connection window follows the stream windows), capped.
        slow.EnsureWindowAtLeast(3000);
        NS_TEST_ASSERT_MSG_EQ(slow.GetReceiveWindow(), 3000, "raised");
        slow.EnsureWindowAtLeast(100000);
        NS_TEST_ASSERT_MSG_EQ(slow.GetReceiveWindow(), 5000, "capped");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::NO_ERROR, "no error");
    }
};

/**
 * \ingroup quic-test
 * \brief A long transfer through sender and receiver controllers never stalls:
 * every time the sender is blocked, the reader's consumption produces an update.
 */
class QuicFlowControllerNoStallTestCase : public TestCase
{
  public:
    QuicFlowControllerNoStallTestCase()
        : TestCase("sender + receiver: a 64 MiB transfer never stalls")
    {
    }

  private:
    void DoRun() override
    {
        QuicFlowController send;
        QuicFlowController recv;
        recv.SetReceiveWindow(16 * 1024, 1024 * 1024);
        send.UpdatePeerLimit(recv.GetReceiveLimit());
        const uint64_t total = 64 * 1024 * 1024;
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        Time now = Seconds(0);
        uint64_t rounds = 0;
        bool ok = true;
        while (recv.GetConsumed() < total && rounds < 1000000)
        {
            ++rounds;
            now += MicroSeconds(100);
            // The sender sends what it may, in 1200-byte frames.
            while (send.GetSendCredit() > 0 && send.GetSentOffset() < total)
            {
                uint64_t n =
                    std::min<uint64_t>({1200, send.GetSendCredit(), total - send.GetSentOffset()});
                send.OnSent(send.GetSentOffset() + n);
                ok = recv.OnReceived(send.GetSentOffset(), err) && ok;
            }
            // The reader reads everything, and updates go back.
            recv.OnConsumed(recv.GetHighestReceived() - recv.GetConsumed());
            if (recv.ShouldSendUpdate())
            {
                send.UpdatePeerLimit(recv.GetNewLimit(now, MilliSeconds(10)));
            }
        }
        NS_TEST_ASSERT_MSG_EQ(ok, true, "no violation");
        NS_TEST_ASSERT_MSG_EQ(recv.GetConsumed(), total, "everything transferred");
        NS_TEST_ASSERT_MSG_EQ(recv.GetReceiveWindow(), 1024 * 1024, "window grew to the max");
    }
};

/**
 * \ingroup quic-test
 * \brief The quic-flow-controller suite.
 */
class QuicFlowControllerTestSuite : public TestSuite
{
  public:
    QuicFlowControllerTestSuite()
        : TestSuite("quic-flow-controller", TestSuite::Type::UNIT)
    {
        // TestSuite takes ownership of the cases (ns-3's API wants raw pointers).
        AddTestCase(std::make_unique<QuicFlowControllerSenderTestCase>().release());
        AddTestCase(std::make_unique<QuicFlowControllerReceiverTestCase>().release());
        AddTestCase(std::make_unique<QuicFlowControllerAutoTuneTestCase>().release());
        AddTestCase(std::make_unique<QuicFlowControllerNoStallTestCase>().release());
    }
};

/// The suite's static instance, registered with ns-3's TestRunner.
static QuicFlowControllerTestSuite g_quicFlowControllerTestSuite;

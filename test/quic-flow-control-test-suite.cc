/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-flow-control: stream and connection flow control of whole QUIC connections
 * (RFC 9000 §4). A sender must never exceed the limits its peer advertised — checked
 * twice, from every STREAM frame the sender puts on the wire against the limits it had
 * received, and from every STREAM frame the receiver processes against the limits it had
 * advertised; a blocked sender says so (DATA_BLOCKED, STREAM_DATA_BLOCKED); a slow reader
 * keeps the windows small, a fast one makes them grow (auto-tuning); transfers stay
 * byte-exact.
 */

#include "quic-connection-test-util.h"

#include "ns3/test.h"

#include <sstream>

using namespace ns3;
using namespace ns3::quicconn;

namespace
{

/// One flow-controlled transfer, client to server.
struct FcParams
{
    std::string rate{"100Mbps"};  //!< link rate
    std::string delay{"10ms"};    //!< one-way delay
    uint32_t streams{1};          //!< client bidi streams 0, 4, ...
    uint64_t bytesPerStream{0};   //!< bytes on each
    uint32_t streamWindow{0};     //!< server StreamRcvBufSize (0: default)
    uint64_t connectionWindow{0}; //!< server InitialMaxData (0: default)
    Time readPeriod{Seconds(0)};  //!< server reads every period (0: at once)
    uint32_t readMax{0};          //!< at most this much per period (0: all)
    Time limit{Seconds(60)};      //!< simulated time limit
};

/// What happened.
struct FcResult
{
    bool complete{false};         //!< every byte read
    uint64_t mismatches{0};       //!< wrong bytes
    uint64_t bytesRead{0};        //!< bytes read in total
    Time firstByte{Seconds(-1)};  //!< first byte read
    Time completeAt{Seconds(-1)}; //!< last byte read
    uint64_t closeCode{0};        //!< server's close code
    uint32_t errorCloses{0};      //!< error closes (both)
    // Sender's view (its Tx trace against the limits it received).
    uint64_t streamFramesSent{0};       //!< STREAM frames sent
    uint32_t senderStreamViolations{0}; //!< STREAM frames beyond the stream limit known
    uint32_t senderConnViolations{0};   //!< new bytes beyond the connection limit known
    uint32_t atStreamLimit{0};          //!< frames that reached the stream limit exactly
    uint32_t atConnLimit{0};            //!< frames that reached the connection limit exactly
    uint32_t streamDataBlockedSent{0};  //!< STREAM_DATA_BLOCKED frames sent
    uint32_t dataBlockedSent{0};        //!< DATA_BLOCKED frames sent
    uint32_t blockedWrongLimit{0};      //!< blocked frames not carrying the limit in force
    uint32_t maxDataReceived{0};        //!< MAX_DATA frames the client processed
    uint32_t maxStreamDataReceived{0};  //!< MAX_STREAM_DATA frames the client processed
    // Receiver's view (each STREAM frame against the limits it had advertised).
    uint32_t receiverViolations{0};       //!< frames beyond an advertised limit
    uint32_t streamDataBlockedSeen{0};    //!< STREAM_DATA_BLOCKED processed
    uint32_t dataBlockedSeen{0};          //!< DATA_BLOCKED processed
    uint64_t initialStreamWindow{0};      //!< stream window at the start
    uint64_t maxStreamWindow{0};          //!< largest stream receive window seen
    uint64_t initialConnWindow{0};        //!< connection window at the start
    uint64_t maxConnWindow{0};            //!< largest connection receive window seen
    uint32_t streamWindowIncreases{0};    //!< auto-tuning steps of stream 0
    uint64_t maxStreamLimitAdvertised{0}; //!< largest MAX_STREAM_DATA value of stream 0
};

/// \return goodput in Mbit/s
double
GoodputMbps(const FcResult& r)
{
    double s = (r.completeAt - r.firstByte).GetSeconds();
    return s > 0 ? r.bytesRead * 8.0 / s / 1e6 : 0;
}

/**
 * Runs one transfer and watches flow control from both ends.
 * \param p the transfer
 * \return what happened
 */
FcResult
RunFc(const FcParams& p)
{
    ResetSimulation();
    Topology t = MakeTopology(false, p.rate, p.delay);
    Ptr<PatternApp> client = CreateObject<PatternApp>();
    Ptr<PatternApp> server = CreateObject<PatternApp>();
    client->Setup(t.serverAddress, false);
    server->Setup(t.anyAddress, true);
    client->SetSendSeed(5);
    server->SetRecvSeed(5);
    client->SetMaxChunk(16000);
    std::vector<PatternApp::Flow> plan;
    std::map<uint64_t, uint64_t> expected;
    for (uint32_t i = 0; i < p.streams; ++i)
    {
        plan.push_back({uint64_t(i) << 2, p.bytesPerStream});
        expected[uint64_t(i) << 2] = p.bytesPerStream;
    }
    client->SetPlan(plan);
    server->SetExpected(expected);
    if (!p.readPeriod.IsZero())
    {
        server->SetSlowReader(p.readPeriod, p.readMax);
    }

    FcResult r;
    // --- sender's view ---
    std::map<uint64_t, uint64_t> knownStreamLimit; // from TPs and MAX_STREAM_DATA
    uint64_t knownConnLimit = 0;                   // from TPs and MAX_DATA
    bool tpRead = false;
    std::map<uint64_t, uint64_t> highestSent;
    uint64_t connSent = 0;
    Ptr<QuicSocketBase> clientConn;
    auto readPeerTp = [&]() {
        if (!tpRead && clientConn &&
            !clientConn->GetPeerTransportParameters().GetParameters().empty())
        {
            const QuicTransportParameters& tp = clientConn->GetPeerTransportParameters();
            knownConnLimit = std::max(knownConnLimit, tp.GetInitialMaxData());
            for (uint32_t i = 0; i < p.streams; ++i)
            {
                uint64_t& l = knownStreamLimit[uint64_t(i) << 2];
                l = std::max(l, tp.GetInitialMaxStreamDataBidiRemote());
            }
            tpRead = true;
        }
    };
    auto clientTx = std::make_shared<TxFrameLog>();
    clientTx->SetStore(false);
    clientTx->SetOnFrame([&](const SeenFrame& sf) {
        readPeerTp();
        const QuicSubheader& f = sf.frame;
        uint64_t type = f.GetFrameType();
        if (QuicSubheader::IsStream(type))
        {
            ++r.streamFramesSent;
            uint64_t id = f.GetStreamId();
            uint64_t end = f.GetOffset() + f.GetDataLength();
            if (end > knownStreamLimit[id])
            {
                ++r.senderStreamViolations;
            }
            if (end == knownStreamLimit[id])
            {
                ++r.atStreamLimit;
            }
            uint64_t& h = highestSent[id];
            if (end > h)
            {
                connSent += end - h;
                h = end;
                if (connSent > knownConnLimit)
                {
                    ++r.senderConnViolations;
                }
                if (connSent == knownConnLimit)
                {
                    ++r.atConnLimit;
                }
            }
        }
        else if (type == QuicSubheader::STREAM_DATA_BLOCKED)
        {
            ++r.streamDataBlockedSent;
            if (f.GetMaximumStreamData() != knownStreamLimit[f.GetStreamId()])
            {
                ++r.blockedWrongLimit;
            }
        }
        else if (type == QuicSubheader::DATA_BLOCKED)
        {
            ++r.dataBlockedSent;
            if (f.GetMaximumData() != knownConnLimit)
            {
                ++r.blockedWrongLimit;
            }
        }
    });
    client->SetConfigure([&](Ptr<QuicSocketBase> s) {
        clientConn = s;
        clientTx->Attach(s);
        ObserveProcessedFrames(s, [&](QuicSocketBase&, const QuicSubheader& f) {
            readPeerTp();
            if (f.GetFrameType() == QuicSubheader::MAX_DATA)
            {
                ++r.maxDataReceived;
                knownConnLimit = std::max(knownConnLimit, f.GetMaximumData());
            }
            else if (f.GetFrameType() == QuicSubheader::MAX_STREAM_DATA)
            {
                ++r.maxStreamDataReceived;
                uint64_t& l = knownStreamLimit[f.GetStreamId()];
                l = std::max(l, f.GetMaximumStreamData());
            }
        });
    });

    // --- receiver's view ---
    server->SetConfigure([&](Ptr<QuicSocketBase> s) {
        if (p.streamWindow > 0)
        {
            s->SetAttribute("StreamRcvBufSize", UintegerValue(p.streamWindow));
        }
        if (p.connectionWindow > 0)
        {
            s->SetAttribute("InitialMaxData", UintegerValue(p.connectionWindow));
        }
        ObserveProcessedFrames(s, [&](QuicSocketBase& c, const QuicSubheader& f) {
            uint64_t type = f.GetFrameType();
            if (type == QuicSubheader::STREAM_DATA_BLOCKED)
            {
                ++r.streamDataBlockedSeen;
            }
            else if (type == QuicSubheader::DATA_BLOCKED)
            {
                ++r.dataBlockedSeen;
            }
            if (!QuicSubheader::IsStream(type))
            {
                return;
            }
            uint64_t end = f.GetOffset() + f.GetDataLength();
            const QuicTransportParameters& tp = c.GetLocalTransportParameters();
            Ptr<QuicStreamBase> st = c.GetL5()->GetStream(f.GetStreamId());
            uint64_t streamLimit = st ? st->GetReceiveFlowControl().GetReceiveLimit()
                                      : tp.GetInitialMaxStreamDataBidiRemote();
            uint64_t streamHighest = st ? st->GetReceiveFlowControl().GetHighestReceived() : 0;
            const QuicFlowController& conn = c.GetL5()->GetConnectionReceiveFlowControl();
            uint64_t connAfter =
                conn.GetHighestReceived() + (end > streamHighest ? end - streamHighest : 0);
            if (end > streamLimit || connAfter > conn.GetReceiveLimit())
            {
                ++r.receiverViolations;
            }
        });
    });
    // Windows of the server's stream 0 and of its connection, sampled.
    std::function<void()> sample = [&]() {
        Ptr<QuicSocketBase> s = server->GetConnection();
        if (s)
        {
            const QuicFlowController& conn = s->GetL5()->GetConnectionReceiveFlowControl();
            if (r.initialConnWindow == 0)
            {
                r.initialConnWindow = conn.GetReceiveWindow();
            }
            r.maxConnWindow = std::max(r.maxConnWindow, conn.GetReceiveWindow());
            Ptr<QuicStreamBase> st = s->GetL5()->GetStream(0);
            if (st)
            {
                QuicFlowController& fc = st->GetReceiveFlowControl();
                if (r.initialStreamWindow == 0)
                {
                    r.initialStreamWindow = fc.GetReceiveWindow();
                }
                r.maxStreamWindow = std::max(r.maxStreamWindow, fc.GetReceiveWindow());
                r.streamWindowIncreases = fc.GetWindowIncreases();
                r.maxStreamLimitAdvertised =
                    std::max(r.maxStreamLimitAdvertised, fc.GetReceiveLimit());
            }
        }
        Simulator::Schedule(MilliSeconds(5), sample);
    };
    Simulator::Schedule(MilliSeconds(1), sample);
    server->SetOnComplete([]() { Simulator::Stop(Seconds(1)); });

    t.nodes.Get(0)->AddApplication(client);
    t.nodes.Get(1)->AddApplication(server);
    client->SetStartTime(Seconds(0));
    server->SetStartTime(Seconds(0));
    Simulator::Stop(p.limit);
    Simulator::Run();

    r.complete = server->IsComplete();
    for (const auto& kv : server->GetRecords())
    {
        r.mismatches += kv.second.mismatches;
        r.bytesRead += kv.second.bytes;
        if (r.firstByte.IsNegative() ||
            (!kv.second.firstByte.IsNegative() && kv.second.firstByte < r.firstByte))
        {
            r.firstByte = kv.second.firstByte;
        }
        r.completeAt = std::max(r.completeAt, kv.second.complete);
    }
    r.errorCloses = client->GetErrorCloses() + server->GetErrorCloses();
    if (server->GetConnection())
    {
        r.closeCode = server->GetConnection()->GetCloseErrorCode();
    }
    clientConn = nullptr;
    Simulator::Destroy();
    return r;
}

/**
 * \brief Base of the flow-control cases: the transfer completes byte-exact and no
 * STREAM frame ever exceeded a limit, from either end's point of view.
 */
class QuicFcTestCase : public TestCase
{
  public:
    /**
     * \param name the name
     * \param p the transfer
     */
    QuicFcTestCase(const std::string& name, FcParams p)
        : TestCase(name),
          m_p(std::move(p))
    {
    }

  protected:
    void DoRun() override
    {
        m_r = RunFc(m_p);
        const FcResult& r = m_r;
        NS_TEST_ASSERT_MSG_EQ(r.complete, true, "every byte read");
        NS_TEST_ASSERT_MSG_EQ(r.bytesRead, m_p.bytesPerStream * m_p.streams, "exact count");
        NS_TEST_ASSERT_MSG_EQ(r.mismatches, 0, "content");
        NS_TEST_ASSERT_MSG_EQ(r.closeCode, 0, "no FLOW_CONTROL_ERROR or other close");
        NS_TEST_ASSERT_MSG_EQ(r.errorCloses, 0, "no error close");
        NS_TEST_ASSERT_MSG_GT(r.streamFramesSent, 0, "STREAM frames seen on the wire");
        NS_TEST_ASSERT_MSG_EQ(r.senderStreamViolations,
                              0,
                              "no STREAM frame beyond the stream limit the sender knew");
        NS_TEST_ASSERT_MSG_EQ(r.senderConnViolations,
                              0,
                              "no new byte beyond the connection limit the sender knew");
        NS_TEST_ASSERT_MSG_EQ(r.receiverViolations,
                              0,
                              "no STREAM frame beyond the limits the receiver advertised");
        NS_TEST_ASSERT_MSG_EQ(r.blockedWrongLimit, 0, "blocked frames carry the limit in force");
        CheckMore();
    }

    /// Case-specific checks.
    virtual void CheckMore() = 0;

    FcParams m_p; //!< the transfer
    FcResult m_r; //!< its result
};

/**
 * \brief A reader that reads every 100 ms behind 16 kB windows: the sender fills the
 * stream window exactly, says STREAM_DATA_BLOCKED, waits for MAX_STREAM_DATA; the
 * windows do not grow (updates are far apart).
 */
class QuicFcSlowReaderTestCase : public QuicFcTestCase
{
  public:
    QuicFcSlowReaderTestCase()
        : QuicFcTestCase("slow reader (every 100 ms), 16 kB windows: limits honoured, "
                         "STREAM_DATA_BLOCKED, windows stay small",
                         Params())
    {
    }

  private:
    /// \return the transfer
    static FcParams Params()
    {
        FcParams p;
        p.bytesPerStream = 400000;
        p.streamWindow = 16384;
        p.connectionWindow = 16384;
        p.readPeriod = MilliSeconds(100);
        return p;
    }

    void CheckMore() override
    {
        const FcResult& r = m_r;
        NS_TEST_ASSERT_MSG_EQ(r.initialStreamWindow, 16384, "16 kB stream window");
        NS_TEST_ASSERT_MSG_GT(r.atStreamLimit, 10, "sender used the whole window, again and again");
        NS_TEST_ASSERT_MSG_GT(r.streamDataBlockedSent, 0, "sender sent STREAM_DATA_BLOCKED");
        NS_TEST_ASSERT_MSG_GT(r.streamDataBlockedSeen, 0, "receiver got STREAM_DATA_BLOCKED");
        NS_TEST_ASSERT_MSG_GT(r.maxStreamDataReceived, 10, "credit came with MAX_STREAM_DATA");
        NS_TEST_ASSERT_MSG_EQ(r.streamWindowIncreases, 0, "no auto-tuning for a slow reader");
        NS_TEST_ASSERT_MSG_EQ(r.maxStreamWindow, 16384, "stream window stays 16 kB");
        // The reader, not the 100 Mbps link, sets the pace: at most a window (16 kB) per
        // 100 ms, 1.3 Mbit/s; at least half a window per read (the update is committed
        // as soon as half the window is consumed), 0.65 Mbit/s.
        NS_TEST_ASSERT_MSG_LT(GoodputMbps(r), 1.4, "reader-limited goodput");
        NS_TEST_ASSERT_MSG_GT(GoodputMbps(r), 0.6, "but not stalled");
    }
};

/**
 * \brief Four streams behind a 16 kB connection window (16 kB stream windows): the
 * connection limit binds, the sender says DATA_BLOCKED and gets MAX_DATA.
 */
class QuicFcConnectionLimitTestCase : public QuicFcTestCase
{
  public:
    QuicFcConnectionLimitTestCase()
        : QuicFcTestCase("connection window binds (4 streams, 16 kB InitialMaxData): "
                         "DATA_BLOCKED, MAX_DATA",
                         Params())
    {
    }

  private:
    /// \return the transfer
    static FcParams Params()
    {
        FcParams p;
        p.streams = 4;
        p.bytesPerStream = 100000;
        p.streamWindow = 16384;
        p.connectionWindow = 16384;
        p.readPeriod = MilliSeconds(100);
        return p;
    }

    void CheckMore() override
    {
        const FcResult& r = m_r;
        NS_TEST_ASSERT_MSG_EQ(r.initialConnWindow, 16384, "16 kB connection window at first");
        NS_TEST_ASSERT_MSG_GT(r.atConnLimit, 0, "sender reached the connection limit exactly");
        NS_TEST_ASSERT_MSG_GT(r.dataBlockedSent, 0, "sender sent DATA_BLOCKED");
        NS_TEST_ASSERT_MSG_GT(r.dataBlockedSeen, 0, "receiver got DATA_BLOCKED");
        NS_TEST_ASSERT_MSG_GT(r.maxDataReceived, 0, "credit came with MAX_DATA");
    }
};

/**
 * \brief A reader that reads at once behind 16 kB initial windows on a 100 Mbps, 20 ms
 * RTT path: auto-tuning grows the windows (16 kB per RTT would cap goodput at 6.5 Mbit/s).
 */
class QuicFcAutoTuningTestCase : public QuicFcTestCase
{
  public:
    QuicFcAutoTuningTestCase()
        : QuicFcTestCase("fast reader, 16 kB initial windows: auto-tuning grows them", Params())
    {
    }

  private:
    /// \return the transfer
    static FcParams Params()
    {
        FcParams p;
        p.bytesPerStream = 5000000;
        p.streamWindow = 16384;
        p.connectionWindow = 16384;
        return p;
    }

    void CheckMore() override
    {
        const FcResult& r = m_r;
        NS_TEST_ASSERT_MSG_EQ(r.initialStreamWindow, 16384, "16 kB at first");
        NS_TEST_ASSERT_MSG_GT(r.streamWindowIncreases, 0, "stream window auto-tuned");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(r.maxStreamWindow, 8 * 16384, "stream window grew 8x or more");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(r.maxStreamWindow, 16 * 16384, "within its 16x cap");
        NS_TEST_ASSERT_MSG_GT(r.maxConnWindow, r.initialConnWindow, "connection window grew");
        NS_TEST_ASSERT_MSG_GT(GoodputMbps(r), 20, "far above what 16 kB windows allow");
    }
};

/**
 * \brief A large transfer on a fast path with the default windows: byte-exact, limits
 * honoured, the stream window grows towards the bandwidth-delay product.
 */
class QuicFcLargeTestCase : public QuicFcTestCase
{
  public:
    /**
     * \param bytes transfer size
     * \param rate link rate
     */
    QuicFcLargeTestCase(uint64_t bytes, const std::string& rate)
        : QuicFcTestCase(std::to_string(bytes / 1000000) + " MB at " + rate +
                             ", default windows: byte-exact, limits honoured, windows grow",
                         Params(bytes, rate))
    {
    }

  private:
    /**
     * \param bytes size
     * \param rate rate
     * \return the transfer
     */
    static FcParams Params(uint64_t bytes, const std::string& rate)
    {
        FcParams p;
        p.rate = rate;
        p.delay = "5ms";
        p.bytesPerStream = bytes;
        p.limit = Seconds(120);
        return p;
    }

    void CheckMore() override
    {
        const FcResult& r = m_r;
        NS_TEST_ASSERT_MSG_GT(r.maxStreamDataReceived, 0, "credit updates flowed");
        NS_TEST_ASSERT_MSG_GT(r.maxStreamWindow, r.initialStreamWindow, "stream window grew");
        NS_TEST_ASSERT_MSG_GT(r.maxStreamLimitAdvertised,
                              r.initialStreamWindow,
                              "limit advertised beyond the first window");
    }
};

} // namespace

/**
 * \ingroup quic-test
 * The quic-flow-control suite.
 */
class QuicFlowControlTestSuite : public TestSuite
{
  public:
    QuicFlowControlTestSuite()
        : TestSuite("quic-flow-control", UNIT)
    {
        AddTestCase(new QuicFcSlowReaderTestCase, QUICK);
        AddTestCase(new QuicFcConnectionLimitTestCase, QUICK);
        AddTestCase(new QuicFcAutoTuningTestCase, QUICK);
        AddTestCase(new QuicFcLargeTestCase(20000000, "1Gbps"), QUICK);
        AddTestCase(new QuicFcLargeTestCase(200000000, "1Gbps"), EXTENSIVE);
    }
};

/// The suite's instance.
static QuicFlowControlTestSuite g_quicFlowControlTestSuite;

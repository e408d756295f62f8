/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-stream: streams of a whole QUIC connection (RFC 9000 §2-4) — ids and kinds,
 * implicit opening, MAX_STREAMS limits and STREAMS_BLOCKED, RESET_STREAM and
 * STOP_SENDING, round-robin and priority scheduling.
 */

#include "quic-connection-test-util.h"

#include "ns3/boolean.h"
#include "ns3/test.h"

#include <sstream>

using namespace ns3;
using namespace ns3::quicconn;

namespace
{

constexpr uint32_t kClientSeed = 11; //!< pattern the client writes
constexpr uint32_t kServerSeed = 22; //!< pattern the server writes

/**
 * Writes `len` pattern bytes at `offset` of a stream.
 * \param s the connection
 * \param stream the stream
 * \param offset stream offset of the first byte
 * \param len bytes
 * \param seed the pattern seed
 * \return Send()'s result
 */
int
SendPattern(Ptr<QuicSocketBase> s, uint64_t stream, uint64_t offset, uint32_t len, uint32_t seed)
{
    std::vector<uint8_t> buf(len);
    FillPattern(seed, stream, offset, buf.data(), len);
    return s->Send(Create<Packet>(buf.data(), len), static_cast<uint32_t>(stream));
}

/**
 * Ends the sending part of one stream with FIN. The socket API has no per-stream FIN
 * (ShutdownSend and Close finish every stream), so the test reaches the stream.
 * \param s the connection
 * \param stream the stream
 */
void
FinishStream(Ptr<QuicSocketBase> s, uint64_t stream)
{
    Ptr<QuicStreamBase> st = s->GetL5()->GetStream(stream);
    NS_ABORT_MSG_UNLESS(st, "no stream " << stream);
    st->GetTxBuffer()->Finish();
    s->NotifyStreamDataReady();
}

/**
 * Calls `action` once `cond` holds, checking every `period`.
 * \param cond the condition
 * \param action what to do
 * \param period how often to check
 */
void
WhenTrue(std::function<bool()> cond, std::function<void()> action, Time period = MilliSeconds(1))
{
    if (cond())
    {
        action();
        return;
    }
    Simulator::Schedule(period, &WhenTrue, cond, action, period);
}

/// Calls Simulator::Destroy() when the test returns, early (a failed assertion) or not.
struct DestroyAtExit
{
    ~DestroyAtExit()
    {
        Simulator::Destroy();
    }
};

/// A client and a server PatternApp on a fresh two-node network.
struct Pair
{
    Topology t;             //!< network
    Ptr<PatternApp> client; //!< client
    Ptr<PatternApp> server; //!< server
};

/**
 * \param ipv6 IPv6
 * \param rate link rate
 * \param delay one-way delay
 * \return the two applications, installed and starting at t=0
 */
Pair
MakePair(bool ipv6 = false, const std::string& rate = "100Mbps", const std::string& delay = "10ms")
{
    ResetSimulation();
    Pair p;
    p.t = MakeTopology(ipv6, rate, delay);
    p.client = CreateObject<PatternApp>();
    p.server = CreateObject<PatternApp>();
    p.client->Setup(p.t.serverAddress, false);
    p.server->Setup(p.t.anyAddress, true);
    p.client->SetSendSeed(kClientSeed);
    p.server->SetRecvSeed(kClientSeed);
    p.server->SetSendSeed(kServerSeed);
    p.client->SetRecvSeed(kServerSeed);
    p.t.nodes.Get(0)->AddApplication(p.client);
    p.t.nodes.Get(1)->AddApplication(p.server);
    p.client->SetStartTime(Seconds(0));
    p.server->SetStartTime(Seconds(0));
    return p;
}

// --- ids and kinds ---------------------------------------------------------------------------

/// Expected properties of a stream seen from one endpoint.
struct Kind
{
    uint64_t id;     //!< stream id
    bool bidi;       //!< bidirectional
    bool local;      //!< opened by this endpoint
    bool canSend;    //!< has a sending part
    bool canReceive; //!< has a receiving part
};

/**
 * \brief Stream ids and kinds: client/server, bidirectional/unidirectional streams carry
 * their data; each end classifies every id as RFC 9000 §2.1 says; nobody may send on the
 * other's unidirectional streams or on streams the peer has not opened.
 */
class QuicStreamKindsTestCase : public TestCase
{
  public:
    QuicStreamKindsTestCase()
        : TestCase("stream ids and kinds: client and server, bidi and uni, who may send on which")
    {
    }

  private:
    void DoRun() override
    {
        DestroyAtExit destroy;
        Pair p = MakePair();
        // Client: bidi 0, 4, 8 and uni 2, 6. Server: bidi 1, 5 and uni 3.
        p.client->SetPlan({{0, 5000}, {4, 5001}, {8, 5002}, {2, 3000}, {6, 3001}});
        p.server->SetExpected({{0, 5000}, {4, 5001}, {8, 5002}, {2, 3000}, {6, 3001}, {1, 700}});
        p.server->SetPlan({{1, 4000}, {5, 4001}, {3, 2000}});
        p.client->SetExpected({{1, 4000}, {5, 4001}, {3, 2000}});

        int clientOnPeerUni = 0;
        Socket::SocketErrno clientOnPeerUniErr = Socket::ERROR_NOTERROR;
        int serverOnPeerUni = 0;
        Socket::SocketErrno serverOnPeerUniErr = Socket::ERROR_NOTERROR;
        int clientOnUnopened = 0;
        Socket::SocketErrno clientOnUnopenedErr = Socket::ERROR_NOTERROR;
        int serverOnUnopened = 0;
        Socket::SocketErrno serverOnUnopenedErr = Socket::ERROR_NOTERROR;
        int clientOnServerBidi = 0;
        std::vector<Kind> clientKinds{{0, true, true, true, true},
                                      {4, true, true, true, true},
                                      {8, true, true, true, true},
                                      {2, false, true, true, false},
                                      {6, false, true, true, false},
                                      {1, true, false, true, true},
                                      {5, true, false, true, true},
                                      {3, false, false, false, true}};
        std::vector<Kind> serverKinds;
        for (const Kind& k : clientKinds)
        {
            serverKinds.push_back({k.id, k.bidi, !k.local, k.bidi || !k.local, k.bidi || k.local});
        }
        std::map<uint64_t, bool> clientHas;
        std::map<uint64_t, bool> serverHas;
        auto checkKinds =
            [this](Ptr<QuicSocketBase> s, const std::vector<Kind>& kinds, const std::string& who) {
                for (const Kind& k : kinds)
                {
                    Ptr<QuicStreamBase> st = s->GetL5()->GetStream(k.id);
                    std::ostringstream m;
                    m << who << " stream " << k.id << ": ";
                    NS_TEST_EXPECT_MSG_NE(st, nullptr, m.str() << "exists");
                    if (!st)
                    {
                        continue;
                    }
                    NS_TEST_EXPECT_MSG_EQ(st->GetStreamId(), k.id, m.str() << "id");
                    NS_TEST_EXPECT_MSG_EQ(st->IsBidirectional(), k.bidi, m.str() << "bidi");
                    NS_TEST_EXPECT_MSG_EQ(st->IsLocal(), k.local, m.str() << "local");
                    NS_TEST_EXPECT_MSG_EQ(st->CanSend(), k.canSend, m.str() << "can send");
                    NS_TEST_EXPECT_MSG_EQ(st->CanReceive(), k.canReceive, m.str() << "can receive");
                    NS_TEST_EXPECT_MSG_EQ((st->GetSendState() == QuicStreamBase::SEND_NONE),
                                          !k.canSend,
                                          m.str() << "send state");
                    NS_TEST_EXPECT_MSG_EQ((st->GetRecvState() == QuicStreamBase::RECV_NONE),
                                          !k.canReceive,
                                          m.str() << "receive state");
                }
            };
        Simulator::Schedule(Seconds(1), [&]() {
            Ptr<QuicSocketBase> c = p.client->GetConnection();
            Ptr<QuicSocketBase> s = p.server->GetConnection();
            checkKinds(c, clientKinds, "client");
            checkKinds(s, serverKinds, "server");
            // The server's unidirectional stream 3 is receive-only for the client, and
            // the client's 2 for the server.
            clientOnPeerUni = SendPattern(c, 3, 0, 10, kClientSeed);
            clientOnPeerUniErr = c->GetErrno();
            serverOnPeerUni = SendPattern(s, 2, 0, 10, kServerSeed);
            serverOnPeerUniErr = s->GetErrno();
            // Streams the peer has not opened.
            clientOnUnopened = SendPattern(c, 9, 0, 10, kClientSeed);
            clientOnUnopenedErr = c->GetErrno();
            serverOnUnopened = SendPattern(s, 12, 0, 10, kServerSeed);
            serverOnUnopenedErr = s->GetErrno();
            // The server's bidirectional stream 1 carries client data too.
            clientOnServerBidi = SendPattern(c, 1, 0, 700, kClientSeed);
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(p.client->IsComplete(), true, "client read everything");
        NS_TEST_ASSERT_MSG_EQ(p.server->IsComplete(), true, "server read everything");
        for (const auto& kv : p.client->GetRecords())
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second.mismatches, 0, "client stream " << kv.first);
        }
        for (const auto& kv : p.server->GetRecords())
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second.mismatches, 0, "server stream " << kv.first);
        }
        NS_TEST_EXPECT_MSG_EQ(p.client->GetUnexpectedBytes() + p.server->GetUnexpectedBytes(),
                              0,
                              "no data on other streams");
        NS_TEST_EXPECT_MSG_EQ(p.client->GetSendErrors() + p.server->GetSendErrors(),
                              0,
                              "plans written without errors");
        NS_TEST_EXPECT_MSG_EQ(clientOnPeerUni, -1, "client may not send on server uni 3");
        NS_TEST_EXPECT_MSG_EQ(serverOnPeerUni, -1, "server may not send on client uni 2");
        NS_TEST_EXPECT_MSG_EQ(clientOnUnopened, -1, "client may not open server stream 9");
        NS_TEST_EXPECT_MSG_EQ(clientOnUnopenedErr, Socket::ERROR_INVAL, "errno");
        NS_TEST_EXPECT_MSG_EQ(serverOnUnopened, -1, "server may not open client stream 12");
        NS_TEST_EXPECT_MSG_EQ(serverOnUnopenedErr, Socket::ERROR_INVAL, "errno");
        NS_TEST_EXPECT_MSG_EQ(clientOnPeerUniErr, Socket::ERROR_INVAL, "errno, receive-only");
        NS_TEST_EXPECT_MSG_EQ(serverOnPeerUniErr, Socket::ERROR_INVAL, "errno, receive-only");
        NS_TEST_EXPECT_MSG_EQ(clientOnServerBidi, 700, "client writes on server bidi stream 1");
        NS_TEST_EXPECT_MSG_EQ(p.client->GetConnection()->GetCloseErrorCode(), 0, "no error");
        NS_TEST_EXPECT_MSG_EQ(p.server->GetConnection()->GetCloseErrorCode(), 0, "no error");
    }
};

/**
 * \brief RFC 9000 §3.2: a STREAM frame for stream 12 opens 0, 4 and 8 at the receiver
 * too (and 10 opens 2 and 6); data sent later on the lower ids arrives on them.
 */
class QuicStreamImplicitOpenTestCase : public TestCase
{
  public:
    QuicStreamImplicitOpenTestCase()
        : TestCase("a higher stream id opens every lower one of its kind at the receiver")
    {
    }

  private:
    void DoRun() override
    {
        DestroyAtExit destroy;
        Pair p = MakePair(true);
        p.client->SetPlan({{12, 3000}, {10, 2000}});
        p.server->SetExpected({{12, 3000}, {10, 2000}});
        std::set<uint64_t> openedAtServer;
        bool checked = false;
        Simulator::Schedule(Seconds(1), [&]() {
            Ptr<QuicL5Protocol> l5 = p.server->GetConnection()->GetL5();
            for (const auto& kv : l5->GetStreams())
            {
                openedAtServer.insert(kv.first);
            }
            checked = true;
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(checked, true, "server connection inspected");
        NS_TEST_ASSERT_MSG_EQ(p.server->IsComplete(), true, "data of 12 and 10 read");
        std::set<uint64_t> expected{0, 4, 8, 12, 2, 6, 10};
        NS_TEST_ASSERT_MSG_EQ((openedAtServer == expected),
                              true,
                              "server opened 0, 4, 8, 12 and 2, 6, 10 (has "
                                  << openedAtServer.size() << " streams)");
        for (const auto& kv : p.server->GetRecords())
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second.mismatches, 0, "content of stream " << kv.first);
        }
    }
};

// --- MAX_STREAMS -------------------------------------------------------------------------------

/**
 * \brief MaxStreamsBidi = 2 at the server: the client's third bidirectional stream is
 * refused (ERROR_AGAIN) and STREAMS_BLOCKED(2) is sent; once the first two streams are
 * closed at both ends the server grants more with MAX_STREAMS, and the third stream
 * opens and delivers its data.
 */
class QuicMaxStreamsTestCase : public TestCase
{
  public:
    QuicMaxStreamsTestCase()
        : TestCase("MaxStreamsBidi=2: a third stream waits for MAX_STREAMS after two close")
    {
    }

  private:
    void DoRun() override
    {
        DestroyAtExit destroy;
        Pair p = MakePair();
        p.server->SetExpected({{0, 1000}, {4, 1000}, {8, 3000}});
        p.client->SetExpected({{0, 10}, {4, 10}});
        TxFrameLog clientTx;
        TxFrameLog serverTx;
        p.client->SetOnConnection([&clientTx](Ptr<QuicSocketBase> s) { clientTx.Attach(s); });
        p.server->SetOnConnection([&serverTx](Ptr<QuicSocketBase> s) { serverTx.Attach(s); });
        // Peer-initiated bidi streams open at the server at once (its limit is checked).
        uint32_t maxOpenAtServer = 0;
        uint32_t streamsBlockedAtServer = 0;
        uint64_t streamsBlockedLimit = 0;
        Time maxStreamsAtClient = Seconds(-1);
        uint64_t maxStreamsValue = 0;
        p.server->SetConfigure([&](Ptr<QuicSocketBase> s) {
            s->SetAttribute("MaxStreamsBidi", UintegerValue(2));
            ObserveProcessedFrames(s, [&](QuicSocketBase& c, const QuicSubheader& f) {
                if (f.GetFrameType() == QuicSubheader::STREAMS_BLOCKED_BIDI)
                {
                    ++streamsBlockedAtServer;
                    streamsBlockedLimit = f.GetMaximumStreams();
                }
                uint32_t open = 0;
                for (const auto& kv : c.GetL5()->GetStreams())
                {
                    open += (kv.first & 3) == 0 ? 1 : 0;
                }
                maxOpenAtServer = std::max(maxOpenAtServer, open);
            });
        });
        p.client->SetConfigure([&](Ptr<QuicSocketBase> s) {
            ObserveProcessedFrames(s, [&](QuicSocketBase&, const QuicSubheader& f) {
                if (f.GetFrameType() == QuicSubheader::MAX_STREAMS_BIDI &&
                    maxStreamsAtClient.IsNegative())
                {
                    maxStreamsAtClient = Simulator::Now();
                    maxStreamsValue = f.GetMaximumStreams();
                }
            });
        });

        int third = 0;
        Socket::SocketErrno thirdErr = Socket::ERROR_NOTERROR;
        Time thirdAccepted = Seconds(-1);
        uint32_t retries = 0;
        std::function<void()> retryThird = [&]() {
            Ptr<QuicSocketBase> c = p.client->GetConnection();
            if (SendPattern(c, 8, 0, 3000, kClientSeed) == 3000)
            {
                thirdAccepted = Simulator::Now();
                return;
            }
            ++retries;
            Simulator::Schedule(MilliSeconds(5), retryThird);
        };
        Time refusedAt = Seconds(-1);
        WhenTrue([&]() { return p.client->IsConnected(); },
                 [&]() {
                     Ptr<QuicSocketBase> c = p.client->GetConnection();
                     NS_TEST_EXPECT_MSG_EQ(SendPattern(c, 0, 0, 1000, kClientSeed), 1000, "0");
                     NS_TEST_EXPECT_MSG_EQ(SendPattern(c, 4, 0, 1000, kClientSeed), 1000, "4");
                     // Once all is sent and acknowledged, the connection is idle: the
                     // refusal alone must make STREAMS_BLOCKED leave.
                     Simulator::Schedule(MilliSeconds(100), [&]() {
                         Ptr<QuicSocketBase> c = p.client->GetConnection();
                         third = SendPattern(c, 8, 0, 3000, kClientSeed);
                         thirdErr = c->GetErrno();
                         refusedAt = Simulator::Now();
                     });
                     Simulator::Schedule(MilliSeconds(200), [&]() {
                         Ptr<QuicSocketBase> c = p.client->GetConnection();
                         FinishStream(c, 0);
                         FinishStream(c, 4);
                         retryThird();
                     });
                 });
        // The server answers each stream with 10 bytes and FIN once it read the client's FIN.
        for (uint64_t id : {uint64_t(0), uint64_t(4)})
        {
            WhenTrue(
                [&p, id]() {
                    Ptr<QuicSocketBase> s = p.server->GetConnection();
                    if (!s || !s->GetL5()->GetStream(id))
                    {
                        return false;
                    }
                    return s->GetL5()->GetStream(id)->GetRecvState() ==
                               QuicStreamBase::RECV_DATA_READ &&
                           p.server->GetRecords().at(id).bytes == 1000;
                },
                [&p, id]() {
                    Ptr<QuicSocketBase> s = p.server->GetConnection();
                    SendPattern(s, id, 0, 10, kServerSeed);
                    FinishStream(s, id);
                });
        }
        Simulator::Stop(Seconds(5));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(third, -1, "the third stream is refused at first");
        NS_TEST_ASSERT_MSG_EQ(thirdErr, Socket::ERROR_AGAIN, "with ERROR_AGAIN");
        NS_TEST_ASSERT_MSG_GT(clientTx.Count(QuicSubheader::STREAMS_BLOCKED_BIDI),
                              0,
                              "client sent STREAMS_BLOCKED");
        Time blockedSentAt = Seconds(-1);
        for (const SeenFrame& f : clientTx.GetFrames())
        {
            if (f.frame.GetFrameType() == QuicSubheader::STREAMS_BLOCKED_BIDI)
            {
                blockedSentAt = f.when;
                break;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(blockedSentAt, refusedAt, "STREAMS_BLOCKED left at the refusal");
        NS_TEST_ASSERT_MSG_GT(streamsBlockedAtServer, 0, "server received STREAMS_BLOCKED");
        NS_TEST_ASSERT_MSG_EQ(streamsBlockedLimit, 2, "STREAMS_BLOCKED carries the limit 2");
        NS_TEST_ASSERT_MSG_GT(serverTx.Count(QuicSubheader::MAX_STREAMS_BIDI),
                              0,
                              "server sent MAX_STREAMS");
        NS_TEST_ASSERT_MSG_EQ(maxStreamsAtClient.IsPositive(), true, "client got MAX_STREAMS");
        NS_TEST_ASSERT_MSG_GT(maxStreamsValue, 2, "MAX_STREAMS grants more than 2");
        NS_TEST_ASSERT_MSG_EQ(thirdAccepted.IsPositive(), true, "the third stream opened");
        NS_TEST_ASSERT_MSG_GT(retries, 0, "it had to wait");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(thirdAccepted, maxStreamsAtClient, "after MAX_STREAMS");
        NS_TEST_ASSERT_MSG_EQ(p.server->IsComplete(), true, "server read 0, 4 and 8");
        NS_TEST_ASSERT_MSG_EQ(p.client->IsComplete(), true, "client read the answers");
        for (const auto& kv : p.server->GetRecords())
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second.mismatches, 0, "content of stream " << kv.first);
        }
        NS_TEST_ASSERT_MSG_LT_OR_EQ(maxOpenAtServer, 2, "never more than 2 client streams open");
        NS_TEST_ASSERT_MSG_EQ(p.server->GetConnection()->GetCloseErrorCode(), 0, "no error");
    }
};

/**
 * \brief A client writing on three streams right after Connect() (before it knows the
 * server's limits) to a server with MaxStreamsBidi = 2: the third stream must not be
 * sent (STREAM_LIMIT_ERROR) but wait until the server's MAX_STREAMS allows it.
 */
class QuicStreamLimitBeforeHandshakeTestCase : public TestCase
{
  public:
    QuicStreamLimitBeforeHandshakeTestCase()
        : TestCase("three streams written before the handshake, MaxStreamsBidi=2: the "
                   "third waits for MAX_STREAMS")
    {
    }

  private:
    void DoRun() override
    {
        DestroyAtExit destroy;
        Pair p = MakePair();
        p.client->SetWriteEarly(true);
        p.client->SetPlan({{0, 1000}, {4, 1000}, {8, 1000}});
        p.client->SetAfterFirstWrite([](Ptr<QuicSocketBase> c) {
            FinishStream(c, 0);
            FinishStream(c, 4);
        });
        uint32_t streamFramesOf8BeforeCredit = 0;
        bool creditArrived = false;
        auto clientTx = std::make_shared<TxFrameLog>();
        clientTx->SetOnFrame([&](const SeenFrame& sf) {
            if (QuicSubheader::IsStream(sf.frame.GetFrameType()) && sf.frame.GetStreamId() == 8 &&
                !creditArrived)
            {
                ++streamFramesOf8BeforeCredit;
            }
        });
        p.client->SetConfigure([&](Ptr<QuicSocketBase> s) {
            clientTx->Attach(s);
            ObserveProcessedFrames(s, [&](QuicSocketBase&, const QuicSubheader& f) {
                if (f.GetFrameType() == QuicSubheader::MAX_STREAMS_BIDI &&
                    f.GetMaximumStreams() > 2)
                {
                    creditArrived = true;
                }
            });
        });
        p.server->SetConfigure(
            [](Ptr<QuicSocketBase> s) { s->SetAttribute("MaxStreamsBidi", UintegerValue(2)); });
        p.server->SetExpected({{0, 1000}, {4, 1000}, {8, 1000}});
        // The server closes its (unused) sending parts once it read 0 and 4.
        WhenTrue(
            [&p]() {
                return p.server->GetConnection() && p.server->GetRecords().at(0).bytes == 1000 &&
                       p.server->GetRecords().at(4).bytes == 1000;
            },
            [&p]() { p.server->GetConnection()->ShutdownSend(); });
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(p.client->GetFirstSendState(),
                              QuicSocket::CONNECTING_CLT,
                              "written during the handshake");
        NS_TEST_ASSERT_MSG_EQ(p.client->GetSendErrors(), 0, "all three writes accepted");
        NS_TEST_ASSERT_MSG_EQ(p.server->GetConnection()->GetCloseErrorCode(),
                              0,
                              "no STREAM_LIMIT_ERROR");
        NS_TEST_ASSERT_MSG_EQ(streamFramesOf8BeforeCredit, 0, "stream 8 waited for MAX_STREAMS");
        NS_TEST_ASSERT_MSG_EQ(creditArrived, true, "MAX_STREAMS came");
        NS_TEST_ASSERT_MSG_EQ(p.server->IsComplete(), true, "all three streams read");
        for (const auto& kv : p.server->GetRecords())
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second.mismatches, 0, "content of stream " << kv.first);
        }
    }
};

// --- RESET_STREAM and STOP_SENDING -------------------------------------------------------------

/// Observations of one reset scenario.
struct ResetObservation
{
    uint32_t resetAtServer{0};           //!< RESET_STREAM frames processed by the server
    uint64_t resetCode{UINT64_MAX};      //!< their error code
    uint64_t resetFinalSize{UINT64_MAX}; //!< their final size
    uint32_t stopAtClient{0};            //!< STOP_SENDING frames processed by the client
    uint64_t stopCode{UINT64_MAX};       //!< their error code
    Time resetTime{Seconds(-1)};         //!< when the sender's stream was reset
    uint64_t highestSentAtReset{0};      //!< highest stream-0 offset the client had sent then
    uint32_t streamFramesAfterReset{0};  //!< STREAM frames for stream 0 sent after it
    uint64_t highestSent{0};             //!< highest stream-0 offset sent (running)
    int lateSend{0};                     //!< a Send on stream 0 after the reset
    Socket::SocketErrno lateSendErrno{Socket::ERROR_NOTERROR}; //!< its errno
};

/**
 * Client writes 3 MB on stream 0 and 300 kB on stream 4; once the server has read 200 kB
 * of stream 0, `trigger` runs (a RESET_STREAM by the client or a STOP_SENDING by the
 * server).
 * \param useStopSending STOP_SENDING from the server (else RESET_STREAM from the client)
 * \param obs observations
 * \param p the pair (out)
 */
void
RunResetScenario(bool useStopSending, ResetObservation& obs, Pair& p)
{
    p.client->SetPlan({{0, 3000000}, {4, 300000}});
    p.server->SetExpected({{0, 0}, {4, 300000}});
    auto clientTx = std::make_shared<TxFrameLog>();
    clientTx->SetStore(false);
    clientTx->SetOnFrame([&obs](const SeenFrame& sf) {
        const QuicSubheader& f = sf.frame;
        if (QuicSubheader::IsStream(f.GetFrameType()) && f.GetStreamId() == 0)
        {
            obs.highestSent = std::max(obs.highestSent, f.GetOffset() + f.GetDataLength());
            if (!obs.resetTime.IsNegative())
            {
                ++obs.streamFramesAfterReset;
            }
        }
    });
    p.client->SetConfigure([&obs, clientTx](Ptr<QuicSocketBase> s) {
        clientTx->Attach(s);
        ObserveProcessedFrames(s, [&obs](QuicSocketBase& c, const QuicSubheader& f) {
            if (f.GetFrameType() == QuicSubheader::STOP_SENDING)
            {
                ++obs.stopAtClient;
                obs.stopCode = f.GetErrorCode();
                // The client resets in answer, within this frame's processing.
                obs.resetTime = Simulator::Now();
                obs.highestSentAtReset = obs.highestSent;
            }
        });
    });
    p.server->SetConfigure([&obs](Ptr<QuicSocketBase> s) {
        ObserveProcessedFrames(s, [&obs](QuicSocketBase&, const QuicSubheader& f) {
            if (f.GetFrameType() == QuicSubheader::RESET_STREAM)
            {
                ++obs.resetAtServer;
                obs.resetCode = f.GetErrorCode();
                obs.resetFinalSize = f.GetFinalSize();
            }
        });
    });
    WhenTrue(
        [&p]() {
            return p.server->GetConnection() && p.server->GetRecords().at(0).bytes >= 200000;
        },
        [&p, &obs, useStopSending]() {
            if (useStopSending)
            {
                p.server->GetConnection()->GetL5()->StopSending(0, 9);
            }
            else
            {
                obs.resetTime = Simulator::Now();
                obs.highestSentAtReset = obs.highestSent;
                p.client->GetConnection()->GetL5()->ResetStream(0, 7);
            }
        });
    Simulator::Schedule(Seconds(4.9), [&p, &obs]() {
        Ptr<QuicSocketBase> c = p.client->GetConnection();
        obs.lateSend = SendPattern(c, 0, 0, 100, kClientSeed);
        obs.lateSendErrno = c->GetErrno();
    });
    Simulator::Stop(Seconds(5));
    Simulator::Run();
}

/**
 * \brief RESET_STREAM (QuicL5Protocol::ResetStream): the peer learns the code and the
 * final size (the highest offset sent), no more data of the stream is sent, later
 * writes fail, and the other stream completes byte-exact on the same connection.
 */
class QuicResetStreamTestCase : public TestCase
{
  public:
    QuicResetStreamTestCase()
        : TestCase("RESET_STREAM: code and final size reach the peer, the stream stops, "
                   "others go on")
    {
    }

  private:
    void DoRun() override
    {
        DestroyAtExit destroy;
        Pair p = MakePair();
        ResetObservation obs;
        RunResetScenario(false, obs, p);
        Ptr<QuicSocketBase> c = p.client->GetConnection();
        Ptr<QuicSocketBase> s = p.server->GetConnection();
        NS_TEST_ASSERT_MSG_EQ(obs.resetTime.IsPositive(), true, "the reset happened");
        NS_TEST_ASSERT_MSG_EQ(obs.resetAtServer, 1, "server got one RESET_STREAM");
        NS_TEST_ASSERT_MSG_EQ(obs.resetCode, 7, "with the application's code");
        NS_TEST_ASSERT_MSG_EQ(obs.resetFinalSize,
                              obs.highestSentAtReset,
                              "final size = highest offset sent");
        NS_TEST_ASSERT_MSG_LT(obs.resetFinalSize, 3000000, "reset before the end");
        NS_TEST_ASSERT_MSG_EQ(obs.streamFramesAfterReset, 0, "no STREAM frame of 0 after it");
        const StreamRecord& r0 = p.server->GetRecords().at(0);
        NS_TEST_ASSERT_MSG_GT_OR_EQ(r0.bytes, 200000, "server read what came before");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(r0.bytes, obs.resetFinalSize, "and nothing beyond");
        NS_TEST_ASSERT_MSG_EQ(r0.mismatches, 0, "what it read is right");
        Ptr<QuicStreamBase> st = s->GetL5()->GetStream(0);
        if (st)
        {
            NS_TEST_ASSERT_MSG_EQ(st->GetRecvState(),
                                  QuicStreamBase::RECV_RESET_READ,
                                  "server stream 0 receive part is reset");
        }
        Ptr<QuicStreamBase> cst = c->GetL5()->GetStream(0);
        NS_TEST_ASSERT_MSG_NE(cst, nullptr, "client still knows stream 0");
        NS_TEST_ASSERT_MSG_EQ(cst->GetTxBuffer()->IsReset(), true, "client stream 0 reset");
        NS_TEST_ASSERT_MSG_EQ(cst->GetSendState(),
                              QuicStreamBase::SEND_RESET_SENT,
                              "client send state");
        NS_TEST_ASSERT_MSG_EQ(obs.lateSend, -1, "writing on the reset stream fails");
        NS_TEST_ASSERT_MSG_EQ(obs.lateSendErrno, Socket::ERROR_SHUTDOWN, "with ERROR_SHUTDOWN");
        const StreamRecord& r4 = p.server->GetRecords().at(4);
        NS_TEST_ASSERT_MSG_EQ(r4.bytes, 300000, "stream 4 complete");
        NS_TEST_ASSERT_MSG_EQ(r4.mismatches, 0, "stream 4 content");
        NS_TEST_ASSERT_MSG_EQ(c->GetCloseErrorCode(), 0, "connection not closed");
        NS_TEST_ASSERT_MSG_EQ(s->GetState(), QuicSocket::OPEN, "connection open");
    }
};

/**
 * \brief STOP_SENDING (QuicL5Protocol::StopSending): the sender answers with
 * RESET_STREAM carrying the same code, stops sending the stream, and the other stream
 * completes byte-exact.
 */
class QuicStopSendingTestCase : public TestCase
{
  public:
    QuicStopSendingTestCase()
        : TestCase("STOP_SENDING: the sender answers RESET_STREAM with the same code, stops")
    {
    }

  private:
    void DoRun() override
    {
        DestroyAtExit destroy;
        Pair p = MakePair(true);
        ResetObservation obs;
        RunResetScenario(true, obs, p);
        Ptr<QuicSocketBase> c = p.client->GetConnection();
        Ptr<QuicSocketBase> s = p.server->GetConnection();
        NS_TEST_ASSERT_MSG_EQ(obs.stopAtClient, 1, "client got one STOP_SENDING");
        NS_TEST_ASSERT_MSG_EQ(obs.stopCode, 9, "with the server's code");
        NS_TEST_ASSERT_MSG_EQ(obs.resetAtServer, 1, "server got RESET_STREAM in answer");
        NS_TEST_ASSERT_MSG_EQ(obs.resetCode, 9, "carrying the same code (RFC 9000 §3.5)");
        NS_TEST_ASSERT_MSG_EQ(obs.resetFinalSize,
                              obs.highestSentAtReset,
                              "final size = highest offset sent");
        NS_TEST_ASSERT_MSG_EQ(obs.streamFramesAfterReset, 0, "no STREAM frame of 0 after it");
        NS_TEST_ASSERT_MSG_EQ(c->GetL5()->GetStream(0)->GetTxBuffer()->IsReset(),
                              true,
                              "client stream 0 reset");
        NS_TEST_ASSERT_MSG_EQ(obs.lateSend, -1, "writing on the reset stream fails");
        NS_TEST_ASSERT_MSG_EQ(obs.lateSendErrno, Socket::ERROR_SHUTDOWN, "with ERROR_SHUTDOWN");
        const StreamRecord& r0 = p.server->GetRecords().at(0);
        NS_TEST_ASSERT_MSG_LT(r0.bytes, 3000000, "stream 0 stopped early");
        NS_TEST_ASSERT_MSG_EQ(r0.mismatches, 0, "what was read is right");
        const StreamRecord& r4 = p.server->GetRecords().at(4);
        NS_TEST_ASSERT_MSG_EQ(r4.bytes, 300000, "stream 4 complete");
        NS_TEST_ASSERT_MSG_EQ(r4.mismatches, 0, "stream 4 content");
        NS_TEST_ASSERT_MSG_EQ(s->GetState(), QuicSocket::OPEN, "connection open");
    }
};

// --- closing streams returns stream credit ---------------------------------------------------

/**
 * \brief A client stream whose two parts end — by RESET_STREAM from both ends, or by the
 * client's FIN and the server's ShutdownSend (which finishes streams it never wrote on) —
 * is forgotten at both ends, and the server (MaxStreamsBidi = 1) grants the next stream.
 */
class QuicStreamCreditReturnTestCase : public TestCase
{
  public:
    /// \param reset end the stream with RESET_STREAM both ways (else FIN + ShutdownSend)
    explicit QuicStreamCreditReturnTestCase(bool reset)
        : TestCase(reset ? "MaxStreamsBidi=1: a stream reset both ways is forgotten, credit "
                           "returns"
                         : "MaxStreamsBidi=1: FIN, then ShutdownSend at the server (never "
                           "wrote): stream closes, credit returns"),
          m_reset(reset)
    {
    }

  private:
    void DoRun() override
    {
        DestroyAtExit destroy;
        Pair p = MakePair();
        p.server->SetConfigure(
            [](Ptr<QuicSocketBase> s) { s->SetAttribute("MaxStreamsBidi", UintegerValue(1)); });
        p.server->SetExpected({{0, 1000}, {4, 2000}});
        int refused = 0;
        int second = 0;
        bool clientForgot = false;
        bool serverForgot = false;
        Time secondAt = Seconds(-1);
        WhenTrue([&]() { return p.client->IsConnected(); },
                 [&]() {
                     Ptr<QuicSocketBase> c = p.client->GetConnection();
                     SendPattern(c, 0, 0, 1000, kClientSeed);
                     refused = SendPattern(c, 4, 0, 2000, kClientSeed);
                     if (m_reset)
                     {
                         Simulator::Schedule(MilliSeconds(50), [&]() {
                             p.client->GetConnection()->GetL5()->ResetStream(0, 3);
                         });
                     }
                     else
                     {
                         FinishStream(c, 0);
                     }
                 });
        // The server ends its part once the client's part has ended and all was read.
        WhenTrue(
            [&]() {
                Ptr<QuicSocketBase> s = p.server->GetConnection();
                Ptr<QuicStreamBase> st = s ? s->GetL5()->GetStream(0) : nullptr;
                return st && p.server->GetRecords().at(0).bytes == 1000 &&
                       (st->GetRecvState() == QuicStreamBase::RECV_DATA_READ ||
                        st->GetRecvState() == QuicStreamBase::RECV_RESET_READ);
            },
            [&]() {
                Ptr<QuicSocketBase> s = p.server->GetConnection();
                if (m_reset)
                {
                    s->GetL5()->ResetStream(0, 4);
                }
                else
                {
                    s->ShutdownSend();
                }
            });
        std::function<void()> retry = [&]() {
            Ptr<QuicSocketBase> c = p.client->GetConnection();
            second = SendPattern(c, 4, 0, 2000, kClientSeed);
            if (second == 2000)
            {
                secondAt = Simulator::Now();
                return;
            }
            Simulator::Schedule(MilliSeconds(5), retry);
        };
        Simulator::Schedule(Seconds(0.5), retry);
        Simulator::Schedule(Seconds(1.9), [&]() {
            clientForgot = !p.client->GetConnection()->GetL5()->GetStream(0);
            serverForgot = !p.server->GetConnection()->GetL5()->GetStream(0);
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(refused, -1, "stream 4 refused while 0 is open");
        NS_TEST_ASSERT_MSG_EQ(serverForgot, true, "server forgot stream 0");
        NS_TEST_ASSERT_MSG_EQ(secondAt.IsPositive(), true, "stream 4 opened");
        NS_TEST_ASSERT_MSG_EQ(p.server->GetRecords().at(4).bytes, 2000, "its data arrived");
        NS_TEST_ASSERT_MSG_EQ(p.server->GetRecords().at(4).mismatches, 0, "intact");
        NS_TEST_ASSERT_MSG_EQ(p.server->GetRecords().at(0).mismatches, 0, "stream 0 intact");
        if (m_reset)
        {
            NS_TEST_ASSERT_MSG_EQ(clientForgot, true, "client forgot stream 0 too");
        }
        NS_TEST_ASSERT_MSG_EQ(p.server->GetConnection()->GetCloseErrorCode(), 0, "no error");
    }

    bool m_reset; //!< reset both ways
};

// --- scheduling ---------------------------------------------------------------------------------

/// What two backlogged streams looked like at the receiver.
struct ScheduleResult
{
    StreamRecord high;      //!< stream 4
    StreamRecord low;       //!< stream 0
    bool complete{false};   //!< both complete
    uint64_t mismatches{0}; //!< wrong bytes, both streams
};

/**
 * Client writes 1 MB on stream 0 and 1 MB on stream 4 at once; flow-control windows large
 * enough that only the scheduler decides who goes first.
 * \param priority PriorityScheduling, with stream 4 (the higher id) at priority 0 and
 *        stream 0 at priority 5
 * \return the reads
 */
ScheduleResult
RunSchedule(bool priority)
{
    Pair p = MakePair(false, "20Mbps", "10ms");
    const uint64_t size = 1000000;
    p.client->SetPlan({{0, size}, {4, size}});
    p.server->SetExpected({{0, size}, {4, size}});
    p.server->SetRecordReads(true);
    p.server->SetConfigure([](Ptr<QuicSocketBase> s) {
        s->SetAttribute("StreamRcvBufSize", UintegerValue(4000000));
        s->SetAttribute("InitialMaxData", UintegerValue(16000000));
    });
    p.client->SetConfigure([priority](Ptr<QuicSocketBase> s) {
        s->SetAttribute("PriorityScheduling", BooleanValue(priority));
    });
    if (priority)
    {
        p.client->SetAfterFirstWrite([](Ptr<QuicSocketBase> s) {
            s->GetL5()->GetStream(4)->SetPriority(0);
            s->GetL5()->GetStream(0)->SetPriority(5);
        });
    }
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    ScheduleResult r;
    r.high = p.server->GetRecords().at(4);
    r.low = p.server->GetRecords().at(0);
    r.complete = p.server->IsComplete();
    r.mismatches = r.high.mismatches + r.low.mismatches;
    Simulator::Destroy();
    return r;
}

/**
 * \param r a stream's reads
 * \param t a time
 * \return bytes of the stream read by then
 */
uint64_t
BytesReadBy(const StreamRecord& r, Time t)
{
    uint64_t n = 0;
    for (std::size_t i = 0; i < r.readTimes.size() && r.readTimes[i] <= t; ++i)
    {
        n = r.readEndOffsets[i];
    }
    return n;
}

/**
 * \brief Round-robin (the default): two backlogged streams progress together — when the
 * first completes, the other has almost all of its bytes too.
 */
class QuicRoundRobinTestCase : public TestCase
{
  public:
    QuicRoundRobinTestCase()
        : TestCase("round-robin: two backlogged streams share the link and finish together")
    {
    }

  private:
    void DoRun() override
    {
        ScheduleResult r = RunSchedule(false);
        NS_TEST_ASSERT_MSG_EQ(r.complete, true, "both streams complete");
        NS_TEST_ASSERT_MSG_EQ(r.mismatches, 0, "content");
        Time first = std::min(r.high.complete, r.low.complete);
        Time mid = (std::max(r.high.firstByte, r.low.firstByte) + first) / 2;
        uint64_t highMid = BytesReadBy(r.high, mid);
        uint64_t lowMid = BytesReadBy(r.low, mid);
        // Halfway through, both have about the same share.
        NS_TEST_ASSERT_MSG_GT(lowMid, highMid * 9 / 10, "stream 0 keeps up halfway");
        NS_TEST_ASSERT_MSG_GT(highMid, lowMid * 9 / 10, "stream 4 keeps up halfway");
        NS_TEST_ASSERT_MSG_GT(BytesReadBy(r.high, first), 950000, "4 nearly done at the end");
        NS_TEST_ASSERT_MSG_GT(BytesReadBy(r.low, first), 950000, "0 nearly done at the end");
    }
};

/**
 * \brief PriorityScheduling: the high-priority stream (4, priority 0) is sent before the
 * low-priority one (0, priority 5) although the low one has the smaller id — all of its
 * bytes arrive before more than one packet of the low one.
 */
class QuicPriorityTestCase : public TestCase
{
  public:
    QuicPriorityTestCase()
        : TestCase("priority: the high-priority stream's bytes all arrive before the low one's")
    {
    }

  private:
    void DoRun() override
    {
        ScheduleResult r = RunSchedule(true);
        NS_TEST_ASSERT_MSG_EQ(r.complete, true, "both streams complete");
        NS_TEST_ASSERT_MSG_EQ(r.mismatches, 0, "content");
        NS_TEST_ASSERT_MSG_LT(r.high.complete, r.low.complete, "high finishes first");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(BytesReadBy(r.low, r.high.complete),
                                    1500,
                                    "low got at most one packet before high finished");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(r.high.firstByte, r.low.firstByte, "high starts first");
    }
};

} // namespace

/**
 * \ingroup quic-test
 * The quic-stream suite.
 */
class QuicStreamTestSuite : public TestSuite
{
  public:
    QuicStreamTestSuite()
        : TestSuite("quic-stream", UNIT)
    {
        AddTestCase(new QuicStreamKindsTestCase, QUICK);
        AddTestCase(new QuicStreamImplicitOpenTestCase, QUICK);
        AddTestCase(new QuicMaxStreamsTestCase, QUICK);
        AddTestCase(new QuicStreamLimitBeforeHandshakeTestCase, QUICK);
        AddTestCase(new QuicResetStreamTestCase, QUICK);
        AddTestCase(new QuicStopSendingTestCase, QUICK);
        AddTestCase(new QuicStreamCreditReturnTestCase(true), QUICK);
        AddTestCase(new QuicStreamCreditReturnTestCase(false), QUICK);
        AddTestCase(new QuicRoundRobinTestCase, QUICK);
        AddTestCase(new QuicPriorityTestCase, QUICK);
    }
};

/// The suite's instance.
static QuicStreamTestSuite g_quicStreamTestSuite;

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-transfer: byte-exact delivery over whole QUIC connections. Every byte written is
 * a pseudo-random function of (stream, offset) and every byte read is checked against
 * it, per stream, for sizes from 1 byte to 50 MB, 1 to 8 streams, both directions,
 * IPv4 and IPv6, with and without losses; BulkSend/PacketSink over QUIC deliver exactly
 * MaxBytes; data written before the handshake completes is buffered, not lost.
 */

#include "quic-connection-test-util.h"

#include "ns3/bulk-send-helper.h"
#include "ns3/double.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/test.h"

#include <sstream>

using namespace ns3;
using namespace ns3::quicconn;

namespace
{

/// Who writes the data, and on which streams.
enum class Direction
{
    CLIENT_TO_SERVER, //!< client writes on its bidi streams 0, 4, 8, ...
    SERVER_STREAMS,   //!< server writes on its bidi streams 1, 5, 9, ...
    SERVER_ANSWERS,   //!< client writes a 100-byte request on 0, 4, ...; the server answers on them
};

/// \return a short name of a direction
const char*
DirectionName(Direction d)
{
    switch (d)
    {
    case Direction::CLIENT_TO_SERVER:
        return "client->server";
    case Direction::SERVER_STREAMS:
        return "server->client on server streams";
    default:
        return "server->client answering on client streams";
    }
}

/// One transfer to run.
struct TransferParams
{
    bool ipv6{false};                           //!< IPv6
    Direction dir{Direction::CLIENT_TO_SERVER}; //!< who writes
    uint32_t streams{1};                        //!< streams used
    std::vector<uint64_t> bytes;                //!< bytes per stream (size == streams)
    bool writeEarly{false};                     //!< client writes right after Connect
    double lossRate{0};                         //!< random loss, both directions
    std::list<uint32_t> dropAtServer;           //!< n-th packets lost on the way to the server
    std::list<uint32_t> dropAtClient;           //!< n-th packets lost on the way to the client
    std::string rate{"100Mbps"};                //!< link rate
    std::string delay{"10ms"};                  //!< one-way delay
    Time limit{Seconds(120)};                   //!< simulated time limit
};

/// What the transfer produced.
struct TransferResult
{
    std::map<uint64_t, StreamRecord> readByServer;      //!< server's reads
    std::map<uint64_t, StreamRecord> readByClient;      //!< client's reads
    std::map<uint64_t, uint64_t> writtenByClient;       //!< client's writes
    std::map<uint64_t, uint64_t> writtenByServer;       //!< server's writes
    uint64_t unexpected{0};                             //!< bytes of unexpected streams (both)
    uint32_t sendErrors{0};                             //!< unexpected Send failures (both)
    int firstSendResult{-2};                            //!< client's first Send
    QuicSocket::State firstSendState{QuicSocket::IDLE}; //!< client state then
    bool complete{false};                               //!< every expected byte read
    Time completeAt;                                    //!< when
    uint64_t clientCloseCode{0};                        //!< connection close codes
    uint64_t serverCloseCode{0};                        //!< (0 if none)
    uint32_t errorCloses{0};                            //!< error-close notifications (both)
    uint64_t retransmitted{0}; //!< STREAM bytes sent again (both, Tx traces)
    uint64_t lost{0};          //!< packets declared lost (both)
    uint32_t undecodable{0};   //!< sent datagrams that did not decode
};

/// \return the i-th stream id of a kind (RFC 9000 §2.1)
uint64_t
StreamId(uint32_t i, bool serverInitiated)
{
    return (uint64_t(i) << 2) | (serverInitiated ? 1 : 0);
}

/**
 * Runs one transfer.
 * \param p what to run
 * \return what happened
 */
TransferResult
RunTransfer(const TransferParams& p)
{
    ResetSimulation();
    Topology t = MakeTopology(p.ipv6, p.rate, p.delay);
    if (p.lossRate > 0)
    {
        AddRateLoss(t.devices.Get(0), p.lossRate, 10);
        AddRateLoss(t.devices.Get(1), p.lossRate, 20);
    }
    if (!p.dropAtServer.empty())
    {
        AddListLoss(t.devices.Get(1), p.dropAtServer);
    }
    if (!p.dropAtClient.empty())
    {
        AddListLoss(t.devices.Get(0), p.dropAtClient);
    }

    Ptr<PatternApp> client = CreateObject<PatternApp>();
    Ptr<PatternApp> server = CreateObject<PatternApp>();
    client->Setup(t.serverAddress, false);
    server->Setup(t.anyAddress, true);
    client->SetSendSeed(11);
    server->SetRecvSeed(11);
    server->SetSendSeed(22);
    client->SetRecvSeed(22);
    client->SetWriteEarly(p.writeEarly);

    std::vector<PatternApp::Flow> clientPlan;
    std::vector<PatternApp::Flow> serverPlan;
    std::map<uint64_t, uint64_t> serverExpects;
    std::map<uint64_t, uint64_t> clientExpects;
    for (uint32_t i = 0; i < p.streams; ++i)
    {
        switch (p.dir)
        {
        case Direction::CLIENT_TO_SERVER:
            clientPlan.push_back({StreamId(i, false), p.bytes[i]});
            serverExpects[StreamId(i, false)] = p.bytes[i];
            break;
        case Direction::SERVER_STREAMS:
            serverPlan.push_back({StreamId(i, true), p.bytes[i]});
            clientExpects[StreamId(i, true)] = p.bytes[i];
            break;
        case Direction::SERVER_ANSWERS:
            clientPlan.push_back({StreamId(i, false), 100});
            serverExpects[StreamId(i, false)] = 100;
            serverPlan.push_back({StreamId(i, false), p.bytes[i]});
            clientExpects[StreamId(i, false)] = p.bytes[i];
            break;
        }
    }
    client->SetPlan(clientPlan);
    server->SetPlan(serverPlan);
    client->SetExpected(clientExpects);
    server->SetExpected(serverExpects);

    TransferResult r;
    // Separate logs: each decodes the frames one connection sends.
    auto clientLog = std::make_shared<TxFrameLog>();
    auto serverLog = std::make_shared<TxFrameLog>();
    client->SetOnConnection([clientLog](Ptr<QuicSocketBase> s) { clientLog->Attach(s); });
    server->SetOnConnection([serverLog](Ptr<QuicSocketBase> s) { serverLog->Attach(s); });
    auto checkDone = [&]() {
        if (!r.complete && client->IsComplete() && server->IsComplete())
        {
            r.complete = true;
            r.completeAt = Simulator::Now();
            // A grace period: nothing more may arrive after the last expected byte.
            Simulator::Stop(Seconds(2));
        }
    };
    client->SetOnComplete(checkDone);
    server->SetOnComplete(checkDone);

    t.nodes.Get(0)->AddApplication(client);
    t.nodes.Get(1)->AddApplication(server);
    client->SetStartTime(Seconds(0));
    server->SetStartTime(Seconds(0));
    Simulator::Stop(p.limit);
    Simulator::Run();

    r.readByServer = server->GetRecords();
    r.readByClient = client->GetRecords();
    r.writtenByClient = client->GetWritten();
    r.writtenByServer = server->GetWritten();
    r.unexpected = client->GetUnexpectedBytes() + server->GetUnexpectedBytes();
    r.sendErrors = client->GetSendErrors() + server->GetSendErrors();
    r.firstSendResult = client->GetFirstSendResult();
    r.firstSendState = client->GetFirstSendState();
    r.errorCloses = client->GetErrorCloses() + server->GetErrorCloses();
    if (client->GetConnection())
    {
        r.clientCloseCode = client->GetConnection()->GetCloseErrorCode();
        r.lost += client->GetConnection()->GetLossRecovery()->GetLostPacketCount();
    }
    if (server->GetConnection())
    {
        r.serverCloseCode = server->GetConnection()->GetCloseErrorCode();
        r.lost += server->GetConnection()->GetLossRecovery()->GetLostPacketCount();
    }
    r.retransmitted = clientLog->GetStreamBytesResent() + serverLog->GetStreamBytesResent();
    r.undecodable = clientLog->GetUndecodable() + serverLog->GetUndecodable();
    Simulator::Destroy();
    return r;
}

/**
 * \brief A transfer of the pattern: every byte of every stream read exactly once, in order.
 */
class QuicPatternTransferTestCase : public TestCase
{
  public:
    /**
     * \param name the test name
     * \param p the transfer
     */
    QuicPatternTransferTestCase(const std::string& name, TransferParams p)
        : TestCase(name),
          m_p(std::move(p))
    {
    }

  protected:
    /// \return the result of the last run
    const TransferResult& GetResult() const
    {
        return m_r;
    }

    void DoRun() override
    {
        m_r = RunTransfer(m_p);
        const TransferResult& r = m_r;
        NS_TEST_ASSERT_MSG_EQ(r.sendErrors, 0, "Send failed with an unexpected errno");
        NS_TEST_ASSERT_MSG_EQ(r.complete, true, "every expected byte was read");
        NS_TEST_ASSERT_MSG_EQ(r.unexpected, 0, "no byte on a stream that was not written");
        NS_TEST_ASSERT_MSG_EQ(r.errorCloses, 0, "no connection closed with an error");
        NS_TEST_ASSERT_MSG_EQ(r.clientCloseCode, 0, "client close code");
        NS_TEST_ASSERT_MSG_EQ(r.serverCloseCode, 0, "server close code");
        NS_TEST_ASSERT_MSG_EQ(r.undecodable, 0, "every datagram sent decodes");
        const auto& written =
            m_p.dir == Direction::CLIENT_TO_SERVER ? r.writtenByClient : r.writtenByServer;
        const auto& read = m_p.dir == Direction::CLIENT_TO_SERVER ? r.readByServer : r.readByClient;
        for (uint32_t i = 0; i < m_p.streams; ++i)
        {
            uint64_t id = StreamId(i, m_p.dir == Direction::SERVER_STREAMS);
            std::ostringstream s;
            s << "stream " << id << ": ";
            auto w = written.find(id);
            NS_TEST_ASSERT_MSG_EQ((w != written.end()), true, s.str() << "written");
            NS_TEST_ASSERT_MSG_EQ(w->second, m_p.bytes[i], s.str() << "all bytes written");
            const StreamRecord& rec = read.at(id);
            NS_TEST_ASSERT_MSG_EQ(rec.bytes, m_p.bytes[i], s.str() << "bytes read == written");
            NS_TEST_ASSERT_MSG_EQ(rec.mismatches,
                                  0,
                                  s.str()
                                      << "content differs first at offset " << rec.firstMismatch);
        }
        if (m_p.dir == Direction::SERVER_ANSWERS)
        {
            for (uint32_t i = 0; i < m_p.streams; ++i)
            {
                const StreamRecord& req = r.readByServer.at(StreamId(i, false));
                NS_TEST_ASSERT_MSG_EQ(req.bytes, 100, "request read");
                NS_TEST_ASSERT_MSG_EQ(req.mismatches, 0, "request content");
            }
        }
    }

    TransferParams m_p; //!< the transfer
    TransferResult m_r; //!< its result
};

/**
 * \brief Data the client writes right after Connect(), before the handshake completes,
 * is accepted (buffered) and delivered.
 */
class QuicEarlySendTestCase : public QuicPatternTransferTestCase
{
  public:
    /**
     * \param name the name
     * \param p the transfer (writeEarly set)
     */
    QuicEarlySendTestCase(const std::string& name, TransferParams p)
        : QuicPatternTransferTestCase(name, std::move(p))
    {
    }

  private:
    void DoRun() override
    {
        QuicPatternTransferTestCase::DoRun();
        const TransferResult& r = GetResult();
        NS_TEST_ASSERT_MSG_EQ(r.firstSendState,
                              QuicSocket::CONNECTING_CLT,
                              "the first Send happened during the handshake");
        NS_TEST_ASSERT_MSG_GT(r.firstSendResult,
                              0,
                              "Send before the handshake completes accepts the bytes");
    }
};

/**
 * \brief A transfer over a lossy link: still byte-exact, and losses really happened
 * (stream data was retransmitted).
 */
class QuicLossyTransferTestCase : public QuicPatternTransferTestCase
{
  public:
    /**
     * \param name the name
     * \param p the transfer
     */
    QuicLossyTransferTestCase(const std::string& name, TransferParams p)
        : QuicPatternTransferTestCase(name, std::move(p))
    {
    }

  private:
    void DoRun() override
    {
        QuicPatternTransferTestCase::DoRun();
        NS_TEST_ASSERT_MSG_GT(GetResult().lost, 0, "packets were declared lost");
        NS_TEST_ASSERT_MSG_GT(GetResult().retransmitted, 0, "losses made QUIC retransmit data");
    }
};

/// BulkSend → PacketSink over QUIC.
struct BulkResult
{
    uint64_t sinkTotal{0};     //!< PacketSink::GetTotalRx at the end
    uint64_t sentBytes{0};     //!< BulkSend's Tx trace total
    Time lastRx{Seconds(-1)};  //!< last reception
    uint64_t retransmitted{0}; //!< stream bytes sent again by the sender
};

/**
 * Runs BulkSend (MaxBytes) to PacketSink over QUIC.
 * \param maxBytes MaxBytes
 * \param lossRate random loss in both directions
 * \param dropAtServer n-th packets lost on the way to the server
 * \param ipv6 IPv6
 * \return what happened
 */
BulkResult
RunBulk(uint64_t maxBytes, double lossRate, std::list<uint32_t> dropAtServer, bool ipv6)
{
    ResetSimulation();
    Topology t = MakeTopology(ipv6, "100Mbps", "10ms");
    if (lossRate > 0)
    {
        AddRateLoss(t.devices.Get(0), lossRate, 30);
        AddRateLoss(t.devices.Get(1), lossRate, 40);
    }
    if (!dropAtServer.empty())
    {
        AddListLoss(t.devices.Get(1), dropAtServer);
    }
    PacketSinkHelper sink("ns3::QuicSocketFactory", t.anyAddress);
    ApplicationContainer sinkApp = sink.Install(t.nodes.Get(1));
    sinkApp.Start(Seconds(0));
    BulkSendHelper source("ns3::QuicSocketFactory", t.serverAddress);
    source.SetAttribute("MaxBytes", UintegerValue(maxBytes));
    source.SetAttribute("SendSize", UintegerValue(1400));
    ApplicationContainer sourceApp = source.Install(t.nodes.Get(0));
    sourceApp.Start(Seconds(0));

    BulkResult r;
    Ptr<PacketSink> ps = DynamicCast<PacketSink>(sinkApp.Get(0));
    ps->TraceConnectWithoutContext(
        "Rx",
        Callback<void, Ptr<const Packet>, const Address&>(
            [&r](Ptr<const Packet>, const Address&) { r.lastRx = Simulator::Now(); }));
    sourceApp.Get(0)->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>>(
            [&r](Ptr<const Packet> p) { r.sentBytes += p->GetSize(); }));
    Simulator::Stop(Seconds(60));
    Simulator::Run();
    r.sinkTotal = ps->GetTotalRx();
    Simulator::Destroy();
    return r;
}

/**
 * \brief BulkSend with MaxBytes to PacketSink: the sink receives exactly MaxBytes.
 */
class QuicBulkSendMaxBytesTestCase : public TestCase
{
  public:
    /**
     * \param maxBytes MaxBytes
     * \param lossRate random loss
     * \param drops n-th packets dropped on the way to the server
     * \param ipv6 IPv6
     */
    QuicBulkSendMaxBytesTestCase(uint64_t maxBytes,
                                 double lossRate,
                                 std::list<uint32_t> drops,
                                 bool ipv6)
        : TestCase(Name(maxBytes, lossRate, drops, ipv6)),
          m_maxBytes(maxBytes),
          m_lossRate(lossRate),
          m_drops(std::move(drops)),
          m_ipv6(ipv6)
    {
    }

  private:
    /// \return the test name
    static std::string Name(uint64_t maxBytes,
                            double loss,
                            const std::list<uint32_t>& drops,
                            bool v6)
    {
        std::ostringstream s;
        s << "BulkSend MaxBytes=" << maxBytes << " -> PacketSink total == MaxBytes"
          << (loss > 0 ? ", 1% random loss both ways" : "")
          << (drops.empty() ? "" : ", listed packets dropped") << (v6 ? ", IPv6" : ", IPv4");
        return s.str();
    }

    void DoRun() override
    {
        BulkResult r = RunBulk(m_maxBytes, m_lossRate, m_drops, m_ipv6);
        NS_TEST_ASSERT_MSG_EQ(r.sentBytes, m_maxBytes, "BulkSend wrote MaxBytes");
        NS_TEST_ASSERT_MSG_EQ(r.sinkTotal, m_maxBytes, "PacketSink received exactly MaxBytes");
        NS_TEST_ASSERT_MSG_EQ(r.lastRx.IsPositive(), true, "data arrived");
    }

    uint64_t m_maxBytes;         //!< MaxBytes
    double m_lossRate;           //!< loss
    std::list<uint32_t> m_drops; //!< listed drops
    bool m_ipv6;                 //!< IPv6
};

/// \return bytes split over n streams, the remainder on the first ones
std::vector<uint64_t>
Split(uint64_t total, uint32_t n)
{
    std::vector<uint64_t> v(n, total / n);
    for (uint32_t i = 0; i < total % n; ++i)
    {
        ++v[i];
    }
    return v;
}

/// \return a test name
std::string
TransferName(const TransferParams& p, const std::string& sizeText)
{
    std::ostringstream s;
    s << sizeText << " over " << p.streams << (p.streams == 1 ? " stream, " : " streams, ")
      << DirectionName(p.dir) << (p.ipv6 ? ", IPv6" : ", IPv4");
    return s.str();
}

} // namespace

/**
 * \ingroup quic-test
 * The quic-transfer suite.
 */
class QuicTransferTestSuite : public TestSuite
{
  public:
    QuicTransferTestSuite()
        : TestSuite("quic-transfer", UNIT)
    {
        const Direction dirs[] = {Direction::CLIENT_TO_SERVER,
                                  Direction::SERVER_STREAMS,
                                  Direction::SERVER_ANSWERS};
        const uint32_t streamCounts[] = {1, 2, 4, 8};

        // 1 B, one packet, 100 kB on every stream: every combination.
        for (uint64_t size : {uint64_t(1), uint64_t(1400), uint64_t(100000)})
        {
            for (Direction d : dirs)
            {
                for (bool v6 : {false, true})
                {
                    for (uint32_t n : streamCounts)
                    {
                        TransferParams p;
                        p.ipv6 = v6;
                        p.dir = d;
                        p.streams = n;
                        p.bytes.assign(n, size);
                        AddTestCase(new QuicPatternTransferTestCase(
                                        TransferName(p, std::to_string(size) + " B per stream"),
                                        p),
                                    QUICK);
                    }
                }
            }
        }
        // 5 MB in total, split over the streams.
        for (Direction d : dirs)
        {
            for (uint32_t n : streamCounts)
            {
                TransferParams p;
                p.ipv6 = (n == 2 || n == 8) != (d == Direction::SERVER_STREAMS);
                p.dir = d;
                p.streams = n;
                p.bytes = Split(5000000, n);
                AddTestCase(new QuicPatternTransferTestCase(TransferName(p, "5 MB in total"), p),
                            QUICK);
            }
        }
        // 50 MB in total.
        {
            TransferParams p;
            p.dir = Direction::CLIENT_TO_SERVER;
            p.streams = 1;
            p.bytes = {50000000};
            AddTestCase(new QuicPatternTransferTestCase(TransferName(p, "50 MB"), p), QUICK);
            p.ipv6 = true;
            p.dir = Direction::SERVER_STREAMS;
            p.streams = 8;
            p.bytes = Split(50000000, 8);
            AddTestCase(new QuicPatternTransferTestCase(TransferName(p, "50 MB in total"), p),
                        QUICK);
        }
        // Data written right after Connect, before the handshake completes.
        for (uint64_t size : {uint64_t(1), uint64_t(100000)})
        {
            TransferParams p;
            p.writeEarly = true;
            p.streams = 2;
            p.bytes.assign(2, size);
            AddTestCase(new QuicEarlySendTestCase(
                            "Send at t=0 before the handshake completes is buffered: " +
                                TransferName(p, std::to_string(size) + " B per stream"),
                            p),
                        QUICK);
        }
        // Losses: 1% random in both directions; listed drops hitting the handshake too.
        {
            TransferParams p;
            p.lossRate = 0.01;
            p.streams = 4;
            p.bytes = Split(5000000, 4);
            AddTestCase(new QuicLossyTransferTestCase("1% random loss both ways: " +
                                                          TransferName(p, "5 MB in total"),
                                                      p),
                        QUICK);
            p.ipv6 = true;
            p.dir = Direction::SERVER_ANSWERS;
            p.streams = 2;
            p.bytes = Split(2000000, 2);
            AddTestCase(new QuicLossyTransferTestCase("1% random loss both ways: " +
                                                          TransferName(p, "2 MB in total"),
                                                      p),
                        QUICK);
        }
        {
            TransferParams p;
            // Server side: the client's first Initial, then a burst of data packets;
            // client side: the server's first flight and a burst of ACK-carrying packets.
            p.dropAtServer = {0, 20, 21, 22, 23, 24, 60, 200, 201};
            p.dropAtClient = {0, 1, 30, 31, 32};
            p.streams = 2;
            p.bytes = Split(1000000, 2);
            AddTestCase(new QuicLossyTransferTestCase(
                            "listed drops (first Initial, first server flight, bursts): " +
                                TransferName(p, "1 MB in total"),
                            p),
                        QUICK);
        }

        // BulkSend / PacketSink: exactly MaxBytes.
        for (uint64_t maxBytes : {uint64_t(1), uint64_t(1399), uint64_t(1401), uint64_t(1000000)})
        {
            AddTestCase(new QuicBulkSendMaxBytesTestCase(maxBytes, 0, {}, maxBytes == 1401), QUICK);
        }
        AddTestCase(new QuicBulkSendMaxBytesTestCase(5000003, 0.01, {}, false), QUICK);
        AddTestCase(new QuicBulkSendMaxBytesTestCase(1000000, 0, {0, 10, 11, 12, 50}, true), QUICK);
    }
};

/// The suite's instance.
static QuicTransferTestSuite g_quicTransferTestSuite;

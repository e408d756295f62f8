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
#include "quic-test-utils.h"

#include "ns3/address.h"
#include "ns3/boolean.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/double.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue.h"
#include "ns3/quic-client-server-helper.h"
#include "ns3/quic-client.h"
#include "ns3/quic-server.h"
#include "ns3/random-variable-stream.h"
#include "ns3/seq-ts-size-header.h"
#include "ns3/test.h"

#include <sstream>

using namespace ns3;
using namespace ns3::quicconn;
using ns3::quictest::PacketBytes;

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
    uint64_t sinkTotal{0};               //!< PacketSink::GetTotalRx at the end
    uint64_t sentBytes{0};               //!< BulkSend's Tx trace total
    Time lastRx{Seconds(-1)};            //!< last reception
    uint64_t retransmitted{0};           //!< stream bytes sent again by the sender
    uint64_t sentDigest{kFnvOffset};     //!< FNV-1a of every byte BulkSend wrote, in order
    uint64_t receivedDigest{kFnvOffset}; //!< FNV-1a of every byte PacketSink read, in order

    /// FNV-1a 64-bit offset basis
    static constexpr uint64_t kFnvOffset = 14695981039346656037ULL;

    /**
     * Extends a running FNV-1a digest with a packet's bytes.
     * \param digest the digest so far
     * \param p the packet
     */
    static void Digest(uint64_t& digest, Ptr<const Packet> p)
    {
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        for (uint8_t b : bytes)
        {
            digest = (digest ^ b) * 1099511628211ULL;
        }
    }
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
    // Sequence numbers and timestamps in the data make misordered or duplicated bytes visible;
    // BulkSend aborts if a send (its last one) is shorter than that header.
    const uint64_t lastSend = maxBytes % 1400;
    const bool withHeader = lastSend == 0 || lastSend >= SeqTsSizeHeader().GetSerializedSize();
    source.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(withHeader));
    ApplicationContainer sourceApp = source.Install(t.nodes.Get(0));
    sourceApp.Start(Seconds(0));

    BulkResult r;
    Ptr<PacketSink> ps = DynamicCast<PacketSink>(sinkApp.Get(0));
    ps->TraceConnectWithoutContext("Rx",
                                   Callback<void, Ptr<const Packet>, const Address&>(
                                       [&r](Ptr<const Packet> p, const Address&) {
                                           r.lastRx = Simulator::Now();
                                           BulkResult::Digest(r.receivedDigest, p);
                                       }));
    sourceApp.Get(0)->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>>([&r](Ptr<const Packet> p) {
            r.sentBytes += p->GetSize();
            BulkResult::Digest(r.sentDigest, p);
        }));
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
        s << "BulkSend MaxBytes=" << maxBytes << " -> PacketSink reads those bytes exactly"
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
        NS_TEST_ASSERT_MSG_EQ(r.receivedDigest,
                              r.sentDigest,
                              "PacketSink read the bytes BulkSend wrote, in order");
    }

    uint64_t m_maxBytes;         //!< MaxBytes
    double m_lossRate;           //!< loss
    std::list<uint32_t> m_drops; //!< listed drops
    bool m_ipv6;                 //!< IPv6
};

/// QuicClient → QuicServer over QUIC, with the bytes compared message by message.
struct ClientServerParams
{
    bool ipv6{false};       //!< IPv6
    uint32_t clientNode{0}; //!< node running QuicClient (the other runs QuicServer)
    uint32_t streams{1};    //!< QuicClient NumStreams
    uint32_t messages{1};   //!< QuicClient MaxPackets
    uint32_t size{1024};    //!< QuicClient PacketSize (SeqTsSizeHeader included)
    double lossRate{0};     //!< random loss, both directions
};

/// What the server read, compared with what the client wrote.
struct ClientServerResult
{
    std::map<uint32_t, std::vector<uint8_t>> written; //!< client's messages by sequence number
    std::map<uint64_t, std::vector<uint32_t>> order;  //!< sequence numbers read per stream
    uint32_t read{0};                                 //!< messages read by the server
    uint32_t duplicates{0};                           //!< messages read twice
    uint32_t mismatches{0};                           //!< messages whose bytes differ
    uint32_t wrongStream{0};                          //!< messages read on another stream
    uint64_t framingErrors{0};                        //!< QuicServer::GetFramingErrors
    uint64_t retransmitted{0};                        //!< client's stream bytes sent again
};

/// \return the address of a node's first interface, with a port
Address
NodeAddress(Ptr<Node> node, bool ipv6, uint16_t port)
{
    if (ipv6)
    {
        return Inet6SocketAddress(node->GetObject<Ipv6>()->GetAddress(1, 1).GetAddress(), port);
    }
    return InetSocketAddress(node->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal(), port);
}

/**
 * Runs QuicClient to QuicServer and compares every message the server parsed with the one
 * the client wrote (same sequence number): its bytes, its stream, and the order per stream.
 * \param p the run
 * \return what happened
 */
ClientServerResult
RunClientServer(const ClientServerParams& p)
{
    ResetSimulation();
    Topology t = MakeTopology(p.ipv6, "100Mbps", "10ms");
    if (p.lossRate > 0)
    {
        AddRateLoss(t.devices.Get(0), p.lossRate, 30);
        AddRateLoss(t.devices.Get(1), p.lossRate, 40);
    }
    const uint16_t port = 4444;
    const uint32_t serverNode = 1 - p.clientNode;
    QuicServerHelper server(port);
    if (p.ipv6)
    {
        server.SetAttribute("Local", AddressValue(Ipv6Address::GetAny()));
    }
    ApplicationContainer serverApps = server.Install(t.nodes.Get(serverNode));
    serverApps.Start(Seconds(0));
    QuicClientHelper client(NodeAddress(t.nodes.Get(serverNode), p.ipv6, port));
    client.SetAttribute("NumStreams", UintegerValue(p.streams));
    client.SetAttribute("MaxPackets", UintegerValue(p.messages));
    client.SetAttribute("PacketSize", UintegerValue(p.size));
    client.SetAttribute("Interval", TimeValue(MicroSeconds(50)));
    ApplicationContainer clientApps = client.Install(t.nodes.Get(p.clientNode));
    clientApps.Start(Seconds(0));

    ClientServerResult r;
    Ptr<QuicClient> qc = DynamicCast<QuicClient>(clientApps.Get(0));
    Ptr<QuicServer> qs = DynamicCast<QuicServer>(serverApps.Get(0));
    qc->TraceConnectWithoutContext("Tx",
                                   Callback<void, Ptr<const Packet>>([&r](Ptr<const Packet> m) {
                                       SeqTsSizeHeader h;
                                       m->PeekHeader(h);
                                       r.written[h.GetSeq()] = PacketBytes(m);
                                   }));
    // QuicServer fires Rx then Delay (which names the stream) for each message it parses.
    uint32_t lastSeq = 0;
    qs->TraceConnectWithoutContext("Rx",
                                   Callback<void, Ptr<const Packet>, const Address&>(
                                       [&r, &lastSeq](Ptr<const Packet> m, const Address&) {
                                           SeqTsSizeHeader h;
                                           m->PeekHeader(h);
                                           lastSeq = h.GetSeq();
                                           ++r.read;
                                           auto it = r.written.find(lastSeq);
                                           if (it == r.written.end() ||
                                               it->second != PacketBytes(m))
                                           {
                                               ++r.mismatches;
                                           }
                                       }));
    qs->TraceConnectWithoutContext(
        "Delay",
        Callback<void, Time, uint64_t>([&r, &lastSeq, &p](Time, uint64_t streamId) {
            std::vector<uint32_t>& seqs = r.order[streamId];
            if (QuicClient::GetStreamIdForIndex(lastSeq % p.streams) != streamId)
            {
                ++r.wrongStream;
            }
            if (std::find(seqs.begin(), seqs.end(), lastSeq) != seqs.end())
            {
                ++r.duplicates;
            }
            seqs.push_back(lastSeq);
        }));
    Simulator::Stop(Seconds(60));
    Simulator::Run();
    r.framingErrors = qs->GetFramingErrors();
    if (Ptr<QuicSocketBase> s = DynamicCast<QuicSocketBase>(qc->GetSocket()))
    {
        r.retransmitted = s->GetStats().streamBytesRetransmitted;
    }
    Simulator::Destroy();
    return r;
}

/**
 * \brief QuicClient to QuicServer: every message arrives once, byte for byte, on the stream
 * the client chose (round robin), in the order it was written there.
 */
class QuicClientServerTransferTestCase : public TestCase
{
  public:
    /// \param p the run
    explicit QuicClientServerTransferTestCase(ClientServerParams p)
        : TestCase(Name(p)),
          m_params(p)
    {
    }

  private:
    /// \return the test name
    static std::string Name(const ClientServerParams& p)
    {
        std::ostringstream s;
        s << "QuicClient -> QuicServer " << p.messages << " x " << p.size << " B over " << p.streams
          << (p.streams == 1 ? " stream, " : " streams, ") << "node " << p.clientNode << " -> node "
          << 1 - p.clientNode << (p.ipv6 ? ", IPv6" : ", IPv4")
          << (p.lossRate > 0 ? ", random loss both ways" : "");
        return s.str();
    }

    void DoRun() override
    {
        ClientServerResult r = RunClientServer(m_params);
        NS_TEST_ASSERT_MSG_EQ(r.written.size(),
                              m_params.messages,
                              "QuicClient wrote every message");
        NS_TEST_ASSERT_MSG_EQ(r.read, m_params.messages, "QuicServer read every message");
        NS_TEST_ASSERT_MSG_EQ(r.mismatches, 0, "every message read equals the one written");
        NS_TEST_ASSERT_MSG_EQ(r.duplicates, 0, "no message read twice");
        NS_TEST_ASSERT_MSG_EQ(r.wrongStream, 0, "every message read on the stream it was written");
        NS_TEST_ASSERT_MSG_EQ(r.framingErrors, 0, "every stream parses");
        NS_TEST_ASSERT_MSG_EQ(r.order.size(),
                              std::min(m_params.streams, m_params.messages),
                              "every stream carried data");
        for (const auto& kv : r.order)
        {
            NS_TEST_ASSERT_MSG_EQ(std::is_sorted(kv.second.begin(), kv.second.end()),
                                  true,
                                  "stream " << kv.first << " delivered in the order written");
        }
        if (m_params.lossRate > 0)
        {
            NS_TEST_ASSERT_MSG_GT(r.retransmitted, 0, "losses made QUIC retransmit data");
        }
    }

    ClientServerParams m_params; //!< the run
};

/**
 * \brief Hundreds of connections open at once through one small queue: every one finishes.
 *
 * Their handshakes lose packets to the queue while 0-RTT or 1-RTT data fills the windows;
 * a lost client Finished, or a lost ClientHello behind 0-RTT packets (later connections
 * resume with 0-RTT), then waited behind a full window with no timer armed (RFC 9002
 * §6.2.1 does not probe application data before confirmation) and the connection hung.
 */
class QuicManyConnectionsTestCase : public TestCase
{
  public:
    QuicManyConnectionsTestCase()
        : TestCase("600 BulkSend -> PacketSink connections of 50 kB opened within 0.1 s "
                   "through a 100-packet queue all finish")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t flows = 600;
        const uint64_t bytes = 50000;
        ResetSimulation();
        Topology t = MakeTopology(false, "100Mbps", "10ms");
        t.devices.Get(0)->GetObject<PointToPointNetDevice>()->GetQueue()->SetMaxSize(
            QueueSize("100p"));
        PacketSinkHelper sink("ns3::QuicSocketFactory", t.anyAddress);
        ApplicationContainer sinkApp = sink.Install(t.nodes.Get(1));
        sinkApp.Start(Seconds(0));
        Ptr<UniformRandomVariable> start = CreateObject<UniformRandomVariable>();
        start->SetStream(50);
        uint32_t finished = 0;
        for (uint32_t i = 0; i < flows; ++i)
        {
            BulkSendHelper source("ns3::QuicSocketFactory", t.serverAddress);
            source.SetAttribute("MaxBytes", UintegerValue(bytes));
            ApplicationContainer app = source.Install(t.nodes.Get(0));
            app.Start(Seconds(start->GetValue(0, 0.1)));
        }
        Ptr<PacketSink> ps = DynamicCast<PacketSink>(sinkApp.Get(0));
        std::map<Address, uint64_t> perPeer;
        ps->TraceConnectWithoutContext("Rx",
                                       Callback<void, Ptr<const Packet>, const Address&>(
                                           [&](Ptr<const Packet> p, const Address& from) {
                                               uint64_t& n = perPeer[from];
                                               n += p->GetSize();
                                               if (n == bytes)
                                               {
                                                   ++finished;
                                               }
                                           }));
        // The scenario must keep exercising 0-RTT packets whose Initial was lost in the
        // queue (the server drops them: it has no connection for them yet).
        uint32_t orphan0Rtt = 0;
        t.nodes.Get(1)->GetObject<QuicL4Protocol>()->TraceConnectWithoutContext(
            "Drop",
            Callback<void, Ptr<const Packet>, const Address&>(
                [&](Ptr<const Packet> p, const Address&) {
                    uint8_t b0 = 0;
                    p->CopyData(&b0, 1);
                    if ((b0 & 0xb0) == 0x90) // long header, packet type 0-RTT (RFC 9000 §17.2)
                    {
                        ++orphan0Rtt;
                    }
                }));
        Simulator::Stop(Seconds(60));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(orphan0Rtt, 0u, "some 0-RTT packets arrived without their Initial");
        NS_TEST_ASSERT_MSG_EQ(perPeer.size(), flows, "every connection delivered data");
        NS_TEST_ASSERT_MSG_EQ(finished, flows, "every connection delivered all its bytes");
        NS_TEST_ASSERT_MSG_EQ(ps->GetTotalRx(), flows * bytes, "no byte more, none fewer");
        Simulator::Destroy();
    }
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
        // QuicClient / QuicServer: message by message, both directions over the link.
        auto clientServer =
            [this](bool v6, uint32_t from, uint32_t n, uint32_t msgs, uint32_t size, double loss) {
                ClientServerParams p;
                p.ipv6 = v6;
                p.clientNode = from;
                p.streams = n;
                p.messages = msgs;
                p.size = size;
                p.lossRate = loss;
                AddTestCase(new QuicClientServerTransferTestCase(p), QUICK);
            };
        clientServer(false, 1, 1, 1, 20, 0); // one message of only its header
        clientServer(false, 0, 4, 1000, 1024, 0);
        clientServer(true, 1, 8, 1000, 1400, 0);
        clientServer(true, 0, 3, 5000, 1000, 0.01);
        clientServer(false, 1, 8, 2000, 4000, 0.01); // messages spanning several packets

        AddTestCase(new QuicManyConnectionsTestCase(), QUICK);
    }
};

/// The suite's instance.
static QuicTransferTestSuite g_quicTransferTestSuite;

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-lossy-links: the torture matrix. Link profiles (random loss 0..30 %, burst loss,
 * reordering, duplication, corrupted bytes, asymmetric rates, tiny and huge buffers,
 * 100 kbit/s to 1 Gbit/s, small receive windows, small packets, graceful close under
 * loss) crossed with 1 and 8 streams and three congestion controls
 * (QuicCongestionControl, TcpNewReno, TcpCubic). Every configuration must deliver every
 * byte exactly (the pattern of quic-connection-test-util.h), close no connection with an
 * error, finish within a simulated-time bound stated per configuration (no stall), and
 * give the same digest of its traces and timings when run twice with the same seed.
 *
 * The simulated-time bound of a configuration is
 *     bound = 20 s + 10 × ideal / (1 − p)^4,
 * where ideal = 3 RTT + payload bits of one direction / the slower link rate and p the
 * probability that a packet of one direction is lost or must be resent (random loss +
 * burst probability × mean burst length + corruption + reordering, at most 0.5); at 30 %
 * loss this allows about 42 ideal transfers. Close profiles add 30 s (closing period,
 * or the 20 s idle timeout when a CONNECTION_CLOSE is lost).
 * The bound is on steady progress; it does not hold for the tail that probe timeouts
 * give: each PTO that passes without an acknowledgment doubles the next (RFC 9002
 * §6.2.1), so a few probes in a row that are lost, or whose acknowledgments are, leave a
 * live endpoint hearing nothing for tens of seconds (the packet-counted burst model makes
 * this likelier: a burst eats the next 1 to 4 packets however far apart they are sent).
 * So the completion time, less the time an endpoint heard nothing from its peer *while
 * the link was dropping or corrupting what the peer sent* (gaps between received packets
 * beyond 1 s, counted only if the link impaired a packet towards that endpoint within the
 * gap), must fit the bound. A silence with nothing sent is not excused (a stalled sender
 * still fails), nor is a slow but steady transfer. The simulation itself runs until the
 * bound plus the idle timeout (300 s; 20 s in close profiles), beyond which an endpoint
 * that heard nothing closes itself with an error; a connection that has not completed by
 * then has stalled.
 *
 * The whole matrix takes well under two minutes, so all of it is QUICK (part of the
 * default run).
 */

#include "quic-connection-test-util.h"
#include "quic-test-utils.h"

#include "ns3/boolean.h"
#include "ns3/global-value.h"
#include "ns3/quic-packet-protection.h"
#include "ns3/tcp-cubic.h"
#include "ns3/test.h"
#include "ns3/traffic-control-helper.h"

#include <cmath>
#include <sstream>

using namespace ns3;
using namespace ns3::quicconn;

namespace
{

/// One link profile.
struct LinkProfile
{
    std::string name;             //!< short name (test names)
    std::string rateUp{"10Mbps"}; //!< client → server rate
    std::string rateDown;         //!< server → client rate (empty: same as up)
    Time delay{MilliSeconds(20)}; //!< one-way delay
    uint32_t queue{100};          //!< device buffer, packets (each direction)
    double loss{0};               //!< random loss probability (each direction)
    double burst{0};              //!< burst start probability (BurstErrorModel)
    double reorder{0};            //!< probability a packet is held back
    Time reorderDelay;            //!< by how long
    double duplicate{0};          //!< probability a packet is duplicated
    double corrupt{0};            //!< probability a byte of a packet is flipped
    uint32_t window{0};           //!< stream and connection receive windows (0: defaults)
    uint32_t maxPacket{0};        //!< MaxPacketSize (0: default)
    bool close{false};            //!< client → server only; the client closes when written
};

/// One configuration of the matrix.
struct Config
{
    LinkProfile link;    //!< the link
    uint32_t streams{1}; //!< streams written
    std::string cc;      //!< the client's algorithm
};

/// What a run produced.
struct RunResult
{
    bool complete{false};          //!< every byte read
    uint32_t closedConnections{0}; //!< connections that reached CLOSED (close profiles)
    Time completeAt;               //!< when
    Time excusedSilence;           //!< longest excused silence of an endpoint (file comment)
    uint64_t bytesRead{0};         //!< bytes read (all streams)
    uint64_t mismatches{0};        //!< bytes differing from the pattern
    uint64_t missingStreams{0};    //!< streams with fewer bytes than written
    uint32_t errorCloses{0};       //!< error closes (both)
    uint32_t sendErrors{0};        //!< unexpected Send failures
    uint64_t unexpected{0};        //!< bytes on streams never written
    uint64_t closeCodes{0};        //!< client | server close codes
    uint64_t lost{0};              //!< packets declared lost (both)
    uint64_t impaired{0};          //!< packets the links dropped, held, copied or corrupted
    uint64_t digest{0};            //!< traces and timings
    std::string detail;            //!< counters for messages
    std::ostringstream mismatchAt; //!< where content differed
};

/// \return the rate in bit/s of an ns-3 rate string
double
Bps(const std::string& rate)
{
    return static_cast<double>(DataRate(rate).GetBitRate());
}

/// \param c a configuration \return payload bytes per stream
uint64_t
BytesPerStream(const Config& c)
{
    // About a second of the slower link, 40 kB .. 3 MB in all, each direction.
    std::string down = c.link.rateDown.empty() ? c.link.rateUp : c.link.rateDown;
    double total = std::min(Bps(c.link.rateUp), Bps(down)) / 8;
    total = std::min(std::max(total, 40000.0), 3000000.0);
    return static_cast<uint64_t>(total) / c.streams;
}

/// \param l a link \return the loss probability of one direction (for the bound)
double
LossProbability(const LinkProfile& l)
{
    // BurstSize is uniform 1..4 (mean 2.5); a held-back packet is usually declared lost
    // (packet threshold) and its data resent, so reordering counts as loss here.
    double p = l.loss + l.burst * 2.5 + l.corrupt + l.reorder;
    return std::min(p, 0.5);
}

/**
 * Time an endpoint heard nothing from its peer while the link towards it dropped or
 * corrupted packets (see the file comment).
 */
class SilenceTracker
{
  public:
    /// \param toHere the impairments of the link towards the endpoint
    explicit SilenceTracker(Ptr<quictest::ImpairmentErrorModel> toHere)
        : m_toHere(toHere)
    {
    }

    /// A packet was received and processed by the endpoint.
    void OnRx()
    {
        // Gaps between received packets up to a second are ordinary.
        const Time gap = Seconds(1);
        Time now = Simulator::Now();
        uint64_t lost = m_toHere->GetDropped() + m_toHere->GetCorrupted();
        if (now - m_lastRx > gap && lost > m_lostAtLastRx)
        {
            m_excused += now - m_lastRx - gap;
        }
        m_lastRx = now;
        m_lostAtLastRx = lost;
    }

    /// \return the excused silence so far
    Time GetExcused() const
    {
        return m_excused;
    }

  private:
    Ptr<quictest::ImpairmentErrorModel> m_toHere; //!< link towards the endpoint
    Time m_lastRx;                                //!< last reception
    uint64_t m_lostAtLastRx{0};                   //!< its drops + corruptions then
    Time m_excused;                               //!< excused silence
};

/// Trace sink of a connection's Rx. \param t the tracker
void
NoteRx(SilenceTracker* t, Ptr<const Packet>, const QuicHeader&, Ptr<const QuicSocketBase>)
{
    t->OnRx();
}

/// \param c a configuration \return the simulated-time bound (see the file comment)
Time
Bound(const Config& c)
{
    std::string down = c.link.rateDown.empty() ? c.link.rateUp : c.link.rateDown;
    double slower = std::min(Bps(c.link.rateUp), Bps(down));
    double ideal =
        6 * c.link.delay.GetSeconds() + double(BytesPerStream(c) * c.streams) * 8 / slower;
    double p = LossProbability(c.link);
    // Close profiles also wait for the closing period or a 20 s idle timeout.
    return Seconds(20 + 10 * ideal / std::pow(1 - p, 4) + (c.link.close ? 30 : 0));
}

/// FNV-1a step.
void
Mix(uint64_t& h, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
    {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
}

/// \param h digest \param o old cwnd \param n new cwnd
void
MixCwnd(uint64_t* h, uint32_t o, uint32_t n)
{
    Mix(*h, Simulator::Now().GetNanoSeconds());
    Mix(*h, n);
}

/**
 * \param dev the receiving device
 * \param l the link
 * \param stream first RNG stream
 * \return the impairment model installed on it
 */
Ptr<quictest::ImpairmentErrorModel>
Impair(Ptr<NetDevice> dev, const LinkProfile& l, int64_t stream)
{
    Ptr<quictest::ImpairmentErrorModel> em = CreateObject<quictest::ImpairmentErrorModel>();
    em->SetDevice(dev);
    em->AssignStreams(stream);
    if (l.loss > 0)
    {
        Ptr<RateErrorModel> drop = CreateObject<RateErrorModel>();
        drop->SetAttribute("ErrorRate", DoubleValue(l.loss));
        drop->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
        drop->AssignStreams(stream + 1);
        em->SetDropModel(drop);
    }
    else if (l.burst > 0)
    {
        Ptr<BurstErrorModel> drop = CreateObject<BurstErrorModel>();
        drop->SetAttribute("ErrorRate", DoubleValue(l.burst));
        drop->AssignStreams(stream + 1);
        em->SetDropModel(drop);
    }
    em->SetReorder(l.reorder, l.reorderDelay);
    em->SetDuplicate(l.duplicate);
    em->SetCorrupt(l.corrupt);
    dev->SetAttribute("ReceiveErrorModel", PointerValue(em));
    return em;
}

/**
 * Runs one configuration: the client writes the pattern on its streams, the server
 * checks every byte.
 * \param c the configuration
 * \return what happened
 */
RunResult
RunConfig(const Config& c)
{
    ResetSimulation();
    // Corrupted datagrams are discarded by the UDP checksum, as a real stack does (QUIC's
    // AEAD would catch what the checksum misses; the model has no real cryptography).
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(c.link.corrupt > 0));
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(c.link.rateUp));
    p2p.SetChannelAttribute("Delay", TimeValue(c.link.delay));
    std::ostringstream q;
    q << c.link.queue << "p";
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue(q.str()));
    NetDeviceContainer devices = p2p.Install(nodes);
    if (!c.link.rateDown.empty())
    {
        devices.Get(1)->SetAttribute("DataRate", StringValue(c.link.rateDown));
    }
    QuicHelper stack;
    stack.InstallQuic(nodes);
    stack.AssignQuicStreams(nodes, 100);
    Ipv4AddressHelper address;
    address.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifaces = address.Assign(devices);
    // The device buffer is the bottleneck buffer: no default queue disc in front of it.
    TrafficControlHelper().Uninstall(devices);
    Address serverAddress = InetSocketAddress(ifaces.GetAddress(1), 4433);
    Address anyAddress = InetSocketAddress(Ipv4Address::GetAny(), 4433);
    Ptr<quictest::ImpairmentErrorModel> toServer = Impair(devices.Get(1), c.link, 10);
    Ptr<quictest::ImpairmentErrorModel> toClient = Impair(devices.Get(0), c.link, 20);

    Ptr<PatternApp> client = CreateObject<PatternApp>();
    Ptr<PatternApp> server = CreateObject<PatternApp>();
    client->Setup(serverAddress, false);
    server->Setup(anyAddress, true);
    client->SetSendSeed(77);
    server->SetRecvSeed(77);
    server->SetSendSeed(88);
    client->SetRecvSeed(88);
    // Both directions carry data: the client on its streams 0, 4, …, the server on its
    // streams 1, 5, …
    std::vector<PatternApp::Flow> clientPlan;
    std::vector<PatternApp::Flow> serverPlan;
    std::map<uint64_t, uint64_t> serverExpects;
    std::map<uint64_t, uint64_t> clientExpects;
    uint64_t perStream = BytesPerStream(c);
    for (uint32_t i = 0; i < c.streams; ++i)
    {
        clientPlan.push_back({uint64_t(i) << 2, perStream});
        serverExpects[uint64_t(i) << 2] = perStream;
        if (!c.link.close)
        {
            serverPlan.push_back({(uint64_t(i) << 2) | 1, perStream});
            clientExpects[(uint64_t(i) << 2) | 1] = perStream;
        }
    }
    // Close profiles: a graceful Close() (FlushOnClose) once everything is written, and
    // the simulation runs until both connections are gone (idle timeout 20 s for a lost
    // CONNECTION_CLOSE).
    client->SetCloseWhenDone(c.link.close);
    client->SetPlan(clientPlan);
    server->SetPlan(serverPlan);
    server->SetExpected(serverExpects);
    client->SetExpected(clientExpects);
    std::string cc = c.cc;
    // Where bytes are corrupted, the emulated AEAD check discards what the UDP checksum
    // misses (ns-3's checksum let corrupted datagrams through).
    bool protect = c.link.corrupt > 0;
    LinkProfile l = c.link;
    auto configure = [protect, l](Ptr<QuicSocketBase> s) {
        s->SetAttribute("PacketProtection", BooleanValue(protect));
        if (l.window > 0)
        {
            s->SetAttribute("StreamRcvBufSize", UintegerValue(l.window));
            s->SetAttribute("InitialMaxData", UintegerValue(l.window * 2));
        }
        if (l.close)
        {
            s->SetAttribute("IdleTimeout", TimeValue(Seconds(20)));
        }
        if (l.maxPacket > 0)
        {
            s->SetAttribute("MaxPacketSize", UintegerValue(l.maxPacket));
        }
    };
    client->SetConfigure([cc, configure](Ptr<QuicSocketBase> s) {
        ObjectFactory f(cc);
        s->SetCongestionControlAlgorithm(f.Create<TcpCongestionOps>());
        configure(s);
    });
    server->SetConfigure(configure);
    RunResult r;
    uint64_t digest = 0xcbf29ce484222325ULL;
    SilenceTracker clientSilence(toClient);
    SilenceTracker serverSilence(toServer);
    client->SetOnConnection([&digest, &clientSilence](Ptr<QuicSocketBase> s) {
        s->TraceConnectWithoutContext("CongestionWindow", MakeBoundCallback(&MixCwnd, &digest));
        s->TraceConnectWithoutContext("Rx", MakeBoundCallback(&NoteRx, &clientSilence));
    });
    server->SetOnConnection([&serverSilence](Ptr<QuicSocketBase> s) {
        s->TraceConnectWithoutContext("Rx", MakeBoundCallback(&NoteRx, &serverSilence));
    });
    // Plain pointers: the apps keep this callback, and Ptr captures would make a cycle.
    PatternApp* clientApp = PeekPointer(client);
    PatternApp* serverApp = PeekPointer(server);
    auto checkDone = [&r, &c, clientApp, serverApp, &clientSilence, &serverSilence]() {
        if (!r.complete && clientApp->IsComplete() && serverApp->IsComplete())
        {
            r.complete = true;
            r.completeAt = Simulator::Now();
            r.excusedSilence = std::max(clientSilence.GetExcused(), serverSilence.GetExcused());
            if (!c.link.close)
            {
                Simulator::Stop(Seconds(1));
            }
        }
    };
    client->SetOnComplete(checkDone);
    server->SetOnComplete(checkDone);
    nodes.Get(0)->AddApplication(client);
    nodes.Get(1)->AddApplication(server);
    // Past the idle timeout an endpoint that heard nothing closes itself: a connection
    // not complete by then has stalled (see the file comment).
    Simulator::Stop(Bound(c) + Seconds(c.link.close ? 20 : 300));
    Simulator::Run();

    std::map<uint64_t, StreamRecord> records = server->GetRecords();
    for (const auto& kv : client->GetRecords())
    {
        records[kv.first] = kv.second;
    }
    for (const auto& kv : records)
    {
        r.bytesRead += kv.second.bytes;
        r.mismatches += kv.second.mismatches;
        r.missingStreams += kv.second.bytes != perStream ? 1 : 0;
        Mix(digest, kv.second.complete.GetNanoSeconds());
        if (kv.second.mismatches > 0)
        {
            r.mismatchAt << "stream " << kv.first << " first wrong byte at "
                         << kv.second.firstMismatch << " (" << kv.second.mismatches << " wrong); ";
        }
    }
    r.errorCloses = client->GetErrorCloses() + server->GetErrorCloses();
    r.sendErrors = client->GetSendErrors() + server->GetSendErrors();
    r.unexpected = client->GetUnexpectedBytes() + server->GetUnexpectedBytes();
    std::ostringstream d;
    for (Ptr<PatternApp> app : {client, server})
    {
        Ptr<QuicSocketBase> conn = app->GetConnection();
        if (!conn)
        {
            continue;
        }
        r.closeCodes |= conn->GetCloseErrorCode();
        r.closedConnections += conn->GetState() == QuicSocket::CLOSED ? 1 : 0;
        const QuicSocketBase::Stats& st = conn->GetStats();
        uint64_t lost = conn->GetLossRecovery() ? conn->GetLossRecovery()->GetLostPacketCount() : 0;
        r.lost += lost;
        Mix(digest, st.packetsSent);
        Mix(digest, st.bytesSent);
        Mix(digest, st.packetsReceived);
        Mix(digest, lost);
        d << (app == client ? "client" : "server") << ": sent=" << st.packetsSent
          << " received=" << st.packetsReceived << " dropped=" << st.packetsDropped
          << " lost=" << lost << " state=" << int(conn->GetState())
          << " cwnd=" << conn->GetSocketState()->m_cWnd.Get()
          << " inflight=" << conn->GetSocketState()->m_bytesInFlight.Get()
          << " pto=" << (conn->GetLossRecovery() ? conn->GetLossRecovery()->GetPtoCount() : 0)
          << " timer="
          << (conn->GetLossRecovery() ? conn->GetLossRecovery()->GetTimerExpiry().GetSeconds() : 0)
          << "; ";
    }
    for (Ptr<quictest::ImpairmentErrorModel> em : {toServer, toClient})
    {
        r.impaired +=
            em->GetDropped() + em->GetReordered() + em->GetDuplicated() + em->GetCorrupted();
        Mix(digest, em->GetDropped());
    }
    Mix(digest, r.completeAt.GetNanoSeconds());
    r.digest = digest;
    d << "read=" << r.bytesRead << " of " << (c.link.close ? 1 : 2) * perStream * c.streams
      << " impaired=" << r.impaired << " completeAt=" << r.completeAt.GetSeconds()
      << "s excusedSilence=" << r.excusedSilence.GetSeconds() << "s bound=" << Bound(c).GetSeconds()
      << "s";
    d << " " << r.mismatchAt.str();
    r.detail = d.str();
    Simulator::Destroy();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    return r;
}

/// \param cc an algorithm TypeId name \return a short name
std::string
ShortCc(const std::string& cc)
{
    return cc.substr(cc.find("::") + 2);
}

/**
 * \brief One configuration of the matrix: exact delivery within the bound, twice, same
 * digest.
 */
class QuicLossyLinkTestCase : public TestCase
{
  public:
    /// \param c the configuration
    explicit QuicLossyLinkTestCase(Config c)
        : TestCase(c.link.name + ", " + std::to_string(c.streams) + " stream" +
                   (c.streams > 1 ? "s" : "") + ", " + ShortCc(c.cc)),
          m_c(std::move(c))
    {
    }

  private:
    void DoRun() override
    {
        RunResult a = RunConfig(m_c);
        {
            double b = Bound(m_c).GetSeconds();
            fprintf(stderr,
                    GetName().c_str(),
                    a.completeAt.GetSeconds(),
                    a.excusedSilence.GetSeconds(),
                    b,
                    (a.completeAt - a.excusedSilence).GetSeconds() / b);
        }
        const std::string& d = a.detail;
        NS_TEST_ASSERT_MSG_EQ(a.complete, true, "every byte read (no stall); " << d);
        NS_TEST_ASSERT_MSG_LT_OR_EQ(a.completeAt - a.excusedSilence,
                                    Bound(m_c),
                                    "completion less excused silence within the bound; " << d);
        NS_TEST_ASSERT_MSG_EQ(a.bytesRead,
                              (m_c.link.close ? 1 : 2) * BytesPerStream(m_c) * m_c.streams,
                              "bytes read == written; " << d);
        NS_TEST_ASSERT_MSG_EQ(a.missingStreams, 0, "every stream complete; " << d);
        NS_TEST_ASSERT_MSG_EQ(a.mismatches, 0, "content exact; " << d);
        NS_TEST_ASSERT_MSG_EQ(a.unexpected, 0, "no bytes on unwritten streams");
        if (m_c.link.close)
        {
            // A lost CONNECTION_CLOSE leaves the server to its idle timeout (an error
            // close, RFC 9000 §10.1); both connections must be gone in the end.
            NS_TEST_ASSERT_MSG_EQ(a.closedConnections, 2, "both connections closed; " << d);
        }
        else
        {
            NS_TEST_ASSERT_MSG_EQ(a.errorCloses, 0, "no error close; " << d);
        }
        NS_TEST_ASSERT_MSG_EQ(a.closeCodes, 0, "no close code; " << d);
        NS_TEST_ASSERT_MSG_EQ(a.sendErrors, 0, "no unexpected Send failure");
        bool impairedLink = m_c.link.loss > 0 || m_c.link.burst > 0 || m_c.link.reorder > 0 ||
                            m_c.link.duplicate > 0 || m_c.link.corrupt > 0;
        if (impairedLink)
        {
            NS_TEST_ASSERT_MSG_GT(a.impaired, 0, "the link really impaired packets; " << d);
        }
        RunResult b = RunConfig(m_c);
        NS_TEST_ASSERT_MSG_EQ(b.digest, a.digest, "same seed, same traces and timings");
        NS_TEST_ASSERT_MSG_EQ(b.completeAt, a.completeAt, "same completion time");
    }

    Config m_c; //!< configuration
};

/**
 * \brief The emulated AEAD check rejects a packet with any one byte changed.
 */
class QuicPacketProtectionTestCase : public TestCase
{
  public:
    QuicPacketProtectionTestCase()
        : TestCase("packet protection: every single-byte change of a sealed packet is detected")
    {
    }

  private:
    void DoRun() override
    {
        for (std::size_t len : {std::size_t(17), std::size_t(40), std::size_t(1252)})
        {
            std::vector<uint8_t> p(len);
            for (std::size_t i = 0; i < len; ++i)
            {
                p[i] = PatternByte(3, len, i);
            }
            QuicPacketProtection::Seal(p.data(), len);
            QUIC_TEST_REQUIRE(QuicPacketProtection::Verify(p.data(), len), "sealed verifies");
            uint32_t undetected = 0;
            for (std::size_t i = 0; i < len; ++i)
            {
                for (uint8_t x : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff), uint8_t(0x5a)})
                {
                    p[i] ^= x;
                    undetected += QuicPacketProtection::Verify(p.data(), len) ? 1 : 0;
                    p[i] ^= x;
                }
            }
            NS_TEST_ASSERT_MSG_EQ(undetected, 0, "every change detected, length " << len);
            NS_TEST_ASSERT_MSG_EQ(QuicPacketProtection::Verify(p.data(), len - 1),
                                  false,
                                  "a truncated packet fails");
        }
    }
};

/// \return the link profiles of the matrix
std::vector<LinkProfile>
Profiles()
{
    std::vector<LinkProfile> v;
    for (double loss : {0.0, 0.01, 0.05, 0.10, 0.20, 0.30})
    {
        LinkProfile l;
        l.name = "random loss " + std::to_string(int(loss * 100 + 0.5)) + " pct";
        l.loss = loss;
        v.push_back(l);
    }
    LinkProfile burst;
    burst.name = "burst loss";
    burst.burst = 0.02;
    v.push_back(burst);
    LinkProfile reorderSmall;
    reorderSmall.name = "reordering 10 pct by 5 ms";
    reorderSmall.reorder = 0.10;
    reorderSmall.reorderDelay = MilliSeconds(5);
    v.push_back(reorderSmall);
    LinkProfile reorderLarge;
    reorderLarge.name = "reordering 25 pct by 50 ms";
    reorderLarge.reorder = 0.25;
    reorderLarge.reorderDelay = MilliSeconds(50);
    v.push_back(reorderLarge);
    LinkProfile dup;
    dup.name = "duplication 10 pct";
    dup.duplicate = 0.10;
    v.push_back(dup);
    LinkProfile corrupt;
    corrupt.name = "corrupted bytes 5 pct";
    corrupt.corrupt = 0.05;
    v.push_back(corrupt);
    LinkProfile mix;
    mix.name = "loss 5 pct, reordering, duplication, corruption";
    mix.loss = 0.05;
    mix.reorder = 0.05;
    mix.reorderDelay = MilliSeconds(10);
    mix.duplicate = 0.05;
    mix.corrupt = 0.02;
    v.push_back(mix);
    LinkProfile heavy;
    heavy.name = "loss 30 pct with reordering 20 pct by 30 ms";
    heavy.loss = 0.30;
    heavy.reorder = 0.20;
    heavy.reorderDelay = MilliSeconds(30);
    v.push_back(heavy);
    LinkProfile heavyBurst;
    heavyBurst.name = "heavy burst loss";
    heavyBurst.burst = 0.08;
    v.push_back(heavyBurst);
    LinkProfile reorderRtt;
    reorderRtt.name = "reordering 50 pct by 100 ms";
    reorderRtt.reorder = 0.50;
    reorderRtt.reorderDelay = MilliSeconds(100);
    v.push_back(reorderRtt);
    LinkProfile dupHeavy;
    dupHeavy.name = "duplication 50 pct";
    dupHeavy.duplicate = 0.50;
    v.push_back(dupHeavy);
    LinkProfile corruptHeavy;
    corruptHeavy.name = "corrupted bytes 20 pct";
    corruptHeavy.corrupt = 0.20;
    v.push_back(corruptHeavy);
    LinkProfile asymAck;
    asymAck.name = "asymmetric 10 Mbps up 256 kbps down";
    asymAck.rateDown = "256kbps";
    v.push_back(asymAck);
    LinkProfile asymData;
    asymData.name = "asymmetric 1 Mbps up 50 Mbps down";
    asymData.rateUp = "1Mbps";
    asymData.rateDown = "50Mbps";
    v.push_back(asymData);
    LinkProfile tiny;
    tiny.name = "tiny buffers 3 packets";
    tiny.queue = 3;
    v.push_back(tiny);
    LinkProfile huge;
    huge.name = "huge buffers 20000 packets";
    huge.queue = 20000;
    v.push_back(huge);
    LinkProfile slow;
    slow.name = "100 kbps";
    slow.rateUp = "100kbps";
    v.push_back(slow);
    LinkProfile slowLossy;
    slowLossy.name = "100 kbps with 10 pct loss";
    slowLossy.rateUp = "100kbps";
    slowLossy.loss = 0.10;
    v.push_back(slowLossy);
    LinkProfile tinyFast;
    tinyFast.name = "1 Gbps 1 ms with 1-packet buffers";
    tinyFast.rateUp = "1Gbps";
    tinyFast.delay = MilliSeconds(1);
    tinyFast.queue = 1;
    v.push_back(tinyFast);
    LinkProfile slowAsymLossy;
    slowAsymLossy.name = "asymmetric 2 Mbps up 100 kbps down with 5 pct loss";
    slowAsymLossy.rateUp = "2Mbps";
    slowAsymLossy.rateDown = "100kbps";
    slowAsymLossy.loss = 0.05;
    v.push_back(slowAsymLossy);
    LinkProfile smallWindows;
    smallWindows.name = "4 kB receive windows with 10 pct loss";
    smallWindows.window = 4096;
    smallWindows.loss = 0.10;
    v.push_back(smallWindows);
    LinkProfile smallWindowsReorder;
    smallWindowsReorder.name = "4 kB receive windows with reordering and duplication";
    smallWindowsReorder.window = 4096;
    smallWindowsReorder.reorder = 0.2;
    smallWindowsReorder.reorderDelay = MilliSeconds(20);
    smallWindowsReorder.duplicate = 0.2;
    v.push_back(smallWindowsReorder);
    LinkProfile smallPackets;
    smallPackets.name = "1200-byte packets with 20 pct loss";
    smallPackets.maxPacket = 1200;
    smallPackets.loss = 0.20;
    v.push_back(smallPackets);
    LinkProfile slowVeryLossy;
    slowVeryLossy.name = "100 kbps with 30 pct loss";
    slowVeryLossy.rateUp = "100kbps";
    slowVeryLossy.loss = 0.30;
    v.push_back(slowVeryLossy);
    for (double loss : {0.0, 0.10, 0.30})
    {
        LinkProfile l;
        l.name = "graceful close with " + std::to_string(int(loss * 100 + 0.5)) + " pct loss";
        l.loss = loss;
        l.close = true;
        v.push_back(l);
    }
    LinkProfile closeReorder;
    closeReorder.name = "graceful close with reordering and duplication";
    closeReorder.reorder = 0.2;
    closeReorder.reorderDelay = MilliSeconds(30);
    closeReorder.duplicate = 0.2;
    closeReorder.close = true;
    v.push_back(closeReorder);
    LinkProfile fast;
    fast.name = "1 Gbps 1 ms";
    fast.rateUp = "1Gbps";
    fast.delay = MilliSeconds(1);
    fast.queue = 1000;
    v.push_back(fast);
    LinkProfile fastLossy;
    fastLossy.name = "1 Gbps 1 ms with 1 pct loss";
    fastLossy.rateUp = "1Gbps";
    fastLossy.delay = MilliSeconds(1);
    fastLossy.queue = 1000;
    fastLossy.loss = 0.01;
    v.push_back(fastLossy);
    return v;
}

/**
 * \brief The torture matrix.
 */
class QuicLossyLinksTestSuite : public TestSuite
{
  public:
    QuicLossyLinksTestSuite()
        : TestSuite("quic-lossy-links", SYSTEM)
    {
        const std::vector<std::string> ccs{"ns3::QuicCongestionControl",
                                           "ns3::TcpNewReno",
                                           "ns3::TcpCubic"};
        AddTestCase(new QuicPacketProtectionTestCase, TestCase::QUICK);
        for (const LinkProfile& l : Profiles())
        {
            for (uint32_t streams : {1u, 8u})
            {
                for (const std::string& cc : ccs)
                {
                    AddTestCase(new QuicLossyLinkTestCase({l, streams, cc}), TestCase::QUICK);
                }
            }
        }
    }
};

/// The suite's single instance.
static QuicLossyLinksTestSuite g_quicLossyLinksTestSuite;

} // namespace

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-ecn: ECN on QUIC connections (RFC 9000 §13.4, RFC 9002 §7.1). A bulk flow through
 * a marking AQM (RED, CoDel, FqCoDel with UseEcn) sees CE marks, reduces its window and
 * loses nothing to the queue, where the same run without ECN loses packets; a path that
 * clears the ECN bits makes validation fail and the transfer still completes; TcpDctcp
 * over QUIC reacts to the marked fraction (alpha). Unit cases check the validation rules
 * of QuicEcnController on hand-made ACK frames.
 */

#include "quic-connection-test-util.h"
#include "quic-test-utils.h"

#include "ns3/boolean.h"
#include "ns3/queue-disc.h"
#include "ns3/tcp-dctcp.h"
#include "ns3/test.h"
#include "ns3/traffic-control-helper.h"

#include <sstream>

using namespace ns3;
using namespace ns3::quicconn;

namespace
{

/// The queue of the bottleneck (client → server).
enum class Aqm
{
    RED,    //!< RedQueueDisc, instantaneous queue (QW 1), MinTh 5, MaxTh 15
    CODEL,  //!< CoDelQueueDisc
    FQCODEL //!< FqCoDelQueueDisc
};

/// One run.
struct EcnParams
{
    bool ecn{true};                               //!< the Ecn attribute of both ends
    Aqm aqm{Aqm::RED};                            //!< bottleneck queue
    bool aqmEcn{true};                            //!< the AQM marks (UseEcn)
    std::string cc{"ns3::QuicCongestionControl"}; //!< the client's algorithm
    bool bleach{false};                           //!< the path clears the ECN bits
    bool ipv6{false};                             //!< IPv6 (Traffic Class) instead of IPv4
    uint64_t bytes{3000000};                      //!< bytes client → server
};

/// What happened.
struct EcnResult
{
    bool complete{false};                  //!< every byte read
    uint64_t mismatches{0};                //!< bytes differing from the pattern
    uint64_t bytesRead{0};                 //!< bytes read by the server
    uint32_t errorCloses{0};               //!< error closes
    uint64_t queueDrops{0};                //!< packets the AQM dropped
    uint64_t queueMarks{0};                //!< packets the AQM marked CE
    uint64_t ceMarks{0};                   //!< CE marks the client reacted to
    uint64_t markedDatagrams{0};           //!< datagrams the client sent ECT
    uint64_t lost{0};                      //!< packets the client declared lost
    uint64_t bleached{0};                  //!< packets whose ECN bits the path cleared
    QuicEcnState finalState{ECN_DISABLED}; //!< client's ECN state at the end
    std::vector<QuicEcnState> states;      //!< client's ECN states, in order
    std::string failure;                   //!< client's validation failure reason
    uint32_t reductions{0};                //!< cwnd decreases of the client
    double largestReductionRatio{0};       //!< largest new/old of those (gentlest cut)
    double minAlpha{2};                    //!< DCTCP: smallest alpha estimated
    uint64_t dctcpMarkedBytes{0};          //!< DCTCP: marked bytes it counted
};

/// \param r a result \param s a state \param o old value
void
RecordEcnState(EcnResult* r, QuicEcnState o, QuicEcnState s)
{
    r->states.push_back(s);
}

/// \param r a result \param o old cwnd \param n new cwnd
void
RecordCwnd(EcnResult* r, uint32_t o, uint32_t n)
{
    if (n < o && o > 0)
    {
        ++r->reductions;
        r->largestReductionRatio = std::max(r->largestReductionRatio, double(n) / o);
    }
}

/// \param r a result \param acked bytes acked \param marked bytes marked \param alpha DCTCP alpha
void
RecordDctcp(EcnResult* r, uint32_t acked, uint32_t marked, double alpha)
{
    r->minAlpha = std::min(r->minAlpha, alpha);
    r->dctcpMarkedBytes += marked;
}

/**
 * Runs a bulk transfer client → server over 10 Mbit/s, 10 ms through the AQM.
 * \param p the run
 * \return what happened
 */
EcnResult
RunEcn(const EcnParams& p)
{
    ResetSimulation();
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("10ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p")); // the AQM holds the queue
    NetDeviceContainer devices = p2p.Install(nodes);
    QuicHelper stack;
    stack.InstallQuic(nodes);
    stack.AssignQuicStreams(nodes, 100);
    TrafficControlHelper tch;
    switch (p.aqm)
    {
    case Aqm::RED:
        tch.SetRootQueueDisc("ns3::RedQueueDisc",
                             "UseEcn",
                             BooleanValue(p.aqmEcn),
                             "UseHardDrop",
                             BooleanValue(false),
                             "QW",
                             DoubleValue(1.0),
                             "MinTh",
                             DoubleValue(5),
                             "MaxTh",
                             DoubleValue(15),
                             "MaxSize",
                             StringValue("200p"),
                             "LinkBandwidth",
                             StringValue("10Mbps"),
                             "LinkDelay",
                             StringValue("10ms"));
        break;
    case Aqm::CODEL:
        tch.SetRootQueueDisc("ns3::CoDelQueueDisc",
                             "UseEcn",
                             BooleanValue(p.aqmEcn),
                             "MaxSize",
                             StringValue("200p"));
        break;
    case Aqm::FQCODEL:
        tch.SetRootQueueDisc("ns3::FqCoDelQueueDisc",
                             "UseEcn",
                             BooleanValue(p.aqmEcn),
                             "MaxSize",
                             StringValue("200p"));
        break;
    }
    QueueDiscContainer qdiscs = tch.Install(devices.Get(0));
    Address serverAddress;
    Address anyAddress;
    if (p.ipv6)
    {
        Ipv6AddressHelper address;
        address.SetBase("2001:db8::", Ipv6Prefix(64));
        Ipv6InterfaceContainer ifaces = address.Assign(devices);
        serverAddress = Inet6SocketAddress(ifaces.GetAddress(1, 1), 4433);
        anyAddress = Inet6SocketAddress(Ipv6Address::GetAny(), 4433);
    }
    else
    {
        Ipv4AddressHelper address;
        address.SetBase("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer ifaces = address.Assign(devices);
        serverAddress = InetSocketAddress(ifaces.GetAddress(1), 4433);
        anyAddress = InetSocketAddress(Ipv4Address::GetAny(), 4433);
    }
    Ptr<quictest::ImpairmentErrorModel> bleacher;
    if (p.bleach)
    {
        bleacher = CreateObject<quictest::ImpairmentErrorModel>();
        bleacher->SetDevice(devices.Get(1));
        bleacher->SetEcnBleaching(true);
        devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(bleacher));
    }

    EcnResult r;
    Ptr<PatternApp> client = CreateObject<PatternApp>();
    Ptr<PatternApp> server = CreateObject<PatternApp>();
    client->Setup(serverAddress, false);
    server->Setup(anyAddress, true);
    client->SetSendSeed(5);
    server->SetRecvSeed(5);
    client->SetPlan({{0, p.bytes}});
    server->SetExpected({{0, p.bytes}});
    client->SetExpected({});
    bool ecn = p.ecn;
    std::string cc = p.cc;
    client->SetConfigure([ecn, cc](Ptr<QuicSocketBase> s) {
        s->SetAttribute("Ecn", BooleanValue(ecn));
        ObjectFactory f(cc);
        s->SetCongestionControlAlgorithm(f.Create<TcpCongestionOps>());
    });
    server->SetConfigure(
        [ecn](Ptr<QuicSocketBase> s) { s->SetAttribute("Ecn", BooleanValue(ecn)); });
    client->SetOnConnection([&r](Ptr<QuicSocketBase> s) {
        s->TraceConnectWithoutContext("EcnValidationState", MakeBoundCallback(&RecordEcnState, &r));
        s->TraceConnectWithoutContext("CongestionWindow", MakeBoundCallback(&RecordCwnd, &r));
        Ptr<TcpDctcp> dctcp = DynamicCast<TcpDctcp>(s->GetCongestionControlAlgorithm());
        if (dctcp)
        {
            dctcp->TraceConnectWithoutContext("CongestionEstimate",
                                              MakeBoundCallback(&RecordDctcp, &r));
        }
    });
    server->SetOnComplete([&r]() {
        r.complete = true;
        Simulator::Stop(Seconds(1));
    });
    nodes.Get(0)->AddApplication(client);
    nodes.Get(1)->AddApplication(server);
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    const StreamRecord& rec = server->GetRecords().at(0);
    r.bytesRead = rec.bytes;
    r.mismatches = rec.mismatches;
    r.errorCloses = client->GetErrorCloses() + server->GetErrorCloses();
    const QueueDisc::Stats& st = qdiscs.Get(0)->GetStats();
    r.queueDrops = st.nTotalDroppedPackets;
    r.queueMarks = st.nTotalMarkedPackets;
    Ptr<QuicSocketBase> conn = client->GetConnection();
    if (conn)
    {
        const QuicEcnController& e = conn->GetEcnController();
        r.ceMarks = e.GetCeMarks();
        r.markedDatagrams = e.GetMarkedDatagrams();
        r.finalState = e.GetState();
        r.failure = e.GetFailureReason();
        r.lost = conn->GetLossRecovery()->GetLostPacketCount();
    }
    if (bleacher)
    {
        r.bleached = bleacher->GetBleached();
    }
    Simulator::Destroy();
    return r;
}

/// \param r a result \param p its parameters \return a one-line summary for messages
std::string
Describe(const EcnResult& r)
{
    std::ostringstream s;
    s << "drops=" << r.queueDrops << " marks=" << r.queueMarks << " ce=" << r.ceMarks
      << " lost=" << r.lost << " reductions=" << r.reductions
      << " state=" << QuicEcnStateName(r.finalState) << " failure='" << r.failure << "'";
    return s.str();
}

/**
 * \brief ECN on through a marking AQM: CE marks seen and reacted to, window reduced,
 * nothing dropped by the queue nor lost; and the same run with ECN off drops packets.
 */
class QuicEcnMarkingTestCase : public TestCase
{
  public:
    /**
     * \param aqm the bottleneck queue
     * \param cc the client's algorithm
     */
    QuicEcnMarkingTestCase(Aqm aqm, const std::string& cc, bool ipv6 = false)
        : TestCase(std::string("bulk flow through a marking ") +
                   (aqm == Aqm::RED     ? "RED"
                    : aqm == Aqm::CODEL ? "CoDel"
                                        : "FqCoDel") +
                   " queue, " + cc + (ipv6 ? ", IPv6" : "") +
                   ": ECN on loses nothing, ECN off loses packets"),
          m_aqm(aqm),
          m_cc(cc),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        EcnParams p;
        p.aqm = m_aqm;
        p.cc = m_cc;
        p.ipv6 = m_ipv6;
        EcnResult on = RunEcn(p);
        std::string d = Describe(on);
        NS_TEST_ASSERT_MSG_EQ(on.complete, true, "ECN on: transfer completes; " << d);
        NS_TEST_ASSERT_MSG_EQ(on.bytesRead, p.bytes, "ECN on: every byte read");
        NS_TEST_ASSERT_MSG_EQ(on.mismatches, 0, "ECN on: content intact");
        NS_TEST_ASSERT_MSG_EQ(on.errorCloses, 0, "ECN on: no error close");
        NS_TEST_ASSERT_MSG_EQ(on.finalState, ECN_CAPABLE, "ECN on: path validated; " << d);
        NS_TEST_ASSERT_MSG_GT(on.queueMarks, 0, "ECN on: the AQM marked CE; " << d);
        NS_TEST_ASSERT_MSG_GT(on.ceMarks, 0, "ECN on: the peer reported CE marks; " << d);
        NS_TEST_ASSERT_MSG_GT(on.reductions, 0, "ECN on: the window was reduced; " << d);
        NS_TEST_ASSERT_MSG_EQ(on.queueDrops, 0, "ECN on: the queue dropped nothing; " << d);
        NS_TEST_ASSERT_MSG_EQ(on.lost, 0, "ECN on: no packet declared lost; " << d);

        p.ecn = false;
        EcnResult off = RunEcn(p);
        d = Describe(off);
        NS_TEST_ASSERT_MSG_EQ(off.complete, true, "ECN off: transfer completes; " << d);
        NS_TEST_ASSERT_MSG_EQ(off.mismatches, 0, "ECN off: content intact");
        NS_TEST_ASSERT_MSG_EQ(off.markedDatagrams, 0, "ECN off: nothing sent ECT");
        NS_TEST_ASSERT_MSG_EQ(off.queueMarks, 0, "ECN off: nothing marked; " << d);
        NS_TEST_ASSERT_MSG_GT(off.queueDrops, 0, "ECN off: the queue dropped; " << d);
        NS_TEST_ASSERT_MSG_GT(off.lost, 0, "ECN off: packets declared lost; " << d);
    }

    Aqm m_aqm;        //!< queue
    std::string m_cc; //!< algorithm
    bool m_ipv6;      //!< IPv6
};

/**
 * \brief A path that clears the ECN bits: validation fails (an ACK without counts
 * acknowledges ECT packets), marking stops, the transfer completes.
 */
class QuicEcnBleachedPathTestCase : public TestCase
{
  public:
    QuicEcnBleachedPathTestCase()
        : TestCase("a path clearing the ECN bits: validation fails, ECN off, transfer completes")
    {
    }

  private:
    void DoRun() override
    {
        EcnParams p;
        p.bleach = true;
        EcnResult r = RunEcn(p);
        std::string d = Describe(r);
        NS_TEST_ASSERT_MSG_EQ(r.complete, true, "transfer completes; " << d);
        NS_TEST_ASSERT_MSG_EQ(r.mismatches, 0, "content intact");
        NS_TEST_ASSERT_MSG_GT(r.bleached, 0, "the path cleared ECN bits");
        NS_TEST_ASSERT_MSG_EQ(r.finalState, ECN_FAILED, "validation failed; " << d);
        QUIC_TEST_REQUIRE(!r.states.empty(), "EcnState traced");
        NS_TEST_ASSERT_MSG_EQ(r.states.front(), ECN_TESTING, "testing first");
        NS_TEST_ASSERT_MSG_EQ(r.states.back(), ECN_FAILED, "failed last");
        NS_TEST_ASSERT_MSG_EQ(r.ceMarks, 0, "no CE reaction");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(r.markedDatagrams,
                                    uint64_t(QuicEcnController::kTestingPackets),
                                    "only the testing datagrams were marked");
        NS_TEST_ASSERT_MSG_GT(r.queueDrops, 0, "the AQM dropped unmarked packets instead");
    }
};

/**
 * \brief TcpDctcp over QUIC with a step-marking RED queue: DCTCP turns ECN on itself,
 * counts marked bytes from the ACK_ECN counts (alpha falls below 1), cuts gently
 * (some reduction keeps more than half the window), loses nothing.
 */
class QuicEcnDctcpTestCase : public TestCase
{
  public:
    QuicEcnDctcpTestCase()
        : TestCase("TcpDctcp over QUIC with marking: alpha from ACK_ECN, gentle cuts, no loss")
    {
    }

  private:
    void DoRun() override
    {
        EcnParams p;
        p.ecn = false; // TcpDctcp asks for ECN itself (TcpSocketState::m_useEcn)
        p.cc = "ns3::TcpDctcp";
        p.bytes = 6000000;
        EcnResult r = RunEcn(p);
        std::string d = Describe(r);
        NS_TEST_ASSERT_MSG_EQ(r.complete, true, "transfer completes; " << d);
        NS_TEST_ASSERT_MSG_EQ(r.mismatches, 0, "content intact");
        NS_TEST_ASSERT_MSG_EQ(r.finalState, ECN_CAPABLE, "DCTCP enabled ECN; " << d);
        NS_TEST_ASSERT_MSG_GT(r.ceMarks, 0, "CE marks reported; " << d);
        NS_TEST_ASSERT_MSG_GT(r.dctcpMarkedBytes, 0, "DCTCP counted marked bytes");
        NS_TEST_ASSERT_MSG_LT(r.minAlpha, 0.5, "alpha fell as only a fraction was marked");
        NS_TEST_ASSERT_MSG_GT(r.largestReductionRatio,
                              0.5,
                              "a DCTCP cut kept more than half the window; " << d);
        NS_TEST_ASSERT_MSG_EQ(r.queueDrops, 0, "the queue dropped nothing; " << d);
        NS_TEST_ASSERT_MSG_EQ(r.lost, 0, "nothing lost; " << d);
    }
};

/// \return an ACK_ECN (or ACK when ecn is null) acknowledging [low, high]
QuicSubheader
Ack(uint64_t low, uint64_t high, const QuicEcnCounts* ecn)
{
    std::optional<QuicEcnCounts> c;
    if (ecn)
    {
        c = *ecn;
    }
    return QuicSubheader::CreateAck(high, 0, high - low, {}, c);
}

/**
 * \brief QuicEcnController's validation rules (RFC 9000 §13.4.2.1) on hand-made ACKs.
 */
class QuicEcnValidationTestCase : public TestCase
{
  public:
    QuicEcnValidationTestCase()
        : TestCase("validation: testing, unknown, capable, failed by the RFC 9000 rules")
    {
    }

  private:
    void DoRun() override
    {
        // Testing marks kTestingPackets datagrams, then waits (unknown).
        QuicEcnController e;
        NS_TEST_ASSERT_MSG_EQ(e.GetCodepointToSend(), 0, "disabled: Not-ECT");
        e.Enable(2);
        NS_TEST_ASSERT_MSG_EQ(e.GetState(), ECN_TESTING, "enabled: testing");
        for (uint32_t i = 0; i < QuicEcnController::kTestingPackets; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(unsigned(e.GetCodepointToSend()), 2u, "testing marks ECT(0)");
            e.OnDatagramSent(e.GetCodepointToSend(), 1);
        }
        NS_TEST_ASSERT_MSG_EQ(e.GetState(), ECN_UNKNOWN, "after the testing packets: unknown");
        NS_TEST_ASSERT_MSG_EQ(e.GetCodepointToSend(), 0, "unknown: Not-ECT");
        // Counts covering the acknowledged packets: capable; CE rise returned.
        QuicEcnCounts c{4, 0, 1};
        NS_TEST_ASSERT_MSG_EQ(e.OnAckReceived(2, Ack(0, 4, &c), true, 5, 0), 1, "CE rise");
        NS_TEST_ASSERT_MSG_EQ(e.GetState(), ECN_CAPABLE, "validated: capable");
        NS_TEST_ASSERT_MSG_EQ(unsigned(e.GetCodepointToSend()), 2u, "capable marks");
        // An ACK not raising the largest acknowledged never fails validation.
        QuicEcnCounts same{4, 0, 1};
        NS_TEST_ASSERT_MSG_EQ(e.OnAckReceived(2, Ack(0, 4, &same), false, 2, 0), 0, "no rise");
        NS_TEST_ASSERT_MSG_EQ(e.GetState(), ECN_CAPABLE, "reordered ACK ignored");
        // Its packets are checked with the next one: 2 + 3 packets need 5 more counts.
        QuicEcnCounts short5{7, 0, 1};
        e.OnAckReceived(2, Ack(5, 9, &short5), true, 3, 0);
        NS_TEST_ASSERT_MSG_EQ(e.GetState(), ECN_FAILED, "counts not covering: failed");
        NS_TEST_ASSERT_MSG_EQ(e.GetCodepointToSend(), 0, "failed: Not-ECT");

        // Decreasing counts fail.
        QuicEcnController d;
        d.Enable(2);
        d.OnDatagramSent(2, 1);
        QuicEcnCounts c1{3, 0, 0};
        d.OnAckReceived(0, Ack(0, 2, &c1), true, 3, 0);
        NS_TEST_ASSERT_MSG_EQ(d.GetState(), ECN_CAPABLE, "valid first");
        QuicEcnCounts c2{2, 0, 1};
        NS_TEST_ASSERT_MSG_EQ(d.OnAckReceived(0, Ack(3, 3, &c2), true, 1, 0), 0, "no reaction");
        NS_TEST_ASSERT_MSG_EQ(d.GetState(), ECN_FAILED, "decreasing counts: failed");

        // An ACK without counts acknowledging ECT packets fails; spaces are separate.
        QuicEcnController n;
        n.Enable(1);
        QuicEcnCounts hs{0, 2, 0};
        n.OnAckReceived(1, Ack(0, 1, &hs), true, 0, 2);
        NS_TEST_ASSERT_MSG_EQ(n.GetState(), ECN_CAPABLE, "ECT(1) counted");
        n.OnAckReceived(2, Ack(0, 1, nullptr), true, 0, 2);
        NS_TEST_ASSERT_MSG_EQ(n.GetState(), ECN_FAILED, "ACK without counts: failed");

        // Every testing packet lost: failed.
        QuicEcnController l;
        l.Enable(2);
        for (uint32_t i = 0; i < QuicEcnController::kTestingPackets; ++i)
        {
            l.OnDatagramSent(2, 1);
        }
        for (uint32_t i = 0; i < QuicEcnController::kTestingPackets; ++i)
        {
            NS_TEST_ASSERT_MSG_NE(l.GetState(), ECN_FAILED, "not before the last loss");
            l.OnPacketLost(2);
        }
        NS_TEST_ASSERT_MSG_EQ(l.GetState(), ECN_FAILED, "all testing packets lost: failed");
    }
};

/**
 * \brief The ECN suite.
 */
class QuicEcnTestSuite : public TestSuite
{
  public:
    QuicEcnTestSuite()
        : TestSuite("quic-ecn", UNIT)
    {
        AddTestCase(new QuicEcnValidationTestCase, TestCase::QUICK);
        AddTestCase(new QuicEcnMarkingTestCase(Aqm::RED, "ns3::QuicCongestionControl"),
                    TestCase::QUICK);
        AddTestCase(new QuicEcnMarkingTestCase(Aqm::RED, "ns3::TcpNewReno"), TestCase::QUICK);
        AddTestCase(new QuicEcnMarkingTestCase(Aqm::CODEL, "ns3::TcpCubic"), TestCase::QUICK);
        AddTestCase(new QuicEcnMarkingTestCase(Aqm::FQCODEL, "ns3::QuicCongestionControl"),
                    TestCase::QUICK);
        AddTestCase(new QuicEcnMarkingTestCase(Aqm::RED, "ns3::QuicCongestionControl", true),
                    TestCase::QUICK);
        AddTestCase(new QuicEcnBleachedPathTestCase, TestCase::QUICK);
        AddTestCase(new QuicEcnDctcpTestCase, TestCase::QUICK);
    }
};

/// The suite's single instance.
static QuicEcnTestSuite g_quicEcnTestSuite;

} // namespace

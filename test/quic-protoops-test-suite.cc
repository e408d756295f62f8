/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Protocol operations: anchors, their order and rights, and behaviour changed by a
 * replaced operation in a running connection.
 */

#include "quic-test-utils.h"

#include "ns3/quic-loss-recovery.h"
#include "ns3/quic-protoop-table.h"
#include "ns3/quic-socket-base.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <memory>
#include <vector>

using namespace ns3;
using namespace ns3::quictest;

namespace
{

std::vector<std::string> g_order; //!< what ran, in order (anchor order test)

/// A native implementation for the test operation: records itself, echoes in[0] + 1.
uint64_t
TestNative(QuicSocketBase& c, QuicProtoopArgs& a)
{
    g_order.push_back("native");
    a.out[0] = a.in[0] + 1;
    return a.in[0] + 1;
}

/**
 * \param owner owner name
 * \param fn function
 * \return a C++ hook
 */
std::shared_ptr<QuicProtoopHook>
Hook(const std::string& owner, QuicProtoopFunctionHook::Function fn)
{
    return std::make_shared<QuicProtoopFunctionHook>(owner, std::move(fn));
}

/**
 * pre → replace-or-native → post, observers see copies, one replace per slot, detaching
 * restores the native path, and an unknown name becomes a new operation.
 */
class QuicProtoopAnchorsTestCase : public TestCase
{
  public:
    QuicProtoopAnchorsTestCase()
        : TestCase("anchors: order, read-only observers, single replace, detach, new operations")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketBase> conn = CreateObject<QuicSocketBase>();
        QuicProtoopTable& t = conn->GetProtoops();
        QuicProtoopId id = QuicProtoopRegistry::Intern("test_operation");
        t.SetNative(id, kQuicNoParam, &TestNative);
        g_order.clear();

        // Nothing attached: the native function runs.
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({41});
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, id, a), 42u, "native result");
        NS_TEST_EXPECT_MSG_EQ(t.IsHooked(id, kQuicNoParam), false, "no hook yet");

        std::string err;
        uint64_t seenByPost = 0;
        NS_TEST_ASSERT_MSG_EQ(t.Attach(id,
                                       kQuicNoParam,
                                       QuicProtoopAnchor::PRE,
                                       Hook("p",
                                            [](QuicSocketBase&, QuicProtoopArgs& x) {
                                                g_order.push_back("pre");
                                                x.in[0] = 1000; // must not reach the operation
                                                return uint64_t(0);
                                            }),
                                       err),
                              true,
                              err);
        NS_TEST_ASSERT_MSG_EQ(t.Attach(id,
                                       kQuicNoParam,
                                       QuicProtoopAnchor::POST,
                                       Hook("p",
                                            [&seenByPost](QuicSocketBase&, QuicProtoopArgs& x) {
                                                g_order.push_back("post");
                                                seenByPost = x.returned;
                                                x.out[0] = 999; // must not reach the caller
                                                return uint64_t(0);
                                            }),
                                       err),
                              true,
                              err);
        g_order.clear();
        a = QuicProtoopArgs::Inputs({41});
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, id, a), 42u, "pre cannot change the inputs");
        NS_TEST_EXPECT_MSG_EQ(a.out[0], 42u, "post cannot change the outputs");
        NS_TEST_EXPECT_MSG_EQ(seenByPost, 42u, "post sees the return value");
        NS_TEST_EXPECT_MSG_EQ(g_order.size(), 3u, "three steps");
        NS_TEST_EXPECT_MSG_EQ(g_order[0] + g_order[1] + g_order[2], "prenativepost", "order");

        // A replace hook takes the native function's place, between pre and post.
        NS_TEST_ASSERT_MSG_EQ(t.Attach(id,
                                       kQuicNoParam,
                                       QuicProtoopAnchor::REPLACE,
                                       Hook("r",
                                            [](QuicSocketBase&, QuicProtoopArgs& x) {
                                                g_order.push_back("replace");
                                                return x.in[0] * 2;
                                            }),
                                       err),
                              true,
                              err);
        g_order.clear();
        a = QuicProtoopArgs::Inputs({41});
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, id, a), 82u, "replaced result");
        NS_TEST_EXPECT_MSG_EQ(g_order[0] + g_order[1] + g_order[2], "prereplacepost", "order");

        // A second replace on the same slot is refused and changes nothing.
        bool second =
            t.Attach(id,
                     kQuicNoParam,
                     QuicProtoopAnchor::REPLACE,
                     Hook("other", [](QuicSocketBase&, QuicProtoopArgs&) { return uint64_t(7); }),
                     err);
        NS_TEST_EXPECT_MSG_EQ(second, false, "second replace refused");
        NS_TEST_EXPECT_MSG_NE(err.find("already has a replace"), std::string::npos, "reason given");
        a = QuicProtoopArgs::Inputs({41});
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, id, a), 82u, "first replace kept");

        // Detaching an owner removes exactly its hooks.
        NS_TEST_EXPECT_MSG_EQ(t.DetachOwner("r"), 1u, "one hook of r");
        a = QuicProtoopArgs::Inputs({41});
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, id, a), 42u, "native again");
        NS_TEST_EXPECT_MSG_EQ(t.DetachOwner("p"), 2u, "two hooks of p");
        NS_TEST_EXPECT_MSG_EQ(t.IsHooked(id, kQuicNoParam), false, "fast path restored");

        // Parameterised operations: a hook on one parameter leaves the others alone.
        t.SetNative(id, 5, &TestNative);
        NS_TEST_ASSERT_MSG_EQ(
            t.Attach(id,
                     5,
                     QuicProtoopAnchor::REPLACE,
                     Hook("q", [](QuicSocketBase&, QuicProtoopArgs&) { return uint64_t(5); }),
                     err),
            true,
            err);
        a = QuicProtoopArgs::Inputs({1});
        a.param = 5;
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, id, a), 5u, "param 5 replaced");
        a = QuicProtoopArgs::Inputs({1});
        a.param = 6;
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, id, a), 2u, "param 6 falls back to the base native");

        // An operation nobody declared: attaching creates it, others can call it.
        QuicProtoopId fresh = QuicProtoopRegistry::Intern("plugin_defined_scheduler");
        NS_TEST_EXPECT_MSG_EQ(t.IsCallable(fresh, kQuicNoParam), false, "not callable before");
        NS_TEST_ASSERT_MSG_EQ(
            t.Attach(fresh,
                     kQuicNoParam,
                     QuicProtoopAnchor::REPLACE,
                     Hook("plugin",
                          [](QuicSocketBase&, QuicProtoopArgs& x) { return x.in[0] + x.in[1]; }),
                     err),
            true,
            err);
        a = QuicProtoopArgs::Inputs({2, 3});
        NS_TEST_EXPECT_MSG_EQ(t.Call(*conn, fresh, a), 5u, "plugin-defined operation");

        // External hooks are reachable only through CallExternal.
        NS_TEST_ASSERT_MSG_EQ(
            t.Attach(fresh,
                     kQuicNoParam,
                     QuicProtoopAnchor::EXTERNAL,
                     Hook("plugin", [](QuicSocketBase&, QuicProtoopArgs&) { return uint64_t(77); }),
                     err),
            true,
            err);
        bool found = false;
        a = QuicProtoopArgs::Inputs({});
        NS_TEST_EXPECT_MSG_EQ(t.CallExternal(*conn, fresh, a, found), 77u, "external call");
        NS_TEST_EXPECT_MSG_EQ(found, true, "external found");
        conn->Dispose();
    }
};

/**
 * Replacing compute_pto with a fixed 50 ms timer changes when probes leave a real
 * connection; observers on process_frame[STREAM] see every STREAM frame a server
 * connection (forked from the listener that carries the hook) receives.
 */
class QuicProtoopBehaviourTestCase : public TestCase
{
  public:
    QuicProtoopBehaviourTestCase()
        : TestCase("replaced compute_pto changes probe times; observers count STREAM frames")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(5);
        RngSeedManager::SetRun(1);
        TwoNodes net("100Mbps", MilliSeconds(10));
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        const QuicSocketBase::ProtoopIds& id = QuicSocketBase::GetProtoopIds();
        std::string err;
        // Observers attached to the listener follow every connection it accepts.
        for (uint64_t type = QuicSubheader::STREAM; type <= QuicSubheader::STREAM_MAX; ++type)
        {
            server->GetProtoops().Attach(id.processFrame,
                                         type,
                                         QuicProtoopAnchor::POST,
                                         Hook("count",
                                              [this](QuicSocketBase&, QuicProtoopArgs& a) {
                                                  ++m_streamFrames;
                                                  m_streamBytes += a.in[2];
                                                  return uint64_t(0);
                                              }),
                                         err);
        }
        server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&QuicProtoopBehaviourTestCase::Accept, this));

        Ptr<QuicSocketBase> client = net.CreateSocket(0);
        // The retransmission timer becomes a fixed 50 ms (no RTT, no backoff).
        client->GetProtoops().Attach(id.computePto,
                                     kQuicNoParam,
                                     QuicProtoopAnchor::REPLACE,
                                     Hook("fixed-pto",
                                          [](QuicSocketBase&, QuicProtoopArgs&) {
                                              return uint64_t(MilliSeconds(50).GetNanoSeconds());
                                          }),
                                     err);
        client->TraceConnectWithoutContext("Tx",
                                           MakeCallback(&QuicProtoopBehaviourTestCase::Tx, this));
        client->Connect(net.serverAddress);
        Simulator::Schedule(Seconds(0.5), [this, client]() {
            m_dataSent = Simulator::Now();
            client->Send(MakePatternPacket(3000, 1), 0);
        });
        // Everything the client sends after the data is lost for a while: probes only.
        Ptr<OutageErrorModel> em = CreateObject<OutageErrorModel>();
        em->SetOutage(Seconds(0.5), Seconds(0.9));
        net.SetReceiveErrorModel(1, em);
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        Simulator::Destroy(); // before any early return below

        // Probes leave every 50 ms after the data (not after one RTT-based PTO that then
        // doubles, as without the plugin).
        std::vector<Time> rounds;
        for (Time t : m_txTimes)
        {
            if (t > m_dataSent && (rounds.empty() || t != rounds.back()))
            {
                rounds.push_back(t);
            }
        }
        QUIC_TEST_REQUIRE((rounds.size()) >= (4u), "probe rounds");
        NS_TEST_EXPECT_MSG_EQ(rounds[1] - rounds[0], MilliSeconds(50), "first probe interval");
        NS_TEST_EXPECT_MSG_EQ(rounds[2] - rounds[1], MilliSeconds(50), "no backoff");
        NS_TEST_EXPECT_MSG_EQ(rounds[3] - rounds[2], MilliSeconds(50), "no backoff");
        NS_TEST_EXPECT_MSG_EQ(m_received, 3000u, "data delivered after the outage");
        NS_TEST_EXPECT_MSG_GT(m_streamFrames, 0u, "observer saw STREAM frames");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(m_streamBytes, 3000u, "observer saw the data length");
    }

    /// \param s connection \param from peer
    void Accept(Ptr<Socket> s, const Address& from)
    {
        s->SetRecvCallback(MakeCallback(&QuicProtoopBehaviourTestCase::Receive, this));
    }

    /// \param s connection
    void Receive(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            m_received += p->GetSize();
        }
    }

    /// \param p datagram \param h header \param s socket
    void Tx(Ptr<const Packet> p, const QuicHeader& h, Ptr<const QuicSocketBase> s)
    {
        if (h.GetType() != QuicHeader::SHORT || p->GetSize() > 1500)
        {
            return;
        }
        QuicHeader decoded;
        for (const QuicSubheader& f : DecodeFrames(p, 8, decoded))
        {
            if (QuicSubheader::IsAckEliciting(f.GetFrameType()))
            {
                m_txTimes.push_back(Simulator::Now()); // ACK-only packets are not probes
                return;
            }
        }
    }

    Time m_dataSent;             //!< when the data was written
    std::vector<Time> m_txTimes; //!< 1-RTT send times of the client
    uint64_t m_received{0};      //!< bytes read by the server
    uint64_t m_streamFrames{0};  //!< STREAM frames seen by the observer
    uint64_t m_streamBytes{0};   //!< their data bytes
};

/**
 * Connections share one native table; a table changed by a plugin (or a test) gets its
 * own copy first, so hooks attached to one connection never reach another.
 */
class QuicProtoopSharedTableTestCase : public TestCase
{
  public:
    QuicProtoopSharedTableTestCase()
        : TestCase("tables: shared until changed, changes stay with their table")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketBase> c1 = CreateObject<QuicSocketBase>();
        Ptr<QuicSocketBase> c2 = CreateObject<QuicSocketBase>();
        NS_TEST_EXPECT_MSG_EQ(c1->GetProtoops().SharesStorageWith(c2->GetProtoops()),
                              true,
                              "new connections share the native table");

        QuicProtoopId id = QuicProtoopRegistry::Intern("test_shared_operation");
        QuicProtoopTable a;
        a.SetNative(id, kQuicNoParam, &TestNative);
        QuicProtoopTable b = a; // as a forked connection copies its listener's table
        NS_TEST_EXPECT_MSG_EQ(b.SharesStorageWith(a), true, "a copy shares");
        std::string err;
        NS_TEST_ASSERT_MSG_EQ(b.Attach(id,
                                       kQuicNoParam,
                                       QuicProtoopAnchor::PRE,
                                       Hook("shared",
                                            [](QuicSocketBase&, QuicProtoopArgs&) {
                                                g_order.push_back("pre");
                                                return uint64_t(0);
                                            }),
                                       err),
                              true,
                              err);
        NS_TEST_EXPECT_MSG_EQ(b.SharesStorageWith(a), false, "copied before the change");
        NS_TEST_EXPECT_MSG_EQ(b.IsHooked(id, kQuicNoParam), true, "hooked copy");
        NS_TEST_EXPECT_MSG_EQ(a.IsHooked(id, kQuicNoParam), false, "original untouched");
        g_order.clear();
        QuicProtoopArgs x = QuicProtoopArgs::Inputs({1});
        NS_TEST_EXPECT_MSG_EQ(a.Call(*c1, id, x), 2u, "original: native");
        NS_TEST_EXPECT_MSG_EQ(g_order.size(), 1u, "no hook ran on the original");
        x = QuicProtoopArgs::Inputs({1});
        NS_TEST_EXPECT_MSG_EQ(b.Call(*c1, id, x), 2u, "copy: native after its hook");
        NS_TEST_EXPECT_MSG_EQ(g_order.size(), 3u, "the hook ran on the copy");

        // A copy of the hooked table keeps its hook; detaching there leaves b hooked.
        QuicProtoopTable c = b;
        NS_TEST_EXPECT_MSG_EQ(c.DetachOwner("shared"), 1u, "one hook detached");
        NS_TEST_EXPECT_MSG_EQ(c.IsHooked(id, kQuicNoParam), false, "detached from the copy");
        NS_TEST_EXPECT_MSG_EQ(b.IsHooked(id, kQuicNoParam), true, "still hooked in b");
        NS_TEST_EXPECT_MSG_EQ(c2->GetProtoops().IsHooked(id, kQuicNoParam),
                              false,
                              "connections never see a table they did not change");
    }
};

/**
 * The protocol-operations suite.
 */
class QuicProtoopsTestSuite : public TestSuite
{
  public:
    QuicProtoopsTestSuite()
        : TestSuite("quic-protoops", TestSuite::Type::UNIT)
    {
        AddTestCase(new QuicProtoopAnchorsTestCase());
        AddTestCase(new QuicProtoopBehaviourTestCase());
        AddTestCase(new QuicProtoopSharedTableTestCase());
    }
};

QuicProtoopsTestSuite g_quicProtoopsTestSuite; //!< registration

} // namespace

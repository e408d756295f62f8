/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * eBPF plugins on connections: manifests loaded and refused (transactionally), anchors,
 * plugin-defined operations, external calls, heap, timers, messages, faults, and the
 * monitoring and retransmission-timer plugins in running connections.
 */

#include "quic-test-utils.h"

#include "ns3/error-model.h"
#include "ns3/quic-byte-reader.h"
#include "ns3/quic-header.h"
#include "ns3/quic-loss-recovery.h"
#include "ns3/quic-plugin-helper.h"
#include "ns3/quic-plugin-instance.h"
#include "ns3/quic-plugin.h"
#include "ns3/quic-socket-base.h"
#include "ns3/quic-varint.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <fstream>
#include <iostream>
#include <map>

using namespace ns3;
using namespace ns3::quictest;

namespace
{

/// \return true if the plugins were built; else prints why the case is skipped
bool
PluginsBuilt(const std::string& testName)
{
    // Skip only when the build made no plugin objects; a plugin that exists but does not
    // load is a failure of the test, not a skip.
    std::string dir = QuicPluginHelper::GetDefaultDirectory();
    if (std::ifstream(dir + "/monitoring.o").good() &&
        std::ifstream(dir + "/test-pluglets.o").good())
    {
        return true;
    }
    std::cerr << "SKIP " << testName << ": plugins not built in " << dir
              << " (clang with the bpf target is needed; or set NS3_QUIC_PLUGIN_DIR)" << std::endl;
    return false;
}

/// \param name a bare plugin name \return its manifest path
std::string
Manifest(const std::string& name)
{
    return QuicPluginHelper::Resolve(name);
}

/**
 * Every class of load error is reported with its reason and leaves the connection as it
 * was; bytecode is verified once and shared between connections.
 */
class QuicPluginLoadTestCase : public TestCase
{
  public:
    QuicPluginLoadTestCase()
        : TestCase("manifests: each error class refused transactionally; bytecode shared")
    {
    }

  private:
    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        Ptr<QuicSocketBase> conn = CreateObject<QuicSocketBase>();
        const QuicSocketBase::ProtoopIds& id = QuicSocketBase::GetProtoopIds();
        std::string err;

        struct Case
        {
            std::string plugin; //!< manifest
            std::string reason; //!< text the error must contain
        };

        for (const Case& c : std::vector<Case>{
                 {"test-bad-syntax", "line 2"},
                 {"test-bad-anchor", "unknown anchor 'around'"},
                 {"test-double-replace", "second replace"},
                 {"test-missing-object", "cannot read object"},
                 {"test-missing-function", "no function or section 'no_such_function'"},
                 {"test-missing-helper", "pl_no_such_helper"},
                 {"test-verifier-reject", "rejected"},
                 {"no-such-plugin", "cannot read manifest"},
             })
        {
            err.clear();
            bool ok = conn->LoadPlugin(Manifest(c.plugin), err);
            NS_TEST_EXPECT_MSG_EQ(ok, false, c.plugin << " must be refused");
            NS_TEST_EXPECT_MSG_NE(err.find(c.reason),
                                  std::string::npos,
                                  c.plugin << ": reason '" << err << "' lacks '" << c.reason
                                           << "'");
        }
        NS_TEST_EXPECT_MSG_EQ(conn->GetPlugins().GetInstances().size(), 0u, "nothing loaded");

        // A second replace on a slot another plugin holds: the whole plugin is refused,
        // including its first pluglet that had attached fine.
        NS_TEST_ASSERT_MSG_EQ(conn->LoadPlugin(Manifest("retransmission-timer"), err), true, err);
        NS_TEST_EXPECT_MSG_EQ(conn->GetProtoops().IsHooked(id.onPacketReceived, kQuicNoParam),
                              false,
                              "nothing on on_packet_received yet");
        err.clear();
        NS_TEST_EXPECT_MSG_EQ(conn->LoadPlugin(Manifest("test-conflict"), err),
                              false,
                              "conflicting replace refused");
        NS_TEST_EXPECT_MSG_NE(err.find("already has a replace"), std::string::npos, err);
        NS_TEST_EXPECT_MSG_EQ(conn->GetProtoops().IsHooked(id.onPacketReceived, kQuicNoParam),
                              false,
                              "the first pluglet of the refused plugin was rolled back");
        NS_TEST_EXPECT_MSG_EQ(conn->GetPlugins().GetInstances().size(), 1u, "one plugin");
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({0, 123456789});
        NS_TEST_EXPECT_MSG_EQ(conn->GetProtoops().Call(*conn, id.computePto, a),
                              123456789u,
                              "retransmission-timer still answers (no RTT sample: RFC value)");
        // The same plugin twice on one connection is refused too.
        NS_TEST_EXPECT_MSG_EQ(conn->LoadPlugin(Manifest("retransmission-timer"), err),
                              false,
                              "loaded twice");

        // Shared bytecode: a second connection loading monitoring verifies nothing again.
        Ptr<QuicSocketBase> other = CreateObject<QuicSocketBase>();
        Ptr<QuicSocketBase> third = CreateObject<QuicSocketBase>();
        NS_TEST_ASSERT_MSG_EQ(other->LoadPlugin(Manifest("monitoring"), err), true, err);
        uint64_t verified = QuicPlugin::GetObjectsVerified();
        NS_TEST_ASSERT_MSG_EQ(third->LoadPlugin(Manifest("monitoring"), err), true, err);
        NS_TEST_EXPECT_MSG_EQ(QuicPlugin::GetObjectsVerified(), verified, "shared, not reloaded");
        conn->Dispose();
        other->Dispose();
        third->Dispose();
        Simulator::Destroy();
    }
};

/**
 * pre → replace → post on a plugin-defined operation driven by an external call from the
 * application; heap; timers on the simulator clock; messages to the application.
 */
class QuicPluginApiTestCase : public TestCase
{
  public:
    QuicPluginApiTestCase()
        : TestCase("anchor order, plugin-defined operation, external calls, heap, timers, messages")
    {
    }

  private:
    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        for (bool jit : {false, true})
        {
            Ptr<QuicSocketBase> conn = CreateObject<QuicSocketBase>();
            conn->SetAttribute("PluginJit", BooleanValue(jit));
            std::string err;
            NS_TEST_ASSERT_MSG_EQ(conn->LoadPlugin(Manifest("test-anchors"), err), true, err);
            bool found = false;
            uint64_t r = conn->CallPlugin("test_anchor_drive", {5}, found);
            NS_TEST_EXPECT_MSG_EQ(found, true, "external pluglet found");
            NS_TEST_EXPECT_MSG_EQ(r, 105u, "the replace pluglet's result");
            NS_TEST_EXPECT_MSG_EQ(conn->CallPlugin("test_read_meta", {0}, found),
                                  123u,
                                  "order pre(1) replace(2) post(3)");
            NS_TEST_EXPECT_MSG_EQ(conn->CallPlugin("test_read_meta", {1}, found),
                                  105015u,
                                  "post saw the return value and output");
            conn->CallPlugin("no_such_external", {}, found);
            NS_TEST_EXPECT_MSG_EQ(found, false, "unknown external");
            // 0² + … + 9² = 285; the block survived realloc and memcpy.
            NS_TEST_EXPECT_MSG_EQ(conn->CallPlugin("test_heap", {10}, found), 2850u, "heap");
            NS_TEST_EXPECT_MSG_EQ(conn->GetPlugins().GetInstances()[0]->GetHeapInUse(),
                                  0u,
                                  "everything freed");

            std::string message;
            conn->TraceConnectWithoutContext(
                "PluginMessage",
                MakeBoundCallback(
                    +[](std::string* out, const std::string& plugin, const std::string& text) {
                        *out = plugin + ":" + text;
                    },
                    &message));
            conn->CallPlugin("test_hello", {}, found);
            NS_TEST_EXPECT_MSG_EQ(message,
                                  "org.ns3quic.test.anchors:hello from a plugin",
                                  "message to the application");

            // Timers: armed at 1 s for 10 ms, re-armed twice by the timer operation itself.
            Simulator::Schedule(Seconds(1), [conn]() {
                bool f = false;
                conn->CallPlugin("test_timer_start", {10000000}, f);
            });
            Simulator::Run();
            for (uint64_t n = 1; n <= 3; ++n)
            {
                NS_TEST_EXPECT_MSG_EQ(
                    conn->CallPlugin("test_read_meta", {3 + n}, found),
                    uint64_t((Seconds(1) + MilliSeconds(10 * n)).GetNanoSeconds()),
                    "timer " << n << " fired on the simulator clock");
            }
            NS_TEST_EXPECT_MSG_EQ(conn->GetPlugins().GetInstances()[0]->IsActive(),
                                  true,
                                  "no fault");
            conn->Dispose();
            Simulator::Destroy();
        }
    }
};

/**
 * Two clients share a link to one server; one loads a hostile plugin. The hostile
 * plugin faults, is unloaded, its connection closes with the plugin-fault error and the
 * trace fires; the other connection completes its transfer. The fault happens at the
 * same simulated time when the simulation is repeated.
 */
class QuicPluginFaultTestCase : public TestCase
{
  public:
    /**
     * \param plugin hostile plugin
     * \param kind text the fault reason must contain
     */
    QuicPluginFaultTestCase(std::string plugin, std::string kind)
        : TestCase("fault " + plugin + ": plugin unloaded, connection closed, other unaffected"),
          m_plugin(std::move(plugin)),
          m_kind(std::move(kind))
    {
    }

  private:
    /// Outcome of one simulation.
    struct Outcome
    {
        std::vector<std::pair<Time, std::string>> faults; //!< PluginFault events
        uint64_t closeCode{0};                            //!< hostile connection's close
        bool applicationClose{false};                     //!< … as an application error
        uint64_t otherReceived{0};                        //!< bytes of the other connection
        bool otherOpen{false};                            //!< other connection not closed
        bool active{true};                                //!< hostile plugin still active
    };

    static constexpr uint32_t kBytes = 100000; //!< per client

    /// \return outcome of one run
    Outcome RunOnce()
    {
        Outcome o;
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(1);
        TwoNodes net("10Mbps", MilliSeconds(5));
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        std::map<Ptr<Socket>, uint64_t> received;
        server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeBoundCallback(&Accept, &received));
        Ptr<QuicSocketBase> hostile = net.CreateSocket(0);
        Ptr<QuicSocketBase> other = net.CreateSocket(0);
        std::string err;
        bool loaded = hostile->LoadPlugin(Manifest(m_plugin), err);
        NS_TEST_EXPECT_MSG_EQ(loaded, true, err);
        hostile->TraceConnectWithoutContext(
            "PluginFault",
            MakeBoundCallback(
                +[](Outcome* out, const std::string& plugin, const std::string& reason) {
                    out->faults.emplace_back(Simulator::Now(), reason);
                },
                &o));
        for (Ptr<QuicSocketBase> c : {hostile, other})
        {
            c->Connect(net.serverAddress);
            Simulator::Schedule(MilliSeconds(100),
                                [c]() { c->Send(MakePatternPacket(kBytes, 2), 0); });
        }
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        o.closeCode = hostile->GetCloseErrorCode();
        o.applicationClose = hostile->IsApplicationClose();
        o.active = hostile->GetPlugins().GetInstances().empty()
                       ? false
                       : hostile->GetPlugins().GetInstances()[0]->IsActive();
        o.otherOpen = other->GetState() == QuicSocket::OPEN;
        for (const auto& r : received)
        {
            o.otherReceived = std::max(o.otherReceived, r.second);
        }
        Simulator::Destroy();
        return o;
    }

    /// Accept: count what each server connection reads.
    static void Accept(std::map<Ptr<Socket>, uint64_t>* received, Ptr<Socket> s, const Address&)
    {
        (*received)[s] = 0;
        s->SetRecvCallback(MakeBoundCallback(&Receive, received));
    }

    /// Receive: count.
    static void Receive(std::map<Ptr<Socket>, uint64_t>* received, Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            (*received)[s] += p->GetSize();
        }
    }

    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        Outcome a = RunOnce();
        QUIC_TEST_REQUIRE(a.faults.size() == 1u, "exactly one fault reported");
        NS_TEST_EXPECT_MSG_NE(a.faults[0].second.find(m_kind),
                              std::string::npos,
                              "reason '" << a.faults[0].second << "' names '" << m_kind << "'");
        NS_TEST_EXPECT_MSG_EQ(a.active, false, "plugin unloaded");
        NS_TEST_EXPECT_MSG_EQ(a.closeCode, kQuicPluginFaultError, "closed with the plugin error");
        NS_TEST_EXPECT_MSG_EQ(a.applicationClose, true, "as an application error");
        NS_TEST_EXPECT_MSG_EQ(a.otherReceived, kBytes, "the other connection completed");
        NS_TEST_EXPECT_MSG_EQ(a.otherOpen, true, "and is still open");
        Outcome b = RunOnce();
        QUIC_TEST_REQUIRE(b.faults.size() == 1u, "one fault again");
        NS_TEST_EXPECT_MSG_EQ(b.faults[0].first, a.faults[0].first, "same simulated time");
        NS_TEST_EXPECT_MSG_EQ(b.faults[0].second, a.faults[0].second, "same fault");
    }

    std::string m_plugin; //!< hostile plugin
    std::string m_kind;   //!< expected reason text
};

/**
 * The monitoring plugin, on both ends of a lossy transfer (the server's through
 * QuicPluginHelper on the listener), counts exactly what the core counts.
 */
class QuicPluginMonitoringTestCase : public TestCase
{
  public:
    QuicPluginMonitoringTestCase()
        : TestCase("monitoring plugin counters equal the core's on a lossy transfer")
    {
    }

  private:
    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(2);
        TwoNodes net("20Mbps", MilliSeconds(10));
        // Client to server: 3 % drops, and 2 % of packets held back 5 ms (10 packet times at
        // 20 Mb/s, beyond the packet threshold of 3): those are declared lost and then
        // acknowledged — spurious losses. Server to client stays a FIFO link without
        // drops, where a spurious loss cannot happen.
        Ptr<RateErrorModel> drop = CreateObject<RateErrorModel>();
        drop->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        drop->SetRate(0.03);
        Ptr<ImpairmentErrorModel> em = CreateObject<ImpairmentErrorModel>();
        em->SetDevice(net.devices.Get(1));
        em->SetDropModel(drop);
        em->SetReorder(0.02, MilliSeconds(5));
        // Fixed streams: the outcome does not depend on the random variables created before.
        drop->AssignStreams(100);
        em->AssignStreams(110);
        net.SetReceiveErrorModel(1, em);
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        QuicPluginHelper plugins;
        plugins.Add("monitoring");
        plugins.Install(server); // every accepted connection
        std::vector<Ptr<QuicSocketBase>> accepted;
        uint64_t received = 0;
        server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeBoundCallback(
                                      +[](std::vector<Ptr<QuicSocketBase>>* acc,
                                          uint64_t* rx,
                                          Ptr<Socket> s,
                                          const Address&) {
                                          acc->push_back(DynamicCast<QuicSocketBase>(s));
                                          s->SetRecvCallback(MakeBoundCallback(
                                              +[](uint64_t* n, Ptr<Socket> sock) {
                                                  while (Ptr<Packet> p = sock->Recv())
                                                  {
                                                      *n += p->GetSize();
                                                  }
                                              },
                                              rx));
                                      },
                                      &accepted,
                                      &received));
        Ptr<QuicSocketBase> client = net.CreateSocket(0);
        plugins.Install(client);
        client->Connect(net.serverAddress);
        const uint32_t bytes = 400000;
        Simulator::Schedule(MilliSeconds(100),
                            [client, bytes]() { client->Send(MakePatternPacket(bytes, 3), 0); });
        // After the transfer, the client sends its counters in a STAT frame (a frame type
        // of the plugin's own), which the server's monitoring plugin parses.
        uint64_t clientSentAtStat = 0;
        Simulator::Schedule(Seconds(15), [client, &clientSentAtStat]() {
            bool f = false;
            clientSentAtStat = client->GetStats().packetsSent;
            client->CallPlugin("monitoring_send_stats", {}, f);
        });
        Simulator::Stop(Seconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(received, bytes, "transfer complete");
        QUIC_TEST_REQUIRE(accepted.size() == 1u, "one accepted connection");
        for (Ptr<QuicSocketBase> c : {client, accepted[0]})
        {
            std::string who = c->IsServer() ? "server" : "client";
            auto get = [c](uint64_t i) {
                bool found = false;
                uint64_t v = c->CallPlugin("monitoring_get", {i}, found);
                return found ? v : ~uint64_t(0);
            };
            const QuicSocketBase::Stats& s = c->GetStats();
            NS_TEST_EXPECT_MSG_EQ(get(0), s.packetsSent, who << " packets sent");
            NS_TEST_EXPECT_MSG_EQ(get(1), s.bytesSent, who << " bytes sent");
            NS_TEST_EXPECT_MSG_EQ(get(2), s.packetsReceived, who << " packets received");
            NS_TEST_EXPECT_MSG_EQ(get(4),
                                  c->GetLossRecovery()->GetLostPacketCount(),
                                  who << " packets lost");
            NS_TEST_EXPECT_MSG_EQ(get(5), c->GetLossRecovery()->GetPtoFiredCount(), who << " PTOs");
            NS_TEST_EXPECT_MSG_GT(get(6), 0u, who << " streams opened");
            NS_TEST_EXPECT_MSG_EQ(get(16),
                                  c->GetLossRecovery()->GetRttSampleCount(),
                                  who << " RTT samples");
            NS_TEST_EXPECT_MSG_GT(get(16), 0u, who << " took RTT samples");
            NS_TEST_EXPECT_MSG_EQ(get(17),
                                  s.streamFramesResent,
                                  who << " STREAM frames retransmitted");
            NS_TEST_EXPECT_MSG_EQ(get(18),
                                  s.streamBytesRetransmitted,
                                  who << " STREAM bytes retransmitted");
            NS_TEST_EXPECT_MSG_EQ(get(19),
                                  c->GetLossRecovery()->GetSpuriousLossCount(),
                                  who << " spurious losses");
            NS_TEST_EXPECT_MSG_EQ(get(19), s.spuriousLosses, who << " spurious losses (trace)");
            NS_TEST_EXPECT_MSG_EQ(get(20), ~uint64_t(0), who << ": no counter 20");
        }
        // The client's data crossed drops and reordering: it resent data, and some of its
        // losses were spurious — but no more than packets were held back. The server's
        // packets crossed a FIFO link without drops: nothing lost, nothing spurious.
        const QuicSocketBase::Stats& cs = client->GetStats();
        NS_TEST_EXPECT_MSG_GT(cs.streamBytesRetransmitted, 0u, "the client resent STREAM data");
        NS_TEST_EXPECT_MSG_GT(cs.streamFramesResent, 0u, "in STREAM frames");
        NS_TEST_EXPECT_MSG_GT(cs.spuriousLosses, 0u, "reordering made spurious losses");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(cs.spuriousLosses,
                                    em->GetReordered(),
                                    "each spurious loss is a held-back packet");
        NS_TEST_EXPECT_MSG_LT(cs.spuriousLosses,
                              client->GetLossRecovery()->GetLostPacketCount(),
                              "the drops were real losses");
        NS_TEST_EXPECT_MSG_EQ(accepted[0]->GetStats().spuriousLosses,
                              0u,
                              "no spurious loss on the FIFO link");
        bool found = false;
        auto get = [&found](Ptr<QuicSocketBase> c, uint64_t i) {
            return c->CallPlugin("monitoring_get", {i}, found);
        };
        NS_TEST_EXPECT_MSG_EQ(get(client, 8), 1u, "one STAT frame written");
        NS_TEST_EXPECT_MSG_EQ(get(client, 9), 1u, "and acknowledged");
        NS_TEST_EXPECT_MSG_EQ(get(accepted[0], 11), 1u, "the server parsed one STAT frame");
        // Written in the first packet after the request: the counters of that moment.
        NS_TEST_EXPECT_MSG_EQ(get(accepted[0], 12),
                              clientSentAtStat,
                              "peer packets sent, as the client counted them");
        NS_TEST_EXPECT_MSG_EQ(get(accepted[0], 14),
                              client->GetLossRecovery()->GetLostPacketCount(),
                              "peer packets lost");
        NS_TEST_EXPECT_MSG_GT(client->CallPlugin("monitoring_get", {4}, found),
                              0u,
                              "the loss rate made the client lose packets");
        Simulator::Destroy();
    }
};

/**
 * Accepts the connections of a listener into a vector and drains what they receive.
 * \param server the listener
 * \param accepted where accepted connections go
 * \param received bytes received on them
 */
static void
AcceptAndDrain(Ptr<QuicSocketBase> server,
               std::vector<Ptr<QuicSocketBase>>* accepted,
               uint64_t* received)
{
    server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                              MakeBoundCallback(
                                  +[](std::vector<Ptr<QuicSocketBase>>* acc,
                                      uint64_t* rx,
                                      Ptr<Socket> s,
                                      const Address&) {
                                      acc->push_back(DynamicCast<QuicSocketBase>(s));
                                      s->SetRecvCallback(MakeBoundCallback(
                                          +[](uint64_t* n, Ptr<Socket> sock) {
                                              while (Ptr<Packet> p = sock->Recv())
                                              {
                                                  *n += p->GetSize();
                                              }
                                          },
                                          rx));
                                  },
                                  accepted,
                                  received));
}

/**
 * META_PACKET end to end on a lossy transfer: a tag set on every 1-RTT packet when it is
 * sent reads back in packet_acked or packet_lost of that packet (never another's), a tag
 * set while write_frame writes a plugin frame reads back in its notify_frame, a parsed
 * packet's slots start at 0, and slots are freed when packets leave: what stays
 * allocated is exactly the packets still outstanding. Outside a packet, META_PACKET is a
 * fault.
 */
class QuicPluginPacketMetaTestCase : public TestCase
{
  public:
    QuicPluginPacketMetaTestCase()
        : TestCase("packet metadata slots live as long as their sent packet")
    {
    }

  private:
    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        RngSeedManager::SetSeed(11);
        RngSeedManager::SetRun(1);
        TwoNodes net("20Mbps", MilliSeconds(10));
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        em->SetRate(0.03);
        em->AssignStreams(120);
        net.SetReceiveErrorModel(1, em);
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        QuicPluginHelper plugins;
        plugins.Add("test-packet-meta");
        plugins.Install(server);
        std::vector<Ptr<QuicSocketBase>> accepted;
        uint64_t received = 0;
        AcceptAndDrain(server, &accepted, &received);
        Ptr<QuicSocketBase> client = net.CreateSocket(0);
        plugins.Install(client);
        client->Connect(net.serverAddress);
        const uint32_t bytes = 300000;
        Simulator::Schedule(MilliSeconds(100),
                            [client, bytes]() { client->Send(MakePatternPacket(bytes, 5), 0); });
        const int kFrames = 3;
        for (int i = 0; i < kFrames; ++i)
        {
            Simulator::Schedule(MilliSeconds(150 + 100 * i), [client]() {
                bool f = false;
                client->CallPlugin("test_pm_reserve", {}, f);
            });
        }
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(received, bytes, "transfer complete");
        QUIC_TEST_REQUIRE(accepted.size() == 1u, "one accepted connection");
        const std::string name = "org.ns3quic.test.packetmeta";
        for (Ptr<QuicSocketBase> c : {client, accepted[0]})
        {
            std::string who = c->IsServer() ? "server" : "client";
            auto get = [c](uint64_t i) {
                bool found = false;
                uint64_t v = c->CallPlugin("test_pm_get", {i}, found);
                return found ? v : ~uint64_t(0);
            };
            std::shared_ptr<QuicPluginInstance> inst = c->GetPlugins().Find(name);
            QUIC_TEST_REQUIRE(inst && inst->IsActive(), who << ": plugin active");
            uint64_t outstanding =
                c->GetLossRecovery()->GetSentPackets(QuicPacketNumberSpace::APPLICATION).GetCount();
            uint64_t tagged = get(0);
            NS_TEST_EXPECT_MSG_GT(tagged, 0u, who << " tagged its 1-RTT packets");
            NS_TEST_EXPECT_MSG_GT(get(1), 0u, who << ": tags read back on ACK");
            NS_TEST_EXPECT_MSG_EQ(get(2), 0u, who << ": no wrong tag on ACK");
            NS_TEST_EXPECT_MSG_EQ(get(4), 0u, who << ": no wrong tag on loss");
            NS_TEST_EXPECT_MSG_EQ(get(1) + get(3) + outstanding,
                                  tagged,
                                  who << ": every tagged packet acked, lost or outstanding");
            NS_TEST_EXPECT_MSG_EQ(inst->GetPacketMetaCount(),
                                  outstanding,
                                  who << ": slots freed with their packets");
            NS_TEST_EXPECT_MSG_EQ(get(7),
                                  c->GetStats().packetsReceived,
                                  who << ": each parsed packet's slot started at 0");
            NS_TEST_EXPECT_MSG_EQ(get(8), 0u, who << ": no slot left by another parsed packet");
        }
        bool found = false;
        auto get = [&found](Ptr<QuicSocketBase> c, uint64_t i) {
            return c->CallPlugin("test_pm_get", {i}, found);
        };
        NS_TEST_EXPECT_MSG_GT(get(client, 3), 0u, "the client's lost packets read their tag");
        NS_TEST_EXPECT_MSG_EQ(get(client, 9), uint64_t(kFrames), "plugin frames written");
        NS_TEST_EXPECT_MSG_EQ(get(client, 5),
                              uint64_t(kFrames),
                              "each notify_frame read the tag write_frame set on its packet");
        NS_TEST_EXPECT_MSG_EQ(get(client, 6), 0u, "and none missed it");

        // META_PACKET from an operation about no packet: the plugin faults.
        Ptr<QuicSocketBase> lone = CreateObject<QuicSocketBase>();
        std::string err;
        QUIC_TEST_REQUIRE(lone->LoadPlugin(Manifest("test-packet-meta"), err), err);
        lone->CallPlugin("test_pm_no_packet", {}, found);
        std::shared_ptr<QuicPluginInstance> inst = lone->GetPlugins().Find(name);
        QUIC_TEST_REQUIRE(inst != nullptr, "loaded");
        NS_TEST_EXPECT_MSG_EQ(inst->IsActive(), false, "faulted");
        NS_TEST_EXPECT_MSG_NE(inst->GetFault().find("no packet"),
                              std::string::npos,
                              "reason: " << inst->GetFault());
        Simulator::Destroy();
    }
};

/// A plugin frame of test-reserve seen in a packet the client sent.
struct ReservedFrameSeen
{
    Time at;           //!< when it left
    uint64_t type{0};  //!< 0x1f4 (congestion-controlled) or 0x1f5 (not)
    uint32_t inFlight; //!< bytes in flight when the core wrote it (from the frame)
    uint32_t cwnd;     //!< congestion window then (from the frame)
    uint64_t ptos;     //!< probe timeouts fired by then
};

/**
 * Decodes the frames of a 1-RTT packet, test-reserve's plugin frames (type varint, then
 * bytes in flight and cwnd, 32 bits each) included.
 * \param p the packet (Tx trace)
 * \param [out] frames its plugin frames (at, ptos left unset)
 * \return false if it does not decode
 */
static bool
DecodeReservedFrames(Ptr<const Packet> p, std::vector<ReservedFrameSeen>& frames)
{
    std::vector<uint8_t> bytes = PacketBytes(p);
    QuicHeader h;
    std::size_t consumed = 0;
    QuicWireError err;
    if (!QuicHeader::TryDecode(bytes.data(), bytes.size(), 8, h, consumed, err) ||
        h.GetType() != QuicHeader::SHORT || bytes.size() < consumed + 16)
    {
        return false;
    }
    QuicByteReader r(bytes.data() + consumed, bytes.size() - consumed - 16);
    while (r.Remaining() > 0)
    {
        uint64_t type = 0;
        if (QuicVarInt::Decode(r.Data() + r.Position(), r.Remaining(), type) == 0)
        {
            return false;
        }
        if (type == 0x1f4 || type == 0x1f5)
        {
            uint16_t t = 0;
            uint32_t inFlight = 0;
            uint32_t cwnd = 0;
            if (!r.ReadU16(t) || !r.ReadU32(inFlight) || !r.ReadU32(cwnd))
            {
                return false;
            }
            frames.push_back(ReservedFrameSeen{Time(), type, inFlight, cwnd, 0});
            continue;
        }
        QuicSubheader f;
        if (!QuicSubheader::TryDecode(r, f, err))
        {
            return false;
        }
        uint64_t t = f.GetFrameType();
        if (QuicSubheader::IsStream(t) || t == QuicSubheader::CRYPTO ||
            QuicSubheader::IsDatagram(t))
        {
            r.Skip(f.GetDataLength());
        }
    }
    return true;
}

/**
 * pl_reserve_frame's congestion_controlled flag, at the wire: while every byte of the
 * window is in flight (the link is blackholed), a frame reserved outside congestion
 * control leaves at once, and one reserved inside waits — until the window opens or a
 * probe timeout sends a probe, which RFC 9002 §7.5 lets past the window.
 */
class QuicPluginReserveTestCase : public TestCase
{
  public:
    QuicPluginReserveTestCase()
        : TestCase("reserved frames: outside the window at once, inside it when it opens")
    {
    }

  private:
    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(1);
        TwoNodes net("10Mbps", MilliSeconds(10));
        Ptr<OutageErrorModel> outage = CreateObject<OutageErrorModel>();
        outage->SetOutage(Seconds(0.5), Seconds(1.5)); // the client's data goes nowhere
        net.SetReceiveErrorModel(1, outage);
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        QuicPluginHelper plugins;
        plugins.Add("test-reserve");
        plugins.Install(server);
        std::vector<Ptr<QuicSocketBase>> accepted;
        uint64_t received = 0;
        AcceptAndDrain(server, &accepted, &received);
        Ptr<QuicSocketBase> client = net.CreateSocket(0);
        plugins.Install(client);
        std::vector<ReservedFrameSeen> seen;
        uint64_t undecoded = 0;
        client->TraceConnectWithoutContext("Tx",
                                           MakeCallback(+[](std::vector<ReservedFrameSeen>* out,
                                                            uint64_t* bad,
                                                            QuicSocketBase* c,
                                                            Ptr<const Packet> p,
                                                            const QuicHeader& h,
                                                            Ptr<const QuicSocketBase>) {
                                               if (h.GetType() != QuicHeader::SHORT)
                                               {
                                                   return;
                                               }
                                               std::vector<ReservedFrameSeen> frames;
                                               if (!DecodeReservedFrames(p, frames))
                                               {
                                                   ++*bad;
                                               }
                                               for (ReservedFrameSeen& f : frames)
                                               {
                                                   f.at = Simulator::Now();
                                                   f.ptos =
                                                       c->GetLossRecovery()->GetPtoFiredCount();
                                                   out->push_back(f);
                                               }
                                           })
                                               // A raw pointer: a Ptr bound into the socket's own
                                               // trace would keep the socket alive (a leak).
                                               .Bind(&seen, &undecoded, PeekPointer(client)));
        client->Connect(net.serverAddress);
        const uint32_t bytes = 1000000;
        Simulator::Schedule(Seconds(0.5),
                            [client, bytes]() { client->Send(MakePatternPacket(bytes, 9), 0); });
        const Time reserveAt = Seconds(0.52);
        bool windowFull = false;
        uint64_t ptosAtReserve = 0;
        uint32_t mps = 0;
        Simulator::Schedule(reserveAt, [&]() {
            Ptr<QuicSocketState> tcb = client->GetSocketState();
            UintegerValue v;
            client->GetAttribute("MaxPacketSize", v);
            mps = static_cast<uint32_t>(v.Get());
            windowFull = tcb->m_bytesInFlight.Get() + mps > tcb->m_cWnd.Get();
            ptosAtReserve = client->GetLossRecovery()->GetPtoFiredCount();
            bool f = false;
            client->CallPlugin("test_reserve", {1}, f); // congestion-controlled
            client->CallPlugin("test_reserve", {0}, f); // not
        });
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        QUIC_TEST_REQUIRE(windowFull, "the window was full when the frames were reserved");
        NS_TEST_EXPECT_MSG_EQ(undecoded, 0u, "every 1-RTT packet decoded");
        NS_TEST_EXPECT_MSG_EQ(received, bytes, "the transfer completed after the outage");
        const ReservedFrameSeen* cc = nullptr;
        const ReservedFrameSeen* free = nullptr;
        for (const ReservedFrameSeen& f : seen)
        {
            const ReservedFrameSeen*& slot = f.type == 0x1f4 ? cc : free;
            NS_TEST_EXPECT_MSG_EQ(slot,
                                  nullptr,
                                  "each frame sent once (0x" << std::hex << f.type << ")");
            slot = &f;
        }
        QUIC_TEST_REQUIRE(free != nullptr, "the frame outside congestion control was sent");
        QUIC_TEST_REQUIRE(cc != nullptr, "the congestion-controlled frame was sent");
        NS_TEST_EXPECT_MSG_EQ(free->at, reserveAt, "outside the window: sent at once");
        NS_TEST_EXPECT_MSG_GT(free->inFlight + mps,
                              free->cwnd,
                              "while the window was full (as the core saw it when writing)");
        NS_TEST_EXPECT_MSG_GT(cc->at, reserveAt, "inside the window: it waited");
        bool windowOpen = cc->inFlight + mps <= cc->cwnd;
        bool probe = cc->ptos > ptosAtReserve;
        NS_TEST_EXPECT_MSG_EQ(windowOpen || probe,
                              true,
                              "it left when the window opened or in a probe (in flight "
                                  << cc->inFlight << ", cwnd " << cc->cwnd << ")");
        Simulator::Destroy();
    }
};

/**
 * The retransmission-timer plugin replaces compute_pto: during an outage the first
 * probe leaves srtt + 2·rttvar after the data (exactly), earlier than the RFC 9002 PTO
 * of the same connection without the plugin, and then backs off by doubling.
 */
class QuicPluginRetransmissionTimerTestCase : public TestCase
{
  public:
    QuicPluginRetransmissionTimerTestCase()
        : TestCase("retransmission-timer plugin changes PTO firing times")
    {
    }

  private:
    /// Probe times after the data, and the RTT state when the data left.
    struct Run
    {
        std::vector<Time> probes; //!< distinct send times of ack-eliciting 1-RTT packets
        Time dataSent;            //!< when
        Time srtt;                //!< smoothed RTT then
        Time rttvar;              //!< RTT variation then
    };

    Run Simulate(bool plugin)
    {
        Run r;
        RngSeedManager::SetSeed(5);
        RngSeedManager::SetRun(1);
        TwoNodes net("100Mbps", MilliSeconds(10));
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        Ptr<QuicSocketBase> client = net.CreateSocket(0);
        std::string err;
        if (plugin)
        {
            NS_TEST_EXPECT_MSG_EQ(client->LoadPlugin(Manifest("retransmission-timer"), err),
                                  true,
                                  err);
        }
        client->TraceConnectWithoutContext(
            "Tx",
            MakeBoundCallback(
                +[](Run* run, Ptr<const Packet> p, const QuicHeader& h, Ptr<const QuicSocketBase>) {
                    if (h.GetType() != QuicHeader::SHORT || run->dataSent.IsZero() ||
                        Simulator::Now() <= run->dataSent)
                    {
                        return;
                    }
                    QuicHeader decoded;
                    for (const QuicSubheader& f : DecodeFrames(p, 8, decoded))
                    {
                        if (QuicSubheader::IsAckEliciting(f.GetFrameType()) &&
                            (run->probes.empty() || run->probes.back() != Simulator::Now()))
                        {
                            run->probes.push_back(Simulator::Now());
                            return;
                        }
                    }
                },
                &r));
        client->Connect(net.serverAddress);
        Simulator::Schedule(Seconds(0.5), [&r, client]() {
            r.dataSent = Simulator::Now();
            r.srtt = client->GetLossRecovery()->GetRtt().GetSmoothedRtt();
            r.rttvar = client->GetLossRecovery()->GetRtt().GetRttVar();
            client->Send(MakePatternPacket(1000, 1), 0);
        });
        Ptr<OutageErrorModel> em = CreateObject<OutageErrorModel>();
        em->SetOutage(Seconds(0.5), Seconds(1.5));
        net.SetReceiveErrorModel(1, em);
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        Simulator::Destroy();
        return r;
    }

    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        Run base = Simulate(false);
        Run plug = Simulate(true);
        QUIC_TEST_REQUIRE(base.probes.size() >= 2u, "baseline probes");
        QUIC_TEST_REQUIRE(plug.probes.size() >= 3u, "plugin probes");
        Time p = std::max(MilliSeconds(10), plug.srtt + plug.rttvar * 2);
        NS_TEST_EXPECT_MSG_EQ(plug.probes[0] - plug.dataSent, p, "first PTO = srtt + 2 rttvar");
        NS_TEST_EXPECT_MSG_EQ(plug.probes[1] - plug.probes[0], p * 2, "doubled");
        NS_TEST_EXPECT_MSG_EQ(plug.probes[2] - plug.probes[1], p * 4, "doubled again");
        NS_TEST_EXPECT_MSG_LT(plug.probes[0] - plug.dataSent,
                              base.probes[0] - base.dataSent,
                              "earlier than the RFC 9002 PTO");
        NS_TEST_EXPECT_MSG_GT(plug.probes.size(), base.probes.size(), "more probes in the outage");
    }
};

/**
 * The ack-frequency plugin, given to the server node through QuicPluginHelper (every
 * socket the node creates), makes the receiver of a bulk transfer acknowledge far less
 * often; the transfer still completes.
 */
class QuicPluginAckFrequencyTestCase : public TestCase
{
  public:
    QuicPluginAckFrequencyTestCase()
        : TestCase("ack-frequency plugin on a node: fewer ACK packets, same transfer")
    {
    }

  private:
    /// Result of one transfer.
    struct Result
    {
        uint64_t received{0};      //!< bytes the server read
        uint64_t serverPackets{0}; //!< packets the server sent (nearly all ACK-only)
        uint64_t clientPackets{0}; //!< packets the client sent
    };

    Result Transfer(bool plugin)
    {
        Result r;
        RngSeedManager::SetSeed(11);
        RngSeedManager::SetRun(1);
        TwoNodes net("50Mbps", MilliSeconds(10));
        if (plugin)
        {
            QuicPluginHelper helper;
            helper.Add("ack-frequency");
            helper.Install(NodeContainer(net.nodes.Get(1)));
        }
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        std::vector<Ptr<QuicSocketBase>> accepted;
        server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeBoundCallback(
                                      +[](std::pair<Result*, std::vector<Ptr<QuicSocketBase>>*> ctx,
                                          Ptr<Socket> s,
                                          const Address&) {
                                          ctx.second->push_back(DynamicCast<QuicSocketBase>(s));
                                          s->SetRecvCallback(MakeBoundCallback(
                                              +[](Result* res, Ptr<Socket> sock) {
                                                  while (Ptr<Packet> p = sock->Recv())
                                                  {
                                                      res->received += p->GetSize();
                                                  }
                                              },
                                              ctx.first));
                                      },
                                      std::make_pair(&r, &accepted)));
        Ptr<QuicSocketBase> client = net.CreateSocket(0);
        client->Connect(net.serverAddress);
        Simulator::Schedule(MilliSeconds(100),
                            [client]() { client->Send(MakePatternPacket(1000000, 4), 0); });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        if (accepted.size() == 1)
        {
            r.serverPackets = accepted[0]->GetStats().packetsSent;
            bool found = false;
            accepted[0]->CallPlugin("ack_frequency_set", {10}, found);
            NS_TEST_EXPECT_MSG_EQ(found, plugin, "the accepted connection has the plugin");
        }
        r.clientPackets = client->GetStats().packetsSent;
        Simulator::Destroy();
        return r;
    }

    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        Result base = Transfer(false);
        Result plug = Transfer(true);
        NS_TEST_EXPECT_MSG_EQ(base.received, 1000000u, "baseline transfer complete");
        NS_TEST_EXPECT_MSG_EQ(plug.received, 1000000u, "transfer complete with the plugin");
        // Every 2nd vs every 10th data packet: at least 3x fewer ACKs (delayed-ACK timers
        // and immediate ACKs at the start keep it above the 5x ideal).
        NS_TEST_EXPECT_MSG_LT(plug.serverPackets * 3,
                              base.serverPackets,
                              "server packets " << plug.serverPackets << " vs "
                                                << base.serverPackets);
        NS_TEST_EXPECT_MSG_GT(plug.serverPackets * 10, plug.clientPackets, "still acknowledges");
    }
};

/**
 * A plugin loaded on a socket before it listens is not shared with the connections it
 * accepts: each loads its own instance.
 */
class QuicPluginListenerTestCase : public TestCase
{
  public:
    QuicPluginListenerTestCase()
        : TestCase("plugin loaded before Listen: each accepted connection has its own instance")
    {
    }

  private:
    void DoRun() override
    {
        if (!PluginsBuilt(GetName()))
        {
            return;
        }
        TwoNodes net("10Mbps", MilliSeconds(5));
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        std::string err;
        NS_TEST_ASSERT_MSG_EQ(server->LoadPlugin(Manifest("monitoring"), err), true, err);
        server->Bind(net.anyAddress);
        server->Listen();
        std::vector<Ptr<QuicSocketBase>> accepted;
        server->SetAcceptCallback(
            MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
            MakeBoundCallback(
                +[](std::vector<Ptr<QuicSocketBase>>* acc, Ptr<Socket> s, const Address&) {
                    acc->push_back(DynamicCast<QuicSocketBase>(s));
                },
                &accepted));
        std::vector<Ptr<QuicSocketBase>> clients;
        for (int i = 0; i < 2; ++i)
        {
            Ptr<QuicSocketBase> c = net.CreateSocket(0);
            c->Connect(net.serverAddress);
            Simulator::Schedule(MilliSeconds(50),
                                [c]() { c->Send(MakePatternPacket(20000, 5), 0); });
            clients.push_back(c);
        }
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        QUIC_TEST_REQUIRE(accepted.size() == 2u, "two accepted connections");
        bool found = false;
        for (Ptr<QuicSocketBase> a : accepted)
        {
            NS_TEST_EXPECT_MSG_EQ(a->CallPlugin("monitoring_get", {0}, found),
                                  a->GetStats().packetsSent,
                                  "its own counters");
            NS_TEST_EXPECT_MSG_EQ(a->GetPlugins().GetInstances().size(), 1u, "own instance");
        }
        NS_TEST_EXPECT_MSG_EQ(server->CallPlugin("monitoring_get", {0}, found),
                              0u,
                              "the listener's instance saw nothing");
        Simulator::Destroy();
    }
};

/**
 * The plugins suite.
 */
class QuicPluginsTestSuite : public TestSuite
{
  public:
    QuicPluginsTestSuite()
        : TestSuite("quic-plugins", TestSuite::Type::UNIT)
    {
        AddTestCase(new QuicPluginLoadTestCase());
        AddTestCase(new QuicPluginApiTestCase());
        AddTestCase(new QuicPluginFaultTestCase("test-hostile-oob", "out-of-bounds read"));
        AddTestCase(
            new QuicPluginFaultTestCase("test-hostile-loop", "instruction budget exhausted"));
        AddTestCase(new QuicPluginFaultTestCase("test-hostile-handle", "bad handle"));
        AddTestCase(new QuicPluginFaultTestCase("test-hostile-free", "pl_free"));
        AddTestCase(new QuicPluginFaultTestCase("test-pre-writes", "read-only"));
        AddTestCase(new QuicPluginMonitoringTestCase());
        AddTestCase(new QuicPluginPacketMetaTestCase());
        AddTestCase(new QuicPluginReserveTestCase());
        AddTestCase(new QuicPluginRetransmissionTimerTestCase());
        AddTestCase(new QuicPluginAckFrequencyTestCase());
        AddTestCase(new QuicPluginListenerTestCase());
    }
};

/// The suite's instance.
static QuicPluginsTestSuite g_quicPluginsTestSuite;

} // namespace

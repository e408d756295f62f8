/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The QUIC applications end to end: QuicEchoClient/QuicEchoServer and
 * QuicClient/QuicServer over a 10 Mbps, 10 ms point-to-point link.
 */

#include "ns3/config.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-client-server-helper.h"
#include "ns3/quic-client.h"
#include "ns3/quic-echo-client.h"
#include "ns3/quic-echo-helper.h"
#include "ns3/quic-echo-server.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-server.h"
#include "ns3/quic-socket-base.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <map>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

using namespace ns3;

namespace
{
const uint64_t kLinkBps = 10000000;       //!< link rate of every case
const Time kLinkDelay = MilliSeconds(10); //!< one-way propagation delay
const uint16_t kPort = 4433;              //!< server port

/// Two nodes, a 10 Mbps / 10 ms link, QUIC on both; IPv4 or IPv6 addresses.
struct TwoNodes
{
    NodeContainer nodes; //!< node 0 the client, node 1 the server
    Address serverIp;    //!< the server's address
    Address anyIp;       //!< the any address of the family

    /**
     * \param ipv6 use IPv6
     */
    explicit TwoNodes(bool ipv6)
    {
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(kLinkBps)));
        p2p.SetChannelAttribute("Delay", TimeValue(kLinkDelay));
        NetDeviceContainer devices = p2p.Install(nodes);
        QuicHelper stack;
        stack.InstallQuic(nodes);
        if (ipv6)
        {
            Ipv6AddressHelper address;
            address.SetBase("2001:db8::", Ipv6Prefix(64));
            Ipv6InterfaceContainer ifaces = address.Assign(devices);
            serverIp = ifaces.GetAddress(1, 1);
            anyIp = Ipv6Address::GetAny();
        }
        else
        {
            Ipv4AddressHelper address;
            address.SetBase("10.1.1.0", "255.255.255.0");
            Ipv4InterfaceContainer ifaces = address.Assign(devices);
            serverIp = ifaces.GetAddress(1);
            anyIp = Ipv4Address::GetAny();
        }
    }
};

/**
 * Sets the SocketSndBufSize and StreamSndBufSize defaults of QUIC sockets (read when a
 * socket is created) for the lifetime of a test case, and restores them afterwards so
 * other cases and suites see the usual values.
 */
class ScopedSendBuffers
{
  public:
    /**
     * \param bytes the buffer size; 0 changes nothing
     */
    explicit ScopedSendBuffers(uint32_t bytes)
        : m_active(bytes > 0)
    {
        if (!m_active)
        {
            return;
        }
        TypeId tid = TypeId::LookupByName("ns3::QuicSocketBase");
        TypeId::AttributeInformation info;
        tid.LookupAttributeByName("SocketSndBufSize", &info);
        m_socketBuf.Set(DynamicCast<const UintegerValue>(info.initialValue)->Get());
        tid.LookupAttributeByName("StreamSndBufSize", &info);
        m_streamBuf.Set(DynamicCast<const UintegerValue>(info.initialValue)->Get());
        Config::SetDefault("ns3::QuicSocketBase::SocketSndBufSize", UintegerValue(bytes));
        Config::SetDefault("ns3::QuicSocketBase::StreamSndBufSize", UintegerValue(bytes));
    }

    ~ScopedSendBuffers()
    {
        if (m_active)
        {
            Config::SetDefault("ns3::QuicSocketBase::SocketSndBufSize", m_socketBuf);
            Config::SetDefault("ns3::QuicSocketBase::StreamSndBufSize", m_streamBuf);
        }
    }

    ScopedSendBuffers(const ScopedSendBuffers&) = delete;
    ScopedSendBuffers& operator=(const ScopedSendBuffers&) = delete;

  private:
    bool m_active;             //!< defaults changed
    UintegerValue m_socketBuf; //!< SocketSndBufSize before
    UintegerValue m_streamBuf; //!< StreamSndBufSize before
};

/**
 * Time to serialize the bytes of one application packet and the IP, UDP and PPP
 * headers around it on the link: a lower bound, since the QUIC header, frame headers
 * and AEAD tag come on top.
 * \param bytes application bytes
 * \param ipv6 IPv6 (40-byte header) or IPv4 (20)
 * \return the time
 */
Time
SerializationLowerBound(uint32_t bytes, bool ipv6)
{
    uint32_t wire = bytes + (ipv6 ? 40 : 20) + 8 + 2;
    return Seconds(wire * 8.0 / kLinkBps);
}

/// What a run of a server and a client sends.
struct Traffic
{
    uint32_t packets; //!< packets the client sends
    uint32_t size;    //!< bytes per packet
    uint32_t streams; //!< client streams used
    Time interval;    //!< time between packets
    uint32_t sndBuf;  //!< both sockets' send buffers (0: defaults)
};

/**
 * Installs a server of \p ServerHelper's kind on node 1, running from 0 s to 40 s.
 * \param net the two nodes
 * \return the server
 */
template <class ServerHelper>
auto
InstallServer(const TwoNodes& net)
{
    ServerHelper server(net.anyIp, kPort);
    ApplicationContainer serverApps = server.Install(net.nodes.Get(1));
    serverApps.Start(Seconds(0));
    serverApps.Stop(Seconds(40));
    return server.GetServer();
}

/**
 * A client helper of \p ClientHelper's kind aimed at the server of \p net.
 * \param net the two nodes
 * \param traffic what each client it creates sends
 * \return the helper
 */
template <class ClientHelper>
ClientHelper
MakeClientHelper(const TwoNodes& net, const Traffic& traffic)
{
    ClientHelper client(net.serverIp, kPort);
    client.SetAttribute("MaxPackets", UintegerValue(traffic.packets));
    client.SetAttribute("PacketSize", UintegerValue(traffic.size));
    client.SetAttribute("Interval", TimeValue(traffic.interval));
    client.SetAttribute("NumStreams", UintegerValue(traffic.streams));
    return client;
}
} // namespace

/**
 * \ingroup quic-test
 * \brief The run shared by the echo and the client/server cases: a server of
 * \p ServerHelper's kind on node 1 (from 0 s to 40 s), one client of \p ClientHelper's
 * kind on node 0 (from 1 s to 30 s) sending its Traffic, the simulation stopped at 45 s;
 * a subclass checks the outcome.
 */
template <class ServerHelper, class ClientHelper>
class QuicApplicationRunTestCase : public TestCase
{
  public:
    /// The server application's type.
    using ServerPtr = decltype(std::declval<ServerHelper&>().GetServer());

    /**
     * \param name the case's name
     * \param ipv6 use IPv6
     * \param traffic what the client sends
     */
    QuicApplicationRunTestCase(const std::string& name, bool ipv6, const Traffic& traffic)
        : TestCase(name),
          m_ipv6(ipv6),
          m_traffic(traffic)
    {
    }

  protected:
    /**
     * Called before the simulation runs (to connect traces).
     * \param server the server
     * \param client the client
     */
    virtual void Prepare(ServerPtr server, Ptr<Application> client)
    {
    }

    /**
     * Checks the outcome once the simulation has run.
     * \param server the server
     * \param client the client
     */
    virtual void Check(ServerPtr server, Ptr<Application> client) = 0;

    bool m_ipv6;       //!< IPv6 or IPv4
    Traffic m_traffic; //!< what the client sends

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        ScopedSendBuffers buffers(m_traffic.sndBuf);
        TwoNodes net(m_ipv6);
        ServerPtr server = InstallServer<ServerHelper>(net);
        ApplicationContainer clientApps =
            MakeClientHelper<ClientHelper>(net, m_traffic).Install(net.nodes.Get(0));
        clientApps.Start(Seconds(1));
        clientApps.Stop(Seconds(30));
        Prepare(server, clientApps.Get(0));

        Simulator::Stop(Seconds(45));
        Simulator::Run();
        Check(server, clientApps.Get(0));
        Simulator::Destroy();
    }
};

/**
 * \ingroup quic-test
 * \brief QuicEchoClient → QuicEchoServer: every packet echoed, intact, in no less than
 * the round trip and serialization times; the first one after the handshake.
 */
class QuicEchoApplicationsTestCase
    : public QuicApplicationRunTestCase<QuicEchoServerHelper, QuicEchoClientHelper>
{
  public:
    /**
     * \param ipv6 use IPv6
     * \param traffic what the client sends; a small sndBuf makes the sockets refuse
     *        writes (ERROR_MSGSIZE)
     */
    QuicEchoApplicationsTestCase(bool ipv6, const Traffic& traffic)
        : QuicApplicationRunTestCase(Name(ipv6, traffic), ipv6, traffic)
    {
    }

  private:
    /**
     * \param ipv6 use IPv6
     * \param t what the client sends
     * \return the case's name
     */
    static std::string Name(bool ipv6, const Traffic& t)
    {
        std::ostringstream os;
        os << "echo over " << (ipv6 ? "IPv6" : "IPv4") << ": " << t.packets << " x " << t.size
           << " B every " << t.interval.GetMilliSeconds() << " ms on " << t.streams << " stream(s)";
        if (t.sndBuf > 0)
        {
            os << ", " << t.sndBuf << " B send buffers";
        }
        os << ", all intact, RTT >= 20 ms + serialization";
        return os.str();
    }

    void Check(Ptr<QuicEchoServer> echoServer, Ptr<Application> app) override
    {
        Ptr<QuicEchoClient> echo = DynamicCast<QuicEchoClient>(app);
        const uint32_t packets = m_traffic.packets;
        const uint32_t size = m_traffic.size;
        const uint32_t streams = m_traffic.streams;
        NS_TEST_EXPECT_MSG_EQ(echo->GetSent(), packets, "packets generated");
        NS_TEST_EXPECT_MSG_EQ(echo->GetTransmitted(), packets, "packets accepted by the socket");
        NS_TEST_EXPECT_MSG_EQ(echoServer->GetConnections(), 1, "one connection accepted");
        NS_TEST_EXPECT_MSG_EQ(echoServer->GetReceivedBytes(),
                              uint64_t(packets) * size,
                              "server received every byte");
        NS_TEST_EXPECT_MSG_EQ(echoServer->GetEchoedBytes(),
                              uint64_t(packets) * size,
                              "server echoed every byte");
        NS_TEST_EXPECT_MSG_EQ(echoServer->GetUnechoedBytes(), 0, "no byte of an unknown stream");
        if (m_traffic.sndBuf > 0)
        {
            NS_TEST_EXPECT_MSG_GT(echo->GetSocketRefusals(),
                                  0,
                                  "the small buffers made the client's socket refuse writes");
            NS_TEST_EXPECT_MSG_GT(echoServer->GetSocketRefusals(),
                                  0,
                                  "the small buffers made the server's socket refuse echoes");
        }
        std::map<uint64_t, uint64_t> perStream = echoServer->GetReceivedBytesPerStream();
        for (uint32_t k = 0; k < streams; ++k)
        {
            uint32_t onStream = packets / streams + (k < packets % streams ? 1 : 0);
            NS_TEST_EXPECT_MSG_EQ(perStream[uint64_t(k) * 4],
                                  uint64_t(onStream) * size,
                                  "bytes received on stream " << k * 4);
        }
        NS_TEST_EXPECT_MSG_EQ(perStream.size(), streams, "no other stream used");
        NS_TEST_EXPECT_MSG_EQ(echo->GetEchoed(), packets, "every packet echoed");
        NS_TEST_EXPECT_MSG_EQ(echo->GetMismatches(), 0, "echoed content identical");
        NS_TEST_EXPECT_MSG_EQ(echo->GetUnexpectedBytes(), 0, "nothing echoed beyond what was sent");
        NS_TEST_EXPECT_MSG_EQ(echo->GetReceivedBytes(),
                              uint64_t(packets) * size,
                              "client received every byte back");

        const Time bound = 2 * kLinkDelay + 2 * SerializationLowerBound(size, m_ipv6);
        const std::vector<Time>& rtts = echo->GetRtts();
        NS_TEST_EXPECT_MSG_EQ(rtts.size(), packets, "one RTT per packet");
        for (std::size_t i = 0; i < rtts.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_GT_OR_EQ(rtts[i],
                                        bound,
                                        "RTT sample " << i << " below 20 ms + serialization");
        }
        // RFC 9000/9001: without 0-RTT the client's first data leaves after a full round
        // trip of handshake, so its echo takes at least two round trips.
        NS_TEST_EXPECT_MSG_GT_OR_EQ(echo->GetFirstRtt(),
                                    4 * kLinkDelay,
                                    "first echo faster than handshake + round trip");
    }
};

/**
 * \ingroup quic-test
 * \brief A second QuicEchoClient on the same node talks to the same server after the
 * first one closed: its connection uses 0-RTT (RFC 9000 §7.4.1), so its single packet
 * is echoed, intact, within one round trip of handshake instead of two.
 */
class QuicEchoZeroRttApplicationsTestCase : public TestCase
{
  public:
    QuicEchoZeroRttApplicationsTestCase()
        : TestCase("echo again to a known server: 0-RTT, a single packet echoed within one "
                   "round trip")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const uint32_t size = 500;
        TwoNodes net(false);
        InstallServer<QuicEchoServerHelper>(net);

        QuicEchoClientHelper client =
            MakeClientHelper<QuicEchoClientHelper>(net, Traffic{3, size, 1, MilliSeconds(50), 0});
        ApplicationContainer first = client.Install(net.nodes.Get(0));
        first.Start(Seconds(1));
        first.Stop(Seconds(3));
        client.SetAttribute("MaxPackets", UintegerValue(1));
        ApplicationContainer second = client.Install(net.nodes.Get(0));
        second.Start(Seconds(5));
        second.Stop(Seconds(30));
        Ptr<QuicEchoClient> echo1 = DynamicCast<QuicEchoClient>(first.Get(0));
        Ptr<QuicEchoClient> echo2 = DynamicCast<QuicEchoClient>(second.Get(0));

        Simulator::Stop(Seconds(45));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(echo1->GetEchoed(), 3, "first connection: every packet echoed");
        NS_TEST_EXPECT_MSG_EQ(echo1->GetMismatches(), 0, "first connection: content identical");
        Ptr<QuicSocketBase> socket2 = DynamicCast<QuicSocketBase>(echo2->GetSocket());
        NS_TEST_ASSERT_MSG_NE(socket2, nullptr, "second client has a QUIC socket");
        NS_TEST_EXPECT_MSG_EQ(socket2->IsZeroRtt(), true, "second connection used 0-RTT");
        NS_TEST_EXPECT_MSG_EQ(echo2->GetSent(), 1, "second connection: packet generated");
        NS_TEST_EXPECT_MSG_EQ(echo2->GetTransmitted(),
                              1,
                              "second connection: packet accepted by the socket");
        NS_TEST_EXPECT_MSG_EQ(echo2->GetEchoed(), 1, "second connection: packet echoed");
        NS_TEST_EXPECT_MSG_EQ(echo2->GetMismatches(), 0, "second connection: content identical");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(echo2->GetFirstRtt(),
                                    2 * kLinkDelay + 2 * SerializationLowerBound(size, false),
                                    "0-RTT echo faster than a round trip");
        NS_TEST_EXPECT_MSG_LT(echo2->GetFirstRtt(),
                              4 * kLinkDelay,
                              "0-RTT echo no faster than with a full handshake");
        Simulator::Destroy();
    }
};

/**
 * \ingroup quic-test
 * \brief QuicClient → QuicServer: per-stream packet and byte counts equal what was sent,
 * one-way delays no less than the propagation and serialization times.
 */
class QuicClientServerApplicationsTestCase
    : public QuicApplicationRunTestCase<QuicServerHelper, QuicClientHelper>
{
  public:
    /**
     * \param traffic what the client sends; a small sndBuf makes the socket refuse
     *        writes (ERROR_MSGSIZE)
     */
    explicit QuicClientServerApplicationsTestCase(const Traffic& traffic)
        : QuicApplicationRunTestCase(Name(traffic), false, traffic)
    {
    }

  private:
    /**
     * \param t what the client sends
     * \return the case's name
     */
    static std::string Name(const Traffic& t)
    {
        std::ostringstream os;
        os << "client to server: " << t.packets << " x " << t.size << " B every "
           << t.interval.GetMilliSeconds() << " ms"
           << " on " << t.streams << " streams";
        if (t.sndBuf > 0)
        {
            os << ", " << t.sndBuf << " B send buffers (refused writes wait, none lost)";
        }
        os << ", per-stream counts exact";
        return os.str();
    }

    /**
     * The server's Delay trace.
     * \param delay one-way delay
     * \param streamId stream
     */
    void OnDelay(Time delay, uint64_t streamId)
    {
        m_delays.push_back(delay);
    }

    void Prepare(Ptr<QuicServer> quicServer, Ptr<Application> app) override
    {
        m_delays.clear();
        quicServer->TraceConnectWithoutContext(
            "Delay",
            MakeCallback(&QuicClientServerApplicationsTestCase::OnDelay, this));
    }

    void Check(Ptr<QuicServer> quicServer, Ptr<Application> app) override
    {
        Ptr<QuicClient> quicClient = DynamicCast<QuicClient>(app);
        const uint32_t sent = m_traffic.packets;
        const uint32_t size = m_traffic.size;
        const uint32_t streams = m_traffic.streams;
        NS_TEST_EXPECT_MSG_EQ(quicClient->GetSent(), sent, "packets generated");
        NS_TEST_EXPECT_MSG_EQ(quicClient->GetTransmitted(),
                              sent,
                              "every packet accepted by the socket in the end");
        NS_TEST_EXPECT_MSG_EQ(quicClient->GetBacklogBytes(), 0, "nothing left waiting");
        if (m_traffic.sndBuf > 0)
        {
            NS_TEST_EXPECT_MSG_GT(quicClient->GetSocketRefusals(),
                                  0,
                                  "the small buffers made the socket refuse writes");
        }
        NS_TEST_EXPECT_MSG_EQ(quicServer->GetConnections(), 1, "one connection accepted");
        NS_TEST_EXPECT_MSG_EQ(quicServer->GetReceived(), sent, "packets received");
        NS_TEST_EXPECT_MSG_EQ(quicServer->GetReceivedBytes(),
                              uint64_t(sent) * size,
                              "bytes received");
        NS_TEST_EXPECT_MSG_EQ(quicServer->GetFramingErrors(), 0, "every packet parsed");
        std::map<uint64_t, uint64_t> packets = quicServer->GetReceivedPerStream();
        std::map<uint64_t, uint64_t> bytes = quicServer->GetReceivedBytesPerStream();
        for (uint32_t k = 0; k < streams; ++k)
        {
            uint64_t id = QuicClient::GetStreamIdForIndex(k);
            uint32_t onStream = sent / streams + (k < sent % streams ? 1 : 0);
            NS_TEST_EXPECT_MSG_EQ(packets[id], onStream, "packets on stream " << id);
            NS_TEST_EXPECT_MSG_EQ(bytes[id], uint64_t(onStream) * size, "bytes on stream " << id);
        }
        NS_TEST_EXPECT_MSG_EQ(packets.size(), streams, "no other stream carried packets");
        NS_TEST_EXPECT_MSG_EQ(bytes.size(), streams, "no other stream carried bytes");

        NS_TEST_EXPECT_MSG_EQ(m_delays.size(), sent, "one delay per packet");
        const Time bound = kLinkDelay + SerializationLowerBound(size, false);
        for (std::size_t i = 0; i < m_delays.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_GT_OR_EQ(m_delays[i],
                                        bound,
                                        "delay " << i << " below 10 ms + serialization");
        }
    }

    std::vector<Time> m_delays; //!< one-way delays traced
};

/**
 * \ingroup quic-test
 * \brief The QUIC applications end to end.
 */
class QuicApplicationsTestSuite : public TestSuite
{
  public:
    QuicApplicationsTestSuite()
        : TestSuite("quic-applications", TestSuite::Type::UNIT)
    {
        Add(std::make_unique<QuicEchoApplicationsTestCase>(
            false,
            Traffic{20, 500, 1, MilliSeconds(50), 0}));
        Add(std::make_unique<QuicEchoApplicationsTestCase>(
            true,
            Traffic{20, 500, 1, MilliSeconds(50), 0}));
        // Packets larger than a QUIC packet, several streams, sent faster than echoed.
        Add(std::make_unique<QuicEchoApplicationsTestCase>(
            false,
            Traffic{30, 3000, 3, MilliSeconds(2), 0}));
        // 300 x 1400 B at once into 8 KiB buffers: both sockets refuse writes; the server
        // stops reading while its echoes wait, and QUIC flow control does the rest.
        Add(std::make_unique<QuicEchoApplicationsTestCase>(
            false,
            Traffic{300, 1400, 2, Seconds(0), 8192}));
        Add(std::make_unique<QuicClientServerApplicationsTestCase>(
            Traffic{40, 1000, 4, MilliSeconds(10), 0}));
        // 2000 x 1400 B at once into 16 KiB buffers: the socket refuses most writes.
        Add(std::make_unique<QuicClientServerApplicationsTestCase>(
            Traffic{2000, 1400, 4, Seconds(0), 16384}));
        // Last: it needs 0-RTT from the connection, which the others do not.
        Add(std::make_unique<QuicEchoZeroRttApplicationsTestCase>());
    }

  private:
    /**
     * \brief Hands a test case to the suite, which owns and deletes it.
     * \param testCase the test case
     */
    void Add(std::unique_ptr<TestCase> testCase)
    {
        AddTestCase(testCase.release());
    }
};

/// The suite's instance.
static QuicApplicationsTestSuite g_quicApplicationsTestSuite;

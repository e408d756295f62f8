/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Handshake timing and sizes: 1-RTT, 0-RTT, version negotiation, lost Initial.
 */

#include "quic-test-utils.h"

#include "ns3/boolean.h"
#include "ns3/error-model.h"
#include "ns3/log.h"
#include "ns3/quic-l4-protocol.h"
#include "ns3/quic-socket-base.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

using namespace ns3;
using namespace ns3::quictest;

namespace
{

/// Which handshake a test case runs.
enum class Mode
{
    ONE_RTT,             //!< first contact: 1-RTT
    ZERO_RTT_KNOWN_PEER, //!< second connection to a server met before: 0-RTT
    ZERO_RTT_FORCED,     //!< first contact with the 0RTT-Handshake attribute
    VERSION_NEGOTIATION, //!< an unsupported InitialVersion: 2-RTT
    LOST_INITIAL,        //!< the client's first Initial is lost: PTO, then 1-RTT
};

/**
 * Measures when the client's connection opens and when the server reads the first
 * stream byte, for one handshake mode, on a link of known delay.
 */
class QuicHandshakeTimingTestCase : public TestCase
{
  public:
    /**
     * \param mode the handshake
     * \param ipv6 use IPv6
     */
    QuicHandshakeTimingTestCase(Mode mode, bool ipv6);

  private:
    void DoRun() override;
    /// Starts the measured client.
    void StartClient();
    /**
     * A connection was accepted.
     * \param s the connection
     * \param from the client
     */
    void Accept(Ptr<Socket> s, const Address& from);
    /**
     * Data arrived.
     * \param s the connection
     */
    void Receive(Ptr<Socket> s);
    /**
     * The measured client changed state.
     * \param oldState previous
     * \param newState new
     */
    void ClientState(QuicSocket::State oldState, QuicSocket::State newState);
    /**
     * The measured client sent a datagram.
     * \param p its bytes
     * \param h a header in it
     * \param s the socket
     */
    void ClientTx(Ptr<const Packet> p, const QuicHeader& h, Ptr<const QuicSocketBase> s);
    /**
     * A server connection sent a datagram.
     * \param p its bytes
     * \param h a header in it
     * \param s the socket
     */
    void ServerTx(Ptr<const Packet> p, const QuicHeader& h, Ptr<const QuicSocketBase> s);

    Mode m_mode;                              //!< handshake
    bool m_ipv6;                              //!< address family
    TwoNodes* m_net{nullptr};                 //!< topology
    Ptr<QuicSocketBase> m_client;             //!< measured client
    Ptr<QuicSocketBase> m_warmup;             //!< first connection (0-RTT case)
    Time m_start;                             //!< Connect() of the measured client
    Time m_open;                              //!< when it opened
    Time m_firstByte;                         //!< first byte read by the server
    uint32_t m_acceptCount{0};                //!< connections accepted
    uint32_t m_firstDatagram{0};              //!< size of the client's first datagram
    uint64_t m_serverEarlyBytes{0};           //!< server bytes sent before any client Handshake
    Time m_firstServerTx;                     //!< the server's first datagram
    Ptr<const QuicSocketBase> m_lastTxSocket; //!< dedupe of coalesced-packet traces
    Ptr<const Packet> m_lastTxPacket;         //!< dedupe of coalesced-packet traces
};

QuicHandshakeTimingTestCase::QuicHandshakeTimingTestCase(Mode mode, bool ipv6)
    : TestCase(std::string("handshake timing: ") +
               (mode == Mode::ONE_RTT               ? "1-RTT"
                : mode == Mode::ZERO_RTT_KNOWN_PEER ? "0-RTT with a known server"
                : mode == Mode::ZERO_RTT_FORCED     ? "0-RTT forced by attribute"
                : mode == Mode::VERSION_NEGOTIATION ? "version negotiation"
                                                    : "lost Initial (PTO)") +
               (ipv6 ? ", IPv6" : ", IPv4")),
      m_mode(mode),
      m_ipv6(ipv6)
{
}

void
QuicHandshakeTimingTestCase::Accept(Ptr<Socket> s, const Address& from)
{
    ++m_acceptCount;
    s->SetRecvCallback(MakeCallback(&QuicHandshakeTimingTestCase::Receive, this));
    s->TraceConnectWithoutContext("Tx", MakeCallback(&QuicHandshakeTimingTestCase::ServerTx, this));
}

void
QuicHandshakeTimingTestCase::Receive(Ptr<Socket> s)
{
    while (Ptr<Packet> p = s->Recv())
    {
        if (p->GetSize() > 0 && m_firstByte.IsZero() && Simulator::Now() >= m_start &&
            !m_start.IsZero() && s != m_warmup)
        {
            m_firstByte = Simulator::Now();
        }
    }
}

void
QuicHandshakeTimingTestCase::ClientState(QuicSocket::State oldState, QuicSocket::State newState)
{
    if (newState == QuicSocket::OPEN && m_open.IsZero())
    {
        m_open = Simulator::Now();
    }
}

void
QuicHandshakeTimingTestCase::ClientTx(Ptr<const Packet> p,
                                      const QuicHeader& h,
                                      Ptr<const QuicSocketBase> s)
{
    if (m_firstDatagram == 0)
    {
        m_firstDatagram = p->GetSize();
    }
}

void
QuicHandshakeTimingTestCase::ServerTx(Ptr<const Packet> p,
                                      const QuicHeader& h,
                                      Ptr<const QuicSocketBase> s)
{
    // The trace fires once per coalesced packet with the same datagram: count it once.
    if (p == m_lastTxPacket && s == m_lastTxSocket)
    {
        return;
    }
    m_lastTxPacket = p;
    m_lastTxSocket = s;
    // Within one RTT of its first packet the server cannot have received the client's
    // Handshake packet: it has not validated the client's address yet.
    if (m_firstServerTx.IsZero())
    {
        m_firstServerTx = Simulator::Now();
    }
    if (Simulator::Now() < m_firstServerTx + MilliSeconds(49))
    {
        m_serverEarlyBytes += p->GetSize();
    }
}

void
QuicHandshakeTimingTestCase::StartClient()
{
    m_start = Simulator::Now();
    m_client = m_net->CreateSocket(0);
    if (m_mode == Mode::ZERO_RTT_FORCED)
    {
        m_client->SetAttribute("0RTT-Handshake", BooleanValue(true));
    }
    if (m_mode == Mode::VERSION_NEGOTIATION)
    {
        m_client->SetAttribute("InitialVersion", UintegerValue(0x1a2a3a4a));
    }
    m_client->TraceConnectWithoutContext(
        "State",
        MakeCallback(&QuicHandshakeTimingTestCase::ClientState, this));
    m_client->TraceConnectWithoutContext(
        "Tx",
        MakeCallback(&QuicHandshakeTimingTestCase::ClientTx, this));
    QUIC_TEST_REQUIRE((m_client->Connect(m_net->serverAddress)) == (0), "Connect failed");
    // Written before the handshake completes: it must wait, not be lost.
    NS_TEST_ASSERT_MSG_EQ(m_client->Send(Create<Packet>(100), 0),
                          100,
                          "Send before the handshake refused");
}

void
QuicHandshakeTimingTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    const Time delay = MilliSeconds(25); // one way; RTT 50 ms
    TwoNodes net("1Gbps", delay, m_ipv6);
    m_net = &net;
    if (m_mode == Mode::LOST_INITIAL)
    {
        Ptr<ReceiveListErrorModel> em = CreateObject<ReceiveListErrorModel>();
        em->SetList({0}); // the first packet the server's device receives
        net.SetReceiveErrorModel(1, em);
    }
    Ptr<QuicSocketBase> server = net.CreateSocket(1);
    QUIC_TEST_REQUIRE((server->Bind(net.anyAddress)) == (0), "Bind failed");
    QUIC_TEST_REQUIRE((server->Listen()) == (0), "Listen failed");
    server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                              MakeCallback(&QuicHandshakeTimingTestCase::Accept, this));
    Time start = Seconds(1);
    if (m_mode == Mode::ZERO_RTT_KNOWN_PEER)
    {
        // A first connection makes the server known to the client node.
        Simulator::Schedule(Seconds(0.1), [this, &net]() {
            m_warmup = net.CreateSocket(0);
            m_warmup->Connect(net.serverAddress);
        });
    }
    Simulator::Schedule(start, &QuicHandshakeTimingTestCase::StartClient, this);
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    QuicSocket::State endState = m_client->GetState();
    Simulator::Destroy(); // before any early return below

    // Serialization of the datagrams of a flight at 1 Gbps is a few tens of µs.
    const Time tolerance = MicroSeconds(200);
    Time rtt = delay * 2;
    Time pto(0);
    if (m_mode == Mode::LOST_INITIAL)
    {
        // RFC 9002 §6.2.2: before any RTT sample the PTO is
        // 333 ms + 4 * 333 ms / 2 = 999 ms (no max_ack_delay in the Initial space).
        pto = MilliSeconds(999);
    }
    Time expectedOpen = start + pto + rtt;
    Time expectedFirstByte = start + pto + rtt + delay; // 1-RTT data leaves with Finished
    switch (m_mode)
    {
    case Mode::ZERO_RTT_KNOWN_PEER:
    case Mode::ZERO_RTT_FORCED:
        expectedFirstByte = start + delay; // 0-RTT data leaves with the Initial
        QUIC_TEST_REQUIRE((m_client->IsZeroRtt()) == (true), "0-RTT not used");
        break;
    case Mode::VERSION_NEGOTIATION:
        expectedOpen = start + rtt * 2;
        expectedFirstByte = start + rtt * 2 + delay;
        break;
    default:
        QUIC_TEST_REQUIRE((m_client->IsZeroRtt()) == (false), "0-RTT used on first contact");
        break;
    }
    QUIC_TEST_REQUIRE((m_open.IsZero()) == (false), "the connection never opened");
    QUIC_TEST_REQUIRE((m_firstByte.IsZero()) == (false), "the server never read a byte");
    NS_TEST_EXPECT_MSG_EQ_TOL(m_open, expectedOpen, tolerance, "handshake completion time");
    NS_TEST_EXPECT_MSG_EQ_TOL(m_firstByte,
                              expectedFirstByte,
                              tolerance,
                              "first stream byte at the server");
    // RFC 9000 §14.1: the client's first datagram is padded to exactly 1200 bytes.
    NS_TEST_EXPECT_MSG_EQ(m_firstDatagram, 1200, "client Initial datagram size");
    // RFC 9000 §8.1: before validating the client's address the server sends at most
    // three times what it received (one 1200-byte datagram, or two with the lost one
    // never arriving: still one).
    NS_TEST_EXPECT_MSG_LT_OR_EQ(m_serverEarlyBytes, 3600u, "anti-amplification limit");
    NS_TEST_EXPECT_MSG_GT(m_serverEarlyBytes, 1200u, "the server's first flight is missing");
    NS_TEST_EXPECT_MSG_EQ(endState, QuicSocket::OPEN, "client state at the end");
    m_client = nullptr;
    m_warmup = nullptr;
    m_net = nullptr;
}

/**
 * The transport parameters each side announced are the ones the other applies.
 */
class QuicTransportParameterExchangeTestCase : public TestCase
{
  public:
    QuicTransportParameterExchangeTestCase()
        : TestCase("transport parameters carried in CRYPTO frames and applied by the peer")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(2);
        TwoNodes net("100Mbps", MilliSeconds(5));
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->SetAttribute("MaxStreamsBidi", UintegerValue(7));
        server->SetAttribute("IdleTimeout", TimeValue(Seconds(42)));
        server->Bind(net.anyAddress);
        server->Listen();
        Ptr<QuicSocketBase> accepted;
        server->SetAcceptCallback(
            MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
            MakeCallback(&QuicTransportParameterExchangeTestCase::Accept, this));
        Ptr<QuicSocketBase> client = net.CreateSocket(0);
        client->SetAttribute("MaxAckDelay", TimeValue(MilliSeconds(11)));
        client->Connect(net.serverAddress);
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        Simulator::Destroy(); // before any early return below
        QUIC_TEST_REQUIRE((m_accepted) != (nullptr), "no connection accepted");
        const QuicTransportParameters& seenByClient = client->GetPeerTransportParameters();
        const QuicTransportParameters& seenByServer = m_accepted->GetPeerTransportParameters();
        NS_TEST_EXPECT_MSG_EQ(seenByClient.GetInitialMaxStreamsBidi(), 7u, "server's stream limit");
        NS_TEST_EXPECT_MSG_EQ(seenByClient.GetMaxIdleTimeout(),
                              Seconds(42),
                              "server's idle timeout");
        NS_TEST_EXPECT_MSG_EQ(seenByServer.GetMaxAckDelay(),
                              MilliSeconds(11),
                              "client's max_ack_delay");
        // RFC 9000 §7.3: the connection IDs are authenticated through the parameters.
        NS_TEST_EXPECT_MSG_EQ(seenByServer.GetInitialSourceConnectionId().has_value(),
                              true,
                              "client SCID");
        NS_TEST_EXPECT_MSG_EQ(seenByClient.GetOriginalDestinationConnectionId().has_value(),
                              true,
                              "ODCID");
        bool sameCid =
            *seenByServer.GetInitialSourceConnectionId() == client->GetLocalConnectionId();
        NS_TEST_EXPECT_MSG_EQ(sameCid, true, "client SCID value");
        m_accepted = nullptr;
    }

    /**
     * \param s the connection
     * \param from the client
     */
    void Accept(Ptr<Socket> s, const Address& from)
    {
        m_accepted = DynamicCast<QuicSocketBase>(s);
    }

    Ptr<QuicSocketBase> m_accepted; //!< the server's connection
};

/**
 * The handshake suite.
 */
class QuicHandshakeTestSuite : public TestSuite
{
  public:
    QuicHandshakeTestSuite()
        : TestSuite("quic-handshake", TestSuite::Type::UNIT)
    {
        for (bool ipv6 : {false, true})
        {
            AddTestCase(new QuicHandshakeTimingTestCase(Mode::ONE_RTT, ipv6));
        }
        AddTestCase(new QuicHandshakeTimingTestCase(Mode::ZERO_RTT_KNOWN_PEER, false));
        AddTestCase(new QuicHandshakeTimingTestCase(Mode::ZERO_RTT_FORCED, false));
        AddTestCase(new QuicHandshakeTimingTestCase(Mode::VERSION_NEGOTIATION, false));
        AddTestCase(new QuicHandshakeTimingTestCase(Mode::LOST_INITIAL, false));
        AddTestCase(new QuicTransportParameterExchangeTestCase());
    }
};

QuicHandshakeTestSuite g_quicHandshakeTestSuite; //!< registration

} // namespace

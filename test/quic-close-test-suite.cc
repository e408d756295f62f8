/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Closing: CONNECTION_CLOSE after the data, application errors, idle timeout, draining,
 * sockets gone and no event left; a malformed packet closes only its own connection.
 */

#include "quic-test-utils.h"

#include "ns3/quic-l4-protocol.h"
#include "ns3/quic-socket-base.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

using namespace ns3;
using namespace ns3::quictest;

namespace
{

/**
 * A client writes `bytes` then closes in one of several ways; the server reads; both
 * sides' close notifications, codes and states are recorded.
 */
class CloseScenario
{
  public:
    /// How the client ends the connection.
    enum class How
    {
        CLOSE,             //!< Close(): graceful, after the data is acknowledged
        APPLICATION_ERROR, //!< CloseWithApplicationError(42, "bye")
        IDLE,              //!< nothing: the idle timeout ends it
    };

    /**
     * \param how the ending
     * \param bytes data written first
     * \param idleTimeout IdleTimeout attribute of both sides
     */
    CloseScenario(How how, uint64_t bytes, Time idleTimeout)
        : m_net("10Mbps", MilliSeconds(10)),
          m_how(how),
          m_bytes(bytes)
    {
        m_server = m_net.CreateSocket(1);
        m_server->SetAttribute("IdleTimeout", TimeValue(idleTimeout));
        m_server->Bind(m_net.anyAddress);
        m_server->Listen();
        m_server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                    MakeCallback(&CloseScenario::Accept, this));
        m_client = m_net.CreateSocket(0);
        m_client->SetAttribute("IdleTimeout", TimeValue(idleTimeout));
        m_client->SetCloseCallbacks(MakeCallback(&CloseScenario::ClientNormalClose, this),
                                    MakeCallback(&CloseScenario::ClientErrorClose, this));
        m_client->SetConnectCallback(MakeCallback(&CloseScenario::Connected, this),
                                     MakeNullCallback<void, Ptr<Socket>>());
        m_client->TraceConnectWithoutContext("Tx", MakeCallback(&CloseScenario::ClientTx, this));
    }

    /**
     * Runs until `checkAt`, when it records whether any event is still pending.
     * \param checkAt the check time (long after every expected close)
     */
    void Run(Time checkAt)
    {
        Simulator::Schedule(Seconds(0.1), [this]() { m_client->Connect(m_net.serverAddress); });
        Simulator::Schedule(checkAt, [this]() {
            m_eventsLeft = !Simulator::IsFinished();
            Simulator::Stop();
        });
        Simulator::Run();
        m_clientSockets = m_net.nodes.Get(0)->GetObject<QuicL4Protocol>()->GetSocketCount();
        m_serverSockets = m_net.nodes.Get(1)->GetObject<QuicL4Protocol>()->GetSocketCount();
        Simulator::Destroy();
    }

    bool m_eventsLeft{true};                       //!< events were pending at the check time
    Time m_dataDone;                               //!< last byte read by the server
    Time m_clientCloseTime;                        //!< client notified of the close
    Time m_serverCloseTime;                        //!< server notified of the close
    bool m_clientNormal{false};                    //!< client normal-close callback
    bool m_clientError{false};                     //!< client error-close callback
    bool m_serverNormal{false};                    //!< server normal-close callback
    bool m_serverError{false};                     //!< server error-close callback
    uint64_t m_received{0};                        //!< bytes read by the server
    std::size_t m_clientSockets{99};               //!< QUIC sockets left on the client node
    std::size_t m_serverSockets{99};               //!< QUIC sockets left on the server node
    Ptr<QuicSocketBase> m_accepted;                //!< the server's connection
    Ptr<QuicSocketBase> m_client;                  //!< the client
    std::vector<Time> m_clientTx;                  //!< client datagram times
    std::vector<QuicSocket::State> m_serverStates; //!< server connection states

  private:
    /// \param s socket
    void Connected(Ptr<Socket> s)
    {
        m_client->Send(MakePatternPacket(static_cast<uint32_t>(m_bytes), 3), 0);
        switch (m_how)
        {
        case How::CLOSE:
            m_client->Close(); // right away: the data must still be delivered first
            break;
        case How::APPLICATION_ERROR:
            Simulator::Schedule(Seconds(1),
                                [this]() { m_client->CloseWithApplicationError(42, "bye"); });
            break;
        case How::IDLE:
            break;
        }
    }

    /// \param s connection \param from peer
    void Accept(Ptr<Socket> s, const Address& from)
    {
        m_accepted = DynamicCast<QuicSocketBase>(s);
        s->SetRecvCallback(MakeCallback(&CloseScenario::Receive, this));
        s->SetCloseCallbacks(MakeCallback(&CloseScenario::ServerNormalClose, this),
                             MakeCallback(&CloseScenario::ServerErrorClose, this));
        s->TraceConnectWithoutContext("State", MakeCallback(&CloseScenario::ServerState, this));
    }

    /// \param s connection
    void Receive(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            m_received += p->GetSize();
            m_dataDone = Simulator::Now();
        }
    }

    /// \param o old \param n new
    void ServerState(QuicSocket::State o, QuicSocket::State n)
    {
        m_serverStates.push_back(n);
    }

    /// \param p datagram \param h header \param s socket
    void ClientTx(Ptr<const Packet> p, const QuicHeader& h, Ptr<const QuicSocketBase> s)
    {
        m_clientTx.push_back(Simulator::Now());
    }

    /// \param s socket
    void ClientNormalClose(Ptr<Socket> s)
    {
        m_clientNormal = true;
        m_clientCloseTime = Simulator::Now();
    }

    /// \param s socket
    void ClientErrorClose(Ptr<Socket> s)
    {
        m_clientError = true;
        m_clientCloseTime = Simulator::Now();
    }

    /// \param s socket
    void ServerNormalClose(Ptr<Socket> s)
    {
        m_serverNormal = true;
        m_serverCloseTime = Simulator::Now();
    }

    /// \param s socket
    void ServerErrorClose(Ptr<Socket> s)
    {
        m_serverError = true;
        m_serverCloseTime = Simulator::Now();
    }

    TwoNodes m_net;               //!< topology
    How m_how;                    //!< ending
    uint64_t m_bytes;             //!< data
    Ptr<QuicSocketBase> m_server; //!< listener
};

/**
 * Close() right after writing: the data arrives, then CONNECTION_CLOSE (application,
 * code 0); the client's closing and the server's draining periods end after about
 * three PTOs, both sockets leave their L4, and no event outlives them.
 */
class GracefulCloseTestCase : public TestCase
{
  public:
    GracefulCloseTestCase()
        : TestCase("Close(): data first, CONNECTION_CLOSE, closing and draining, sockets and "
                   "events gone")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(1);
        CloseScenario s(CloseScenario::How::CLOSE, 200000, Seconds(300));
        s.Run(Seconds(60));
        NS_TEST_EXPECT_MSG_EQ(s.m_received, 200000u, "all data delivered before the close");
        NS_TEST_EXPECT_MSG_EQ(s.m_clientNormal, true, "client normal close");
        NS_TEST_EXPECT_MSG_EQ(s.m_serverNormal, true, "server normal close");
        NS_TEST_EXPECT_MSG_EQ(s.m_serverError, false, "no server error");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(s.m_serverCloseTime, s.m_dataDone, "close after the data");
        NS_TEST_EXPECT_MSG_EQ(s.m_accepted->GetCloseErrorCode(), 0u, "code 0");
        NS_TEST_EXPECT_MSG_EQ(s.m_accepted->IsApplicationClose(), true, "application close");
        bool drained =
            std::find(s.m_serverStates.begin(), s.m_serverStates.end(), QuicSocket::DRAINING) !=
            s.m_serverStates.end();
        NS_TEST_EXPECT_MSG_EQ(drained, true, "server went through DRAINING");
        NS_TEST_EXPECT_MSG_EQ(s.m_clientSockets, 0u, "client socket removed from its L4");
        NS_TEST_EXPECT_MSG_EQ(s.m_serverSockets, 1u, "only the listener is left");
        // Nothing is left to run once the connections are gone (the 300 s idle timer
        // included); the closing and draining periods last a few PTOs.
        NS_TEST_EXPECT_MSG_EQ(s.m_eventsLeft, false, "events outlived the connections");
        NS_TEST_EXPECT_MSG_LT(s.m_clientCloseTime, Seconds(5), "close time");
        // In the closing period the client sends nothing but CONNECTION_CLOSE replies:
        // nothing at all here, as the server goes quiet (draining).
        uint32_t after = 0;
        for (Time t : s.m_clientTx)
        {
            after += t > s.m_clientCloseTime ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_EQ(after, 0u, "client packets after its CONNECTION_CLOSE");
    }
};

/**
 * CloseWithApplicationError: the peer sees the code and an error close.
 */
class ApplicationErrorTestCase : public TestCase
{
  public:
    ApplicationErrorTestCase()
        : TestCase("CloseWithApplicationError: code and error close at the peer")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(2);
        CloseScenario s(CloseScenario::How::APPLICATION_ERROR, 5000, Seconds(300));
        s.Run(Seconds(60));
        NS_TEST_EXPECT_MSG_EQ(s.m_received, 5000u, "data delivered");
        NS_TEST_EXPECT_MSG_EQ(s.m_serverError, true, "server error close");
        NS_TEST_EXPECT_MSG_EQ(s.m_accepted->GetCloseErrorCode(), 42u, "application code");
        NS_TEST_EXPECT_MSG_EQ(s.m_accepted->IsApplicationClose(), true, "application close");
        NS_TEST_EXPECT_MSG_EQ(s.m_clientSockets, 0u, "client socket gone");
        NS_TEST_EXPECT_MSG_EQ(s.m_serverSockets, 1u, "server connection gone");
    }
};

/**
 * With a 2 s idle timeout on both sides, a connection that stops sending is closed
 * silently by both ends 2 s after its last activity (RFC 9000 §10.1).
 */
class IdleTimeoutTestCase : public TestCase
{
  public:
    IdleTimeoutTestCase()
        : TestCase("idle timeout: both ends close silently after the negotiated period")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(3);
        CloseScenario s(CloseScenario::How::IDLE, 5000, Seconds(2));
        s.Run(Seconds(30));
        NS_TEST_EXPECT_MSG_EQ(s.m_received, 5000u, "data delivered");
        NS_TEST_EXPECT_MSG_EQ(s.m_clientError, true, "client told of the timeout");
        NS_TEST_EXPECT_MSG_EQ(s.m_serverError, true, "server told of the timeout");
        QUIC_TEST_REQUIRE(!s.m_clientTx.empty(), "client sent nothing");
        Time lastTx = s.m_clientTx.back();
        // The last packet exchanged is within an RTT of the last client send; the close
        // comes one idle timeout (2 s, more than three PTOs here) after it.
        NS_TEST_EXPECT_MSG_EQ_TOL(s.m_clientCloseTime,
                                  lastTx + Seconds(2),
                                  MilliSeconds(50),
                                  "client timeout");
        NS_TEST_EXPECT_MSG_EQ_TOL(s.m_serverCloseTime,
                                  lastTx + Seconds(2),
                                  MilliSeconds(50),
                                  "server timeout");
        NS_TEST_EXPECT_MSG_EQ(s.m_eventsLeft, false, "events after the timeout");
        NS_TEST_EXPECT_MSG_EQ(s.m_clientSockets, 0u, "client socket gone");
        NS_TEST_EXPECT_MSG_EQ(s.m_serverSockets, 1u, "server connection gone");
    }
};

/**
 * Two connections share a server; a forged packet with a frame type nobody knows hits
 * one of them. That connection closes with FRAME_ENCODING_ERROR, which its client sees;
 * the other one completes its transfer; garbage with no known connection ID is dropped.
 */
class MalformedPacketTestCase : public TestCase
{
  public:
    MalformedPacketTestCase()
        : TestCase("a malformed packet closes only its own connection, with FRAME_ENCODING_ERROR")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(4);
        TwoNodes net("10Mbps", MilliSeconds(10));
        Ptr<QuicSocketBase> server = net.CreateSocket(1);
        server->Bind(net.anyAddress);
        server->Listen();
        server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&MalformedPacketTestCase::Accept, this));
        Ptr<QuicSocketBase> victim = net.CreateSocket(0);
        Ptr<QuicSocketBase> bystander = net.CreateSocket(0);
        victim->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                  MakeCallback(&MalformedPacketTestCase::VictimError, this));
        Simulator::Schedule(Seconds(0.1), [&]() {
            victim->Connect(net.serverAddress);
            victim->Send(MakePatternPacket(1000, 1), 0);
        });
        Simulator::Schedule(Seconds(0.2), [&]() {
            bystander->Connect(net.serverAddress);
            bystander->Send(MakePatternPacket(300000, 2), 0);
        });
        Ptr<Socket> attacker =
            Socket::CreateSocket(net.nodes.Get(0), UdpSocketFactory::GetTypeId());
        attacker->Bind();
        Simulator::Schedule(Seconds(0.5), [&]() {
            NS_TEST_ASSERT_MSG_NE(m_accepted.size(),
                                  0u,
                                  "the victim's connection was not accepted");
            // A 1-RTT packet for the victim's server connection: first byte (fixed bit,
            // 1-byte packet number), its connection ID, a packet number, frame type 0x21
            // (no such frame), and 16 bytes of AEAD tag.
            const QuicConnectionId& cid = m_accepted[0]->GetLocalConnectionId();
            std::vector<uint8_t> bytes{0x40};
            bytes.insert(bytes.end(), cid.GetData(), cid.GetData() + cid.GetLength());
            bytes.push_back(0xf0);
            bytes.push_back(0x21);
            bytes.resize(bytes.size() + 16, 0);
            attacker->SendTo(Create<Packet>(bytes.data(), bytes.size()), 0, net.serverAddress);
            // And pure garbage, for no connection at all.
            std::vector<uint8_t> junk(300, 0x5a);
            attacker->SendTo(Create<Packet>(junk.data(), junk.size()), 0, net.serverAddress);
        });
        Simulator::Stop(Seconds(20));
        Simulator::Run();
        uint64_t victimServerCode = m_accepted.empty() ? 0 : m_accepted[0]->GetCloseErrorCode();
        bool victimApp = m_accepted.empty() ? true : m_accepted[0]->IsApplicationClose();
        uint64_t victimClientCode = victim->GetCloseErrorCode();
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_EQ(victimServerCode,
                              uint64_t(QuicTransportErrorCode::FRAME_ENCODING_ERROR),
                              "server side of the victim closed with FRAME_ENCODING_ERROR");
        NS_TEST_EXPECT_MSG_EQ(victimApp, false, "a transport error");
        NS_TEST_EXPECT_MSG_EQ(victimClientCode,
                              uint64_t(QuicTransportErrorCode::FRAME_ENCODING_ERROR),
                              "the victim's client learns the code");
        NS_TEST_EXPECT_MSG_EQ(m_victimError, true, "the victim's application is told");
        NS_TEST_EXPECT_MSG_EQ(m_bytes[2], 300000u, "the other connection completed its transfer");
    }

    /// \param s connection \param from peer
    void Accept(Ptr<Socket> s, const Address& from)
    {
        m_accepted.push_back(DynamicCast<QuicSocketBase>(s));
        s->SetRecvCallback(MakeCallback(&MalformedPacketTestCase::Receive, this));
    }

    /// \param s connection
    void Receive(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            uint8_t first = 0;
            p->CopyData(&first, 1);
            // The pattern's first byte tells the two transfers apart (seeds 1 and 2).
            uint32_t which = (s == m_accepted[0]) ? 1 : 2;
            m_bytes[which] += p->GetSize();
        }
    }

    /// \param s socket
    void VictimError(Ptr<Socket> s)
    {
        m_victimError = true;
    }

    std::vector<Ptr<QuicSocketBase>> m_accepted; //!< server connections
    uint64_t m_bytes[3]{0, 0, 0};                //!< bytes per transfer
    bool m_victimError{false};                   //!< victim told of the error
};

/**
 * The closing suite.
 */
class QuicCloseTestSuite : public TestSuite
{
  public:
    QuicCloseTestSuite()
        : TestSuite("quic-close", TestSuite::Type::UNIT)
    {
        AddTestCase(new GracefulCloseTestCase());
        AddTestCase(new ApplicationErrorTestCase());
        AddTestCase(new IdleTimeoutTestCase());
        AddTestCase(new MalformedPacketTestCase());
    }
};

QuicCloseTestSuite g_quicCloseTestSuite; //!< registration

} // namespace

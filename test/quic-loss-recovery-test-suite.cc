/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * RFC 9002 loss detection end to end: packets dropped at chosen positions are declared
 * lost by the packet threshold, the time threshold or a probe timeout at the times the
 * RFC gives, their data travels again in new packets, and the window reacts as §7 says.
 */

#include "quic-test-utils.h"

#include "ns3/log.h"
#include "ns3/quic-l5-protocol.h"
#include "ns3/quic-loss-recovery.h"
#include "ns3/quic-socket-base.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <map>

using namespace ns3;
using namespace ns3::quictest;

namespace
{

constexpr uint32_t kMss = 1452; //!< MaxPacketSize default

/// What one run of a client→server transfer observed.
struct Observed
{
    std::map<uint64_t, Time> sent;               //!< 1-RTT packet number → send time (client)
    std::vector<uint64_t> dataPns;               //!< 1-RTT packets carrying STREAM data, in order
    std::vector<Time> probeTimes;                //!< times of every ack-eliciting 1-RTT send
    std::vector<std::pair<Time, uint64_t>> lost; //!< (time, pn) declared lost (1-RTT)
    std::vector<uint32_t> cwndAtLoss;            //!< cwnd when each loss was declared

    struct Ack
    {
        Time when;        //!< processed at
        bool application; //!< it acknowledged 1-RTT packets
        uint64_t largest; //!< largest 1-RTT number acknowledged after it (0 otherwise)
        Time srtt;        //!< smoothed RTT after it
        Time latest;      //!< latest RTT after it
        Time rttvar;      //!< rttvar after it
        uint32_t cwnd;    //!< cwnd after it
    };

    std::vector<Ack> acks;                       //!< every ACK frame processed
    std::vector<std::pair<Time, uint32_t>> cwnd; //!< CongestionWindow trace
    uint32_t ssthreshDecreases{0};               //!< SlowStartThreshold reductions
    uint32_t maxDatagram{0};                     //!< largest datagram sent
    bool pnIncreasing{true};                     //!< 1-RTT packet numbers strictly increase
    uint64_t received{0};                        //!< bytes read by the server
    bool contentOk{true};                        //!< every byte matched the pattern
};

/**
 * A client sends `total` bytes of a known pattern on stream 0 once connected; the
 * server reads and checks them. Hooks on the client's protocol operations record
 * losses and ACKs.
 */
class Transfer
{
  public:
    /**
     * \param rate link rate
     * \param delay one-way delay
     * \param total bytes to send
     */
    Transfer(const std::string& rate, Time delay, uint64_t total)
        : m_net(rate, delay),
          m_total(total)
    {
    }

    /**
     * Writes the data at a given time instead of as soon as the connection opens.
     * \param at the time
     */
    void WriteAt(Time at)
    {
        m_writeAt = at;
    }

    /// \return the topology (to add error models before Run)
    TwoNodes& Net()
    {
        return m_net;
    }

    /**
     * Runs the simulation until `stop`.
     * \param stop end time
     * \return what was observed
     */
    Observed Run(Time stop)
    {
        Ptr<QuicSocketBase> server = m_net.CreateSocket(1);
        server->Bind(m_net.anyAddress);
        server->Listen();
        server->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&Transfer::Accept, this));
        m_client = m_net.CreateSocket(0);
        m_client->TraceConnectWithoutContext("State", MakeCallback(&Transfer::State, this));
        m_client->TraceConnectWithoutContext("Tx", MakeCallback(&Transfer::Tx, this));
        m_client->TraceConnectWithoutContext("CongestionWindow",
                                             MakeCallback(&Transfer::Cwnd, this));
        m_client->TraceConnectWithoutContext("SlowStartThreshold",
                                             MakeCallback(&Transfer::SsThresh, this));
        m_client->SetSendCallback(MakeCallback(&Transfer::Pump, this));
        const QuicSocketBase::ProtoopIds& id = QuicSocketBase::GetProtoopIds();
        std::string err;
        m_client->GetProtoops().Attach(
            id.packetLost,
            kQuicNoParam,
            QuicProtoopAnchor::POST,
            std::make_shared<QuicProtoopFunctionHook>(
                "test",
                [this](QuicSocketBase& c, QuicProtoopArgs& a) {
                    if (a.in[1] == uint64_t(QuicPacketNumberSpace::APPLICATION))
                    {
                        m_obs.lost.emplace_back(Simulator::Now(), a.in[0]);
                        m_obs.cwndAtLoss.push_back(c.GetSocketState()->m_cWnd.Get());
                    }
                    return 0;
                }),
            err);
        for (uint64_t ackType : {uint64_t(QuicSubheader::ACK), uint64_t(QuicSubheader::ACK_ECN)})
        {
            m_client->GetProtoops().Attach(
                id.processFrame,
                ackType,
                QuicProtoopAnchor::POST,
                std::make_shared<QuicProtoopFunctionHook>(
                    "test",
                    [this](QuicSocketBase& c, QuicProtoopArgs& a) {
                        bool app = a.in[3] == uint64_t(QuicPacketNumberSpace::APPLICATION);
                        const QuicLossRecovery* r = c.GetLossRecovery();
                        auto largest = r->GetLargestAcked(QuicPacketNumberSpace::APPLICATION);
                        m_obs.acks.push_back(Observed::Ack{Simulator::Now(),
                                                           app,
                                                           app ? largest.value_or(0) : 0,
                                                           r->GetRtt().GetSmoothedRtt(),
                                                           r->GetRtt().GetLatestRtt(),
                                                           r->GetRtt().GetRttVar(),
                                                           c.GetSocketState()->m_cWnd.Get()});
                        return uint64_t(0);
                    }),
                err);
        }
        m_client->Connect(m_net.serverAddress);
        Simulator::Stop(stop);
        Simulator::Run();
        Simulator::Destroy();
        m_client = nullptr;
        return m_obs;
    }

  private:
    /// \param s the connection
    /// \param from the peer
    void Accept(Ptr<Socket> s, const Address& from)
    {
        s->SetRecvCallback(MakeCallback(&Transfer::Receive, this));
    }

    /// \param s the connection
    void Receive(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            std::vector<uint8_t> b = PacketBytes(p);
            for (uint8_t x : b)
            {
                if (x != PatternByte(7, m_obs.received))
                {
                    m_obs.contentOk = false;
                }
                ++m_obs.received;
            }
        }
    }

    /// \param o old state \param n new state
    void State(QuicSocket::State o, QuicSocket::State n)
    {
        if (n == QuicSocket::OPEN)
        {
            m_open = true; // the traced value changes after its callbacks run
            if (m_writeAt.IsZero())
            {
                Pump(m_client, 0);
            }
            else
            {
                Simulator::Schedule(m_writeAt - Simulator::Now(),
                                    &Transfer::Pump,
                                    this,
                                    m_client,
                                    0);
            }
        }
    }

    /// \param s socket \param available bytes
    void Pump(Ptr<Socket> s, uint32_t available)
    {
        while (m_written < m_total && m_open)
        {
            uint32_t chunk = static_cast<uint32_t>(std::min<uint64_t>(1400, m_total - m_written));
            if (m_client->Send(MakePatternPacket(chunk, 7, m_written), 0) < 0)
            {
                return;
            }
            m_written += chunk;
        }
    }

    /// \param p datagram \param h header \param s socket
    void Tx(Ptr<const Packet> p, const QuicHeader& h, Ptr<const QuicSocketBase> s)
    {
        m_obs.maxDatagram = std::max(m_obs.maxDatagram, p->GetSize());
        if (h.GetType() != QuicHeader::SHORT)
        {
            return;
        }
        uint64_t pn = h.GetPacketNumber();
        if (!m_obs.sent.empty() && pn <= m_obs.sent.rbegin()->first)
        {
            m_obs.pnIncreasing = false;
        }
        m_obs.sent[pn] = Simulator::Now();
        // The trace passes the whole datagram; the short packet is its last part. Find
        // its frames by decoding the datagram's packets in order.
        std::vector<uint8_t> bytes = PacketBytes(p);
        std::size_t pos = 0;
        while (pos < bytes.size())
        {
            QuicHeader ph;
            std::size_t consumed = 0;
            QuicWireError err;
            if (!QuicHeader::TryDecode(bytes.data() + pos,
                                       bytes.size() - pos,
                                       8,
                                       ph,
                                       consumed,
                                       err))
            {
                return;
            }
            std::size_t end = ph.IsLong() ? pos + consumed + ph.GetPayloadLength() : bytes.size();
            if (!ph.IsLong())
            {
                Ptr<Packet> part = Create<Packet>(bytes.data() + pos, end - pos);
                QuicHeader dummy;
                bool data = false;
                bool eliciting = false;
                for (const QuicSubheader& f : DecodeFrames(part, 8, dummy))
                {
                    data = data || QuicSubheader::IsStream(f.GetFrameType());
                    eliciting = eliciting || QuicSubheader::IsAckEliciting(f.GetFrameType());
                }
                if (data)
                {
                    m_obs.dataPns.push_back(pn);
                }
                if (eliciting)
                {
                    m_obs.probeTimes.push_back(Simulator::Now());
                }
            }
            pos = end;
        }
    }

    /// \param o old \param n new
    void Cwnd(uint32_t o, uint32_t n)
    {
        m_obs.cwnd.emplace_back(Simulator::Now(), n);
    }

    /// \param o old \param n new
    void SsThresh(uint32_t o, uint32_t n)
    {
        if (n < o)
        {
            ++m_obs.ssthreshDecreases;
        }
    }

    TwoNodes m_net;               //!< topology
    uint64_t m_total;             //!< bytes to send
    uint64_t m_written{0};        //!< bytes written
    bool m_open{false};           //!< the connection opened
    Time m_writeAt;               //!< when to write (zero: at once)
    Ptr<QuicSocketBase> m_client; //!< client
    Observed m_obs;               //!< observations
};

/// \return the last ACK processed strictly before t (its RTT state armed the timers)
const Observed::Ack*
LastAckBefore(const Observed& o, Time t)
{
    const Observed::Ack* last = nullptr;
    for (const auto& a : o.acks)
    {
        if (a.when < t)
        {
            last = &a;
        }
    }
    return last;
}

/**
 * Two packets of one window lost: both declared by the packet threshold at the first
 * ACK acknowledging three later packets, one window reduction (NewReno halves), data
 * retransmitted in new packets, transfer byte-exact.
 */
class PacketThresholdTestCase : public TestCase
{
  public:
    PacketThresholdTestCase()
        : TestCase("packet threshold (3): loss times, one reduction per recovery period, halving")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(1);
        const uint64_t total = 300000;
        Transfer t("100Mbps", MilliSeconds(10), total);
        Ptr<PacketNumberErrorModel> em = CreateObject<PacketNumberErrorModel>();
        em->SetPacketNumbers({10, 12});
        t.Net().SetReceiveErrorModel(1, em);
        Observed o = t.Run(Seconds(5));

        QUIC_TEST_REQUIRE((em->GetDropped().size()) == (2u), "the chosen packets were not dropped");
        NS_TEST_EXPECT_MSG_EQ(o.received, total, "bytes delivered");
        NS_TEST_EXPECT_MSG_EQ(o.contentOk, true, "content");
        QUIC_TEST_REQUIRE((o.lost.size()) == (2u), "exactly the dropped packets are declared lost");
        for (std::size_t k = 0; k < 2; ++k)
        {
            uint64_t pn = o.lost[k].second;
            uint64_t expectedPn = k == 0 ? 10 : 12;
            NS_TEST_EXPECT_MSG_EQ(pn, expectedPn, "lost packet number");
            // RFC 9002 §6.1.1: lost at the first ACK acknowledging pn + 3 or more.
            Time expected;
            for (const auto& a : o.acks)
            {
                if (a.application && a.largest >= pn + 3)
                {
                    expected = a.when;
                    break;
                }
            }
            NS_TEST_EXPECT_MSG_EQ(o.lost[k].first, expected, "loss declaration time of " << pn);
            // …which comes before the time threshold would have fired.
            const Observed::Ack* before = LastAckBefore(o, o.lost[k].first);
            QUIC_TEST_REQUIRE((before) != (nullptr), "no ACK before the loss");
            Time lossDelay = std::max(before->srtt, before->latest) * 9 / 8;
            NS_TEST_EXPECT_MSG_LT(o.lost[k].first,
                                  o.sent[pn] + lossDelay,
                                  "time threshold came first");
        }
        // RFC 9002 §7.3.2: both losses belong to one recovery period: one reduction, to
        // half the window (never below the minimum window of 2 packets).
        NS_TEST_EXPECT_MSG_EQ(o.ssthreshDecreases, 1u, "reductions");
        uint32_t before = o.cwndAtLoss[0];
        uint32_t after = 0;
        for (const auto& a : o.acks)
        {
            if (a.when == o.lost[0].first)
            {
                after = a.cwnd;
            }
        }
        NS_TEST_EXPECT_MSG_EQ(after, std::max(before / 2, 2 * kMss), "window after the loss");
        // RFC 9000 §13.3: lost data goes in new packets, never exceeding the size limit.
        NS_TEST_EXPECT_MSG_EQ(o.pnIncreasing, true, "packet numbers reused");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(o.maxDatagram, kMss, "datagram size");
    }
};

/**
 * The next-to-last data packet is lost: too few later packets for the packet threshold,
 * so the time threshold (9/8 of the RTT) declares it.
 */
class TimeThresholdTestCase : public TestCase
{
  public:
    TimeThresholdTestCase()
        : TestCase("time threshold (nine eighths of the RTT): loss time of the next-to-last packet")
    {
    }

  private:
    void DoRun() override
    {
        const uint64_t total = 4000;
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(2);
        Observed dry = Transfer("100Mbps", MilliSeconds(10), total).Run(Seconds(3));
        QUIC_TEST_REQUIRE((dry.dataPns.size()) >= (2u), "need two data packets");
        uint64_t victim = dry.dataPns[dry.dataPns.size() - 2];

        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(2);
        Transfer t("100Mbps", MilliSeconds(10), total);
        Ptr<PacketNumberErrorModel> em = CreateObject<PacketNumberErrorModel>();
        em->SetPacketNumbers({victim});
        t.Net().SetReceiveErrorModel(1, em);
        Observed o = t.Run(Seconds(3));
        QUIC_TEST_REQUIRE((em->GetDropped().size()) == (1u), "the packet was not dropped");
        QUIC_TEST_REQUIRE((o.lost.size()) == (1u), "one loss");
        NS_TEST_EXPECT_MSG_EQ(o.lost[0].second, victim, "lost packet number");
        const Observed::Ack* last = LastAckBefore(o, o.lost[0].first + NanoSeconds(1));
        QUIC_TEST_REQUIRE((last) != (nullptr), "no ACK before the loss");
        NS_TEST_EXPECT_MSG_LT(last->largest, victim + 3, "the packet threshold could not apply");
        // RFC 9002 §6.1.2: lost at send time + max(9/8 * max(srtt, latest_rtt), 1 ms).
        Time lossDelay = std::max(std::max(last->srtt, last->latest) * 9 / 8, MilliSeconds(1));
        NS_TEST_EXPECT_MSG_EQ_TOL(o.lost[0].first,
                                  o.sent[victim] + lossDelay,
                                  MicroSeconds(1),
                                  "loss time");
        NS_TEST_EXPECT_MSG_EQ(o.received, total, "bytes delivered");
        NS_TEST_EXPECT_MSG_EQ(o.contentOk, true, "content");
    }
};

/**
 * The tail of a transfer is lost and the path stays dead for a while: probes leave at
 * one PTO after the last packet, then at doubling intervals (RFC 9002 §6.2).
 */
class ProbeTimeoutTestCase : public TestCase
{
  public:
    ProbeTimeoutTestCase()
        : TestCase("probe timeout: first PTO after the tail packet, exponential backoff")
    {
    }

  private:
    void DoRun() override
    {
        const uint64_t total = 4000;
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(3);
        // Written once the handshake is confirmed, so the data has a PTO of its own.
        Transfer dryRun("100Mbps", MilliSeconds(10), total);
        dryRun.WriteAt(Seconds(0.5));
        Observed dry = dryRun.Run(Seconds(3));
        QUIC_TEST_REQUIRE((dry.dataPns.size()) >= (1u), "need a data packet");
        uint64_t tail = dry.dataPns.back();
        Time tailSent = dry.sent[tail];

        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(3);
        Transfer t("100Mbps", MilliSeconds(10), total);
        t.WriteAt(Seconds(0.5));
        Ptr<OutageErrorModel> em = CreateObject<OutageErrorModel>();
        em->SetOutage(tailSent, tailSent + Seconds(2)); // the tail and the next probes die
        t.Net().SetReceiveErrorModel(1, em);
        Observed o = t.Run(Seconds(6));
        QUIC_TEST_REQUIRE((o.sent.count(tail)) == (1u), "the tail packet was not sent");
        QUIC_TEST_REQUIRE((o.sent[tail]) == (tailSent), "the run diverged from the dry run");

        // Probe rounds: each PTO sends up to two datagrams at the same instant.
        std::vector<Time> rounds;
        for (Time p : o.probeTimes)
        {
            if (p > tailSent && (rounds.empty() || p != rounds.back()))
            {
                rounds.push_back(p);
            }
        }
        QUIC_TEST_REQUIRE((rounds.size()) >= (3u), "fewer than three probe rounds");
        const Observed::Ack* armed = LastAckBefore(o, rounds[0]);
        QUIC_TEST_REQUIRE((armed) != (nullptr), "no ACK before the first probe");
        // RFC 9002 §6.2.1: PTO = smoothed_rtt + max(4 * rttvar, 1 ms) + max_ack_delay,
        // from the last ack-eliciting packet, doubling at each expiry.
        Time pto = armed->srtt + std::max(armed->rttvar * 4, MilliSeconds(1)) + MilliSeconds(25);
        NS_TEST_EXPECT_MSG_EQ_TOL(rounds[0], tailSent + pto, MicroSeconds(1), "first PTO");
        NS_TEST_EXPECT_MSG_EQ_TOL(rounds[1] - rounds[0], pto * 2, MicroSeconds(1), "second PTO");
        NS_TEST_EXPECT_MSG_EQ_TOL(rounds[2] - rounds[1], pto * 4, MicroSeconds(1), "third PTO");
        NS_TEST_EXPECT_MSG_EQ(o.received, total, "bytes delivered after the outage");
        NS_TEST_EXPECT_MSG_EQ(o.contentOk, true, "content");
    }
};

/**
 * A long outage in the middle of a bulk transfer establishes persistent congestion: the
 * window collapses to the minimum window (RFC 9002 §7.6.2), and the transfer completes.
 */
class PersistentCongestionTestCase : public TestCase
{
  public:
    PersistentCongestionTestCase()
        : TestCase("persistent congestion: window back to 2 packets after an outage")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(4);
        const uint64_t total = 3000000;
        Transfer t("100Mbps", MilliSeconds(10), total);
        Ptr<OutageErrorModel> em = CreateObject<OutageErrorModel>();
        Time from = Seconds(0.15);
        em->SetOutage(from, from + Seconds(1.5));
        t.Net().SetReceiveErrorModel(1, em);
        Observed o = t.Run(Seconds(10));
        uint32_t minAfter = UINT32_MAX;
        for (const auto& c : o.cwnd)
        {
            if (c.first > from)
            {
                minAfter = std::min(minAfter, c.second);
            }
        }
        NS_TEST_EXPECT_MSG_EQ(minAfter, 2 * kMss, "minimum window after persistent congestion");
        NS_TEST_EXPECT_MSG_EQ(o.received, total, "bytes delivered");
        NS_TEST_EXPECT_MSG_EQ(o.contentOk, true, "content");
    }
};

/**
 * The loss-recovery suite.
 */
class QuicLossRecoveryTestSuite : public TestSuite
{
  public:
    QuicLossRecoveryTestSuite()
        : TestSuite("quic-loss-recovery", TestSuite::Type::UNIT)
    {
        AddTestCase(new PacketThresholdTestCase());
        AddTestCase(new TimeThresholdTestCase());
        AddTestCase(new ProbeTimeoutTestCase());
        AddTestCase(new PersistentCongestionTestCase());
    }
};

QuicLossRecoveryTestSuite g_quicLossRecoveryTestSuite; //!< registration

} // namespace

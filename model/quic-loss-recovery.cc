/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-loss-recovery.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicLossRecovery");

namespace
{

/**
 * A vector kept by its owner between calls, taken for the length of one call (a nested
 * call finds the owner's empty and uses a fresh one): no allocation per call.
 */
template <typename T>
class QuicBorrowedVector
{
  public:
    /// \param home the owner's vector; taken until this object goes
    explicit QuicBorrowedVector(std::vector<T>& home)
        : m_home(home)
    {
        m_v.swap(home);
        m_v.clear();
    }

    ~QuicBorrowedVector()
    {
        m_v.clear();
        m_home.swap(m_v);
    }

    QuicBorrowedVector(const QuicBorrowedVector&) = delete;
    QuicBorrowedVector& operator=(const QuicBorrowedVector&) = delete;

    /// \return the vector
    std::vector<T>& Get()
    {
        return m_v;
    }

  private:
    std::vector<T>& m_home; //!< where it goes back
    std::vector<T> m_v;     //!< the vector, while taken
};

} // namespace

const char*
QuicPacketNumberSpaceName(QuicPacketNumberSpace space)
{
    switch (space)
    {
    case QuicPacketNumberSpace::INITIAL:
        return "Initial";
    case QuicPacketNumberSpace::HANDSHAKE:
        return "Handshake";
    case QuicPacketNumberSpace::APPLICATION:
        return "Application";
    }
    return "?";
}

QuicLossRecovery::QuicLossRecovery(QuicRecoveryListener& listener,
                                   Ptr<QuicSocketState> tcb,
                                   QuicCongestionBridge& cc,
                                   Time initialRtt)
    : m_listener(listener),
      m_tcb(tcb),
      m_cc(cc),
      m_rtt(initialRtt)
{
    m_tcb->m_smoothedRtt = m_rtt.GetSmoothedRtt();
    m_tcb->m_rttVar = m_rtt.GetRttVar();
    m_timer.SetFunction(MakeCallback(&QuicLossRecovery::OnLossDetectionTimeout, this));
}

QuicLossRecovery::~QuicLossRecovery()
{
    Stop();
}

void
QuicLossRecovery::ForEachOutstanding(QuicPacketNumberSpace space,
                                     const std::function<bool(const QuicSentPacket&)>& f)
{
    QuicSentPacketMap& sent = m_spaces[static_cast<std::size_t>(space)].sent;
    if (sent.IsEmpty())
    {
        return;
    }
    sent.ForEachInRange(sent.GetLowestOutstanding(),
                        sent.GetNextPacketNumber() - 1,
                        [&f](QuicSentPacket& p) { return f(p); });
}

void
QuicLossRecovery::SetEcnController(QuicEcnController* ecn)
{
    m_ecn = ecn;
}

void
QuicLossRecovery::SetPeerMaxAckDelay(Time maxAckDelay)
{
    m_peerMaxAckDelay = maxAckDelay;
}

void
QuicLossRecovery::OnPacketSent(QuicPacketNumberSpace space, QuicSentPacket&& packet)
{
    Space& s = m_spaces[static_cast<std::size_t>(space)];
    uint64_t pn = packet.packetNumber;
    uint32_t size = packet.size;
    bool ackEliciting = packet.ackEliciting;
    m_cc.StampPacket(packet, m_tcb->m_bytesInFlight.Get());
    if (packet.inFlight)
    {
        if (ackEliciting)
        {
            s.lastAckElicitingSent = packet.timeSent;
            ++s.ackElicitingInFlight;
        }
        m_tcb->m_bytesInFlight = m_tcb->m_bytesInFlight + size;
    }
    s.sent.Add(std::move(packet));
    m_cc.OnPacketSent(pn, size, ackEliciting);
    if (ackEliciting)
    {
        SetLossDetectionTimer();
    }
}

void
QuicLossRecovery::RemoveFromFlight(Space& s, const QuicSentPacket& p)
{
    if (!p.inFlight)
    {
        return;
    }
    uint32_t inFlight = m_tcb->m_bytesInFlight;
    m_tcb->m_bytesInFlight = inFlight > p.size ? inFlight - p.size : 0;
    if (p.ackEliciting && s.ackElicitingInFlight > 0)
    {
        --s.ackElicitingInFlight;
    }
}

bool
QuicLossRecovery::OnAckReceived(QuicPacketNumberSpace space,
                                const QuicSubheader& ack,
                                uint8_t ackDelayExponent)
{
    Space& s = m_spaces[static_cast<std::size_t>(space)];
    uint32_t priorInFlight = m_tcb->m_bytesInFlight.Get();
    uint64_t largest = ack.GetLargestAcknowledged();
    if (largest >= s.sent.GetNextPacketNumber())
    {
        NS_LOG_LOGIC("ACK of packet " << largest << " never sent in "
                                      << QuicPacketNumberSpaceName(space));
        return false; // RFC 9000 §13.1: PROTOCOL_VIOLATION
    }
    bool largestIncreased = !s.hasLargestAcked || largest > s.largestAcked;
    if (largestIncreased)
    {
        s.hasLargestAcked = true;
        s.largestAcked = largest;
    }

    // Newly acknowledged packets: walk only outstanding packets inside the ranges.
    QuicBorrowedVector<uint64_t> newlyAckedScratch(m_newlyAckedScratch);
    std::vector<uint64_t>& newlyAcked = newlyAckedScratch.Get();
    bool largestNewlyAcked = false;
    bool anyAckEliciting = false;
    Time largestTimeSent;
    std::array<uint64_t, 4> ecnAcked{0, 0, 0, 0}; // newly acknowledged, by sent codepoint
    for (const QuicAckInterval& range : ack.GetAckIntervals())
    {
        if (!s.spurious.IsEmpty())
        {
            m_spuriousLosses += s.spurious.OnAckRange(range.low, range.high, [&](uint64_t pn) {
                m_listener.OnSpuriousLoss(space, pn);
            });
        }
        s.sent.ForEachInRange(range.low, range.high, [&](QuicSentPacket& p) {
            newlyAcked.push_back(p.packetNumber);
            anyAckEliciting = anyAckEliciting || p.ackEliciting;
            ++ecnAcked[p.ecn & 0x3];
            if (p.packetNumber == largest)
            {
                largestNewlyAcked = true;
                largestTimeSent = p.timeSent;
            }
            return true;
        });
    }
    if (newlyAcked.empty())
    {
        return true;
    }
    std::sort(newlyAcked.begin(), newlyAcked.end());

    Time now = Simulator::Now();
    Time rttSample(0);
    Time ackDelay(0);
    // RFC 9002 §5.1: an RTT sample when the largest acknowledged is newly acknowledged
    // and at least one newly acknowledged packet was ack-eliciting.
    if (largestNewlyAcked && anyAckEliciting)
    {
        rttSample = now - largestTimeSent;
        // RFC 9002 §5.3: ack delay is not used for Initial and Handshake packets.
        ackDelay = space == QuicPacketNumberSpace::APPLICATION ? ack.GetAckDelay(ackDelayExponent)
                                                               : Time(0);
        m_rtt.Update(rttSample, ackDelay, m_peerMaxAckDelay, m_listener.IsHandshakeConfirmed());
        if (m_firstRttSampleTime.IsNegative())
        {
            m_firstRttSampleTime = now;
        }
        m_tcb->m_lastRtt = m_rtt.GetLatestRtt();
        m_tcb->m_minRtt = m_rtt.GetMinRtt();
        ++m_rttSamples;
        m_listener.OnRttSample(rttSample);
        m_tcb->m_smoothedRtt = m_rtt.GetSmoothedRtt();
        m_tcb->m_rttVar = m_rtt.GetRttVar();
    }

    // RFC 9002 §7.1 and §B.7: a rise of the CE count is a congestion event (once the
    // counts are validated, RFC 9000 §13.4.2.1, when an ECN sender is attached).
    uint64_t newCe = 0;
    if (m_ecn != nullptr)
    {
        newCe = m_ecn->OnAckReceived(static_cast<std::size_t>(space),
                                     ack,
                                     largestIncreased,
                                     ecnAcked[2],
                                     ecnAcked[1]);
    }
    else if (ack.HasEcnCounts() && ack.GetEcnCounts().ce > s.ecnCe)
    {
        newCe = ack.GetEcnCounts().ce - s.ecnCe;
        s.ecnCe = ack.GetEcnCounts().ce;
    }
    if (newCe > 0)
    {
        QuicSentPacket* newest = s.sent.Find(newlyAcked.back());
        if (newest != nullptr)
        {
            m_cc.OnEcnCongestion(newest->timeSent);
        }
    }

    QuicBorrowedVector<QuicAckedPacketInfo> ackedInfoScratch(m_ackedInfoScratch);
    std::vector<QuicAckedPacketInfo>& ackedInfo = ackedInfoScratch.Get();
    ackedInfo.reserve(newlyAcked.size());
    for (uint64_t pn : newlyAcked)
    {
        QuicSentPacket p = s.sent.Remove(pn, true);
        if (p.inFlight)
        {
            RemoveFromFlight(s, p);
            ackedInfo.push_back(QuicAckedPacketInfo{p.size,
                                                    p.timeSent,
                                                    p.isAppLimited,
                                                    p.delivered,
                                                    p.deliveredTime,
                                                    p.firstSentTime});
        }
        m_listener.OnPacketAcked(space, p);
    }

    DetectAndRemoveLostPackets(space);
    if (!ackedInfo.empty())
    {
        QuicEcnController::DeliverMarkedAck(m_cc,
                                            m_tcb,
                                            ackedInfo,
                                            rttSample,
                                            ackDelay,
                                            priorInFlight,
                                            newCe);
    }

    // RFC 9002 §6.2.1: reset the backoff, unless a client is not yet sure the server
    // validated its address.
    if (m_listener.HasPeerCompletedAddressValidation())
    {
        m_ptoCount = 0;
        m_tcb->m_ptoCount = 0;
    }
    SetLossDetectionTimer();
    return true;
}

void
QuicLossRecovery::DetectAndRemoveLostPackets(QuicPacketNumberSpace space)
{
    Space& s = m_spaces[static_cast<std::size_t>(space)];
    s.lossTime = Seconds(0);
    if (!s.hasLargestAcked)
    {
        return;
    }
    Time lossDelay = m_rtt.GetLossDelay();
    Time lostSendTime = Simulator::Now() - lossDelay;

    // Outstanding packets below the largest acknowledged, oldest first. The first one
    // that is not lost ends the walk: every later packet was sent later and has a larger
    // number, so neither threshold can declare it lost either.
    std::vector<uint64_t> lost;
    s.sent.ForEachInRange(0, s.largestAcked, [&](QuicSentPacket& p) {
        if (p.timeSent <= lostSendTime || s.largestAcked >= p.packetNumber + kPacketThreshold)
        {
            lost.push_back(p.packetNumber);
            return true;
        }
        s.lossTime = p.timeSent + lossDelay;
        return false;
    });
    if (lost.empty())
    {
        return;
    }

    // RFC 9002 §7.6.2: persistent congestion: two lost ack-eliciting packets, sent after
    // the first RTT sample, further apart than the threshold duration, with no packet
    // acknowledged between them.
    Time pcDuration =
        (m_rtt.GetSmoothedRtt() +
         std::max(m_rtt.GetRttVar() * 4, QuicRttEstimator::GetGranularity()) + m_peerMaxAckDelay) *
        kPersistentCongestionThreshold;
    bool persistent = false;
    bool runOpen = false;
    uint64_t runLastPn = 0;
    Time runStart;
    for (uint64_t pn : lost)
    {
        const QuicSentPacket* p = s.sent.Find(pn);
        if (!p->ackEliciting || m_firstRttSampleTime.IsNegative() ||
            p->timeSent <= m_firstRttSampleTime)
        {
            continue;
        }
        if (!runOpen || s.sent.AnyAckedBetween(runLastPn, pn))
        {
            runOpen = true;
            runStart = p->timeSent;
        }
        else if (p->timeSent - runStart > pcDuration)
        {
            persistent = true;
        }
        runLastPn = pn;
    }

    uint32_t lostBytes = 0;
    Time newestLostTimeSent;
    for (uint64_t pn : lost)
    {
        QuicSentPacket p = s.sent.Remove(pn, false);
        NS_LOG_LOGIC("lost " << QuicPacketNumberSpaceName(space) << " packet " << pn);
        ++m_lostPackets;
        s.spurious.OnPacketLost(pn);
        if (p.inFlight)
        {
            RemoveFromFlight(s, p);
            lostBytes += p.size;
            newestLostTimeSent = std::max(newestLostTimeSent, p.timeSent);
        }
        m_listener.OnPacketLost(space, p);
    }
    if (lostBytes > 0)
    {
        if (persistent)
        {
            m_rtt.ResetMinRtt(); // RFC 9002 §5.2
        }
        m_cc.OnPacketsLost(lostBytes, newestLostTimeSent, persistent);
    }
}

Time
QuicLossRecovery::GetEarliestLossTime(QuicPacketNumberSpace& space) const
{
    Time earliest(0);
    for (std::size_t i = 0; i < kQuicPacketNumberSpaces; ++i)
    {
        const Time& t = m_spaces[i].lossTime;
        if (t.IsStrictlyPositive() && (earliest.IsZero() || t < earliest))
        {
            earliest = t;
            space = static_cast<QuicPacketNumberSpace>(i);
        }
    }
    return earliest;
}

bool
QuicLossRecovery::AnyAckElicitingInFlight() const
{
    for (const Space& s : m_spaces)
    {
        if (s.ackElicitingInFlight > 0)
        {
            return true;
        }
    }
    return false;
}

Time
QuicLossRecovery::GetPtoTimeAndSpace(QuicPacketNumberSpace& space) const
{
    Time duration = (m_rtt.GetSmoothedRtt() +
                     std::max(m_rtt.GetRttVar() * 4, QuicRttEstimator::GetGranularity())) *
                    (int64_t(1) << std::min<uint32_t>(m_ptoCount, 30));
    // RFC 9002 §6.2.2.1: a client that has nothing in flight probes for anti-deadlock.
    if (!AnyAckElicitingInFlight())
    {
        space = m_listener.HasKeys(QuicPacketNumberSpace::HANDSHAKE)
                    ? QuicPacketNumberSpace::HANDSHAKE
                    : QuicPacketNumberSpace::INITIAL;
        return Simulator::Now() + m_listener.AdjustPtoDuration(space, duration);
    }
    Time timeout = Time::Max();
    for (std::size_t i = 0; i < kQuicPacketNumberSpaces; ++i)
    {
        const Space& s = m_spaces[i];
        if (s.ackElicitingInFlight == 0)
        {
            continue;
        }
        auto sp = static_cast<QuicPacketNumberSpace>(i);
        Time d = duration;
        if (sp == QuicPacketNumberSpace::APPLICATION)
        {
            // RFC 9002 §6.2.1: application data is not probed before the handshake is
            // confirmed, and its PTO includes the peer's max_ack_delay.
            if (!m_listener.IsHandshakeConfirmed())
            {
                // RFC 9002 §6.2.1 leaves application data unprobed here. But when nothing of
                // the handshake is in flight any more (its lost CRYPTO data waits behind a
                // window full of 0-RTT or 1-RTT packets the peer cannot acknowledge yet), no
                // timer would remain and both ends would wait forever. RFC 9002 §6.2.2.1 (a
                // client MUST arm the PTO until the handshake is confirmed "even if there
                // are no packets in flight") therefore counts only Initial and Handshake
                // packets here: probe the Handshake space, or the Initial space while a
                // client has no Handshake keys yet (its ClientHello was lost and its 0-RTT
                // packets fill the window). Probes may exceed the congestion window (§7.5).
                if (timeout == Time::Max())
                {
                    QuicPacketNumberSpace hs = m_listener.HasKeys(QuicPacketNumberSpace::HANDSHAKE)
                                                   ? QuicPacketNumberSpace::HANDSHAKE
                                                   : QuicPacketNumberSpace::INITIAL;
                    if (m_listener.HasKeys(hs))
                    {
                        timeout = s.lastAckElicitingSent + m_listener.AdjustPtoDuration(hs, d);
                        space = hs;
                    }
                }
                break;
            }
            d += m_peerMaxAckDelay * (int64_t(1) << std::min<uint32_t>(m_ptoCount, 30));
        }
        Time t = s.lastAckElicitingSent + m_listener.AdjustPtoDuration(sp, d);
        if (t < timeout)
        {
            timeout = t;
            space = sp;
        }
    }
    return timeout == Time::Max() ? Time(0) : timeout;
}

void
QuicLossRecovery::SetLossDetectionTimer()
{
    QuicPacketNumberSpace space = QuicPacketNumberSpace::INITIAL;
    Time expiry = GetEarliestLossTime(space);
    if (expiry.IsZero())
    {
        if (m_listener.IsAtAmplificationLimit())
        {
            m_timer.Disarm(); // RFC 9002 §6.2.2.1: the server cannot send anyway
            return;
        }
        if (!AnyAckElicitingInFlight() && m_listener.HasPeerCompletedAddressValidation())
        {
            m_timer.Disarm();
            return;
        }
        expiry = GetPtoTimeAndSpace(space);
        if (expiry.IsZero())
        {
            m_timer.Disarm();
            return;
        }
    }
    // Re-armed with every packet sent and every ACK: a QuicDeadlineTimer, which keeps one
    // event queued instead of one cancelled event per packet.
    m_timer.Arm(expiry);
}

void
QuicLossRecovery::OnLossDetectionTimeout()
{
    QuicPacketNumberSpace space = QuicPacketNumberSpace::INITIAL;
    Time earliest = GetEarliestLossTime(space);
    if (!earliest.IsZero())
    {
        DetectAndRemoveLostPackets(space); // RFC 9002 §6.1.2: time threshold
        SetLossDetectionTimer();
        return;
    }
    ++m_ptoFired;
    if (!AnyAckElicitingInFlight())
    {
        // RFC 9002 §6.2.2.1: the client's anti-deadlock probe.
        space = m_listener.HasKeys(QuicPacketNumberSpace::HANDSHAKE)
                    ? QuicPacketNumberSpace::HANDSHAKE
                    : QuicPacketNumberSpace::INITIAL;
        ++m_ptoCount;
        m_tcb->m_ptoCount = m_ptoCount;
        m_cc.OnProbeTimeout();
        m_listener.SendProbes(space, 1);
    }
    else
    {
        GetPtoTimeAndSpace(space);
        ++m_ptoCount;
        m_tcb->m_ptoCount = m_ptoCount;
        m_cc.OnProbeTimeout();
        m_listener.SendProbes(space, 2); // RFC 9002 §6.2.4: up to two datagrams
    }
    NS_LOG_LOGIC("PTO fired in " << QuicPacketNumberSpaceName(space) << ", pto_count "
                                 << m_ptoCount);
    SetLossDetectionTimer();
}

void
QuicLossRecovery::DiscardSpace(QuicPacketNumberSpace space)
{
    Space& s = m_spaces[static_cast<std::size_t>(space)];
    for (const QuicSentPacket& p : s.sent.Clear())
    {
        RemoveFromFlight(s, p);
    }
    s.ackElicitingInFlight = 0;
    s.lossTime = Seconds(0);
    s.lastAckElicitingSent = Seconds(0);
    s.spurious.Clear();
    // RFC 9002 §6.2.2: the backoff restarts when Initial or Handshake keys go.
    m_ptoCount = 0;
    m_tcb->m_ptoCount = 0;
    SetLossDetectionTimer();
}

void
QuicLossRecovery::Stop()
{
    m_timer.Stop(); // nothing left queued (see QuicSocketBase::CancelTimers)
}

const QuicRttEstimator&
QuicLossRecovery::GetRtt() const
{
    return m_rtt;
}

Time
QuicLossRecovery::GetPtoPeriod() const
{
    return m_rtt.GetPtoPeriod(m_peerMaxAckDelay);
}

uint32_t
QuicLossRecovery::GetPtoCount() const
{
    return m_ptoCount;
}

bool
QuicLossRecovery::HasAckElicitingInFlight(QuicPacketNumberSpace space) const
{
    return m_spaces[static_cast<std::size_t>(space)].ackElicitingInFlight > 0;
}

const QuicSentPacketMap&
QuicLossRecovery::GetSentPackets(QuicPacketNumberSpace space) const
{
    return m_spaces[static_cast<std::size_t>(space)].sent;
}

Time
QuicLossRecovery::GetTimerExpiry() const
{
    return m_timer.GetDeadline();
}

std::optional<uint64_t>
QuicLossRecovery::GetLargestAcked(QuicPacketNumberSpace space) const
{
    const Space& s = m_spaces[static_cast<std::size_t>(space)];
    if (!s.hasLargestAcked)
    {
        return std::nullopt;
    }
    return s.largestAcked;
}

uint64_t
QuicLossRecovery::GetSpuriousLossCount() const
{
    return m_spuriousLosses;
}

uint64_t
QuicLossRecovery::GetLostPacketCount() const
{
    return m_lostPackets;
}

uint64_t
QuicLossRecovery::GetPtoFiredCount() const
{
    return m_ptoFired;
}

uint64_t
QuicLossRecovery::GetRttSampleCount() const
{
    return m_rttSamples;
}

} // namespace ns3

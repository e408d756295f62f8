/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-received-packet-tracker.h"

#include "quic-byte-writer.h"
#include "quic-varint.h"

#include "ns3/abort.h"

#include <algorithm>

namespace ns3
{

bool
QuicReceivedPacketTracker::IsDuplicate(uint64_t packetNumber) const
{
    if (packetNumber < m_forgottenBelow)
    {
        return true; // RFC 9000 §13.2.3: older than every range still tracked
    }
    auto it = m_ranges.upper_bound(packetNumber);
    if (it == m_ranges.begin())
    {
        return false;
    }
    --it;
    return packetNumber <= it->second;
}

void
QuicReceivedPacketTracker::OnPacketReceived(uint64_t packetNumber,
                                            bool ackEliciting,
                                            Time now,
                                            uint8_t ecnCodepoint)
{
    bool reordered = m_hasReceived && packetNumber < m_largest;
    bool gap = m_hasReceived && packetNumber > m_largest + 1;
    // Insert into the interval set, merging neighbours.
    auto next = m_ranges.upper_bound(packetNumber);
    bool merged = false;
    if (next != m_ranges.begin())
    {
        auto prev = std::prev(next);
        if (prev->second + 1 == packetNumber)
        {
            prev->second = packetNumber;
            if (next != m_ranges.end() && next->first == packetNumber + 1)
            {
                prev->second = next->second;
                m_ranges.erase(next);
            }
            merged = true;
        }
    }
    if (!merged)
    {
        if (next != m_ranges.end() && next->first == packetNumber + 1)
        {
            uint64_t high = next->second;
            m_ranges.erase(next);
            m_ranges.emplace(packetNumber, high);
        }
        else
        {
            m_ranges.emplace(packetNumber, packetNumber);
        }
    }
    while (m_ranges.size() > kMaxRanges)
    {
        m_forgottenBelow = m_ranges.begin()->second + 1;
        m_ranges.erase(m_ranges.begin()); // RFC 9000 §13.2.3: forget the oldest ranges
    }
    if (!m_hasReceived || packetNumber > m_largest)
    {
        m_largest = packetNumber;
        m_largestTime = now;
    }
    m_hasReceived = true;
    switch (ecnCodepoint & 0x3)
    {
    case 1:
        ++m_ecn.ect1;
        break;
    case 2:
        ++m_ecn.ect0;
        break;
    case 3:
        ++m_ecn.ce;
        m_immediate = true; // RFC 9000 §13.2.1: CE-marked packets are acknowledged at once
        break;
    default:
        break;
    }
    if (!ackEliciting)
    {
        return;
    }
    if (!m_hasElicting || packetNumber > m_largestElicting)
    {
        m_largestElicting = packetNumber;
        m_hasElicting = true;
    }
    if (m_unackedElicting == 0)
    {
        m_pendingSince = now;
    }
    ++m_unackedElicting;
    // RFC 9000 §13.2.1-2: acknowledge at once a reordered packet or one after a gap, and
    // at least every second ack-eliciting packet.
    if (reordered || gap || m_unackedElicting >= m_ackThreshold)
    {
        m_immediate = true;
    }
}

void
QuicReceivedPacketTracker::SetAckElicitingThreshold(uint32_t threshold)
{
    m_ackThreshold = std::max<uint32_t>(threshold, 1);
}

bool
QuicReceivedPacketTracker::IsAckImmediate() const
{
    return m_immediate && m_unackedElicting > 0;
}

bool
QuicReceivedPacketTracker::IsAckPending() const
{
    return m_unackedElicting > 0;
}

bool
QuicReceivedPacketTracker::HasReceived() const
{
    return m_hasReceived && !m_ranges.empty();
}

Time
QuicReceivedPacketTracker::GetAckPendingSince() const
{
    return m_pendingSince;
}

uint64_t
QuicReceivedPacketTracker::GetLargestReceived() const
{
    return m_largest;
}

uint64_t
QuicReceivedPacketTracker::EncodeAckDelay(Time now, uint8_t ackDelayExponent) const
{
    Time delay = now > m_largestTime ? now - m_largestTime : Time(0);
    return static_cast<uint64_t>(delay.GetMicroSeconds()) >> ackDelayExponent;
}

QuicSubheader
QuicReceivedPacketTracker::BuildAckFrame(Time now, uint8_t ackDelayExponent, bool withEcn) const
{
    std::vector<QuicAckInterval> intervals;
    intervals.reserve(m_ranges.size());
    for (auto it = m_ranges.rbegin(); it != m_ranges.rend(); ++it)
    {
        intervals.push_back(QuicAckInterval{it->first, it->second});
    }
    uint64_t encodedDelay = EncodeAckDelay(now, ackDelayExponent);
    if (withEcn)
    {
        return QuicSubheader::CreateAckFromIntervals(std::move(intervals), encodedDelay, m_ecn);
    }
    return QuicSubheader::CreateAckFromIntervals(std::move(intervals), encodedDelay);
}

uint32_t
QuicReceivedPacketTracker::WriteAckFrame(QuicByteWriter& writer,
                                         Time now,
                                         uint8_t ackDelayExponent,
                                         bool withEcn,
                                         uint32_t maxSize,
                                         uint64_t& largest,
                                         uint64_t& frameType) const
{
    NS_ABORT_MSG_IF(m_ranges.empty(), "QuicReceivedPacketTracker::WriteAckFrame: no interval");
    // The ranges as CreateAckFromIntervals derives them: highest first, touching
    // intervals merged; each after the first as (gap, length), RFC 9000 §19.3.1.
    auto forEachRange = [this](auto&& visit) {
        auto it = m_ranges.rbegin();
        uint64_t prevLow = 0;
        bool first = true;
        while (it != m_ranges.rend())
        {
            uint64_t high = it->second;
            uint64_t low = it->first;
            for (++it; it != m_ranges.rend() && it->second + 1 >= low; ++it)
            {
                low = std::min(low, it->first);
            }
            if (first)
            {
                visit(true, high, high - low);
                first = false;
            }
            else
            {
                visit(false, prevLow - high - 2, high - low);
            }
            prevLow = low;
        }
    };
    uint64_t encodedDelay = EncodeAckDelay(now, ackDelayExponent);
    uint64_t type = withEcn ? QuicSubheader::ACK_ECN : QuicSubheader::ACK;
    uint64_t largestAck = 0;
    uint64_t firstRange = 0;
    uint64_t count = 0;
    uint64_t size = 0;
    forEachRange([&](bool isFirst, uint64_t a, uint64_t b) {
        if (isFirst)
        {
            largestAck = a;
            firstRange = b;
        }
        else
        {
            ++count;
        }
        size += QuicVarInt::GetEncodedSize(a) + QuicVarInt::GetEncodedSize(b);
    });
    NS_ABORT_MSG_IF(largestAck > QuicVarInt::kMaxValue,
                    "QuicReceivedPacketTracker::WriteAckFrame: packet number " << largestAck
                                                                               << " too large");
    size += QuicVarInt::GetEncodedSize(type) + QuicVarInt::GetEncodedSize(encodedDelay) +
            QuicVarInt::GetEncodedSize(count);
    if (withEcn)
    {
        size += QuicVarInt::GetEncodedSize(m_ecn.ect0) + QuicVarInt::GetEncodedSize(m_ecn.ect1) +
                QuicVarInt::GetEncodedSize(m_ecn.ce);
    }
    if (size > maxSize)
    {
        return 0;
    }
    // The field order of QuicSubheader's ACK encoding.
    writer.WriteVarInt(type);
    writer.WriteVarInt(largestAck);
    writer.WriteVarInt(encodedDelay);
    writer.WriteVarInt(count);
    writer.WriteVarInt(firstRange);
    forEachRange([&](bool isFirst, uint64_t gap, uint64_t length) {
        if (!isFirst)
        {
            writer.WriteVarInt(gap);
            writer.WriteVarInt(length);
        }
    });
    if (withEcn)
    {
        writer.WriteVarInt(m_ecn.ect0);
        writer.WriteVarInt(m_ecn.ect1);
        writer.WriteVarInt(m_ecn.ce);
    }
    largest = largestAck;
    frameType = type;
    return static_cast<uint32_t>(size);
}

void
QuicReceivedPacketTracker::OnAckSent()
{
    m_unackedElicting = 0;
    m_immediate = false;
}

void
QuicReceivedPacketTracker::OnAckOfAck(uint64_t largestAcked)
{
    if (!m_hasConfirmed || largestAcked > m_confirmedUpTo)
    {
        m_confirmedUpTo = largestAcked;
        m_hasConfirmed = true;
    }
    // Keep the range holding largestAcked's neighbourhood; drop wholly older ranges, but
    // always keep at least the newest range.
    while (m_ranges.size() > 1 && m_ranges.begin()->second < largestAcked &&
           std::next(m_ranges.begin())->first <= largestAcked)
    {
        m_forgottenBelow = m_ranges.begin()->second + 1;
        m_ranges.erase(m_ranges.begin());
    }
}

bool
QuicReceivedPacketTracker::HasUnconfirmedAck() const
{
    return m_hasElicting && (!m_hasConfirmed || m_largestElicting > m_confirmedUpTo);
}

const QuicEcnCounts&
QuicReceivedPacketTracker::GetEcnCounts() const
{
    return m_ecn;
}

std::size_t
QuicReceivedPacketTracker::GetRangeCount() const
{
    return m_ranges.size();
}

} // namespace ns3

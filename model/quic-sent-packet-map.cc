/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-sent-packet-map.h"

#include "quic-subheader.h"

#include "ns3/abort.h"

namespace ns3
{

void
QuicSentPacketMap::Add(QuicSentPacket&& packet)
{
    NS_ABORT_MSG_IF(packet.packetNumber < m_next,
                    "QuicSentPacketMap::Add: packet number " << packet.packetNumber << " not above "
                                                             << m_next - 1);
    if (!m_slots)
    {
        m_slots = std::make_unique<Slots>();
    }
    if (m_count == 0)
    {
        // Nothing outstanding: restart the deque at this number.
        m_slots->packets.clear();
        m_slots->present.clear();
        m_holes.clear();
        m_base = packet.packetNumber;
    }
    else
    {
        // Numbers skipped by the sender (RFC 9000 §21.4 allows gaps) are holes.
        for (uint64_t n = m_next; n < packet.packetNumber; ++n)
        {
            m_slots->packets.emplace_back();
            m_slots->present.push_back(false);
            Insert(m_holes, n);
        }
    }
    m_next = packet.packetNumber + 1;
    m_slots->packets.push_back(std::move(packet));
    m_slots->present.push_back(true);
    ++m_count;
}

QuicSentPacket*
QuicSentPacketMap::Find(uint64_t packetNumber)
{
    if (packetNumber < m_base || packetNumber >= m_next)
    {
        return nullptr;
    }
    std::size_t idx = packetNumber - m_base;
    return m_slots->present[idx] ? &m_slots->packets[idx] : nullptr;
}

QuicSentPacket
QuicSentPacketMap::Remove(uint64_t packetNumber, bool acked)
{
    NS_ABORT_MSG_IF(Find(packetNumber) == nullptr,
                    "QuicSentPacketMap::Remove: packet " << packetNumber << " not outstanding");
    std::size_t idx = packetNumber - m_base;
    QuicSentPacket p = std::move(m_slots->packets[idx]);
    m_slots->present[idx] = false;
    --m_count;
    if (acked)
    {
        Insert(m_acked, packetNumber);
    }
    if (idx == 0 && m_count > 0)
    {
        // In-order removal, the common case: drop the front slot at once rather than
        // recording a one-number hole that TrimFront() would erase right away.
        m_slots->packets.pop_front();
        m_slots->present.pop_front();
        ++m_base;
        TrimFront();
        Prune(m_acked, m_base - 1);
        return p;
    }
    Insert(m_holes, packetNumber);
    TrimFront();
    return p;
}

void
QuicSentPacketMap::TrimFront()
{
    if (m_count == 0)
    {
        if (m_slots)
        {
            m_slots->packets.clear();
            m_slots->present.clear();
        }
        m_holes.clear();
        m_base = m_next;
        Prune(m_acked, m_base > 0 ? m_base - 1 : 0);
        return;
    }
    // The first hole interval, if it starts at m_base, is dropped whole.
    auto it = m_holes.begin();
    if (it != m_holes.end() && it->first == m_base)
    {
        uint64_t newBase = it->second + 1;
        std::size_t drop = newBase - m_base;
        m_slots->packets.erase(m_slots->packets.begin(), m_slots->packets.begin() + drop);
        m_slots->present.erase(m_slots->present.begin(), m_slots->present.begin() + drop);
        m_holes.erase(it);
        m_base = newBase;
        // Acknowledged numbers are only needed between outstanding packets and the
        // recent past (persistent congestion compares lost packets with them).
        Prune(m_acked, m_base > 0 ? m_base - 1 : 0);
    }
}

void
QuicSentPacketMap::Insert(std::map<uint64_t, uint64_t>& set, uint64_t n)
{
    auto next = set.upper_bound(n);
    if (next != set.begin())
    {
        auto prev = std::prev(next);
        if (n <= prev->second)
        {
            return; // already there
        }
        if (prev->second + 1 == n)
        {
            prev->second = n;
            if (next != set.end() && next->first == n + 1)
            {
                prev->second = next->second;
                set.erase(next);
            }
            return;
        }
    }
    if (next != set.end() && next->first == n + 1)
    {
        // Re-key the node in place (no free + allocate per removed packet).
        auto node = set.extract(next);
        node.key() = n;
        set.insert(std::move(node));
        return;
    }
    set.emplace(n, n);
}

void
QuicSentPacketMap::Prune(std::map<uint64_t, uint64_t>& set, uint64_t below)
{
    while (!set.empty() && set.begin()->second < below)
    {
        set.erase(set.begin());
    }
    if (!set.empty() && set.begin()->first < below)
    {
        // Runs for nearly every acknowledgement: re-key the node rather than reallocate it.
        auto node = set.extract(set.begin());
        node.key() = below;
        set.insert(set.begin(), std::move(node));
    }
}

bool
QuicSentPacketMap::AnyAckedBetween(uint64_t low, uint64_t high) const
{
    if (high <= low + 1)
    {
        return false;
    }
    // The first acked interval ending above low must start below high.
    auto it = m_acked.upper_bound(low);
    if (it != m_acked.begin())
    {
        auto prev = std::prev(it);
        if (prev->second > low)
        {
            return true; // an interval starting at or below low reaches past it
        }
    }
    return it != m_acked.end() && it->first < high;
}

std::size_t
QuicSentPacketMap::GetCount() const
{
    return m_count;
}

bool
QuicSentPacketMap::IsEmpty() const
{
    return m_count == 0;
}

uint64_t
QuicSentPacketMap::GetNextPacketNumber() const
{
    return m_next;
}

uint64_t
QuicSentPacketMap::GetLowestOutstanding() const
{
    return m_base;
}

std::vector<QuicSentPacket>
QuicSentPacketMap::Clear()
{
    std::vector<QuicSentPacket> out;
    out.reserve(m_count);
    for (std::size_t i = 0; m_slots && i < m_slots->packets.size(); ++i)
    {
        if (m_slots->present[i])
        {
            out.push_back(std::move(m_slots->packets[i]));
        }
    }
    m_slots.reset();
    m_holes.clear();
    m_acked.clear();
    m_count = 0;
    m_base = m_next;
    return out;
}

} // namespace ns3

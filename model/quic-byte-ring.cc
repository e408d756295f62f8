/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-byte-ring.h"

#include "ns3/abort.h"

#include <algorithm>
#include <cstring>

namespace ns3
{

QuicByteRing::QuicByteRing()
    : m_head(0)
{
}

uint64_t
QuicByteRing::GetCapacity() const
{
    return m_buf.size();
}

uint64_t
QuicByteRing::Index(uint64_t pos) const
{
    uint64_t i = m_head + pos;
    return i >= m_buf.size() ? i - m_buf.size() : i;
}

void
QuicByteRing::Reallocate(uint64_t newCapacity, uint64_t live)
{
    std::vector<uint8_t> fresh(newCapacity);
    if (live > 0)
    {
        Read(0, fresh.data(), live);
    }
    m_buf.swap(fresh);
    m_head = 0;
}

void
QuicByteRing::EnsureCapacity(uint64_t needed, uint64_t live)
{
    NS_ABORT_MSG_IF(live > m_buf.size(),
                    "QuicByteRing::EnsureCapacity: live span " << live << " above capacity "
                                                               << m_buf.size());
    if (needed <= m_buf.size())
    {
        return;
    }
    Reallocate(std::max(needed, 2 * m_buf.size()), live);
}

void
QuicByteRing::MaybeShrink(uint64_t live)
{
    uint64_t cap = m_buf.size();
    if (cap <= kMinShrinkCapacity || live >= cap / 4)
    {
        return;
    }
    uint64_t target = cap;
    while (target > kMinShrinkCapacity && live < target / 4)
    {
        target /= 2;
    }
    Reallocate(target, live);
}

void
QuicByteRing::Clear()
{
    std::vector<uint8_t>().swap(m_buf);
    m_head = 0;
}

void
QuicByteRing::Advance(uint64_t n)
{
    if (m_buf.empty())
    {
        return;
    }
    m_head = Index(n % m_buf.size());
}

void
QuicByteRing::Write(uint64_t pos, const uint8_t* data, uint64_t len)
{
    if (len == 0)
    {
        return;
    }
    uint64_t i = Index(pos);
    uint64_t first = std::min(len, m_buf.size() - i);
    std::memcpy(m_buf.data() + i, data, first);
    if (first < len)
    {
        std::memcpy(m_buf.data(), data + first, len - first);
    }
}

void
QuicByteRing::WritePacket(uint64_t pos, Ptr<const Packet> p, uint32_t len)
{
    if (len == 0)
    {
        return;
    }
    uint64_t i = Index(pos);
    uint32_t first = static_cast<uint32_t>(std::min<uint64_t>(len, m_buf.size() - i));
    if (first == len)
    {
        p->CopyData(m_buf.data() + i, len);
        return;
    }
    // Wrapping: Packet::CopyData only copies from the start of the packet.
    p->CopyData(m_buf.data() + i, first);
    p->CreateFragment(first, len - first)->CopyData(m_buf.data(), len - first);
}

void
QuicByteRing::Read(uint64_t pos, uint8_t* out, uint64_t len) const
{
    if (len == 0)
    {
        return;
    }
    uint64_t i = Index(pos);
    uint64_t first = std::min(len, m_buf.size() - i);
    std::memcpy(out, m_buf.data() + i, first);
    if (first < len)
    {
        std::memcpy(out + first, m_buf.data(), len - first);
    }
}

bool
QuicByteRing::Equals(uint64_t pos, const uint8_t* data, uint64_t len) const
{
    if (len == 0)
    {
        return true;
    }
    uint64_t i = Index(pos);
    uint64_t first = std::min(len, m_buf.size() - i);
    if (std::memcmp(m_buf.data() + i, data, first) != 0)
    {
        return false;
    }
    return first == len || std::memcmp(m_buf.data(), data + first, len - first) == 0;
}

uint64_t
QuicIntervalAdd(std::map<uint64_t, uint64_t>& set, uint64_t start, uint64_t end)
{
    uint64_t covered = 0;
    uint64_t newStart = start;
    uint64_t newEnd = end;
    auto it = set.upper_bound(start);
    if (it != set.begin())
    {
        auto prev = std::prev(it);
        if (prev->second >= start)
        {
            it = prev;
        }
    }
    while (it != set.end() && it->first <= end)
    {
        uint64_t lo = std::max(it->first, start);
        uint64_t hi = std::min(it->second, end);
        if (hi > lo)
        {
            covered += hi - lo;
        }
        newStart = std::min(newStart, it->first);
        newEnd = std::max(newEnd, it->second);
        it = set.erase(it);
    }
    set.emplace_hint(it, newStart, newEnd);
    return (end - start) - covered;
}

uint64_t
QuicIntervalRemove(std::map<uint64_t, uint64_t>& set, uint64_t start, uint64_t end)
{
    uint64_t removed = 0;
    if (start >= end)
    {
        return 0;
    }
    auto it = set.upper_bound(start);
    if (it != set.begin())
    {
        auto prev = std::prev(it);
        if (prev->second > start)
        {
            it = prev;
        }
    }
    while (it != set.end() && it->first < end)
    {
        uint64_t a = it->first;
        uint64_t b = it->second;
        removed += std::min(b, end) - std::max(a, start);
        it = set.erase(it);
        if (a < start)
        {
            set.emplace_hint(it, a, start);
        }
        if (b > end)
        {
            set.emplace_hint(it, end, b);
            break;
        }
    }
    return removed;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-byte-ring.h"

#include "quic-packet-bytes.h"

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
    return m_cap;
}

uint64_t
QuicByteRing::Index(uint64_t pos) const
{
    uint64_t i = m_head + pos;
    return i >= m_cap ? i - m_cap : i;
}

void
QuicByteRing::Reallocate(uint64_t newCapacity, uint64_t live)
{
    // Default-initialised (not zeroed): see m_buf.
    std::unique_ptr<uint8_t[]> fresh(new uint8_t[newCapacity]);
    if (live > 0)
    {
        Read(0, fresh.get(), live);
    }
    m_buf = std::move(fresh);
    m_cap = newCapacity;
    m_head = 0;
}

void
QuicByteRing::EnsureCapacity(uint64_t needed, uint64_t live)
{
    NS_ABORT_MSG_IF(live > m_cap,
                    "QuicByteRing::EnsureCapacity: live span " << live << " above capacity "
                                                               << m_cap);
    if (needed <= m_cap)
    {
        return;
    }
    Reallocate(std::max(needed, 2 * m_cap), live);
}

void
QuicByteRing::MaybeShrink(uint64_t live)
{
    uint64_t cap = m_cap;
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
    m_buf.reset();
    m_cap = 0;
    m_head = 0;
    std::vector<uint8_t>().swap(m_scratch);
}

void
QuicByteRing::Advance(uint64_t n)
{
    if (m_cap == 0)
    {
        return;
    }
    m_head = Index(n % m_cap);
}

void
QuicByteRing::Write(uint64_t pos, const uint8_t* data, uint64_t len)
{
    if (len == 0)
    {
        return;
    }
    uint64_t i = Index(pos);
    uint64_t first = std::min(len, m_cap - i);
    std::memcpy(m_buf.get() + i, data, first);
    if (first < len)
    {
        std::memcpy(m_buf.get(), data + first, len - first);
    }
}

void
QuicByteRing::Fill(uint64_t pos, uint64_t len)
{
    if (len == 0)
    {
        return;
    }
    uint64_t i = Index(pos);
    uint64_t first = std::min(len, m_cap - i);
    std::memset(m_buf.get() + i, 0, first);
    if (first < len)
    {
        std::memset(m_buf.get(), 0, len - first);
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
    uint32_t first = static_cast<uint32_t>(std::min<uint64_t>(len, m_cap - i));
    if (first == len)
    {
        p->CopyData(m_buf.get() + i, len);
        return;
    }
    // Wrapping: Packet::CopyData only copies from the start of the packet.
    p->CopyData(m_buf.get() + i, first);
    p->CreateFragment(first, len - first)->CopyData(m_buf.get(), len - first);
}

void
QuicByteRing::Read(uint64_t pos, uint8_t* out, uint64_t len) const
{
    if (len == 0)
    {
        return;
    }
    uint64_t i = Index(pos);
    uint64_t first = std::min(len, m_cap - i);
    std::memcpy(out, m_buf.get() + i, first);
    if (first < len)
    {
        std::memcpy(out + first, m_buf.get(), len - first);
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
    uint64_t first = std::min(len, m_cap - i);
    if (std::memcmp(m_buf.get() + i, data, first) != 0)
    {
        return false;
    }
    return first == len || std::memcmp(m_buf.get(), data + first, len - first) == 0;
}

Ptr<Packet>
QuicByteRing::ReadPacket(uint32_t len) const
{
    if (len == 0)
    {
        return Create<Packet>();
    }
    if (m_head + len <= m_cap)
    {
        return QuicMakePacket(m_buf.get() + m_head, len);
    }
    m_scratch.resize(std::max<std::size_t>(m_scratch.size(), len));
    Read(0, m_scratch.data(), len);
    return QuicMakePacket(m_scratch.data(), len);
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
    // The first interval merged keeps its node (re-keyed), so extending an interval, the
    // common case for in-order data and acknowledgements, allocates nothing.
    std::map<uint64_t, uint64_t>::node_type node;
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
        auto victim = it++;
        if (node.empty())
        {
            node = set.extract(victim);
        }
        else
        {
            set.erase(victim);
        }
    }
    if (node.empty())
    {
        set.emplace_hint(it, newStart, newEnd);
    }
    else
    {
        node.key() = newStart;
        node.mapped() = newEnd;
        set.insert(it, std::move(node));
    }
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

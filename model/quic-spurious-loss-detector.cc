/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-spurious-loss-detector.h"

#include <algorithm>
#include <iterator>

namespace ns3
{

void
QuicSpuriousLossDetector::OnPacketLost(uint64_t n)
{
    // Losses are usually declared in ascending runs: extend the interval ending at n − 1.
    auto next = m_lost.upper_bound(n);
    if (next != m_lost.begin())
    {
        auto prev = std::prev(next);
        if (n <= prev->second)
        {
            return; // already remembered
        }
        if (prev->second + 1 == n)
        {
            prev->second = n;
            if (next != m_lost.end() && next->first == n + 1)
            {
                prev->second = next->second;
                m_lost.erase(next);
            }
            return;
        }
    }
    if (next != m_lost.end() && next->first == n + 1)
    {
        uint64_t high = next->second;
        m_lost.erase(next);
        m_lost.emplace(n, high);
    }
    else
    {
        m_lost.emplace(n, n);
    }
    while (m_lost.size() > kMaxIntervals)
    {
        m_lost.erase(m_lost.begin()); // bounded memory: the oldest losses are forgotten
    }
}

uint64_t
QuicSpuriousLossDetector::OnAckRange(uint64_t low,
                                     uint64_t high,
                                     const std::function<void(uint64_t)>& f)
{
    if (m_lost.empty() || high < low)
    {
        return 0;
    }
    uint64_t count = 0;
    // The first interval that may overlap [low, high] starts at or before low.
    auto it = m_lost.upper_bound(low);
    if (it != m_lost.begin() && std::prev(it)->second >= low)
    {
        --it;
    }
    while (it != m_lost.end() && it->first <= high)
    {
        uint64_t a = it->first;
        uint64_t b = it->second;
        uint64_t from = std::max(a, low);
        uint64_t to = std::min(b, high);
        it = m_lost.erase(it);
        // What the range does not cover stays remembered.
        if (a < from)
        {
            m_lost.emplace(a, from - 1);
        }
        if (to < b)
        {
            it = m_lost.emplace(to + 1, b).first;
            ++it;
        }
        for (uint64_t n = from; n <= to; ++n)
        {
            f(n);
            ++count;
        }
    }
    return count;
}

bool
QuicSpuriousLossDetector::IsEmpty() const
{
    return m_lost.empty();
}

uint64_t
QuicSpuriousLossDetector::GetRememberedCount() const
{
    uint64_t n = 0;
    for (const auto& i : m_lost)
    {
        n += i.second - i.first + 1;
    }
    return n;
}

void
QuicSpuriousLossDetector::Clear()
{
    m_lost.clear();
}

} // namespace ns3

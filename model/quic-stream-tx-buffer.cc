/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-stream-tx-buffer.h"

#include "quic-packet-bytes.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicStreamTxBuffer");

NS_OBJECT_ENSURE_REGISTERED(QuicStreamTxBuffer);

TypeId
QuicStreamTxBuffer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicStreamTxBuffer")
            .SetParent<Object>()
            .SetGroupName("Internet")
            .AddConstructor<QuicStreamTxBuffer>()
            .AddAttribute("MaxBufferSize",
                          "Bytes written and not yet acknowledged that the stream may hold "
                          "(StreamSndBufSize), in bytes",
                          UintegerValue(128 * 1024),
                          MakeUintegerAccessor(&QuicStreamTxBuffer::SetMaxBufferSize,
                                               &QuicStreamTxBuffer::GetMaxBufferSize),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

QuicStreamTxBuffer::QuicStreamTxBuffer()
    : m_maxBufferSize(128 * 1024),
      m_base(0),
      m_writeOffset(0),
      m_zeroFrom(0),
      m_sentOffset(0),
      m_lostBytes(0),
      m_finRequested(false),
      m_finSent(false),
      m_finLost(false),
      m_finAcked(false),
      m_reset(false),
      m_finalSize(0),
      m_bytesRetransmitted(0),
      m_bytesLost(0),
      m_bytesAcked(0),
      m_finRetransmissions(0)
{
    NS_LOG_FUNCTION(this);
}

QuicStreamTxBuffer::~QuicStreamTxBuffer()
{
    NS_LOG_FUNCTION(this);
}

void
QuicStreamTxBuffer::SetMaxBufferSize(uint32_t size)
{
    NS_LOG_FUNCTION(this << size);
    m_maxBufferSize = size;
}

uint32_t
QuicStreamTxBuffer::GetMaxBufferSize() const
{
    return m_maxBufferSize;
}

uint32_t
QuicStreamTxBuffer::GetFreeSpace() const
{
    if (m_finRequested || m_reset)
    {
        return 0;
    }
    uint64_t held = m_writeOffset - m_base;
    return held >= m_maxBufferSize ? 0 : static_cast<uint32_t>(m_maxBufferSize - held);
}

uint32_t
QuicStreamTxBuffer::GetBufferedBytes() const
{
    return static_cast<uint32_t>(m_writeOffset - m_base);
}

uint64_t
QuicStreamTxBuffer::GetAllocatedBytes() const
{
    return m_ring.GetCapacity();
}

uint32_t
QuicStreamTxBuffer::Add(const uint8_t* data, uint32_t len)
{
    NS_LOG_FUNCTION(this << len);
    uint32_t n = std::min(len, GetFreeSpace());
    if (n == 0)
    {
        return 0;
    }
    if (QuicIsAllZero(data, n))
    {
        // Kept as a count, not as bytes: BulkSend-style payloads cost no memory.
        m_writeOffset += n;
        return n;
    }
    StoreZeroTail(n);
    m_ring.Write(m_writeOffset - m_base, data, n);
    m_writeOffset += n;
    m_zeroFrom = m_writeOffset;
    return n;
}

uint32_t
QuicStreamTxBuffer::Add(Ptr<const Packet> p)
{
    NS_LOG_FUNCTION(this << p);
    NS_ABORT_MSG_IF(!p, "QuicStreamTxBuffer::Add: null packet");
    uint32_t n = std::min(p->GetSize(), GetFreeSpace());
    if (n == 0)
    {
        return 0;
    }
    // One scratch for every buffer (the simulator runs in one thread): the bytes must be
    // seen before it is known whether they need storage at all.
    static std::vector<uint8_t> scratch;
    if (scratch.size() < n)
    {
        scratch.resize(n);
    }
    p->CopyData(scratch.data(), n);
    return Add(scratch.data(), n);
}

void
QuicStreamTxBuffer::StoreZeroTail(uint32_t more)
{
    uint64_t stored = m_zeroFrom - m_base;
    uint64_t zeros = m_writeOffset - m_zeroFrom;
    m_ring.EnsureCapacity(stored + zeros + more, stored);
    m_ring.Fill(stored, zeros);
    m_zeroFrom = m_writeOffset;
}

bool
QuicStreamTxBuffer::Finish()
{
    NS_LOG_FUNCTION(this);
    if (m_finRequested || m_reset)
    {
        return false;
    }
    m_finRequested = true;
    m_finalSize = m_writeOffset;
    return true;
}

bool
QuicStreamTxBuffer::IsFinished() const
{
    return m_finRequested;
}

uint64_t
QuicStreamTxBuffer::GetWriteOffset() const
{
    return m_writeOffset;
}

bool
QuicStreamTxBuffer::NextChunk(uint64_t maxLen,
                              uint64_t maxOffset,
                              uint64_t& offset,
                              uint64_t& len,
                              bool& fin)
{
    NS_LOG_FUNCTION(this << maxLen << maxOffset);
    if (m_reset)
    {
        return false;
    }
    // RFC 9000 §13.3: lost data is sent again in new frames, lowest offset
    // first. It lies below m_sentOffset: its credit was consumed when it was
    // first sent (RFC 9000 §4.1), so maxOffset does not bound it.
    if (!m_lost.empty() && maxLen > 0)
    {
        auto it = m_lost.begin();
        uint64_t start = it->first;
        uint64_t rangeEnd = it->second;
        uint64_t end = rangeEnd - start > maxLen ? start + maxLen : rangeEnd;
        m_lost.erase(it);
        if (end < rangeEnd)
        {
            m_lost.emplace(end, rangeEnd);
        }
        offset = start;
        len = end - start;
        m_lostBytes -= len;
        m_bytesRetransmitted += len;
        fin = false;
        if (m_finLost && end == m_finalSize)
        {
            fin = true;
            m_finLost = false;
            ++m_finRetransmissions;
        }
        NS_LOG_LOGIC("retransmitting [" << start << ", " << end << ")" << (fin ? " FIN" : ""));
        return true;
    }
    // A lost FIN goes alone once no lost data ends at the final size (it
    // would have carried it above); all data was sent before the FIN.
    if (m_finLost)
    {
        offset = m_finalSize;
        len = 0;
        fin = true;
        m_finLost = false;
        ++m_finRetransmissions;
        NS_LOG_LOGIC("retransmitting the FIN alone at " << offset);
        return true;
    }
    if (m_sentOffset < m_writeOffset)
    {
        uint64_t limit = std::min(m_writeOffset, maxOffset);
        if (limit <= m_sentOffset || maxLen == 0)
        {
            return false; // blocked by flow control or no room
        }
        offset = m_sentOffset;
        len = std::min(limit - m_sentOffset, maxLen);
        m_sentOffset += len;
        fin = m_finRequested && m_sentOffset == m_writeOffset;
        m_finSent = m_finSent || fin;
        return true;
    }
    if (m_finRequested && !m_finSent)
    {
        // RFC 9000 §19.8: a STREAM frame of length 0 may carry the FIN alone;
        // it consumes no credit (the final size is already counted).
        offset = m_writeOffset;
        len = 0;
        fin = true;
        m_finSent = true;
        return true;
    }
    return false;
}

uint64_t
QuicStreamTxBuffer::PeekChunkLength(uint64_t maxOffset) const
{
    // Mirrors NextChunk()'s order: lost data first, then a lost FIN, then new data.
    if (m_reset)
    {
        return 0;
    }
    if (!m_lost.empty())
    {
        return m_lost.begin()->second - m_lost.begin()->first;
    }
    if (m_finLost || m_sentOffset >= m_writeOffset)
    {
        return 0;
    }
    uint64_t limit = std::min(m_writeOffset, maxOffset);
    return limit > m_sentOffset ? limit - m_sentOffset : 0;
}

void
QuicStreamTxBuffer::CopyData(uint64_t offset, uint64_t len, uint8_t* out) const
{
    NS_ABORT_MSG_IF(m_reset, "QuicStreamTxBuffer::CopyData: the stream was reset");
    NS_ABORT_MSG_IF(offset < m_base || offset > m_writeOffset || len > m_writeOffset - offset,
                    "QuicStreamTxBuffer::CopyData("
                        << offset << ", " << len << "): outside the held bytes [" << m_base << ", "
                        << m_writeOffset << ")");
    // Bytes at or above m_zeroFrom are zeros that were never stored.
    uint64_t stored = offset < m_zeroFrom ? std::min(len, m_zeroFrom - offset) : 0;
    m_ring.Read(offset - m_base, out, stored);
    if (stored < len)
    {
        std::memset(out + stored, 0, len - stored);
    }
}

Ptr<Packet>
QuicStreamTxBuffer::GetData(uint64_t offset, uint64_t len) const
{
    std::vector<uint8_t> bytes(len);
    CopyData(offset, len, bytes.data());
    return Create<Packet>(bytes.data(), static_cast<uint32_t>(len));
}

bool
QuicStreamTxBuffer::HasPendingData() const
{
    return !m_reset && (!m_lost.empty() || m_finLost || m_sentOffset < m_writeOffset ||
                        (m_finRequested && !m_finSent));
}

bool
QuicStreamTxBuffer::HasLostData() const
{
    return !m_reset && (!m_lost.empty() || m_finLost);
}

uint64_t
QuicStreamTxBuffer::GetNextOffset() const
{
    return m_sentOffset;
}

uint64_t
QuicStreamTxBuffer::GetUnsentBytes() const
{
    return m_writeOffset - m_sentOffset;
}

uint64_t
QuicStreamTxBuffer::GetLostBytes() const
{
    return m_lostBytes;
}

void
QuicStreamTxBuffer::ReleaseTo(uint64_t newBase)
{
    uint64_t stored = m_zeroFrom - m_base;
    m_ring.Advance(std::min(newBase - m_base, stored));
    m_base = newBase;
    m_zeroFrom = std::max(m_zeroFrom, newBase);
    m_ring.MaybeShrink(m_zeroFrom - m_base);
}

void
QuicStreamTxBuffer::OnAcked(uint64_t offset, uint64_t len, bool fin)
{
    NS_LOG_FUNCTION(this << offset << len << fin);
    if (m_reset)
    {
        return;
    }
    uint64_t end = offset + len;
    NS_ABORT_MSG_IF(end < offset || end > m_sentOffset,
                    "QuicStreamTxBuffer::OnAcked(" << offset << ", " << len
                                                   << "): bytes never sent (next offset "
                                                   << m_sentOffset << ")");
    NS_ABORT_MSG_IF(fin && (!m_finSent || end != m_finalSize),
                    "QuicStreamTxBuffer::OnAcked: FIN at " << end << " never sent");
    if (fin && !m_finAcked)
    {
        m_finAcked = true;
        m_finLost = false;
    }
    uint64_t start = std::max(offset, m_base);
    if (start < end && start == m_base && (m_acked.empty() || m_acked.begin()->first > end))
    {
        // The oldest bytes, acknowledged in order (the common case): they go at once,
        // without an interval node added and removed again.
        m_bytesAcked += end - start;
        if (!m_lost.empty())
        {
            m_lostBytes -= QuicIntervalRemove(m_lost, start, end);
        }
        ReleaseTo(end);
    }
    else if (start < end)
    {
        m_bytesAcked += QuicIntervalAdd(m_acked, start, end);
        m_lostBytes -= QuicIntervalRemove(m_lost, start, end);
        auto first = m_acked.begin();
        if (first->first == m_base)
        {
            uint64_t newBase = first->second;
            m_acked.erase(first);
            ReleaseTo(newBase);
        }
    }
    if (IsAllAcked())
    {
        m_ring.Clear();
    }
}

void
QuicStreamTxBuffer::AddLostExceptAcked(uint64_t start, uint64_t end)
{
    uint64_t cursor = start;
    auto it = m_acked.upper_bound(start);
    if (it != m_acked.begin() && std::prev(it)->second > start)
    {
        --it;
    }
    for (; it != m_acked.end() && it->first < end && cursor < end; ++it)
    {
        if (it->first > cursor)
        {
            uint64_t added = QuicIntervalAdd(m_lost, cursor, it->first);
            m_lostBytes += added;
            m_bytesLost += added;
        }
        cursor = std::max(cursor, it->second);
    }
    if (cursor < end)
    {
        uint64_t added = QuicIntervalAdd(m_lost, cursor, end);
        m_lostBytes += added;
        m_bytesLost += added;
    }
}

void
QuicStreamTxBuffer::OnLost(uint64_t offset, uint64_t len, bool fin)
{
    NS_LOG_FUNCTION(this << offset << len << fin);
    if (m_reset)
    {
        return;
    }
    uint64_t end = offset + len;
    NS_ABORT_MSG_IF(end < offset || end > m_sentOffset,
                    "QuicStreamTxBuffer::OnLost(" << offset << ", " << len
                                                  << "): bytes never sent (next offset "
                                                  << m_sentOffset << ")");
    NS_ABORT_MSG_IF(fin && (!m_finSent || end != m_finalSize),
                    "QuicStreamTxBuffer::OnLost: FIN at " << end << " never sent");
    if (fin && !m_finAcked)
    {
        m_finLost = true;
    }
    uint64_t start = std::max(offset, m_base);
    if (start < end)
    {
        AddLostExceptAcked(start, end);
    }
}

bool
QuicStreamTxBuffer::IsAllAcked() const
{
    return !m_reset && m_finRequested && m_finAcked && m_base == m_writeOffset;
}

bool
QuicStreamTxBuffer::IsFinAcked() const
{
    return m_finAcked;
}

uint64_t
QuicStreamTxBuffer::GetAckedOffset() const
{
    return m_base;
}

uint64_t
QuicStreamTxBuffer::Reset()
{
    NS_LOG_FUNCTION(this);
    if (!m_reset)
    {
        // RFC 9000 §4.5: the final size of a reset stream is the flow control
        // credit it consumed, i.e. the highest offset sent.
        m_reset = true;
        m_finalSize = m_sentOffset;
        m_ring.Clear();
        m_acked.clear();
        m_lost.clear();
        m_lostBytes = 0;
        m_finLost = false;
        m_base = m_writeOffset;
        m_zeroFrom = m_writeOffset;
    }
    return m_finalSize;
}

bool
QuicStreamTxBuffer::IsReset() const
{
    return m_reset;
}

uint64_t
QuicStreamTxBuffer::GetFinalSize() const
{
    return (m_reset || m_finRequested) ? m_finalSize : m_writeOffset;
}

uint64_t
QuicStreamTxBuffer::GetBytesRetransmitted() const
{
    return m_bytesRetransmitted;
}

uint64_t
QuicStreamTxBuffer::GetBytesLost() const
{
    return m_bytesLost;
}

uint64_t
QuicStreamTxBuffer::GetBytesAcked() const
{
    return m_bytesAcked;
}

uint32_t
QuicStreamTxBuffer::GetFinRetransmissions() const
{
    return m_finRetransmissions;
}

} // namespace ns3

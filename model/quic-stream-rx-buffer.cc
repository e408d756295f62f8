/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-stream-rx-buffer.h"

#include "quic-packet-bytes.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicStreamRxBuffer");

NS_OBJECT_ENSURE_REGISTERED(QuicStreamRxBuffer);

namespace
{
/// Largest stream offset + length, 2^62-1 (RFC 9000 §19.8).
constexpr uint64_t kMaxStreamOffset = (uint64_t{1} << 62) - 1;
} // namespace

TypeId
QuicStreamRxBuffer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicStreamRxBuffer")
            .SetParent<Object>()
            .SetGroupName("Internet")
            .AddConstructor<QuicStreamRxBuffer>()
            .AddAttribute("MaxBufferSize",
                          "The furthest received data may end beyond the read offset, in bytes "
                          "(at least the stream receive window advertised)",
                          UintegerValue(16 * 1024 * 1024),
                          MakeUintegerAccessor(&QuicStreamRxBuffer::SetMaxBufferSize,
                                               &QuicStreamRxBuffer::GetMaxBufferSize),
                          MakeUintegerChecker<uint64_t>());
    return tid;
}

QuicStreamRxBuffer::QuicStreamRxBuffer()
    : m_maxBufferSize(16 * 1024 * 1024),
      m_readOffset(0),
      m_contiguousEnd(0),
      m_storedEnd(0),
      m_highestReceived(0),
      m_finReceived(false),
      m_reset(false),
      m_finalSize(0),
      m_duplicateBytes(0)
{
    NS_LOG_FUNCTION(this);
}

QuicStreamRxBuffer::~QuicStreamRxBuffer()
{
    NS_LOG_FUNCTION(this);
}

void
QuicStreamRxBuffer::SetMaxBufferSize(uint64_t size)
{
    NS_LOG_FUNCTION(this << size);
    m_maxBufferSize = size;
}

uint64_t
QuicStreamRxBuffer::GetMaxBufferSize() const
{
    return m_maxBufferSize;
}

bool
QuicStreamRxBuffer::HeldEquals(uint64_t offset, const uint8_t* data, uint64_t len) const
{
    return m_zerosOnly ? QuicIsAllZero(data, len) : m_ring.Equals(offset - m_readOffset, data, len);
}

bool
QuicStreamRxBuffer::OverlapMatches(uint64_t offset, const uint8_t* data, uint64_t len) const
{
    uint64_t end = offset + len;
    // The in-order part still held: [m_readOffset, m_contiguousEnd).
    uint64_t lo = std::max(offset, m_readOffset);
    uint64_t hi = std::min(end, m_contiguousEnd);
    if (lo < hi && !HeldEquals(lo, data + (lo - offset), hi - lo))
    {
        return false;
    }
    // The islands beyond it.
    auto it = m_islands.upper_bound(offset);
    if (it != m_islands.begin() && std::prev(it)->second > offset)
    {
        --it;
    }
    for (; it != m_islands.end() && it->first < end; ++it)
    {
        lo = std::max(offset, it->first);
        hi = std::min(end, it->second);
        if (lo < hi && !HeldEquals(lo, data + (lo - offset), hi - lo))
        {
            return false;
        }
    }
    return true;
}

bool
QuicStreamRxBuffer::Insert(uint64_t offset,
                           const uint8_t* data,
                           uint64_t len,
                           bool fin,
                           QuicTransportErrorCode& error)
{
    NS_LOG_FUNCTION(this << offset << len << fin);
    NS_ABORT_MSG_IF(len > 0 && data == nullptr, "QuicStreamRxBuffer::Insert: null data");
    // RFC 9000 §19.8: offset + length cannot exceed 2^62-1.
    if (offset > kMaxStreamOffset || len > kMaxStreamOffset - offset)
    {
        NS_LOG_LOGIC("offset " << offset << " + length " << len << " above 2^62-1");
        error = QuicTransportErrorCode::FRAME_ENCODING_ERROR;
        return false;
    }
    uint64_t end = offset + len;
    // RFC 9000 §4.5: once a final size is known it cannot change, and no data
    // may lie beyond it; a FIN cannot put the final size below data received.
    if (m_finReceived || m_reset)
    {
        if (end > m_finalSize || (fin && end != m_finalSize))
        {
            NS_LOG_LOGIC("final size " << m_finalSize << " violated by [" << offset << ", " << end
                                       << ")" << (fin ? " FIN" : ""));
            error = QuicTransportErrorCode::FINAL_SIZE_ERROR;
            return false;
        }
    }
    else if (fin && end < m_highestReceived)
    {
        NS_LOG_LOGIC("FIN at " << end << " below received offset " << m_highestReceived);
        error = QuicTransportErrorCode::FINAL_SIZE_ERROR;
        return false;
    }
    if (m_reset)
    {
        return true; // RFC 9000 §3.2 "Reset Recvd": data may be discarded
    }
    if (end > m_readOffset && end - m_readOffset > m_maxBufferSize)
    {
        NS_LOG_LOGIC("data ends at " << end << ", beyond the buffer (read offset " << m_readOffset
                                     << ", capacity " << m_maxBufferSize << ")");
        error = QuicTransportErrorCode::FLOW_CONTROL_ERROR;
        return false;
    }
    // RFC 9000 §2.2: the data at a given offset must not change.
    if (!OverlapMatches(offset, data, len))
    {
        NS_LOG_LOGIC("data at [" << offset << ", " << end << ") differs from the data received");
        error = QuicTransportErrorCode::PROTOCOL_VIOLATION;
        return false;
    }

    // Commit.
    if (fin)
    {
        m_finReceived = true;
        m_finalSize = end;
    }
    m_highestReceived = std::max(m_highestReceived, end);
    uint64_t start = std::max(offset, m_contiguousEnd);
    uint64_t fresh = 0;
    if (start < end)
    {
        uint64_t live = m_storedEnd > m_readOffset ? m_storedEnd - m_readOffset : 0;
        const uint8_t* freshBytes = data + (start - offset);
        if (m_zerosOnly && !QuicIsAllZero(freshBytes, end - start))
        {
            // The first non-zero byte: from now on every byte is stored, the zeros held
            // so far (and the holes between them) included.
            m_zerosOnly = false;
            m_ring.EnsureCapacity(std::max(end - m_readOffset, live), 0);
            m_ring.Fill(0, live);
        }
        if (!m_zerosOnly)
        {
            m_ring.EnsureCapacity(end - m_readOffset, live);
            m_ring.Write(start - m_readOffset, freshBytes, end - start);
        }
        m_storedEnd = std::max(m_storedEnd, end);
        if (start == m_contiguousEnd)
        {
            fresh = end - start;
            m_contiguousEnd = end;
            // Absorb the islands the new data reaches (or overlaps).
            auto it = m_islands.begin();
            while (it != m_islands.end() && it->first <= m_contiguousEnd)
            {
                fresh -= std::min(it->second, end) > it->first
                             ? std::min(it->second, end) - it->first
                             : 0;
                m_contiguousEnd = std::max(m_contiguousEnd, it->second);
                it = m_islands.erase(it);
            }
        }
        else
        {
            fresh = QuicIntervalAdd(m_islands, start, end);
        }
    }
    m_duplicateBytes += len - fresh;
    return true;
}

bool
QuicStreamRxBuffer::Insert(uint64_t offset,
                           Ptr<const Packet> p,
                           bool fin,
                           QuicTransportErrorCode& error)
{
    NS_ABORT_MSG_IF(!p, "QuicStreamRxBuffer::Insert: null packet");
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), p->GetSize());
    return Insert(offset, bytes.data(), bytes.size(), fin, error);
}

bool
QuicStreamRxBuffer::OnReset(uint64_t finalSize, QuicTransportErrorCode& error)
{
    NS_LOG_FUNCTION(this << finalSize);
    if (finalSize > kMaxStreamOffset)
    {
        error = QuicTransportErrorCode::FRAME_ENCODING_ERROR;
        return false;
    }
    // RFC 9000 §4.5: a RESET_STREAM cannot change a known final size nor put
    // it below the data received.
    if (((m_finReceived || m_reset) && finalSize != m_finalSize) || finalSize < m_highestReceived)
    {
        NS_LOG_LOGIC("RESET_STREAM final size " << finalSize << " conflicts (known " << m_finalSize
                                                << ", received up to " << m_highestReceived << ")");
        error = QuicTransportErrorCode::FINAL_SIZE_ERROR;
        return false;
    }
    m_reset = true;
    m_finalSize = finalSize;
    m_highestReceived = finalSize;
    m_ring.Clear();
    m_islands.clear();
    m_contiguousEnd = m_readOffset;
    m_storedEnd = m_readOffset;
    return true;
}

uint64_t
QuicStreamRxBuffer::GetReadableBytes() const
{
    return m_contiguousEnd - m_readOffset;
}

void
QuicStreamRxBuffer::Consume(uint64_t n)
{
    m_ring.Advance(n);
    m_readOffset += n;
    if (m_readOffset == m_storedEnd)
    {
        if (m_finReceived && m_readOffset == m_finalSize)
        {
            m_ring.Clear(); // nothing more can arrive
            return;
        }
    }
    m_ring.MaybeShrink(m_storedEnd - m_readOffset);
}

uint64_t
QuicStreamRxBuffer::Read(uint8_t* out, uint64_t max)
{
    NS_LOG_FUNCTION(this << max);
    uint64_t n = std::min(max, GetReadableBytes());
    if (n == 0)
    {
        return 0;
    }
    NS_ABORT_MSG_IF(out == nullptr, "QuicStreamRxBuffer::Read: null destination");
    if (m_zerosOnly)
    {
        std::memset(out, 0, n);
    }
    else
    {
        m_ring.Read(0, out, n);
    }
    Consume(n);
    return n;
}

Ptr<Packet>
QuicStreamRxBuffer::Extract(uint64_t max)
{
    NS_LOG_FUNCTION(this << max);
    uint64_t n = std::min(
        {max, GetReadableBytes(), static_cast<uint64_t>(std::numeric_limits<uint32_t>::max())});
    if (n == 0)
    {
        return Create<Packet>();
    }
    // One copy, ring to packet (no intermediate vector): this runs for every read.
    Ptr<Packet> p = m_zerosOnly ? Create<Packet>(static_cast<uint32_t>(n))
                                : m_ring.ReadPacket(static_cast<uint32_t>(n));
    Consume(n);
    return p;
}

bool
QuicStreamRxBuffer::IsFinReceived() const
{
    return m_finReceived;
}

bool
QuicStreamRxBuffer::IsFinRead() const
{
    return m_finReceived && !m_reset && m_readOffset == m_finalSize;
}

bool
QuicStreamRxBuffer::IsReset() const
{
    return m_reset;
}

uint64_t
QuicStreamRxBuffer::GetFinalSize() const
{
    return m_finalSize;
}

uint64_t
QuicStreamRxBuffer::GetHighestReceivedOffset() const
{
    return m_highestReceived;
}

uint64_t
QuicStreamRxBuffer::GetReadOffset() const
{
    return m_readOffset;
}

uint64_t
QuicStreamRxBuffer::GetContiguousOffset() const
{
    return m_contiguousEnd;
}

uint64_t
QuicStreamRxBuffer::GetBufferedBytes() const
{
    return m_storedEnd > m_readOffset ? m_storedEnd - m_readOffset : 0;
}

uint64_t
QuicStreamRxBuffer::GetAllocatedBytes() const
{
    return m_ring.GetCapacity();
}

uint64_t
QuicStreamRxBuffer::GetGapCount() const
{
    return m_islands.size();
}

uint64_t
QuicStreamRxBuffer::GetDuplicateBytes() const
{
    return m_duplicateBytes;
}

} // namespace ns3

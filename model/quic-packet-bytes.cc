/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-bytes.h"

#include "ns3/packet.h"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(QuicRawBytesHeader);
NS_OBJECT_ENSURE_REGISTERED(QuicRawBytesTrailer);

namespace
{

/// Zero runs shorter than this are left in the buffer: a virtual area saves a copy of
/// its bytes at each header addition, but costs a header, a trailer and their metadata.
constexpr uint32_t kMinVirtualRun = 256;

/**
 * \param data the bytes
 * \param from where a run of zeros starts
 * \param size their number
 * \return the index of the first non-zero byte at or after from (size if none)
 */
inline uint32_t
ZeroRunEnd(const uint8_t* data, uint32_t from, uint32_t size)
{
    uint32_t j = from;
#ifdef __SSE2__
    // 64 bytes per step: most of a datagram's stream data is one long run.
    const __m128i zero = _mm_setzero_si128();
    while (j + 64 <= size)
    {
        __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + j));
        __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + j + 16));
        __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + j + 32));
        __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + j + 48));
        __m128i any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(any, zero)) != 0xFFFF)
        {
            break;
        }
        j += 64;
    }
#endif
    while (j + 8 <= size)
    {
        uint64_t w;
        std::memcpy(&w, data + j, sizeof(w));
        if (w != 0)
        {
            break;
        }
        j += 8;
    }
    while (j < size && data[j] == 0)
    {
        ++j;
    }
    return j;
}

} // namespace

bool
QuicIsAllZero(const uint8_t* data, uint64_t len)
{
    // ZeroRunEnd scans 32-bit sizes; a longer array is scanned in parts.
    while (len > 0)
    {
        auto part = static_cast<uint32_t>(std::min<uint64_t>(len, UINT32_MAX));
        if (ZeroRunEnd(data, 0, part) != part)
        {
            return false;
        }
        data += part;
        len -= part;
    }
    return true;
}

QuicRawBytes::QuicRawBytes(const uint8_t* data, uint32_t size)
    : m_data(data),
      m_size(size)
{
}

uint32_t
QuicRawBytes::GetSize() const
{
    return m_size;
}

void
QuicRawBytes::Write(Buffer::Iterator it) const
{
    it.Write(m_owned.empty() ? m_data : m_owned.data(), m_size);
}

uint32_t
QuicRawBytes::Read(Buffer::Iterator it, uint32_t size)
{
    m_owned.resize(size);
    it.Read(m_owned.data(), size);
    m_data = nullptr;
    m_size = size;
    return size;
}

TypeId
QuicRawBytesHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicRawBytesHeader")
                            .SetParent<Header>()
                            .SetGroupName("Internet")
                            .AddConstructor<QuicRawBytesHeader>();
    return tid;
}

TypeId
QuicRawBytesHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

QuicRawBytesHeader::QuicRawBytesHeader() = default;

QuicRawBytesHeader::QuicRawBytesHeader(const uint8_t* data, uint32_t size)
    : m_bytes(data, size)
{
}

uint32_t
QuicRawBytesHeader::GetSerializedSize() const
{
    return m_bytes.GetSize();
}

void
QuicRawBytesHeader::Serialize(Buffer::Iterator start) const
{
    m_bytes.Write(start);
}

uint32_t
QuicRawBytesHeader::Deserialize(Buffer::Iterator start)
{
    // Only packet printing deserializes these (the receiver copies the bytes out): the
    // whole rest of the buffer is taken as the header.
    return m_bytes.Read(start, start.GetRemainingSize());
}

uint32_t
QuicRawBytesHeader::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    return m_bytes.Read(start, end.GetDistanceFrom(start));
}

void
QuicRawBytesHeader::Print(std::ostream& os) const
{
    os << "bytes=" << m_bytes.GetSize();
}

TypeId
QuicRawBytesTrailer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicRawBytesTrailer")
                            .SetParent<Trailer>()
                            .SetGroupName("Internet")
                            .AddConstructor<QuicRawBytesTrailer>();
    return tid;
}

TypeId
QuicRawBytesTrailer::GetInstanceTypeId() const
{
    return GetTypeId();
}

QuicRawBytesTrailer::QuicRawBytesTrailer() = default;

QuicRawBytesTrailer::QuicRawBytesTrailer(const uint8_t* data, uint32_t size)
    : m_bytes(data, size)
{
}

uint32_t
QuicRawBytesTrailer::GetSerializedSize() const
{
    return m_bytes.GetSize();
}

void
QuicRawBytesTrailer::Serialize(Buffer::Iterator start) const
{
    start.Prev(m_bytes.GetSize());
    m_bytes.Write(start);
}

uint32_t
QuicRawBytesTrailer::Deserialize(Buffer::Iterator end)
{
    end.Prev(m_bytes.GetSize());
    return m_bytes.Read(end, m_bytes.GetSize());
}

uint32_t
QuicRawBytesTrailer::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    return m_bytes.Read(start, end.GetDistanceFrom(start));
}

void
QuicRawBytesTrailer::Print(std::ostream& os) const
{
    os << "bytes=" << m_bytes.GetSize();
}

Ptr<Packet>
QuicMakePacket(const uint8_t* data, uint32_t size)
{
    // The longest run of zeros.
    uint32_t bestStart = 0;
    uint32_t bestLen = 0;
    uint32_t i = 0;
    while (i < size)
    {
        const void* z = std::memchr(data + i, 0, size - i);
        if (!z)
        {
            break;
        }
        uint32_t start = static_cast<uint32_t>(static_cast<const uint8_t*>(z) - data);
        uint32_t j = ZeroRunEnd(data, start + 1, size);
        if (j - start > bestLen)
        {
            bestStart = start;
            bestLen = j - start;
        }
        i = j;
    }
    uint32_t tail = size - bestStart - bestLen;
    // ns-3.37's Buffer::AddAtEnd(const Buffer&) corrupts memory when the appended buffer
    // starts with its zero area and has bytes after it (Packet::AddAtEnd, used by
    // applications and IP reassembly): such a packet keeps its bytes real.
    if (bestLen < kMinVirtualRun || (bestStart == 0 && tail > 0))
    {
        return Create<Packet>(data, size);
    }
    Ptr<Packet> p = Create<Packet>(bestLen);
    if (bestStart > 0)
    {
        p->AddHeader(QuicRawBytesHeader(data, bestStart));
    }
    if (tail > 0)
    {
        p->AddTrailer(QuicRawBytesTrailer(data + bestStart + bestLen, tail));
    }
    return p;
}

} // namespace ns3

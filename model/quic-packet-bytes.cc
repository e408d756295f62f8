/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-bytes.h"

#include "ns3/packet.h"

#include <cstring>

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
 * \param p 32 bytes
 * \return true if all are zero
 */
inline bool
AllZero32(const uint8_t* p)
{
    uint64_t w[4];
    std::memcpy(w, p, sizeof(w));
    return (w[0] | w[1] | w[2] | w[3]) == 0;
}

} // namespace

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
    : m_data(data),
      m_size(size)
{
}

uint32_t
QuicRawBytesHeader::GetSerializedSize() const
{
    return m_size;
}

void
QuicRawBytesHeader::Serialize(Buffer::Iterator start) const
{
    start.Write(m_data, m_size);
}

uint32_t
QuicRawBytesHeader::Deserialize(Buffer::Iterator start)
{
    // Only packet printing deserializes these (the receiver copies the bytes out): the
    // whole rest of the buffer is taken as the header.
    m_owned.resize(start.GetRemainingSize());
    start.Read(m_owned.data(), m_owned.size());
    m_data = m_owned.data();
    m_size = static_cast<uint32_t>(m_owned.size());
    return m_size;
}

uint32_t
QuicRawBytesHeader::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    m_owned.resize(end.GetDistanceFrom(start));
    start.Read(m_owned.data(), m_owned.size());
    m_data = m_owned.data();
    m_size = static_cast<uint32_t>(m_owned.size());
    return m_size;
}

void
QuicRawBytesHeader::Print(std::ostream& os) const
{
    os << "bytes=" << m_size;
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
    : m_data(data),
      m_size(size)
{
}

uint32_t
QuicRawBytesTrailer::GetSerializedSize() const
{
    return m_size;
}

void
QuicRawBytesTrailer::Serialize(Buffer::Iterator start) const
{
    start.Prev(m_size);
    start.Write(m_data, m_size);
}

uint32_t
QuicRawBytesTrailer::Deserialize(Buffer::Iterator end)
{
    m_owned.resize(m_size);
    end.Prev(m_size);
    end.Read(m_owned.data(), m_size);
    m_data = m_owned.data();
    return m_size;
}

uint32_t
QuicRawBytesTrailer::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    m_owned.resize(end.GetDistanceFrom(start));
    start.Read(m_owned.data(), m_owned.size());
    m_data = m_owned.data();
    m_size = static_cast<uint32_t>(m_owned.size());
    return m_size;
}

void
QuicRawBytesTrailer::Print(std::ostream& os) const
{
    os << "bytes=" << m_size;
}

Ptr<Packet>
QuicMakePacket(const uint8_t* data, uint32_t size)
{
    // The longest run of zeros, found 32 bytes at a time where it is long.
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
        uint32_t j = start + 1;
        while (j + 32 <= size && AllZero32(data + j))
        {
            j += 32;
        }
        while (j < size && data[j] == 0)
        {
            ++j;
        }
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

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-byte-writer.h"

#include "quic-varint.h"

#include "ns3/abort.h"

namespace ns3
{

QuicByteWriter::QuicByteWriter(std::vector<uint8_t>& out)
    : m_out(out)
{
}

void
QuicByteWriter::WriteU8(uint8_t value)
{
    m_out.push_back(value);
}

void
QuicByteWriter::WriteUint(uint64_t value, size_t length)
{
    NS_ABORT_MSG_IF(length < 1 || length > 8,
                    "QuicByteWriter::WriteUint: length " << length << " is not 1..8");
    for (size_t i = length; i > 0; --i)
    {
        m_out.push_back(static_cast<uint8_t>(value >> (8 * (i - 1))));
    }
}

void
QuicByteWriter::WriteU16(uint16_t value)
{
    WriteUint(value, 2);
}

void
QuicByteWriter::WriteU32(uint32_t value)
{
    WriteUint(value, 4);
}

void
QuicByteWriter::WriteU64(uint64_t value)
{
    WriteUint(value, 8);
}

void
QuicByteWriter::WriteVarInt(uint64_t value)
{
    // RFC 9000 §16, the encoding of QuicVarInt::Encode written in place: this runs for
    // every field of every frame sent, and the out-of-line encoder plus a copy cost more
    // than the bytes themselves.
    uint8_t n = QuicVarInt::GetEncodedSize(value); // aborts above 2^62-1
    static constexpr uint8_t kPrefix[9] = {0, 0x00, 0x40, 0, 0x80, 0, 0, 0, 0xc0};
    m_out.push_back(static_cast<uint8_t>(kPrefix[n] | (value >> (8 * (n - 1)))));
    for (int i = n - 2; i >= 0; --i)
    {
        m_out.push_back(static_cast<uint8_t>(value >> (8 * i)));
    }
}

void
QuicByteWriter::WriteVarInt(uint64_t value, uint8_t length)
{
    uint8_t bytes[QuicVarInt::kMaxEncodedSize];
    uint8_t n = QuicVarInt::EncodeWithLength(value, length, bytes);
    for (uint8_t i = 0; i < n; ++i)
    {
        m_out.push_back(bytes[i]);
    }
}

void
QuicByteWriter::WriteBytes(const uint8_t* data, size_t length)
{
    if (length > 0)
    {
        m_out.insert(m_out.end(), data, data + length);
    }
}

uint8_t*
QuicByteWriter::Extend(size_t length)
{
    std::size_t pos = m_out.size();
    m_out.resize(pos + length);
    return m_out.data() + pos;
}

void
QuicByteWriter::WriteBytes(const std::vector<uint8_t>& data)
{
    m_out.insert(m_out.end(), data.begin(), data.end());
}

void
QuicByteWriter::WriteBytes(const std::string& data)
{
    m_out.insert(m_out.end(), data.begin(), data.end());
}

void
QuicByteWriter::WriteRepeated(uint8_t value, size_t length)
{
    m_out.insert(m_out.end(), length, value);
}

size_t
QuicByteWriter::Size() const
{
    return m_out.size();
}

QuicIteratorWriter::QuicIteratorWriter(Buffer::Iterator& it)
    : m_it(it)
{
}

void
QuicIteratorWriter::WriteU8(uint8_t value)
{
    m_it.WriteU8(value);
}

void
QuicIteratorWriter::WriteU16(uint16_t value)
{
    m_it.WriteHtonU16(value);
}

void
QuicIteratorWriter::WriteU32(uint32_t value)
{
    m_it.WriteHtonU32(value);
}

void
QuicIteratorWriter::WriteU64(uint64_t value)
{
    m_it.WriteHtonU64(value);
}

void
QuicIteratorWriter::WriteUint(uint64_t value, size_t length)
{
    NS_ABORT_MSG_IF(length < 1 || length > 8,
                    "QuicIteratorWriter::WriteUint: length " << length << " is not 1..8");
    for (size_t i = length; i > 0; --i)
    {
        m_it.WriteU8(static_cast<uint8_t>(value >> (8 * (i - 1))));
    }
}

void
QuicIteratorWriter::WriteVarInt(uint64_t value)
{
    QuicVarInt::Write(m_it, value);
}

void
QuicIteratorWriter::WriteVarInt(uint64_t value, uint8_t length)
{
    uint8_t bytes[QuicVarInt::kMaxEncodedSize];
    uint8_t n = QuicVarInt::EncodeWithLength(value, length, bytes);
    m_it.Write(bytes, n);
}

void
QuicIteratorWriter::WriteBytes(const uint8_t* data, size_t length)
{
    if (length > 0)
    {
        m_it.Write(data, static_cast<uint32_t>(length));
    }
}

void
QuicIteratorWriter::WriteBytes(const std::vector<uint8_t>& data)
{
    WriteBytes(data.data(), data.size());
}

void
QuicIteratorWriter::WriteBytes(const std::string& data)
{
    WriteBytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
}

void
QuicIteratorWriter::WriteRepeated(uint8_t value, size_t length)
{
    for (size_t i = 0; i < length; ++i)
    {
        m_it.WriteU8(value);
    }
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-byte-reader.h"

#include "quic-varint.h"

#include <cstring>

namespace ns3
{

QuicByteReader::QuicByteReader(const uint8_t* data, size_t size)
    : m_data(data),
      m_size(data == nullptr ? 0 : size),
      m_pos(0)
{
}

bool
QuicByteReader::ReadU8(uint8_t& value)
{
    if (Remaining() < 1)
    {
        return false;
    }
    value = m_data[m_pos++];
    return true;
}

bool
QuicByteReader::ReadUint(size_t length, uint64_t& value)
{
    if (length < 1 || length > 8 || Remaining() < length)
    {
        return false;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < length; ++i)
    {
        v = (v << 8) | m_data[m_pos + i];
    }
    m_pos += length;
    value = v;
    return true;
}

bool
QuicByteReader::ReadU16(uint16_t& value)
{
    uint64_t v;
    if (!ReadUint(2, v))
    {
        return false;
    }
    value = static_cast<uint16_t>(v);
    return true;
}

bool
QuicByteReader::ReadU32(uint32_t& value)
{
    uint64_t v;
    if (!ReadUint(4, v))
    {
        return false;
    }
    value = static_cast<uint32_t>(v);
    return true;
}

bool
QuicByteReader::ReadU64(uint64_t& value)
{
    return ReadUint(8, value);
}

bool
QuicByteReader::ReadVarInt(uint64_t& value)
{
    uint8_t length;
    return ReadVarInt(value, length);
}

bool
QuicByteReader::ReadVarInt(uint64_t& value, uint8_t& encodedLength)
{
    size_t n = QuicVarInt::Decode(m_data + m_pos, Remaining(), value);
    if (n == 0)
    {
        return false;
    }
    m_pos += n;
    encodedLength = static_cast<uint8_t>(n);
    return true;
}

bool
QuicByteReader::ReadBytes(uint8_t* dst, uint64_t length)
{
    if (length > Remaining())
    {
        return false;
    }
    if (length > 0)
    {
        std::memcpy(dst, m_data + m_pos, static_cast<size_t>(length));
    }
    m_pos += static_cast<size_t>(length);
    return true;
}

bool
QuicByteReader::ReadBytes(std::vector<uint8_t>& dst, uint64_t length)
{
    if (length > Remaining())
    {
        return false;
    }
    dst.assign(m_data + m_pos, m_data + m_pos + static_cast<size_t>(length));
    m_pos += static_cast<size_t>(length);
    return true;
}

bool
QuicByteReader::ReadBytes(std::string& dst, uint64_t length)
{
    if (length > Remaining())
    {
        return false;
    }
    dst.assign(reinterpret_cast<const char*>(m_data + m_pos), static_cast<size_t>(length));
    m_pos += static_cast<size_t>(length);
    return true;
}

bool
QuicByteReader::Skip(uint64_t length)
{
    if (length > Remaining())
    {
        return false;
    }
    m_pos += static_cast<size_t>(length);
    return true;
}

bool
QuicByteReader::View(uint64_t length, const uint8_t*& view)
{
    if (length > Remaining())
    {
        return false;
    }
    view = m_data + m_pos;
    m_pos += static_cast<size_t>(length);
    return true;
}

bool
QuicByteReader::PeekU8(uint8_t& value) const
{
    if (Remaining() < 1)
    {
        return false;
    }
    value = m_data[m_pos];
    return true;
}

size_t
QuicByteReader::Remaining() const
{
    return m_size - m_pos;
}

size_t
QuicByteReader::Position() const
{
    return m_pos;
}

const uint8_t*
QuicByteReader::Data() const
{
    return m_data;
}

size_t
QuicByteReader::Size() const
{
    return m_size;
}

} // namespace ns3

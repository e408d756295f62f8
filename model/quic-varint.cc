/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-varint.h"

#include "ns3/abort.h"

namespace ns3
{

uint8_t
QuicVarInt::Encode(uint64_t value, uint8_t* out)
{
    return EncodeWithLength(value, GetEncodedSize(value), out);
}

uint8_t
QuicVarInt::EncodeWithLength(uint64_t value, uint8_t length, uint8_t* out)
{
    uint8_t prefix = 0;
    switch (length)
    {
    case 1:
        prefix = 0x00;
        break;
    case 2:
        prefix = 0x40;
        break;
    case 4:
        prefix = 0x80;
        break;
    case 8:
        prefix = 0xc0;
        break;
    default:
        NS_ABORT_MSG("QuicVarInt::EncodeWithLength: length " << unsigned{length}
                                                             << " is not 1, 2, 4 or 8");
    }
    NS_ABORT_MSG_IF(GetEncodedSize(value) > length,
                    "QuicVarInt::EncodeWithLength: value " << value << " does not fit in "
                                                           << unsigned{length} << " bytes");
    for (int i = length - 1; i >= 0; --i)
    {
        out[i] = static_cast<uint8_t>(value & 0xff);
        value >>= 8;
    }
    out[0] |= prefix;
    return length;
}

void
QuicVarInt::Write(Buffer::Iterator& it, uint64_t value)
{
    uint8_t bytes[kMaxEncodedSize];
    uint8_t n = Encode(value, bytes);
    it.Write(bytes, n);
}

size_t
QuicVarInt::Decode(const uint8_t* data, size_t size, uint64_t& value)
{
    if (size == 0)
    {
        return 0;
    }
    size_t length = GetLengthFromFirstByte(data[0]);
    if (length > size)
    {
        return 0;
    }
    uint64_t v = data[0] & 0x3f;
    for (size_t i = 1; i < length; ++i)
    {
        v = (v << 8) | data[i];
    }
    value = v;
    return length;
}

bool
QuicVarInt::Read(Buffer::Iterator& it, uint64_t& value)
{
    if (it.GetRemainingSize() == 0)
    {
        return false;
    }
    Buffer::Iterator probe = it;
    uint8_t first = probe.PeekU8();
    size_t length = GetLengthFromFirstByte(first);
    if (length > it.GetRemainingSize())
    {
        return false;
    }
    uint8_t bytes[kMaxEncodedSize];
    it.Read(bytes, static_cast<uint32_t>(length));
    return Decode(bytes, length, value) == length;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-connection-id.h"

#include "ns3/abort.h"
#include "ns3/random-variable-stream.h"

#include <cstring>

namespace ns3
{

QuicConnectionId::QuicConnectionId()
    : m_data{},
      m_length(0)
{
}

QuicConnectionId::QuicConnectionId(const uint8_t* data, size_t length)
    : m_data{},
      m_length(0)
{
    NS_ABORT_MSG_IF(length > kMaxLength,
                    "QuicConnectionId: length " << length << " exceeds 20 bytes (RFC 9000 §17.2)");
    if (length > 0)
    {
        std::memcpy(m_data.data(), data, length);
    }
    m_length = static_cast<uint8_t>(length);
}

QuicConnectionId::QuicConnectionId(std::initializer_list<uint8_t> bytes)
    : QuicConnectionId(bytes.begin(), bytes.size())
{
}

QuicConnectionId
QuicConnectionId::FromUint64(uint64_t value, uint8_t length)
{
    NS_ABORT_MSG_IF(length > 8,
                    "QuicConnectionId::FromUint64: length " << unsigned{length} << " > 8");
    uint8_t bytes[8];
    for (int i = length - 1; i >= 0; --i)
    {
        bytes[i] = static_cast<uint8_t>(value & 0xff);
        value >>= 8;
    }
    return QuicConnectionId(bytes, length);
}

QuicConnectionId
QuicConnectionId::CreateRandom(Ptr<UniformRandomVariable> rng, uint8_t length)
{
    NS_ABORT_MSG_IF(!rng, "QuicConnectionId::CreateRandom: null random variable");
    NS_ABORT_MSG_IF(length > kMaxLength,
                    "QuicConnectionId::CreateRandom: length " << unsigned{length} << " exceeds 20");
    uint8_t bytes[kMaxLength];
    for (uint8_t i = 0; i < length; ++i)
    {
        bytes[i] = static_cast<uint8_t>(rng->GetInteger(0, 255));
    }
    return QuicConnectionId(bytes, length);
}

uint8_t
QuicConnectionId::GetLength() const
{
    return m_length;
}

const uint8_t*
QuicConnectionId::GetData() const
{
    return m_data.data();
}

bool
QuicConnectionId::IsEmpty() const
{
    return m_length == 0;
}

std::string
QuicConnectionId::ToString() const
{
    static const char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * m_length);
    for (uint8_t i = 0; i < m_length; ++i)
    {
        s.push_back(kHex[m_data[i] >> 4]);
        s.push_back(kHex[m_data[i] & 0x0f]);
    }
    return s;
}

bool
QuicConnectionId::operator==(const QuicConnectionId& other) const
{
    // Bytes past m_length are always zero, so the arrays compare whole.
    return m_length == other.m_length && m_data == other.m_data;
}

bool
QuicConnectionId::operator!=(const QuicConnectionId& other) const
{
    return !(*this == other);
}

bool
QuicConnectionId::operator<(const QuicConnectionId& other) const
{
    if (m_length != other.m_length)
    {
        return m_length < other.m_length;
    }
    return std::memcmp(m_data.data(), other.m_data.data(), m_length) < 0;
}

size_t
QuicConnectionId::Hash::operator()(const QuicConnectionId& cid) const
{
    uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a offset basis
    auto mix = [&h](uint8_t b) {
        h ^= b;
        h *= 0x100000001b3ULL; // FNV prime
    };
    // Length and bytes read once (one look-up per datagram received): the same value.
    const uint8_t n = cid.GetLength();
    const uint8_t* d = cid.GetData();
    mix(n);
    for (uint8_t i = 0; i < n; ++i)
    {
        mix(d[i]);
    }
    return static_cast<size_t>(h);
}

std::ostream&
operator<<(std::ostream& os, const QuicConnectionId& cid)
{
    return os << (cid.IsEmpty() ? std::string("(empty)") : cid.ToString());
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-protection.h"

#include <cstring>

namespace ns3
{

uint64_t
QuicPacketProtection::Hash(const uint8_t* data, std::size_t len)
{
    // Eight bytes per step (a multiply-xorshift mix): cheap next to the rest of a
    // packet's simulation, and any change of a byte changes the result.
    uint64_t h = 0x6a09e667f3bcc909ULL ^ len;
    std::size_t i = 0;
    for (; i + 8 <= len; i += 8)
    {
        uint64_t w;
        std::memcpy(&w, data + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    for (std::size_t k = 0; i + k < len; ++k)
    {
        tail |= uint64_t(data[i + k]) << (8 * k);
    }
    h = (h ^ tail) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 32;
    return h;
}

void
QuicPacketProtection::Seal(uint8_t* packet, std::size_t len)
{
    if (len < kTagSize)
    {
        return;
    }
    uint64_t h = Hash(packet, len - kTagSize);
    uint8_t* tag = packet + len - kTagSize;
    for (int k = 0; k < 8; ++k)
    {
        tag[k] = static_cast<uint8_t>(h >> (8 * k));
    }
    std::memset(tag + 8, 0, kTagSize - 8);
}

bool
QuicPacketProtection::Verify(const uint8_t* packet, std::size_t len)
{
    if (len < kTagSize)
    {
        return false;
    }
    uint64_t h = Hash(packet, len - kTagSize);
    const uint8_t* tag = packet + len - kTagSize;
    for (int k = 0; k < 8; ++k)
    {
        if (tag[k] != static_cast<uint8_t>(h >> (8 * k)))
        {
            return false;
        }
    }
    for (std::size_t k = 8; k < kTagSize; ++k)
    {
        if (tag[k] != 0)
        {
            return false;
        }
    }
    return true;
}

} // namespace ns3

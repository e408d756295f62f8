/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-number.h"

#include "ns3/abort.h"

namespace ns3
{

uint8_t
QuicPacketNumber::GetEncodedLength(uint64_t fullPn, std::optional<uint64_t> largestAcked)
{
    NS_ABORT_MSG_IF(fullPn > kMaxPacketNumber,
                    "QuicPacketNumber: packet number " << fullPn << " exceeds 2^62-1");
    uint64_t numUnacked;
    if (largestAcked.has_value())
    {
        NS_ABORT_MSG_IF(*largestAcked >= fullPn,
                        "QuicPacketNumber: sending packet number "
                            << fullPn << " not above the largest acknowledged " << *largestAcked);
        numUnacked = fullPn - *largestAcked;
    }
    else
    {
        numUnacked = fullPn + 1;
    }
    // Appendix A.2: min_bits = log2(num_unacked) + 1, num_bytes = ceil(min_bits / 8).
    // In integers: the smallest n with num_unacked <= 2^(8n - 1).
    for (uint8_t n = 1; n <= 4; ++n)
    {
        if (numUnacked <= (uint64_t{1} << (8 * n - 1)))
        {
            return n;
        }
    }
    NS_ABORT_MSG("QuicPacketNumber: " << numUnacked
                                      << " packets unacknowledged, more than a 4-byte packet "
                                         "number can represent (RFC 9000 §17.1)");
    return 4;
}

uint32_t
QuicPacketNumber::Truncate(uint64_t fullPn, uint8_t length)
{
    NS_ABORT_MSG_IF(length < 1 || length > 4,
                    "QuicPacketNumber: length " << unsigned{length} << " is not 1..4");
    return static_cast<uint32_t>(fullPn & ((uint64_t{1} << (8 * length)) - 1));
}

uint8_t
QuicPacketNumber::Encode(uint64_t fullPn, uint8_t length, uint8_t* out)
{
    uint32_t truncated = Truncate(fullPn, length);
    for (int i = length - 1; i >= 0; --i)
    {
        out[i] = static_cast<uint8_t>(truncated & 0xff);
        truncated >>= 8;
    }
    return length;
}

uint64_t
QuicPacketNumber::Decode(std::optional<uint64_t> largestPn, uint64_t truncatedPn, uint8_t pnBits)
{
    NS_ABORT_MSG_IF(pnBits != 8 && pnBits != 16 && pnBits != 24 && pnBits != 32,
                    "QuicPacketNumber::Decode: pnBits " << unsigned{pnBits}
                                                        << " is not 8, 16, 24 or 32");
    // Appendix A.3, in unsigned arithmetic: "a <= b - c" is written "a + c <= b"
    // so that nothing wraps around 0.
    uint64_t expected = largestPn.has_value() ? *largestPn + 1 : 0;
    uint64_t win = uint64_t{1} << pnBits;
    uint64_t hwin = win / 2;
    uint64_t mask = win - 1;
    uint64_t candidate = (expected & ~mask) | (truncatedPn & mask);
    if (candidate + hwin <= expected && candidate < (uint64_t{1} << 62) - win)
    {
        return candidate + win;
    }
    if (candidate > expected + hwin && candidate >= win)
    {
        return candidate - win;
    }
    return candidate;
}

} // namespace ns3

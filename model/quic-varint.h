/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_VARINT_H
#define QUIC_VARINT_H

#include "ns3/abort.h"
#include "ns3/buffer.h"

#include <cstddef>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup quic
 * \brief QUIC variable-length integers (RFC 9000 §16).
 *
 * The two most significant bits of the first byte give the encoded length
 * (00: 1 byte, 01: 2, 10: 4, 11: 8); the remaining bits hold the value in
 * network byte order, so values up to 2^62-1 can be encoded.
 *
 * Encoders use the shortest encoding unless a length is forced; decoders accept
 * any encoding, including non-minimal ones, as RFC 9000 §16 allows (frame types
 * are the exception, see QuicSubheader). Nothing here allocates.
 */
class QuicVarInt
{
  public:
    /// Largest encodable value, 2^62-1.
    static constexpr uint64_t kMaxValue = (uint64_t{1} << 62) - 1;
    /// Largest encoded size in bytes.
    static constexpr size_t kMaxEncodedSize = 8;

    /**
     * \brief Number of bytes of the minimal encoding of a value.
     *
     * Encoding a value above kMaxValue is a programming error (NS_ABORT_MSG).
     * \param value the value
     * \return 1, 2, 4 or 8
     */
    static inline uint8_t GetEncodedSize(uint64_t value);

    /**
     * \brief Encoded length announced by the first byte of an encoding.
     * \param firstByte the first byte
     * \return 1, 2, 4 or 8
     */
    static inline uint8_t GetLengthFromFirstByte(uint8_t firstByte);

    /**
     * \brief Write the minimal encoding of a value.
     * \param value the value (at most kMaxValue, else NS_ABORT_MSG)
     * \param out where to write; room for GetEncodedSize(value) bytes
     * \return the number of bytes written
     */
    static uint8_t Encode(uint64_t value, uint8_t* out);

    /**
     * \brief Write a value with a given (possibly non-minimal) encoded length.
     *
     * Useful for fields whose size is fixed before their value is known, e.g.
     * a 2-byte Length field in a long header. A length that is not 1, 2, 4 or 8,
     * or too short for the value, is a programming error (NS_ABORT_MSG).
     * \param value the value
     * \param length the encoded length: 1, 2, 4 or 8
     * \param out where to write; room for length bytes
     * \return length
     */
    static uint8_t EncodeWithLength(uint64_t value, uint8_t length, uint8_t* out);

    /**
     * \brief Write the minimal encoding of a value through a Buffer::Iterator.
     * \param it the iterator, advanced past the encoding
     * \param value the value (at most kMaxValue, else NS_ABORT_MSG)
     */
    static void Write(Buffer::Iterator& it, uint64_t value);

    /**
     * \brief Decode one variable-length integer.
     * \param data the bytes
     * \param size how many bytes may be read
     * \param value the decoded value (unchanged on failure)
     * \return the number of bytes consumed, or 0 if the encoding is truncated
     */
    static size_t Decode(const uint8_t* data, size_t size, uint64_t& value);

    /**
     * \brief Decode one variable-length integer from a Buffer::Iterator, safely:
     * the iterator's remaining size is checked before each read.
     * \param it the iterator, advanced past the encoding on success only
     * \param value the decoded value
     * \return false if the encoding is truncated
     */
    static bool Read(Buffer::Iterator& it, uint64_t& value);
};

uint8_t
QuicVarInt::GetLengthFromFirstByte(uint8_t firstByte)
{
    return static_cast<uint8_t>(1U << (firstByte >> 6));
}

uint8_t
QuicVarInt::GetEncodedSize(uint64_t value)
{
    if (value < (uint64_t{1} << 6))
    {
        return 1;
    }
    if (value < (uint64_t{1} << 14))
    {
        return 2;
    }
    if (value < (uint64_t{1} << 30))
    {
        return 4;
    }
    NS_ABORT_MSG_IF(value > kMaxValue,
                    "QuicVarInt: value " << value << " exceeds 2^62-1 and cannot be encoded "
                                         << "(RFC 9000 §16); check the caller's value");
    return 8;
}

} // namespace ns3

#endif /* QUIC_VARINT_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_BYTE_WRITER_H
#define QUIC_BYTE_WRITER_H

#include "ns3/buffer.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * \brief Appends wire-format bytes to a std::vector<uint8_t>.
 *
 * The writer appends to a vector owned by the caller, so one vector can be
 * reused (reserve() once) for many packets. Multi-byte integers are written in
 * network byte order; varints (RFC 9000 §16) with their minimal encoding unless
 * a length is forced. Writing a varint above 2^62-1 is a programming error
 * (NS_ABORT_MSG).
 */
class QuicByteWriter
{
  public:
    /**
     * \brief Append to a vector.
     * \param out the vector; it must outlive the writer
     */
    explicit QuicByteWriter(std::vector<uint8_t>& out);

    /**
     * \brief Append one byte.
     * \param value the byte
     */
    void WriteU8(uint8_t value);
    /**
     * \brief Append a 16-bit integer in network byte order.
     * \param value the integer
     */
    void WriteU16(uint16_t value);
    /**
     * \brief Append a 32-bit integer in network byte order.
     * \param value the integer
     */
    void WriteU32(uint32_t value);
    /**
     * \brief Append a 64-bit integer in network byte order.
     * \param value the integer
     */
    void WriteU64(uint64_t value);
    /**
     * \brief Append the low `length` bytes of an integer in network byte order
     * (e.g. a truncated packet number, RFC 9000 §17.1).
     * \param value the integer
     * \param length 1..8 (else NS_ABORT_MSG)
     */
    void WriteUint(uint64_t value, size_t length);
    /**
     * \brief Append the minimal varint encoding of a value.
     * \param value the value, at most 2^62-1
     */
    void WriteVarInt(uint64_t value);
    /**
     * \brief Append a varint with a forced encoded length (1, 2, 4 or 8).
     * \param value the value
     * \param length the encoded length
     */
    void WriteVarInt(uint64_t value, uint8_t length);
    /**
     * \brief Append raw bytes.
     * \param data the bytes (may be nullptr when length is 0)
     * \param length the number of bytes
     */
    void WriteBytes(const uint8_t* data, size_t length);
    /**
     * \brief Append raw bytes.
     * \param data the bytes
     */
    void WriteBytes(const std::vector<uint8_t>& data);
    /**
     * \brief Append the bytes of a string (no terminator).
     * \param data the bytes
     */
    void WriteBytes(const std::string& data);
    /**
     * \brief Append `length` copies of a byte (e.g. PADDING).
     * \param value the byte
     * \param length how many
     */
    void WriteRepeated(uint8_t value, size_t length);
    /**
     * Appends length bytes for the caller to fill (saves a copy through a scratch
     * buffer when the bytes come from elsewhere, e.g. a stream's send buffer).
     * \param length the number of bytes
     * \return where to write them (valid until the next write)
     */
    uint8_t* Extend(size_t length);
    /**
     * \return the size of the underlying vector
     */
    size_t Size() const;

  private:
    std::vector<uint8_t>& m_out; //!< where bytes are appended
};

/**
 * \ingroup quic
 * \brief The QuicByteWriter interface over an ns3::Buffer::Iterator.
 *
 * Lets one encoding routine (a template on its sink) write either into a
 * std::vector through QuicByteWriter or straight into a Packet's buffer from
 * Header::Serialize() through this class, without an intermediate copy. The
 * caller guarantees the room (GetSerializedSize()), as for any Header.
 */
class QuicIteratorWriter
{
  public:
    /**
     * \brief Write through an iterator.
     * \param it the iterator, advanced as bytes are written; it must outlive the writer
     */
    explicit QuicIteratorWriter(Buffer::Iterator& it);

    /**
     * \brief Write one byte.
     * \param value the byte
     */
    void WriteU8(uint8_t value);
    /**
     * \brief Write a 16-bit integer in network byte order.
     * \param value the integer
     */
    void WriteU16(uint16_t value);
    /**
     * \brief Write a 32-bit integer in network byte order.
     * \param value the integer
     */
    void WriteU32(uint32_t value);
    /**
     * \brief Write a 64-bit integer in network byte order.
     * \param value the integer
     */
    void WriteU64(uint64_t value);
    /**
     * \brief Write the low `length` bytes of an integer in network byte order.
     * \param value the integer
     * \param length 1..8 (else NS_ABORT_MSG)
     */
    void WriteUint(uint64_t value, size_t length);
    /**
     * \brief Write the minimal varint encoding of a value.
     * \param value the value, at most 2^62-1
     */
    void WriteVarInt(uint64_t value);
    /**
     * \brief Write a varint with a forced encoded length (1, 2, 4 or 8).
     * \param value the value
     * \param length the encoded length
     */
    void WriteVarInt(uint64_t value, uint8_t length);
    /**
     * \brief Write raw bytes.
     * \param data the bytes (may be nullptr when length is 0)
     * \param length the number of bytes
     */
    void WriteBytes(const uint8_t* data, size_t length);
    /**
     * \brief Write raw bytes.
     * \param data the bytes
     */
    void WriteBytes(const std::vector<uint8_t>& data);
    /**
     * \brief Write the bytes of a string (no terminator).
     * \param data the bytes
     */
    void WriteBytes(const std::string& data);
    /**
     * \brief Write `length` copies of a byte.
     * \param value the byte
     * \param length how many
     */
    void WriteRepeated(uint8_t value, size_t length);

  private:
    Buffer::Iterator& m_it; //!< where bytes are written
};

} // namespace ns3

#endif /* QUIC_BYTE_WRITER_H */

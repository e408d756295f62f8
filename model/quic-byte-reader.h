/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_BYTE_READER_H
#define QUIC_BYTE_READER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * \brief Bounds-checked reading of bytes received from the network.
 *
 * A reader is a cursor over a byte range it does not own. Every read first
 * checks that enough bytes remain and returns false otherwise, leaving the
 * cursor where it was; it never reads outside the range. Lengths are taken as
 * uint64_t (a QUIC length is a 62-bit varint) and compared with the remaining
 * size before any pointer arithmetic, so a huge length cannot wrap a pointer.
 * Multi-byte integers are in network byte order (RFC 9000 §1.3).
 */
class QuicByteReader
{
  public:
    /**
     * \brief Read from a byte range.
     * \param data the first byte (may be nullptr when size is 0)
     * \param size the number of bytes
     */
    QuicByteReader(const uint8_t* data, size_t size);

    /**
     * \brief Read one byte.
     * \param value the byte
     * \return false if no byte remains
     */
    bool ReadU8(uint8_t& value);
    /**
     * \brief Read a 16-bit integer in network byte order.
     * \param value the integer
     * \return false if fewer than 2 bytes remain
     */
    bool ReadU16(uint16_t& value);
    /**
     * \brief Read a 32-bit integer in network byte order.
     * \param value the integer
     * \return false if fewer than 4 bytes remain
     */
    bool ReadU32(uint32_t& value);
    /**
     * \brief Read a 64-bit integer in network byte order.
     * \param value the integer
     * \return false if fewer than 8 bytes remain
     */
    bool ReadU64(uint64_t& value);
    /**
     * \brief Read an unsigned integer of 1 to 8 bytes in network byte order
     * (e.g. a truncated packet number, RFC 9000 §17.1).
     * \param length the number of bytes, 1..8 (anything else fails)
     * \param value the integer
     * \return false if length is out of range or fewer bytes remain
     */
    bool ReadUint(size_t length, uint64_t& value);
    /**
     * \brief Read a variable-length integer (RFC 9000 §16); non-minimal encodings are accepted.
     * \param value the integer
     * \return false if the encoding is truncated
     */
    bool ReadVarInt(uint64_t& value);
    /**
     * \brief Read a variable-length integer and report its encoded length.
     * \param value the integer
     * \param encodedLength the number of bytes it took (1, 2, 4 or 8)
     * \return false if the encoding is truncated
     */
    bool ReadVarInt(uint64_t& value, uint8_t& encodedLength);
    /**
     * \brief Copy bytes out.
     * \param dst where to copy; room for length bytes
     * \param length the number of bytes
     * \return false if fewer bytes remain
     */
    bool ReadBytes(uint8_t* dst, uint64_t length);
    /**
     * \brief Copy bytes into a vector (replacing its content). The length is
     * checked before the vector is resized, so a forged length allocates nothing.
     * \param dst the vector
     * \param length the number of bytes
     * \return false if fewer bytes remain
     */
    bool ReadBytes(std::vector<uint8_t>& dst, uint64_t length);
    /**
     * \brief Copy bytes into a string (replacing its content), checked like ReadBytes.
     * \param dst the string
     * \param length the number of bytes
     * \return false if fewer bytes remain
     */
    bool ReadBytes(std::string& dst, uint64_t length);
    /**
     * \brief Advance without reading.
     * \param length the number of bytes
     * \return false if fewer bytes remain
     */
    bool Skip(uint64_t length);
    /**
     * \brief Take a view of the next bytes without copying them, and advance.
     * \param length the number of bytes
     * \param view set to the first of them (valid as long as the underlying range)
     * \return false if fewer bytes remain
     */
    bool View(uint64_t length, const uint8_t*& view);
    /**
     * \brief Look at the next byte without advancing.
     * \param value the byte
     * \return false if no byte remains
     */
    bool PeekU8(uint8_t& value) const;
    /**
     * \return the number of bytes not read yet
     */
    size_t Remaining() const;
    /**
     * \return the number of bytes read so far (the offset of the cursor)
     */
    size_t Position() const;
    /**
     * \return the start of the whole range
     */
    const uint8_t* Data() const;
    /**
     * \return the size of the whole range
     */
    size_t Size() const;

  private:
    const uint8_t* m_data; //!< start of the range
    size_t m_size;         //!< size of the range
    size_t m_pos;          //!< cursor, always <= m_size
};

} // namespace ns3

#endif /* QUIC_BYTE_READER_H */

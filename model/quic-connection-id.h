/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CONNECTION_ID_H
#define QUIC_CONNECTION_ID_H

#include "ns3/ptr.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>

namespace ns3
{

class UniformRandomVariable;

/**
 * \ingroup quic
 * \brief A QUIC connection ID: 0 to 20 opaque bytes (RFC 9000 §5.1, §17.2).
 *
 * A small value type (no allocation) usable as a key of ordered and unordered
 * containers. Constructing one longer than 20 bytes is a programming error
 * (NS_ABORT_MSG); decoders check the length first and report an error.
 */
class QuicConnectionId
{
  public:
    /// Largest connection ID length in QUIC version 1 (RFC 9000 §17.2).
    static constexpr uint8_t kMaxLength = 20;

    /// Hash functor for std::unordered_map and friends (FNV-1a over length and bytes).
    struct Hash
    {
        /**
         * \param cid the connection ID
         * \return its hash
         */
        size_t operator()(const QuicConnectionId& cid) const;
    };

    /**
     * \brief The zero-length connection ID.
     */
    QuicConnectionId();
    /**
     * \brief A connection ID with the given bytes.
     * \param data the bytes (may be nullptr when length is 0)
     * \param length 0..20 (else NS_ABORT_MSG)
     */
    QuicConnectionId(const uint8_t* data, size_t length);
    /**
     * \brief A connection ID with the given bytes, e.g. QuicConnectionId({0x83, 0x94}).
     * \param bytes at most 20 bytes (else NS_ABORT_MSG)
     */
    QuicConnectionId(std::initializer_list<uint8_t> bytes);

    /**
     * \brief A connection ID holding an integer in network byte order, as the
     * 64-bit connection IDs of the earlier ns-3 QUIC module.
     * \param value the integer
     * \param length 0..8 bytes; the low `length` bytes of value are kept
     * \return the connection ID
     */
    static QuicConnectionId FromUint64(uint64_t value, uint8_t length = 8);

    /**
     * \brief A connection ID of random bytes, drawn from a random variable so that
     * it is the same for the same seed, run and stream assignment.
     * \param rng the random variable (each byte is rng->GetInteger(0, 255))
     * \param length 0..20 (else NS_ABORT_MSG)
     * \return the connection ID
     */
    static QuicConnectionId CreateRandom(Ptr<UniformRandomVariable> rng, uint8_t length);

    /**
     * \return the number of bytes, 0..20
     */
    uint8_t GetLength() const;
    /**
     * \return the bytes (GetLength() of them)
     */
    const uint8_t* GetData() const;
    /**
     * \return true for the zero-length connection ID
     */
    bool IsEmpty() const;
    /**
     * \brief The bytes in lower-case hex, e.g. "8394c8f03e515708"; "" when empty.
     * \return the hex string
     */
    std::string ToString() const;

    /**
     * \param other another connection ID
     * \return true if both have the same length and bytes
     */
    bool operator==(const QuicConnectionId& other) const;
    /**
     * \param other another connection ID
     * \return true if they differ
     */
    bool operator!=(const QuicConnectionId& other) const;
    /**
     * \brief Strict weak order: by length, then bytes.
     * \param other another connection ID
     * \return true if this one sorts first
     */
    bool operator<(const QuicConnectionId& other) const;

  private:
    std::array<uint8_t, kMaxLength> m_data; //!< the bytes; those past m_length are zero
    uint8_t m_length;                       //!< number of bytes used
};

/**
 * \ingroup quic
 * \brief Stream insertion of a connection ID in hex ("(empty)" for length 0).
 * \param os the stream
 * \param cid the connection ID
 * \return os
 */
std::ostream& operator<<(std::ostream& os, const QuicConnectionId& cid);

} // namespace ns3

#endif /* QUIC_CONNECTION_ID_H */

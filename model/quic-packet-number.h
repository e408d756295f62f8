/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PACKET_NUMBER_H
#define QUIC_PACKET_NUMBER_H

#include <cstdint>
#include <optional>

namespace ns3
{

/**
 * \ingroup quic
 * \brief Packet number truncation and recovery (RFC 9000 §17.1, Appendices A.2 and A.3).
 *
 * Packet numbers are integers in 0..2^62-1; on the wire only their 1 to 4
 * least significant bytes are sent. The sender picks a length able to represent
 * more than twice the distance to the largest acknowledged packet number; the
 * receiver recovers the full number as the one closest to the next expected.
 */
class QuicPacketNumber
{
  public:
    /// Largest packet number, 2^62-1 (RFC 9000 §12.3).
    static constexpr uint64_t kMaxPacketNumber = (uint64_t{1} << 62) - 1;

    /**
     * \brief Number of bytes to encode a packet number with (RFC 9000 Appendix A.2).
     *
     * With num_unacked = fullPn - largestAcked (or fullPn + 1 when nothing was
     * acknowledged yet), the length is the smallest n in 1..4 with
     * 8n >= log2(num_unacked) + 1. Needing more than 4 bytes (over 2^31
     * packets unacknowledged), or fullPn not above largestAcked, or a packet
     * number beyond 2^62-1, is a programming error (NS_ABORT_MSG).
     * \param fullPn the packet number being sent
     * \param largestAcked the largest packet number the peer acknowledged in this
     *        packet number space, if any
     * \return 1, 2, 3 or 4
     */
    static uint8_t GetEncodedLength(uint64_t fullPn, std::optional<uint64_t> largestAcked);

    /**
     * \brief The least significant `length` bytes of a packet number.
     * \param fullPn the packet number
     * \param length 1..4 (else NS_ABORT_MSG)
     * \return the truncated packet number
     */
    static uint32_t Truncate(uint64_t fullPn, uint8_t length);

    /**
     * \brief Write the truncated packet number in network byte order.
     * \param fullPn the packet number
     * \param length 1..4
     * \param out room for length bytes
     * \return length
     */
    static uint8_t Encode(uint64_t fullPn, uint8_t length, uint8_t* out);

    /**
     * \brief Recover a full packet number (RFC 9000 Appendix A.3).
     *
     * The result is the value closest to largestPn + 1 whose low bits equal
     * truncatedPn; candidates are never moved below 0 or above 2^62-1.
     * \param largestPn the largest packet number successfully processed in
     *        this packet number space, if any (none: 0 is expected next)
     * \param truncatedPn the truncated value read from the packet (bits above
     *        pnBits are ignored)
     * \param pnBits the truncated length in bits: 8, 16, 24 or 32 (else NS_ABORT_MSG)
     * \return the full packet number
     */
    static uint64_t Decode(std::optional<uint64_t> largestPn, uint64_t truncatedPn, uint8_t pnBits);
};

} // namespace ns3

#endif /* QUIC_PACKET_NUMBER_H */

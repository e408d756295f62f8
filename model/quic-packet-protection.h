/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * An emulated AEAD integrity check: corrupted packets are discarded, as QUIC's packet
 * protection discards them.
 */

#ifndef QUIC_PACKET_PROTECTION_H
#define QUIC_PACKET_PROTECTION_H

#include <cstddef>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup quic
 * Integrity of QUIC packets without cryptography.
 *
 * The model does not encrypt (RFC 9001 is modelled by packet sizes only), so a packet
 * whose bytes a link corrupted would be parsed as if it were intact — a real endpoint
 * discards it because its AEAD tag does not verify (RFC 9001 §5.3, RFC 9000 §12.2).
 * With QuicSocketBase's PacketProtection attribute on, the 16 tag bytes of every packet
 * carry a 64-bit keyless hash of the packet's header and payload (then zeros), and
 * packets whose hash does not match are dropped unprocessed. It protects against
 * accidents, not attackers: anyone can compute the hash.
 */
class QuicPacketProtection
{
  public:
    /// RFC 9001 §5.3: AEAD_AES_128_GCM's tag length.
    static constexpr std::size_t kTagSize = 16;

    /**
     * \param data bytes
     * \param len their number
     * \return their 64-bit hash
     */
    static uint64_t Hash(const uint8_t* data, std::size_t len);

    /**
     * Writes the tag of a packet into its last kTagSize bytes.
     * \param packet the packet, header to tag
     * \param len its length (at least kTagSize)
     */
    static void Seal(uint8_t* packet, std::size_t len);

    /**
     * \param packet the packet, header to tag
     * \param len its length
     * \return true if its tag matches its bytes
     */
    static bool Verify(const uint8_t* packet, std::size_t len);
};

} // namespace ns3

#endif /* QUIC_PACKET_PROTECTION_H */

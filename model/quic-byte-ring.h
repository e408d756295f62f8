/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_BYTE_RING_H
#define QUIC_BYTE_RING_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * \brief A growable ring of bytes addressed relative to its head: the storage
 * behind QuicStreamTxBuffer and QuicStreamRxBuffer.
 *
 * The ring does not know which of its bytes are meaningful: its owner says
 * how many bytes from the head to keep when it grows or shrinks (the "live"
 * span). Positions are relative to the head (position 0 is the head byte);
 * Advance() drops bytes at the head in O(1).
 *
 * Costs: Write/Read/Compare are at most two memcpy/memcmp calls; growth
 * doubles the capacity (amortised O(1) per byte) and shrinking halves it
 * when less than a quarter is live (amortised O(1) per byte released), so
 * the memory stays within four times the live span at most (twice in steady
 * state) and at 1 Gbps no byte is ever moved more than a constant number of
 * times.
 */
class QuicByteRing
{
  public:
    /// Below this capacity the ring never shrinks (bytes).
    static constexpr uint64_t kMinShrinkCapacity = 64 * 1024;

    /**
     * \brief An empty ring with no memory allocated.
     */
    QuicByteRing();

    /**
     * \return the number of bytes the ring can address without growing
     */
    uint64_t GetCapacity() const;

    /**
     * \brief Grow, if needed, so that positions [0, needed) are addressable,
     * keeping the first `live` bytes.
     * \param needed positions wanted
     * \param live bytes from the head to keep (at most the current capacity)
     */
    void EnsureCapacity(uint64_t needed, uint64_t live);

    /**
     * \brief Halve the capacity while less than a quarter of it is live and it
     * is above kMinShrinkCapacity.
     * \param live bytes from the head to keep
     */
    void MaybeShrink(uint64_t live);

    /**
     * \brief Drop all bytes and free the memory.
     */
    void Clear();

    /**
     * \brief Drop n bytes at the head (n at most the capacity).
     * \param n the number of bytes
     */
    void Advance(uint64_t n);

    /**
     * \brief Copy bytes in at positions [pos, pos + len), within the capacity.
     * \param pos the first position
     * \param data the bytes
     * \param len their number
     */
    void Write(uint64_t pos, const uint8_t* data, uint64_t len);

    /**
     * \brief Set positions [pos, pos + len), within the capacity, to zero.
     * \param pos the first position
     * \param len the number of bytes
     */
    void Fill(uint64_t pos, uint64_t len);

    /**
     * \brief Copy the first len bytes of a packet in at positions [pos, pos + len).
     * \param pos the first position
     * \param p the packet, at least len bytes
     * \param len the number of bytes
     */
    void WritePacket(uint64_t pos, Ptr<const Packet> p, uint32_t len);

    /**
     * \brief Copy bytes out of positions [pos, pos + len), within the capacity.
     * \param pos the first position
     * \param out the destination
     * \param len the number of bytes
     */
    void Read(uint64_t pos, uint8_t* out, uint64_t len) const;

    /**
     * \brief Compare bytes at positions [pos, pos + len) with data.
     * \param pos the first position
     * \param data the bytes to compare with
     * \param len their number
     * \return true if equal
     */
    bool Equals(uint64_t pos, const uint8_t* data, uint64_t len) const;

    /**
     * \brief A packet holding a copy of positions [0, len), within the capacity.
     *
     * Built straight from the ring's storage (one copy, no intermediate buffer) when the
     * bytes do not wrap.
     * \param len the number of bytes
     * \return the packet
     */
    Ptr<Packet> ReadPacket(uint32_t len) const;

  private:
    /**
     * \brief Reallocate to newCapacity, moving the live bytes to index 0.
     * \param newCapacity the new capacity, at least live
     * \param live the bytes to keep
     */
    void Reallocate(uint64_t newCapacity, uint64_t live);

    /**
     * \param pos a position below the capacity
     * \return its index in m_buf
     */
    uint64_t Index(uint64_t pos) const;

    // Storage is not zero-filled: every byte is written before it is read, and growing a
    // multi-megabyte send buffer would otherwise memset it each time (a visible cost in
    // the dumbbell benchmark's profile).
    std::unique_ptr<uint8_t[]> m_buf;       //!< storage, m_cap bytes
    uint64_t m_cap{0};                      //!< capacity
    uint64_t m_head;                        //!< index of position 0
    mutable std::vector<uint8_t> m_scratch; //!< ReadPacket's buffer when the bytes wrap
};

/**
 * \ingroup quic
 * \brief Insert [start, end) into a set of disjoint, non-adjacent intervals
 * (start -> end), merging what it overlaps or touches.
 *
 * Cost O((k + 1) log n) for k intervals merged; each interval is created once
 * and merged away once, hence amortised O(log n).
 * \param set the interval set
 * \param start first offset
 * \param end end offset (exclusive), above start
 * \return the number of bytes of [start, end) not covered before
 */
uint64_t QuicIntervalAdd(std::map<uint64_t, uint64_t>& set, uint64_t start, uint64_t end);

/**
 * \ingroup quic
 * \brief Remove [start, end) from a set of disjoint intervals (start -> end).
 *
 * Cost O((k + 1) log n) for k intervals touched.
 * \param set the interval set
 * \param start first offset
 * \param end end offset (exclusive)
 * \return the number of bytes removed
 */
uint64_t QuicIntervalRemove(std::map<uint64_t, uint64_t>& set, uint64_t start, uint64_t end);

} // namespace ns3

#endif /* QUIC_BYTE_RING_H */

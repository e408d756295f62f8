/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Packets sent and not yet acknowledged or declared lost, in one packet-number space.
 */

#ifndef QUIC_SENT_PACKET_MAP_H
#define QUIC_SENT_PACKET_MAP_H

#include "ns3/nstime.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

class QuicSubheader;

/**
 * \ingroup quic
 * What the sender must remember of one frame of a sent packet, to retransmit its
 * information when the packet is lost (RFC 9000 §13.3) and to tell its owner when it
 * is acknowledged.
 */
struct QuicSentFrame
{
    uint64_t type{0};     //!< frame type
    uint64_t streamId{0}; //!< stream of STREAM and stream-scoped frames; the space of CRYPTO
    uint64_t offset{0};   //!< data offset (STREAM, CRYPTO)
    uint64_t length{0};   //!< data length (STREAM, CRYPTO, DATAGRAM)
    bool fin{false};      //!< FIN bit (STREAM)
    std::shared_ptr<const QuicSubheader> control; //!< control frames, resent as they were
};

/**
 * \ingroup quic
 * One sent packet (RFC 9002 Appendix A.1.1).
 */
struct QuicSentPacket
{
    uint64_t packetNumber{0};   //!< its number
    Time timeSent;              //!< when it left
    uint32_t size{0};           //!< bytes counted in flight (UDP payload)
    bool ackEliciting{false};   //!< contains an ack-eliciting frame
    bool inFlight{false};       //!< counts towards bytes in flight
    uint64_t largestAckSent{0}; //!< largest packet number acknowledged by an ACK it carried
    bool hasAck{false};         //!< it carried an ACK frame
    uint8_t ecn{0};             //!< IP ECN codepoint it was sent with (RFC 9000 §13.4)
    // Rate-sample state at send time (for algorithms that need delivery rates).
    uint64_t delivered{0};             //!< bytes delivered when it was sent
    Time deliveredTime;                //!< time of that delivery count
    Time firstSentTime;                //!< send time of the first packet of that delivery interval
    bool isAppLimited{false};          //!< the sender was application-limited when it was sent
    std::vector<QuicSentFrame> frames; //!< what it carried
};

/**
 * \ingroup quic
 * The packets of one packet-number space that are in flight or awaiting acknowledgment.
 *
 * Packet numbers of a space only grow, so packets live in a deque indexed by
 * (packet number − number of the oldest kept packet): adding is O(1), finding a packet
 * O(1). Removed packets (acknowledged or lost) leave a hole recorded in an interval set,
 * and the front of the deque is trimmed as soon as it holds only holes. Walking the
 * packets named by an ACK range, or the outstanding packets below the largest
 * acknowledged one, skips holes interval by interval, so an ACK costs O(ranges +
 * packets newly acknowledged) and loss detection O(packets declared lost) — never a
 * scan of everything in flight (RFC 9002's pseudo-code loops over all sent packets).
 */
class QuicSentPacketMap
{
  public:
    QuicSentPacketMap() = default;

    /**
     * Records a sent packet; its number must be larger than every number added before.
     * \param packet the packet (moved in)
     */
    void Add(QuicSentPacket&& packet);

    /**
     * \param packetNumber a number
     * \return the packet if it is still outstanding, else nullptr
     */
    QuicSentPacket* Find(uint64_t packetNumber);

    /**
     * Removes an outstanding packet.
     * \param packetNumber its number
     * \param acked true if acknowledged (remembered for persistent-congestion checks),
     *        false if declared lost or abandoned
     * \return the packet, moved out
     */
    QuicSentPacket Remove(uint64_t packetNumber, bool acked);

    /**
     * Calls f(packet) for every outstanding packet in [low, high], in ascending order,
     * skipping holes without visiting them. f may remove the packet it is given.
     * \param low first number
     * \param high last number
     * \param f the visitor, returning false to stop
     */
    template <class F>
    void ForEachInRange(uint64_t low, uint64_t high, F f);

    /**
     * \param low exclusive bound
     * \param high exclusive bound
     * \return true if a packet numbered strictly between low and high was acknowledged
     */
    bool AnyAckedBetween(uint64_t low, uint64_t high) const;

    /// \return number of outstanding packets
    std::size_t GetCount() const;
    /// \return true if nothing is outstanding
    bool IsEmpty() const;
    /// \return the number of the next packet to be added (last added + 1), 0 if none yet
    uint64_t GetNextPacketNumber() const;
    /// \return the number of the oldest outstanding packet (meaningful if not empty)
    uint64_t GetLowestOutstanding() const;

    /**
     * Abandons every outstanding packet (a packet-number space is discarded, RFC 9002 §6.4).
     * \return the packets, ascending
     */
    std::vector<QuicSentPacket> Clear();

  private:
    /// Trims holes at the front of the deque.
    void TrimFront();

    /**
     * \param set an interval set (low → high, inclusive, disjoint, non-adjacent)
     * \param n a number to insert
     */
    static void Insert(std::map<uint64_t, uint64_t>& set, uint64_t n);

    /**
     * \param set an interval set
     * \param below remove everything below this
     */
    static void Prune(std::map<uint64_t, uint64_t>& set, uint64_t below);

    /// The slots, allocated at the first Add() and freed by Clear(): a std::deque allocates
    /// even when empty, and a connection discards its Initial and Handshake spaces early.
    struct Slots
    {
        std::deque<QuicSentPacket> packets; //!< slot i holds packet m_base + i (or a hole)
        std::deque<bool> present;           //!< slot i is outstanding
    };

    std::unique_ptr<Slots> m_slots;       //!< null until the first Add() and after Clear()
    uint64_t m_base{0};                   //!< number of slot 0
    uint64_t m_next{0};                   //!< next number to add
    std::size_t m_count{0};               //!< outstanding packets
    std::map<uint64_t, uint64_t> m_holes; //!< removed numbers ≥ m_base (acked or lost)
    std::map<uint64_t, uint64_t> m_acked; //!< acknowledged numbers, recent history
};

template <class F>
void
QuicSentPacketMap::ForEachInRange(uint64_t low, uint64_t high, F f)
{
    if (m_count == 0 || high < m_base || low >= m_next)
    {
        return;
    }
    uint64_t n = std::max(low, m_base);
    uint64_t last = std::min(high, m_next - 1);
    while (n <= last)
    {
        // Skip the hole containing n, if any.
        auto it = m_holes.upper_bound(n);
        if (it != m_holes.begin())
        {
            auto prev = std::prev(it);
            if (prev->first <= n && n <= prev->second)
            {
                n = prev->second + 1;
                continue;
            }
        }
        // n is outstanding (holes cover every removed number ≥ m_base).
        uint64_t nextHole = it == m_holes.end() ? last + 1 : it->first;
        uint64_t runEnd = std::min(last, nextHole - 1);
        for (; n <= runEnd; ++n)
        {
            if (n < m_base)
            {
                continue; // the front was trimmed by the visitor's removals
            }
            std::size_t idx = n - m_base;
            if (idx >= m_slots->present.size() || !m_slots->present[idx])
            {
                continue;
            }
            if (!f(m_slots->packets[idx]))
            {
                return;
            }
        }
    }
}

} // namespace ns3

#endif /* QUIC_SENT_PACKET_MAP_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Spurious loss detection: packets declared lost whose acknowledgment arrives later.
 */

#ifndef QUIC_SPURIOUS_LOSS_DETECTOR_H
#define QUIC_SPURIOUS_LOSS_DETECTOR_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>

namespace ns3
{

/**
 * \ingroup quic
 * Remembers the numbers of recently lost packets of one packet-number space, to tell
 * when an ACK covers one of them: the loss was spurious (RFC 9002 §6.1.1 — reordering or
 * a delay spike beyond the thresholds, not a drop) and its frames were retransmitted for
 * nothing.
 *
 * Lost numbers are kept as disjoint intervals, so a burst of losses costs one entry; at
 * most kMaxIntervals intervals are kept, the oldest forgotten first (an acknowledgment
 * that late is not counted). A number is reported at most once: ACK frames repeat their
 * ranges until acknowledged themselves (RFC 9000 §13.2.4).
 */
class QuicSpuriousLossDetector
{
  public:
    /// Intervals of lost numbers kept at most.
    static constexpr std::size_t kMaxIntervals = 256;

    /**
     * A packet was declared lost.
     * \param packetNumber its number
     */
    void OnPacketLost(uint64_t packetNumber);

    /**
     * An ACK range arrived: reports, once each and ascending, the lost numbers it covers.
     * \param low first acknowledged number
     * \param high last acknowledged number
     * \param f called with each spuriously lost number
     * \return how many were reported
     */
    uint64_t OnAckRange(uint64_t low, uint64_t high, const std::function<void(uint64_t)>& f);

    /// \return true if no lost number is remembered (the ACK path then costs one test)
    bool IsEmpty() const;

    /// \return lost numbers remembered
    uint64_t GetRememberedCount() const;

    /// Forgets everything (the space's keys are discarded).
    void Clear();

  private:
    std::map<uint64_t, uint64_t> m_lost; //!< lost numbers: low → high, inclusive, disjoint
};

} // namespace ns3

#endif /* QUIC_SPURIOUS_LOSS_DETECTOR_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_STREAM_RX_BUFFER_H
#define QUIC_STREAM_RX_BUFFER_H

#include "quic-byte-ring.h"
#include "quic-wire-error.h"

#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <map>

namespace ns3
{

/**
 * \ingroup quic
 * \brief The receive side of one stream: reassembly of STREAM frame data
 * into the in-order byte stream (RFC 9000 §2.2, §3.2, §4.5).
 *
 * Representation: the bytes from the read offset up to the highest byte
 * received live in a QuicByteRing at their stream position (holes hold
 * nothing meaningful); the contiguous prefix ends at a single offset and the
 * received ranges beyond it ("islands") are an interval set (std::map start
 * -> end). While every byte received is zero (BulkSend's payload, ns-3
 * zero-filled packets) nothing is stored: the ring is allocated, and the
 * zeros written into it, when the first non-zero byte arrives. An insertion costs O(len + k log n)
 * for k islands it touches (each island is created once and merged once: amortised O(len + log n));
 * a read costs O(bytes read).
 *
 * Every argument of Insert() and OnReset() comes from the peer and is
 * checked: a violation returns false with the RFC 9000 error code to close
 * the connection with, and leaves the buffer unchanged.
 *
 * Capacity: data ending more than MaxBufferSize bytes after the read offset
 * is refused with FLOW_CONTROL_ERROR. The socket's flow control check comes
 * first and should refuse such data already; this bound only guarantees the
 * memory stays bounded (at most twice MaxBufferSize) if the two disagree.
 */
class QuicStreamRxBuffer : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief An empty buffer with the default capacity.
     */
    QuicStreamRxBuffer();
    /// Destructor.
    ~QuicStreamRxBuffer() override;

    /**
     * \brief Set the capacity: the furthest data may end after the read offset.
     * \param size the capacity in bytes (at least the receive window advertised)
     */
    void SetMaxBufferSize(uint64_t size);
    /**
     * \return the capacity in bytes
     */
    uint64_t GetMaxBufferSize() const;

    /**
     * \brief Insert the data of a STREAM frame.
     *
     * Duplicates and overlaps are allowed (RFC 9000 §2.2): bytes already
     * received are ignored, but where they are still held they must equal the
     * new ones (RFC 9000 §2.2 allows PROTOCOL_VIOLATION otherwise). Errors:
     * - FINAL_SIZE_ERROR (RFC 9000 §4.5): data beyond a known final size, a FIN
     *   that changes the final size, or a FIN below the highest offset received;
     * - FRAME_ENCODING_ERROR (RFC 9000 §19.8): offset + length above 2^62-1;
     * - FLOW_CONTROL_ERROR: data ending beyond the capacity (see the class);
     * - PROTOCOL_VIOLATION: bytes that differ from those received before.
     * After OnReset() data is checked against the final size and discarded.
     * \param offset the stream offset of the first byte (peer-controlled)
     * \param data the bytes (may be null if len is 0)
     * \param len their number (peer-controlled)
     * \param fin whether the frame carries the FIN bit
     * \param error set on failure, untouched otherwise
     * \return false on a violation (nothing changed)
     */
    bool Insert(uint64_t offset,
                const uint8_t* data,
                uint64_t len,
                bool fin,
                QuicTransportErrorCode& error);

    /**
     * \brief Insert the data of a STREAM frame carried as a packet (see the other Insert()).
     * \param offset the stream offset of the first byte
     * \param p the data (its whole size)
     * \param fin the FIN bit
     * \param error set on failure
     * \return false on a violation
     */
    bool Insert(uint64_t offset, Ptr<const Packet> p, bool fin, QuicTransportErrorCode& error);

    /**
     * \brief A RESET_STREAM frame arrived (RFC 9000 §3.2, §19.4): check its
     * final size (RFC 9000 §4.5: FINAL_SIZE_ERROR if it differs from a known
     * final size or lies below the highest offset received) and discard all
     * buffered data; nothing can be read afterwards.
     * \param finalSize the Final Size field (peer-controlled)
     * \param error set on failure
     * \return false on a violation (nothing changed)
     */
    bool OnReset(uint64_t finalSize, QuicTransportErrorCode& error);

    /**
     * \return the bytes readable in order now
     */
    uint64_t GetReadableBytes() const;

    /**
     * \brief Read in-order bytes.
     * \param out destination of at least max bytes
     * \param max the most bytes wanted
     * \return the number of bytes copied (at most GetReadableBytes())
     */
    uint64_t Read(uint8_t* out, uint64_t max);

    /**
     * \brief Read in-order bytes as a packet.
     * \param max the most bytes wanted (at most 4 GiB - 1 per packet)
     * \return a packet of min(max, GetReadableBytes()) bytes (possibly empty)
     */
    Ptr<Packet> Extract(uint64_t max);

    /**
     * \return true if a frame with the FIN bit arrived (the final size is known)
     */
    bool IsFinReceived() const;
    /**
     * \return true if the FIN arrived and every byte up to the final size was read
     */
    bool IsFinRead() const;
    /**
     * \return true after OnReset()
     */
    bool IsReset() const;
    /**
     * \return the final size (meaningful if IsFinReceived() or IsReset())
     */
    uint64_t GetFinalSize() const;
    /**
     * \return the highest end offset (offset + length) of all frames received,
     *         including the final size of a RESET_STREAM
     */
    uint64_t GetHighestReceivedOffset() const;
    /**
     * \return the offset of the next byte the application reads (bytes read so far)
     */
    uint64_t GetReadOffset() const;
    /**
     * \return the end of the in-order data received (read offset + readable bytes)
     */
    uint64_t GetContiguousOffset() const;
    /**
     * \return the span held in memory: from the read offset to the end of the
     *         highest data received (holes included)
     */
    uint64_t GetBufferedBytes() const;
    /**
     * \return the memory reserved for bytes
     */
    uint64_t GetAllocatedBytes() const;
    /**
     * \return the number of out-of-order ranges waiting for a hole to fill
     */
    uint64_t GetGapCount() const;
    /**
     * \return the bytes received more than once (duplicates ignored)
     */
    uint64_t GetDuplicateBytes() const;

  private:
    /**
     * \brief Whether the bytes of [offset, offset + len) already held equal data.
     * \param offset first offset
     * \param data the new bytes
     * \param len their number
     * \return true if every overlap matches
     */
    bool OverlapMatches(uint64_t offset, const uint8_t* data, uint64_t len) const;

    /**
     * \param offset the stream offset of held bytes
     * \param data bytes to compare with them
     * \param len their number
     * \return true if the held bytes at [offset, offset + len) equal data
     */
    bool HeldEquals(uint64_t offset, const uint8_t* data, uint64_t len) const;

    /**
     * \brief Drop n bytes read by the application.
     * \param n the number of bytes, at most GetReadableBytes()
     */
    void Consume(uint64_t n);

    uint64_t m_maxBufferSize;               //!< capacity (attribute)
    QuicByteRing m_ring;                    //!< bytes; position 0 is m_readOffset
    uint64_t m_readOffset;                  //!< next offset to read
    uint64_t m_contiguousEnd;               //!< end of the in-order data
    uint64_t m_storedEnd;                   //!< end of the highest data stored in m_ring
    uint64_t m_highestReceived;             //!< highest frame end seen
    std::map<uint64_t, uint64_t> m_islands; //!< received ranges above m_contiguousEnd
    bool m_finReceived;                     //!< a FIN arrived
    bool m_reset;                           //!< RESET_STREAM arrived
    uint64_t m_finalSize;                   //!< final size, if known
    uint64_t m_duplicateBytes;              //!< statistics
    bool m_zerosOnly{true}; //!< every byte received so far is zero: m_ring holds nothing
};

} // namespace ns3

#endif /* QUIC_STREAM_RX_BUFFER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_STREAM_TX_BUFFER_H
#define QUIC_STREAM_TX_BUFFER_H

#include "quic-byte-ring.h"

#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <map>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * \brief The send side of one stream: bytes the application wrote, until the
 * peer acknowledges them (RFC 9000 §2.2, §3.1, §13.3).
 *
 * Representation: the bytes from the lowest unacknowledged offset up to the
 * last byte written live in a QuicByteRing (growing by doubling, shrinking by
 * halving; an in-order acknowledgement releases the prefix in O(1) by moving
 * the head). Bytes written as all zeros after the last stored byte (BulkSend's
 * payload, ns-3 zero-filled packets) are not stored: they are a count at the
 * tail, read back as zeros, and written into the ring only if non-zero bytes
 * follow them, so a stream that carries zeros holds no payload memory, as
 * ns-3 TCP's send buffer of zero-area packets does not. Acknowledgements above the in-order prefix
 * and ranges declared lost are two interval sets (std::map start -> end, disjoint and
 * non-adjacent). Bytes in flight are those below GetNextOffset() that are
 * neither acknowledged nor
 * lost, so they need no bookkeeping of their own.
 *
 * Retransmission follows RFC 9000 §13.3: lost *data* is sent again in new
 * frames (NextChunk() serves lost ranges first, lowest offset first), only
 * the parts not acknowledged in the meantime; a duplicate loss report, or the
 * loss of bytes already acknowledged through another copy, re-queues nothing.
 *
 * Offsets handed to OnAcked()/OnLost() come from the socket's own record of
 * the frames it sent (never from the peer's bytes), so an offset this buffer
 * never handed out is a bug of the caller and aborts.
 *
 * Capacity: at most MaxBufferSize bytes not yet acknowledged
 * (StreamSndBufSize of the socket); Add() accepts what fits.
 */
class QuicStreamTxBuffer : public Object
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
    QuicStreamTxBuffer();
    /// Destructor.
    ~QuicStreamTxBuffer() override;

    /// \name Capacity
    /// @{
    /**
     * \brief Set the capacity (bytes written and not yet acknowledged).
     *
     * Reducing it below GetBufferedBytes() drops nothing: Add() refuses data
     * until enough is acknowledged.
     * \param size the capacity in bytes
     */
    void SetMaxBufferSize(uint32_t size);
    /**
     * \return the capacity in bytes
     */
    uint32_t GetMaxBufferSize() const;
    /**
     * \return the bytes Add() would accept now (0 after Finish() or Reset())
     */
    uint32_t GetFreeSpace() const;
    /**
     * \return the bytes held: written and not released by an in-order
     *         acknowledgement (from the lowest unacknowledged offset to the
     *         end of the data)
     */
    uint32_t GetBufferedBytes() const;
    /**
     * \return the memory reserved for bytes (capacity of the sliding buffer),
     *         to check that it follows the buffered bytes
     */
    uint64_t GetAllocatedBytes() const;
    /// @}

    /// \name Writing (application side)
    /// @{
    /**
     * \brief Append bytes after the last byte written.
     *
     * Accepts up to GetFreeSpace() bytes; the caller keeps the rest and adds it
     * again later (it will go at GetWriteOffset(), right after the accepted part).
     * \param data the bytes
     * \param len their number
     * \return the number of bytes accepted (0 when full, finished or reset)
     */
    uint32_t Add(const uint8_t* data, uint32_t len);
    /**
     * \brief Append the bytes of a packet (its payload copied; see the other Add()).
     * \param p the packet
     * \return the number of bytes accepted, from the start of the packet
     */
    uint32_t Add(Ptr<const Packet> p);
    /**
     * \brief Mark the end of the stream after the last byte written (FIN).
     *
     * Further Add() calls accept nothing (RFC 9000 §3.1: after the FIN the
     * final size is fixed).
     * \return false if already finished or reset
     */
    bool Finish();
    /**
     * \return true if Finish() was called
     */
    bool IsFinished() const;
    /**
     * \return the offset the next byte written will have (total bytes accepted)
     */
    uint64_t GetWriteOffset() const;
    /// @}

    /// \name Sending
    /// @{
    /**
     * \brief Choose the next chunk to send and mark it in flight.
     *
     * Lost ranges come first, lowest offset first (they were within the flow
     * control limit when first sent, RFC 9000 §4.1, so only maxLen bounds
     * them); then new data, never past maxOffset; then a FIN alone (length 0
     * at the final size) if the FIN is due and no data goes with it.
     * \param maxLen the most data bytes the frame can carry
     * \param maxOffset the flow control limit (stream and connection): new data
     *        ends at or below it
     * \param offset the chunk's offset
     * \param len its length (0 only for a FIN alone)
     * \param fin whether the chunk carries the FIN
     * \return false if nothing can be sent under these limits
     */
    bool NextChunk(uint64_t maxLen, uint64_t maxOffset, uint64_t& offset, uint64_t& len, bool& fin);
    /**
     * \brief Copy bytes into a frame; they must be held (not yet released by
     * an in-order acknowledgement), which any chunk from NextChunk() is until
     * it is acknowledged. Anything else aborts (bug of the caller).
     * \param offset stream offset of the first byte
     * \param len number of bytes
     * \param out destination, at least len bytes
     */
    void CopyData(uint64_t offset, uint64_t len, uint8_t* out) const;
    /**
     * \brief The bytes of a chunk as a packet (a copy), for the socket's STREAM frame.
     * \param offset stream offset of the first byte
     * \param len number of bytes
     * \return a packet of len bytes
     */
    Ptr<Packet> GetData(uint64_t offset, uint64_t len) const;
    /**
     * \return true if NextChunk() would return something with unlimited room
     *         and credit: lost data, lost FIN, unsent data or an unsent FIN
     */
    bool HasPendingData() const;
    /**
     * \return true if lost data or a lost FIN waits for retransmission
     */
    bool HasLostData() const;
    /**
     * \param maxOffset flow-control bound on new data (as for NextChunk())
     * \return the length NextChunk() would return with unlimited room — lets the
     *         frame writer size a STREAM frame's header exactly before taking the chunk
     */
    uint64_t PeekChunkLength(uint64_t maxOffset) const;
    /**
     * \return the highest offset sent so far (the end of the new data sent;
     *         the stream's flow control consumption)
     */
    uint64_t GetNextOffset() const;
    /**
     * \return the bytes written and never sent
     */
    uint64_t GetUnsentBytes() const;
    /**
     * \return the bytes declared lost and not yet sent again nor acknowledged
     */
    uint64_t GetLostBytes() const;
    /// @}

    /// \name Acknowledgements and losses
    /// @{
    /**
     * \brief A frame carrying [offset, offset + len) (and the FIN if fin) was acknowledged.
     *
     * Frees the in-order acknowledged prefix; out-of-order acknowledgements are
     * remembered. Duplicates are harmless. Ignored after Reset().
     * \param offset the frame's offset
     * \param len its data length
     * \param fin whether it carried the FIN
     */
    void OnAcked(uint64_t offset, uint64_t len, bool fin);
    /**
     * \brief A frame carrying [offset, offset + len) (and the FIN if fin) was declared lost.
     *
     * Re-queues for retransmission only the bytes neither acknowledged nor
     * already waiting for retransmission. Ignored after Reset().
     * \param offset the frame's offset
     * \param len its data length
     * \param fin whether it carried the FIN
     */
    void OnLost(uint64_t offset, uint64_t len, bool fin);
    /**
     * \return true if the stream is finished and every byte and the FIN are
     *         acknowledged (the "Data Recvd" state, RFC 9000 §3.1); false after Reset()
     */
    bool IsAllAcked() const;
    /**
     * \return true if the FIN was acknowledged
     */
    bool IsFinAcked() const;
    /**
     * \return the lowest offset not acknowledged (the start of the held bytes)
     */
    uint64_t GetAckedOffset() const;
    /// @}

    /// \name Reset (RESET_STREAM, RFC 9000 §3.1, §19.4)
    /// @{
    /**
     * \brief Abandon the stream: drop every byte and all bookkeeping, remember
     * the final size (the highest offset sent, the flow control credit consumed,
     * RFC 9000 §4.5). Nothing is sent or accepted afterwards.
     * \return the final size to put in RESET_STREAM
     */
    uint64_t Reset();
    /**
     * \return true after Reset()
     */
    bool IsReset() const;
    /**
     * \return the final size: GetWriteOffset() once finished, the highest
     *         offset sent once reset; otherwise the bytes written so far
     */
    uint64_t GetFinalSize() const;
    /// @}

    /// \name Statistics
    /// @{
    /**
     * \return bytes handed out again by NextChunk() after a loss
     */
    uint64_t GetBytesRetransmitted() const;
    /**
     * \return bytes newly declared lost (each byte counted once per loss episode)
     */
    uint64_t GetBytesLost() const;
    /**
     * \return distinct bytes acknowledged
     */
    uint64_t GetBytesAcked() const;
    /**
     * \return FIN-only or FIN-carrying chunks handed out again after the FIN was lost
     */
    uint32_t GetFinRetransmissions() const;
    /// @}

  private:
    /**
     * \brief Write the unstored zero tail into the ring, with room for more bytes after it.
     * \param more bytes about to be written after the tail
     */
    void StoreZeroTail(uint32_t more);

    /**
     * \brief Drop the acknowledged prefix up to newBase.
     * \param newBase the new lowest unacknowledged offset
     */
    void ReleaseTo(uint64_t newBase);
    /**
     * \brief Add the parts of [start, end) not acknowledged to the lost set.
     * \param start first offset
     * \param end end offset (exclusive)
     */
    void AddLostExceptAcked(uint64_t start, uint64_t end);

    uint32_t m_maxBufferSize; //!< capacity (attribute)

    QuicByteRing m_ring;    //!< stored bytes [m_base, m_zeroFrom); position 0 is m_base
    uint64_t m_base;        //!< lowest unacknowledged offset
    uint64_t m_writeOffset; //!< end of the data written
    uint64_t m_zeroFrom;    //!< [m_zeroFrom, m_writeOffset) are zeros, not stored
    uint64_t m_sentOffset;  //!< end of the new data sent

    std::map<uint64_t, uint64_t> m_acked; //!< acked ranges above m_base (start -> end)
    std::map<uint64_t, uint64_t> m_lost;  //!< ranges waiting for retransmission
    uint64_t m_lostBytes;                 //!< total length of m_lost

    bool m_finRequested;  //!< Finish() called
    bool m_finSent;       //!< the FIN was handed out once
    bool m_finLost;       //!< the FIN waits for retransmission
    bool m_finAcked;      //!< the FIN was acknowledged
    bool m_reset;         //!< Reset() called
    uint64_t m_finalSize; //!< final size after Finish() or Reset()

    uint64_t m_bytesRetransmitted; //!< statistics
    uint64_t m_bytesLost;          //!< statistics
    uint64_t m_bytesAcked;         //!< statistics
    uint32_t m_finRetransmissions; //!< statistics
};

} // namespace ns3

#endif /* QUIC_STREAM_TX_BUFFER_H */

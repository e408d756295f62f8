/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_SOCKET_RX_BUFFER_H
#define QUIC_SOCKET_RX_BUFFER_H

#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <deque>

namespace ns3
{

/**
 * \ingroup quic
 * \brief In-order stream data ready for the application, across all the
 * streams of a connection, bounded by SocketRcvBufSize.
 *
 * A FIFO of chunks, each tagged with its stream: the socket adds the bytes
 * a stream's reassembly buffer released in order, the application extracts
 * them in arrival order. Add() is all-or-nothing: a chunk that would exceed
 * the capacity is refused, the caller leaves the bytes in the stream buffer
 * (where they keep counting against stream flow control) and retries after
 * the application reads. Every operation is O(1) (a split costs one
 * Packet::CreateFragment).
 */
class QuicSocketRxBuffer : public Object
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
    QuicSocketRxBuffer();
    /// Destructor.
    ~QuicSocketRxBuffer() override;

    /**
     * \brief Set the capacity (SocketRcvBufSize). Reducing it below
     * GetAvailable() drops nothing; Add() refuses until enough is read.
     * \param size the capacity in bytes
     */
    void SetMaxBufferSize(uint32_t size);
    /**
     * \return the capacity in bytes
     */
    uint32_t GetMaxBufferSize() const;

    /**
     * \brief Append a chunk of in-order data of a stream.
     *
     * Empty chunks are accepted and dropped (nothing to deliver). The buffer
     * keeps its own reference to the packet and never modifies it.
     * \param streamId the stream the bytes belong to
     * \param data the bytes
     * \return false (nothing stored) if the chunk does not fit in GetFreeSpace()
     */
    bool Add(uint64_t streamId, Ptr<Packet> data);

    /**
     * \brief Take bytes from the head chunk, in FIFO order.
     *
     * A head chunk larger than maxSize is split: the first maxSize bytes are
     * returned, the rest stays at the head. Bytes of different streams are
     * never mixed; consecutive chunks are not merged (one chunk per call).
     * \param maxSize the most bytes wanted
     * \param streamId set to the stream of the bytes returned
     * \return the bytes, or nullptr if the buffer is empty or maxSize is 0
     */
    Ptr<Packet> Extract(uint32_t maxSize, uint64_t& streamId);

    /**
     * \param streamId set to the stream of the head chunk, if any
     * \return true if a chunk is waiting (then streamId is set)
     */
    bool PeekStream(uint64_t& streamId) const;

    /**
     * \return the bytes ready for the application
     */
    uint32_t GetAvailable() const;
    /**
     * \return the bytes Add() would accept now
     */
    uint32_t GetFreeSpace() const;
    /**
     * \return the number of chunks waiting
     */
    uint32_t GetChunkCount() const;
    /**
     * \return true if no byte is waiting
     */
    bool IsEmpty() const;

  private:
    /// A chunk of one stream's in-order data.
    struct Chunk
    {
        uint64_t streamId; //!< the stream
        Ptr<Packet> data;  //!< the bytes
    };

    uint32_t m_maxBufferSize;   //!< capacity (attribute)
    uint32_t m_size;            //!< bytes held
    std::deque<Chunk> m_chunks; //!< FIFO of chunks
};

} // namespace ns3

#endif /* QUIC_SOCKET_RX_BUFFER_H */

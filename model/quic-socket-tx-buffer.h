/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_SOCKET_TX_BUFFER_H
#define QUIC_SOCKET_TX_BUFFER_H

#include "quic-subheader.h"

#include "ns3/object.h"

#include <cstdint>
#include <list>
#include <map>
#include <set>
#include <utility>

namespace ns3
{

/**
 * \ingroup quic
 * \brief The socket-level send buffer: the bytes the application handed to
 * the socket across all streams (bounded by SocketSndBufSize), and the queue
 * of control frames waiting to be packed into packets.
 *
 * **Byte accounting.** Stream data itself lives in each stream's
 * QuicStreamTxBuffer; this class only counts it against the socket-wide
 * capacity: Reserve() when the application's bytes enter a stream buffer,
 * Release() when they are acknowledged (or dropped by a reset).
 *
 * **Control frames.** Frames without data (MAX_DATA, MAX_STREAM_DATA,
 * RESET_STREAM, NEW_CONNECTION_ID, PING, HANDSHAKE_DONE, ...) wait here as
 * QuicSubheader values. Frames re-queued after a loss (RFC 9000 §13.3) go
 * before new ones; within each class the order is FIFO. Peek()/Pop() return
 * the first frame, in that order, whose encoding fits in the room left in the
 * packet being built.
 *
 * **Stale frames.** A frame carrying a limit (MAX_DATA, MAX_STREAM_DATA,
 * MAX_STREAMS, DATA_BLOCKED, STREAM_DATA_BLOCKED, STREAMS_BLOCKED) supersedes
 * a pending frame of the same type (and stream): RFC 9000 §13.3 asks to send
 * the current value, not the lost one, and limits only grow (§4.1, §4.6), so
 * only the frame with the largest value stays queued, at the earlier position
 * (promoted to the retransmission class if either was a retransmission).
 *
 * Costs: Push O(log n); Peek/Pop O(log n) plus the number of queued frames
 * too large for the room, skipped on the way (none when the room fits the
 * head frame; an early exit when it fits none).
 */
class QuicSocketTxBuffer : public Object
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
    QuicSocketTxBuffer();
    /// Destructor.
    ~QuicSocketTxBuffer() override;

    /// \name Byte accounting of application data (SocketSndBufSize)
    /// @{
    /**
     * \brief Set the capacity. Reducing it below GetReserved() drops nothing;
     * Reserve() refuses until enough is released.
     * \param size the capacity in bytes
     */
    void SetMaxBufferSize(uint32_t size);
    /**
     * \return the capacity in bytes
     */
    uint32_t GetMaxBufferSize() const;
    /**
     * \brief Account for n bytes entering a stream buffer; all or nothing.
     * \param n the number of bytes
     * \return false (nothing reserved) if n exceeds GetFreeSpace()
     */
    bool Reserve(uint32_t n);
    /**
     * \brief Give back n reserved bytes (acknowledged or dropped). Releasing
     * more than reserved is a bug of the caller and aborts.
     * \param n the number of bytes
     */
    void Release(uint32_t n);
    /**
     * \return the bytes Reserve() would accept now
     */
    uint32_t GetFreeSpace() const;
    /**
     * \return the bytes reserved
     */
    uint32_t GetReserved() const;
    /// @}

    /// \name Control frames
    /// @{
    /**
     * \brief Queue a control frame.
     *
     * Frames that carry data (STREAM, CRYPTO, DATAGRAM) and invalid subheaders
     * are refused with an abort: their bytes live elsewhere.
     * \param frame the frame
     * \param retransmission true if it is re-queued after a loss (sent first)
     * \return false if the frame was dropped because a pending frame already
     *         carries a value at least as new (see the class), true otherwise
     */
    bool Push(const QuicSubheader& frame, bool retransmission);
    /**
     * \brief The next frame whose encoding fits in maxSize bytes, left queued.
     * \param maxSize the room in bytes
     * \param frame set to the frame, if any
     * \return false if no queued frame fits
     */
    bool Peek(uint32_t maxSize, QuicSubheader& frame) const;
    /**
     * \brief Remove and return the next frame whose encoding fits in maxSize bytes.
     * \param maxSize the room in bytes
     * \param frame set to the frame, if any
     * \return false if no queued frame fits
     */
    bool Pop(uint32_t maxSize, QuicSubheader& frame);
    /**
     * \brief Remove and return the next frame whose encoding fits in maxSize bytes.
     * \param maxSize the room in bytes
     * \param frame set to the frame, if any
     * \param retransmission set to whether it was queued as a retransmission
     * \return false if no queued frame fits
     */
    bool Pop(uint32_t maxSize, QuicSubheader& frame, bool& retransmission);
    /**
     * \return true if no control frame is queued
     */
    bool IsEmpty() const;
    /**
     * \return the number of control frames queued
     */
    uint32_t GetFrameCount() const;
    /**
     * \return the encoded size of all the control frames queued, in bytes
     */
    uint64_t GetFrameBytes() const;
    /**
     * \return true if a retransmitted control frame is queued
     */
    bool HasRetransmission() const;
    /**
     * \brief Drop every queued control frame (e.g. when the connection closes).
     */
    void ClearFrames();
    /// @}

  private:
    /// Identity of a frame that later frames supersede: (type, stream id).
    using Key = std::pair<uint64_t, uint64_t>;

    /// A queued control frame.
    struct Entry
    {
        QuicSubheader frame; //!< the frame
        uint32_t size;       //!< its encoded size
        bool hasKey;         //!< whether it can be superseded
        Key key;             //!< its identity, if hasKey
    };

    /// The queue of a class: 0 for retransmissions, 1 for new frames.
    using Queue = std::list<Entry>;

    /**
     * \brief The supersession identity and value of a frame.
     * \param frame the frame
     * \param key set to its identity
     * \param value set to the limit it carries
     * \return false if frames of this type are never superseded
     */
    static bool GetKey(const QuicSubheader& frame, Key& key, uint64_t& value);

    /**
     * \brief Find the first entry fitting in maxSize.
     * \param maxSize the room
     * \param queue set to the index of the queue holding it
     * \param it set to the entry
     * \return false if none fits
     */
    bool Find(uint32_t maxSize, int& queue, Queue::const_iterator& it) const;

    /**
     * \brief Unlink an entry from every index and its queue.
     * \param queue the queue index
     * \param it the entry
     */
    void Erase(int queue, Queue::const_iterator it);

    uint32_t m_maxBufferSize; //!< capacity (attribute)
    uint32_t m_reserved;      //!< bytes reserved

    Queue m_queues[2];                                      //!< retransmissions, new
    std::map<Key, std::pair<int, Queue::iterator>> m_byKey; //!< supersedable frames
    std::multiset<uint32_t> m_sizes;                        //!< sizes of queued frames
    uint64_t m_frameBytes;                                  //!< sum of m_sizes
};

} // namespace ns3

#endif /* QUIC_SOCKET_TX_BUFFER_H */

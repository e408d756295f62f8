/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_FLOW_CONTROLLER_H
#define QUIC_FLOW_CONTROLLER_H

#include "quic-wire-error.h"

#include "ns3/nstime.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup quic
 * \brief Credit accounting of one direction of one stream, or of the connection (RFC 9000 §4).
 *
 * An instance is used either as the *sender* side (credit the peer gave us:
 * MAX_STREAM_DATA / MAX_DATA received, STREAM_DATA_BLOCKED / DATA_BLOCKED to
 * send) or as the *receiver* side (credit we give the peer: MAX_STREAM_DATA /
 * MAX_DATA to send, FLOW_CONTROL_ERROR when the peer exceeds it). Both sides
 * count in absolute stream offsets; for the connection the caller passes the
 * sum over all streams of the highest offsets (RFC 9000 §4.1).
 *
 * The receiver side auto-tunes its window as Google's and Cloudflare's quiche
 * do: an update is due once the application has consumed half of the window
 * (the credit still available to the peer fell below half a window); if two
 * updates come less than two smoothed RTTs apart, the window is too small to
 * cover the bandwidth-delay product and is doubled, up to a configured
 * maximum. Since every update restores a full window ahead of the bytes read,
 * a reader that keeps reading never stalls the sender, whatever the transfer
 * size.
 *
 * This is a plain value class (not an ns3::Object): a stream owns two of
 * them and the connection two, configured from transport parameters and the
 * socket's attributes, so reference counting would only add indirection.
 */
class QuicFlowController
{
  public:
    /**
     * \brief A controller with no credit in either direction (limits 0), an
     * initial receive window of 0 and a maximum window of 0; configure it with
     * UpdatePeerLimit() and SetReceiveWindow().
     */
    QuicFlowController();

    /// \name Sender side: the credit the peer gave us
    /// @{
    /**
     * \return the highest offset the peer allows us to send (exclusive)
     */
    uint64_t GetSendLimit() const;

    /**
     * \return the highest offset sent so far
     */
    uint64_t GetSentOffset() const;

    /**
     * \return the credit left: GetSendLimit() - GetSentOffset()
     */
    uint64_t GetSendCredit() const;

    /**
     * \brief Record that data up to newOffset (exclusive) has been sent.
     *
     * Offsets at or below the current one (retransmissions) change nothing:
     * only new bytes consume credit (RFC 9000 §4.1). Sending beyond the limit
     * is a bug of the caller and aborts.
     * \param newOffset the highest offset sent, at most GetSendLimit()
     */
    void OnSent(uint64_t newOffset);

    /**
     * \brief Set the peer's limit to a value that may be lower than the current one.
     *
     * Only for limits assumed before the peer's transport parameters arrived (the
     * remembered values a 0-RTT client uses, RFC 9000 §7.4.1), replaced by the real
     * ones while nothing beyond them was sent. Sending more than the new limit already
     * is a bug of the caller and aborts.
     * \param limit the limit
     */
    void SetProvisionalPeerLimit(uint64_t limit);

    /**
     * \brief The peer raised its limit (MAX_STREAM_DATA, MAX_DATA or the initial
     * transport parameter).
     *
     * RFC 9000 §4.1: a sender MUST ignore any MAX_STREAM_DATA or MAX_DATA frame
     * that does not increase the limit (frames may arrive out of order).
     * \param limit the new limit, from the peer (any value)
     * \return true if the limit increased
     */
    bool UpdatePeerLimit(uint64_t limit);

    /**
     * \return true if all the credit is used (GetSentOffset() == GetSendLimit())
     */
    bool IsBlocked() const;

    /**
     * \brief Whether a STREAM_DATA_BLOCKED / DATA_BLOCKED frame should be sent now.
     *
     * RFC 9000 §4.1: a sender SHOULD send a blocked frame when it has data to
     * send but is blocked by flow control; it is sent once per limit, not at
     * every attempt: true only if blocked at a limit not yet signalled.
     * \return true if a blocked frame carrying GetSendLimit() should be sent
     */
    bool ShouldSendBlocked() const;

    /**
     * \brief Record that a blocked frame was queued for the current limit, so
     * that ShouldSendBlocked() stays false until the limit grows.
     */
    void OnBlockedSent();
    /// @}

    /// \name Receiver side: the credit we give the peer
    /// @{
    /**
     * \brief Configure the receive window (before any data is received).
     *
     * The advertised limit becomes initialWindow (the initial_max_data or
     * initial_max_stream_data_* transport parameter the caller sends).
     * \param initialWindow the initial window in bytes
     * \param maxWindow the largest window auto-tuning may reach (raised to
     *        initialWindow if smaller)
     */
    void SetReceiveWindow(uint64_t initialWindow, uint64_t maxWindow);

    /**
     * \return the current receive window in bytes (grows with auto-tuning)
     */
    uint64_t GetReceiveWindow() const;

    /**
     * \return the largest window auto-tuning may reach
     */
    uint64_t GetMaxReceiveWindow() const;

    /**
     * \brief Raise the window to at least `window` (capped by the maximum
     * window), e.g. to keep the connection window above 1.5 times the
     * largest stream window, as quiche does. Takes effect at the next update.
     * \param window the wished window
     */
    void EnsureWindowAtLeast(uint64_t window);

    /**
     * \return the limit advertised to the peer so far (exclusive offset)
     */
    uint64_t GetReceiveLimit() const;

    /**
     * \return the highest offset received (OnReceived)
     */
    uint64_t GetHighestReceived() const;

    /**
     * \return the bytes consumed by the application (OnConsumed)
     */
    uint64_t GetConsumed() const;

    /**
     * \brief Data up to highestOffset (exclusive) arrived from the peer.
     *
     * RFC 9000 §4.1: a receiver MUST close the connection with
     * FLOW_CONTROL_ERROR if the sender violates the advertised limit. The
     * final size of a stream (FIN or RESET_STREAM) counts as received too
     * (RFC 9000 §4.5). Lower offsets than before (reordering,
     * retransmissions) change nothing.
     * \param highestOffset the end offset of the received data (peer-controlled)
     * \param error set to FLOW_CONTROL_ERROR on failure, untouched otherwise
     * \return false if the limit is exceeded (nothing recorded)
     */
    bool OnReceived(uint64_t highestOffset, QuicTransportErrorCode& error);

    /**
     * \brief The application consumed (read) bytes, which frees credit.
     *
     * Consuming more than was received is a bug of the caller and aborts.
     * \param bytes the number of bytes newly consumed
     */
    void OnConsumed(uint64_t bytes);

    /**
     * \brief Whether a MAX_STREAM_DATA / MAX_DATA update should be sent: the
     * credit still open to the peer (limit - consumed) fell below half the
     * window, i.e. the application consumed more than half a window since the
     * last update.
     * \return true if GetNewLimit() should be called and its value sent
     */
    bool ShouldSendUpdate() const;

    /**
     * \brief Compute and commit the new limit to advertise (consumed + window).
     *
     * Auto-tuning first: if the previous update was less than two smoothed
     * RTTs ago, the window doubles (capped by the maximum window). The limit
     * never decreases. The limit is committed: the caller must send it (a
     * retransmission after loss sends GetReceiveLimit(), RFC 9000 §13.3).
     * \param now the current time
     * \param smoothedRtt the connection's smoothed RTT (zero disables auto-tuning)
     * \return the new limit
     */
    uint64_t GetNewLimit(Time now, Time smoothedRtt);

    /**
     * \return the number of times auto-tuning doubled (or raised) the window
     */
    uint32_t GetWindowIncreases() const;
    /// @}

  private:
    // Sender side
    uint64_t m_sendLimit;    //!< highest offset the peer allows
    uint64_t m_sentOffset;   //!< highest offset sent
    bool m_blockedSignalled; //!< a blocked frame was sent at m_blockedLimit
    uint64_t m_blockedLimit; //!< the limit the last blocked frame carried

    // Receiver side
    uint64_t m_recvWindow;      //!< current window
    uint64_t m_maxRecvWindow;   //!< cap of auto-tuning
    uint64_t m_recvLimit;       //!< limit advertised to the peer
    uint64_t m_highestReceived; //!< highest offset received
    uint64_t m_consumed;        //!< bytes consumed by the application
    Time m_lastUpdate;          //!< time of the last GetNewLimit()
    bool m_hasLastUpdate;       //!< whether m_lastUpdate is meaningful
    uint32_t m_windowIncreases; //!< auto-tuning increases so far
};

} // namespace ns3

#endif /* QUIC_FLOW_CONTROLLER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The stream layer of a QUIC connection.
 */

#ifndef QUIC_L5_PROTOCOL_H
#define QUIC_L5_PROTOCOL_H

#include "quic-flow-controller.h"
#include "quic-sent-packet-map.h"
#include "quic-stream-base.h"
#include "quic-subheader.h"
#include "quic-transport-parameters.h"
#include "quic-wire-error.h"

#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <vector>

namespace ns3
{

class QuicByteWriter;
class QuicSocketBase;

/**
 * \ingroup quic
 * Settings of the stream layer, from the socket's attributes.
 */
struct QuicL5Config
{
    uint32_t streamSndBufSize{131072};      //!< StreamSndBufSize
    uint32_t streamRcvBufSize{131072};      //!< StreamRcvBufSize: initial per-stream window
    uint64_t maxStreamWindow{16777216};     //!< largest per-stream window auto-tuning reaches
    uint64_t connectionWindow{1048576};     //!< initial connection window (initial_max_data)
    uint64_t maxConnectionWindow{25165824}; //!< largest connection window
    uint64_t maxStreamsBidi{100};           //!< streams of each kind the peer may open
    uint64_t maxStreamsUni{100};            //!< unidirectional streams the peer may open
    bool priorityScheduling{false};         //!< false: round-robin; true: by stream priority
};

/**
 * \ingroup quic
 * The stream layer (the WNS3 2019 design's L5): creates and owns the streams of one
 * connection, carries application data into them and out of them, schedules which
 * stream's data goes into the next packet (round-robin by default, by priority if asked),
 * enforces stream and connection flow control (RFC 9000 §4) and stream limits (§4.6),
 * and handles every stream-related frame.
 *
 * It talks to its socket for two things only: queuing control frames
 * (QuicSocketBase::QueueControlFrame) and delivering in-order data
 * (QuicSocketBase::DeliverStreamData).
 */
class QuicL5Protocol : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicL5Protocol();
    ~QuicL5Protocol() override;

    /**
     * \param socket the connection
     * \param isServer whether this endpoint is the server
     * \param config settings
     */
    void Setup(QuicSocketBase* socket, bool isServer, const QuicL5Config& config);

    /**
     * Writes our stream-related transport parameters (initial_max_data,
     * initial_max_stream_data_*, initial_max_streams_*).
     * \param tp the parameters to fill
     */
    void FillTransportParameters(QuicTransportParameters& tp) const;

    /**
     * Applies the peer's transport parameters (credit for existing and future streams).
     * \param tp the peer's parameters
     */
    void OnPeerTransportParameters(const QuicTransportParameters& tp);

    // --- the application's side ---

    /**
     * The stream id Send(p, 0) uses: the client's stream 0; for a server, stream 0 if
     * the peer opened it, else the server's first bidirectional stream (1).
     * \return the id
     */
    uint64_t GetDefaultStreamId() const;

    /**
     * Queues application data on a stream, opening it if it is ours and new.
     * \param data the bytes (all accepted, or none)
     * \param streamId the stream
     * \param [out] error why not (ERROR_MSGSIZE when the buffers are full,
     *        ERROR_INVAL for a stream we may not send on)
     * \return bytes accepted, or -1
     */
    int Send(Ptr<Packet> data, uint64_t streamId, Socket::SocketErrno& error);

    /**
     * \param streamId a stream (opened if needed for the question)
     * \return bytes the stream's send buffer can take now
     */
    uint32_t GetTxAvailable(uint64_t streamId) const;

    /// Ends every local sending part with FIN (ShutdownSend, Close).
    void FinishAll();

    /**
     * Aborts the sending part of a stream (RESET_STREAM, RFC 9000 §3.1).
     * \param streamId the stream
     * \param applicationErrorCode the error code sent
     */
    void ResetStream(uint64_t streamId, uint64_t applicationErrorCode);

    /**
     * Asks the peer to stop sending on a stream (STOP_SENDING, RFC 9000 §3.5).
     * \param streamId the stream
     * \param applicationErrorCode the error code sent
     */
    void StopSending(uint64_t streamId, uint64_t applicationErrorCode);

    /**
     * The application read bytes of a stream: credit is returned to the peer.
     * \param streamId the stream
     * \param bytes how many
     */
    void OnConsumed(uint64_t streamId, uint64_t bytes);

    // --- the sender's side ---

    /// \return true if some stream has data or a FIN that flow control lets out now
    bool HasDataToSend() const;

    /// \return true if everything written was acknowledged (or reset), FINs included
    bool IsAllDataAcked() const;

    /**
     * Writes STREAM frames (header and data) into a packet being built, choosing streams
     * by the scheduling policy, within connection and stream credit.
     * \param writer where the frames go
     * \param budget bytes available in the packet
     * \param [out] sent records of the frames written, for retransmission
     * \param mayOmitLength true if nothing is written after these frames, so a frame that
     *        fills the packet may omit its Length field (RFC 9000 §19.8)
     * \return bytes written
     */
    uint32_t WriteStreamFrames(QuicByteWriter& writer,
                               uint32_t budget,
                               std::vector<QuicSentFrame>& sent,
                               bool mayOmitLength);

    /**
     * A packet carrying this STREAM frame was acknowledged.
     * \param frame the record
     * \return bytes freed in the stream's send buffer
     */
    uint32_t OnStreamFrameAcked(const QuicSentFrame& frame);

    /**
     * A packet carrying this STREAM frame was lost: its data is queued again.
     * \param frame the record
     */
    void OnStreamFrameLost(const QuicSentFrame& frame);

    // --- the receiver's side ---

    /**
     * A STREAM frame arrived.
     * \param frame its header
     * \param data its bytes (frame.GetDataLength() of them)
     * \param [out] error on failure (STREAM_STATE_ERROR, STREAM_LIMIT_ERROR,
     *        FLOW_CONTROL_ERROR, FINAL_SIZE_ERROR)
     * \return false if the connection must close with that error
     */
    bool OnStreamFrame(const QuicSubheader& frame, const uint8_t* data, QuicWireError& error);

    /**
     * A stream-related control frame arrived: RESET_STREAM, STOP_SENDING, MAX_DATA,
     * MAX_STREAM_DATA, MAX_STREAMS, DATA_BLOCKED, STREAM_DATA_BLOCKED, STREAMS_BLOCKED.
     * \param frame the frame
     * \param [out] error on failure
     * \return false if the connection must close with that error
     */
    bool OnControlFrame(const QuicSubheader& frame, QuicWireError& error);

    /**
     * A control frame this layer queued was lost; a fresh one is queued if still useful.
     * \param frame the frame lost
     */
    void OnControlFrameLost(const QuicSubheader& frame);

    /// \return STREAM data bytes sent again after a loss
    uint64_t GetBytesRetransmitted() const;

    /// \return STREAM frames that carried data sent again after a loss
    uint64_t GetFramesRetransmitted() const;

    /// \return the streams (for traces and tests)
    const std::map<uint64_t, Ptr<QuicStreamBase>>& GetStreams() const;

    /**
     * \param streamId an id
     * \return the stream, or nullptr
     */
    Ptr<QuicStreamBase> GetStream(uint64_t streamId) const;

    /// \return the connection's send credit
    const QuicFlowController& GetConnectionSendFlowControl() const;
    /// \return the connection's receive credit
    const QuicFlowController& GetConnectionReceiveFlowControl() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * Tells plugins that STREAM data is sent again (stream_data_retransmitted).
     * \param streamId the stream
     * \param offset first byte sent again
     * \param bytes bytes sent again
     */
    void NotifyRetransmission(uint64_t streamId, uint64_t offset, uint64_t bytes);

    /**
     * Opens (or finds) a stream; peer-initiated ids open every lower id of their kind
     * (RFC 9000 §3.2).
     * \param streamId the id
     * \param local whether we are the one opening it
     * \param [out] error STREAM_LIMIT_ERROR or STREAM_STATE_ERROR
     * \return the stream, or nullptr (with no error: closed, or not allowed yet)
     */
    Ptr<QuicStreamBase> GetOrOpen(uint64_t streamId, bool local, QuicWireError& error);

    /**
     * Creates a stream object.
     * \param streamId its id
     * \return it
     */
    Ptr<QuicStreamBase> OpenStream(uint64_t streamId);

    /**
     * \param streamId a stream
     * \return the credit the peer's transport parameters give it
     */
    uint64_t PeerInitialCredit(uint64_t streamId) const;

    /// \return connection-level credit left for new data
    uint64_t GetConnectionCredit() const;

    /**
     * \param s a stream
     * \param connCredit connection credit left
     * \return true if it has something flow control lets out now
     */
    bool StreamCanSend(const Ptr<QuicStreamBase>& s, uint64_t connCredit) const;

    /**
     * \param order emptied, then filled with the streams in the order the scheduler
     * serves them (a vector kept between packets: no allocation per packet)
     */
    void ScheduleOrder(std::vector<Ptr<QuicStreamBase>>& order);

    /**
     * Flow-control accounting of received data.
     * \param s the stream
     * \param end end offset of the data (or final size)
     * \param [out] error FLOW_CONTROL_ERROR
     * \return false on a violation
     */
    bool AccountReceived(Ptr<QuicStreamBase> s, uint64_t end, QuicWireError& error);

    /**
     * Moves in-order bytes of a stream to the socket, as far as it has room.
     * \param stream the stream
     */
    void DeliverReadable(Ptr<QuicStreamBase> stream);

    /**
     * Queues flow-control updates that became due.
     * \param stream a stream that changed, or nullptr for the connection only
     */
    void MaybeSendCreditUpdates(Ptr<QuicStreamBase> stream);

    /**
     * Forgets a stream whose both halves are done.
     * \param stream the stream
     */
    void MaybeForget(Ptr<QuicStreamBase> stream);

    QuicSocketBase* m_socket{
        nullptr};           //!< the connection, which owns this object (no Ptr: no cycle)
    bool m_isServer{false}; //!< endpoint role
    QuicL5Config m_config;  //!< settings
    std::map<uint64_t, Ptr<QuicStreamBase>> m_streams; //!< open streams by id
    QuicFlowController m_connSend;                     //!< connection send credit
    QuicFlowController m_connRecv;                     //!< connection receive credit
    uint64_t m_peerMaxStreamsBidi{0};                  //!< streams we may open
    uint64_t m_peerMaxStreamsUni{0};                   //!< streams we may open
    uint64_t m_peerStreamDataBidiLocal{0};  //!< peer's initial_max_stream_data_bidi_local
    uint64_t m_peerStreamDataBidiRemote{0}; //!< peer's initial_max_stream_data_bidi_remote
    uint64_t m_peerStreamDataUni{0};        //!< peer's initial_max_stream_data_uni
    uint64_t m_openedByPeerBidi{0};         //!< peer bidi streams opened (count)
    uint64_t m_openedByPeerUni{0};          //!< peer uni streams opened (count)
    uint64_t m_openedLocalBidi{0};          //!< our bidi streams opened (count)
    uint64_t m_openedLocalUni{0};           //!< our uni streams opened (count)
    uint64_t m_closedByPeerBidi{0};         //!< peer bidi streams closed (count)
    uint64_t m_closedByPeerUni{0};          //!< peer uni streams closed (count)
    uint64_t m_bytesRetransmitted{0};       //!< STREAM bytes sent again
    uint64_t m_framesRetransmitted{0};      //!< STREAM frames carrying bytes sent again
    uint64_t m_rrCursor{0};                 //!< round-robin position (stream id)

    /// WriteStreamFrames' stream order, kept between packets (no allocation per packet).
    std::vector<Ptr<QuicStreamBase>> m_orderScratch;
};

} // namespace ns3

#endif /* QUIC_L5_PROTOCOL_H */

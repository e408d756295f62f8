/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One QUIC stream: its buffers, flow control and states (RFC 9000 §2-4).
 */

#ifndef QUIC_STREAM_BASE_H
#define QUIC_STREAM_BASE_H

#include "quic-flow-controller.h"
#include "quic-stream-rx-buffer.h"
#include "quic-stream-tx-buffer.h"
#include "quic-wire-error.h"

#include "ns3/object.h"
#include "ns3/traced-value.h"

namespace ns3
{

/**
 * \ingroup quic
 * One stream of a QUIC connection.
 *
 * The stream id's two low bits say who opened it and whether it is bidirectional
 * (RFC 9000 §2.1). A stream has a send side (QuicStreamTxBuffer + its peer-granted
 * credit) when it is bidirectional or opened locally, and a receive side
 * (QuicStreamRxBuffer + the credit we grant) when it is bidirectional or opened by the
 * peer. Its state machines follow RFC 9000 §3.
 */
class QuicStreamBase : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// RFC 9000 §3.1: sending-part states.
    enum SendState : uint8_t
    {
        SEND_READY,       //!< no data sent yet
        SEND_SEND,        //!< sending
        SEND_DATA_SENT,   //!< FIN sent
        SEND_DATA_RECVD,  //!< all data and FIN acknowledged
        SEND_RESET_SENT,  //!< RESET_STREAM sent
        SEND_RESET_RECVD, //!< RESET_STREAM acknowledged
        SEND_NONE,        //!< no sending part (peer's unidirectional stream)
    };

    /// RFC 9000 §3.2: receiving-part states.
    enum RecvState : uint8_t
    {
        RECV_RECV,        //!< receiving
        RECV_SIZE_KNOWN,  //!< final size known
        RECV_DATA_RECVD,  //!< all data received
        RECV_DATA_READ,   //!< all data read by the application
        RECV_RESET_RECVD, //!< RESET_STREAM received
        RECV_RESET_READ,  //!< reset delivered to the application
        RECV_NONE,        //!< no receiving part (our unidirectional stream)
    };

    QuicStreamBase();
    ~QuicStreamBase() override;

    /**
     * \param streamId the id
     * \param isServer whether this endpoint is the server
     * \param sendBufferSize StreamSndBufSize
     * \param receiveBufferSize StreamRcvBufSize (and the initial receive window we grant)
     * \param maxReceiveWindow largest receive window auto-tuning may grow to
     * \param peerSendLimit the initial credit the peer granted (initial_max_stream_data_*)
     */
    void Setup(uint64_t streamId,
               bool isServer,
               uint32_t sendBufferSize,
               uint32_t receiveBufferSize,
               uint64_t maxReceiveWindow,
               uint64_t peerSendLimit);

    /// \return the stream id
    uint64_t GetStreamId() const;
    /// \return true if bidirectional
    bool IsBidirectional() const;
    /// \return true if this endpoint opened it
    bool IsLocal() const;
    /// \return true if it has a sending part
    bool CanSend() const;
    /// \return true if it has a receiving part
    bool CanReceive() const;

    /// \return the send buffer
    Ptr<QuicStreamTxBuffer> GetTxBuffer() const;
    /// \return the receive buffer
    Ptr<QuicStreamRxBuffer> GetRxBuffer() const;
    /// \return the send-side credit
    QuicFlowController& GetSendFlowControl();
    /// \return the receive-side credit
    QuicFlowController& GetReceiveFlowControl();

    /// \return sending-part state
    SendState GetSendState() const;
    /// \return receiving-part state
    RecvState GetRecvState() const;
    /// \param s new sending-part state
    void SetSendState(SendState s);
    /// \param s new receiving-part state
    void SetRecvState(RecvState s);

    /// \return priority for the priority scheduler (lower is sent first)
    uint8_t GetPriority() const;
    /// \param priority lower is sent first
    void SetPriority(uint8_t priority);

    /// \return bytes delivered to the application so far
    uint64_t GetBytesDelivered() const;
    /// \param bytes more bytes delivered to the application
    void AddBytesDelivered(uint64_t bytes);

    /// \return true once both parts reached a terminal state (the stream can be forgotten)
    bool IsClosed() const;

  protected:
    void DoDispose() override;

  private:
    uint64_t m_streamId{0};                    //!< id
    bool m_isServer{false};                    //!< this endpoint is the server
    Ptr<QuicStreamTxBuffer> m_tx;              //!< send buffer
    Ptr<QuicStreamRxBuffer> m_rx;              //!< receive buffer
    QuicFlowController m_sendFc;               //!< peer-granted credit
    QuicFlowController m_recvFc;               //!< credit we grant
    SendState m_sendState{SEND_READY};         //!< sending part
    RecvState m_recvState{RECV_RECV};          //!< receiving part
    uint8_t m_priority{0};                     //!< scheduling priority
    TracedValue<uint64_t> m_bytesDelivered{0}; //!< RxBytes trace
};

} // namespace ns3

#endif /* QUIC_STREAM_BASE_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_SUBHEADER_H
#define QUIC_SUBHEADER_H

#include "quic-connection-id.h"
#include "quic-header.h"
#include "quic-wire-error.h"

#include "ns3/header.h"
#include "ns3/nstime.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class QuicByteReader;
class QuicByteWriter;

/**
 * \ingroup quic
 * \brief One additional ACK range of an ACK frame, as on the wire (RFC 9000 §19.3.1).
 */
struct QuicAckRange
{
    uint64_t gap;    //!< unacknowledged packets before the range, minus one
    uint64_t length; //!< acknowledged packets in the range, minus one

    /**
     * \param other another range
     * \return true if equal
     */
    bool operator==(const QuicAckRange& other) const;
};

/**
 * \ingroup quic
 * \brief An inclusive interval [low, high] of acknowledged packet numbers.
 */
struct QuicAckInterval
{
    uint64_t low;  //!< smallest packet number acknowledged
    uint64_t high; //!< largest packet number acknowledged

    /**
     * \param other another interval
     * \return true if equal
     */
    bool operator==(const QuicAckInterval& other) const;
};

/**
 * \ingroup quic
 * \brief The ECN counts of an ACK frame of type 0x03 (RFC 9000 §19.3.2).
 */
struct QuicEcnCounts
{
    uint64_t ect0{0}; //!< packets received with ECT(0)
    uint64_t ect1{0}; //!< packets received with ECT(1)
    uint64_t ce{0};   //!< packets received with ECN-CE

    /**
     * \param other other counts
     * \return true if equal
     */
    bool operator==(const QuicEcnCounts& other) const;
};

/**
 * \ingroup quic
 * \brief The header of one QUIC frame (RFC 9000 §19, and DATAGRAM from RFC 9221 §4).
 *
 * One class for every frame type, as in the earlier ns-3 QUIC module; the
 * frame type is a plain uint64_t so that extension frame types (registered
 * later by plugins through protocol operations) can flow through the same code.
 *
 * A subheader covers the frame *header*. For STREAM, CRYPTO and DATAGRAM the
 * data bytes follow it and are carried separately (as packet payload):
 * decoding checks that GetDataLength() bytes follow and leaves them unread;
 * STREAM and DATAGRAM frames without a Length field take all the remaining
 * bytes. Consecutive PADDING bytes form one subheader (GetPaddingLength()).
 *
 * Decoding never reads outside the given bytes and never aborts; failures
 * carry the RFC 9000 error code (FRAME_ENCODING_ERROR unless the RFC says
 * otherwise), the frame type, the field and its byte offset: see TryDecode().
 * The factories and setters abort (NS_ABORT_MSG) on values that would encode
 * an invalid frame: a script bug, not a network event.
 */
class QuicSubheader : public Header
{
  public:
    /// Frame types (RFC 9000 §19, Table 3; RFC 9221 §4). STREAM spans 0x08-0x0f.
    enum FrameType : uint64_t
    {
        PADDING = 0x00,              //!< §19.1
        PING = 0x01,                 //!< §19.2
        ACK = 0x02,                  //!< §19.3
        ACK_ECN = 0x03,              //!< §19.3 with ECN counts
        RESET_STREAM = 0x04,         //!< §19.4
        STOP_SENDING = 0x05,         //!< §19.5
        CRYPTO = 0x06,               //!< §19.6
        NEW_TOKEN = 0x07,            //!< §19.7
        STREAM = 0x08,               //!< §19.8, 0x08-0x0f with OFF/LEN/FIN bits
        STREAM_MAX = 0x0f,           //!< last STREAM type
        MAX_DATA = 0x10,             //!< §19.9
        MAX_STREAM_DATA = 0x11,      //!< §19.10
        MAX_STREAMS_BIDI = 0x12,     //!< §19.11
        MAX_STREAMS_UNI = 0x13,      //!< §19.11
        DATA_BLOCKED = 0x14,         //!< §19.12
        STREAM_DATA_BLOCKED = 0x15,  //!< §19.13
        STREAMS_BLOCKED_BIDI = 0x16, //!< §19.14
        STREAMS_BLOCKED_UNI = 0x17,  //!< §19.14
        NEW_CONNECTION_ID = 0x18,    //!< §19.15
        RETIRE_CONNECTION_ID = 0x19, //!< §19.16
        PATH_CHALLENGE = 0x1a,       //!< §19.17
        PATH_RESPONSE = 0x1b,        //!< §19.18
        CONNECTION_CLOSE = 0x1c,     //!< §19.19, transport error
        APPLICATION_CLOSE = 0x1d,    //!< §19.19, application error
        HANDSHAKE_DONE = 0x1e,       //!< §19.20
        DATAGRAM = 0x30,             //!< RFC 9221 §4, no Length field
        DATAGRAM_WITH_LENGTH = 0x31, //!< RFC 9221 §4, with Length field
    };

    /// STREAM type bit: the frame is the last of the stream (RFC 9000 §19.8).
    static constexpr uint8_t STREAM_FIN_BIT = 0x01;
    /// STREAM type bit: a Length field is present.
    static constexpr uint8_t STREAM_LEN_BIT = 0x02;
    /// STREAM type bit: an Offset field is present.
    static constexpr uint8_t STREAM_OFF_BIT = 0x04;
    /// Largest stream count of MAX_STREAMS / STREAMS_BLOCKED, 2^60 (RFC 9000 §19.11).
    static constexpr uint64_t kMaxStreams = uint64_t{1} << 60;
    /// Largest stream offset + length, 2^62-1 (RFC 9000 §19.8).
    static constexpr uint64_t kMaxStreamOffset = (uint64_t{1} << 62) - 1;

    /// A stateless reset token (RFC 9000 §10.3).
    using StatelessResetToken = std::array<uint8_t, 16>;
    /// PATH_CHALLENGE / PATH_RESPONSE data.
    using PathData = std::array<uint8_t, 8>;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /**
     * \brief An invalid subheader (IsValid() false); use the factories.
     */
    QuicSubheader();

    /// \name Factories, one per frame type
    /// @{
    /**
     * \brief `count` consecutive PADDING frames (RFC 9000 §19.1).
     * \param count number of zero bytes, at least 1
     * \return the subheader
     */
    static QuicSubheader CreatePadding(uint64_t count = 1);
    /**
     * \return a PING frame (RFC 9000 §19.2)
     */
    static QuicSubheader CreatePing();
    /**
     * \brief An ACK frame from its wire fields (RFC 9000 §19.3).
     * \param largestAcknowledged largest packet number acknowledged
     * \param ackDelay the encoded ACK Delay (microseconds >> ack_delay_exponent)
     * \param firstAckRange packets acknowledged below the largest (range length minus one)
     * \param ranges further (gap, length) ranges, in decreasing packet number order
     * \param ecn ECN counts: present makes an ACK_ECN (0x03) frame
     * \return the subheader; ranges going below packet number 0 abort
     */
    static QuicSubheader CreateAck(uint64_t largestAcknowledged,
                                   uint64_t ackDelay,
                                   uint64_t firstAckRange,
                                   const std::vector<QuicAckRange>& ranges = {},
                                   std::optional<QuicEcnCounts> ecn = std::nullopt);
    /**
     * \brief An ACK frame acknowledging a set of intervals, which may come in any
     * order and may overlap or touch (they are sorted and merged).
     * \param intervals at least one [low, high] interval with low <= high
     * \param ackDelay the encoded ACK Delay
     * \param ecn ECN counts, if any
     * \return the subheader
     */
    static QuicSubheader CreateAckFromIntervals(std::vector<QuicAckInterval> intervals,
                                                uint64_t ackDelay,
                                                std::optional<QuicEcnCounts> ecn = std::nullopt);
    /**
     * \brief A RESET_STREAM frame (RFC 9000 §19.4).
     * \param streamId the stream
     * \param applicationErrorCode the application's error code
     * \param finalSize the final size of the stream in bytes
     * \return the subheader
     */
    static QuicSubheader CreateResetStream(uint64_t streamId,
                                           uint64_t applicationErrorCode,
                                           uint64_t finalSize);
    /**
     * \brief A STOP_SENDING frame (RFC 9000 §19.5).
     * \param streamId the stream
     * \param applicationErrorCode the application's error code
     * \return the subheader
     */
    static QuicSubheader CreateStopSending(uint64_t streamId, uint64_t applicationErrorCode);
    /**
     * \brief A CRYPTO frame header (RFC 9000 §19.6); `length` data bytes follow it.
     * \param offset offset in the crypto stream
     * \param length data bytes
     * \return the subheader
     */
    static QuicSubheader CreateCrypto(uint64_t offset, uint64_t length);
    /**
     * \brief A NEW_TOKEN frame (RFC 9000 §19.7).
     * \param token the token, not empty
     * \return the subheader
     */
    static QuicSubheader CreateNewToken(const std::vector<uint8_t>& token);
    /**
     * \brief A STREAM frame header (RFC 9000 §19.8), named as in the earlier ns-3 QUIC module.
     * \param streamId the stream
     * \param offset offset of the data in the stream (non-zero needs withOffset)
     * \param length data bytes that follow the header
     * \param withOffset set the OFF bit and write the Offset field
     * \param withLength set the LEN bit and write the Length field (without it,
     *        the data runs to the end of the packet)
     * \param fin set the FIN bit
     * \return the subheader
     */
    static QuicSubheader CreateStreamSubHeader(uint64_t streamId,
                                               uint64_t offset,
                                               uint64_t length,
                                               bool withOffset = true,
                                               bool withLength = true,
                                               bool fin = false);
    /**
     * \brief Writes a STREAM frame header (RFC 9000 §19.8) straight to a writer: the
     * bytes CreateStreamSubHeader(...).Encode(writer) writes, without building a
     * subheader (an ns3::Header) for every packet of a bulk transfer.
     * \param writer where the header goes
     * \param streamId the stream
     * \param offset offset of the data in the stream (non-zero needs withOffset)
     * \param length data bytes that follow the header
     * \param withOffset set the OFF bit and write the Offset field
     * \param withLength set the LEN bit and write the Length field
     * \param fin set the FIN bit
     * \return the frame type written
     */
    static uint64_t EncodeStreamHeader(QuicByteWriter& writer,
                                       uint64_t streamId,
                                       uint64_t offset,
                                       uint64_t length,
                                       bool withOffset,
                                       bool withLength,
                                       bool fin);
    /**
     * \brief A MAX_DATA frame (RFC 9000 §19.9).
     * \param maximumData the connection's data limit in bytes
     * \return the subheader
     */
    static QuicSubheader CreateMaxData(uint64_t maximumData);
    /**
     * \brief A MAX_STREAM_DATA frame (RFC 9000 §19.10).
     * \param streamId the stream
     * \param maximumStreamData the stream's data limit in bytes
     * \return the subheader
     */
    static QuicSubheader CreateMaxStreamData(uint64_t streamId, uint64_t maximumStreamData);
    /**
     * \brief A MAX_STREAMS frame (RFC 9000 §19.11).
     * \param bidirectional true for 0x12, false for 0x13
     * \param maximumStreams the cumulative stream count, at most 2^60
     * \return the subheader
     */
    static QuicSubheader CreateMaxStreams(bool bidirectional, uint64_t maximumStreams);
    /**
     * \brief A DATA_BLOCKED frame (RFC 9000 §19.12).
     * \param maximumData the connection limit at which the sender is blocked
     * \return the subheader
     */
    static QuicSubheader CreateDataBlocked(uint64_t maximumData);
    /**
     * \brief A STREAM_DATA_BLOCKED frame (RFC 9000 §19.13).
     * \param streamId the stream
     * \param maximumStreamData the stream limit at which the sender is blocked
     * \return the subheader
     */
    static QuicSubheader CreateStreamDataBlocked(uint64_t streamId, uint64_t maximumStreamData);
    /**
     * \brief A STREAMS_BLOCKED frame (RFC 9000 §19.14).
     * \param bidirectional true for 0x16, false for 0x17
     * \param maximumStreams the stream limit at which the sender is blocked, at most 2^60
     * \return the subheader
     */
    static QuicSubheader CreateStreamsBlocked(bool bidirectional, uint64_t maximumStreams);
    /**
     * \brief A NEW_CONNECTION_ID frame (RFC 9000 §19.15).
     * \param sequenceNumber the sequence number of the connection ID
     * \param retirePriorTo at most sequenceNumber
     * \param connectionId 1..20 bytes
     * \param statelessResetToken the reset token of this connection ID
     * \return the subheader
     */
    static QuicSubheader CreateNewConnectionId(uint64_t sequenceNumber,
                                               uint64_t retirePriorTo,
                                               const QuicConnectionId& connectionId,
                                               const StatelessResetToken& statelessResetToken);
    /**
     * \brief A RETIRE_CONNECTION_ID frame (RFC 9000 §19.16).
     * \param sequenceNumber the sequence number of the connection ID to retire
     * \return the subheader
     */
    static QuicSubheader CreateRetireConnectionId(uint64_t sequenceNumber);
    /**
     * \brief A PATH_CHALLENGE frame (RFC 9000 §19.17).
     * \param data 8 bytes of (unpredictable) data
     * \return the subheader
     */
    static QuicSubheader CreatePathChallenge(const PathData& data);
    /**
     * \brief A PATH_RESPONSE frame (RFC 9000 §19.18).
     * \param data the 8 bytes of the PATH_CHALLENGE answered
     * \return the subheader
     */
    static QuicSubheader CreatePathResponse(const PathData& data);
    /**
     * \brief A CONNECTION_CLOSE frame of type 0x1c, for transport errors (RFC 9000 §19.19).
     * \param errorCode the transport error code
     * \param frameType the type of the frame that triggered the error (0 if unknown)
     * \param reasonPhrase the reason (bytes, SHOULD be UTF-8)
     * \return the subheader
     */
    static QuicSubheader CreateConnectionClose(QuicTransportErrorCode errorCode,
                                               uint64_t frameType,
                                               const std::string& reasonPhrase = "");
    /**
     * \brief A CONNECTION_CLOSE frame of type 0x1d, for application errors (RFC 9000 §19.19).
     * \param applicationErrorCode the application's error code
     * \param reasonPhrase the reason
     * \return the subheader
     */
    static QuicSubheader CreateApplicationClose(uint64_t applicationErrorCode,
                                                const std::string& reasonPhrase = "");
    /**
     * \return a HANDSHAKE_DONE frame (RFC 9000 §19.20)
     */
    static QuicSubheader CreateHandshakeDone();
    /**
     * \brief A DATAGRAM frame header (RFC 9221 §4); `length` data bytes follow it.
     * \param length data bytes
     * \param withLength type 0x31 with a Length field; without it (0x30) the data
     *        runs to the end of the packet
     * \return the subheader
     */
    static QuicSubheader CreateDatagram(uint64_t length, bool withLength = true);
    /// @}

    /**
     * \brief Decode one frame header from untrusted bytes; never reads outside them, never aborts.
     *
     * On success the reader is left after the frame header: for STREAM, CRYPTO
     * and DATAGRAM frames the next GetDataLength() bytes (checked to be there)
     * are the frame's data, which the caller consumes (e.g. reader.View()).
     * Error offsets are reader positions. Errors: truncation, lengths past the
     * end, ACK ranges below packet number 0, offset + length above 2^62-1,
     * MAX_STREAMS / STREAMS_BLOCKED above 2^60, NEW_CONNECTION_ID length not in
     * 1..20 or Retire Prior To above Sequence Number, empty NEW_TOKEN, unknown
     * frame types: FRAME_ENCODING_ERROR; a frame type not in its shortest
     * encoding: PROTOCOL_VIOLATION (RFC 9000 §12.4).
     * \param reader the reader, at the first byte of the frame
     * \param out the decoded subheader; on failure IsValid() false, fields unspecified
     * \param error on failure, why
     * \return true on success
     */
    static bool TryDecode(QuicByteReader& reader, QuicSubheader& out, QuicWireError& error);

    /**
     * \brief Append the frame header's bytes (not the data of STREAM/CRYPTO/DATAGRAM).
     * \param writer where to append
     */
    void Encode(QuicByteWriter& writer) const;

    // Inherited from Header
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /**
     * \brief Decode from a packet's buffer, safely.
     *
     * Copies a bounded prefix out of the iterator (everything if the frame
     * header turns out to be longer, e.g. an ACK with many ranges) and decodes
     * it as TryDecode() does, checking the data of STREAM/CRYPTO/DATAGRAM frames
     * against everything that remains in the buffer. On failure the subheader is
     * marked invalid (IsValid() false, GetDecodeError() says why) and 0 is
     * returned, so Packet::RemoveHeader() removes nothing.
     * \param start the iterator
     * \return the size of the frame header, 0 on failure
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /// \name Frame type properties (RFC 9000 Table 3, RFC 9221)
    /// @{
    /**
     * \param type a frame type
     * \return a name such as "STREAM", "ACK_ECN" or "UNKNOWN"
     */
    static std::string FrameTypeToString(uint64_t type);
    /**
     * \param type a frame type
     * \return true for the types of RFC 9000 and RFC 9221
     */
    static bool IsKnownFrameType(uint64_t type);
    /**
     * \param type a frame type
     * \return true if it elicits an ACK: all but PADDING, ACK and CONNECTION_CLOSE
     *         (RFC 9000 §13.2.1; DATAGRAM is ack-eliciting, RFC 9221 §5.2)
     */
    static bool IsAckEliciting(uint64_t type);
    /**
     * \param type a frame type
     * \return true for probing frames: PADDING, NEW_CONNECTION_ID, PATH_CHALLENGE,
     *         PATH_RESPONSE (RFC 9000 §9.1)
     */
    static bool IsProbing(uint64_t type);
    /**
     * \param type a frame type
     * \return false only for ACK, whose packets do not count toward bytes in flight (Table 3 "C")
     */
    static bool IsCongestionControlled(uint64_t type);
    /**
     * \param type a frame type
     * \return true for STREAM, the only flow-controlled frame (Table 3 "F")
     */
    static bool IsFlowControlled(uint64_t type);
    /**
     * \param type a frame type
     * \return true for 0x08-0x0f
     */
    static bool IsStream(uint64_t type);
    /**
     * \param type a frame type
     * \return true for the frames the stream layer handles besides STREAM: stream resets
     * and flow-control limits and their blocked signals (RESET_STREAM, STOP_SENDING,
     * MAX_DATA … STREAMS_BLOCKED, RFC 9000 §19.4–§19.14)
     */
    static bool IsStreamControl(uint64_t type);
    /**
     * \param type a frame type
     * \return true for 0x02 and 0x03
     */
    static bool IsAck(uint64_t type);
    /**
     * \param type a frame type
     * \return true for 0x30 and 0x31
     */
    static bool IsDatagram(uint64_t type);
    /**
     * \param type a frame type
     * \return true for 0x1c and 0x1d
     */
    static bool IsConnectionClose(uint64_t type);
    /**
     * \param type a frame type
     * \return true for STREAM, CRYPTO and DATAGRAM, whose data follows the header
     */
    static bool CarriesData(uint64_t type);
    /**
     * \brief Whether a frame type may appear in a packet type (RFC 9000 Table 3
     * "Pkts", §12.4; DATAGRAM only in 0-RTT and 1-RTT, RFC 9221 §4). Unknown
     * frame types and packets without frames give false.
     * \param frameType the frame type
     * \param packetType the packet type
     * \return true if allowed
     */
    static bool IsAllowedInPacketType(uint64_t frameType, QuicHeader::PacketType packetType);
    /// @}

    /// \name Accessors (each documents the frame types it applies to)
    /// @{
    /**
     * \return true if made by a factory or decoded successfully
     */
    bool IsValid() const;
    /**
     * \return why the last Deserialize() failed (code NO_ERROR if it did not)
     */
    const QuicWireError& GetDecodeError() const;
    /**
     * \return the frame type
     */
    uint64_t GetFrameType() const;
    /**
     * \return PADDING: the number of consecutive padding bytes
     */
    uint64_t GetPaddingLength() const;
    /**
     * \brief PADDING: set the number of consecutive padding bytes (at least 1).
     * \param count the number
     */
    void SetPaddingLength(uint64_t count);
    /**
     * \return ACK: Largest Acknowledged
     */
    uint64_t GetLargestAcknowledged() const;
    /**
     * \return ACK: the encoded ACK Delay field (RFC 9000 §19.3)
     */
    uint64_t GetAckDelay() const;
    /**
     * \brief ACK: the ACK Delay as a time.
     * \param ackDelayExponent the sender's ack_delay_exponent (transport parameter, 0..20)
     * \return the delay
     */
    Time GetAckDelay(uint8_t ackDelayExponent) const;
    /**
     * \brief Decode an ACK Delay field: value * 2^exponent microseconds (RFC 9000
     * §19.3), saturated at the largest representable Time.
     * \param encoded the field
     * \param ackDelayExponent the exponent, 0..20 (larger is clamped to 20)
     * \return the delay
     */
    static Time DecodeAckDelay(uint64_t encoded, uint8_t ackDelayExponent);
    /**
     * \brief Encode a delay for the ACK Delay field: microseconds >> exponent,
     * negative delays as 0.
     * \param delay the delay
     * \param ackDelayExponent the exponent, 0..20 (larger is clamped to 20)
     * \return the field
     */
    static uint64_t EncodeAckDelay(Time delay, uint8_t ackDelayExponent);
    /**
     * \return ACK: First ACK Range
     */
    uint64_t GetFirstAckRange() const;
    /**
     * \return ACK: the further ACK ranges as on the wire
     */
    const std::vector<QuicAckRange>& GetAckRanges() const;
    /**
     * \return ACK: the acknowledged packet numbers as [low, high] intervals, highest first
     */
    std::vector<QuicAckInterval> GetAckIntervals() const;
    /**
     * \return ACK: true for ACK_ECN (type 0x03)
     */
    bool HasEcnCounts() const;
    /**
     * \return ACK_ECN: the ECN counts (zeros for type 0x02)
     */
    const QuicEcnCounts& GetEcnCounts() const;
    /**
     * \return RESET_STREAM, STOP_SENDING, STREAM, MAX_STREAM_DATA, STREAM_DATA_BLOCKED: Stream ID
     */
    uint64_t GetStreamId() const;
    /**
     * \return STREAM, CRYPTO: Offset (0 when a STREAM frame has no OFF bit)
     */
    uint64_t GetOffset() const;
    /**
     * \return STREAM, CRYPTO, DATAGRAM: the number of data bytes following the header
     */
    uint64_t GetDataLength() const;
    /**
     * \brief STREAM, CRYPTO, DATAGRAM: set the number of data bytes (checked against 2^62-1).
     * \param length the length
     */
    void SetDataLength(uint64_t length);
    /**
     * \return STREAM: the OFF bit
     */
    bool HasOffsetField() const;
    /**
     * \return STREAM, DATAGRAM: whether a Length field is present (LEN bit, type 0x31)
     */
    bool HasLengthField() const;
    /**
     * \return STREAM: the FIN bit
     */
    bool IsFin() const;
    /**
     * \brief STREAM: set the FIN bit.
     * \param fin the bit
     */
    void SetFin(bool fin);
    /**
     * \return RESET_STREAM, STOP_SENDING, CONNECTION_CLOSE (both types): the error code
     */
    uint64_t GetErrorCode() const;
    /**
     * \return CONNECTION_CLOSE 0x1c: the error code as a transport error
     */
    QuicTransportErrorCode GetTransportErrorCode() const;
    /**
     * \return RESET_STREAM: Final Size
     */
    uint64_t GetFinalSize() const;
    /**
     * \return NEW_TOKEN: the token
     */
    const std::vector<uint8_t>& GetToken() const;
    /**
     * \return MAX_DATA, DATA_BLOCKED: Maximum Data
     */
    uint64_t GetMaximumData() const;
    /**
     * \return MAX_STREAM_DATA, STREAM_DATA_BLOCKED: Maximum Stream Data
     */
    uint64_t GetMaximumStreamData() const;
    /**
     * \return MAX_STREAMS, STREAMS_BLOCKED: Maximum Streams
     */
    uint64_t GetMaximumStreams() const;
    /**
     * \return MAX_STREAMS, STREAMS_BLOCKED: true for the bidirectional types (0x12, 0x16)
     */
    bool IsBidirectional() const;
    /**
     * \return NEW_CONNECTION_ID, RETIRE_CONNECTION_ID: Sequence Number
     */
    uint64_t GetSequenceNumber() const;
    /**
     * \return NEW_CONNECTION_ID: Retire Prior To
     */
    uint64_t GetRetirePriorTo() const;
    /**
     * \return NEW_CONNECTION_ID: the connection ID
     */
    const QuicConnectionId& GetConnectionId() const;
    /**
     * \return NEW_CONNECTION_ID: the stateless reset token
     */
    const StatelessResetToken& GetStatelessResetToken() const;
    /**
     * \return PATH_CHALLENGE, PATH_RESPONSE: the data
     */
    const PathData& GetPathData() const;
    /**
     * \return CONNECTION_CLOSE 0x1c: the frame type that triggered the error
     */
    uint64_t GetErrorFrameType() const;
    /**
     * \return CONNECTION_CLOSE: the reason phrase
     */
    const std::string& GetReasonPhrase() const;
    /// @}

    /**
     * \brief Field-wise equality of what goes on the wire (decode errors are not compared).
     * \param other the other subheader
     * \return true if equal
     */
    bool operator==(const QuicSubheader& other) const;
    /**
     * \param other the other subheader
     * \return true if not equal
     */
    bool operator!=(const QuicSubheader& other) const;

  private:
    /**
     * \brief Decode with a reader over a prefix of the frame's bytes.
     * \param reader the reader
     * \param bytesBeyondReader bytes that exist after the reader's end (only
     *        counted for the data of STREAM/CRYPTO/DATAGRAM frames)
     * \param out the subheader
     * \param error the error
     * \return true on success
     */
    static bool DecodeImpl(QuicByteReader& reader,
                           size_t bytesBeyondReader,
                           QuicSubheader& out,
                           QuicWireError& error);
    /**
     * \brief Write the frame header through any sink with the QuicByteWriter interface.
     * \param sink the sink
     */
    template <class Sink>
    void EncodeTo(Sink& sink) const;
    /**
     * \brief Abort unless the frame type matches.
     * \param ok whether it matches
     * \param what the accessor
     */
    void Require(bool ok, const char* what) const;
    /**
     * \brief Reset every field to its default, keeping vector capacity.
     */
    void Reset();

    uint64_t m_type;                           //!< frame type
    bool m_valid;                              //!< made by a factory or decoded successfully
    uint64_t m_paddingLength;                  //!< PADDING run length
    uint64_t m_streamId;                       //!< Stream ID
    uint64_t m_offset;                         //!< STREAM / CRYPTO offset
    uint64_t m_dataLength;                     //!< data bytes following the header
    uint64_t m_value;                          //!< limit of MAX_* / *_BLOCKED, final size
    uint64_t m_errorCode;                      //!< error code
    uint64_t m_errorFrameType;                 //!< CONNECTION_CLOSE 0x1c frame type
    uint64_t m_largestAcknowledged;            //!< ACK Largest Acknowledged
    uint64_t m_ackDelay;                       //!< ACK Delay field
    uint64_t m_firstAckRange;                  //!< First ACK Range
    std::vector<QuicAckRange> m_ackRanges;     //!< further ACK ranges
    QuicEcnCounts m_ecn;                       //!< ECN counts
    uint64_t m_sequenceNumber;                 //!< connection ID sequence number
    uint64_t m_retirePriorTo;                  //!< Retire Prior To
    QuicConnectionId m_connectionId;           //!< NEW_CONNECTION_ID connection ID
    StatelessResetToken m_statelessResetToken; //!< NEW_CONNECTION_ID reset token
    PathData m_pathData;                       //!< PATH_CHALLENGE / PATH_RESPONSE data
    std::vector<uint8_t> m_token;              //!< NEW_TOKEN token
    std::string m_reasonPhrase;                //!< CONNECTION_CLOSE reason
    QuicWireError m_decodeError;               //!< why the last Deserialize() failed
};

} // namespace ns3

#endif /* QUIC_SUBHEADER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-subheader.h"

#include "quic-byte-reader.h"
#include "quic-byte-writer.h"
#include "quic-varint.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSubheader");

NS_OBJECT_ENSURE_REGISTERED(QuicSubheader);

bool
QuicAckRange::operator==(const QuicAckRange& other) const
{
    return gap == other.gap && length == other.length;
}

bool
QuicAckInterval::operator==(const QuicAckInterval& other) const
{
    return low == other.low && high == other.high;
}

bool
QuicEcnCounts::operator==(const QuicEcnCounts& other) const
{
    return ect0 == other.ect0 && ect1 == other.ect1 && ce == other.ce;
}

namespace
{

/// Bytes copied from a Buffer::Iterator before decoding: enough for every frame
/// header but long ACKs, tokens and reason phrases (then everything is copied).
constexpr size_t kDeserializePrefix = 256;

/**
 * \brief Minimal varint size, shortened.
 * \param v the value
 * \return its encoded size
 */
inline size_t
Vs(uint64_t v)
{
    return QuicVarInt::GetEncodedSize(v);
}

/**
 * \brief Reads the fields of one frame and records precise errors.
 */
class FieldReader
{
  public:
    /**
     * \param r the reader
     * \param e the error to fill
     * \param type the frame type being read
     */
    FieldReader(QuicByteReader& r, QuicWireError& e, uint64_t type)
        : m_r(r),
          m_e(e),
          m_type(type)
    {
    }

    /**
     * \brief Read a varint field.
     * \param field its name
     * \param v the value
     * \return false (error filled) if truncated
     */
    bool VarInt(const char* field, uint64_t& v)
    {
        size_t offset = m_r.Position();
        if (m_r.ReadVarInt(v))
        {
            return true;
        }
        uint8_t first = 0;
        uint64_t needed = m_r.PeekU8(first) ? QuicVarInt::GetLengthFromFirstByte(first) : 1;
        return Truncated(field, offset, needed);
    }

    /**
     * \brief Read a fixed-size byte field.
     * \param field its name
     * \param dst where to copy
     * \param n its size
     * \return false (error filled) if truncated
     */
    bool Bytes(const char* field, uint8_t* dst, size_t n)
    {
        size_t offset = m_r.Position();
        return m_r.ReadBytes(dst, n) || Truncated(field, offset, n);
    }

    /**
     * \brief Record a truncation.
     * \param field the field
     * \param offset its offset
     * \param needed bytes it needs
     * \return false
     */
    bool Truncated(const char* field, size_t offset, uint64_t needed)
    {
        std::ostringstream oss;
        oss << "frame truncated: the field needs " << needed << " byte(s), "
            << (m_r.Size() - offset) << " left";
        return Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR, field, offset, oss.str());
    }

    /**
     * \brief Record an error.
     * \param code the RFC error code
     * \param field the field
     * \param offset its offset
     * \param message what was wrong
     * \return false
     */
    bool Fail(QuicTransportErrorCode code,
              const char* field,
              size_t offset,
              const std::string& message)
    {
        m_e.Set(code, m_type, field, offset, message);
        NS_LOG_LOGIC("QUIC frame decoding failed: " << m_e);
        return false;
    }

    /**
     * \return the reader's position
     */
    size_t Pos() const
    {
        return m_r.Position();
    }

  private:
    QuicByteReader& m_r; //!< the reader
    QuicWireError& m_e;  //!< the error
    uint64_t m_type;     //!< the frame type
};

/**
 * \brief Format a number as "0x..".
 * \param v the number
 * \return the text
 */
std::string
Hex(uint64_t v)
{
    std::ostringstream oss;
    oss << "0x" << std::hex << v;
    return oss.str();
}

} // namespace

TypeId
QuicSubheader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicSubheader")
                            .SetParent<Header>()
                            .SetGroupName("Quic")
                            .AddConstructor<QuicSubheader>();
    return tid;
}

TypeId
QuicSubheader::GetInstanceTypeId() const
{
    return GetTypeId();
}

QuicSubheader::QuicSubheader()
    : m_type(PADDING),
      m_valid(false),
      m_paddingLength(1),
      m_streamId(0),
      m_offset(0),
      m_dataLength(0),
      m_value(0),
      m_errorCode(0),
      m_errorFrameType(0),
      m_largestAcknowledged(0),
      m_ackDelay(0),
      m_firstAckRange(0),
      m_sequenceNumber(0),
      m_retirePriorTo(0),
      m_statelessResetToken{},
      m_pathData{}
{
}

void
QuicSubheader::Reset()
{
    m_type = PADDING;
    m_valid = false;
    m_paddingLength = 1;
    m_streamId = 0;
    m_offset = 0;
    m_dataLength = 0;
    m_value = 0;
    m_errorCode = 0;
    m_errorFrameType = 0;
    m_largestAcknowledged = 0;
    m_ackDelay = 0;
    m_firstAckRange = 0;
    m_ackRanges.clear();
    m_ecn = QuicEcnCounts();
    m_sequenceNumber = 0;
    m_retirePriorTo = 0;
    m_connectionId = QuicConnectionId();
    m_statelessResetToken.fill(0);
    m_pathData.fill(0);
    m_token.clear();
    m_reasonPhrase.clear();
}

// ---------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------

namespace
{

/**
 * \brief Abort if a value cannot be a varint field.
 * \param v the value
 * \param what the factory and field
 */
void
CheckVarInt(uint64_t v, const char* what)
{
    NS_ABORT_MSG_IF(v > QuicVarInt::kMaxValue,
                    "QuicSubheader::" << what << ": " << v << " exceeds 2^62-1 (RFC 9000 §16)");
}

} // namespace

QuicSubheader
QuicSubheader::CreatePadding(uint64_t count)
{
    QuicSubheader s;
    s.m_valid = true;
    s.SetPaddingLength(count);
    return s;
}

QuicSubheader
QuicSubheader::CreatePing()
{
    QuicSubheader s;
    s.m_type = PING;
    s.m_valid = true;
    return s;
}

QuicSubheader
QuicSubheader::CreateAck(uint64_t largestAcknowledged,
                         uint64_t ackDelay,
                         uint64_t firstAckRange,
                         const std::vector<QuicAckRange>& ranges,
                         std::optional<QuicEcnCounts> ecn)
{
    CheckVarInt(largestAcknowledged, "CreateAck(largestAcknowledged)");
    CheckVarInt(ackDelay, "CreateAck(ackDelay)");
    NS_ABORT_MSG_IF(firstAckRange > largestAcknowledged,
                    "QuicSubheader::CreateAck: first ACK range "
                        << firstAckRange << " goes below packet number 0 (largest "
                        << largestAcknowledged << ")");
    uint64_t smallest = largestAcknowledged - firstAckRange;
    for (const auto& range : ranges)
    {
        CheckVarInt(range.gap, "CreateAck(gap)");
        NS_ABORT_MSG_IF(range.gap + 2 > smallest || range.length > smallest - range.gap - 2,
                        "QuicSubheader::CreateAck: range (gap "
                            << range.gap << ", length " << range.length
                            << ") goes below packet number 0 (RFC 9000 §19.3.1)");
        smallest = smallest - range.gap - 2 - range.length;
    }
    QuicSubheader s;
    s.m_type = ecn.has_value() ? ACK_ECN : ACK;
    s.m_valid = true;
    s.m_largestAcknowledged = largestAcknowledged;
    s.m_ackDelay = ackDelay;
    s.m_firstAckRange = firstAckRange;
    s.m_ackRanges = ranges;
    if (ecn.has_value())
    {
        CheckVarInt(ecn->ect0, "CreateAck(ect0)");
        CheckVarInt(ecn->ect1, "CreateAck(ect1)");
        CheckVarInt(ecn->ce, "CreateAck(ce)");
        s.m_ecn = *ecn;
    }
    return s;
}

QuicSubheader
QuicSubheader::CreateAckFromIntervals(std::vector<QuicAckInterval> intervals,
                                      uint64_t ackDelay,
                                      std::optional<QuicEcnCounts> ecn)
{
    NS_ABORT_MSG_IF(intervals.empty(), "QuicSubheader::CreateAckFromIntervals: no interval");
    for (const auto& i : intervals)
    {
        NS_ABORT_MSG_IF(i.low > i.high,
                        "QuicSubheader::CreateAckFromIntervals: interval ["
                            << i.low << ", " << i.high << "] is empty");
        CheckVarInt(i.high, "CreateAckFromIntervals(high)");
    }
    std::sort(intervals.begin(), intervals.end(), [](const auto& a, const auto& b) {
        return a.high > b.high;
    });
    // Merge overlapping and touching intervals, highest first.
    std::vector<QuicAckInterval> merged;
    merged.reserve(intervals.size());
    for (const auto& i : intervals)
    {
        if (!merged.empty() && i.high + 1 >= merged.back().low)
        {
            merged.back().low = std::min(merged.back().low, i.low);
        }
        else
        {
            merged.push_back(i);
        }
    }
    std::vector<QuicAckRange> ranges;
    ranges.reserve(merged.size() - 1);
    for (size_t k = 1; k < merged.size(); ++k)
    {
        // RFC 9000 §19.3.1: largest = previous smallest - gap - 2.
        ranges.push_back({merged[k - 1].low - merged[k].high - 2, merged[k].high - merged[k].low});
    }
    return CreateAck(merged[0].high, ackDelay, merged[0].high - merged[0].low, ranges, ecn);
}

QuicSubheader
QuicSubheader::CreateResetStream(uint64_t streamId,
                                 uint64_t applicationErrorCode,
                                 uint64_t finalSize)
{
    CheckVarInt(streamId, "CreateResetStream(streamId)");
    CheckVarInt(applicationErrorCode, "CreateResetStream(applicationErrorCode)");
    CheckVarInt(finalSize, "CreateResetStream(finalSize)");
    QuicSubheader s;
    s.m_type = RESET_STREAM;
    s.m_valid = true;
    s.m_streamId = streamId;
    s.m_errorCode = applicationErrorCode;
    s.m_value = finalSize;
    return s;
}

QuicSubheader
QuicSubheader::CreateStopSending(uint64_t streamId, uint64_t applicationErrorCode)
{
    CheckVarInt(streamId, "CreateStopSending(streamId)");
    CheckVarInt(applicationErrorCode, "CreateStopSending(applicationErrorCode)");
    QuicSubheader s;
    s.m_type = STOP_SENDING;
    s.m_valid = true;
    s.m_streamId = streamId;
    s.m_errorCode = applicationErrorCode;
    return s;
}

QuicSubheader
QuicSubheader::CreateCrypto(uint64_t offset, uint64_t length)
{
    CheckVarInt(offset, "CreateCrypto(offset)");
    QuicSubheader s;
    s.m_type = CRYPTO;
    s.m_valid = true;
    s.m_offset = offset;
    s.SetDataLength(length);
    return s;
}

QuicSubheader
QuicSubheader::CreateNewToken(const std::vector<uint8_t>& token)
{
    NS_ABORT_MSG_IF(token.empty(),
                    "QuicSubheader::CreateNewToken: the token must not be empty (RFC 9000 §19.7)");
    QuicSubheader s;
    s.m_type = NEW_TOKEN;
    s.m_valid = true;
    s.m_token = token;
    return s;
}

QuicSubheader
QuicSubheader::CreateStreamSubHeader(uint64_t streamId,
                                     uint64_t offset,
                                     uint64_t length,
                                     bool withOffset,
                                     bool withLength,
                                     bool fin)
{
    CheckVarInt(streamId, "CreateStreamSubHeader(streamId)");
    NS_ABORT_MSG_IF(!withOffset && offset != 0,
                    "QuicSubheader::CreateStreamSubHeader: offset "
                        << offset << " needs withOffset (RFC 9000 §19.8: no OFF bit means 0)");
    QuicSubheader s;
    s.m_type = STREAM | (withOffset ? STREAM_OFF_BIT : 0) | (withLength ? STREAM_LEN_BIT : 0) |
               (fin ? STREAM_FIN_BIT : 0);
    s.m_valid = true;
    s.m_streamId = streamId;
    s.m_offset = offset;
    s.SetDataLength(length);
    return s;
}

uint64_t
QuicSubheader::EncodeStreamHeader(QuicByteWriter& writer,
                                  uint64_t streamId,
                                  uint64_t offset,
                                  uint64_t length,
                                  bool withOffset,
                                  bool withLength,
                                  bool fin)
{
    // The checks and the field order of CreateStreamSubHeader and EncodeTo.
    CheckVarInt(streamId, "EncodeStreamHeader(streamId)");
    NS_ABORT_MSG_IF(!withOffset && offset != 0,
                    "QuicSubheader::EncodeStreamHeader: offset "
                        << offset << " needs withOffset (RFC 9000 §19.8: no OFF bit means 0)");
    NS_ABORT_MSG_IF(length > kMaxStreamOffset || offset > kMaxStreamOffset - length,
                    "QuicSubheader::EncodeStreamHeader: offset " << offset << " + length " << length
                                                                 << " exceeds 2^62-1");
    uint64_t type = STREAM | (withOffset ? STREAM_OFF_BIT : 0) | (withLength ? STREAM_LEN_BIT : 0) |
                    (fin ? STREAM_FIN_BIT : 0);
    writer.WriteVarInt(type);
    writer.WriteVarInt(streamId);
    if (withOffset)
    {
        writer.WriteVarInt(offset);
    }
    if (withLength)
    {
        writer.WriteVarInt(length);
    }
    return type;
}

QuicSubheader
QuicSubheader::CreateMaxData(uint64_t maximumData)
{
    CheckVarInt(maximumData, "CreateMaxData");
    QuicSubheader s;
    s.m_type = MAX_DATA;
    s.m_valid = true;
    s.m_value = maximumData;
    return s;
}

QuicSubheader
QuicSubheader::CreateMaxStreamData(uint64_t streamId, uint64_t maximumStreamData)
{
    CheckVarInt(streamId, "CreateMaxStreamData(streamId)");
    CheckVarInt(maximumStreamData, "CreateMaxStreamData");
    QuicSubheader s;
    s.m_type = MAX_STREAM_DATA;
    s.m_valid = true;
    s.m_streamId = streamId;
    s.m_value = maximumStreamData;
    return s;
}

QuicSubheader
QuicSubheader::CreateMaxStreams(bool bidirectional, uint64_t maximumStreams)
{
    NS_ABORT_MSG_IF(maximumStreams > kMaxStreams,
                    "QuicSubheader::CreateMaxStreams: " << maximumStreams
                                                        << " exceeds 2^60 (RFC 9000 §19.11)");
    QuicSubheader s;
    s.m_type = bidirectional ? MAX_STREAMS_BIDI : MAX_STREAMS_UNI;
    s.m_valid = true;
    s.m_value = maximumStreams;
    return s;
}

QuicSubheader
QuicSubheader::CreateDataBlocked(uint64_t maximumData)
{
    CheckVarInt(maximumData, "CreateDataBlocked");
    QuicSubheader s;
    s.m_type = DATA_BLOCKED;
    s.m_valid = true;
    s.m_value = maximumData;
    return s;
}

QuicSubheader
QuicSubheader::CreateStreamDataBlocked(uint64_t streamId, uint64_t maximumStreamData)
{
    CheckVarInt(streamId, "CreateStreamDataBlocked(streamId)");
    CheckVarInt(maximumStreamData, "CreateStreamDataBlocked");
    QuicSubheader s;
    s.m_type = STREAM_DATA_BLOCKED;
    s.m_valid = true;
    s.m_streamId = streamId;
    s.m_value = maximumStreamData;
    return s;
}

QuicSubheader
QuicSubheader::CreateStreamsBlocked(bool bidirectional, uint64_t maximumStreams)
{
    NS_ABORT_MSG_IF(maximumStreams > kMaxStreams,
                    "QuicSubheader::CreateStreamsBlocked: " << maximumStreams
                                                            << " exceeds 2^60 (RFC 9000 §19.14)");
    QuicSubheader s;
    s.m_type = bidirectional ? STREAMS_BLOCKED_BIDI : STREAMS_BLOCKED_UNI;
    s.m_valid = true;
    s.m_value = maximumStreams;
    return s;
}

QuicSubheader
QuicSubheader::CreateNewConnectionId(uint64_t sequenceNumber,
                                     uint64_t retirePriorTo,
                                     const QuicConnectionId& connectionId,
                                     const StatelessResetToken& statelessResetToken)
{
    CheckVarInt(sequenceNumber, "CreateNewConnectionId(sequenceNumber)");
    NS_ABORT_MSG_IF(retirePriorTo > sequenceNumber,
                    "QuicSubheader::CreateNewConnectionId: retirePriorTo "
                        << retirePriorTo << " exceeds the sequence number " << sequenceNumber
                        << " (RFC 9000 §19.15)");
    NS_ABORT_MSG_IF(connectionId.IsEmpty(),
                    "QuicSubheader::CreateNewConnectionId: the connection ID must be 1..20 bytes "
                    "(RFC 9000 §19.15)");
    QuicSubheader s;
    s.m_type = NEW_CONNECTION_ID;
    s.m_valid = true;
    s.m_sequenceNumber = sequenceNumber;
    s.m_retirePriorTo = retirePriorTo;
    s.m_connectionId = connectionId;
    s.m_statelessResetToken = statelessResetToken;
    return s;
}

QuicSubheader
QuicSubheader::CreateRetireConnectionId(uint64_t sequenceNumber)
{
    CheckVarInt(sequenceNumber, "CreateRetireConnectionId");
    QuicSubheader s;
    s.m_type = RETIRE_CONNECTION_ID;
    s.m_valid = true;
    s.m_sequenceNumber = sequenceNumber;
    return s;
}

QuicSubheader
QuicSubheader::CreatePathChallenge(const PathData& data)
{
    QuicSubheader s;
    s.m_type = PATH_CHALLENGE;
    s.m_valid = true;
    s.m_pathData = data;
    return s;
}

QuicSubheader
QuicSubheader::CreatePathResponse(const PathData& data)
{
    QuicSubheader s = CreatePathChallenge(data);
    s.m_type = PATH_RESPONSE;
    return s;
}

QuicSubheader
QuicSubheader::CreateConnectionClose(QuicTransportErrorCode errorCode,
                                     uint64_t frameType,
                                     const std::string& reasonPhrase)
{
    CheckVarInt(static_cast<uint64_t>(errorCode), "CreateConnectionClose(errorCode)");
    CheckVarInt(frameType, "CreateConnectionClose(frameType)");
    QuicSubheader s;
    s.m_type = CONNECTION_CLOSE;
    s.m_valid = true;
    s.m_errorCode = static_cast<uint64_t>(errorCode);
    s.m_errorFrameType = frameType;
    s.m_reasonPhrase = reasonPhrase;
    return s;
}

QuicSubheader
QuicSubheader::CreateApplicationClose(uint64_t applicationErrorCode,
                                      const std::string& reasonPhrase)
{
    CheckVarInt(applicationErrorCode, "CreateApplicationClose(applicationErrorCode)");
    QuicSubheader s;
    s.m_type = APPLICATION_CLOSE;
    s.m_valid = true;
    s.m_errorCode = applicationErrorCode;
    s.m_reasonPhrase = reasonPhrase;
    return s;
}

QuicSubheader
QuicSubheader::CreateHandshakeDone()
{
    QuicSubheader s;
    s.m_type = HANDSHAKE_DONE;
    s.m_valid = true;
    return s;
}

QuicSubheader
QuicSubheader::CreateDatagram(uint64_t length, bool withLength)
{
    QuicSubheader s;
    s.m_type = withLength ? DATAGRAM_WITH_LENGTH : DATAGRAM;
    s.m_valid = true;
    s.SetDataLength(length);
    return s;
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

bool
QuicSubheader::TryDecode(QuicByteReader& reader, QuicSubheader& out, QuicWireError& error)
{
    return DecodeImpl(reader, 0, out, error);
}

bool
QuicSubheader::DecodeImpl(QuicByteReader& r,
                          size_t bytesBeyondReader,
                          QuicSubheader& out,
                          QuicWireError& error)
{
    out.Reset();
    uint8_t first;
    if (!r.PeekU8(first))
    {
        error.Set(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                  QuicWireError::kNoFrameType,
                  "Frame Type",
                  r.Position(),
                  "no bytes left for a frame");
        return false;
    }
    if (first == PADDING)
    {
        // RFC 9000 §19.1: every PADDING frame is one zero byte; a run is one subheader.
        uint64_t count = 0;
        uint8_t b;
        while (r.PeekU8(b) && b == 0)
        {
            r.Skip(1);
            ++count;
        }
        out.m_paddingLength = count;
        out.m_valid = true;
        return true;
    }
    size_t typeOffset = r.Position();
    uint64_t type;
    uint8_t typeLength;
    if (!r.ReadVarInt(type, typeLength))
    {
        FieldReader f(r, error, QuicWireError::kNoFrameType);
        return f.Truncated("Frame Type", typeOffset, QuicVarInt::GetLengthFromFirstByte(first));
    }
    FieldReader f(r, error, type);
    if (typeLength != QuicVarInt::GetEncodedSize(type))
    {
        // RFC 9000 §12.4: a frame type MUST use the shortest possible encoding.
        return f.Fail(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                      "Frame Type",
                      typeOffset,
                      "frame type " + Hex(type) + " encoded in " + std::to_string(typeLength) +
                          " bytes instead of " + std::to_string(Vs(type)) +
                          " (RFC 9000 §12.4 requires the shortest encoding)");
    }
    out.m_type = type;
    // Bytes available for the data of STREAM, CRYPTO and DATAGRAM frames.
    auto available = [&r, bytesBeyondReader]() -> uint64_t {
        return uint64_t{r.Remaining()} + bytesBeyondReader;
    };
    auto checkDataLength = [&](size_t offset) {
        if (out.m_dataLength > available())
        {
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "Length",
                          offset,
                          "data length " + std::to_string(out.m_dataLength) + " exceeds the " +
                              std::to_string(available()) + " remaining bytes");
        }
        return true;
    };
    auto checkOffsetPlusLength = [&](size_t offset) {
        // RFC 9000 §19.6 and §19.8: offset + length must not exceed 2^62-1.
        if (out.m_offset > kMaxStreamOffset - out.m_dataLength)
        {
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "Offset",
                          offset,
                          "offset " + std::to_string(out.m_offset) + " + length " +
                              std::to_string(out.m_dataLength) + " exceeds 2^62-1");
        }
        return true;
    };

    switch (type)
    {
    case PING:
    case HANDSHAKE_DONE:
        break;
    case ACK:
    case ACK_ECN: {
        uint64_t rangeCount;
        if (!f.VarInt("Largest Acknowledged", out.m_largestAcknowledged) ||
            !f.VarInt("ACK Delay", out.m_ackDelay))
        {
            return false;
        }
        size_t countOffset = f.Pos();
        if (!f.VarInt("ACK Range Count", rangeCount))
        {
            return false;
        }
        size_t firstOffset = f.Pos();
        if (!f.VarInt("First ACK Range", out.m_firstAckRange))
        {
            return false;
        }
        if (out.m_firstAckRange > out.m_largestAcknowledged)
        {
            // RFC 9000 §19.3.1: a negative packet number is a FRAME_ENCODING_ERROR.
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "First ACK Range",
                          firstOffset,
                          "first ACK range " + std::to_string(out.m_firstAckRange) +
                              " goes below packet number 0 (largest acknowledged " +
                              std::to_string(out.m_largestAcknowledged) + ")");
        }
        // Each range takes at least 2 bytes: refuse a count the bytes cannot hold
        // before reserving memory for it.
        if (rangeCount > r.Remaining() / 2)
        {
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "ACK Range Count",
                          countOffset,
                          std::to_string(rangeCount) + " ACK ranges cannot fit in the " +
                              std::to_string(r.Remaining()) + " remaining bytes");
        }
        out.m_ackRanges.reserve(rangeCount);
        uint64_t smallest = out.m_largestAcknowledged - out.m_firstAckRange;
        for (uint64_t i = 0; i < rangeCount; ++i)
        {
            QuicAckRange range;
            size_t gapOffset = f.Pos();
            if (!f.VarInt("Gap", range.gap))
            {
                return false;
            }
            if (range.gap + 2 > smallest)
            {
                return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                              "Gap",
                              gapOffset,
                              "gap " + std::to_string(range.gap) + " of ACK range " +
                                  std::to_string(i) + " goes below packet number 0 (smallest " +
                                  std::to_string(smallest) + ")");
            }
            uint64_t high = smallest - range.gap - 2;
            size_t lengthOffset = f.Pos();
            if (!f.VarInt("ACK Range Length", range.length))
            {
                return false;
            }
            if (range.length > high)
            {
                return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                              "ACK Range Length",
                              lengthOffset,
                              "length " + std::to_string(range.length) + " of ACK range " +
                                  std::to_string(i) + " goes below packet number 0 (largest " +
                                  std::to_string(high) + ")");
            }
            smallest = high - range.length;
            out.m_ackRanges.push_back(range);
        }
        if (type == ACK_ECN &&
            (!f.VarInt("ECT0 Count", out.m_ecn.ect0) || !f.VarInt("ECT1 Count", out.m_ecn.ect1) ||
             !f.VarInt("ECN-CE Count", out.m_ecn.ce)))
        {
            return false;
        }
        break;
    }
    case RESET_STREAM:
        if (!f.VarInt("Stream ID", out.m_streamId) ||
            !f.VarInt("Application Protocol Error Code", out.m_errorCode) ||
            !f.VarInt("Final Size", out.m_value))
        {
            return false;
        }
        break;
    case STOP_SENDING:
        if (!f.VarInt("Stream ID", out.m_streamId) ||
            !f.VarInt("Application Protocol Error Code", out.m_errorCode))
        {
            return false;
        }
        break;
    case CRYPTO: {
        size_t offsetOffset = f.Pos();
        if (!f.VarInt("Offset", out.m_offset))
        {
            return false;
        }
        size_t lengthOffset = f.Pos();
        if (!f.VarInt("Length", out.m_dataLength) || !checkOffsetPlusLength(offsetOffset) ||
            !checkDataLength(lengthOffset))
        {
            return false;
        }
        break;
    }
    case NEW_TOKEN: {
        size_t lengthOffset = f.Pos();
        uint64_t length;
        if (!f.VarInt("Token Length", length))
        {
            return false;
        }
        if (length == 0)
        {
            // RFC 9000 §19.7: an empty token is a FRAME_ENCODING_ERROR.
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "Token Length",
                          lengthOffset,
                          "NEW_TOKEN with an empty token");
        }
        size_t tokenOffset = f.Pos();
        if (!r.ReadBytes(out.m_token, length))
        {
            return f.Truncated("Token", tokenOffset, length);
        }
        break;
    }
    case MAX_DATA:
    case DATA_BLOCKED:
        if (!f.VarInt("Maximum Data", out.m_value))
        {
            return false;
        }
        break;
    case MAX_STREAM_DATA:
    case STREAM_DATA_BLOCKED:
        if (!f.VarInt("Stream ID", out.m_streamId) || !f.VarInt("Maximum Stream Data", out.m_value))
        {
            return false;
        }
        break;
    case MAX_STREAMS_BIDI:
    case MAX_STREAMS_UNI:
    case STREAMS_BLOCKED_BIDI:
    case STREAMS_BLOCKED_UNI: {
        size_t offset = f.Pos();
        if (!f.VarInt("Maximum Streams", out.m_value))
        {
            return false;
        }
        if (out.m_value > kMaxStreams)
        {
            // RFC 9000 §19.11 and §19.14: above 2^60 is a FRAME_ENCODING_ERROR.
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "Maximum Streams",
                          offset,
                          "maximum streams " + std::to_string(out.m_value) + " exceeds 2^60");
        }
        break;
    }
    case NEW_CONNECTION_ID: {
        if (!f.VarInt("Sequence Number", out.m_sequenceNumber))
        {
            return false;
        }
        size_t retireOffset = f.Pos();
        if (!f.VarInt("Retire Prior To", out.m_retirePriorTo))
        {
            return false;
        }
        if (out.m_retirePriorTo > out.m_sequenceNumber)
        {
            // RFC 9000 §19.15: FRAME_ENCODING_ERROR.
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "Retire Prior To",
                          retireOffset,
                          "retire prior to " + std::to_string(out.m_retirePriorTo) +
                              " exceeds the sequence number " +
                              std::to_string(out.m_sequenceNumber));
        }
        size_t lengthOffset = f.Pos();
        uint8_t length;
        if (!f.Bytes("Length", &length, 1))
        {
            return false;
        }
        if (length < 1 || length > QuicConnectionId::kMaxLength)
        {
            // RFC 9000 §19.15: lengths outside 1..20 are a FRAME_ENCODING_ERROR.
            return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                          "Length",
                          lengthOffset,
                          "connection ID length " + std::to_string(length) + " is not in 1..20");
        }
        uint8_t cid[QuicConnectionId::kMaxLength];
        if (!f.Bytes("Connection ID", cid, length) || !f.Bytes("Stateless Reset Token",
                                                               out.m_statelessResetToken.data(),
                                                               out.m_statelessResetToken.size()))
        {
            return false;
        }
        out.m_connectionId = QuicConnectionId(cid, length);
        break;
    }
    case RETIRE_CONNECTION_ID:
        if (!f.VarInt("Sequence Number", out.m_sequenceNumber))
        {
            return false;
        }
        break;
    case PATH_CHALLENGE:
    case PATH_RESPONSE:
        if (!f.Bytes("Data", out.m_pathData.data(), out.m_pathData.size()))
        {
            return false;
        }
        break;
    case CONNECTION_CLOSE:
    case APPLICATION_CLOSE: {
        if (!f.VarInt("Error Code", out.m_errorCode) ||
            (type == CONNECTION_CLOSE && !f.VarInt("Frame Type", out.m_errorFrameType)))
        {
            return false;
        }
        uint64_t length;
        if (!f.VarInt("Reason Phrase Length", length))
        {
            return false;
        }
        size_t reasonOffset = f.Pos();
        if (!r.ReadBytes(out.m_reasonPhrase, length))
        {
            return f.Truncated("Reason Phrase", reasonOffset, length);
        }
        break;
    }
    case DATAGRAM:
        // RFC 9221 §4: without a Length field the data runs to the end of the packet.
        out.m_dataLength = available();
        break;
    case DATAGRAM_WITH_LENGTH: {
        size_t lengthOffset = f.Pos();
        if (!f.VarInt("Length", out.m_dataLength) || !checkDataLength(lengthOffset))
        {
            return false;
        }
        break;
    }
    default:
        if (IsStream(type))
        {
            if (!f.VarInt("Stream ID", out.m_streamId))
            {
                return false;
            }
            size_t offsetOffset = f.Pos();
            if ((type & STREAM_OFF_BIT) && !f.VarInt("Offset", out.m_offset))
            {
                return false;
            }
            size_t lengthOffset = f.Pos();
            if (type & STREAM_LEN_BIT)
            {
                if (!f.VarInt("Length", out.m_dataLength) || !checkDataLength(lengthOffset))
                {
                    return false;
                }
            }
            else
            {
                // RFC 9000 §19.8: without LEN the data runs to the end of the packet.
                out.m_dataLength = available();
            }
            if (!checkOffsetPlusLength(offsetOffset))
            {
                return false;
            }
            break;
        }
        // Extension frame types will be parsed by plugins (protocol operation
        // parse_frame[type]); the core knows none of them.
        return f.Fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                      "Frame Type",
                      typeOffset,
                      "unknown frame type " + Hex(type));
    }
    out.m_valid = true;
    return true;
}

uint32_t
QuicSubheader::Deserialize(Buffer::Iterator start)
{
    NS_LOG_FUNCTION(this);
    size_t remaining = start.GetRemainingSize();
    if (remaining > 0 && start.PeekU8() == PADDING)
    {
        // Count the whole run without copying it.
        Reset();
        Buffer::Iterator it = start;
        uint64_t count = 0;
        while (count < remaining && it.ReadU8() == 0)
        {
            ++count;
        }
        m_paddingLength = count;
        m_valid = true;
        m_decodeError.Clear();
        return static_cast<uint32_t>(count);
    }
    uint8_t local[kDeserializePrefix];
    size_t n = std::min(remaining, kDeserializePrefix);
    Buffer::Iterator copy = start;
    copy.Read(local, static_cast<uint32_t>(n));
    QuicByteReader prefix(local, n);
    bool ok = DecodeImpl(prefix, remaining - n, *this, m_decodeError);
    size_t consumed = prefix.Position();
    if (!ok && n < remaining)
    {
        std::vector<uint8_t> all(remaining);
        copy = start;
        copy.Read(all.data(), static_cast<uint32_t>(remaining));
        QuicByteReader whole(all.data(), remaining);
        ok = DecodeImpl(whole, 0, *this, m_decodeError);
        consumed = whole.Position();
    }
    if (!ok)
    {
        NS_LOG_LOGIC("QuicSubheader::Deserialize failed: " << m_decodeError);
        m_valid = false;
        return 0;
    }
    m_decodeError.Clear();
    return static_cast<uint32_t>(consumed);
}

// ---------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------

template <class Sink>
void
QuicSubheader::EncodeTo(Sink& sink) const
{
    NS_ABORT_MSG_IF(!m_valid, "QuicSubheader: serializing an invalid subheader; use a factory");
    if (m_type == PADDING)
    {
        sink.WriteRepeated(0, m_paddingLength);
        return;
    }
    sink.WriteVarInt(m_type);
    switch (m_type)
    {
    case PING:
    case HANDSHAKE_DONE:
        return;
    case ACK:
    case ACK_ECN:
        sink.WriteVarInt(m_largestAcknowledged);
        sink.WriteVarInt(m_ackDelay);
        sink.WriteVarInt(m_ackRanges.size());
        sink.WriteVarInt(m_firstAckRange);
        for (const auto& range : m_ackRanges)
        {
            sink.WriteVarInt(range.gap);
            sink.WriteVarInt(range.length);
        }
        if (m_type == ACK_ECN)
        {
            sink.WriteVarInt(m_ecn.ect0);
            sink.WriteVarInt(m_ecn.ect1);
            sink.WriteVarInt(m_ecn.ce);
        }
        return;
    case RESET_STREAM:
        sink.WriteVarInt(m_streamId);
        sink.WriteVarInt(m_errorCode);
        sink.WriteVarInt(m_value);
        return;
    case STOP_SENDING:
        sink.WriteVarInt(m_streamId);
        sink.WriteVarInt(m_errorCode);
        return;
    case CRYPTO:
        sink.WriteVarInt(m_offset);
        sink.WriteVarInt(m_dataLength);
        return;
    case NEW_TOKEN:
        sink.WriteVarInt(m_token.size());
        sink.WriteBytes(m_token);
        return;
    case MAX_DATA:
    case DATA_BLOCKED:
    case MAX_STREAMS_BIDI:
    case MAX_STREAMS_UNI:
    case STREAMS_BLOCKED_BIDI:
    case STREAMS_BLOCKED_UNI:
        sink.WriteVarInt(m_value);
        return;
    case MAX_STREAM_DATA:
    case STREAM_DATA_BLOCKED:
        sink.WriteVarInt(m_streamId);
        sink.WriteVarInt(m_value);
        return;
    case NEW_CONNECTION_ID:
        sink.WriteVarInt(m_sequenceNumber);
        sink.WriteVarInt(m_retirePriorTo);
        sink.WriteU8(m_connectionId.GetLength());
        sink.WriteBytes(m_connectionId.GetData(), m_connectionId.GetLength());
        sink.WriteBytes(m_statelessResetToken.data(), m_statelessResetToken.size());
        return;
    case RETIRE_CONNECTION_ID:
        sink.WriteVarInt(m_sequenceNumber);
        return;
    case PATH_CHALLENGE:
    case PATH_RESPONSE:
        sink.WriteBytes(m_pathData.data(), m_pathData.size());
        return;
    case CONNECTION_CLOSE:
    case APPLICATION_CLOSE:
        sink.WriteVarInt(m_errorCode);
        if (m_type == CONNECTION_CLOSE)
        {
            sink.WriteVarInt(m_errorFrameType);
        }
        sink.WriteVarInt(m_reasonPhrase.size());
        sink.WriteBytes(m_reasonPhrase);
        return;
    case DATAGRAM:
        return;
    case DATAGRAM_WITH_LENGTH:
        sink.WriteVarInt(m_dataLength);
        return;
    default:
        break;
    }
    NS_ABORT_MSG_UNLESS(IsStream(m_type),
                        "QuicSubheader: cannot encode unknown frame type " << Hex(m_type));
    sink.WriteVarInt(m_streamId);
    if (m_type & STREAM_OFF_BIT)
    {
        sink.WriteVarInt(m_offset);
    }
    if (m_type & STREAM_LEN_BIT)
    {
        sink.WriteVarInt(m_dataLength);
    }
}

void
QuicSubheader::Encode(QuicByteWriter& writer) const
{
    EncodeTo(writer);
}

void
QuicSubheader::Serialize(Buffer::Iterator start) const
{
    QuicIteratorWriter sink(start);
    EncodeTo(sink);
}

uint32_t
QuicSubheader::GetSerializedSize() const
{
    if (m_type == PADDING)
    {
        return static_cast<uint32_t>(m_paddingLength);
    }
    size_t size = Vs(m_type);
    switch (m_type)
    {
    case PING:
    case HANDSHAKE_DONE:
    case DATAGRAM:
        break;
    case ACK:
    case ACK_ECN:
        size += Vs(m_largestAcknowledged) + Vs(m_ackDelay) + Vs(m_ackRanges.size()) +
                Vs(m_firstAckRange);
        for (const auto& range : m_ackRanges)
        {
            size += Vs(range.gap) + Vs(range.length);
        }
        if (m_type == ACK_ECN)
        {
            size += Vs(m_ecn.ect0) + Vs(m_ecn.ect1) + Vs(m_ecn.ce);
        }
        break;
    case RESET_STREAM:
        size += Vs(m_streamId) + Vs(m_errorCode) + Vs(m_value);
        break;
    case STOP_SENDING:
        size += Vs(m_streamId) + Vs(m_errorCode);
        break;
    case CRYPTO:
        size += Vs(m_offset) + Vs(m_dataLength);
        break;
    case NEW_TOKEN:
        size += Vs(m_token.size()) + m_token.size();
        break;
    case MAX_DATA:
    case DATA_BLOCKED:
    case MAX_STREAMS_BIDI:
    case MAX_STREAMS_UNI:
    case STREAMS_BLOCKED_BIDI:
    case STREAMS_BLOCKED_UNI:
        size += Vs(m_value);
        break;
    case MAX_STREAM_DATA:
    case STREAM_DATA_BLOCKED:
        size += Vs(m_streamId) + Vs(m_value);
        break;
    case NEW_CONNECTION_ID:
        size += Vs(m_sequenceNumber) + Vs(m_retirePriorTo) + 1 + m_connectionId.GetLength() +
                m_statelessResetToken.size();
        break;
    case RETIRE_CONNECTION_ID:
        size += Vs(m_sequenceNumber);
        break;
    case PATH_CHALLENGE:
    case PATH_RESPONSE:
        size += m_pathData.size();
        break;
    case CONNECTION_CLOSE:
    case APPLICATION_CLOSE:
        size += Vs(m_errorCode) + (m_type == CONNECTION_CLOSE ? Vs(m_errorFrameType) : 0) +
                Vs(m_reasonPhrase.size()) + m_reasonPhrase.size();
        break;
    case DATAGRAM_WITH_LENGTH:
        size += Vs(m_dataLength);
        break;
    default:
        if (IsStream(m_type))
        {
            size += Vs(m_streamId);
            size += (m_type & STREAM_OFF_BIT) ? Vs(m_offset) : 0;
            size += (m_type & STREAM_LEN_BIT) ? Vs(m_dataLength) : 0;
        }
        break;
    }
    return static_cast<uint32_t>(size);
}

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

void
QuicSubheader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "QuicSubheader(invalid";
        if (m_decodeError.IsError())
        {
            os << ": " << m_decodeError;
        }
        os << ")";
        return;
    }
    os << FrameTypeToString(m_type);
    switch (m_type)
    {
    case PADDING:
        os << " x" << m_paddingLength;
        break;
    case ACK:
    case ACK_ECN: {
        os << " largest=" << m_largestAcknowledged << " delay=" << m_ackDelay << " acked=[";
        bool firstInterval = true;
        for (const auto& i : GetAckIntervals())
        {
            os << (firstInterval ? "" : ",") << i.low << "-" << i.high;
            firstInterval = false;
        }
        os << "]";
        if (m_type == ACK_ECN)
        {
            os << " ect0=" << m_ecn.ect0 << " ect1=" << m_ecn.ect1 << " ce=" << m_ecn.ce;
        }
        break;
    }
    case RESET_STREAM:
        os << " stream=" << m_streamId << " error=" << m_errorCode << " finalSize=" << m_value;
        break;
    case STOP_SENDING:
        os << " stream=" << m_streamId << " error=" << m_errorCode;
        break;
    case CRYPTO:
        os << " offset=" << m_offset << " length=" << m_dataLength;
        break;
    case NEW_TOKEN:
        os << " token=" << m_token.size() << "B";
        break;
    case MAX_DATA:
    case DATA_BLOCKED:
        os << " maxData=" << m_value;
        break;
    case MAX_STREAM_DATA:
    case STREAM_DATA_BLOCKED:
        os << " stream=" << m_streamId << " maxStreamData=" << m_value;
        break;
    case MAX_STREAMS_BIDI:
    case MAX_STREAMS_UNI:
    case STREAMS_BLOCKED_BIDI:
    case STREAMS_BLOCKED_UNI:
        os << " maxStreams=" << m_value;
        break;
    case NEW_CONNECTION_ID:
        os << " seq=" << m_sequenceNumber << " retirePriorTo=" << m_retirePriorTo
           << " cid=" << m_connectionId;
        break;
    case RETIRE_CONNECTION_ID:
        os << " seq=" << m_sequenceNumber;
        break;
    case PATH_CHALLENGE:
    case PATH_RESPONSE:
        os << " data=" << QuicConnectionId(m_pathData.data(), m_pathData.size());
        break;
    case CONNECTION_CLOSE:
        os << " error=" << static_cast<QuicTransportErrorCode>(m_errorCode)
           << " frameType=" << Hex(m_errorFrameType) << " reason=\"" << m_reasonPhrase << "\"";
        break;
    case APPLICATION_CLOSE:
        os << " error=" << m_errorCode << " reason=\"" << m_reasonPhrase << "\"";
        break;
    case DATAGRAM:
    case DATAGRAM_WITH_LENGTH:
        os << " length=" << m_dataLength << (m_type == DATAGRAM ? " (to end of packet)" : "");
        break;
    default:
        if (IsStream(m_type))
        {
            os << "(" << Hex(m_type) << ") stream=" << m_streamId << " offset=" << m_offset
               << " length=" << m_dataLength;
            os << ((m_type & STREAM_LEN_BIT) ? "" : " (to end of packet)");
            os << ((m_type & STREAM_FIN_BIT) ? " FIN" : "");
        }
        break;
    }
    os << " [" << GetSerializedSize() << "B]";
}

// ---------------------------------------------------------------------------
// Frame type properties
// ---------------------------------------------------------------------------

std::string
QuicSubheader::FrameTypeToString(uint64_t type)
{
    switch (type)
    {
    case PADDING:
        return "PADDING";
    case PING:
        return "PING";
    case ACK:
        return "ACK";
    case ACK_ECN:
        return "ACK_ECN";
    case RESET_STREAM:
        return "RESET_STREAM";
    case STOP_SENDING:
        return "STOP_SENDING";
    case CRYPTO:
        return "CRYPTO";
    case NEW_TOKEN:
        return "NEW_TOKEN";
    case MAX_DATA:
        return "MAX_DATA";
    case MAX_STREAM_DATA:
        return "MAX_STREAM_DATA";
    case MAX_STREAMS_BIDI:
        return "MAX_STREAMS_BIDI";
    case MAX_STREAMS_UNI:
        return "MAX_STREAMS_UNI";
    case DATA_BLOCKED:
        return "DATA_BLOCKED";
    case STREAM_DATA_BLOCKED:
        return "STREAM_DATA_BLOCKED";
    case STREAMS_BLOCKED_BIDI:
        return "STREAMS_BLOCKED_BIDI";
    case STREAMS_BLOCKED_UNI:
        return "STREAMS_BLOCKED_UNI";
    case NEW_CONNECTION_ID:
        return "NEW_CONNECTION_ID";
    case RETIRE_CONNECTION_ID:
        return "RETIRE_CONNECTION_ID";
    case PATH_CHALLENGE:
        return "PATH_CHALLENGE";
    case PATH_RESPONSE:
        return "PATH_RESPONSE";
    case CONNECTION_CLOSE:
        return "CONNECTION_CLOSE";
    case APPLICATION_CLOSE:
        return "CONNECTION_CLOSE_APP";
    case HANDSHAKE_DONE:
        return "HANDSHAKE_DONE";
    case DATAGRAM:
    case DATAGRAM_WITH_LENGTH:
        return "DATAGRAM";
    default:
        return IsStream(type) ? "STREAM" : "UNKNOWN";
    }
}

bool
QuicSubheader::IsKnownFrameType(uint64_t type)
{
    return type <= HANDSHAKE_DONE || IsDatagram(type);
}

bool
QuicSubheader::IsAckEliciting(uint64_t type)
{
    // RFC 9002 §2: all frames other than ACK, PADDING and CONNECTION_CLOSE.
    return type != PADDING && !IsAck(type) && !IsConnectionClose(type);
}

bool
QuicSubheader::IsProbing(uint64_t type)
{
    return type == PADDING || type == NEW_CONNECTION_ID || type == PATH_CHALLENGE ||
           type == PATH_RESPONSE;
}

bool
QuicSubheader::IsCongestionControlled(uint64_t type)
{
    return !IsAck(type);
}

bool
QuicSubheader::IsFlowControlled(uint64_t type)
{
    return IsStream(type);
}

bool
QuicSubheader::IsStream(uint64_t type)
{
    return type >= STREAM && type <= STREAM_MAX;
}

bool
QuicSubheader::IsStreamControl(uint64_t type)
{
    switch (type)
    {
    case RESET_STREAM:
    case STOP_SENDING:
    case MAX_DATA:
    case MAX_STREAM_DATA:
    case MAX_STREAMS_BIDI:
    case MAX_STREAMS_UNI:
    case DATA_BLOCKED:
    case STREAM_DATA_BLOCKED:
    case STREAMS_BLOCKED_BIDI:
    case STREAMS_BLOCKED_UNI:
        return true;
    default:
        return false;
    }
}

bool
QuicSubheader::IsAck(uint64_t type)
{
    return type == ACK || type == ACK_ECN;
}

bool
QuicSubheader::IsDatagram(uint64_t type)
{
    return type == DATAGRAM || type == DATAGRAM_WITH_LENGTH;
}

bool
QuicSubheader::IsConnectionClose(uint64_t type)
{
    return type == CONNECTION_CLOSE || type == APPLICATION_CLOSE;
}

bool
QuicSubheader::CarriesData(uint64_t type)
{
    return IsStream(type) || type == CRYPTO || IsDatagram(type);
}

bool
QuicSubheader::IsAllowedInPacketType(uint64_t frameType, QuicHeader::PacketType packetType)
{
    bool initialOrHandshake =
        packetType == QuicHeader::INITIAL || packetType == QuicHeader::HANDSHAKE;
    bool zeroRtt = packetType == QuicHeader::ZERO_RTT;
    bool oneRtt = packetType == QuicHeader::SHORT;
    if (!initialOrHandshake && !zeroRtt && !oneRtt)
    {
        return false; // Retry and Version Negotiation carry no frames (§12.4)
    }
    switch (frameType)
    {
    case PADDING:
    case PING:
    case CONNECTION_CLOSE:
        return true; // IH01
    case ACK:
    case ACK_ECN:
    case CRYPTO:
        return !zeroRtt; // IH_1
    case NEW_TOKEN:
    case PATH_RESPONSE:
    case HANDSHAKE_DONE:
        return oneRtt; // ___1
    case APPLICATION_CLOSE:
    case DATAGRAM:
    case DATAGRAM_WITH_LENGTH:
        return zeroRtt || oneRtt; // __01 (0x1d: §19.19; DATAGRAM: RFC 9221 §4)
    default:
        // __01: stream and flow control frames, connection ID frames, PATH_CHALLENGE.
        return IsKnownFrameType(frameType) && (zeroRtt || oneRtt);
    }
}

// ---------------------------------------------------------------------------
// Accessors
// ---------------------------------------------------------------------------

void
QuicSubheader::Require(bool ok, const char* what) const
{
    NS_ABORT_MSG_IF(!ok,
                    "QuicSubheader::" << what << " does not apply to a "
                                      << FrameTypeToString(m_type) << " frame");
}

bool
QuicSubheader::IsValid() const
{
    return m_valid;
}

const QuicWireError&
QuicSubheader::GetDecodeError() const
{
    return m_decodeError;
}

uint64_t
QuicSubheader::GetFrameType() const
{
    return m_type;
}

uint64_t
QuicSubheader::GetPaddingLength() const
{
    return m_type == PADDING ? m_paddingLength : 0;
}

void
QuicSubheader::SetPaddingLength(uint64_t count)
{
    Require(m_type == PADDING, "SetPaddingLength");
    NS_ABORT_MSG_IF(count == 0 || count > std::numeric_limits<uint32_t>::max(),
                    "QuicSubheader::SetPaddingLength: " << count << " is not 1..2^32-1");
    m_paddingLength = count;
}

uint64_t
QuicSubheader::GetLargestAcknowledged() const
{
    return m_largestAcknowledged;
}

uint64_t
QuicSubheader::GetAckDelay() const
{
    return m_ackDelay;
}

Time
QuicSubheader::GetAckDelay(uint8_t ackDelayExponent) const
{
    return DecodeAckDelay(m_ackDelay, ackDelayExponent);
}

Time
QuicSubheader::DecodeAckDelay(uint64_t encoded, uint8_t ackDelayExponent)
{
    uint8_t exponent = std::min<uint8_t>(ackDelayExponent, 20);
    // Largest number of microseconds a Time (int64 nanoseconds) holds.
    constexpr uint64_t maxMicros =
        static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 1000;
    if (encoded > (maxMicros >> exponent))
    {
        return Time::Max();
    }
    return MicroSeconds(encoded << exponent);
}

uint64_t
QuicSubheader::EncodeAckDelay(Time delay, uint8_t ackDelayExponent)
{
    uint8_t exponent = std::min<uint8_t>(ackDelayExponent, 20);
    int64_t micros = delay.GetMicroSeconds();
    return micros <= 0 ? 0 : static_cast<uint64_t>(micros) >> exponent;
}

uint64_t
QuicSubheader::GetFirstAckRange() const
{
    return m_firstAckRange;
}

const std::vector<QuicAckRange>&
QuicSubheader::GetAckRanges() const
{
    return m_ackRanges;
}

std::vector<QuicAckInterval>
QuicSubheader::GetAckIntervals() const
{
    std::vector<QuicAckInterval> intervals;
    if (!IsAck(m_type))
    {
        return intervals;
    }
    intervals.reserve(m_ackRanges.size() + 1);
    // Factories and decoding guarantee that nothing goes below 0 (RFC 9000 §19.3.1).
    uint64_t low = m_largestAcknowledged - m_firstAckRange;
    intervals.push_back({low, m_largestAcknowledged});
    for (const auto& range : m_ackRanges)
    {
        uint64_t high = low - range.gap - 2;
        low = high - range.length;
        intervals.push_back({low, high});
    }
    return intervals;
}

bool
QuicSubheader::HasEcnCounts() const
{
    return m_type == ACK_ECN;
}

const QuicEcnCounts&
QuicSubheader::GetEcnCounts() const
{
    return m_ecn;
}

uint64_t
QuicSubheader::GetStreamId() const
{
    return m_streamId;
}

uint64_t
QuicSubheader::GetOffset() const
{
    return m_offset;
}

uint64_t
QuicSubheader::GetDataLength() const
{
    return m_dataLength;
}

void
QuicSubheader::SetDataLength(uint64_t length)
{
    Require(CarriesData(m_type), "SetDataLength");
    NS_ABORT_MSG_IF(length > kMaxStreamOffset || m_offset > kMaxStreamOffset - length,
                    "QuicSubheader::SetDataLength: offset " << m_offset << " + length " << length
                                                            << " exceeds 2^62-1");
    m_dataLength = length;
}

bool
QuicSubheader::HasOffsetField() const
{
    return IsStream(m_type) && (m_type & STREAM_OFF_BIT);
}

bool
QuicSubheader::HasLengthField() const
{
    return (IsStream(m_type) && (m_type & STREAM_LEN_BIT)) || m_type == DATAGRAM_WITH_LENGTH ||
           m_type == CRYPTO;
}

bool
QuicSubheader::IsFin() const
{
    return IsStream(m_type) && (m_type & STREAM_FIN_BIT);
}

void
QuicSubheader::SetFin(bool fin)
{
    Require(IsStream(m_type), "SetFin");
    m_type = fin ? (m_type | STREAM_FIN_BIT) : (m_type & ~uint64_t{STREAM_FIN_BIT});
}

uint64_t
QuicSubheader::GetErrorCode() const
{
    return m_errorCode;
}

QuicTransportErrorCode
QuicSubheader::GetTransportErrorCode() const
{
    return static_cast<QuicTransportErrorCode>(m_errorCode);
}

uint64_t
QuicSubheader::GetFinalSize() const
{
    return m_type == RESET_STREAM ? m_value : 0;
}

const std::vector<uint8_t>&
QuicSubheader::GetToken() const
{
    return m_token;
}

uint64_t
QuicSubheader::GetMaximumData() const
{
    return (m_type == MAX_DATA || m_type == DATA_BLOCKED) ? m_value : 0;
}

uint64_t
QuicSubheader::GetMaximumStreamData() const
{
    return (m_type == MAX_STREAM_DATA || m_type == STREAM_DATA_BLOCKED) ? m_value : 0;
}

uint64_t
QuicSubheader::GetMaximumStreams() const
{
    return (m_type >= MAX_STREAMS_BIDI && m_type <= STREAMS_BLOCKED_UNI && m_type != DATA_BLOCKED &&
            m_type != STREAM_DATA_BLOCKED)
               ? m_value
               : 0;
}

bool
QuicSubheader::IsBidirectional() const
{
    return m_type == MAX_STREAMS_BIDI || m_type == STREAMS_BLOCKED_BIDI;
}

uint64_t
QuicSubheader::GetSequenceNumber() const
{
    return m_sequenceNumber;
}

uint64_t
QuicSubheader::GetRetirePriorTo() const
{
    return m_retirePriorTo;
}

const QuicConnectionId&
QuicSubheader::GetConnectionId() const
{
    return m_connectionId;
}

const QuicSubheader::StatelessResetToken&
QuicSubheader::GetStatelessResetToken() const
{
    return m_statelessResetToken;
}

const QuicSubheader::PathData&
QuicSubheader::GetPathData() const
{
    return m_pathData;
}

uint64_t
QuicSubheader::GetErrorFrameType() const
{
    return m_errorFrameType;
}

const std::string&
QuicSubheader::GetReasonPhrase() const
{
    return m_reasonPhrase;
}

bool
QuicSubheader::operator==(const QuicSubheader& other) const
{
    // Fields a frame type does not use keep their defaults (Reset()/factories),
    // so comparing all of them compares exactly what goes on the wire.
    return m_valid == other.m_valid && m_type == other.m_type &&
           GetPaddingLength() == other.GetPaddingLength() && m_streamId == other.m_streamId &&
           m_offset == other.m_offset && m_dataLength == other.m_dataLength &&
           m_value == other.m_value && m_errorCode == other.m_errorCode &&
           m_errorFrameType == other.m_errorFrameType &&
           m_largestAcknowledged == other.m_largestAcknowledged && m_ackDelay == other.m_ackDelay &&
           m_firstAckRange == other.m_firstAckRange && m_ackRanges == other.m_ackRanges &&
           m_ecn == other.m_ecn && m_sequenceNumber == other.m_sequenceNumber &&
           m_retirePriorTo == other.m_retirePriorTo && m_connectionId == other.m_connectionId &&
           m_statelessResetToken == other.m_statelessResetToken && m_pathData == other.m_pathData &&
           m_token == other.m_token && m_reasonPhrase == other.m_reasonPhrase;
}

bool
QuicSubheader::operator!=(const QuicSubheader& other) const
{
    return !(*this == other);
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-header.h"

#include "quic-byte-reader.h"
#include "quic-byte-writer.h"
#include "quic-packet-number.h"
#include "quic-varint.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicHeader");

NS_OBJECT_ENSURE_REGISTERED(QuicHeader);

namespace
{

/// RFC 9000 §17.2: Header Form bit.
constexpr uint8_t kHeaderFormLong = 0x80;
/// RFC 9000 §17.2, §17.3.1: Fixed Bit.
constexpr uint8_t kFixedBit = 0x40;
/// RFC 9000 §17.2: long header Reserved Bits (Initial, 0-RTT, Handshake).
constexpr uint8_t kLongReservedBits = 0x0c;
/// RFC 9000 §17.3.1: short header Reserved Bits.
constexpr uint8_t kShortReservedBits = 0x18;
/// RFC 9000 §17.3.1: Spin Bit.
constexpr uint8_t kSpinBit = 0x20;
/// RFC 9000 §17.3.1: Key Phase.
constexpr uint8_t kKeyPhaseBit = 0x04;
/// Bytes copied from a Buffer::Iterator before decoding; enough for any header
/// except an Initial with a long token (then everything is copied).
constexpr size_t kDeserializePrefix = 256;

/**
 * \brief Record a decoding failure.
 * \param error the error to fill
 * \param code the RFC error code
 * \param field the field
 * \param offset its offset
 * \param message what was wrong
 * \return false, for "return Fail(...)"
 */
bool
Fail(QuicWireError& error,
     QuicTransportErrorCode code,
     const char* field,
     size_t offset,
     const std::string& message)
{
    error.Set(code, QuicWireError::kNoFrameType, field, offset, message);
    NS_LOG_LOGIC("QUIC header decoding failed: " << error);
    return false;
}

/**
 * \brief Report a header truncated in a field.
 * \param error the error to fill
 * \param field the field
 * \param offset its offset
 * \param needed bytes the field needs
 * \param available bytes left
 * \return false
 */
bool
Truncated(QuicWireError& error, const char* field, size_t offset, uint64_t needed, size_t available)
{
    std::ostringstream oss;
    oss << "header truncated: needs " << needed << " byte(s), " << available << " left";
    return Fail(error, QuicTransportErrorCode::PROTOCOL_VIOLATION, field, offset, oss.str());
}

/**
 * \brief Read a connection ID preceded by its 8-bit length (RFC 9000 §17.2).
 * \param r the reader
 * \param lengthField name of the length field
 * \param field name of the connection ID field
 * \param cid the connection ID read
 * \param error the error
 * \return false on failure
 */
bool
ReadConnectionId(QuicByteReader& r,
                 const char* lengthField,
                 const char* field,
                 QuicConnectionId& cid,
                 QuicWireError& error)
{
    size_t offset = r.Position();
    uint8_t length;
    if (!r.ReadU8(length))
    {
        return Truncated(error, lengthField, offset, 1, r.Remaining());
    }
    if (length > QuicConnectionId::kMaxLength)
    {
        // RFC 9000 §17.2: "Endpoints that receive a version 1 long header with a
        // value larger than 20 MUST drop the packet."
        return Fail(error,
                    QuicTransportErrorCode::PROTOCOL_VIOLATION,
                    lengthField,
                    offset,
                    "connection ID length " + std::to_string(length) + " exceeds 20 bytes");
    }
    const uint8_t* bytes;
    if (!r.View(length, bytes))
    {
        return Truncated(error, field, offset + 1, length, r.Remaining());
    }
    cid = QuicConnectionId(bytes, length);
    return true;
}

/**
 * Writes a short header (RFC 9000 §17.3.1): its first byte 0 1 S R R K P P, the
 * destination connection ID and the truncated packet number.
 * \param sink where to write (QuicByteWriter or a byte sink of EncodeTo)
 * \param dcid destination connection ID
 * \param packetNumber packet number (its low pnLength bytes are written)
 * \param pnLength packet number length, 1..4
 * \param spinBit the spin bit
 * \param keyPhase the key phase bit
 */
template <class Sink>
void
WriteShortHeader(Sink& sink,
                 const QuicConnectionId& dcid,
                 uint64_t packetNumber,
                 uint8_t pnLength,
                 bool spinBit,
                 bool keyPhase)
{
    uint8_t first = kFixedBit | static_cast<uint8_t>(pnLength - 1);
    first |= spinBit ? kSpinBit : 0;
    first |= keyPhase ? kKeyPhaseBit : 0;
    sink.WriteU8(first);
    sink.WriteBytes(dcid.GetData(), dcid.GetLength());
    sink.WriteUint(packetNumber, pnLength);
}

} // namespace

TypeId
QuicHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicHeader")
                            .SetParent<Header>()
                            .SetGroupName("Quic")
                            .AddConstructor<QuicHeader>();
    return tid;
}

TypeId
QuicHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

QuicHeader::QuicHeader()
    : m_type(SHORT),
      m_valid(false),
      m_unusedBits(0),
      m_pnLength(1),
      m_lengthFieldSize(0),
      m_shortDcidLength(kDefaultShortHeaderDcidLength),
      m_spinBit(false),
      m_keyPhase(false),
      m_version(0),
      m_packetNumber(0),
      m_payloadLength(0),
      m_retryTag{}
{
}

QuicHeader
QuicHeader::CreateInitial(const QuicConnectionId& dcid,
                          const QuicConnectionId& scid,
                          const std::vector<uint8_t>& token,
                          uint64_t packetNumber,
                          uint8_t pnLength,
                          uint64_t payloadLength,
                          uint32_t version)
{
    QuicHeader h = CreateHandshake(dcid, scid, packetNumber, pnLength, payloadLength, version);
    h.m_type = INITIAL;
    h.m_token = token;
    return h;
}

QuicHeader
QuicHeader::Create0Rtt(const QuicConnectionId& dcid,
                       const QuicConnectionId& scid,
                       uint64_t packetNumber,
                       uint8_t pnLength,
                       uint64_t payloadLength,
                       uint32_t version)
{
    QuicHeader h = CreateHandshake(dcid, scid, packetNumber, pnLength, payloadLength, version);
    h.m_type = ZERO_RTT;
    return h;
}

QuicHeader
QuicHeader::CreateHandshake(const QuicConnectionId& dcid,
                            const QuicConnectionId& scid,
                            uint64_t packetNumber,
                            uint8_t pnLength,
                            uint64_t payloadLength,
                            uint32_t version)
{
    NS_ABORT_MSG_IF(version == VERSION_NEGOTIATION_VERSION,
                    "QuicHeader: version 0 is reserved for Version Negotiation (RFC 9000 §17.2.1)");
    QuicHeader h;
    h.m_type = HANDSHAKE;
    h.m_valid = true;
    h.m_version = version;
    h.m_dcid = dcid;
    h.m_scid = scid;
    h.SetPacketNumber(packetNumber);
    h.SetPacketNumberLength(pnLength);
    h.SetPayloadLength(payloadLength);
    return h;
}

QuicHeader
QuicHeader::CreateRetry(const QuicConnectionId& dcid,
                        const QuicConnectionId& scid,
                        const std::vector<uint8_t>& token,
                        const RetryIntegrityTag& tag,
                        uint32_t version)
{
    NS_ABORT_MSG_IF(version == VERSION_NEGOTIATION_VERSION,
                    "QuicHeader: version 0 is reserved for Version Negotiation (RFC 9000 §17.2.1)");
    QuicHeader h;
    h.m_type = RETRY;
    h.m_valid = true;
    h.m_version = version;
    h.m_dcid = dcid;
    h.m_scid = scid;
    h.m_token = token;
    h.m_retryTag = tag;
    return h;
}

QuicHeader
QuicHeader::CreateVersionNegotiation(const QuicConnectionId& dcid,
                                     const QuicConnectionId& scid,
                                     const std::vector<uint32_t>& supportedVersions)
{
    QuicHeader h;
    h.m_type = VERSION_NEGOTIATION;
    h.m_valid = true;
    h.m_version = VERSION_NEGOTIATION_VERSION;
    h.m_dcid = dcid;
    h.m_scid = scid;
    h.m_versions = supportedVersions;
    // RFC 9000 §17.2.1: servers SHOULD set the most significant unused bit (0x40)
    // where QUIC might be multiplexed with other protocols.
    h.m_unusedBits = 0x40;
    return h;
}

QuicHeader
QuicHeader::CreateShort(const QuicConnectionId& dcid,
                        uint64_t packetNumber,
                        uint8_t pnLength,
                        bool spinBit,
                        bool keyPhase)
{
    QuicHeader h;
    h.m_type = SHORT;
    h.m_valid = true;
    h.m_dcid = dcid;
    h.m_shortDcidLength = dcid.GetLength();
    h.SetPacketNumber(packetNumber);
    h.SetPacketNumberLength(pnLength);
    h.m_spinBit = spinBit;
    h.m_keyPhase = keyPhase;
    return h;
}

void
QuicHeader::EncodeShort(QuicByteWriter& writer,
                        const QuicConnectionId& dcid,
                        uint64_t packetNumber,
                        uint8_t pnLength,
                        bool spinBit,
                        bool keyPhase)
{
    // The checks of SetPacketNumber and SetPacketNumberLength, the bytes of EncodeTo.
    NS_ABORT_MSG_IF(packetNumber > QuicPacketNumber::kMaxPacketNumber,
                    "QuicHeader::EncodeShort: " << packetNumber << " exceeds 2^62-1");
    NS_ABORT_MSG_IF(pnLength < 1 || pnLength > 4,
                    "QuicHeader::EncodeShort: packet number length "
                        << unsigned{pnLength} << " is not 1..4 (RFC 9000 §17.1)");
    WriteShortHeader(writer, dcid, packetNumber, pnLength, spinBit, keyPhase);
}

template <class Sink>
void
QuicHeader::EncodeTo(Sink& sink) const
{
    NS_ABORT_MSG_IF(!m_valid,
                    "QuicHeader: serializing an invalid header; create it with a factory");
    if (m_type == SHORT)
    {
        WriteShortHeader(sink, m_dcid, m_packetNumber, m_pnLength, m_spinBit, m_keyPhase);
        return;
    }
    uint8_t first = kHeaderFormLong;
    switch (m_type)
    {
    case VERSION_NEGOTIATION:
    case UNKNOWN_VERSION:
        // RFC 9000 §17.2.1 and RFC 8999 §5.1: 7 bits that are not ours to interpret.
        first |= m_unusedBits & 0x7f;
        break;
    case RETRY:
        first |= kFixedBit | (RETRY << 4) | (m_unusedBits & 0x0f);
        break;
    default:
        // RFC 9000 §17.2: 1 1 T T R R P P, reserved bits zero.
        first |=
            kFixedBit | static_cast<uint8_t>(m_type << 4) | static_cast<uint8_t>(m_pnLength - 1);
        break;
    }
    sink.WriteU8(first);
    sink.WriteU32(m_version);
    sink.WriteU8(m_dcid.GetLength());
    sink.WriteBytes(m_dcid.GetData(), m_dcid.GetLength());
    sink.WriteU8(m_scid.GetLength());
    sink.WriteBytes(m_scid.GetData(), m_scid.GetLength());
    switch (m_type)
    {
    case VERSION_NEGOTIATION:
        for (uint32_t v : m_versions)
        {
            sink.WriteU32(v);
        }
        return;
    case UNKNOWN_VERSION:
        return;
    case RETRY:
        sink.WriteBytes(m_token);
        sink.WriteBytes(m_retryTag.data(), m_retryTag.size());
        return;
    case INITIAL:
        sink.WriteVarInt(m_token.size());
        sink.WriteBytes(m_token);
        break;
    default:
        break;
    }
    sink.WriteVarInt(GetLengthField(), GetLengthFieldSize());
    sink.WriteUint(m_packetNumber, m_pnLength);
}

void
QuicHeader::Encode(QuicByteWriter& writer) const
{
    EncodeTo(writer);
}

void
QuicHeader::Serialize(Buffer::Iterator start) const
{
    QuicIteratorWriter sink(start);
    EncodeTo(sink);
}

uint32_t
QuicHeader::GetSerializedSize() const
{
    if (m_type == SHORT)
    {
        return 1 + m_dcid.GetLength() + m_pnLength;
    }
    // First byte, Version, two connection IDs with their length bytes.
    size_t size = 1 + 4 + 1 + m_dcid.GetLength() + 1 + m_scid.GetLength();
    switch (m_type)
    {
    case VERSION_NEGOTIATION:
        return static_cast<uint32_t>(size + 4 * m_versions.size());
    case UNKNOWN_VERSION:
        return static_cast<uint32_t>(size);
    case RETRY:
        return static_cast<uint32_t>(size + m_token.size() + kRetryIntegrityTagSize);
    case INITIAL:
        size += QuicVarInt::GetEncodedSize(m_token.size()) + m_token.size();
        break;
    default:
        break;
    }
    return static_cast<uint32_t>(size + GetLengthFieldSize() + m_pnLength);
}

bool
QuicHeader::TryDecode(const uint8_t* data,
                      size_t len,
                      uint8_t shortHeaderDcidLength,
                      QuicHeader& out,
                      size_t& consumed,
                      QuicWireError& error)
{
    NS_ABORT_MSG_IF(shortHeaderDcidLength > QuicConnectionId::kMaxLength,
                    "QuicHeader::TryDecode: short header DCID length "
                        << unsigned{shortHeaderDcidLength} << " exceeds 20");
    out.m_valid = false;
    out.m_shortDcidLength = shortHeaderDcidLength;
    out.m_unusedBits = 0;
    out.m_pnLength = 1;
    out.m_lengthFieldSize = 0;
    out.m_spinBit = false;
    out.m_keyPhase = false;
    out.m_version = 0;
    out.m_packetNumber = 0;
    out.m_payloadLength = 0;
    out.m_dcid = QuicConnectionId();
    out.m_scid = QuicConnectionId();
    out.m_token.clear();
    out.m_retryTag.fill(0);
    out.m_versions.clear();
    consumed = 0;

    if (data == nullptr || len == 0)
    {
        return Truncated(error, "Header Form", 0, 1, 0);
    }
    uint8_t first = data[0];
    if (first & kHeaderFormLong)
    {
        return DecodeLong(data, len, out, consumed, error);
    }
    // RFC 9000 §17.3.1: 1-RTT packet.
    if (!(first & kFixedBit))
    {
        return Fail(error,
                    QuicTransportErrorCode::PROTOCOL_VIOLATION,
                    "Fixed Bit",
                    0,
                    "fixed bit is 0 in a short header (RFC 9000 §17.3.1: discard)");
    }
    if (first & kShortReservedBits)
    {
        return Fail(error,
                    QuicTransportErrorCode::PROTOCOL_VIOLATION,
                    "Reserved Bits",
                    0,
                    "reserved bits of a short header are not zero (RFC 9000 §17.3.1)");
    }
    QuicByteReader r(data, len);
    r.Skip(1);
    const uint8_t* dcid;
    if (!r.View(shortHeaderDcidLength, dcid))
    {
        return Truncated(error,
                         "Destination Connection ID",
                         1,
                         shortHeaderDcidLength,
                         r.Remaining());
    }
    out.m_type = SHORT;
    out.m_dcid = QuicConnectionId(dcid, shortHeaderDcidLength);
    out.m_spinBit = (first & kSpinBit) != 0;
    out.m_keyPhase = (first & kKeyPhaseBit) != 0;
    out.m_pnLength = static_cast<uint8_t>((first & 0x03) + 1);
    size_t pnOffset = r.Position();
    if (!r.ReadUint(out.m_pnLength, out.m_packetNumber))
    {
        return Truncated(error, "Packet Number", pnOffset, out.m_pnLength, r.Remaining());
    }
    consumed = r.Position();
    out.m_valid = true;
    return true;
}

bool
QuicHeader::DecodeLong(const uint8_t* data,
                       size_t len,
                       QuicHeader& out,
                       size_t& consumed,
                       QuicWireError& error)
{
    QuicByteReader r(data, len);
    uint8_t first;
    r.ReadU8(first);
    if (!r.ReadU32(out.m_version))
    {
        return Truncated(error, "Version", 1, 4, r.Remaining());
    }
    bool v1 = out.m_version == QUIC_VERSION_1;
    if (out.m_version == VERSION_NEGOTIATION_VERSION)
    {
        out.m_type = VERSION_NEGOTIATION;
    }
    else if (!v1)
    {
        out.m_type = UNKNOWN_VERSION;
    }
    else
    {
        // RFC 9000 §17.2: packets with the fixed bit 0 are not valid in version 1.
        if (!(first & kFixedBit))
        {
            return Fail(error,
                        QuicTransportErrorCode::PROTOCOL_VIOLATION,
                        "Fixed Bit",
                        0,
                        "fixed bit is 0 in a version 1 long header (RFC 9000 §17.2: discard)");
        }
        out.m_type = static_cast<PacketType>((first >> 4) & 0x03);
    }
    if (!ReadConnectionId(r,
                          "Destination Connection ID Length",
                          "Destination Connection ID",
                          out.m_dcid,
                          error) ||
        !ReadConnectionId(r,
                          "Source Connection ID Length",
                          "Source Connection ID",
                          out.m_scid,
                          error))
    {
        return false;
    }

    switch (out.m_type)
    {
    case VERSION_NEGOTIATION: {
        out.m_unusedBits = first & 0x7f;
        // RFC 9000 §17.2.1: the rest of the packet is a list of 32-bit versions.
        if (r.Remaining() % 4 != 0)
        {
            return Fail(error,
                        QuicTransportErrorCode::PROTOCOL_VIOLATION,
                        "Supported Version",
                        r.Position(),
                        std::to_string(r.Remaining()) +
                            " bytes of version list, not a multiple of 4");
        }
        out.m_versions.reserve(r.Remaining() / 4);
        uint32_t v;
        while (r.ReadU32(v))
        {
            out.m_versions.push_back(v);
        }
        consumed = r.Position();
        out.m_valid = true;
        return true;
    }
    case UNKNOWN_VERSION:
        // RFC 8999 §5.1: only the invariant fields can be read.
        out.m_unusedBits = first & 0x7f;
        consumed = r.Position();
        out.m_valid = true;
        return true;
    case RETRY: {
        // RFC 9000 §17.2.5: the token runs up to the 16-byte tag that ends the packet.
        out.m_unusedBits = first & 0x0f;
        if (r.Remaining() < kRetryIntegrityTagSize)
        {
            return Truncated(error,
                             "Retry Integrity Tag",
                             r.Position(),
                             kRetryIntegrityTagSize,
                             r.Remaining());
        }
        r.ReadBytes(out.m_token, r.Remaining() - kRetryIntegrityTagSize);
        r.ReadBytes(out.m_retryTag.data(), kRetryIntegrityTagSize);
        consumed = r.Position();
        out.m_valid = true;
        return true;
    }
    default:
        break;
    }

    // Initial, 0-RTT, Handshake.
    if (first & kLongReservedBits)
    {
        // RFC 9000 §17.2: non-zero reserved bits are a PROTOCOL_VIOLATION.
        return Fail(error,
                    QuicTransportErrorCode::PROTOCOL_VIOLATION,
                    "Reserved Bits",
                    0,
                    "reserved bits of a long header are not zero (RFC 9000 §17.2)");
    }
    out.m_pnLength = static_cast<uint8_t>((first & 0x03) + 1);
    if (out.m_type == INITIAL)
    {
        size_t offset = r.Position();
        uint64_t tokenLength;
        if (!r.ReadVarInt(tokenLength))
        {
            return Truncated(error, "Token Length", offset, 1, r.Remaining());
        }
        size_t tokenOffset = r.Position();
        if (!r.ReadBytes(out.m_token, tokenLength))
        {
            return Truncated(error, "Token", tokenOffset, tokenLength, r.Remaining());
        }
    }
    size_t lengthOffset = r.Position();
    uint64_t length;
    uint8_t lengthSize;
    if (!r.ReadVarInt(length, lengthSize))
    {
        return Truncated(error, "Length", lengthOffset, 1, r.Remaining());
    }
    if (length < out.m_pnLength)
    {
        return Fail(error,
                    QuicTransportErrorCode::PROTOCOL_VIOLATION,
                    "Length",
                    lengthOffset,
                    "Length " + std::to_string(length) +
                        " is shorter than the packet number length " +
                        std::to_string(out.m_pnLength));
    }
    out.m_lengthFieldSize = lengthSize;
    out.m_payloadLength = length - out.m_pnLength;
    size_t pnOffset = r.Position();
    if (!r.ReadUint(out.m_pnLength, out.m_packetNumber))
    {
        return Truncated(error, "Packet Number", pnOffset, out.m_pnLength, r.Remaining());
    }
    consumed = r.Position();
    out.m_valid = true;
    return true;
}

uint32_t
QuicHeader::Deserialize(Buffer::Iterator start)
{
    NS_LOG_FUNCTION(this);
    size_t remaining = start.GetRemainingSize();
    bool wholePacket = false;
    if (remaining >= 5)
    {
        // Retry and Version Negotiation headers run to the end of the packet.
        uint8_t prefix[5];
        Buffer::Iterator probe = start;
        probe.Read(prefix, 5);
        uint32_t version = (uint32_t{prefix[1]} << 24) | (uint32_t{prefix[2]} << 16) |
                           (uint32_t{prefix[3]} << 8) | prefix[4];
        bool isLong = (prefix[0] & kHeaderFormLong) != 0;
        wholePacket = isLong && (version == VERSION_NEGOTIATION_VERSION ||
                                 (version == QUIC_VERSION_1 && ((prefix[0] >> 4) & 3) == RETRY));
    }
    size_t consumed = 0;
    bool ok = false;
    uint8_t local[kDeserializePrefix];
    size_t n = std::min(remaining, kDeserializePrefix);
    if (!wholePacket)
    {
        Buffer::Iterator copy = start;
        copy.Read(local, static_cast<uint32_t>(n));
        ok = TryDecode(local, n, m_shortDcidLength, *this, consumed, m_decodeError);
    }
    if (!ok && (wholePacket || n < remaining))
    {
        std::vector<uint8_t> all(remaining);
        Buffer::Iterator copy = start;
        copy.Read(all.data(), static_cast<uint32_t>(remaining));
        ok = TryDecode(all.data(), remaining, m_shortDcidLength, *this, consumed, m_decodeError);
    }
    if (!ok)
    {
        NS_LOG_LOGIC("QuicHeader::Deserialize failed: " << m_decodeError);
        m_valid = false;
        return 0;
    }
    m_decodeError.Clear();
    return static_cast<uint32_t>(consumed);
}

bool
QuicHeader::CheckLength(uint64_t remainingAfterHeader, QuicWireError& error) const
{
    if (!HasLengthField() || m_payloadLength <= remainingAfterHeader)
    {
        return true;
    }
    std::ostringstream oss;
    oss << "payload length " << m_payloadLength << " (Length " << GetLengthField()
        << ") exceeds the " << remainingAfterHeader << " bytes left in the datagram";
    return Fail(error,
                QuicTransportErrorCode::PROTOCOL_VIOLATION,
                "Length",
                GetSerializedSize() - m_pnLength - GetLengthFieldSize(),
                oss.str());
}

void
QuicHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "QuicHeader(invalid";
        if (m_decodeError.IsError())
        {
            os << ": " << m_decodeError;
        }
        os << ")";
        return;
    }
    os << PacketTypeToString(m_type);
    if (IsLong())
    {
        os << " version=0x" << std::hex << std::setw(8) << std::setfill('0') << m_version
           << std::dec << std::setfill(' ');
    }
    os << " dcid=" << m_dcid;
    if (IsLong())
    {
        os << " scid=" << m_scid;
    }
    switch (m_type)
    {
    case INITIAL:
        os << " token=" << m_token.size() << "B";
        break;
    case RETRY: {
        os << " token=" << m_token.size() << "B tag=";
        std::ostringstream tag;
        for (uint8_t b : m_retryTag)
        {
            tag << std::hex << std::setw(2) << std::setfill('0') << unsigned{b};
        }
        os << tag.str();
        break;
    }
    case VERSION_NEGOTIATION:
        os << " versions=[";
        for (size_t i = 0; i < m_versions.size(); ++i)
        {
            os << (i ? "," : "") << "0x" << std::hex << m_versions[i] << std::dec;
        }
        os << "]";
        break;
    case SHORT:
        os << " spin=" << m_spinBit << " keyPhase=" << m_keyPhase;
        break;
    default:
        break;
    }
    if (HasPacketNumber())
    {
        os << " pn=" << m_packetNumber << " pnLen=" << unsigned{m_pnLength};
    }
    if (HasLengthField())
    {
        os << " length=" << GetLengthField() << " payload=" << m_payloadLength;
    }
    os << " size=" << GetSerializedSize();
}

bool
QuicHeader::IsValid() const
{
    return m_valid;
}

const QuicWireError&
QuicHeader::GetDecodeError() const
{
    return m_decodeError;
}

bool
QuicHeader::IsLong() const
{
    return m_type != SHORT;
}

bool
QuicHeader::IsShort() const
{
    return m_type == SHORT;
}

QuicHeader::PacketType
QuicHeader::GetType() const
{
    return m_type;
}

bool
QuicHeader::HasPacketNumber() const
{
    return m_type == INITIAL || m_type == ZERO_RTT || m_type == HANDSHAKE || m_type == SHORT;
}

bool
QuicHeader::HasLengthField() const
{
    return m_type == INITIAL || m_type == ZERO_RTT || m_type == HANDSHAKE;
}

const char*
QuicHeader::PacketTypeToString(PacketType type)
{
    switch (type)
    {
    case INITIAL:
        return "Initial";
    case ZERO_RTT:
        return "0-RTT";
    case HANDSHAKE:
        return "Handshake";
    case RETRY:
        return "Retry";
    case VERSION_NEGOTIATION:
        return "VersionNegotiation";
    case SHORT:
        return "1-RTT";
    case UNKNOWN_VERSION:
        return "UnknownVersion";
    }
    return "?";
}

void
QuicHeader::RequireType(bool ok, const char* what) const
{
    NS_ABORT_MSG_IF(!ok,
                    "QuicHeader::" << what << " does not apply to a " << PacketTypeToString(m_type)
                                   << " header");
}

uint32_t
QuicHeader::GetVersion() const
{
    return m_version;
}

void
QuicHeader::SetVersion(uint32_t version)
{
    RequireType(IsLong() && m_type != VERSION_NEGOTIATION, "SetVersion");
    NS_ABORT_MSG_IF(version == VERSION_NEGOTIATION_VERSION,
                    "QuicHeader::SetVersion: version 0 is reserved for Version Negotiation");
    NS_ABORT_MSG_IF(m_type == UNKNOWN_VERSION && version == QUIC_VERSION_1,
                    "QuicHeader::SetVersion: an UnknownVersion header cannot become version 1; "
                    "create a version 1 header with a factory");
    m_version = version;
}

const QuicConnectionId&
QuicHeader::GetDestinationConnectionId() const
{
    return m_dcid;
}

void
QuicHeader::SetDestinationConnectionId(const QuicConnectionId& dcid)
{
    m_dcid = dcid;
    if (m_type == SHORT)
    {
        m_shortDcidLength = dcid.GetLength();
    }
}

const QuicConnectionId&
QuicHeader::GetSourceConnectionId() const
{
    return m_scid;
}

void
QuicHeader::SetSourceConnectionId(const QuicConnectionId& scid)
{
    RequireType(IsLong(), "SetSourceConnectionId");
    m_scid = scid;
}

const std::vector<uint8_t>&
QuicHeader::GetToken() const
{
    return m_token;
}

void
QuicHeader::SetToken(const std::vector<uint8_t>& token)
{
    RequireType(m_type == INITIAL || m_type == RETRY, "SetToken");
    m_token = token;
}

const QuicHeader::RetryIntegrityTag&
QuicHeader::GetRetryIntegrityTag() const
{
    return m_retryTag;
}

void
QuicHeader::SetRetryIntegrityTag(const RetryIntegrityTag& tag)
{
    RequireType(m_type == RETRY, "SetRetryIntegrityTag");
    m_retryTag = tag;
}

const std::vector<uint32_t>&
QuicHeader::GetSupportedVersions() const
{
    return m_versions;
}

void
QuicHeader::SetSupportedVersions(const std::vector<uint32_t>& versions)
{
    RequireType(m_type == VERSION_NEGOTIATION, "SetSupportedVersions");
    m_versions = versions;
}

uint64_t
QuicHeader::GetPacketNumber() const
{
    return m_packetNumber;
}

uint32_t
QuicHeader::GetTruncatedPacketNumber() const
{
    return QuicPacketNumber::Truncate(m_packetNumber, m_pnLength);
}

void
QuicHeader::SetPacketNumber(uint64_t packetNumber)
{
    NS_ABORT_MSG_IF(packetNumber > QuicPacketNumber::kMaxPacketNumber,
                    "QuicHeader::SetPacketNumber: " << packetNumber << " exceeds 2^62-1");
    m_packetNumber = packetNumber;
}

uint8_t
QuicHeader::GetPacketNumberLength() const
{
    return m_pnLength;
}

void
QuicHeader::SetPacketNumberLength(uint8_t length)
{
    NS_ABORT_MSG_IF(length < 1 || length > 4,
                    "QuicHeader::SetPacketNumberLength: " << unsigned{length}
                                                          << " is not 1..4 (RFC 9000 §17.1)");
    NS_ABORT_MSG_IF(m_payloadLength > QuicVarInt::kMaxValue - length,
                    "QuicHeader::SetPacketNumberLength: Length field would exceed 2^62-1");
    m_pnLength = length;
}

uint64_t
QuicHeader::GetPayloadLength() const
{
    return m_payloadLength;
}

void
QuicHeader::SetPayloadLength(uint64_t length)
{
    NS_ABORT_MSG_IF(length > QuicVarInt::kMaxValue - m_pnLength,
                    "QuicHeader::SetPayloadLength: " << length
                                                     << " makes the Length field exceed 2^62-1");
    m_payloadLength = length;
}

uint64_t
QuicHeader::GetLengthField() const
{
    return HasLengthField() ? m_pnLength + m_payloadLength : 0;
}

uint8_t
QuicHeader::GetLengthFieldSize() const
{
    if (!HasLengthField())
    {
        return 0;
    }
    uint8_t minimal = QuicVarInt::GetEncodedSize(GetLengthField());
    if (m_lengthFieldSize == 0)
    {
        return minimal;
    }
    NS_ABORT_MSG_IF(m_lengthFieldSize < minimal,
                    "QuicHeader: Length " << GetLengthField() << " does not fit the forced "
                                          << unsigned{m_lengthFieldSize} << "-byte Length field");
    return m_lengthFieldSize;
}

void
QuicHeader::SetLengthFieldSize(uint8_t size)
{
    NS_ABORT_MSG_IF(size != 0 && size != 1 && size != 2 && size != 4 && size != 8,
                    "QuicHeader::SetLengthFieldSize: " << unsigned{size}
                                                       << " is not 0 (minimal), 1, 2, 4 or 8");
    m_lengthFieldSize = size;
}

bool
QuicHeader::GetSpinBit() const
{
    return m_spinBit;
}

void
QuicHeader::SetSpinBit(bool spin)
{
    RequireType(m_type == SHORT, "SetSpinBit");
    m_spinBit = spin;
}

bool
QuicHeader::GetKeyPhase() const
{
    return m_keyPhase;
}

void
QuicHeader::SetKeyPhase(bool keyPhase)
{
    RequireType(m_type == SHORT, "SetKeyPhase");
    m_keyPhase = keyPhase;
}

uint8_t
QuicHeader::GetUnusedBits() const
{
    return m_unusedBits;
}

void
QuicHeader::SetUnusedBits(uint8_t bits)
{
    RequireType(m_type == RETRY || m_type == VERSION_NEGOTIATION || m_type == UNKNOWN_VERSION,
                "SetUnusedBits");
    m_unusedBits = bits & (m_type == RETRY ? 0x0f : 0x7f);
}

uint8_t
QuicHeader::GetShortHeaderDcidLength() const
{
    return m_shortDcidLength;
}

void
QuicHeader::SetShortHeaderDcidLength(uint8_t length)
{
    NS_ABORT_MSG_IF(length > QuicConnectionId::kMaxLength,
                    "QuicHeader::SetShortHeaderDcidLength: " << unsigned{length} << " exceeds 20");
    m_shortDcidLength = length;
}

bool
QuicHeader::operator==(const QuicHeader& other) const
{
    if (m_valid != other.m_valid || m_type != other.m_type || m_dcid != other.m_dcid)
    {
        return false;
    }
    if (IsLong() && (m_version != other.m_version || m_scid != other.m_scid))
    {
        return false;
    }
    switch (m_type)
    {
    case VERSION_NEGOTIATION:
        return m_unusedBits == other.m_unusedBits && m_versions == other.m_versions;
    case UNKNOWN_VERSION:
        return m_unusedBits == other.m_unusedBits;
    case RETRY:
        return m_unusedBits == other.m_unusedBits && m_token == other.m_token &&
               m_retryTag == other.m_retryTag;
    case SHORT:
        if (m_spinBit != other.m_spinBit || m_keyPhase != other.m_keyPhase)
        {
            return false;
        }
        break;
    case INITIAL:
        if (m_token != other.m_token)
        {
            return false;
        }
        break;
    default:
        break;
    }
    if (m_pnLength != other.m_pnLength ||
        GetTruncatedPacketNumber() != other.GetTruncatedPacketNumber())
    {
        return false;
    }
    return !HasLengthField() || (m_payloadLength == other.m_payloadLength &&
                                 GetLengthFieldSize() == other.GetLengthFieldSize());
}

bool
QuicHeader::operator!=(const QuicHeader& other) const
{
    return !(*this == other);
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-transport-parameters.h"

#include "quic-byte-reader.h"
#include "quic-byte-writer.h"
#include "quic-varint.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <unordered_set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicTransportParameters");

namespace
{

/// Fixed part of preferred_address: IPv4 (4) + port (2) + IPv6 (16) + port (2) + CID length (1).
constexpr size_t kPreferredAddressFixed = 4 + 2 + 16 + 2 + 1;
/// Size of a stateless reset token.
constexpr size_t kResetTokenSize = 16;

/**
 * \param id a parameter id
 * \return true if its value is a single varint (RFC 9000 §18.2)
 */
bool
IsIntegerParameter(uint64_t id)
{
    switch (id)
    {
    case QuicTransportParameters::MAX_IDLE_TIMEOUT:
    case QuicTransportParameters::MAX_UDP_PAYLOAD_SIZE:
    case QuicTransportParameters::INITIAL_MAX_DATA:
    case QuicTransportParameters::INITIAL_MAX_STREAM_DATA_BIDI_LOCAL:
    case QuicTransportParameters::INITIAL_MAX_STREAM_DATA_BIDI_REMOTE:
    case QuicTransportParameters::INITIAL_MAX_STREAM_DATA_UNI:
    case QuicTransportParameters::INITIAL_MAX_STREAMS_BIDI:
    case QuicTransportParameters::INITIAL_MAX_STREAMS_UNI:
    case QuicTransportParameters::ACK_DELAY_EXPONENT:
    case QuicTransportParameters::MAX_ACK_DELAY:
    case QuicTransportParameters::ACTIVE_CONNECTION_ID_LIMIT:
    case QuicTransportParameters::MAX_DATAGRAM_FRAME_SIZE:
        return true;
    default:
        return false;
    }
}

/**
 * \param id a parameter id
 * \return true if its value is a connection ID
 */
bool
IsConnectionIdParameter(uint64_t id)
{
    return id == QuicTransportParameters::ORIGINAL_DESTINATION_CONNECTION_ID ||
           id == QuicTransportParameters::INITIAL_SOURCE_CONNECTION_ID ||
           id == QuicTransportParameters::RETRY_SOURCE_CONNECTION_ID;
}

/**
 * \brief Decode a value that must be exactly one varint.
 * \param value the bytes
 * \param out the integer
 * \return false if the bytes are not exactly one varint
 */
bool
DecodeInteger(const std::vector<uint8_t>& value, uint64_t& out)
{
    return !value.empty() && QuicVarInt::Decode(value.data(), value.size(), out) == value.size();
}

/**
 * \brief Hex dump of bytes.
 * \param data the bytes
 * \return lower-case hex
 */
std::string
HexBytes(const std::vector<uint8_t>& data)
{
    std::ostringstream oss;
    for (uint8_t b : data)
    {
        oss << std::hex << std::setw(2) << std::setfill('0') << unsigned{b};
    }
    return oss.str();
}

} // namespace

bool
QuicTransportParameters::Parameter::operator==(const Parameter& other) const
{
    return id == other.id && value == other.value;
}

bool
QuicTransportParameters::PreferredAddress::operator==(const PreferredAddress& other) const
{
    return ipv4Address == other.ipv4Address && ipv4Port == other.ipv4Port &&
           ipv6Address == other.ipv6Address && ipv6Port == other.ipv6Port &&
           connectionId == other.connectionId && statelessResetToken == other.statelessResetToken;
}

QuicTransportParameters::QuicTransportParameters()
{
}

// ---------------------------------------------------------------------------
// Generic access
// ---------------------------------------------------------------------------

bool
QuicTransportParameters::Has(uint64_t id) const
{
    return GetRaw(id) != nullptr;
}

const std::vector<uint8_t>*
QuicTransportParameters::GetRaw(uint64_t id) const
{
    for (const auto& p : m_parameters)
    {
        if (p.id == id)
        {
            return &p.value;
        }
    }
    return nullptr;
}

void
QuicTransportParameters::SetRaw(uint64_t id, const std::vector<uint8_t>& value)
{
    NS_ABORT_MSG_IF(id > QuicVarInt::kMaxValue,
                    "QuicTransportParameters::SetRaw: id " << id << " exceeds 2^62-1");
    for (auto& p : m_parameters)
    {
        if (p.id == id)
        {
            p.value = value;
            return;
        }
    }
    m_parameters.push_back({id, value});
}

bool
QuicTransportParameters::Remove(uint64_t id)
{
    auto it = std::find_if(m_parameters.begin(), m_parameters.end(), [id](const Parameter& p) {
        return p.id == id;
    });
    if (it == m_parameters.end())
    {
        return false;
    }
    m_parameters.erase(it);
    return true;
}

const std::vector<QuicTransportParameters::Parameter>&
QuicTransportParameters::GetParameters() const
{
    return m_parameters;
}

uint64_t
QuicTransportParameters::GetInteger(uint64_t id, uint64_t defaultValue) const
{
    const std::vector<uint8_t>* raw = GetRaw(id);
    uint64_t value;
    return (raw != nullptr && DecodeInteger(*raw, value)) ? value : defaultValue;
}

void
QuicTransportParameters::SetInteger(uint64_t id, uint64_t value)
{
    uint8_t bytes[QuicVarInt::kMaxEncodedSize];
    uint8_t n = QuicVarInt::Encode(value, bytes);
    SetRaw(id, std::vector<uint8_t>(bytes, bytes + n));
}

std::optional<QuicConnectionId>
QuicTransportParameters::GetConnectionId(uint64_t id) const
{
    const std::vector<uint8_t>* raw = GetRaw(id);
    if (raw == nullptr || raw->size() > QuicConnectionId::kMaxLength)
    {
        return std::nullopt;
    }
    return QuicConnectionId(raw->data(), raw->size());
}

void
QuicTransportParameters::SetConnectionId(uint64_t id, const QuicConnectionId& cid)
{
    SetRaw(id, std::vector<uint8_t>(cid.GetData(), cid.GetData() + cid.GetLength()));
}

// ---------------------------------------------------------------------------
// Typed access
// ---------------------------------------------------------------------------

std::optional<QuicConnectionId>
QuicTransportParameters::GetOriginalDestinationConnectionId() const
{
    return GetConnectionId(ORIGINAL_DESTINATION_CONNECTION_ID);
}

void
QuicTransportParameters::SetOriginalDestinationConnectionId(const QuicConnectionId& cid)
{
    SetConnectionId(ORIGINAL_DESTINATION_CONNECTION_ID, cid);
}

Time
QuicTransportParameters::GetMaxIdleTimeout() const
{
    return MilliSeconds(GetInteger(MAX_IDLE_TIMEOUT, 0));
}

void
QuicTransportParameters::SetMaxIdleTimeout(Time timeout)
{
    NS_ABORT_MSG_IF(timeout.IsStrictlyNegative(),
                    "QuicTransportParameters::SetMaxIdleTimeout: negative timeout " << timeout);
    SetInteger(MAX_IDLE_TIMEOUT, static_cast<uint64_t>(timeout.GetMilliSeconds()));
}

std::optional<QuicTransportParameters::StatelessResetToken>
QuicTransportParameters::GetStatelessResetToken() const
{
    const std::vector<uint8_t>* raw = GetRaw(STATELESS_RESET_TOKEN);
    if (raw == nullptr || raw->size() != kResetTokenSize)
    {
        return std::nullopt;
    }
    StatelessResetToken token;
    std::copy(raw->begin(), raw->end(), token.begin());
    return token;
}

void
QuicTransportParameters::SetStatelessResetToken(const StatelessResetToken& token)
{
    SetRaw(STATELESS_RESET_TOKEN, std::vector<uint8_t>(token.begin(), token.end()));
}

uint64_t
QuicTransportParameters::GetMaxUdpPayloadSize() const
{
    return GetInteger(MAX_UDP_PAYLOAD_SIZE, kDefaultMaxUdpPayloadSize);
}

void
QuicTransportParameters::SetMaxUdpPayloadSize(uint64_t size)
{
    NS_ABORT_MSG_IF(size < kMinMaxUdpPayloadSize,
                    "QuicTransportParameters::SetMaxUdpPayloadSize: "
                        << size << " is below 1200 (RFC 9000 §18.2)");
    SetInteger(MAX_UDP_PAYLOAD_SIZE, size);
}

uint64_t
QuicTransportParameters::GetInitialMaxData() const
{
    return GetInteger(INITIAL_MAX_DATA, 0);
}

void
QuicTransportParameters::SetInitialMaxData(uint64_t bytes)
{
    SetInteger(INITIAL_MAX_DATA, bytes);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamDataBidiLocal() const
{
    return GetInteger(INITIAL_MAX_STREAM_DATA_BIDI_LOCAL, 0);
}

void
QuicTransportParameters::SetInitialMaxStreamDataBidiLocal(uint64_t bytes)
{
    SetInteger(INITIAL_MAX_STREAM_DATA_BIDI_LOCAL, bytes);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamDataBidiRemote() const
{
    return GetInteger(INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, 0);
}

void
QuicTransportParameters::SetInitialMaxStreamDataBidiRemote(uint64_t bytes)
{
    SetInteger(INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, bytes);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamDataUni() const
{
    return GetInteger(INITIAL_MAX_STREAM_DATA_UNI, 0);
}

void
QuicTransportParameters::SetInitialMaxStreamDataUni(uint64_t bytes)
{
    SetInteger(INITIAL_MAX_STREAM_DATA_UNI, bytes);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamsBidi() const
{
    return GetInteger(INITIAL_MAX_STREAMS_BIDI, 0);
}

void
QuicTransportParameters::SetInitialMaxStreamsBidi(uint64_t streams)
{
    NS_ABORT_MSG_IF(streams > kMaxStreams,
                    "QuicTransportParameters::SetInitialMaxStreamsBidi: " << streams
                                                                          << " exceeds 2^60");
    SetInteger(INITIAL_MAX_STREAMS_BIDI, streams);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamsUni() const
{
    return GetInteger(INITIAL_MAX_STREAMS_UNI, 0);
}

void
QuicTransportParameters::SetInitialMaxStreamsUni(uint64_t streams)
{
    NS_ABORT_MSG_IF(streams > kMaxStreams,
                    "QuicTransportParameters::SetInitialMaxStreamsUni: " << streams
                                                                         << " exceeds 2^60");
    SetInteger(INITIAL_MAX_STREAMS_UNI, streams);
}

uint64_t
QuicTransportParameters::GetAckDelayExponent() const
{
    return GetInteger(ACK_DELAY_EXPONENT, kDefaultAckDelayExponent);
}

void
QuicTransportParameters::SetAckDelayExponent(uint64_t exponent)
{
    NS_ABORT_MSG_IF(exponent > kMaxAckDelayExponent,
                    "QuicTransportParameters::SetAckDelayExponent: "
                        << exponent << " exceeds 20 (RFC 9000 §18.2)");
    SetInteger(ACK_DELAY_EXPONENT, exponent);
}

Time
QuicTransportParameters::GetMaxAckDelay() const
{
    return MilliSeconds(GetInteger(MAX_ACK_DELAY, kDefaultMaxAckDelay));
}

void
QuicTransportParameters::SetMaxAckDelay(Time delay)
{
    NS_ABORT_MSG_IF(delay.IsStrictlyNegative() ||
                        static_cast<uint64_t>(delay.GetMilliSeconds()) >= kMaxAckDelayLimit,
                    "QuicTransportParameters::SetMaxAckDelay: "
                        << delay << " is not in [0, 2^14) ms (RFC 9000 §18.2)");
    SetInteger(MAX_ACK_DELAY, static_cast<uint64_t>(delay.GetMilliSeconds()));
}

bool
QuicTransportParameters::GetDisableActiveMigration() const
{
    return Has(DISABLE_ACTIVE_MIGRATION);
}

void
QuicTransportParameters::SetDisableActiveMigration(bool disable)
{
    if (disable)
    {
        SetRaw(DISABLE_ACTIVE_MIGRATION, {});
    }
    else
    {
        Remove(DISABLE_ACTIVE_MIGRATION);
    }
}

std::optional<QuicTransportParameters::PreferredAddress>
QuicTransportParameters::GetPreferredAddress() const
{
    const std::vector<uint8_t>* raw = GetRaw(PREFERRED_ADDRESS);
    QuicWireError ignored;
    if (raw == nullptr || !ValidateParameter(PREFERRED_ADDRESS, *raw, 0, ignored))
    {
        return std::nullopt;
    }
    QuicByteReader r(raw->data(), raw->size());
    PreferredAddress a;
    uint8_t v4[4];
    uint8_t v6[16];
    uint8_t cidLength;
    const uint8_t* cid;
    // Validated above: none of these reads can fail.
    r.ReadBytes(v4, 4);
    r.ReadU16(a.ipv4Port);
    r.ReadBytes(v6, 16);
    r.ReadU16(a.ipv6Port);
    r.ReadU8(cidLength);
    r.View(cidLength, cid);
    r.ReadBytes(a.statelessResetToken.data(), kResetTokenSize);
    a.ipv4Address = Ipv4Address::Deserialize(v4);
    a.ipv6Address = Ipv6Address::Deserialize(v6);
    a.connectionId = QuicConnectionId(cid, cidLength);
    return a;
}

void
QuicTransportParameters::SetPreferredAddress(const PreferredAddress& address)
{
    NS_ABORT_MSG_IF(address.connectionId.IsEmpty(),
                    "QuicTransportParameters::SetPreferredAddress: the connection ID must not be "
                    "empty (RFC 9000 §18.2)");
    std::vector<uint8_t> value;
    value.reserve(kPreferredAddressFixed + address.connectionId.GetLength() + kResetTokenSize);
    QuicByteWriter w(value);
    uint8_t v4[4];
    uint8_t v6[16];
    address.ipv4Address.Serialize(v4);
    address.ipv6Address.Serialize(v6);
    w.WriteBytes(v4, 4);
    w.WriteU16(address.ipv4Port);
    w.WriteBytes(v6, 16);
    w.WriteU16(address.ipv6Port);
    w.WriteU8(address.connectionId.GetLength());
    w.WriteBytes(address.connectionId.GetData(), address.connectionId.GetLength());
    w.WriteBytes(address.statelessResetToken.data(), kResetTokenSize);
    SetRaw(PREFERRED_ADDRESS, value);
}

uint64_t
QuicTransportParameters::GetActiveConnectionIdLimit() const
{
    return GetInteger(ACTIVE_CONNECTION_ID_LIMIT, kDefaultActiveConnectionIdLimit);
}

void
QuicTransportParameters::SetActiveConnectionIdLimit(uint64_t limit)
{
    NS_ABORT_MSG_IF(limit < kDefaultActiveConnectionIdLimit,
                    "QuicTransportParameters::SetActiveConnectionIdLimit: "
                        << limit << " is below 2 (RFC 9000 §18.2)");
    SetInteger(ACTIVE_CONNECTION_ID_LIMIT, limit);
}

std::optional<QuicConnectionId>
QuicTransportParameters::GetInitialSourceConnectionId() const
{
    return GetConnectionId(INITIAL_SOURCE_CONNECTION_ID);
}

void
QuicTransportParameters::SetInitialSourceConnectionId(const QuicConnectionId& cid)
{
    SetConnectionId(INITIAL_SOURCE_CONNECTION_ID, cid);
}

std::optional<QuicConnectionId>
QuicTransportParameters::GetRetrySourceConnectionId() const
{
    return GetConnectionId(RETRY_SOURCE_CONNECTION_ID);
}

void
QuicTransportParameters::SetRetrySourceConnectionId(const QuicConnectionId& cid)
{
    SetConnectionId(RETRY_SOURCE_CONNECTION_ID, cid);
}

uint64_t
QuicTransportParameters::GetMaxDatagramFrameSize() const
{
    return GetInteger(MAX_DATAGRAM_FRAME_SIZE, 0);
}

void
QuicTransportParameters::SetMaxDatagramFrameSize(uint64_t size)
{
    SetInteger(MAX_DATAGRAM_FRAME_SIZE, size);
}

// ---------------------------------------------------------------------------
// Encoding, decoding, validation
// ---------------------------------------------------------------------------

void
QuicTransportParameters::Encode(QuicByteWriter& writer) const
{
    for (const auto& p : m_parameters)
    {
        // RFC 9000 §18: Transport Parameter ID (i), Length (i), Value (..).
        writer.WriteVarInt(p.id);
        writer.WriteVarInt(p.value.size());
        writer.WriteBytes(p.value);
    }
}

std::vector<uint8_t>
QuicTransportParameters::Encode() const
{
    std::vector<uint8_t> out;
    out.reserve(GetEncodedSize());
    QuicByteWriter w(out);
    Encode(w);
    return out;
}

size_t
QuicTransportParameters::GetEncodedSize() const
{
    size_t size = 0;
    for (const auto& p : m_parameters)
    {
        size += QuicVarInt::GetEncodedSize(p.id) + QuicVarInt::GetEncodedSize(p.value.size()) +
                p.value.size();
    }
    return size;
}

bool
QuicTransportParameters::TryDecode(const uint8_t* data,
                                   size_t len,
                                   QuicTransportParameters& out,
                                   QuicWireError& error)
{
    out.m_parameters.clear();
    QuicByteReader r(data, len);
    std::unordered_set<uint64_t> seen;
    auto fail = [&error](const std::string& field, size_t offset, const std::string& message) {
        error.Set(QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                  QuicWireError::kNoFrameType,
                  field,
                  offset,
                  message);
        NS_LOG_LOGIC("transport parameters rejected: " << error);
        return false;
    };
    while (r.Remaining() > 0)
    {
        size_t idOffset = r.Position();
        Parameter p;
        if (!r.ReadVarInt(p.id))
        {
            return fail("Transport Parameter ID", idOffset, "truncated varint");
        }
        size_t lengthOffset = r.Position();
        uint64_t length;
        if (!r.ReadVarInt(length))
        {
            return fail(IdToString(p.id) + " length", lengthOffset, "truncated varint");
        }
        size_t valueOffset = r.Position();
        if (!r.ReadBytes(p.value, length))
        {
            return fail(IdToString(p.id),
                        valueOffset,
                        "value length " + std::to_string(length) + " exceeds the " +
                            std::to_string(r.Remaining()) + " remaining bytes");
        }
        if (!seen.insert(p.id).second)
        {
            // RFC 9000 §7.4: receipt of duplicate transport parameters SHOULD be an error.
            return fail(IdToString(p.id), idOffset, "duplicate transport parameter");
        }
        if (!ValidateParameter(p.id, p.value, valueOffset, error))
        {
            return false;
        }
        out.m_parameters.push_back(std::move(p));
    }
    return true;
}

bool
QuicTransportParameters::ValidateParameter(uint64_t id,
                                           const std::vector<uint8_t>& value,
                                           size_t offset,
                                           QuicWireError& error)
{
    auto fail = [&](const std::string& message) {
        error.Set(QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                  QuicWireError::kNoFrameType,
                  IdToString(id),
                  offset,
                  message);
        NS_LOG_LOGIC("transport parameter rejected: " << error);
        return false;
    };
    if (IsIntegerParameter(id))
    {
        uint64_t v;
        if (!DecodeInteger(value, v))
        {
            return fail("value of " + std::to_string(value.size()) +
                        " byte(s) is not exactly one variable-length integer");
        }
        switch (id)
        {
        case MAX_UDP_PAYLOAD_SIZE:
            return v >= kMinMaxUdpPayloadSize ||
                   fail(std::to_string(v) + " is below 1200 (RFC 9000 §18.2)");
        case ACK_DELAY_EXPONENT:
            return v <= kMaxAckDelayExponent ||
                   fail(std::to_string(v) + " exceeds 20 (RFC 9000 §18.2)");
        case MAX_ACK_DELAY:
            return v < kMaxAckDelayLimit ||
                   fail(std::to_string(v) + " ms is not below 2^14 (RFC 9000 §18.2)");
        case ACTIVE_CONNECTION_ID_LIMIT:
            return v >= kDefaultActiveConnectionIdLimit ||
                   fail(std::to_string(v) + " is below 2 (RFC 9000 §18.2)");
        case INITIAL_MAX_STREAMS_BIDI:
        case INITIAL_MAX_STREAMS_UNI:
            return v <= kMaxStreams || fail(std::to_string(v) + " exceeds 2^60 (RFC 9000 §4.6)");
        default:
            return true;
        }
    }
    if (IsConnectionIdParameter(id))
    {
        return value.size() <= QuicConnectionId::kMaxLength ||
               fail("connection ID of " + std::to_string(value.size()) +
                    " bytes exceeds 20 (RFC 9000 §17.2)");
    }
    switch (id)
    {
    case STATELESS_RESET_TOKEN:
        return value.size() == kResetTokenSize ||
               fail("stateless reset token of " + std::to_string(value.size()) +
                    " bytes instead of 16");
    case DISABLE_ACTIVE_MIGRATION:
        return value.empty() ||
               fail("value of " + std::to_string(value.size()) + " byte(s) instead of none");
    case PREFERRED_ADDRESS: {
        if (value.size() < kPreferredAddressFixed)
        {
            return fail("value of " + std::to_string(value.size()) +
                        " bytes is shorter than the fixed part (25 bytes)");
        }
        uint8_t cidLength = value[kPreferredAddressFixed - 1];
        if (cidLength < 1 || cidLength > QuicConnectionId::kMaxLength)
        {
            return fail("connection ID length " + std::to_string(cidLength) +
                        " is not in 1..20 (RFC 9000 §18.2)");
        }
        size_t expected = kPreferredAddressFixed + cidLength + kResetTokenSize;
        return value.size() == expected ||
               fail("value of " + std::to_string(value.size()) + " bytes instead of " +
                    std::to_string(expected) + " for a " + std::to_string(cidLength) +
                    "-byte connection ID");
    }
    default:
        return true; // unknown ids are the extension's business
    }
}

bool
QuicTransportParameters::Validate(QuicWireError& error) const
{
    size_t offset = 0;
    std::unordered_set<uint64_t> seen;
    for (const auto& p : m_parameters)
    {
        size_t idOffset = offset;
        offset += QuicVarInt::GetEncodedSize(p.id) + QuicVarInt::GetEncodedSize(p.value.size());
        if (!seen.insert(p.id).second)
        {
            error.Set(QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                      QuicWireError::kNoFrameType,
                      IdToString(p.id),
                      idOffset,
                      "duplicate transport parameter");
            return false;
        }
        if (!ValidateParameter(p.id, p.value, offset, error))
        {
            return false;
        }
        offset += p.value.size();
    }
    return true;
}

bool
QuicTransportParameters::ValidateRole(Role sender, QuicWireError& error) const
{
    if (sender == Role::SERVER)
    {
        return true;
    }
    size_t offset = 0;
    for (const auto& p : m_parameters)
    {
        if (p.id == ORIGINAL_DESTINATION_CONNECTION_ID || p.id == PREFERRED_ADDRESS ||
            p.id == RETRY_SOURCE_CONNECTION_ID || p.id == STATELESS_RESET_TOKEN)
        {
            // RFC 9000 §18.2: a server MUST treat receipt of these from a client
            // as a TRANSPORT_PARAMETER_ERROR.
            error.Set(QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                      QuicWireError::kNoFrameType,
                      IdToString(p.id),
                      offset,
                      "server-only transport parameter sent by a client");
            return false;
        }
        offset += QuicVarInt::GetEncodedSize(p.id) + QuicVarInt::GetEncodedSize(p.value.size()) +
                  p.value.size();
    }
    return true;
}

bool
QuicTransportParameters::CheckRequired(Role sender, QuicWireError& error) const
{
    auto missing = [&error](uint64_t id) {
        error.Set(QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                  QuicWireError::kNoFrameType,
                  IdToString(id),
                  0,
                  "required transport parameter is absent (RFC 9000 §7.3)");
        return false;
    };
    if (!Has(INITIAL_SOURCE_CONNECTION_ID))
    {
        return missing(INITIAL_SOURCE_CONNECTION_ID);
    }
    if (sender == Role::SERVER && !Has(ORIGINAL_DESTINATION_CONNECTION_ID))
    {
        return missing(ORIGINAL_DESTINATION_CONNECTION_ID);
    }
    return true;
}

std::string
QuicTransportParameters::IdToString(uint64_t id)
{
    switch (id)
    {
    case ORIGINAL_DESTINATION_CONNECTION_ID:
        return "original_destination_connection_id";
    case MAX_IDLE_TIMEOUT:
        return "max_idle_timeout";
    case STATELESS_RESET_TOKEN:
        return "stateless_reset_token";
    case MAX_UDP_PAYLOAD_SIZE:
        return "max_udp_payload_size";
    case INITIAL_MAX_DATA:
        return "initial_max_data";
    case INITIAL_MAX_STREAM_DATA_BIDI_LOCAL:
        return "initial_max_stream_data_bidi_local";
    case INITIAL_MAX_STREAM_DATA_BIDI_REMOTE:
        return "initial_max_stream_data_bidi_remote";
    case INITIAL_MAX_STREAM_DATA_UNI:
        return "initial_max_stream_data_uni";
    case INITIAL_MAX_STREAMS_BIDI:
        return "initial_max_streams_bidi";
    case INITIAL_MAX_STREAMS_UNI:
        return "initial_max_streams_uni";
    case ACK_DELAY_EXPONENT:
        return "ack_delay_exponent";
    case MAX_ACK_DELAY:
        return "max_ack_delay";
    case DISABLE_ACTIVE_MIGRATION:
        return "disable_active_migration";
    case PREFERRED_ADDRESS:
        return "preferred_address";
    case ACTIVE_CONNECTION_ID_LIMIT:
        return "active_connection_id_limit";
    case INITIAL_SOURCE_CONNECTION_ID:
        return "initial_source_connection_id";
    case RETRY_SOURCE_CONNECTION_ID:
        return "retry_source_connection_id";
    case MAX_DATAGRAM_FRAME_SIZE:
        return "max_datagram_frame_size";
    default: {
        std::ostringstream oss;
        oss << "unknown(0x" << std::hex << id << ")";
        return oss.str();
    }
    }
}

void
QuicTransportParameters::Print(std::ostream& os) const
{
    bool first = true;
    for (const auto& p : m_parameters)
    {
        os << (first ? "" : " ") << IdToString(p.id);
        first = false;
        uint64_t v;
        if (IsIntegerParameter(p.id) && DecodeInteger(p.value, v))
        {
            os << "=" << v;
        }
        else if (!p.value.empty())
        {
            os << "=0x" << HexBytes(p.value);
        }
    }
}

bool
QuicTransportParameters::operator==(const QuicTransportParameters& other) const
{
    return m_parameters == other.m_parameters;
}

bool
QuicTransportParameters::operator!=(const QuicTransportParameters& other) const
{
    return !(*this == other);
}

std::ostream&
operator<<(std::ostream& os, const QuicTransportParameters& params)
{
    params.Print(os);
    return os;
}

} // namespace ns3

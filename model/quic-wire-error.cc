/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-wire-error.h"

#include "quic-subheader.h"

#include <sstream>

namespace ns3
{

std::string
QuicTransportErrorCodeToString(QuicTransportErrorCode code)
{
    switch (code)
    {
    case QuicTransportErrorCode::NO_ERROR:
        return "NO_ERROR";
    case QuicTransportErrorCode::INTERNAL_ERROR:
        return "INTERNAL_ERROR";
    case QuicTransportErrorCode::CONNECTION_REFUSED:
        return "CONNECTION_REFUSED";
    case QuicTransportErrorCode::FLOW_CONTROL_ERROR:
        return "FLOW_CONTROL_ERROR";
    case QuicTransportErrorCode::STREAM_LIMIT_ERROR:
        return "STREAM_LIMIT_ERROR";
    case QuicTransportErrorCode::STREAM_STATE_ERROR:
        return "STREAM_STATE_ERROR";
    case QuicTransportErrorCode::FINAL_SIZE_ERROR:
        return "FINAL_SIZE_ERROR";
    case QuicTransportErrorCode::FRAME_ENCODING_ERROR:
        return "FRAME_ENCODING_ERROR";
    case QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR:
        return "TRANSPORT_PARAMETER_ERROR";
    case QuicTransportErrorCode::CONNECTION_ID_LIMIT_ERROR:
        return "CONNECTION_ID_LIMIT_ERROR";
    case QuicTransportErrorCode::PROTOCOL_VIOLATION:
        return "PROTOCOL_VIOLATION";
    case QuicTransportErrorCode::INVALID_TOKEN:
        return "INVALID_TOKEN";
    case QuicTransportErrorCode::APPLICATION_ERROR:
        return "APPLICATION_ERROR";
    case QuicTransportErrorCode::CRYPTO_BUFFER_EXCEEDED:
        return "CRYPTO_BUFFER_EXCEEDED";
    case QuicTransportErrorCode::KEY_UPDATE_ERROR:
        return "KEY_UPDATE_ERROR";
    case QuicTransportErrorCode::AEAD_LIMIT_REACHED:
        return "AEAD_LIMIT_REACHED";
    case QuicTransportErrorCode::NO_VIABLE_PATH:
        return "NO_VIABLE_PATH";
    default:
        break;
    }
    std::ostringstream oss;
    auto value = static_cast<uint64_t>(code);
    // RFC 9000 §20.1: 0x0100-0x01ff are TLS alerts.
    oss << ((value >= 0x100 && value <= 0x1ff) ? "CRYPTO_ERROR(0x" : "UNKNOWN(0x") << std::hex
        << value << ")";
    return oss.str();
}

QuicTransportErrorCode
QuicMakeCryptoError(uint8_t tlsAlert)
{
    return static_cast<QuicTransportErrorCode>(
        static_cast<uint64_t>(QuicTransportErrorCode::CRYPTO_ERROR) + tlsAlert);
}

std::ostream&
operator<<(std::ostream& os, QuicTransportErrorCode code)
{
    return os << QuicTransportErrorCodeToString(code);
}

void
QuicWireError::Set(QuicTransportErrorCode errorCode,
                   uint64_t type,
                   std::string fieldName,
                   size_t byteOffset,
                   std::string text)
{
    code = errorCode;
    frameType = type;
    field = std::move(fieldName);
    offset = byteOffset;
    message = std::move(text);
}

void
QuicWireError::Clear()
{
    code = QuicTransportErrorCode::NO_ERROR;
    frameType = kNoFrameType;
    field.clear();
    offset = 0;
    message.clear();
}

bool
QuicWireError::IsError() const
{
    return code != QuicTransportErrorCode::NO_ERROR;
}

std::string
QuicWireError::ToString() const
{
    std::ostringstream oss;
    oss << QuicTransportErrorCodeToString(code) << " (0x" << std::hex << static_cast<uint64_t>(code)
        << std::dec << "): ";
    if (frameType != kNoFrameType)
    {
        oss << QuicSubheader::FrameTypeToString(frameType) << " frame (type 0x" << std::hex
            << frameType << std::dec << "), ";
    }
    oss << "field '" << field << "' at byte " << offset << ": " << message;
    return oss.str();
}

std::ostream&
operator<<(std::ostream& os, const QuicWireError& error)
{
    return os << error.ToString();
}

} // namespace ns3

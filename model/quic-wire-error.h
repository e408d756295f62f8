/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_WIRE_ERROR_H
#define QUIC_WIRE_ERROR_H

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup quic
 * \brief QUIC transport error codes (RFC 9000 §20.1).
 *
 * The values are the ones carried in CONNECTION_CLOSE frames of type 0x1c.
 * CRYPTO_ERROR is the base of the range 0x0100-0x01ff: the TLS alert is
 * added to it (RFC 9000 §20.1, RFC 9001 §4.8); see QuicMakeCryptoError().
 */
enum class QuicTransportErrorCode : uint64_t
{
    NO_ERROR = 0x00,                  //!< No error (graceful close)
    INTERNAL_ERROR = 0x01,            //!< Implementation error
    CONNECTION_REFUSED = 0x02,        //!< Server refuses a connection
    FLOW_CONTROL_ERROR = 0x03,        //!< Flow control limit exceeded
    STREAM_LIMIT_ERROR = 0x04,        //!< Too many streams opened
    STREAM_STATE_ERROR = 0x05,        //!< Frame received in invalid stream state
    FINAL_SIZE_ERROR = 0x06,          //!< Change to the final size
    FRAME_ENCODING_ERROR = 0x07,      //!< Frame encoding error
    TRANSPORT_PARAMETER_ERROR = 0x08, //!< Error in transport parameters
    CONNECTION_ID_LIMIT_ERROR = 0x09, //!< Too many connection IDs received
    PROTOCOL_VIOLATION = 0x0a,        //!< Generic protocol violation
    INVALID_TOKEN = 0x0b,             //!< Invalid Retry or NEW_TOKEN token
    APPLICATION_ERROR = 0x0c,         //!< Application error
    CRYPTO_BUFFER_EXCEEDED = 0x0d,    //!< CRYPTO data buffer overflowed
    KEY_UPDATE_ERROR = 0x0e,          //!< Invalid packet protection update
    AEAD_LIMIT_REACHED = 0x0f,        //!< Excessive use of packet protection keys
    NO_VIABLE_PATH = 0x10,            //!< No viable network path exists
    CRYPTO_ERROR = 0x0100,            //!< TLS alert base (0x0100-0x01ff)
};

/**
 * \ingroup quic
 * \brief The name of an error code as written in RFC 9000 §20.1.
 * \param code the error code
 * \return e.g. "FRAME_ENCODING_ERROR", "CRYPTO_ERROR(0x12a)" for TLS alerts, or
 *         "UNKNOWN(0x...)" for a value RFC 9000 does not define
 */
std::string QuicTransportErrorCodeToString(QuicTransportErrorCode code);

/**
 * \ingroup quic
 * \brief The CRYPTO_ERROR code carrying a TLS alert (RFC 9001 §4.8).
 * \param tlsAlert the TLS alert description
 * \return 0x0100 + tlsAlert
 */
QuicTransportErrorCode QuicMakeCryptoError(uint8_t tlsAlert);

/**
 * \ingroup quic
 * \brief Stream insertion of an error code's name.
 * \param os the stream
 * \param code the error code
 * \return os
 */
std::ostream& operator<<(std::ostream& os, QuicTransportErrorCode code);

/**
 * \ingroup quic
 * \brief Why decoding bytes from the network failed.
 *
 * Every TryDecode of the wire-format classes fills one of these on failure:
 * the RFC 9000 error code the connection must be closed with
 * (FRAME_ENCODING_ERROR for truncated or inconsistent frames,
 * TRANSPORT_PARAMETER_ERROR for transport parameters, PROTOCOL_VIOLATION where
 * the RFC says so), the frame type (or kNoFrameType for packet headers and
 * transport parameters), the field that was being read, the byte offset of
 * that field from the start of the decoded unit, and a human-readable message.
 *
 * For packet headers RFC 9000 §5.2 and §12.2 ask to discard the packet rather
 * than close the connection; the code is informative there.
 */
struct QuicWireError
{
    /// Marker for errors that do not concern a frame (headers, transport parameters).
    static constexpr uint64_t kNoFrameType = ~uint64_t{0};

    /// The RFC 9000 error code to close the connection with.
    QuicTransportErrorCode code{QuicTransportErrorCode::NO_ERROR};
    /// The frame type being decoded, or kNoFrameType.
    uint64_t frameType{kNoFrameType};
    /// The field being decoded, e.g. "Length" or "max_ack_delay".
    std::string field;
    /// Byte offset of the field from the start of the decoded unit.
    size_t offset{0};
    /// What was wrong, with the offending values.
    std::string message;

    /**
     * \brief Fill every member at once.
     * \param errorCode the RFC error code
     * \param type the frame type or kNoFrameType
     * \param fieldName the field
     * \param byteOffset the offset of the field
     * \param text the message
     */
    void Set(QuicTransportErrorCode errorCode,
             uint64_t type,
             std::string fieldName,
             size_t byteOffset,
             std::string text);

    /**
     * \brief Reset to "no error".
     */
    void Clear();

    /**
     * \return true if an error was recorded (code other than NO_ERROR)
     */
    bool IsError() const;

    /**
     * \brief One line describing the error, e.g.
     * "FRAME_ENCODING_ERROR (0x7): STREAM frame (type 0xa), field 'Length' at byte 3:
     * stream data length 300 exceeds the 12 remaining bytes".
     * \return the description
     */
    std::string ToString() const;
};

/**
 * \ingroup quic
 * \brief Stream insertion of QuicWireError::ToString().
 * \param os the stream
 * \param error the error
 * \return os
 */
std::ostream& operator<<(std::ostream& os, const QuicWireError& error);

} // namespace ns3

#endif /* QUIC_WIRE_ERROR_H */

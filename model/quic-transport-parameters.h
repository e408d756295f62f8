/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_TRANSPORT_PARAMETERS_H
#define QUIC_TRANSPORT_PARAMETERS_H

#include "quic-connection-id.h"
#include "quic-wire-error.h"

#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

class QuicByteWriter;

/**
 * \ingroup quic
 * \brief QUIC transport parameters (RFC 9000 §7.4 and §18; max_datagram_frame_size of RFC 9221 §3).
 *
 * An ordered list of (id, value bytes). Known parameters have typed accessors
 * that return the RFC 9000 §18.2 default when the parameter is absent; unknown
 * ids (extensions, greasing ids 31*N+27, plugin negotiation) are kept
 * byte-exact, in order, through TryDecode() and Encode().
 *
 * Typed setters abort (NS_ABORT_MSG) on values the RFC forbids; SetRaw() and
 * SetInteger() store anything (for extensions and for tests), and Validate()
 * reports what the RFC forbids as TRANSPORT_PARAMETER_ERROR.
 */
class QuicTransportParameters
{
  public:
    /// Transport parameter ids (RFC 9000 §18.2, RFC 9221 §3).
    enum ParameterId : uint64_t
    {
        ORIGINAL_DESTINATION_CONNECTION_ID = 0x00,  //!< server only
        MAX_IDLE_TIMEOUT = 0x01,                    //!< milliseconds, 0 = none
        STATELESS_RESET_TOKEN = 0x02,               //!< 16 bytes, server only
        MAX_UDP_PAYLOAD_SIZE = 0x03,                //!< bytes, >= 1200
        INITIAL_MAX_DATA = 0x04,                    //!< bytes
        INITIAL_MAX_STREAM_DATA_BIDI_LOCAL = 0x05,  //!< bytes
        INITIAL_MAX_STREAM_DATA_BIDI_REMOTE = 0x06, //!< bytes
        INITIAL_MAX_STREAM_DATA_UNI = 0x07,         //!< bytes
        INITIAL_MAX_STREAMS_BIDI = 0x08,            //!< streams, <= 2^60
        INITIAL_MAX_STREAMS_UNI = 0x09,             //!< streams, <= 2^60
        ACK_DELAY_EXPONENT = 0x0a,                  //!< <= 20
        MAX_ACK_DELAY = 0x0b,                       //!< milliseconds, < 2^14
        DISABLE_ACTIVE_MIGRATION = 0x0c,            //!< zero-length
        PREFERRED_ADDRESS = 0x0d,                   //!< server only
        ACTIVE_CONNECTION_ID_LIMIT = 0x0e,          //!< >= 2
        INITIAL_SOURCE_CONNECTION_ID = 0x0f,        //!< connection ID
        RETRY_SOURCE_CONNECTION_ID = 0x10,          //!< server only
        MAX_DATAGRAM_FRAME_SIZE = 0x20,             //!< RFC 9221, 0 = no DATAGRAM
    };

    /// Who sent a set of transport parameters.
    enum class Role
    {
        CLIENT, //!< sent by the client
        SERVER, //!< sent by the server
    };

    /// Default max_udp_payload_size (RFC 9000 §18.2).
    static constexpr uint64_t kDefaultMaxUdpPayloadSize = 65527;
    /// Smallest valid max_udp_payload_size.
    static constexpr uint64_t kMinMaxUdpPayloadSize = 1200;
    /// Default ack_delay_exponent.
    static constexpr uint64_t kDefaultAckDelayExponent = 3;
    /// Largest valid ack_delay_exponent.
    static constexpr uint64_t kMaxAckDelayExponent = 20;
    /// Default max_ack_delay in milliseconds.
    static constexpr uint64_t kDefaultMaxAckDelay = 25;
    /// max_ack_delay must be below this (2^14 ms).
    static constexpr uint64_t kMaxAckDelayLimit = uint64_t{1} << 14;
    /// Default and smallest active_connection_id_limit.
    static constexpr uint64_t kDefaultActiveConnectionIdLimit = 2;
    /// Largest initial_max_streams_bidi/uni, 2^60.
    static constexpr uint64_t kMaxStreams = uint64_t{1} << 60;

    /// A stateless reset token.
    using StatelessResetToken = std::array<uint8_t, 16>;

    /// One parameter as on the wire.
    struct Parameter
    {
        uint64_t id;                //!< the id
        std::vector<uint8_t> value; //!< the value bytes

        /**
         * \param other another parameter
         * \return true if equal
         */
        bool operator==(const Parameter& other) const;
    };

    /// The preferred_address value (RFC 9000 §18.2, Figure 22).
    struct PreferredAddress
    {
        Ipv4Address ipv4Address;                   //!< IPv4 address (0.0.0.0 if none)
        uint16_t ipv4Port{0};                      //!< IPv4 port
        Ipv6Address ipv6Address;                   //!< IPv6 address (:: if none)
        uint16_t ipv6Port{0};                      //!< IPv6 port
        QuicConnectionId connectionId;             //!< 1..20 bytes
        StatelessResetToken statelessResetToken{}; //!< its reset token

        /**
         * \param other another address
         * \return true if equal
         */
        bool operator==(const PreferredAddress& other) const;
    };

    /**
     * \brief An empty set: every parameter takes its default.
     */
    QuicTransportParameters();

    /// \name Generic access
    /// @{
    /**
     * \param id a parameter id
     * \return true if present
     */
    bool Has(uint64_t id) const;
    /**
     * \param id a parameter id
     * \return its value bytes, or nullptr if absent
     */
    const std::vector<uint8_t>* GetRaw(uint64_t id) const;
    /**
     * \brief Store a value as is (replacing the value of a present id in place,
     * else appending). No validation: see Validate().
     * \param id the id (at most 2^62-1)
     * \param value the bytes
     */
    void SetRaw(uint64_t id, const std::vector<uint8_t>& value);
    /**
     * \brief Remove a parameter.
     * \param id the id
     * \return true if it was present
     */
    bool Remove(uint64_t id);
    /**
     * \return all parameters in order
     */
    const std::vector<Parameter>& GetParameters() const;
    /**
     * \brief An integer parameter (a varint filling the value).
     * \param id the id
     * \param defaultValue returned when absent or malformed
     * \return the value
     */
    uint64_t GetInteger(uint64_t id, uint64_t defaultValue) const;
    /**
     * \brief Store an integer parameter as a minimal varint, without validation.
     * \param id the id
     * \param value the value (at most 2^62-1)
     */
    void SetInteger(uint64_t id, uint64_t value);
    /// @}

    /// \name Typed access (RFC defaults when absent)
    /// @{
    /**
     * \return original_destination_connection_id, if present
     */
    std::optional<QuicConnectionId> GetOriginalDestinationConnectionId() const;
    /**
     * \param cid original_destination_connection_id
     */
    void SetOriginalDestinationConnectionId(const QuicConnectionId& cid);
    /**
     * \return max_idle_timeout (0: no idle timeout)
     */
    Time GetMaxIdleTimeout() const;
    /**
     * \param timeout max_idle_timeout, sent in whole milliseconds
     */
    void SetMaxIdleTimeout(Time timeout);
    /**
     * \return stateless_reset_token, if present
     */
    std::optional<StatelessResetToken> GetStatelessResetToken() const;
    /**
     * \param token stateless_reset_token
     */
    void SetStatelessResetToken(const StatelessResetToken& token);
    /**
     * \return max_udp_payload_size (default 65527)
     */
    uint64_t GetMaxUdpPayloadSize() const;
    /**
     * \param size max_udp_payload_size, at least 1200
     */
    void SetMaxUdpPayloadSize(uint64_t size);
    /**
     * \return initial_max_data (default 0)
     */
    uint64_t GetInitialMaxData() const;
    /**
     * \param bytes initial_max_data
     */
    void SetInitialMaxData(uint64_t bytes);
    /**
     * \return initial_max_stream_data_bidi_local (default 0)
     */
    uint64_t GetInitialMaxStreamDataBidiLocal() const;
    /**
     * \param bytes initial_max_stream_data_bidi_local
     */
    void SetInitialMaxStreamDataBidiLocal(uint64_t bytes);
    /**
     * \return initial_max_stream_data_bidi_remote (default 0)
     */
    uint64_t GetInitialMaxStreamDataBidiRemote() const;
    /**
     * \param bytes initial_max_stream_data_bidi_remote
     */
    void SetInitialMaxStreamDataBidiRemote(uint64_t bytes);
    /**
     * \return initial_max_stream_data_uni (default 0)
     */
    uint64_t GetInitialMaxStreamDataUni() const;
    /**
     * \param bytes initial_max_stream_data_uni
     */
    void SetInitialMaxStreamDataUni(uint64_t bytes);
    /**
     * \return initial_max_streams_bidi (default 0)
     */
    uint64_t GetInitialMaxStreamsBidi() const;
    /**
     * \param streams initial_max_streams_bidi, at most 2^60
     */
    void SetInitialMaxStreamsBidi(uint64_t streams);
    /**
     * \return initial_max_streams_uni (default 0)
     */
    uint64_t GetInitialMaxStreamsUni() const;
    /**
     * \param streams initial_max_streams_uni, at most 2^60
     */
    void SetInitialMaxStreamsUni(uint64_t streams);
    /**
     * \return ack_delay_exponent (default 3)
     */
    uint64_t GetAckDelayExponent() const;
    /**
     * \param exponent ack_delay_exponent, at most 20
     */
    void SetAckDelayExponent(uint64_t exponent);
    /**
     * \return max_ack_delay (default 25 ms)
     */
    Time GetMaxAckDelay() const;
    /**
     * \param delay max_ack_delay, sent in whole milliseconds, below 2^14 ms
     */
    void SetMaxAckDelay(Time delay);
    /**
     * \return true if disable_active_migration is present
     */
    bool GetDisableActiveMigration() const;
    /**
     * \param disable add (true) or remove (false) disable_active_migration
     */
    void SetDisableActiveMigration(bool disable);
    /**
     * \return preferred_address, if present and well-formed
     */
    std::optional<PreferredAddress> GetPreferredAddress() const;
    /**
     * \param address preferred_address (connection ID of 1..20 bytes)
     */
    void SetPreferredAddress(const PreferredAddress& address);
    /**
     * \return active_connection_id_limit (default 2)
     */
    uint64_t GetActiveConnectionIdLimit() const;
    /**
     * \param limit active_connection_id_limit, at least 2
     */
    void SetActiveConnectionIdLimit(uint64_t limit);
    /**
     * \return initial_source_connection_id, if present
     */
    std::optional<QuicConnectionId> GetInitialSourceConnectionId() const;
    /**
     * \param cid initial_source_connection_id
     */
    void SetInitialSourceConnectionId(const QuicConnectionId& cid);
    /**
     * \return retry_source_connection_id, if present
     */
    std::optional<QuicConnectionId> GetRetrySourceConnectionId() const;
    /**
     * \param cid retry_source_connection_id
     */
    void SetRetrySourceConnectionId(const QuicConnectionId& cid);
    /**
     * \return max_datagram_frame_size (default 0: DATAGRAM frames not supported, RFC 9221 §3)
     */
    uint64_t GetMaxDatagramFrameSize() const;
    /**
     * \param size max_datagram_frame_size
     */
    void SetMaxDatagramFrameSize(uint64_t size);
    /// @}

    /// \name Encoding and decoding
    /// @{
    /**
     * \brief Append the encoding: each parameter as id (varint), length (varint), value.
     * \param writer where to append
     */
    void Encode(QuicByteWriter& writer) const;
    /**
     * \return the encoding
     */
    std::vector<uint8_t> Encode() const;
    /**
     * \return the size of the encoding in bytes
     */
    size_t GetEncodedSize() const;
    /**
     * \brief Decode and validate a transport parameter block from untrusted bytes.
     *
     * Fails with TRANSPORT_PARAMETER_ERROR on truncation, a length past the
     * end, a duplicate id (RFC 9000 §7.4.1 "SHOULD treat as an error": we do),
     * or any value Validate() rejects. Never reads outside the bytes, never aborts.
     * \param data the block
     * \param len its size
     * \param out the parameters (unspecified on failure)
     * \param error on failure, why; the offset is that of the offending field
     * \return true on success
     */
    static bool TryDecode(const uint8_t* data,
                          size_t len,
                          QuicTransportParameters& out,
                          QuicWireError& error);
    /**
     * \brief Check the values of known parameters (RFC 9000 §18.2): value length
     * mismatches (integers not exactly one varint, disable_active_migration not
     * empty, stateless_reset_token not 16 bytes, connection IDs over 20 bytes,
     * malformed preferred_address), max_udp_payload_size < 1200,
     * ack_delay_exponent > 20, max_ack_delay >= 2^14, active_connection_id_limit < 2,
     * initial_max_streams_* > 2^60; and duplicate ids.
     * \param error on failure, why (TRANSPORT_PARAMETER_ERROR)
     * \return true if valid
     */
    bool Validate(QuicWireError& error) const;
    /**
     * \brief Role-aware check (RFC 9000 §18.2): a client must not send
     * original_destination_connection_id, preferred_address,
     * retry_source_connection_id or stateless_reset_token.
     * \param sender who sent these parameters
     * \param error on failure, why (TRANSPORT_PARAMETER_ERROR)
     * \return true if allowed
     */
    bool ValidateRole(Role sender, QuicWireError& error) const;
    /**
     * \brief Presence check (RFC 9000 §7.3): initial_source_connection_id from
     * both endpoints, original_destination_connection_id from the server.
     * \param sender who sent these parameters
     * \param error on failure, why (TRANSPORT_PARAMETER_ERROR)
     * \return true if the required parameters are present
     */
    bool CheckRequired(Role sender, QuicWireError& error) const;
    /// @}

    /**
     * \param id a parameter id
     * \return its RFC name, e.g. "max_idle_timeout", or "unknown(0x..)"
     */
    static std::string IdToString(uint64_t id);

    /**
     * \brief Print every parameter, name=value.
     * \param os the stream
     */
    void Print(std::ostream& os) const;

    /**
     * \param other another set
     * \return true if both hold the same parameters in the same order
     */
    bool operator==(const QuicTransportParameters& other) const;
    /**
     * \param other another set
     * \return true if not equal
     */
    bool operator!=(const QuicTransportParameters& other) const;

  private:
    /**
     * \brief Check one known parameter's value.
     * \param id the id
     * \param value its bytes
     * \param offset offset of the parameter's value in the block, for the error
     * \param error the error
     * \return true if valid (unknown ids are always valid)
     */
    static bool ValidateParameter(uint64_t id,
                                  const std::vector<uint8_t>& value,
                                  size_t offset,
                                  QuicWireError& error);
    /**
     * \brief A connection ID parameter, if present and at most 20 bytes.
     * \param id the id
     * \return the connection ID
     */
    std::optional<QuicConnectionId> GetConnectionId(uint64_t id) const;
    /**
     * \brief Store a connection ID parameter.
     * \param id the id
     * \param cid the connection ID
     */
    void SetConnectionId(uint64_t id, const QuicConnectionId& cid);

    std::vector<Parameter> m_parameters; //!< parameters in order
};

/**
 * \ingroup quic
 * \brief Stream insertion of QuicTransportParameters::Print().
 * \param os the stream
 * \param params the parameters
 * \return os
 */
std::ostream& operator<<(std::ostream& os, const QuicTransportParameters& params);

} // namespace ns3

#endif /* QUIC_TRANSPORT_PARAMETERS_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_HEADER_H
#define QUIC_HEADER_H

#include "quic-connection-id.h"
#include "quic-wire-error.h"

#include "ns3/header.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

class QuicByteWriter;

/**
 * \ingroup quic
 * \brief A QUIC packet header (RFC 9000 §17).
 *
 * Long headers (§17.2): Initial (with token), 0-RTT, Handshake, Retry (token and
 * 16-byte Retry Integrity Tag), Version Negotiation (version 0 and a list of
 * versions). Short header (§17.3.1): the 1-RTT packet, with spin bit, key phase
 * and a destination connection ID whose length is not on the wire and must be
 * known from the connection (SetShortHeaderDcidLength()).
 *
 * The bits and sizes are those of RFC 9000 but nothing is protected: the model
 * has no cryptography, so the reserved bits and the packet number length are
 * written in clear (a real endpoint would mask them with header protection,
 * RFC 9001 §5.4, which changes no size).
 *
 * Packet numbers: a header created by a factory holds the full packet number
 * and writes its `pnLength` least significant bytes. A decoded header holds the
 * truncated value read from the wire; recover the full number with
 * QuicPacketNumber::Decode() and store it with SetPacketNumber().
 *
 * Length (§17.2): Initial, 0-RTT and Handshake carry a Length varint covering
 * the packet number and the payload. This class keeps the payload length (bytes
 * after the packet number); the field written is pnLength + payloadLength, in
 * its minimal encoding unless SetLengthFieldSize() forces a width (decoding
 * records the width found). Whether Length fits in the rest of the datagram
 * cannot be checked by the header alone: callers check it with CheckLength()
 * (and use GetPayloadLength() to find a coalesced packet that follows, §12.2).
 *
 * A long header whose version is neither 1 nor 0 decodes as UNKNOWN_VERSION:
 * only the version-independent fields (RFC 8999: first byte, version,
 * connection IDs) are read, which is what a server needs to answer with a
 * Version Negotiation packet. Connection IDs of such packets are limited to 20
 * bytes here (RFC 8999 allows 255): longer ones fail to decode.
 *
 * Decoding never reads outside the given bytes and never aborts: see TryDecode()
 * and Deserialize().
 */
class QuicHeader : public Header
{
  public:
    /// The packet types; the first four values are the long header type bits.
    enum PacketType : uint8_t
    {
        INITIAL = 0,             //!< Initial (long, type 0x0)
        ZERO_RTT = 1,            //!< 0-RTT (long, type 0x1)
        HANDSHAKE = 2,           //!< Handshake (long, type 0x2)
        RETRY = 3,               //!< Retry (long, type 0x3)
        VERSION_NEGOTIATION = 4, //!< Version Negotiation (long, version 0)
        SHORT = 5,               //!< 1-RTT (short header)
        UNKNOWN_VERSION = 6,     //!< long header of a version this model does not speak
    };

    /// QUIC version 1 (RFC 9000 §15).
    static constexpr uint32_t QUIC_VERSION_1 = 0x00000001;
    /// The version field of a Version Negotiation packet (RFC 9000 §17.2.1).
    static constexpr uint32_t VERSION_NEGOTIATION_VERSION = 0x00000000;
    /// Size of the Retry Integrity Tag (RFC 9000 §17.2.5, RFC 9001 §5.8).
    static constexpr size_t kRetryIntegrityTagSize = 16;
    /// Short-header destination connection ID length assumed by Deserialize() until set.
    static constexpr uint8_t kDefaultShortHeaderDcidLength = 8;

    /// A Retry Integrity Tag.
    using RetryIntegrityTag = std::array<uint8_t, kRetryIntegrityTagSize>;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /**
     * \brief An invalid header (IsValid() false) of type SHORT; use the factories.
     */
    QuicHeader();

    /**
     * \brief An Initial packet header (RFC 9000 §17.2.2).
     * \param dcid destination connection ID (0..20 bytes)
     * \param scid source connection ID (0..20 bytes)
     * \param token the token (empty from servers and from clients without one)
     * \param packetNumber the full packet number
     * \param pnLength bytes of packet number on the wire, 1..4
     * \param payloadLength bytes following the packet number (frames + AEAD tag)
     * \param version the version, QUIC_VERSION_1 by default
     * \return the header
     */
    static QuicHeader CreateInitial(const QuicConnectionId& dcid,
                                    const QuicConnectionId& scid,
                                    const std::vector<uint8_t>& token,
                                    uint64_t packetNumber,
                                    uint8_t pnLength,
                                    uint64_t payloadLength,
                                    uint32_t version = QUIC_VERSION_1);
    /**
     * \brief A 0-RTT packet header (RFC 9000 §17.2.3).
     * \param dcid destination connection ID
     * \param scid source connection ID
     * \param packetNumber the full packet number
     * \param pnLength 1..4
     * \param payloadLength bytes following the packet number
     * \param version the version
     * \return the header
     */
    static QuicHeader Create0Rtt(const QuicConnectionId& dcid,
                                 const QuicConnectionId& scid,
                                 uint64_t packetNumber,
                                 uint8_t pnLength,
                                 uint64_t payloadLength,
                                 uint32_t version = QUIC_VERSION_1);
    /**
     * \brief A Handshake packet header (RFC 9000 §17.2.4).
     * \param dcid destination connection ID
     * \param scid source connection ID
     * \param packetNumber the full packet number
     * \param pnLength 1..4
     * \param payloadLength bytes following the packet number
     * \param version the version
     * \return the header
     */
    static QuicHeader CreateHandshake(const QuicConnectionId& dcid,
                                      const QuicConnectionId& scid,
                                      uint64_t packetNumber,
                                      uint8_t pnLength,
                                      uint64_t payloadLength,
                                      uint32_t version = QUIC_VERSION_1);
    /**
     * \brief A Retry packet (RFC 9000 §17.2.5); it has no payload, the header is the packet.
     * \param dcid destination connection ID (the client's source connection ID)
     * \param scid source connection ID (chosen by the server)
     * \param token the Retry token (may be empty on the wire; a client must then
     *        discard the packet, which is the caller's business)
     * \param tag the Retry Integrity Tag (not computed: no cryptography)
     * \param version the version
     * \return the header
     */
    static QuicHeader CreateRetry(const QuicConnectionId& dcid,
                                  const QuicConnectionId& scid,
                                  const std::vector<uint8_t>& token,
                                  const RetryIntegrityTag& tag,
                                  uint32_t version = QUIC_VERSION_1);
    /**
     * \brief A Version Negotiation packet (RFC 9000 §17.2.1); the header is the packet.
     * \param dcid destination connection ID (the client's source connection ID)
     * \param scid source connection ID (the client's destination connection ID)
     * \param supportedVersions the versions the server supports
     * \return the header
     */
    static QuicHeader CreateVersionNegotiation(const QuicConnectionId& dcid,
                                               const QuicConnectionId& scid,
                                               const std::vector<uint32_t>& supportedVersions);
    /**
     * \brief A 1-RTT packet header (RFC 9000 §17.3.1).
     * \param dcid destination connection ID; its length is also set as the
     *        short-header DCID length for Deserialize()
     * \param packetNumber the full packet number
     * \param pnLength 1..4
     * \param spinBit the latency spin bit (§17.4)
     * \param keyPhase the key phase bit
     * \return the header
     */
    static QuicHeader CreateShort(const QuicConnectionId& dcid,
                                  uint64_t packetNumber,
                                  uint8_t pnLength,
                                  bool spinBit = false,
                                  bool keyPhase = false);
    /**
     * \brief Writes a 1-RTT packet header straight to a writer: the bytes
     * CreateShort(...).Encode(writer) writes, without building a header (an ns3::Header)
     * for every packet sent.
     * \param writer where the header goes
     * \param dcid destination connection ID
     * \param packetNumber the full packet number
     * \param pnLength 1..4
     * \param spinBit the latency spin bit (§17.4)
     * \param keyPhase the key phase bit
     */
    static void EncodeShort(QuicByteWriter& writer,
                            const QuicConnectionId& dcid,
                            uint64_t packetNumber,
                            uint8_t pnLength,
                            bool spinBit = false,
                            bool keyPhase = false);

    /**
     * \brief Decode a header from untrusted bytes; never reads outside them, never aborts.
     *
     * \param data the start of the packet
     * \param len the bytes available (the rest of the UDP datagram)
     * \param shortHeaderDcidLength the destination connection ID length of short
     *        headers (known from the connection, RFC 9000 §5.1), 0..20 (a larger
     *        value is a programming error: NS_ABORT_MSG)
     * \param out the decoded header; on failure it is left with IsValid() false
     *        and unspecified fields
     * \param consumed the header size in bytes (for Retry and Version
     *        Negotiation: the whole packet, len)
     * \param error on failure, why (PROTOCOL_VIOLATION for bad bits or lengths,
     *        truncation included; the RFC asks such packets to be discarded)
     * \return true on success
     */
    static bool TryDecode(const uint8_t* data,
                          size_t len,
                          uint8_t shortHeaderDcidLength,
                          QuicHeader& out,
                          size_t& consumed,
                          QuicWireError& error);

    /**
     * \brief Append the header's bytes.
     * \param writer where to append
     */
    void Encode(QuicByteWriter& writer) const;

    /**
     * \brief The caller's check of the Length field against the datagram (RFC 9000 §17.2):
     * Length must not exceed the bytes that follow the header.
     * \param remainingAfterHeader bytes of the datagram after this header
     * \param error filled on failure (PROTOCOL_VIOLATION, field "Length")
     * \return true if the header has no Length field or the payload fits
     */
    bool CheckLength(uint64_t remainingAfterHeader, QuicWireError& error) const;

    // Inherited from Header
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /**
     * \brief Decode from a packet's buffer, safely.
     *
     * Copies min(remaining, a bound) bytes out of the iterator (for Retry and
     * Version Negotiation, whose header is the whole packet, all of them; for
     * other headers first a prefix, then everything if the prefix was too
     * short, e.g. for a large token) and runs TryDecode() with the
     * short-header DCID length set by SetShortHeaderDcidLength(). On failure
     * the header is marked invalid (IsValid() false, GetDecodeError() says why)
     * and 0 is returned, so Packet::RemoveHeader() removes nothing.
     * \param start the iterator
     * \return the number of bytes consumed, 0 on failure
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \return true if the header was made by a factory or decoded successfully
     */
    bool IsValid() const;
    /**
     * \return why the last Deserialize() failed (code NO_ERROR if it did not)
     */
    const QuicWireError& GetDecodeError() const;
    /**
     * \return true for long headers (everything but SHORT)
     */
    bool IsLong() const;
    /**
     * \return true for the short (1-RTT) header
     */
    bool IsShort() const;
    /**
     * \return the packet type
     */
    PacketType GetType() const;
    /**
     * \return true for Initial, 0-RTT, Handshake and short headers, which carry a packet number
     */
    bool HasPacketNumber() const;
    /**
     * \return true for Initial, 0-RTT and Handshake headers, which carry a Length field
     */
    bool HasLengthField() const;
    /**
     * \brief The name of a packet type.
     * \param type the type
     * \return e.g. "Initial", "1-RTT"
     */
    static const char* PacketTypeToString(PacketType type);

    /**
     * \return the version (long headers; 0 for Version Negotiation and short headers)
     */
    uint32_t GetVersion() const;
    /**
     * \brief Set the version of a long header (not Version Negotiation).
     * \param version the version
     */
    void SetVersion(uint32_t version);
    /**
     * \return the destination connection ID
     */
    const QuicConnectionId& GetDestinationConnectionId() const;
    /**
     * \brief Set the destination connection ID (for short headers the
     * short-header DCID length follows it).
     * \param dcid the connection ID
     */
    void SetDestinationConnectionId(const QuicConnectionId& dcid);
    /**
     * \return the source connection ID (empty for short headers)
     */
    const QuicConnectionId& GetSourceConnectionId() const;
    /**
     * \brief Set the source connection ID of a long header.
     * \param scid the connection ID
     */
    void SetSourceConnectionId(const QuicConnectionId& scid);
    /**
     * \return the token of an Initial or Retry packet (else empty)
     */
    const std::vector<uint8_t>& GetToken() const;
    /**
     * \brief Set the token of an Initial or Retry packet (else NS_ABORT_MSG).
     * \param token the token
     */
    void SetToken(const std::vector<uint8_t>& token);
    /**
     * \return the Retry Integrity Tag (zeros except for Retry)
     */
    const RetryIntegrityTag& GetRetryIntegrityTag() const;
    /**
     * \brief Set the Retry Integrity Tag of a Retry packet (else NS_ABORT_MSG).
     * \param tag the tag
     */
    void SetRetryIntegrityTag(const RetryIntegrityTag& tag);
    /**
     * \return the versions listed by a Version Negotiation packet
     */
    const std::vector<uint32_t>& GetSupportedVersions() const;
    /**
     * \brief Set the versions of a Version Negotiation packet (else NS_ABORT_MSG).
     * \param versions the versions
     */
    void SetSupportedVersions(const std::vector<uint32_t>& versions);
    /**
     * \return the packet number: full if set by a factory or SetPacketNumber(),
     *         truncated right after decoding
     */
    uint64_t GetPacketNumber() const;
    /**
     * \return the packet number's GetPacketNumberLength() least significant bytes
     */
    uint32_t GetTruncatedPacketNumber() const;
    /**
     * \brief Set the packet number (at most 2^62-1, else NS_ABORT_MSG).
     * \param packetNumber the full packet number
     */
    void SetPacketNumber(uint64_t packetNumber);
    /**
     * \return the packet number length on the wire, 1..4
     */
    uint8_t GetPacketNumberLength() const;
    /**
     * \brief Set the packet number length (1..4, else NS_ABORT_MSG).
     * \param length the length in bytes
     */
    void SetPacketNumberLength(uint8_t length);
    /**
     * \return bytes after the packet number covered by the Length field (long
     *         headers with a Length field; 0 otherwise)
     */
    uint64_t GetPayloadLength() const;
    /**
     * \brief Set the bytes after the packet number (frames and AEAD tag).
     * \param length the payload length
     */
    void SetPayloadLength(uint64_t length);
    /**
     * \return the value of the Length field: packet number length + payload length
     */
    uint64_t GetLengthField() const;
    /**
     * \return the width of the Length field on the wire, 1, 2, 4 or 8 (0 if there is none)
     */
    uint8_t GetLengthFieldSize() const;
    /**
     * \brief Force the width of the Length field (0 = minimal, or 1, 2, 4, 8).
     * Serializing a Length that does not fit the forced width is a programming error.
     * \param size the width
     */
    void SetLengthFieldSize(uint8_t size);
    /**
     * \return the spin bit of a short header
     */
    bool GetSpinBit() const;
    /**
     * \brief Set the spin bit of a short header.
     * \param spin the bit
     */
    void SetSpinBit(bool spin);
    /**
     * \return the key phase bit of a short header
     */
    bool GetKeyPhase() const;
    /**
     * \brief Set the key phase bit of a short header.
     * \param keyPhase the bit
     */
    void SetKeyPhase(bool keyPhase);
    /**
     * \return the bits of the first byte that RFC 9000 leaves unused and that are
     *         kept as received: the low 4 bits of Retry, the low 7 bits of Version
     *         Negotiation and UNKNOWN_VERSION headers
     */
    uint8_t GetUnusedBits() const;
    /**
     * \brief Set those unused bits (masked to the bits the type leaves unused).
     * \param bits the bits
     */
    void SetUnusedBits(uint8_t bits);
    /**
     * \return the destination connection ID length Deserialize() assumes for short headers
     */
    uint8_t GetShortHeaderDcidLength() const;
    /**
     * \brief Set the destination connection ID length of short headers, 0..20
     * (else NS_ABORT_MSG), used by Deserialize().
     * \param length the length
     */
    void SetShortHeaderDcidLength(uint8_t length);

    /**
     * \brief Field-wise equality of two valid headers (what goes on the wire;
     * the short-header DCID length context and decode errors are not compared).
     * \param other the other header
     * \return true if equal
     */
    bool operator==(const QuicHeader& other) const;
    /**
     * \param other the other header
     * \return true if not equal
     */
    bool operator!=(const QuicHeader& other) const;

  private:
    /**
     * \brief Write the header through any sink with the QuicByteWriter interface.
     * \param sink the sink
     */
    template <class Sink>
    void EncodeTo(Sink& sink) const;
    /**
     * \brief Decode a long header; called by TryDecode.
     * \param data the packet
     * \param len its size
     * \param out the header
     * \param consumed header size
     * \param error the error
     * \return true on success
     */
    static bool DecodeLong(const uint8_t* data,
                           size_t len,
                           QuicHeader& out,
                           size_t& consumed,
                           QuicWireError& error);
    /**
     * \brief Abort unless the header's type is one of those allowed.
     * \param ok whether the type is allowed
     * \param what the setter
     */
    void RequireType(bool ok, const char* what) const;

    PacketType m_type;                //!< packet type
    bool m_valid;                     //!< made by a factory or decoded successfully
    uint8_t m_unusedBits;             //!< Retry / VN / unknown-version unused first-byte bits
    uint8_t m_pnLength;               //!< packet number length, 1..4
    uint8_t m_lengthFieldSize;        //!< forced Length width, 0 = minimal
    uint8_t m_shortDcidLength;        //!< short-header DCID length for Deserialize()
    bool m_spinBit;                   //!< short header spin bit
    bool m_keyPhase;                  //!< short header key phase
    uint32_t m_version;               //!< version
    uint64_t m_packetNumber;          //!< full or truncated packet number
    uint64_t m_payloadLength;         //!< bytes after the packet number
    QuicConnectionId m_dcid;          //!< destination connection ID
    QuicConnectionId m_scid;          //!< source connection ID
    std::vector<uint8_t> m_token;     //!< Initial / Retry token
    RetryIntegrityTag m_retryTag;     //!< Retry Integrity Tag
    std::vector<uint32_t> m_versions; //!< Version Negotiation list
    QuicWireError m_decodeError;      //!< why the last Deserialize() failed
};

} // namespace ns3

#endif /* QUIC_HEADER_H */

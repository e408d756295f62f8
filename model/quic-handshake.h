/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A model of the TLS 1.3 handshake QUIC carries in CRYPTO frames (RFC 9001), without
 * cryptography.
 */

#ifndef QUIC_HANDSHAKE_H
#define QUIC_HANDSHAKE_H

#include "quic-transport-parameters.h"
#include "quic-wire-error.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic
 * Sizes of the modelled TLS messages (bodies, without the 4-byte handshake header).
 * Defaults are typical of a TLS 1.3 handshake with an ECDSA-P256 certificate chain.
 */
struct QuicHandshakeSizes
{
    uint32_t clientHello{250};      //!< ClientHello without transport parameters
    uint32_t serverHello{90};       //!< ServerHello
    uint32_t certificate{1000};     //!< Certificate (the chain)
    uint32_t certificateVerify{76}; //!< CertificateVerify
    uint32_t finished{32};          //!< Finished
};

/**
 * \ingroup quic
 * The handshake of one endpoint, message by message (RFC 9001 §4.1, Figure 3-5).
 *
 * Each message has TLS's 4-byte header (type, 24-bit length) and a body of the modelled
 * size; ClientHello and EncryptedExtensions carry the real encoded transport parameters
 * (RFC 9001 §8.2) behind a 2-byte length, the rest of every body is filler. Bytes go
 * out through Take() for each encryption level (the socket puts them in CRYPTO frames)
 * and come in, in order, through OnCryptoData(). Keys are modelled as availability
 * flags: Handshake keys after ServerHello, 1-RTT keys after the server's Finished
 * (server: after sending it), completion on Finished.
 */
class QuicHandshake
{
  public:
    /// Encryption levels carrying CRYPTO data (the three packet-number spaces).
    enum Level : uint8_t
    {
        INITIAL = 0,
        HANDSHAKE = 1,
        APPLICATION = 2,
    };

    /// TLS handshake message types used (RFC 8446 §4).
    enum MessageType : uint8_t
    {
        CLIENT_HELLO = 1,
        SERVER_HELLO = 2,
        ENCRYPTED_EXTENSIONS = 8,
        CERTIFICATE = 11,
        CERTIFICATE_VERIFY = 15,
        FINISHED = 20,
    };

    /// Largest message accepted (RFC 9000 §7.5: CRYPTO_BUFFER_EXCEEDED beyond).
    static constexpr uint32_t kMaxMessageSize = 65536;

    /**
     * \param isServer role
     * \param sizes message sizes
     */
    QuicHandshake(bool isServer, const QuicHandshakeSizes& sizes);

    /**
     * Client: writes the ClientHello carrying our transport parameters.
     * \param local our transport parameters
     */
    void StartClient(const QuicTransportParameters& local);

    /**
     * Server: sets the transport parameters sent in EncryptedExtensions.
     * \param local our transport parameters
     */
    void SetServerParameters(const QuicTransportParameters& local);

    /**
     * Bytes of CRYPTO data arrived in order at a level.
     * \param level the level
     * \param data the bytes
     * \param len their number
     * \param [out] error on a malformed or unexpected message (CRYPTO_ERROR with TLS
     *        alert unexpected_message or decode_error, TRANSPORT_PARAMETER_ERROR,
     *        CRYPTO_BUFFER_EXCEEDED)
     * \return false if the connection must close
     */
    bool OnCryptoData(Level level, const uint8_t* data, std::size_t len, QuicWireError& error);

    /**
     * \param level a level
     * \return the bytes to send at that level, removed from the queue
     */
    std::vector<uint8_t> Take(Level level);

    /// \return true if Take would return bytes for some level
    bool HasOutput() const;

    /// \return true if Handshake keys are available
    bool HasHandshakeKeys() const;
    /// \return true if 1-RTT keys are available (for sending)
    bool Has1RttKeys() const;
    /// \return true once the handshake is complete (RFC 9001 §4.1.1)
    bool IsComplete() const;
    /// \return true once the peer's transport parameters are known
    bool HasPeerParameters() const;
    /// \return the peer's transport parameters
    const QuicTransportParameters& GetPeerParameters() const;

  private:
    /**
     * Appends a message to a level's output.
     * \param level the level
     * \param type the message type
     * \param tp transport parameters to embed (or nullptr)
     * \param bodySize modelled body size (grown to fit the parameters)
     */
    void Write(Level level, MessageType type, const QuicTransportParameters* tp, uint32_t bodySize);

    /**
     * Handles one complete message.
     * \param level its level
     * \param type its type
     * \param body its body
     * \param len body length
     * \param [out] error on failure
     * \return false on failure
     */
    bool OnMessage(Level level,
                   uint8_t type,
                   const uint8_t* body,
                   uint32_t len,
                   QuicWireError& error);

    /**
     * Reads the transport parameters at the start of a body.
     * \param body the body
     * \param len its length
     * \param [out] error on failure
     * \return false on failure
     */
    bool ReadParameters(const uint8_t* body, uint32_t len, QuicWireError& error);

    bool m_isServer;                           //!< role
    QuicHandshakeSizes m_sizes;                //!< sizes
    QuicTransportParameters m_local;           //!< ours
    QuicTransportParameters m_peer;            //!< theirs
    bool m_hasPeer{false};                     //!< theirs known
    std::array<std::vector<uint8_t>, 3> m_out; //!< to send, per level
    std::array<std::vector<uint8_t>, 3> m_in;  //!< partial input, per level
    uint8_t m_expected;                        //!< next message type expected
    bool m_handshakeKeys{false};               //!< Handshake keys
    bool m_oneRttKeys{false};                  //!< 1-RTT keys
    bool m_complete{false};                    //!< handshake complete
};

} // namespace ns3

#endif /* QUIC_HANDSHAKE_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-handshake.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicHandshake");

namespace
{
constexpr uint8_t kAlertUnexpectedMessage = 10; //!< RFC 8446 §6
constexpr uint8_t kAlertDecodeError = 50;       //!< RFC 8446 §6
} // namespace

QuicHandshake::QuicHandshake(bool isServer, const QuicHandshakeSizes& sizes)
    : m_isServer(isServer),
      m_sizes(sizes),
      m_expected(isServer ? CLIENT_HELLO : SERVER_HELLO)
{
}

void
QuicHandshake::StartClient(const QuicTransportParameters& local)
{
    m_local = local;
    Write(INITIAL, CLIENT_HELLO, &m_local, m_sizes.clientHello);
}

void
QuicHandshake::SetServerParameters(const QuicTransportParameters& local)
{
    m_local = local;
}

void
QuicHandshake::Write(Level level,
                     MessageType type,
                     const QuicTransportParameters* tp,
                     uint32_t bodySize)
{
    std::vector<uint8_t> params;
    if (tp != nullptr)
    {
        params = tp->Encode();
    }
    uint32_t body = tp != nullptr ? bodySize + 2 + static_cast<uint32_t>(params.size()) : bodySize;
    std::vector<uint8_t>& out = m_out[level];
    out.push_back(type);
    out.push_back(static_cast<uint8_t>(body >> 16));
    out.push_back(static_cast<uint8_t>(body >> 8));
    out.push_back(static_cast<uint8_t>(body));
    std::size_t start = out.size();
    if (tp != nullptr)
    {
        out.push_back(static_cast<uint8_t>(params.size() >> 8));
        out.push_back(static_cast<uint8_t>(params.size()));
        out.insert(out.end(), params.begin(), params.end());
    }
    out.resize(start + body, 0); // the rest of the body: keys, signatures, … as filler
}

bool
QuicHandshake::OnCryptoData(Level level, const uint8_t* data, std::size_t len, QuicWireError& error)
{
    std::vector<uint8_t>& in = m_in[level];
    in.insert(in.end(), data, data + len);
    std::size_t pos = 0;
    while (in.size() - pos >= 4)
    {
        uint32_t msgLen =
            (uint32_t(in[pos + 1]) << 16) | (uint32_t(in[pos + 2]) << 8) | in[pos + 3];
        if (msgLen > kMaxMessageSize)
        {
            error.Set(QuicTransportErrorCode::CRYPTO_BUFFER_EXCEEDED,
                      QuicWireError::kNoFrameType,
                      "TLS message length",
                      pos,
                      "TLS message of " + std::to_string(msgLen) + " bytes");
            return false;
        }
        if (in.size() - pos - 4 < msgLen)
        {
            break; // wait for the rest
        }
        if (!OnMessage(level, in[pos], in.data() + pos + 4, msgLen, error))
        {
            return false;
        }
        pos += 4 + msgLen;
    }
    in.erase(in.begin(), in.begin() + pos);
    return true;
}

bool
QuicHandshake::ReadParameters(const uint8_t* body, uint32_t len, QuicWireError& error)
{
    if (len < 2 || len - 2u < ((uint32_t(body[0]) << 8) | body[1]))
    {
        error.Set(QuicMakeCryptoError(kAlertDecodeError),
                  QuicWireError::kNoFrameType,
                  "quic_transport_parameters",
                  0,
                  "transport parameter extension truncated");
        return false;
    }
    uint32_t tpLen = (uint32_t(body[0]) << 8) | body[1];
    if (!QuicTransportParameters::TryDecode(body + 2, tpLen, m_peer, error))
    {
        return false;
    }
    QuicTransportParameters::Role sender =
        m_isServer ? QuicTransportParameters::Role::CLIENT : QuicTransportParameters::Role::SERVER;
    if (!m_peer.ValidateRole(sender, error))
    {
        return false;
    }
    m_hasPeer = true;
    return true;
}

bool
QuicHandshake::OnMessage(Level level,
                         uint8_t type,
                         const uint8_t* body,
                         uint32_t len,
                         QuicWireError& error)
{
    // RFC 9001 §4: each message belongs to one level; anything out of order is an error.
    Level expectedLevel =
        (m_expected == CLIENT_HELLO || m_expected == SERVER_HELLO) ? INITIAL : HANDSHAKE;
    if (m_complete || type != m_expected || level != expectedLevel)
    {
        error.Set(QuicMakeCryptoError(kAlertUnexpectedMessage),
                  QuicWireError::kNoFrameType,
                  "TLS message type",
                  0,
                  "unexpected TLS message " + std::to_string(type) + " at level " +
                      std::to_string(level));
        return false;
    }
    switch (type)
    {
    case CLIENT_HELLO: // server
        if (!ReadParameters(body, len, error))
        {
            return false;
        }
        Write(INITIAL, SERVER_HELLO, nullptr, m_sizes.serverHello);
        Write(HANDSHAKE, ENCRYPTED_EXTENSIONS, &m_local, 4);
        Write(HANDSHAKE, CERTIFICATE, nullptr, m_sizes.certificate);
        Write(HANDSHAKE, CERTIFICATE_VERIFY, nullptr, m_sizes.certificateVerify);
        Write(HANDSHAKE, FINISHED, nullptr, m_sizes.finished);
        m_handshakeKeys = true;
        m_oneRttKeys = true; // RFC 9001 §4.1.1: the server may send 0.5-RTT data
        m_expected = FINISHED;
        break;
    case SERVER_HELLO: // client
        m_handshakeKeys = true;
        m_expected = ENCRYPTED_EXTENSIONS;
        break;
    case ENCRYPTED_EXTENSIONS: // client
        if (!ReadParameters(body, len, error))
        {
            return false;
        }
        m_expected = CERTIFICATE;
        break;
    case CERTIFICATE:
        m_expected = CERTIFICATE_VERIFY;
        break;
    case CERTIFICATE_VERIFY:
        m_expected = FINISHED;
        break;
    case FINISHED:
        if (!m_isServer)
        {
            Write(HANDSHAKE, FINISHED, nullptr, m_sizes.finished);
            m_oneRttKeys = true;
        }
        m_complete = true;
        break;
    default:
        break;
    }
    return true;
}

std::vector<uint8_t>
QuicHandshake::Take(Level level)
{
    std::vector<uint8_t> out;
    out.swap(m_out[level]);
    return out;
}

bool
QuicHandshake::HasOutput() const
{
    return !m_out[0].empty() || !m_out[1].empty() || !m_out[2].empty();
}

bool
QuicHandshake::HasHandshakeKeys() const
{
    return m_handshakeKeys;
}

bool
QuicHandshake::Has1RttKeys() const
{
    return m_oneRttKeys;
}

bool
QuicHandshake::IsComplete() const
{
    return m_complete;
}

bool
QuicHandshake::HasPeerParameters() const
{
    return m_hasPeer;
}

const QuicTransportParameters&
QuicHandshake::GetPeerParameters() const
{
    return m_peer;
}

} // namespace ns3

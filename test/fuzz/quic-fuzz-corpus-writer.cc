/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Writes the seed corpora of the wire-format fuzzers: valid encodings of every
 * header type, every frame type (with its data) and transport parameter blocks.
 * Usage: quic-fuzz-corpus-writer <corpus dir>   (e.g. test/fuzz/corpus)
 * Files go to <dir>/fuzz-quic-header, <dir>/fuzz-quic-frame and
 * <dir>/fuzz-quic-transport-parameters.
 */

#include "ns3/quic-byte-writer.h"
#include "ns3/quic-header.h"
#include "ns3/quic-subheader.h"
#include "ns3/quic-transport-parameters.h"
#include "ns3/system-path.h"

#include <fstream>
#include <iostream>

using namespace ns3;

namespace
{

/**
 * \brief Write one seed file.
 * \param dir the folder
 * \param name the file name
 * \param bytes the content
 */
void
WriteSeed(const std::string& dir, const std::string& name, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(dir + "/" + name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    NS_ABORT_MSG_UNLESS(out, "cannot write " << dir << "/" << name);
}

/**
 * \brief A header seed: the DCID-length byte the harness expects, the header, some payload.
 * \param h the header
 * \param payload payload bytes after the header
 * \return the seed
 */
std::vector<uint8_t>
HeaderSeed(const QuicHeader& h, size_t payload)
{
    std::vector<uint8_t> bytes{h.IsShort() ? h.GetDestinationConnectionId().GetLength()
                                           : uint8_t{8}};
    QuicByteWriter w(bytes);
    h.Encode(w);
    w.WriteRepeated(0x01, payload);
    return bytes;
}

/**
 * \brief A frame seed: the frame header and its data.
 * \param f the frame
 * \return the seed
 */
std::vector<uint8_t>
FrameSeed(const QuicSubheader& f)
{
    std::vector<uint8_t> bytes;
    QuicByteWriter w(bytes);
    f.Encode(w);
    if (QuicSubheader::CarriesData(f.GetFrameType()))
    {
        w.WriteRepeated(0x61, f.GetDataLength());
    }
    return bytes;
}

} // namespace

int
main(int argc, char* argv[])
{
    if (argc != 2)
    {
        std::cerr << "usage: " << argv[0] << " <corpus dir>\n";
        return 2;
    }
    std::string root = argv[1];
    std::string headers = root + "/fuzz-quic-header";
    std::string frames = root + "/fuzz-quic-frame";
    std::string params = root + "/fuzz-quic-transport-parameters";
    for (const auto& dir : {headers, frames, params})
    {
        SystemPath::MakeDirectories(dir);
    }

    QuicConnectionId d8 = QuicConnectionId::FromUint64(0x8394c8f03e515708ULL);
    QuicConnectionId s8 = QuicConnectionId::FromUint64(0xf067a5502a4262b5ULL);
    std::vector<uint8_t> c20(20, 0x2c);
    QuicConnectionId d20(c20.data(), c20.size());
    QuicHeader::RetryIntegrityTag tag;
    tag.fill(0x7a);
    WriteSeed(headers,
              "initial.bin",
              HeaderSeed(QuicHeader::CreateInitial(d8, QuicConnectionId(), {}, 2, 4, 20), 20));
    WriteSeed(
        headers,
        "initial-token.bin",
        HeaderSeed(QuicHeader::CreateInitial(d20, s8, {1, 2, 3, 4, 5, 6}, 0x1234, 2, 10), 10));
    WriteSeed(headers, "0rtt.bin", HeaderSeed(QuicHeader::Create0Rtt(d8, s8, 7, 1, 5), 5));
    WriteSeed(headers,
              "handshake.bin",
              HeaderSeed(QuicHeader::CreateHandshake(d8, s8, 0xabcdef, 3, 30), 30));
    WriteSeed(headers,
              "retry.bin",
              HeaderSeed(QuicHeader::CreateRetry(d8, s8, {'t', 'o', 'k', 'e', 'n'}, tag), 0));
    WriteSeed(headers,
              "version-negotiation.bin",
              HeaderSeed(QuicHeader::CreateVersionNegotiation(s8, d8, {0x1a2a3a4a, 1}), 0));
    WriteSeed(headers,
              "unknown-version.bin",
              HeaderSeed(QuicHeader::CreateInitial(d8, s8, {}, 0, 1, 4, 0xff00001d), 4));
    WriteSeed(headers,
              "short-0.bin",
              HeaderSeed(QuicHeader::CreateShort(QuicConnectionId(), 654360564, 3), 8));
    WriteSeed(headers,
              "short-8.bin",
              HeaderSeed(QuicHeader::CreateShort(d8, 9, 1, true, false), 8));
    WriteSeed(headers,
              "short-20.bin",
              HeaderSeed(QuicHeader::CreateShort(d20, 0x01020304, 4, false, true), 8));

    QuicSubheader::StatelessResetToken token;
    token.fill(0x3b);
    const std::pair<const char*, QuicSubheader> frameSeeds[] = {
        {"padding", QuicSubheader::CreatePadding(4)},
        {"ping", QuicSubheader::CreatePing()},
        {"ack", QuicSubheader::CreateAck(1000, 25, 3, {{0, 0}, {5, 10}})},
        {"ack-ecn", QuicSubheader::CreateAck(100, 1, 2, {{1, 1}}, QuicEcnCounts{1, 2, 3})},
        {"reset-stream", QuicSubheader::CreateResetStream(4, 7, 1000)},
        {"stop-sending", QuicSubheader::CreateStopSending(8, 3)},
        {"crypto", QuicSubheader::CreateCrypto(0, 12)},
        {"new-token", QuicSubheader::CreateNewToken({9, 8, 7, 6})},
        {"stream-08", QuicSubheader::CreateStreamSubHeader(0, 0, 3, false, false, false)},
        {"stream-0b", QuicSubheader::CreateStreamSubHeader(4, 0, 3, false, true, true)},
        {"stream-0e", QuicSubheader::CreateStreamSubHeader(1, 16384, 5, true, true, false)},
        {"stream-0f", QuicSubheader::CreateStreamSubHeader(2, 70, 2, true, true, true)},
        {"max-data", QuicSubheader::CreateMaxData(1 << 20)},
        {"max-stream-data", QuicSubheader::CreateMaxStreamData(4, 65536)},
        {"max-streams-bidi", QuicSubheader::CreateMaxStreams(true, 100)},
        {"max-streams-uni", QuicSubheader::CreateMaxStreams(false, QuicSubheader::kMaxStreams)},
        {"data-blocked", QuicSubheader::CreateDataBlocked(5000)},
        {"stream-data-blocked", QuicSubheader::CreateStreamDataBlocked(4, 10)},
        {"streams-blocked-bidi", QuicSubheader::CreateStreamsBlocked(true, 10)},
        {"streams-blocked-uni", QuicSubheader::CreateStreamsBlocked(false, 3)},
        {"new-connection-id", QuicSubheader::CreateNewConnectionId(3, 1, d8, token)},
        {"retire-connection-id", QuicSubheader::CreateRetireConnectionId(2)},
        {"path-challenge", QuicSubheader::CreatePathChallenge({1, 2, 3, 4, 5, 6, 7, 8})},
        {"path-response", QuicSubheader::CreatePathResponse({8, 7, 6, 5, 4, 3, 2, 1})},
        {"connection-close",
         QuicSubheader::CreateConnectionClose(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                                              0x08,
                                              "bad stream")},
        {"application-close", QuicSubheader::CreateApplicationClose(0x101, "bye")},
        {"handshake-done", QuicSubheader::CreateHandshakeDone()},
        {"datagram", QuicSubheader::CreateDatagram(6, false)},
        {"datagram-length", QuicSubheader::CreateDatagram(6, true)},
    };
    std::vector<uint8_t> payload;
    for (const auto& [name, frame] : frameSeeds)
    {
        std::vector<uint8_t> seed = FrameSeed(frame);
        WriteSeed(frames, std::string(name) + ".bin", seed);
        // Frames without a Length field run to the end: keep them out of the mix.
        if (!(QuicSubheader::IsStream(frame.GetFrameType()) && !frame.HasLengthField()) &&
            frame.GetFrameType() != QuicSubheader::DATAGRAM)
        {
            payload.insert(payload.end(), seed.begin(), seed.end());
        }
    }
    WriteSeed(frames, "payload-all.bin", payload);

    QuicTransportParameters client;
    client.SetMaxIdleTimeout(Seconds(30));
    client.SetMaxUdpPayloadSize(1472);
    client.SetInitialMaxData(1 << 20);
    client.SetInitialMaxStreamDataBidiLocal(1 << 18);
    client.SetInitialMaxStreamDataBidiRemote(1 << 18);
    client.SetInitialMaxStreamDataUni(1 << 18);
    client.SetInitialMaxStreamsBidi(100);
    client.SetInitialMaxStreamsUni(3);
    client.SetAckDelayExponent(3);
    client.SetMaxAckDelay(MilliSeconds(25));
    client.SetDisableActiveMigration(true);
    client.SetActiveConnectionIdLimit(4);
    client.SetInitialSourceConnectionId(s8);
    client.SetMaxDatagramFrameSize(1200);
    WriteSeed(params, "client.bin", client.Encode());
    QuicTransportParameters server = client;
    server.SetOriginalDestinationConnectionId(d8);
    server.SetStatelessResetToken(token);
    QuicTransportParameters::PreferredAddress address;
    address.ipv4Address = Ipv4Address("192.0.2.1");
    address.ipv4Port = 443;
    address.ipv6Address = Ipv6Address("2001:db8::1");
    address.ipv6Port = 443;
    address.connectionId = d20;
    address.statelessResetToken = token;
    server.SetPreferredAddress(address);
    server.SetRetrySourceConnectionId(d20);
    WriteSeed(params, "server.bin", server.Encode());
    QuicTransportParameters extensions;
    extensions.SetRaw(27, {0xde, 0xad});
    extensions.SetRaw(0x173e, {});
    extensions.SetInitialMaxData(10);
    WriteSeed(params, "extensions.bin", extensions.Encode());
    std::cout << "seed corpora written under " << root << std::endl;
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Frame test cases of the quic-header suite: every frame type of RFC 9000 §19
 * and DATAGRAM (RFC 9221) round trips with boundary values, known encodings,
 * every truncation, and malformed input.
 */

#include "quic-frame-test-cases.h"

#include "ns3/buffer.h"
#include "ns3/packet.h"
#include "ns3/quic-byte-reader.h"
#include "ns3/quic-byte-writer.h"
#include "ns3/quic-header.h"
#include "ns3/quic-received-packet-tracker.h"
#include "ns3/quic-subheader.h"
#include "ns3/quic-varint.h"
#include "ns3/test.h"

#include <set>

namespace ns3
{
namespace quictest
{
namespace
{

/**
 * Header::Deserialize on raw bytes through a Buffer. Not Packet::RemoveHeader: with
 * packet metadata enabled (as in ns-3's own test runner in-tree), ns-3 asserts when a
 * header is removed from a packet that was built from raw bytes, empty ones especially.
 * \param h the header to fill
 * \param bytes the bytes
 * \return what Deserialize returned
 */
uint32_t
DeserializeRaw(Header& h, const std::vector<uint8_t>& bytes)
{
    Buffer buffer;
    buffer.AddAtStart(bytes.size());
    buffer.Begin().Write(bytes.data(), bytes.size());
    return h.Deserialize(buffer.Begin());
}

/// Largest varint value.
constexpr uint64_t kMax = QuicVarInt::kMaxValue;

/**
 * \brief Encode a frame header into a vector.
 * \param f the frame
 * \return the bytes
 */
std::vector<uint8_t>
EncodeFrame(const QuicSubheader& f)
{
    std::vector<uint8_t> out;
    QuicByteWriter w(out);
    f.Encode(w);
    return out;
}

/**
 * \brief Data bytes for a frame carrying data.
 * \param f the frame
 * \return GetDataLength() bytes of a pattern that never starts with 0
 */
std::vector<uint8_t>
DataFor(const QuicSubheader& f)
{
    std::vector<uint8_t> data(QuicSubheader::CarriesData(f.GetFrameType()) ? f.GetDataLength() : 0);
    for (size_t i = 0; i < data.size(); ++i)
    {
        data[i] = static_cast<uint8_t>(0x80 | (i & 0x7f));
    }
    return data;
}

/**
 * \return frames of every type, with boundary values
 */
std::vector<QuicSubheader>
FrameSamples()
{
    QuicSubheader::StatelessResetToken token;
    for (size_t i = 0; i < token.size(); ++i)
    {
        token[i] = static_cast<uint8_t>(0xe0 + i);
    }
    std::vector<uint8_t> cid20(20);
    for (size_t i = 0; i < cid20.size(); ++i)
    {
        cid20[i] = static_cast<uint8_t>(i + 1);
    }
    std::vector<uint8_t> bigToken(300);
    for (size_t i = 0; i < bigToken.size(); ++i)
    {
        bigToken[i] = static_cast<uint8_t>(i);
    }
    const uint64_t maxStreams = QuicSubheader::kMaxStreams;
    std::vector<QuicSubheader> s = {
        QuicSubheader::CreatePadding(1),
        QuicSubheader::CreatePadding(300),
        QuicSubheader::CreatePing(),
        QuicSubheader::CreateAck(0, 0, 0),
        QuicSubheader::CreateAck(kMax, kMax, kMax),
        QuicSubheader::CreateAck(1000, 25, 3, {{0, 0}, {5, 10}, {63, 64}}),
        QuicSubheader::CreateAck(100, 1, 0, {}, QuicEcnCounts{1, 2, 3}),
        QuicSubheader::CreateAck(kMax, 0, 0, {{0, 0}}, QuicEcnCounts{kMax, 0, kMax}),
        QuicSubheader::CreateResetStream(0, 0, 0),
        QuicSubheader::CreateResetStream(kMax, kMax, kMax),
        QuicSubheader::CreateStopSending(0, 0),
        QuicSubheader::CreateStopSending(kMax, kMax),
        QuicSubheader::CreateCrypto(0, 0),
        QuicSubheader::CreateCrypto(0, 241),
        QuicSubheader::CreateCrypto(kMax - 10, 10),
        QuicSubheader::CreateNewToken({0x01}),
        QuicSubheader::CreateNewToken(bigToken),
        QuicSubheader::CreateMaxData(0),
        QuicSubheader::CreateMaxData(kMax),
        QuicSubheader::CreateMaxStreamData(0, 0),
        QuicSubheader::CreateMaxStreamData(kMax, kMax),
        QuicSubheader::CreateMaxStreams(true, 0),
        QuicSubheader::CreateMaxStreams(true, maxStreams),
        QuicSubheader::CreateMaxStreams(false, maxStreams),
        QuicSubheader::CreateDataBlocked(0),
        QuicSubheader::CreateDataBlocked(kMax),
        QuicSubheader::CreateStreamDataBlocked(4, 63),
        QuicSubheader::CreateStreamDataBlocked(kMax, kMax),
        QuicSubheader::CreateStreamsBlocked(true, maxStreams),
        QuicSubheader::CreateStreamsBlocked(false, 64),
        QuicSubheader::CreateNewConnectionId(0, 0, QuicConnectionId({0x42}), token),
        QuicSubheader::CreateNewConnectionId(kMax,
                                             kMax,
                                             QuicConnectionId(cid20.data(), cid20.size()),
                                             token),
        QuicSubheader::CreateRetireConnectionId(0),
        QuicSubheader::CreateRetireConnectionId(kMax),
        QuicSubheader::CreatePathChallenge({1, 2, 3, 4, 5, 6, 7, 8}),
        QuicSubheader::CreatePathResponse({0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0}),
        QuicSubheader::CreateConnectionClose(QuicTransportErrorCode::NO_ERROR, 0, ""),
        QuicSubheader::CreateConnectionClose(QuicMakeCryptoError(42), kMax, std::string(500, 'r')),
        QuicSubheader::CreateApplicationClose(0, ""),
        QuicSubheader::CreateApplicationClose(kMax, "bye"),
        QuicSubheader::CreateHandshakeDone(),
        QuicSubheader::CreateDatagram(0, true),
        QuicSubheader::CreateDatagram(1000, true),
        QuicSubheader::CreateDatagram(7, false),
        QuicSubheader::CreateDatagram(0, false),
        QuicSubheader::CreateStreamSubHeader(kMax, kMax - 5, 5, true, true, true),
        QuicSubheader::CreateStreamSubHeader(0, 0, 0, false, false, true),
    };
    for (int bits = 0; bits < 8; ++bits)
    {
        bool withOffset = bits & QuicSubheader::STREAM_OFF_BIT;
        s.push_back(QuicSubheader::CreateStreamSubHeader(4 * bits + 1,
                                                         withOffset ? 100 * bits + 64 : 0,
                                                         5 + bits,
                                                         withOffset,
                                                         bits & QuicSubheader::STREAM_LEN_BIT,
                                                         bits & QuicSubheader::STREAM_FIN_BIT));
    }
    return s;
}

/**
 * \brief A frame's description for messages.
 * \param f the frame
 * \return Print() output
 */
std::string
Describe(const QuicSubheader& f)
{
    std::ostringstream oss;
    f.Print(oss);
    return oss.str();
}

/**
 * \ingroup quic-test
 * \brief Every frame type round trips through TryDecode and through an ns3::Packet.
 */
class QuicFrameRoundTripTestCase : public TestCase
{
  public:
    QuicFrameRoundTripTestCase()
        : TestCase("QUIC frames: every RFC 9000 §19 type and DATAGRAM round trips, boundaries")
    {
    }

  private:
    void DoRun() override
    {
        std::set<uint64_t> types;
        for (const auto& f : FrameSamples())
        {
            std::string what = Describe(f);
            types.insert(f.GetFrameType());
            std::vector<uint8_t> header = EncodeFrame(f);
            NS_TEST_ASSERT_MSG_EQ(header.size(), f.GetSerializedSize(), "size of " << what);
            std::vector<uint8_t> data = DataFor(f);
            std::vector<uint8_t> wire = header;
            wire.insert(wire.end(), data.begin(), data.end());

            QuicByteReader r(wire.data(), wire.size());
            QuicSubheader d;
            QuicWireError error;
            NS_TEST_ASSERT_MSG_EQ(QuicSubheader::TryDecode(r, d, error),
                                  true,
                                  what << " decodes (" << error << ")");
            NS_TEST_EXPECT_MSG_EQ((d == f), true, what << " decodes equal: " << Describe(d));
            NS_TEST_EXPECT_MSG_EQ(r.Position(), header.size(), what << ": reader after the header");
            NS_TEST_EXPECT_MSG_EQ(r.Remaining(), data.size(), what << ": data left for the caller");

            Ptr<Packet> p = Create<Packet>(data.data(), data.size());
            p->AddHeader(f);
            NS_TEST_ASSERT_MSG_EQ(p->GetSize(), wire.size(), what << ": packet size");
            std::vector<uint8_t> fromPacket(p->GetSize());
            p->CopyData(fromPacket.data(), fromPacket.size());
            NS_TEST_EXPECT_MSG_EQ(ToHex(fromPacket), ToHex(wire), what << ": Serialize == Encode");
            QuicSubheader viaPacket;
            NS_TEST_EXPECT_MSG_EQ(p->RemoveHeader(viaPacket), header.size(), what << ": removed");
            NS_TEST_EXPECT_MSG_EQ((viaPacket == f), true, what << " via Packet");
            NS_TEST_EXPECT_MSG_EQ(p->GetSize(), data.size(), what << ": data stays in the packet");
        }
        // 0x00-0x1e (STREAM as its 8 variants) and 0x30/0x31.
        NS_TEST_EXPECT_MSG_EQ(types.size(), 31 + 2, "every frame type covered");
        for (uint64_t t : types)
        {
            NS_TEST_EXPECT_MSG_EQ(QuicSubheader::IsKnownFrameType(t), true, "known " << t);
        }
    }
};

/**
 * \ingroup quic-test
 * \brief Encodings checked byte for byte (RFC 9001 Appendix A payloads and hand-encoded frames).
 */
class QuicFrameKnownEncodingsTestCase : public TestCase
{
  public:
    QuicFrameKnownEncodingsTestCase()
        : TestCase("QUIC frames: encodings byte for byte")
    {
    }

  private:
    void Expect(const QuicSubheader& f, const std::string& hex)
    {
        NS_TEST_EXPECT_MSG_EQ(ToHex(EncodeFrame(f)), hex, Describe(f));
        std::vector<uint8_t> bytes = FromHex(hex);
        std::vector<uint8_t> data = DataFor(f);
        bytes.insert(bytes.end(), data.begin(), data.end());
        QuicByteReader r(bytes.data(), bytes.size());
        QuicSubheader d;
        QuicWireError error;
        NS_TEST_EXPECT_MSG_EQ((QuicSubheader::TryDecode(r, d, error) && d == f),
                              true,
                              hex << " decodes back (" << error << ")");
    }

    void DoRun() override
    {
        // RFC 9001 A.2 client Initial payload starts with CRYPTO(offset 0, length 241).
        Expect(QuicSubheader::CreateCrypto(0, 241), "060040f1");
        // RFC 9001 A.3 server Initial payload: ACK of packet 0, then CRYPTO(0, 90).
        Expect(QuicSubheader::CreateAck(0, 0, 0), "0200000000");
        Expect(QuicSubheader::CreateCrypto(0, 90), "0600405a");
        // RFC 9001 A.5: a 1-RTT packet carrying PING.
        Expect(QuicSubheader::CreatePing(), "01");
        Expect(QuicSubheader::CreatePadding(3), "000000");
        Expect(QuicSubheader::CreateHandshakeDone(), "1e");
        Expect(QuicSubheader::CreateStreamSubHeader(4, 0, 3, true, true, true), "0f040003");
        Expect(QuicSubheader::CreateStreamSubHeader(4, 0, 3, false, false, false), "0804");
        Expect(QuicSubheader::CreateStreamSubHeader(1, 16384, 64, true, true, false),
               "0e01800040004040");
        Expect(QuicSubheader::CreateAckFromIntervals({{1, 3}, {8, 10}, {5, 5}, {4, 4}}, 0x19),
               "020a1901020104");
        Expect(QuicSubheader::CreateAck(10, 0, 0, {}, QuicEcnCounts{1, 2, 64}),
               "030a000000"
               "01024040");
        Expect(QuicSubheader::CreateResetStream(4, 0x100, 1000),
               "04044100"
               "43e8");
        Expect(QuicSubheader::CreateStopSending(8, 3), "050803");
        Expect(QuicSubheader::CreateNewToken({0xab, 0xcd}), "0702abcd");
        Expect(QuicSubheader::CreateMaxData(1048576), "1080100000");
        Expect(QuicSubheader::CreateMaxStreamData(2, 63), "11023f");
        Expect(QuicSubheader::CreateMaxStreams(true, QuicSubheader::kMaxStreams),
               "12d000000000000000");
        Expect(QuicSubheader::CreateMaxStreams(false, 100), "134064");
        Expect(QuicSubheader::CreateDataBlocked(5), "1405");
        Expect(QuicSubheader::CreateStreamDataBlocked(1, 2), "150102");
        Expect(QuicSubheader::CreateStreamsBlocked(true, 3), "1603");
        Expect(QuicSubheader::CreateStreamsBlocked(false, 4), "1704");
        QuicSubheader::StatelessResetToken token;
        token.fill(0xaa);
        Expect(QuicSubheader::CreateNewConnectionId(1, 0, QuicConnectionId({1, 2, 3, 4}), token),
               "180100"
               "0401020304"
               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Expect(QuicSubheader::CreateRetireConnectionId(7), "1907");
        Expect(QuicSubheader::CreatePathChallenge({1, 2, 3, 4, 5, 6, 7, 8}), "1a0102030405060708");
        Expect(QuicSubheader::CreatePathResponse({1, 2, 3, 4, 5, 6, 7, 8}), "1b0102030405060708");
        Expect(QuicSubheader::CreateConnectionClose(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                                                    0x08,
                                                    "bad"),
               "1c070803626164");
        Expect(QuicSubheader::CreateApplicationClose(0x1234, ""), "1d523400");
        Expect(QuicSubheader::CreateDatagram(5, true), "3105");
        Expect(QuicSubheader::CreateDatagram(5, false), "30");
    }
};

/**
 * \ingroup quic-test
 * \brief Every valid frame encoding cut at every byte offset is rejected, never a crash.
 */
class QuicFrameTruncationTestCase : public TestCase
{
  public:
    QuicFrameTruncationTestCase()
        : TestCase(
              "QUIC frames: every truncation of every frame rejected with FRAME_ENCODING_ERROR")
    {
    }

  private:
    void DoRun() override
    {
        int rejected = 0;
        for (const auto& f : FrameSamples())
        {
            uint64_t type = f.GetFrameType();
            if (type == QuicSubheader::PADDING)
            {
                continue; // any run of zero bytes is valid PADDING
            }
            std::vector<uint8_t> wire = EncodeFrame(f);
            size_t headerSize = wire.size();
            // Frames whose data length is on the wire must have all of their data;
            // without a Length field, cutting the data only makes it shorter.
            bool lengthOnWire = QuicSubheader::CarriesData(type) &&
                                (type == QuicSubheader::CRYPTO || f.HasLengthField());
            std::vector<uint8_t> data = DataFor(f);
            if (lengthOnWire)
            {
                wire.insert(wire.end(), data.begin(), data.end());
            }
            for (size_t cut = 0; cut < wire.size(); ++cut)
            {
                std::vector<uint8_t> prefix(wire.begin(), wire.begin() + cut);
                QuicByteReader r(prefix.data(), prefix.size());
                QuicSubheader d;
                QuicWireError error;
                NS_TEST_ASSERT_MSG_EQ(QuicSubheader::TryDecode(r, d, error),
                                      false,
                                      Describe(f) << " cut at " << cut << " of " << wire.size());
                NS_TEST_EXPECT_MSG_EQ(d.IsValid(), false, "left invalid");
                NS_TEST_EXPECT_MSG_EQ(error.code,
                                      QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                                      Describe(f) << " cut at " << cut << ": " << error);
                NS_TEST_EXPECT_MSG_EQ((error.offset <= cut), true, "offset " << error.offset);
                if (cut > 0)
                {
                    NS_TEST_EXPECT_MSG_EQ(error.frameType, type, "error names the frame type");
                }
                NS_TEST_EXPECT_MSG_EQ(error.field.empty(), false, "error names the field");
                // The same through Deserialize: nothing removed, marked invalid.
                QuicSubheader viaPacket;
                NS_TEST_ASSERT_MSG_EQ(DeserializeRaw(viaPacket, prefix),
                                      0,
                                      Describe(f) << " via Packet, cut at " << cut);
                NS_TEST_EXPECT_MSG_EQ(viaPacket.IsValid(), false, "invalid via Packet");
                NS_TEST_EXPECT_MSG_EQ(viaPacket.GetDecodeError().code,
                                      QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                                      "error kept");
                ++rejected;
            }
            if (!lengthOnWire && QuicSubheader::CarriesData(type))
            {
                // Data cut short: still valid, with the shorter data.
                wire.insert(wire.end(), data.begin(), data.end());
                for (size_t cut = headerSize; cut <= wire.size(); ++cut)
                {
                    QuicByteReader r(wire.data(), cut);
                    QuicSubheader d;
                    QuicWireError error;
                    NS_TEST_ASSERT_MSG_EQ(QuicSubheader::TryDecode(r, d, error),
                                          true,
                                          Describe(f) << " data cut at " << cut);
                    NS_TEST_EXPECT_MSG_EQ(d.GetDataLength(), cut - headerSize, "data to the end");
                }
            }
        }
        NS_TEST_EXPECT_MSG_EQ((rejected > 2000), true, "checked " << rejected << " truncations");
    }
};

/**
 * \brief Decode bytes expecting a failure.
 * \param hex the bytes
 * \param error the error
 * \return true if TryDecode and Deserialize both failed
 */
bool
DecodeFails(const std::string& hex, QuicWireError& error)
{
    std::vector<uint8_t> bytes = FromHex(hex);
    QuicByteReader r(bytes.data(), bytes.size());
    QuicSubheader d;
    error.Clear();
    bool failed = !QuicSubheader::TryDecode(r, d, error) && !d.IsValid() && error.IsError();
    QuicSubheader viaPacket;
    return failed && DeserializeRaw(viaPacket, bytes) == 0 && !viaPacket.IsValid() &&
           viaPacket.GetDecodeError().code == error.code;
}

/**
 * \brief Decode bytes expecting success.
 * \param hex the bytes
 * \param out the frame
 * \return true on success
 */
bool
DecodeOk(const std::string& hex, QuicSubheader& out)
{
    std::vector<uint8_t> bytes = FromHex(hex);
    QuicByteReader r(bytes.data(), bytes.size());
    QuicWireError error;
    return QuicSubheader::TryDecode(r, out, error);
}

/**
 * \ingroup quic-test
 * \brief Malformed frames: over-long varints, lengths past the end, range
 * underflow, bad connection ID lengths, limits, unknown types.
 */
class QuicFrameMalformedTestCase : public TestCase
{
  public:
    QuicFrameMalformedTestCase()
        : TestCase("QUIC frames: malformed input rejected with the RFC error, field and offset")
    {
    }

  private:
    void ExpectError(const std::string& hex,
                     QuicTransportErrorCode code,
                     const std::string& field,
                     size_t offset)
    {
        QuicWireError error;
        NS_TEST_ASSERT_MSG_EQ(DecodeFails(hex, error), true, hex << " must be rejected");
        NS_TEST_EXPECT_MSG_EQ(error.code, code, hex << ": " << error);
        NS_TEST_EXPECT_MSG_EQ(error.field, field, hex << ": " << error);
        NS_TEST_EXPECT_MSG_EQ(error.offset, offset, hex << ": " << error);
    }

    void DoRun() override
    {
        const auto FEE = QuicTransportErrorCode::FRAME_ENCODING_ERROR;
        QuicSubheader ok;
        // Nothing at all.
        ExpectError("", FEE, "Frame Type", 0);
        // A varint announcing 8 bytes with 1 present.
        ExpectError("11c0", FEE, "Stream ID", 1);
        ExpectError("1102c0", FEE, "Maximum Stream Data", 2);
        // A frame type varint cut short.
        ExpectError("40", FEE, "Frame Type", 0);
        // Lengths past the end, small and 62-bit.
        ExpectError("060005aa", FEE, "Length", 2);
        ExpectError("0600ffffffffffffffff", FEE, "Length", 2);
        ExpectError("0a0105aaaa", FEE, "Length", 2);
        ExpectError("3102aa", FEE, "Length", 1);
        ExpectError("310aaaaa", FEE, "Length", 1);
        ExpectError("0705aabb", FEE, "Token", 2);
        ExpectError("07ffffffffffffffffaa", FEE, "Token", 9);
        ExpectError("1c07080562", FEE, "Reason Phrase", 4);
        ExpectError("1d00ffffffffffffffff", FEE, "Reason Phrase", 10);
        // Offset + length beyond 2^62-1 (RFC 9000 §19.8, §19.6).
        ExpectError("0e00ffffffffffffffff01aa", FEE, "Offset", 2);
        ExpectError("0c00ffffffffffffffffaa", FEE, "Offset", 2);
        NS_TEST_EXPECT_MSG_EQ(DecodeOk("0c00ffffffffffffffff", ok), true, "2^62-1 + 0 is fine");
        ExpectError("06ffffffffffffffff01aa", FEE, "Offset", 1);
        // ACK ranges below 0 (RFC 9000 §19.3.1).
        ExpectError("0205000006", FEE, "First ACK Range", 4);
        NS_TEST_EXPECT_MSG_EQ(DecodeOk("0205000005", ok), true, "first range down to 0");
        ExpectError("020a00010207"
                    "00",
                    FEE,
                    "Gap",
                    5);
        NS_TEST_EXPECT_MSG_EQ(DecodeOk("020a0001020600", ok), true, "gap down to packet 0");
        NS_TEST_EXPECT_MSG_EQ(ok.GetAckIntervals().back().low, 0, "last interval [0, 0]");
        ExpectError("020a0001020601", FEE, "ACK Range Length", 6);
        ExpectError("020a00ffffffffffffffff00", FEE, "ACK Range Count", 3);
        ExpectError("020a000200"
                    "00",
                    FEE,
                    "ACK Range Count",
                    3);
        ExpectError("030a000000"
                    "0102",
                    FEE,
                    "ECN-CE Count",
                    7);
        // NEW_CONNECTION_ID (RFC 9000 §19.15).
        std::string resetToken(32, 'a');
        ExpectError("180100"
                    "00" +
                        resetToken,
                    FEE,
                    "Length",
                    3);
        ExpectError("180100"
                    "15" +
                        std::string(42, '1') + resetToken,
                    FEE,
                    "Length",
                    3);
        ExpectError("180102"
                    "0401020304" +
                        resetToken,
                    FEE,
                    "Retire Prior To",
                    2);
        ExpectError("180100"
                    "04010203",
                    FEE,
                    "Connection ID",
                    4);
        ExpectError("180100"
                    "0401020304"
                    "aaaa",
                    FEE,
                    "Stateless Reset Token",
                    8);
        NS_TEST_EXPECT_MSG_EQ(DecodeOk("180202"
                                       "0401020304" +
                                           resetToken,
                                       ok),
                              true,
                              "retire prior to == sequence");
        // NEW_TOKEN with an empty token (RFC 9000 §19.7).
        ExpectError("0700", FEE, "Token Length", 1);
        // MAX_STREAMS / STREAMS_BLOCKED above 2^60 (RFC 9000 §19.11, §19.14).
        ExpectError("12d000000000000001", FEE, "Maximum Streams", 1);
        ExpectError("13ffffffffffffffff", FEE, "Maximum Streams", 1);
        ExpectError("16d000000000000001", FEE, "Maximum Streams", 1);
        ExpectError("17d000000000000001", FEE, "Maximum Streams", 1);
        NS_TEST_EXPECT_MSG_EQ(DecodeOk("17d000000000000000", ok), true, "2^60 is fine");
        // PATH_CHALLENGE / PATH_RESPONSE need 8 bytes.
        ExpectError("1a01020304050607", FEE, "Data", 1);
        ExpectError("1b", FEE, "Data", 1);
        // Unknown frame types name the type.
        QuicWireError error;
        NS_TEST_EXPECT_MSG_EQ(DecodeFails("1f", error), true, "0x1f unknown");
        NS_TEST_EXPECT_MSG_EQ(error.code, FEE, "unknown type code");
        NS_TEST_EXPECT_MSG_EQ(error.frameType, 0x1f, "unknown type reported");
        NS_TEST_EXPECT_MSG_EQ((error.message.find("0x1f") != std::string::npos),
                              true,
                              "message names 0x1f: " << error.message);
        ExpectError("21", FEE, "Frame Type", 0);
        ExpectError("4100", FEE, "Frame Type", 0);
        ExpectError("80abcdef", FEE, "Frame Type", 0);
        // A known type in a longer encoding than needed (RFC 9000 §12.4).
        ExpectError("4001", QuicTransportErrorCode::PROTOCOL_VIOLATION, "Frame Type", 0);
        ExpectError("800000"
                    "1e",
                    QuicTransportErrorCode::PROTOCOL_VIOLATION,
                    "Frame Type",
                    0);
        // But other varints may be non-minimal (RFC 9000 §16).
        NS_TEST_EXPECT_MSG_EQ(DecodeOk("10c000000000000025", ok), true, "non-minimal MAX_DATA");
        NS_TEST_EXPECT_MSG_EQ(ok.GetMaximumData(), 37, "value 37");
        // Error offsets are reader positions: a frame after another.
        std::vector<uint8_t> two = FromHex("01"
                                           "060005aa");
        QuicByteReader r(two.data(), two.size());
        QuicSubheader first;
        QuicSubheader second;
        NS_TEST_EXPECT_MSG_EQ(QuicSubheader::TryDecode(r, first, error), true, "PING");
        NS_TEST_EXPECT_MSG_EQ(QuicSubheader::TryDecode(r, second, error), false, "bad CRYPTO");
        NS_TEST_EXPECT_MSG_EQ(error.offset, 3, "offset from the start of the payload");
        NS_TEST_EXPECT_MSG_EQ(error.ToString(),
                              "FRAME_ENCODING_ERROR (0x7): CRYPTO frame (type 0x6), field "
                              "'Length' at byte 3: data length 5 exceeds the 1 remaining bytes",
                              "ToString");
    }
};

/**
 * \ingroup quic-test
 * \brief ACK frames to and from intervals; ACK delay scaling.
 */
class QuicFrameAckTestCase : public TestCase
{
  public:
    QuicFrameAckTestCase()
        : TestCase("QUIC frames: ACK intervals helper and ACK delay exponent")
    {
    }

  private:
    void DoRun() override
    {
        QuicSubheader ack =
            QuicSubheader::CreateAckFromIntervals({{1, 3}, {8, 10}, {5, 5}, {4, 4}}, 0);
        NS_TEST_EXPECT_MSG_EQ(ack.GetLargestAcknowledged(), 10, "largest");
        NS_TEST_EXPECT_MSG_EQ(ack.GetFirstAckRange(), 2, "first range 8..10");
        NS_TEST_ASSERT_MSG_EQ(ack.GetAckRanges().size(), 1, "touching intervals merged");
        NS_TEST_EXPECT_MSG_EQ(ack.GetAckRanges()[0].gap, 1, "6..7 missing: gap 1");
        NS_TEST_EXPECT_MSG_EQ(ack.GetAckRanges()[0].length, 4, "1..5: length 4");
        std::vector<QuicAckInterval> intervals = ack.GetAckIntervals();
        NS_TEST_ASSERT_MSG_EQ(intervals.size(), 2, "two intervals");
        NS_TEST_EXPECT_MSG_EQ((intervals[0] == QuicAckInterval{8, 10}), true, "highest first");
        NS_TEST_EXPECT_MSG_EQ((intervals[1] == QuicAckInterval{1, 5}), true, "then 1..5");

        // Many single-packet holes, then through a packet (header > 256 bytes).
        std::vector<QuicAckInterval> odd;
        for (uint64_t pn = 1; pn < 2000; pn += 2)
        {
            odd.push_back({pn, pn});
        }
        QuicSubheader big = QuicSubheader::CreateAckFromIntervals(odd, 3, QuicEcnCounts{5, 0, 1});
        NS_TEST_EXPECT_MSG_EQ(big.GetAckRanges().size(), odd.size() - 1, "one range per hole");
        std::vector<QuicAckInterval> back = big.GetAckIntervals();
        std::reverse(back.begin(), back.end());
        NS_TEST_EXPECT_MSG_EQ((back == odd), true, "intervals round trip");
        NS_TEST_EXPECT_MSG_EQ((big.GetSerializedSize() > 1000), true, "a long frame");
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(big);
        QuicSubheader viaPacket;
        NS_TEST_EXPECT_MSG_EQ(p->RemoveHeader(viaPacket), big.GetSerializedSize(), "removed");
        NS_TEST_EXPECT_MSG_EQ((viaPacket == big), true, "long ACK via Packet");

        // RFC 9000 §19.3: ACK Delay scaled by 2^ack_delay_exponent microseconds.
        NS_TEST_EXPECT_MSG_EQ(QuicSubheader::DecodeAckDelay(1000, 3), MicroSeconds(8000), "x8");
        NS_TEST_EXPECT_MSG_EQ(QuicSubheader::EncodeAckDelay(MilliSeconds(8), 3), 1000, "/8");
        NS_TEST_EXPECT_MSG_EQ(QuicSubheader::EncodeAckDelay(MicroSeconds(15), 3), 1, "floor");
        NS_TEST_EXPECT_MSG_EQ(QuicSubheader::EncodeAckDelay(MicroSeconds(-5), 3), 0, "negative");
        NS_TEST_EXPECT_MSG_EQ(QuicSubheader::DecodeAckDelay(kMax, 20), Time::Max(), "saturates");
        QuicSubheader delayed = QuicSubheader::CreateAck(5, 25, 0);
        NS_TEST_EXPECT_MSG_EQ(delayed.GetAckDelay(0), MicroSeconds(25), "exponent 0");
        NS_TEST_EXPECT_MSG_EQ(delayed.GetAckDelay(), 25, "raw field");
    }
};

/**
 * \ingroup quic-test
 * \brief The writers that skip building a QuicHeader or QuicSubheader (the send path's
 * short headers, STREAM headers and ACK frames) write the bytes those would, and respect
 * the room given.
 */
class QuicFrameDirectWritersTestCase : public TestCase
{
  public:
    QuicFrameDirectWritersTestCase()
        : TestCase("QUIC frames: short headers, STREAM headers and ACK frames written directly")
    {
    }

  private:
    void DoRun() override
    {
        struct StreamCase
        {
            uint64_t id;     //!< stream
            uint64_t offset; //!< offset
            uint64_t length; //!< length
            bool withOffset; //!< OFF bit
            bool withLength; //!< LEN bit
            bool fin;        //!< FIN bit
        };

        const std::vector<StreamCase> streams = {{0, 0, 0, false, false, false},
                                                 {4, 0, 3, true, true, true},
                                                 {1, 16384, 64, true, true, false},
                                                 {63, 1u << 30, 16383, true, false, false},
                                                 {kMax, kMax - 5, 5, true, true, true}};
        for (const StreamCase& c : streams)
        {
            std::vector<uint8_t> viaSubheader;
            QuicByteWriter w1(viaSubheader);
            QuicSubheader f = QuicSubheader::CreateStreamSubHeader(c.id,
                                                                   c.offset,
                                                                   c.length,
                                                                   c.withOffset,
                                                                   c.withLength,
                                                                   c.fin);
            f.Encode(w1);
            std::vector<uint8_t> direct;
            QuicByteWriter w2(direct);
            uint64_t type = QuicSubheader::EncodeStreamHeader(w2,
                                                              c.id,
                                                              c.offset,
                                                              c.length,
                                                              c.withOffset,
                                                              c.withLength,
                                                              c.fin);
            NS_TEST_EXPECT_MSG_EQ(ToHex(direct), ToHex(viaSubheader), "STREAM header bytes");
            NS_TEST_EXPECT_MSG_EQ(type, f.GetFrameType(), "STREAM frame type");
        }

        // 1-RTT packet headers.
        const uint8_t cidBytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        for (const QuicConnectionId& cid :
             {QuicConnectionId(), QuicConnectionId(cidBytes, 8), QuicConnectionId(cidBytes, 4)})
        {
            for (uint8_t pnLength = 1; pnLength <= 4; ++pnLength)
            {
                for (int bits = 0; bits < 4; ++bits)
                {
                    uint64_t pn = 0x123456789aULL + pnLength;
                    std::vector<uint8_t> viaHeader;
                    QuicByteWriter w1(viaHeader);
                    QuicHeader::CreateShort(cid, pn, pnLength, bits & 1, bits & 2).Encode(w1);
                    std::vector<uint8_t> direct;
                    QuicByteWriter w2(direct);
                    QuicHeader::EncodeShort(w2, cid, pn, pnLength, bits & 1, bits & 2);
                    NS_TEST_EXPECT_MSG_EQ(ToHex(direct), ToHex(viaHeader), "short header bytes");
                }
            }
        }

        // Received: 0..3, 5, 8..10, then every other number up to 99 (many ranges).
        QuicReceivedPacketTracker t;
        Time arrival = MilliSeconds(10);
        auto receive = [&](uint64_t pn, uint8_t ecn) {
            t.OnPacketReceived(pn, true, arrival, ecn);
            arrival += MicroSeconds(130);
        };
        for (uint64_t pn : {0, 1, 2, 3, 5, 8, 9, 10})
        {
            receive(pn, 2); // ECT(0)
        }
        for (uint64_t pn = 13; pn < 100; pn += 2)
        {
            receive(pn, pn % 7 == 0 ? 3 : 2); // some CE
        }
        Time now = arrival + MicroSeconds(777);
        for (bool withEcn : {false, true})
        {
            for (uint8_t exponent : {0, 3})
            {
                QuicSubheader ack = t.BuildAckFrame(now, exponent, withEcn);
                std::vector<uint8_t> viaSubheader;
                QuicByteWriter w1(viaSubheader);
                ack.Encode(w1);
                uint32_t size = ack.GetSerializedSize();

                std::vector<uint8_t> direct{0xaa}; // something already in the packet
                QuicByteWriter w2(direct);
                uint64_t largest = 0;
                uint64_t type = 0;
                NS_TEST_EXPECT_MSG_EQ(
                    t.WriteAckFrame(w2, now, exponent, withEcn, size - 1, largest, type),
                    0,
                    "one byte short: not written");
                NS_TEST_EXPECT_MSG_EQ(direct.size(), 1, "nothing written when it does not fit");
                NS_TEST_EXPECT_MSG_EQ(
                    t.WriteAckFrame(w2, now, exponent, withEcn, size, largest, type),
                    size,
                    "fits exactly");
                direct.erase(direct.begin());
                NS_TEST_EXPECT_MSG_EQ(ToHex(direct), ToHex(viaSubheader), "ACK frame bytes");
                NS_TEST_EXPECT_MSG_EQ(largest, ack.GetLargestAcknowledged(), "largest");
                NS_TEST_EXPECT_MSG_EQ(type, ack.GetFrameType(), "ACK or ACK_ECN");
            }
        }
    }
};

/**
 * \ingroup quic-test
 * \brief Frame type properties (RFC 9000 Table 3, RFC 9221) and a whole payload.
 */
class QuicFramePropertiesTestCase : public TestCase
{
  public:
    QuicFramePropertiesTestCase()
        : TestCase("QUIC frames: Table 3 properties and a packet payload parsed frame by frame")
    {
    }

  private:
    void DoRun() override
    {
        using S = QuicSubheader;
        NS_TEST_EXPECT_MSG_EQ(S::IsAckEliciting(S::PADDING), false, "PADDING");
        NS_TEST_EXPECT_MSG_EQ((S::IsAckEliciting(S::ACK) || S::IsAckEliciting(S::ACK_ECN)),
                              false,
                              "ACK");
        NS_TEST_EXPECT_MSG_EQ(
            (S::IsAckEliciting(S::CONNECTION_CLOSE) || S::IsAckEliciting(S::APPLICATION_CLOSE)),
            false,
            "CONNECTION_CLOSE");
        NS_TEST_EXPECT_MSG_EQ((S::IsAckEliciting(S::PING) && S::IsAckEliciting(0x0b) &&
                               S::IsAckEliciting(S::DATAGRAM) &&
                               S::IsAckEliciting(S::HANDSHAKE_DONE)),
                              true,
                              "others elicit");
        NS_TEST_EXPECT_MSG_EQ((S::IsProbing(S::PATH_CHALLENGE) && S::IsProbing(S::PATH_RESPONSE) &&
                               S::IsProbing(S::NEW_CONNECTION_ID) && S::IsProbing(S::PADDING)),
                              true,
                              "probing");
        NS_TEST_EXPECT_MSG_EQ(S::IsProbing(S::PING), false, "PING is not probing");
        NS_TEST_EXPECT_MSG_EQ(S::IsCongestionControlled(S::ACK), false, "ACK not in flight");
        NS_TEST_EXPECT_MSG_EQ((S::IsFlowControlled(0x0f) && !S::IsFlowControlled(S::CRYPTO)),
                              true,
                              "only STREAM is flow controlled");
        NS_TEST_EXPECT_MSG_EQ((S::IsStream(0x07) || S::IsStream(0x10)), false, "stream range");
        NS_TEST_EXPECT_MSG_EQ(S::FrameTypeToString(0x0d), "STREAM", "STREAM name");
        NS_TEST_EXPECT_MSG_EQ(S::FrameTypeToString(0x99), "UNKNOWN", "unknown name");
        using H = QuicHeader;
        NS_TEST_EXPECT_MSG_EQ((S::IsAllowedInPacketType(S::CRYPTO, H::INITIAL) &&
                               S::IsAllowedInPacketType(S::CRYPTO, H::HANDSHAKE) &&
                               S::IsAllowedInPacketType(S::CRYPTO, H::SHORT)),
                              true,
                              "CRYPTO IH_1");
        NS_TEST_EXPECT_MSG_EQ((S::IsAllowedInPacketType(S::CRYPTO, H::ZERO_RTT) ||
                               S::IsAllowedInPacketType(S::ACK, H::ZERO_RTT)),
                              false,
                              "no CRYPTO or ACK in 0-RTT");
        NS_TEST_EXPECT_MSG_EQ(S::IsAllowedInPacketType(0x0a, H::INITIAL), false, "STREAM __01");
        NS_TEST_EXPECT_MSG_EQ(S::IsAllowedInPacketType(0x0a, H::ZERO_RTT), true, "STREAM 0-RTT");
        NS_TEST_EXPECT_MSG_EQ((S::IsAllowedInPacketType(S::HANDSHAKE_DONE, H::ZERO_RTT) ||
                               S::IsAllowedInPacketType(S::NEW_TOKEN, H::HANDSHAKE) ||
                               S::IsAllowedInPacketType(S::PATH_RESPONSE, H::ZERO_RTT)),
                              false,
                              "___1 frames only in 1-RTT");
        NS_TEST_EXPECT_MSG_EQ((S::IsAllowedInPacketType(S::CONNECTION_CLOSE, H::INITIAL) &&
                               !S::IsAllowedInPacketType(S::APPLICATION_CLOSE, H::INITIAL)),
                              true,
                              "0x1c anywhere, 0x1d not in Initial");
        NS_TEST_EXPECT_MSG_EQ((S::IsAllowedInPacketType(S::DATAGRAM_WITH_LENGTH, H::SHORT) &&
                               !S::IsAllowedInPacketType(S::DATAGRAM, H::HANDSHAKE)),
                              true,
                              "DATAGRAM in 0-RTT/1-RTT only");
        NS_TEST_EXPECT_MSG_EQ(S::IsAllowedInPacketType(S::PING, H::RETRY),
                              false,
                              "no frames in Retry");

        // A 1-RTT payload: ACK, STREAM with LEN + data, PADDING run, STREAM to the end.
        std::vector<uint8_t> payload;
        QuicByteWriter w(payload);
        S::CreateAck(20, 3, 2).Encode(w);
        S::CreateStreamSubHeader(0, 0, 4, true, true, false).Encode(w);
        w.WriteBytes(std::string("abcd"));
        S::CreatePadding(300).Encode(w);
        S::CreateStreamSubHeader(4, 10, 0, true, false, true).Encode(w);
        w.WriteBytes(std::string("xyz"));
        // The same payload built as a sender would, one Packet per frame (its
        // header added to its data) appended in order, so that packet metadata
        // matches when the frames are removed.
        Ptr<Packet> p = Create<Packet>();
        auto append = [&p](const S& frame, const std::string& data) {
            Ptr<Packet> piece =
                Create<Packet>(reinterpret_cast<const uint8_t*>(data.data()), data.size());
            piece->AddHeader(frame);
            p->AddAtEnd(piece);
        };
        append(S::CreateAck(20, 3, 2), "");
        append(S::CreateStreamSubHeader(0, 0, 4, true, true, false), "abcd");
        append(S::CreatePadding(300), "");
        append(S::CreateStreamSubHeader(4, 10, 0, true, false, true), "xyz");
        std::vector<uint8_t> serialized(p->GetSize());
        p->CopyData(serialized.data(), serialized.size());
        NS_TEST_ASSERT_MSG_EQ(ToHex(serialized), ToHex(payload), "Serialize == Encode");
        std::vector<std::string> seen;
        while (p->GetSize() > 0)
        {
            S frame;
            uint32_t n = p->RemoveHeader(frame);
            NS_TEST_ASSERT_MSG_EQ((n > 0 && frame.IsValid()), true, "frame " << seen.size());
            seen.push_back(S::FrameTypeToString(frame.GetFrameType()));
            if (S::CarriesData(frame.GetFrameType()))
            {
                p->RemoveAtStart(static_cast<uint32_t>(frame.GetDataLength()));
            }
            if (frame.GetFrameType() == S::PADDING)
            {
                NS_TEST_EXPECT_MSG_EQ(frame.GetPaddingLength(), 300, "one PADDING subheader");
            }
            if (frame.GetFrameType() == (S::STREAM | S::STREAM_OFF_BIT | S::STREAM_FIN_BIT))
            {
                NS_TEST_EXPECT_MSG_EQ(frame.GetDataLength(), 3, "last STREAM takes the rest");
                NS_TEST_EXPECT_MSG_EQ(frame.IsFin(), true, "FIN");
            }
        }
        NS_TEST_EXPECT_MSG_EQ(seen.size(), 4, "four subheaders");
        NS_TEST_EXPECT_MSG_EQ(seen[0] + seen[1] + seen[2] + seen[3],
                              "ACKSTREAMPADDINGSTREAM",
                              "in order");
    }
};

} // namespace

std::vector<std::unique_ptr<TestCase>>
CreateQuicFrameTestCases()
{
    std::vector<std::unique_ptr<TestCase>> cases;
    cases.push_back(std::make_unique<QuicFrameRoundTripTestCase>());
    cases.push_back(std::make_unique<QuicFrameKnownEncodingsTestCase>());
    cases.push_back(std::make_unique<QuicFrameTruncationTestCase>());
    cases.push_back(std::make_unique<QuicFrameMalformedTestCase>());
    cases.push_back(std::make_unique<QuicFrameAckTestCase>());
    cases.push_back(std::make_unique<QuicFrameDirectWritersTestCase>());
    cases.push_back(std::make_unique<QuicFramePropertiesTestCase>());
    return cases;
}

} // namespace quictest
} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The quic-transport-parameters suite: RFC 9000 §18 encoding, defaults,
 * extension parameters kept byte for byte, and every validation rule.
 */

#include "ns3/quic-byte-writer.h"
#include "ns3/quic-transport-parameters.h"
#include "ns3/quic-varint.h"
#include "ns3/test.h"

#include <memory>

namespace ns3
{
namespace quictest
{
namespace
{

using TP = QuicTransportParameters;

/**
 * \brief Encode one parameter as on the wire.
 * \param id the id
 * \param value the value bytes
 * \return id, length, value
 */
std::vector<uint8_t>
Param(uint64_t id, const std::vector<uint8_t>& value)
{
    std::vector<uint8_t> out;
    QuicByteWriter w(out);
    w.WriteVarInt(id);
    w.WriteVarInt(value.size());
    w.WriteBytes(value);
    return out;
}

/**
 * \brief A minimal varint as bytes.
 * \param v the value
 * \return its encoding
 */
std::vector<uint8_t>
Var(uint64_t v)
{
    uint8_t b[8];
    uint8_t n = QuicVarInt::Encode(v, b);
    return std::vector<uint8_t>(b, b + n);
}

/**
 * \brief Concatenate byte vectors.
 * \param parts the parts
 * \return the concatenation
 */
std::vector<uint8_t>
Cat(std::initializer_list<std::vector<uint8_t>> parts)
{
    std::vector<uint8_t> out;
    for (const auto& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/**
 * \ingroup quic-test
 * \brief Defaults, typed accessors and round trips.
 */
class QuicTransportParametersRoundTripTestCase : public TestCase
{
  public:
    QuicTransportParametersRoundTripTestCase()
        : TestCase("QUIC transport parameters: RFC defaults, every typed parameter round trips")
    {
    }

  private:
    void DoRun() override
    {
        TP empty;
        NS_TEST_EXPECT_MSG_EQ(empty.GetMaxIdleTimeout(), Seconds(0), "no idle timeout");
        NS_TEST_EXPECT_MSG_EQ(empty.GetMaxUdpPayloadSize(), 65527, "max_udp_payload_size");
        NS_TEST_EXPECT_MSG_EQ(empty.GetInitialMaxData(), 0, "initial_max_data");
        NS_TEST_EXPECT_MSG_EQ(empty.GetInitialMaxStreamDataBidiLocal(), 0, "bidi local");
        NS_TEST_EXPECT_MSG_EQ(empty.GetInitialMaxStreamDataBidiRemote(), 0, "bidi remote");
        NS_TEST_EXPECT_MSG_EQ(empty.GetInitialMaxStreamDataUni(), 0, "uni");
        NS_TEST_EXPECT_MSG_EQ(empty.GetInitialMaxStreamsBidi(), 0, "streams bidi");
        NS_TEST_EXPECT_MSG_EQ(empty.GetInitialMaxStreamsUni(), 0, "streams uni");
        NS_TEST_EXPECT_MSG_EQ(empty.GetAckDelayExponent(), 3, "ack_delay_exponent");
        NS_TEST_EXPECT_MSG_EQ(empty.GetMaxAckDelay(), MilliSeconds(25), "max_ack_delay");
        NS_TEST_EXPECT_MSG_EQ(empty.GetDisableActiveMigration(), false, "migration allowed");
        NS_TEST_EXPECT_MSG_EQ(empty.GetActiveConnectionIdLimit(), 2, "active_connection_id_limit");
        NS_TEST_EXPECT_MSG_EQ(empty.GetMaxDatagramFrameSize(), 0, "no DATAGRAM support");
        NS_TEST_EXPECT_MSG_EQ((empty.GetOriginalDestinationConnectionId().has_value() ||
                               empty.GetInitialSourceConnectionId().has_value() ||
                               empty.GetRetrySourceConnectionId().has_value() ||
                               empty.GetStatelessResetToken().has_value() ||
                               empty.GetPreferredAddress().has_value()),
                              false,
                              "optional parameters absent");
        NS_TEST_EXPECT_MSG_EQ(empty.Encode().size(), 0, "empty encoding");

        TP tp;
        QuicConnectionId odcid = QuicConnectionId::FromUint64(0x8394c8f03e515708ULL);
        QuicConnectionId iscid({0xf0, 0x67});
        QuicConnectionId rscid;
        TP::StatelessResetToken token;
        for (size_t i = 0; i < token.size(); ++i)
        {
            token[i] = static_cast<uint8_t>(i * 3);
        }
        TP::PreferredAddress pa;
        pa.ipv4Address = Ipv4Address("192.0.2.1");
        pa.ipv4Port = 4433;
        pa.ipv6Address = Ipv6Address("2001:db8::1");
        pa.ipv6Port = 443;
        std::vector<uint8_t> cid20(20, 0x5c);
        pa.connectionId = QuicConnectionId(cid20.data(), cid20.size());
        pa.statelessResetToken = token;
        tp.SetOriginalDestinationConnectionId(odcid);
        tp.SetMaxIdleTimeout(Seconds(30));
        tp.SetStatelessResetToken(token);
        tp.SetMaxUdpPayloadSize(1200);
        tp.SetInitialMaxData(QuicVarInt::kMaxValue);
        tp.SetInitialMaxStreamDataBidiLocal(1 << 20);
        tp.SetInitialMaxStreamDataBidiRemote(63);
        tp.SetInitialMaxStreamDataUni(64);
        tp.SetInitialMaxStreamsBidi(TP::kMaxStreams);
        tp.SetInitialMaxStreamsUni(0);
        tp.SetAckDelayExponent(20);
        tp.SetMaxAckDelay(MilliSeconds(16383));
        tp.SetDisableActiveMigration(true);
        tp.SetPreferredAddress(pa);
        tp.SetActiveConnectionIdLimit(2);
        tp.SetInitialSourceConnectionId(iscid);
        tp.SetRetrySourceConnectionId(rscid);
        tp.SetMaxDatagramFrameSize(65535);
        NS_TEST_EXPECT_MSG_EQ(tp.GetParameters().size(), 18, "18 parameters set");

        std::vector<uint8_t> bytes = tp.Encode();
        NS_TEST_EXPECT_MSG_EQ(bytes.size(), tp.GetEncodedSize(), "encoded size");
        QuicWireError error;
        NS_TEST_EXPECT_MSG_EQ(tp.Validate(error), true, "valid (" << error << ")");
        NS_TEST_EXPECT_MSG_EQ(tp.ValidateRole(TP::Role::SERVER, error), true, "server may send");
        TP back;
        NS_TEST_ASSERT_MSG_EQ(TP::TryDecode(bytes.data(), bytes.size(), back, error),
                              true,
                              "decodes (" << error << ")");
        NS_TEST_EXPECT_MSG_EQ((back == tp), true, "equal after the round trip");
        NS_TEST_EXPECT_MSG_EQ((back.Encode() == bytes), true, "re-encoded byte for byte");
        NS_TEST_EXPECT_MSG_EQ(*back.GetOriginalDestinationConnectionId(), odcid, "odcid");
        NS_TEST_EXPECT_MSG_EQ(back.GetMaxIdleTimeout(), Seconds(30), "idle timeout");
        NS_TEST_EXPECT_MSG_EQ((*back.GetStatelessResetToken() == token), true, "reset token");
        NS_TEST_EXPECT_MSG_EQ(back.GetMaxUdpPayloadSize(), 1200, "payload size");
        NS_TEST_EXPECT_MSG_EQ(back.GetInitialMaxData(), QuicVarInt::kMaxValue, "max data");
        NS_TEST_EXPECT_MSG_EQ(back.GetInitialMaxStreamDataBidiLocal(), 1 << 20, "bidi local");
        NS_TEST_EXPECT_MSG_EQ(back.GetInitialMaxStreamDataBidiRemote(), 63, "bidi remote");
        NS_TEST_EXPECT_MSG_EQ(back.GetInitialMaxStreamDataUni(), 64, "uni");
        NS_TEST_EXPECT_MSG_EQ(back.GetInitialMaxStreamsBidi(), TP::kMaxStreams, "streams");
        NS_TEST_EXPECT_MSG_EQ(back.GetInitialMaxStreamsUni(), 0, "uni streams, explicit 0");
        NS_TEST_EXPECT_MSG_EQ(back.Has(TP::INITIAL_MAX_STREAMS_UNI), true, "explicit 0 present");
        NS_TEST_EXPECT_MSG_EQ(back.GetAckDelayExponent(), 20, "exponent");
        NS_TEST_EXPECT_MSG_EQ(back.GetMaxAckDelay(), MilliSeconds(16383), "max ack delay");
        NS_TEST_EXPECT_MSG_EQ(back.GetDisableActiveMigration(), true, "migration disabled");
        NS_TEST_EXPECT_MSG_EQ((*back.GetPreferredAddress() == pa), true, "preferred address");
        NS_TEST_EXPECT_MSG_EQ(back.GetActiveConnectionIdLimit(), 2, "cid limit");
        NS_TEST_EXPECT_MSG_EQ(*back.GetInitialSourceConnectionId(), iscid, "iscid");
        NS_TEST_EXPECT_MSG_EQ(back.GetRetrySourceConnectionId()->IsEmpty(), true, "empty rscid");
        NS_TEST_EXPECT_MSG_EQ(back.GetMaxDatagramFrameSize(), 65535, "datagram size");

        // Setting again replaces in place; removing restores the default.
        back.SetAckDelayExponent(0);
        NS_TEST_EXPECT_MSG_EQ(back.GetParameters().size(), 18, "replaced, not appended");
        NS_TEST_EXPECT_MSG_EQ(back.GetAckDelayExponent(), 0, "new value");
        back.SetDisableActiveMigration(false);
        NS_TEST_EXPECT_MSG_EQ(back.Remove(TP::MAX_ACK_DELAY), true, "removed");
        NS_TEST_EXPECT_MSG_EQ(back.GetMaxAckDelay(), MilliSeconds(25), "default again");
        NS_TEST_EXPECT_MSG_EQ(back.GetParameters().size(), 16, "two fewer");

        // A known encoding: max_idle_timeout = 30000 ms, initial_max_data = 1 MiB.
        TP small;
        small.SetMaxIdleTimeout(MilliSeconds(30000));
        small.SetInitialMaxData(1048576);
        NS_TEST_EXPECT_MSG_EQ(
            (small.Encode() ==
             std::vector<
                 uint8_t>{0x01, 0x04, 0x80, 0x00, 0x75, 0x30, 0x04, 0x04, 0x80, 0x10, 0x00, 0x00}),
            true,
            "RFC 9000 §18 layout");
        std::ostringstream printed;
        small.Print(printed);
        NS_TEST_EXPECT_MSG_EQ(printed.str(),
                              "max_idle_timeout=30000 initial_max_data=1048576",
                              "Print");
    }
};

/**
 * \ingroup quic-test
 * \brief Unknown (extension, greasing) parameters survive decode and encode byte for byte.
 */
class QuicTransportParametersUnknownTestCase : public TestCase
{
  public:
    QuicTransportParametersUnknownTestCase()
        : TestCase("QUIC transport parameters: unknown ids preserved byte for byte, in order")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> opaque(300);
        for (size_t i = 0; i < opaque.size(); ++i)
        {
            opaque[i] = static_cast<uint8_t>(255 - i);
        }
        // Greasing id 31*N+27 (RFC 9000 §18.1), a large id, an empty value, between known ones.
        std::vector<uint8_t> block = Cat({Param(27, {0xde, 0xad}),
                                          Param(TP::INITIAL_MAX_DATA, Var(1000)),
                                          Param(31 * 1000 + 27, {}),
                                          Param(0x3fffffffffffffffULL, opaque),
                                          Param(TP::MAX_DATAGRAM_FRAME_SIZE, Var(1200)),
                                          Param(0x173e, {0x01})});
        TP tp;
        QuicWireError error;
        NS_TEST_ASSERT_MSG_EQ(TP::TryDecode(block.data(), block.size(), tp, error),
                              true,
                              "decodes (" << error << ")");
        NS_TEST_EXPECT_MSG_EQ(tp.GetParameters().size(), 6, "six parameters");
        NS_TEST_EXPECT_MSG_EQ(tp.GetParameters()[0].id, 27, "order kept");
        NS_TEST_EXPECT_MSG_EQ(tp.GetParameters()[3].id, 0x3fffffffffffffffULL, "62-bit id");
        NS_TEST_EXPECT_MSG_EQ((*tp.GetRaw(0x3fffffffffffffffULL) == opaque), true, "value bytes");
        NS_TEST_EXPECT_MSG_EQ(tp.GetRaw(31 * 1000 + 27)->empty(), true, "empty value");
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialMaxData(), 1000, "known value read");
        NS_TEST_EXPECT_MSG_EQ((tp.Encode() == block), true, "encode(decode(x)) == x");
        NS_TEST_EXPECT_MSG_EQ(TP::IdToString(27), "unknown(0x1b)", "name of an unknown id");
        NS_TEST_EXPECT_MSG_EQ((tp.GetRaw(12345) == nullptr), true, "absent id");
        tp.SetRaw(0x173e, {0x02, 0x03});
        NS_TEST_EXPECT_MSG_EQ(tp.GetParameters()[5].value.size(), 2, "SetRaw replaces in place");
    }
};

/**
 * \ingroup quic-test
 * \brief Every validation rule gives TRANSPORT_PARAMETER_ERROR naming the parameter.
 */
class QuicTransportParametersValidationTestCase : public TestCase
{
  public:
    QuicTransportParametersValidationTestCase()
        : TestCase("QUIC transport parameters: each validation error is TRANSPORT_PARAMETER_ERROR")
    {
    }

  private:
    /**
     * \brief Expect a block to be rejected.
     * \param block the bytes
     * \param field the expected field
     * \param offset the expected offset (or SIZE_MAX to skip)
     * \param what description
     */
    void Rejected(const std::vector<uint8_t>& block,
                  const std::string& field,
                  size_t offset,
                  const std::string& what)
    {
        TP tp;
        QuicWireError error;
        NS_TEST_ASSERT_MSG_EQ(TP::TryDecode(block.data(), block.size(), tp, error),
                              false,
                              what << " must be rejected");
        NS_TEST_EXPECT_MSG_EQ(error.code,
                              QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                              what << ": " << error);
        NS_TEST_EXPECT_MSG_EQ(error.field, field, what << ": " << error);
        NS_TEST_EXPECT_MSG_EQ(error.frameType, QuicWireError::kNoFrameType, what);
        if (offset != SIZE_MAX)
        {
            NS_TEST_EXPECT_MSG_EQ(error.offset, offset, what << ": " << error);
        }
    }

    /**
     * \brief Expect a block to be accepted.
     * \param block the bytes
     * \param what description
     */
    void Accepted(const std::vector<uint8_t>& block, const std::string& what)
    {
        TP tp;
        QuicWireError error;
        NS_TEST_EXPECT_MSG_EQ(TP::TryDecode(block.data(), block.size(), tp, error),
                              true,
                              what << " must be accepted (" << error << ")");
    }

    void DoRun() override
    {
        const std::vector<uint8_t> prefix = Param(TP::INITIAL_MAX_DATA, Var(5)); // 3 bytes
        // Duplicate id (RFC 9000 §7.4.1).
        Rejected(Cat({prefix, Param(TP::INITIAL_MAX_DATA, Var(6))}),
                 "initial_max_data",
                 3,
                 "duplicate");
        Rejected(Cat({Param(99, {}), Param(99, {})}), "unknown(0x63)", 3, "duplicate unknown id");
        // Truncation anywhere in a parameter.
        std::vector<uint8_t> good = Cat({prefix, Param(TP::MAX_IDLE_TIMEOUT, Var(30000))});
        for (size_t cut = prefix.size() + 1; cut < good.size(); ++cut)
        {
            Rejected(std::vector<uint8_t>(good.begin(), good.begin() + cut),
                     cut == prefix.size() + 1 ? "max_idle_timeout length" : "max_idle_timeout",
                     SIZE_MAX,
                     "cut at " + std::to_string(cut));
        }
        Rejected({0x40}, "Transport Parameter ID", 0, "truncated id");
        Rejected({0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00},
                 "max_idle_timeout",
                 9,
                 "2^62-1 value length");
        // Integer value length mismatch.
        Rejected(Param(TP::MAX_IDLE_TIMEOUT, {0x00, 0x00}),
                 "max_idle_timeout",
                 2,
                 "2 bytes, varint 1");
        Rejected(Param(TP::INITIAL_MAX_DATA, {}), "initial_max_data", 2, "empty integer");
        Rejected(Param(TP::ACK_DELAY_EXPONENT, {0x40}), "ack_delay_exponent", 2, "varint cut");
        Accepted(Param(TP::INITIAL_MAX_DATA, {0x80, 0x00, 0x00, 0x05}), "non-minimal integer");
        // Value ranges (RFC 9000 §18.2).
        Rejected(Param(TP::MAX_UDP_PAYLOAD_SIZE, Var(1199)), "max_udp_payload_size", 2, "1199");
        Accepted(Param(TP::MAX_UDP_PAYLOAD_SIZE, Var(1200)), "1200");
        Rejected(Param(TP::ACK_DELAY_EXPONENT, Var(21)), "ack_delay_exponent", 2, "21");
        Accepted(Param(TP::ACK_DELAY_EXPONENT, Var(20)), "20");
        Rejected(Param(TP::MAX_ACK_DELAY, Var(16384)), "max_ack_delay", 2, "2^14");
        Accepted(Param(TP::MAX_ACK_DELAY, Var(16383)), "2^14-1");
        Rejected(Param(TP::ACTIVE_CONNECTION_ID_LIMIT, Var(1)),
                 "active_connection_id_limit",
                 2,
                 "1");
        Rejected(Param(TP::ACTIVE_CONNECTION_ID_LIMIT, Var(0)),
                 "active_connection_id_limit",
                 2,
                 "0");
        Accepted(Param(TP::ACTIVE_CONNECTION_ID_LIMIT, Var(2)), "2");
        Rejected(Param(TP::INITIAL_MAX_STREAMS_BIDI, Var(TP::kMaxStreams + 1)),
                 "initial_max_streams_bidi",
                 2,
                 "2^60+1 bidi");
        Rejected(Param(TP::INITIAL_MAX_STREAMS_UNI, Var(TP::kMaxStreams + 1)),
                 "initial_max_streams_uni",
                 2,
                 "2^60+1 uni");
        Accepted(Param(TP::INITIAL_MAX_STREAMS_UNI, Var(TP::kMaxStreams)), "2^60");
        // Fixed-size values.
        Rejected(Param(TP::STATELESS_RESET_TOKEN, std::vector<uint8_t>(15, 1)),
                 "stateless_reset_token",
                 2,
                 "15-byte token");
        Rejected(Param(TP::STATELESS_RESET_TOKEN, std::vector<uint8_t>(17, 1)),
                 "stateless_reset_token",
                 2,
                 "17-byte token");
        Rejected(Param(TP::DISABLE_ACTIVE_MIGRATION, {0x01}),
                 "disable_active_migration",
                 2,
                 "1 byte");
        for (uint64_t id : {uint64_t{TP::ORIGINAL_DESTINATION_CONNECTION_ID},
                            uint64_t{TP::INITIAL_SOURCE_CONNECTION_ID},
                            uint64_t{TP::RETRY_SOURCE_CONNECTION_ID}})
        {
            Rejected(Param(id, std::vector<uint8_t>(21, 7)), TP::IdToString(id), 2, "21-byte CID");
            Accepted(Param(id, std::vector<uint8_t>(20, 7)), "20-byte CID");
        }
        // preferred_address: 25 fixed bytes, CID of 1..20, 16-byte token.
        auto preferred = [](uint8_t cidLength, size_t cidBytes, size_t tokenBytes) {
            std::vector<uint8_t> v(24, 0x11);
            v.push_back(cidLength);
            v.insert(v.end(), cidBytes, 0x22);
            v.insert(v.end(), tokenBytes, 0x33);
            return Param(TP::PREFERRED_ADDRESS, v);
        };
        Accepted(preferred(8, 8, 16), "well-formed preferred_address");
        Rejected(preferred(0, 0, 16), "preferred_address", 2, "zero-length CID");
        Rejected(preferred(21, 21, 16), "preferred_address", 2, "21-byte CID");
        Rejected(preferred(8, 8, 15), "preferred_address", 2, "short token");
        Rejected(preferred(8, 9, 16), "preferred_address", 2, "one byte too many");
        Rejected(Param(TP::PREFERRED_ADDRESS, std::vector<uint8_t>(10, 0)),
                 "preferred_address",
                 2,
                 "shorter than the fixed part");

        // Validate() on an object built with SetRaw/SetInteger reports the same errors.
        TP built;
        built.SetInitialMaxData(1);
        built.SetInteger(TP::ACK_DELAY_EXPONENT, 21);
        QuicWireError error;
        NS_TEST_EXPECT_MSG_EQ(built.Validate(error), false, "Validate catches SetInteger");
        NS_TEST_EXPECT_MSG_EQ(error.field, "ack_delay_exponent", "field");
        NS_TEST_EXPECT_MSG_EQ(error.offset, 5, "offset of the value in the encoding");
        NS_TEST_EXPECT_MSG_EQ(built.GetAckDelayExponent(), 21, "raw value still readable");
        built.SetRaw(TP::MAX_ACK_DELAY, {0x40});
        NS_TEST_EXPECT_MSG_EQ(built.GetMaxAckDelay(),
                              MilliSeconds(25),
                              "malformed reads as default");

        // Role-aware check (RFC 9000 §18.2): server-only parameters from a client.
        for (uint64_t id : {uint64_t{TP::ORIGINAL_DESTINATION_CONNECTION_ID},
                            uint64_t{TP::STATELESS_RESET_TOKEN},
                            uint64_t{TP::PREFERRED_ADDRESS},
                            uint64_t{TP::RETRY_SOURCE_CONNECTION_ID}})
        {
            TP fromClient;
            fromClient.SetInitialMaxData(10);
            fromClient.SetRaw(id, std::vector<uint8_t>(16, 0));
            NS_TEST_EXPECT_MSG_EQ(fromClient.ValidateRole(TP::Role::CLIENT, error),
                                  false,
                                  TP::IdToString(id) << " from a client");
            NS_TEST_EXPECT_MSG_EQ(error.code,
                                  QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                                  "code");
            NS_TEST_EXPECT_MSG_EQ(error.field, TP::IdToString(id), "field");
            NS_TEST_EXPECT_MSG_EQ(error.offset, 3, "offset after initial_max_data");
            NS_TEST_EXPECT_MSG_EQ(fromClient.ValidateRole(TP::Role::SERVER, error),
                                  true,
                                  TP::IdToString(id) << " from a server");
        }
        TP client;
        client.SetInitialMaxData(10);
        NS_TEST_EXPECT_MSG_EQ(client.ValidateRole(TP::Role::CLIENT, error), true, "client params");
        NS_TEST_EXPECT_MSG_EQ(client.CheckRequired(TP::Role::CLIENT, error), false, "no iscid");
        NS_TEST_EXPECT_MSG_EQ(error.field, "initial_source_connection_id", "missing iscid");
        client.SetInitialSourceConnectionId(QuicConnectionId({1}));
        NS_TEST_EXPECT_MSG_EQ(client.CheckRequired(TP::Role::CLIENT, error), true, "client ok");
        NS_TEST_EXPECT_MSG_EQ(client.CheckRequired(TP::Role::SERVER, error), false, "no odcid");
        NS_TEST_EXPECT_MSG_EQ(error.field, "original_destination_connection_id", "missing odcid");
    }
};

/**
 * \ingroup quic-test
 * \brief The quic-transport-parameters suite.
 */
class QuicTransportParametersTestSuite : public TestSuite
{
  public:
    QuicTransportParametersTestSuite()
        : TestSuite("quic-transport-parameters", TestSuite::Type::UNIT)
    {
        AddTestCase(std::make_unique<QuicTransportParametersRoundTripTestCase>().release());
        AddTestCase(std::make_unique<QuicTransportParametersUnknownTestCase>().release());
        AddTestCase(std::make_unique<QuicTransportParametersValidationTestCase>().release());
    }
};

/// The suite's only instance.
QuicTransportParametersTestSuite g_quicTransportParametersTestSuite;

} // namespace
} // namespace quictest
} // namespace ns3

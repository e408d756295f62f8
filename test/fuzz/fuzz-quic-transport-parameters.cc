/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer harness: QuicTransportParameters decoding of untrusted bytes.
 * Oracles: a decoded block validates, re-encodes to GetEncodedSize() bytes that
 * decode to equal parameters and re-encode identically; every typed accessor
 * and the role checks run on it.
 */

#include "fuzz-quic-common.h"

#include "ns3/quic-transport-parameters.h"

#include <sstream>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    QuicTransportParameters params;
    QuicWireError error;
    if (!QuicTransportParameters::TryDecode(data, size, params, error))
    {
        QUIC_FUZZ_CHECK(error.code == QuicTransportErrorCode::TRANSPORT_PARAMETER_ERROR,
                        "failures are TRANSPORT_PARAMETER_ERROR");
        QUIC_FUZZ_CHECK(error.offset <= size, "error offset within the input");
        return 0;
    }
    QUIC_FUZZ_CHECK(params.Validate(error), "a decoded block validates");
    std::vector<uint8_t> encoded = params.Encode();
    QUIC_FUZZ_CHECK(encoded.size() == params.GetEncodedSize(), "GetEncodedSize exact");
    QUIC_FUZZ_CHECK(encoded.size() <= size, "re-encoding never longer");

    QuicTransportParameters again;
    QUIC_FUZZ_CHECK(
        QuicTransportParameters::TryDecode(encoded.data(), encoded.size(), again, error),
        "re-encoded block decodes");
    QUIC_FUZZ_CHECK(again == params, "decode(encode(p)) == p");
    QUIC_FUZZ_CHECK(again.Encode() == encoded, "encoding is stable");

    // Every accessor on validated input: none may fail or disagree with the raw bytes.
    params.GetOriginalDestinationConnectionId();
    params.GetMaxIdleTimeout();
    params.GetStatelessResetToken();
    QUIC_FUZZ_CHECK(params.GetMaxUdpPayloadSize() >= 1200, "validated payload size");
    params.GetInitialMaxData();
    params.GetInitialMaxStreamDataBidiLocal();
    params.GetInitialMaxStreamDataBidiRemote();
    params.GetInitialMaxStreamDataUni();
    QUIC_FUZZ_CHECK(params.GetInitialMaxStreamsBidi() <= QuicTransportParameters::kMaxStreams,
                    "validated stream limit");
    QUIC_FUZZ_CHECK(params.GetInitialMaxStreamsUni() <= QuicTransportParameters::kMaxStreams,
                    "validated stream limit");
    QUIC_FUZZ_CHECK(params.GetAckDelayExponent() <= 20, "validated exponent");
    QUIC_FUZZ_CHECK(params.GetMaxAckDelay() < MilliSeconds(1 << 14), "validated max_ack_delay");
    params.GetDisableActiveMigration();
    QUIC_FUZZ_CHECK(params.GetPreferredAddress().has_value() ==
                        params.Has(QuicTransportParameters::PREFERRED_ADDRESS),
                    "a validated preferred_address parses");
    QUIC_FUZZ_CHECK(params.GetActiveConnectionIdLimit() >= 2, "validated limit");
    params.GetInitialSourceConnectionId();
    params.GetRetrySourceConnectionId();
    params.GetMaxDatagramFrameSize();
    params.ValidateRole(QuicTransportParameters::Role::CLIENT, error);
    QUIC_FUZZ_CHECK(params.ValidateRole(QuicTransportParameters::Role::SERVER, error),
                    "a server may send anything valid");
    params.CheckRequired(QuicTransportParameters::Role::SERVER, error);
    std::ostringstream sink;
    params.Print(sink);
    return 0;
}

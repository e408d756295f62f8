/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer harness: QuicSubheader decoding of a packet payload (a sequence of
 * frames, the data of STREAM/CRYPTO/DATAGRAM frames following their headers).
 * Oracles per frame: TryDecode and Deserialize (through ns3::Packet) agree; a
 * decoded frame re-encodes to GetSerializedSize() bytes that, followed by the
 * same data, decode to an equal frame and re-encode identically; ACK frames
 * survive the interval helper (GetAckIntervals -> CreateAckFromIntervals).
 */

#include "fuzz-quic-common.h"

#include "ns3/packet.h"
#include "ns3/quic-byte-reader.h"
#include "ns3/quic-byte-writer.h"
#include "ns3/quic-subheader.h"

#include <sstream>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    QuicByteReader reader(data, size);
    while (reader.Remaining() > 0)
    {
        size_t start = reader.Position();
        QuicSubheader frame;
        QuicWireError error;
        bool ok = QuicSubheader::TryDecode(reader, frame, error);

        Ptr<Packet> packet = Create<Packet>(data + start, static_cast<uint32_t>(size - start));
        QuicSubheader viaPacket;
        uint32_t removed = packet->RemoveHeader(viaPacket);
        QUIC_FUZZ_CHECK(ok == viaPacket.IsValid(), "TryDecode and Deserialize agree on validity");
        std::ostringstream sink;
        viaPacket.Print(sink);
        if (!ok)
        {
            QUIC_FUZZ_CHECK(error.IsError() && !frame.IsValid(), "failure reported");
            QUIC_FUZZ_CHECK(removed == 0, "nothing removed on failure");
            QUIC_FUZZ_CHECK(viaPacket.GetDecodeError().code == error.code, "same error code");
            QUIC_FUZZ_CHECK(error.offset <= size, "error offset within the input");
            return 0;
        }
        size_t headerLength = reader.Position() - start;
        QUIC_FUZZ_CHECK(headerLength > 0, "progress");
        QUIC_FUZZ_CHECK(removed == headerLength && viaPacket == frame, "Deserialize == TryDecode");
        QUIC_FUZZ_CHECK(frame.GetSerializedSize() <= headerLength, "re-encoding never longer");

        uint64_t type = frame.GetFrameType();
        const uint8_t* payload = nullptr;
        uint64_t dataLength = QuicSubheader::CarriesData(type) ? frame.GetDataLength() : 0;
        QUIC_FUZZ_CHECK(reader.View(dataLength, payload), "announced data is present");

        std::vector<uint8_t> encoded;
        QuicByteWriter writer(encoded);
        frame.Encode(writer);
        QUIC_FUZZ_CHECK(encoded.size() == frame.GetSerializedSize(), "GetSerializedSize exact");
        std::vector<uint8_t> headerOnly = encoded;
        writer.WriteBytes(payload, dataLength);

        QuicByteReader again(encoded.data(), encoded.size());
        QuicSubheader decodedAgain;
        QUIC_FUZZ_CHECK(QuicSubheader::TryDecode(again, decodedAgain, error),
                        "re-encoded frame decodes");
        QUIC_FUZZ_CHECK(decodedAgain == frame, "decode(encode(f)) == f");
        QUIC_FUZZ_CHECK(again.Position() == headerOnly.size(), "same header length");
        QUIC_FUZZ_CHECK(again.Remaining() == dataLength, "same data length");
        std::vector<uint8_t> encodedAgain;
        QuicByteWriter writerAgain(encodedAgain);
        decodedAgain.Encode(writerAgain);
        QUIC_FUZZ_CHECK(encodedAgain == headerOnly, "encoding is stable");

        if (QuicSubheader::IsAck(type))
        {
            std::vector<QuicAckInterval> intervals = frame.GetAckIntervals();
            QUIC_FUZZ_CHECK(intervals.size() == frame.GetAckRanges().size() + 1, "one per range");
            std::optional<QuicEcnCounts> ecn;
            if (frame.HasEcnCounts())
            {
                ecn = frame.GetEcnCounts();
            }
            QuicSubheader rebuilt =
                QuicSubheader::CreateAckFromIntervals(intervals, frame.GetAckDelay(), ecn);
            QUIC_FUZZ_CHECK(rebuilt == frame, "ACK intervals round trip");
        }
    }
    return 0;
}

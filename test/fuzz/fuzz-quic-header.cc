/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer harness: QuicHeader decoding of untrusted bytes.
 * Input: first byte (mod 21) = short-header DCID length, the rest = a datagram.
 * Oracles: TryDecode and Deserialize (through ns3::Packet) agree; a decoded
 * header re-encodes to GetSerializedSize() bytes that decode to an equal header
 * and re-encode identically.
 */

#include "fuzz-quic-common.h"

#include "ns3/packet.h"
#include "ns3/quic-byte-writer.h"
#include "ns3/quic-header.h"

#include <sstream>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    uint8_t dcidLength = data[0] % (QuicConnectionId::kMaxLength + 1);
    data++;
    size--;

    QuicHeader header;
    size_t consumed = 0;
    QuicWireError error;
    bool ok = QuicHeader::TryDecode(data, size, dcidLength, header, consumed, error);

    Ptr<Packet> packet = Create<Packet>(data, static_cast<uint32_t>(size));
    QuicHeader viaPacket;
    viaPacket.SetShortHeaderDcidLength(dcidLength);
    uint32_t removed = packet->RemoveHeader(viaPacket);
    QUIC_FUZZ_CHECK(ok == viaPacket.IsValid(), "TryDecode and Deserialize agree on validity");
    std::ostringstream sink;
    viaPacket.Print(sink);
    if (!ok)
    {
        QUIC_FUZZ_CHECK(error.IsError() && !header.IsValid(), "failure reported");
        QUIC_FUZZ_CHECK(removed == 0 && packet->GetSize() == size, "nothing removed on failure");
        QUIC_FUZZ_CHECK(viaPacket.GetDecodeError().code == error.code, "same error code");
        return 0;
    }
    QUIC_FUZZ_CHECK(consumed <= size, "consumed within the input");
    QUIC_FUZZ_CHECK(removed == consumed && viaPacket == header, "Deserialize == TryDecode");
    QUIC_FUZZ_CHECK(header.GetSerializedSize() <= consumed, "re-encoding is never longer");
    header.CheckLength(size - consumed, error);

    std::vector<uint8_t> encoded;
    QuicByteWriter writer(encoded);
    header.Encode(writer);
    QUIC_FUZZ_CHECK(encoded.size() == header.GetSerializedSize(), "GetSerializedSize exact");

    QuicHeader again;
    size_t consumedAgain = 0;
    QUIC_FUZZ_CHECK(QuicHeader::TryDecode(encoded.data(),
                                          encoded.size(),
                                          dcidLength,
                                          again,
                                          consumedAgain,
                                          error),
                    "re-encoded header decodes");
    QUIC_FUZZ_CHECK(consumedAgain == encoded.size(), "whole re-encoding consumed");
    QUIC_FUZZ_CHECK(again == header, "decode(encode(h)) == h");
    std::vector<uint8_t> encodedAgain;
    QuicByteWriter writerAgain(encodedAgain);
    again.Encode(writerAgain);
    QUIC_FUZZ_CHECK(encodedAgain == encoded, "encoding is stable");

    Ptr<Packet> rebuilt = Create<Packet>();
    rebuilt->AddHeader(header);
    QUIC_FUZZ_CHECK(rebuilt->GetSize() == encoded.size(), "Serialize size");
    std::vector<uint8_t> serialized(rebuilt->GetSize());
    rebuilt->CopyData(serialized.data(), static_cast<uint32_t>(serialized.size()));
    QUIC_FUZZ_CHECK(serialized == encoded, "Serialize == Encode");
    return 0;
}

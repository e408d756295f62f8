/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * quic-wire-format: builds the datagrams of a QUIC v1 handshake and a first
 * 1-RTT packet with the RFC 9000 wire format classes, prints every header and
 * frame with its size, decodes the bytes back and checks they match, and writes
 * a hex dump (and optionally a pcap with IPv4/UDP headers, for Wireshark).
 *
 * The datagrams:
 *  1. client Initial: CRYPTO carrying a ~300-byte placeholder ClientHello that
 *     embeds the client's transport parameters, padded so that the UDP payload,
 *     AEAD tag included, is 1200 bytes (RFC 9000 §14.1);
 *  2. server Initial (ACK + CRYPTO ServerHello) coalesced with a Handshake
 *     packet (CRYPTO with the rest of the server flight and its transport
 *     parameters) in one datagram (RFC 9000 §12.2);
 *  3. a 1-RTT packet with an ACK_ECN frame (several ranges) and two STREAM frames.
 *
 * There is no cryptography: each packet's payload ends with 16 bytes standing
 * for the AEAD tag (RFC 9001 §5.3), so sizes are real; header protection is not
 * applied. Wireshark (checked with tshark 4.0 on the --pcap output) dissects the
 * long headers' version, connection IDs, token and Length correctly, but it
 * removes the header protection it assumes, so the packet number length and
 * packet number it shows are scrambled and the payloads do not decrypt.
 *
 * Usage: quic-wire-format [--outDir=results/quic-wire-format] [--dcidLength=8] [--pcap=1]
 */

#include "ns3/abort.h"
#include "ns3/command-line.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/pcap-file.h"
#include "ns3/quic-byte-reader.h"
#include "ns3/quic-byte-writer.h"
#include "ns3/quic-header.h"
#include "ns3/quic-packet-number.h"
#include "ns3/quic-subheader.h"
#include "ns3/quic-transport-parameters.h"
#include "ns3/random-variable-stream.h"
#include "ns3/system-path.h"
#include "ns3/udp-header.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("QuicWireFormat");

namespace
{

/// Bytes standing for the AEAD authentication tag of every packet (RFC 9001 §5.3).
constexpr size_t kAeadTagSize = 16;
/// Smallest UDP payload of a datagram with an ack-eliciting Initial (RFC 9000 §14.1).
constexpr size_t kMinInitialDatagram = 1200;
/// LINKTYPE_RAW: packets start with an IPv4 header.
constexpr uint32_t kLinkTypeRaw = 101;
/// IP protocol number of UDP.
constexpr uint8_t kUdpProtocol = 17;

/// One frame: its header and the data that follows it (STREAM, CRYPTO, DATAGRAM).
struct Frame
{
    QuicSubheader header;      //!< the frame header
    std::vector<uint8_t> data; //!< data following the header
};

/// One QUIC packet: header and frames.
struct QuicPacket
{
    QuicHeader header;         //!< the packet header
    std::vector<Frame> frames; //!< its frames
};

/// One UDP datagram: coalesced QUIC packets.
struct Datagram
{
    std::string name;                //!< what it is
    bool fromClient;                 //!< direction, for the pcap
    std::vector<QuicPacket> packets; //!< the packets
    std::vector<uint8_t> bytes;      //!< its UDP payload
};

/**
 * \brief Bytes of the frames of a packet, the AEAD tag excluded.
 * \param frames the frames
 * \return the size
 */
size_t
FramesSize(const std::vector<Frame>& frames)
{
    size_t size = 0;
    for (const auto& f : frames)
    {
        size += f.header.GetSerializedSize() + f.data.size();
    }
    return size;
}

/**
 * \brief Set the Length of a long header from its frames (plus the AEAD tag).
 * \param p the packet
 */
void
SetLength(QuicPacket& p)
{
    if (p.header.HasLengthField())
    {
        p.header.SetPayloadLength(FramesSize(p.frames) + kAeadTagSize);
    }
}

/**
 * \brief Size of a packet on the wire.
 * \param p the packet
 * \return header + frames + tag
 */
size_t
PacketSize(const QuicPacket& p)
{
    return p.header.GetSerializedSize() + FramesSize(p.frames) + kAeadTagSize;
}

/**
 * \brief Add PADDING to the last packet so that the datagram reaches `target` bytes.
 *
 * The Length varint may grow with the payload, so the padding is recomputed
 * until the size is exact.
 * \param d the datagram
 * \param target the UDP payload size to reach
 */
void
PadTo(Datagram& d, size_t target)
{
    QuicPacket& last = d.packets.back();
    for (int attempt = 0; attempt < 4; ++attempt)
    {
        size_t total = 0;
        for (auto& p : d.packets)
        {
            SetLength(p);
            total += PacketSize(p);
        }
        if (total == target)
        {
            return;
        }
        NS_ABORT_MSG_IF(total > target &&
                            (last.frames.back().header.GetFrameType() != QuicSubheader::PADDING),
                        "datagram already exceeds " << target << " bytes");
        if (last.frames.back().header.GetFrameType() == QuicSubheader::PADDING)
        {
            QuicSubheader& pad = last.frames.back().header;
            int64_t count = static_cast<int64_t>(pad.GetPaddingLength()) +
                            static_cast<int64_t>(target) - static_cast<int64_t>(total);
            NS_ABORT_MSG_IF(count < 1, "cannot pad to " << target);
            pad.SetPaddingLength(static_cast<uint64_t>(count));
        }
        else
        {
            last.frames.push_back({QuicSubheader::CreatePadding(target - total), {}});
        }
    }
    NS_ABORT_MSG("padding did not converge");
}

/**
 * \brief Serialize a datagram's packets.
 * \param d the datagram
 */
void
Serialize(Datagram& d)
{
    d.bytes.clear();
    QuicByteWriter w(d.bytes);
    for (auto& p : d.packets)
    {
        SetLength(p);
        p.header.Encode(w);
        for (const auto& f : p.frames)
        {
            f.header.Encode(w);
            w.WriteBytes(f.data);
        }
        w.WriteRepeated(0xee, kAeadTagSize); // stands for the AEAD tag
    }
}

/**
 * \brief Placeholder TLS handshake bytes: a handshake message header, filler, and
 * the quic_transport_parameters extension (type 0x39, RFC 9001 §8.2) if given.
 * \param type TLS handshake message type
 * \param size total size wanted (at least large enough for the parameters)
 * \param tp the transport parameters, or nullptr
 * \return the bytes
 */
std::vector<uint8_t>
PlaceholderTls(uint8_t type, size_t size, const QuicTransportParameters* tp)
{
    std::vector<uint8_t> ext;
    if (tp != nullptr)
    {
        std::vector<uint8_t> params = tp->Encode();
        QuicByteWriter w(ext);
        w.WriteU16(0x0039);
        w.WriteU16(static_cast<uint16_t>(params.size()));
        w.WriteBytes(params);
    }
    NS_ABORT_MSG_IF(size < 4 + ext.size(), "placeholder too small for its extension");
    std::vector<uint8_t> out;
    QuicByteWriter w(out);
    w.WriteU8(type);
    w.WriteUint(size - 4, 3);
    size_t filler = size - 4 - ext.size();
    for (size_t i = 0; i < filler; ++i)
    {
        w.WriteU8(static_cast<uint8_t>(0x41 + i % 26));
    }
    w.WriteBytes(ext);
    return out;
}

/**
 * \brief Print a datagram's packets and frames.
 * \param d the datagram
 */
void
PrintDatagram(const Datagram& d)
{
    std::cout << "== " << d.name << ": " << d.bytes.size() << " bytes of UDP payload\n";
    for (const auto& p : d.packets)
    {
        std::cout << "  ";
        p.header.Print(std::cout);
        std::cout << "\n";
        for (const auto& f : p.frames)
        {
            std::cout << "    ";
            f.header.Print(std::cout);
            if (!f.data.empty())
            {
                std::cout << " + " << f.data.size() << "B data";
            }
            std::cout << "\n";
        }
        std::cout << "    AEAD tag [" << kAeadTagSize << "B]   packet total " << PacketSize(p)
                  << "B\n";
    }
}

/**
 * \brief Decode a datagram's bytes and compare with what was built.
 * \param d the datagram
 * \param shortDcidLength DCID length of short headers
 * \return true if every header, frame and data byte matches
 */
bool
DecodeAndCheck(const Datagram& d, uint8_t shortDcidLength)
{
    QuicByteReader datagram(d.bytes.data(), d.bytes.size());
    size_t index = 0;
    while (datagram.Remaining() > 0)
    {
        const uint8_t* start = d.bytes.data() + datagram.Position();
        QuicHeader header;
        size_t consumed = 0;
        QuicWireError error;
        if (!QuicHeader::TryDecode(start,
                                   datagram.Remaining(),
                                   shortDcidLength,
                                   header,
                                   consumed,
                                   error))
        {
            std::cerr << d.name << ": header " << index << ": " << error << "\n";
            return false;
        }
        datagram.Skip(consumed);
        // RFC 9000 §12.2: Length delimits a long-header packet; a short header runs to the end.
        uint64_t payloadLength =
            header.HasLengthField() ? header.GetPayloadLength() : datagram.Remaining();
        if (!header.CheckLength(datagram.Remaining(), error))
        {
            std::cerr << d.name << ": " << error << "\n";
            return false;
        }
        if (index >= d.packets.size() || !(header == d.packets[index].header))
        {
            std::cerr << d.name << ": header " << index << " differs\n";
            return false;
        }
        const uint8_t* payload;
        datagram.View(payloadLength, payload);
        QuicByteReader frames(payload, payloadLength - kAeadTagSize);
        size_t frameIndex = 0;
        while (frames.Remaining() > 0)
        {
            QuicSubheader frame;
            if (!QuicSubheader::TryDecode(frames, frame, error))
            {
                std::cerr << d.name << ": packet " << index << " frame " << frameIndex << ": "
                          << error << "\n";
                return false;
            }
            const Frame& expected = d.packets[index].frames.at(frameIndex);
            const uint8_t* data;
            frames.View(frame.GetDataLength(), data);
            if (!(frame == expected.header) ||
                !std::equal(expected.data.begin(), expected.data.end(), data) ||
                (QuicSubheader::CarriesData(frame.GetFrameType()) &&
                 frame.GetDataLength() != expected.data.size()))
            {
                std::cerr << d.name << ": packet " << index << " frame " << frameIndex
                          << " differs\n";
                return false;
            }
            if (!QuicSubheader::IsAllowedInPacketType(frame.GetFrameType(), header.GetType()))
            {
                std::cerr << d.name << ": frame not allowed in this packet type\n";
                return false;
            }
            ++frameIndex;
        }
        if (frameIndex != d.packets[index].frames.size())
        {
            std::cerr << d.name << ": packet " << index << " has missing frames\n";
            return false;
        }
        ++index;
    }
    return index == d.packets.size();
}

/**
 * \brief Write a hex dump of a datagram.
 * \param os the stream
 * \param d the datagram
 */
void
HexDump(std::ostream& os, const Datagram& d)
{
    os << "# " << d.name << " (" << (d.fromClient ? "client -> server" : "server -> client")
       << "), " << d.bytes.size() << " bytes\n";
    for (size_t offset = 0; offset < d.bytes.size(); offset += 16)
    {
        os << std::hex << std::setw(4) << std::setfill('0') << offset << " ";
        for (size_t i = offset; i < offset + 16 && i < d.bytes.size(); ++i)
        {
            os << " " << std::setw(2) << unsigned{d.bytes[i]};
        }
        os << std::dec << std::setfill(' ') << "\n";
    }
    os << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string outDir = "results/quic-wire-format";
    uint32_t dcidLength = 8;
    bool pcap = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("outDir", "Directory for packets.txt (and packets.pcap)", outDir);
    cmd.AddValue("dcidLength",
                 "Length of the connection ID the server chooses (0..20): the DCID of 1-RTT "
                 "packets. The client's first DCID is max(8, dcidLength) bytes (RFC 9000 §7.2)",
                 dcidLength);
    cmd.AddValue("pcap", "Also write packets.pcap (raw IPv4/UDP) for Wireshark", pcap);
    cmd.Parse(argc, argv);
    NS_ABORT_MSG_IF(dcidLength > QuicConnectionId::kMaxLength,
                    "--dcidLength=" << dcidLength << " exceeds 20 bytes (RFC 9000 §17.2)");

    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(1);
    QuicConnectionId originalDcid =
        QuicConnectionId::CreateRandom(rng, std::max<uint8_t>(8, static_cast<uint8_t>(dcidLength)));
    QuicConnectionId clientCid = QuicConnectionId::CreateRandom(rng, 8);
    QuicConnectionId serverCid =
        QuicConnectionId::CreateRandom(rng, static_cast<uint8_t>(dcidLength));

    QuicTransportParameters clientTp;
    clientTp.SetMaxIdleTimeout(Seconds(30));
    clientTp.SetInitialMaxData(1 << 20);
    clientTp.SetInitialMaxStreamDataBidiLocal(256 * 1024);
    clientTp.SetInitialMaxStreamDataBidiRemote(256 * 1024);
    clientTp.SetInitialMaxStreamDataUni(256 * 1024);
    clientTp.SetInitialMaxStreamsBidi(100);
    clientTp.SetInitialMaxStreamsUni(100);
    clientTp.SetActiveConnectionIdLimit(4);
    clientTp.SetInitialSourceConnectionId(clientCid);
    clientTp.SetMaxDatagramFrameSize(1200);
    QuicTransportParameters serverTp = clientTp;
    serverTp.SetOriginalDestinationConnectionId(originalDcid);
    serverTp.SetInitialSourceConnectionId(serverCid);
    QuicTransportParameters::StatelessResetToken resetToken;
    resetToken.fill(0x5e);
    serverTp.SetStatelessResetToken(resetToken);
    QuicWireError error;
    NS_ABORT_MSG_UNLESS(clientTp.Validate(error) &&
                            clientTp.ValidateRole(QuicTransportParameters::Role::CLIENT, error),
                        error);

    std::vector<Datagram> datagrams;

    // 1. Client Initial, padded to 1200 bytes (RFC 9000 §14.1).
    {
        Datagram d{"client Initial", true, {}, {}};
        std::vector<uint8_t> hello = PlaceholderTls(0x01, 300, &clientTp);
        QuicPacket p{QuicHeader::CreateInitial(originalDcid,
                                               clientCid,
                                               {},
                                               0,
                                               QuicPacketNumber::GetEncodedLength(0, std::nullopt),
                                               0),
                     {}};
        p.frames.push_back({QuicSubheader::CreateCrypto(0, hello.size()), hello});
        d.packets.push_back(p);
        PadTo(d, kMinInitialDatagram);
        datagrams.push_back(d);
    }
    // 2. Server Initial + Handshake, coalesced (RFC 9000 §12.2).
    {
        Datagram d{"server Initial + Handshake", false, {}, {}};
        std::vector<uint8_t> serverHello = PlaceholderTls(0x02, 90, nullptr);
        QuicPacket initial{QuicHeader::CreateInitial(clientCid, serverCid, {}, 0, 1, 0), {}};
        initial.frames.push_back({QuicSubheader::CreateAck(0, 0, 0), {}});
        initial.frames.push_back({QuicSubheader::CreateCrypto(0, serverHello.size()), serverHello});
        std::vector<uint8_t> flight = PlaceholderTls(0x08, 900, &serverTp);
        QuicPacket handshake{QuicHeader::CreateHandshake(clientCid, serverCid, 0, 1, 0), {}};
        handshake.frames.push_back({QuicSubheader::CreateCrypto(0, flight.size()), flight});
        d.packets.push_back(initial);
        d.packets.push_back(handshake);
        size_t total = PacketSize(d.packets[0]) + PacketSize(d.packets[1]);
        if (total < kMinInitialDatagram)
        {
            PadTo(d, kMinInitialDatagram);
        }
        datagrams.push_back(d);
    }
    // 3. 1-RTT: ACK_ECN with ranges, two STREAM frames, the last without Length.
    {
        Datagram d{"client 1-RTT", true, {}, {}};
        QuicPacket p{
            QuicHeader::CreateShort(serverCid, 2, QuicPacketNumber::GetEncodedLength(2, 0)),
            {}};
        uint64_t ackDelay = QuicSubheader::EncodeAckDelay(MilliSeconds(3), 3);
        p.frames.push_back({QuicSubheader::CreateAckFromIntervals({{0, 3}, {5, 9}, {12, 12}},
                                                                  ackDelay,
                                                                  QuicEcnCounts{11, 0, 1}),
                            {}});
        std::string request = "GET /index.html HTTP/0.9\r\n";
        std::vector<uint8_t> body(100, 'q');
        std::copy(request.begin(), request.end(), body.begin());
        p.frames.push_back(
            {QuicSubheader::CreateStreamSubHeader(0, 0, body.size(), true, true, false), body});
        std::vector<uint8_t> uni(50, 'u');
        p.frames.push_back(
            {QuicSubheader::CreateStreamSubHeader(2, 0, uni.size(), false, false, true), uni});
        d.packets.push_back(p);
        datagrams.push_back(d);
    }

    bool ok = true;
    for (auto& d : datagrams)
    {
        Serialize(d);
        PrintDatagram(d);
        bool decoded = DecodeAndCheck(d, serverCid.GetLength());
        std::cout << "  decoded back: " << (decoded ? "identical" : "MISMATCH") << "\n\n";
        ok = ok && decoded;
    }
    // Both datagrams carrying Initial packets are exactly 1200 bytes (RFC 9000 §14.1).
    ok = ok && datagrams[0].bytes.size() == kMinInitialDatagram &&
         datagrams[1].bytes.size() == kMinInitialDatagram;

    // The 1-RTT packet through the ns-3 Packet API as well.
    {
        const QuicPacket& p = datagrams[2].packets[0];
        Ptr<Packet> packet = Create<Packet>(datagrams[2].bytes.data(), datagrams[2].bytes.size());
        QuicHeader header;
        header.SetShortHeaderDcidLength(serverCid.GetLength());
        bool viaPacket = packet->RemoveHeader(header) > 0 && header == p.header;
        packet->RemoveAtEnd(kAeadTagSize);
        for (const auto& f : p.frames)
        {
            QuicSubheader sub;
            viaPacket = viaPacket && packet->RemoveHeader(sub) > 0 && sub == f.header;
            packet->RemoveAtStart(static_cast<uint32_t>(sub.GetDataLength()));
        }
        viaPacket = viaPacket && packet->GetSize() == 0;
        std::cout << "1-RTT packet via ns3::Packet RemoveHeader: "
                  << (viaPacket ? "identical" : "MISMATCH") << "\n";
        ok = ok && viaPacket;
    }

    SystemPath::MakeDirectories(outDir);
    std::string textPath = outDir + "/packets.txt";
    std::ofstream text(textPath);
    NS_ABORT_MSG_UNLESS(text, "cannot write " << textPath);
    text << "# QUIC v1 datagrams built by quic-wire-format (UDP payloads, hex)\n\n";
    for (const auto& d : datagrams)
    {
        HexDump(text, d);
    }
    text.close();
    std::cout << "hex dump written to " << textPath << "\n";

    if (pcap)
    {
        std::string pcapPath = outDir + "/packets.pcap";
        PcapFile file;
        file.Open(pcapPath, std::ios::out);
        NS_ABORT_MSG_IF(file.Fail(), "cannot write " << pcapPath);
        file.Init(kLinkTypeRaw);
        Ipv4Address client("192.0.2.1"); // RFC 5737 documentation addresses
        Ipv4Address server("198.51.100.2");
        uint32_t usec = 0;
        for (const auto& d : datagrams)
        {
            Ptr<Packet> packet = Create<Packet>(d.bytes.data(), d.bytes.size());
            Ipv4Address src = d.fromClient ? client : server;
            Ipv4Address dst = d.fromClient ? server : client;
            UdpHeader udp;
            udp.SetSourcePort(d.fromClient ? 49152 : 443);
            udp.SetDestinationPort(d.fromClient ? 443 : 49152);
            udp.EnableChecksums();
            udp.InitializeChecksum(src, dst, kUdpProtocol);
            packet->AddHeader(udp);
            Ipv4Header ip;
            ip.SetSource(src);
            ip.SetDestination(dst);
            ip.SetProtocol(kUdpProtocol);
            ip.SetPayloadSize(static_cast<uint16_t>(packet->GetSize()));
            ip.SetTtl(64);
            ip.EnableChecksum();
            packet->AddHeader(ip);
            file.Write(0, usec, packet);
            usec += 10000;
        }
        file.Close();
        std::cout << "pcap written to " << pcapPath << "\n";
    }
    std::cout << (ok ? "all datagrams decoded identically" : "MISMATCH found") << std::endl;
    return ok ? 0 : 1;
}

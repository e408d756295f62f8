/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicMakePacket: packets whose long zero runs are kept virtual hold exactly the bytes
 * they were built from, through the Packet operations of the UDP/IP stack and of
 * applications (copies, fragments, concatenation).
 */

#include "quic-test-utils.h"

#include "ns3/packet.h"
#include "ns3/quic-packet-bytes.h"
#include "ns3/test.h"

#include <cstdint>
#include <string>
#include <vector>

using namespace ns3;
using ns3::quictest::PacketBytes;

namespace
{

/// A byte array described by runs: (length, zero?) pairs; non-zero bytes vary.
using Shape = std::vector<std::pair<uint32_t, bool>>;

/**
 * \param shape the runs
 * \param seed varies the non-zero bytes
 * \return the bytes
 */
std::vector<uint8_t>
Build(const Shape& shape, uint32_t seed)
{
    std::vector<uint8_t> out;
    for (const auto& run : shape)
    {
        for (uint32_t i = 0; i < run.first; ++i)
        {
            out.push_back(run.second ? 0 : static_cast<uint8_t>(1 + (seed * 31 + i * 7) % 255));
        }
    }
    return out;
}

/// The shapes: QUIC datagrams (header, zero payload, zero or non-zero tag), application
/// chunks starting or ending with zeros, random-looking data, short runs.
std::vector<Shape>
Shapes()
{
    return {
        {{1200, false}},                          // no zeros
        {{1448, true}},                           // all zeros (BulkSend's chunks)
        {{19, false}, {1449, true}},              // datagram, zero tag
        {{19, false}, {1433, true}, {16, false}}, // datagram, non-zero tag
        {{300, true}, {50, false}},               // zeros first, then bytes
        {{10, false}, {300, true}},               // bytes, then zeros
        {{5, false}, {100, true}, {5, false}},    // a run too short to matter
        {{40, false}, {400, true}, {3, false}, {600, true}, {7, false}}, // two runs
        {{1, true}},                                                     // one zero byte
    };
}

/**
 * Every shape's packet holds its bytes, also after a copy and in every fragment.
 */
class QuicPacketBytesShapeTestCase : public TestCase
{
  public:
    QuicPacketBytesShapeTestCase()
        : TestCase("packets hold the bytes they are built from, in copies and fragments")
    {
    }

  private:
    void DoRun() override
    {
        uint32_t seed = 0;
        for (const Shape& shape : Shapes())
        {
            std::vector<uint8_t> bytes = Build(shape, ++seed);
            Ptr<Packet> p = QuicMakePacket(bytes.data(), bytes.size());
            NS_TEST_ASSERT_MSG_EQ(p->GetSize(), bytes.size(), "size of shape " << seed);
            NS_TEST_ASSERT_MSG_EQ((PacketBytes(p) == bytes), true, "bytes of shape " << seed);
            NS_TEST_ASSERT_MSG_EQ((PacketBytes(p->Copy()) == bytes),
                                  true,
                                  "copy of shape " << seed);
            for (uint32_t cut : {1u, 17u, 500u})
            {
                if (cut >= bytes.size())
                {
                    continue;
                }
                std::vector<uint8_t> head(bytes.begin(), bytes.begin() + cut);
                std::vector<uint8_t> tail(bytes.begin() + cut, bytes.end());
                NS_TEST_ASSERT_MSG_EQ((PacketBytes(p->CreateFragment(0, cut)) == head),
                                      true,
                                      "first fragment of shape " << seed << " at " << cut);
                NS_TEST_ASSERT_MSG_EQ(
                    (PacketBytes(p->CreateFragment(cut, bytes.size() - cut)) == tail),
                    true,
                    "second fragment of shape " << seed << " at " << cut);
            }
        }
    }
};

/**
 * Packets of every pair of shapes concatenated with Packet::AddAtEnd (what applications
 * and IP reassembly do) hold the concatenated bytes, also when built from a packet that
 * was itself built by concatenation.
 */
class QuicPacketBytesConcatTestCase : public TestCase
{
  public:
    QuicPacketBytesConcatTestCase()
        : TestCase("concatenated packets hold the concatenated bytes")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<Shape> shapes = Shapes();
        for (std::size_t a = 0; a < shapes.size(); ++a)
        {
            for (std::size_t b = 0; b < shapes.size(); ++b)
            {
                std::vector<uint8_t> x = Build(shapes[a], 100 + a);
                std::vector<uint8_t> y = Build(shapes[b], 200 + b);
                Ptr<Packet> p = QuicMakePacket(x.data(), x.size());
                p->AddAtEnd(QuicMakePacket(y.data(), y.size()));
                std::vector<uint8_t> xy = x;
                xy.insert(xy.end(), y.begin(), y.end());
                NS_TEST_ASSERT_MSG_EQ((PacketBytes(p) == xy), true, "shapes " << a << " + " << b);
                // A third packet after an accumulated one (an application's receive buffer).
                p->AddAtEnd(QuicMakePacket(x.data(), x.size()));
                xy.insert(xy.end(), x.begin(), x.end());
                NS_TEST_ASSERT_MSG_EQ((PacketBytes(p) == xy),
                                      true,
                                      "shapes " << a << " + " << b << " + " << a);
            }
        }
    }
};

/**
 * QuicRawBytesHeader and QuicRawBytesTrailer read back the bytes they were written with
 * (packet printing deserializes them), and a copy of a read-back one writes the same bytes.
 */
class QuicPacketBytesRawHeaderTestCase : public TestCase
{
  public:
    QuicPacketBytesRawHeaderTestCase()
        : TestCase("raw-bytes header and trailer read back and copied")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> head = Build({{7, false}}, 1);
        std::vector<uint8_t> tail = Build({{5, false}}, 2);
        Ptr<Packet> p = Create<Packet>(100); // a zero area between them
        p->AddHeader(QuicRawBytesHeader(head.data(), head.size()));
        p->AddTrailer(QuicRawBytesTrailer(tail.data(), tail.size()));

        // The trailer knows its size; the header takes the rest of the buffer.
        QuicRawBytesTrailer trailer(nullptr, tail.size());
        p->RemoveTrailer(trailer);
        QuicRawBytesHeader header;
        p->PeekHeader(header);
        NS_TEST_ASSERT_MSG_EQ(header.GetSerializedSize(), head.size() + 100, "header size");

        // Copies of what was read write it again (their bytes are their own).
        QuicRawBytesTrailer trailerCopy = trailer;
        QuicRawBytesHeader headerCopy = header;
        Ptr<Packet> q = Create<Packet>();
        q->AddHeader(headerCopy);
        q->AddTrailer(trailerCopy);
        std::vector<uint8_t> expected = head;
        expected.resize(head.size() + 100, 0);
        expected.insert(expected.end(), tail.begin(), tail.end());
        NS_TEST_ASSERT_MSG_EQ((PacketBytes(q) == expected), true, "bytes written back");
    }
};

/**
 * The test suite.
 */
class QuicPacketBytesTestSuite : public TestSuite
{
  public:
    QuicPacketBytesTestSuite()
        : TestSuite("quic-packet-bytes", UNIT)
    {
        AddTestCase(new QuicPacketBytesShapeTestCase, TestCase::QUICK);
        AddTestCase(new QuicPacketBytesConcatTestCase, TestCase::QUICK);
        AddTestCase(new QuicPacketBytesRawHeaderTestCase, TestCase::QUICK);
    }
};

/// The suite's only instance.
QuicPacketBytesTestSuite g_quicPacketBytesTestSuite;

} // namespace

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Receive-side buffers: QuicStreamRxBuffer (reassembly of one stream) and
 * QuicSocketRxBuffer (in-order data for the application across streams).
 */

#include "quic-test-utils.h"

#include "ns3/packet.h"
#include "ns3/quic-socket-rx-buffer.h"
#include "ns3/quic-stream-rx-buffer.h"
#include "ns3/quic-wire-error.h"
#include "ns3/test.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

using namespace ns3;
using ns3::quictest::PacketBytes;

namespace
{

/**
 * \brief The byte a test stream carries at an offset.
 * \param offset the stream offset
 * \return the byte
 */
uint8_t
PatternByte(uint64_t offset)
{
    return static_cast<uint8_t>((offset * 29 + (offset >> 9) * 13 + 5) & 0xff);
}

/**
 * \brief Pattern bytes of [offset, offset + len).
 * \param offset first offset
 * \param len number of bytes
 * \return the bytes
 */
std::vector<uint8_t>
Pattern(uint64_t offset, uint64_t len)
{
    std::vector<uint8_t> v(len);
    for (uint64_t i = 0; i < len; ++i)
    {
        v[i] = PatternByte(offset + i);
    }
    return v;
}

/**
 * \brief Insert pattern bytes [offset, offset + len).
 * \param rx the buffer
 * \param offset first offset
 * \param len number of bytes
 * \param fin FIN bit
 * \param error the error, if any
 * \return what Insert() returned
 */
bool
InsertPattern(Ptr<QuicStreamRxBuffer> rx,
              uint64_t offset,
              uint64_t len,
              bool fin,
              QuicTransportErrorCode& error)
{
    std::vector<uint8_t> v = Pattern(offset, len);
    return rx->Insert(offset, v.data(), len, fin, error);
}

/**
 * \brief Read everything readable.
 * \param rx the buffer
 * \return the bytes
 */
std::vector<uint8_t>
ReadAll(Ptr<QuicStreamRxBuffer> rx)
{
    std::vector<uint8_t> v(rx->GetReadableBytes());
    uint64_t n = rx->Read(v.data(), v.size());
    v.resize(n);
    return v;
}

} // namespace

/**
 * \ingroup quic-test
 * \brief In-order and out-of-order segments.
 */
class QuicRxBufferOrderTestCase : public TestCase
{
  public:
    QuicRxBufferOrderTestCase()
        : TestCase("stream: in-order and out-of-order segments")
    {
    }

  private:
    void DoRun() override
    {
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 0, 100, false, err), true, "1st");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 100, 100, false, err), true, "2nd");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 200, "in order");
        NS_TEST_ASSERT_MSG_EQ((ReadAll(rx) == Pattern(0, 200)), true, "content");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadOffset(), 200, "read offset");

        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 400, 100, false, err), true, "ahead");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 300, 50, false, err), true, "ahead");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 0, "hole at 200");
        NS_TEST_ASSERT_MSG_EQ(rx->GetGapCount(), 2, "two islands");
        NS_TEST_ASSERT_MSG_EQ(rx->GetHighestReceivedOffset(), 500, "highest");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 200, 100, false, err), true, "fills to 300");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 150, "up to 350");
        NS_TEST_ASSERT_MSG_EQ(rx->GetGapCount(), 1, "one island left");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 350, 50, false, err), true, "fills to 500");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 300, "up to 500");
        NS_TEST_ASSERT_MSG_EQ(rx->GetGapCount(), 0, "no island");
        NS_TEST_ASSERT_MSG_EQ((ReadAll(rx) == Pattern(200, 300)), true, "content");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::NO_ERROR, "no error");
    }
};

/**
 * \ingroup quic-test
 * \brief Overlapping and duplicate segments; differing data is a PROTOCOL_VIOLATION.
 */
class QuicRxBufferOverlapTestCase : public TestCase
{
  public:
    QuicRxBufferOverlapTestCase()
        : TestCase("stream: overlapping and duplicate segments, data must match")
    {
    }

  private:
    void DoRun() override
    {
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        InsertPattern(rx, 100, 100, false, err);
        InsertPattern(rx, 300, 100, false, err);
        // Spans both islands and the hole between them.
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 150, 200, false, err), true, "overlap");
        NS_TEST_ASSERT_MSG_EQ(rx->GetGapCount(), 1, "merged into one island");
        NS_TEST_ASSERT_MSG_EQ(rx->GetDuplicateBytes(), 100, "50 + 50 duplicate bytes");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 0, 120, false, err), true, "fills the front");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 400, "all in order");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 0, 400, false, err), true, "full duplicate");
        NS_TEST_ASSERT_MSG_EQ(rx->GetDuplicateBytes(), 520, "counted");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 400, "unchanged");

        // Data that differs from the bytes received.
        std::vector<uint8_t> bad = Pattern(250, 20);
        bad[10] ^= 0xff;
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(250, bad.data(), 20, false, err), false, "differs");
        NS_TEST_ASSERT_MSG_EQ(err,
                              QuicTransportErrorCode::PROTOCOL_VIOLATION,
                              "RFC 9000 §2.2: PROTOCOL_VIOLATION");
        NS_TEST_ASSERT_MSG_EQ((ReadAll(rx) == Pattern(0, 400)), true, "content untouched");

        // Below the read offset: already delivered, just ignored.
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 0, 450, false, err), true, "old + new");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 50, "only the new bytes");
        NS_TEST_ASSERT_MSG_EQ((ReadAll(rx) == Pattern(400, 50)), true, "content");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 10, 0, false, err), true, "empty frame");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::NO_ERROR, "no error");
    }
};

/**
 * \ingroup quic-test
 * \brief The FIN may arrive before the last data.
 */
class QuicRxBufferFinFirstTestCase : public TestCase
{
  public:
    QuicRxBufferFinFirstTestCase()
        : TestCase("stream: FIN before the last data")
    {
    }

  private:
    void DoRun() override
    {
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 200, 100, true, err), true, "last data + FIN");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinReceived(), true, "FIN received");
        NS_TEST_ASSERT_MSG_EQ(rx->GetFinalSize(), 300, "final size");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinRead(), false, "not read");
        InsertPattern(rx, 0, 100, false, err);
        NS_TEST_ASSERT_MSG_EQ((ReadAll(rx) == Pattern(0, 100)), true, "first part");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinRead(), false, "hole left");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 100, 100, false, err), true, "middle");
        NS_TEST_ASSERT_MSG_EQ((ReadAll(rx) == Pattern(100, 200)), true, "the rest");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinRead(), true, "all read");
        NS_TEST_ASSERT_MSG_EQ(rx->GetAllocatedBytes(), 0, "memory freed");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 250, 50, true, err), true, "late duplicate + FIN");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 0, "nothing new");

        // A FIN alone (length 0) at the final size.
        Ptr<QuicStreamRxBuffer> b = CreateObject<QuicStreamRxBuffer>();
        InsertPattern(b, 0, 50, false, err);
        NS_TEST_ASSERT_MSG_EQ(b->Insert(50, nullptr, 0, true, err), true, "FIN alone");
        ReadAll(b);
        NS_TEST_ASSERT_MSG_EQ(b->IsFinRead(), true, "done");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::NO_ERROR, "no error");
    }
};

/**
 * \ingroup quic-test
 * \brief Final size rules of RFC 9000 §4.5 and the other refusals.
 */
class QuicRxBufferFinalSizeTestCase : public TestCase
{
  public:
    QuicRxBufferFinalSizeTestCase()
        : TestCase("stream: final size violations, offset and capacity limits")
    {
    }

  private:
    void DoRun() override
    {
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        InsertPattern(rx, 0, 100, false, err);
        InsertPattern(rx, 200, 100, false, err);
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 100, 50, true, err), false, "FIN below 300");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FINAL_SIZE_ERROR, "error code");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinReceived(), false, "refused FIN not recorded");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 100, "refused data not inserted");

        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 300, 100, true, err), true, "FIN at 400");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 350, 100, false, err), false, "beyond 400");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FINAL_SIZE_ERROR, "data beyond");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 300, 50, true, err), false, "FIN moved");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FINAL_SIZE_ERROR, "FIN changed");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(500, nullptr, 0, true, err), false, "FIN moved up");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FINAL_SIZE_ERROR, "FIN changed");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(rx->OnReset(390, err), false, "reset changes the final size");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FINAL_SIZE_ERROR, "reset");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 100, 100, false, err), true, "valid data");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 400, "all readable");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::NO_ERROR, "no error");

        // RESET_STREAM below the data received, then a valid one.
        Ptr<QuicStreamRxBuffer> r = CreateObject<QuicStreamRxBuffer>();
        InsertPattern(r, 0, 100, false, err);
        NS_TEST_ASSERT_MSG_EQ(r->OnReset(99, err), false, "below received data");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FINAL_SIZE_ERROR, "reset too low");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(r->OnReset(150, err), true, "valid reset");
        NS_TEST_ASSERT_MSG_EQ(r->IsReset(), true, "reset");
        NS_TEST_ASSERT_MSG_EQ(r->GetReadableBytes(), 0, "data discarded");
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(r, 100, 60, false, err), false, "beyond reset size");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FINAL_SIZE_ERROR, "after reset");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(r, 100, 50, true, err), true, "consistent, dropped");
        NS_TEST_ASSERT_MSG_EQ(r->GetReadableBytes(), 0, "still nothing to read");

        // Offsets above 2^62-1 and data beyond the capacity.
        Ptr<QuicStreamRxBuffer> c = CreateObject<QuicStreamRxBuffer>();
        c->SetMaxBufferSize(1000);
        uint8_t byte = 0;
        NS_TEST_ASSERT_MSG_EQ(c->Insert((uint64_t{1} << 62) - 1, &byte, 1, false, err),
                              false,
                              "above 2^62-1");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FRAME_ENCODING_ERROR, "RFC 9000 §19.8");
        NS_TEST_ASSERT_MSG_EQ(c->Insert(~uint64_t{0}, &byte, 1, false, err), false, "wraps");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(c, 900, 101, false, err), false, "beyond capacity");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::FLOW_CONTROL_ERROR, "bounded memory");
        err = QuicTransportErrorCode::NO_ERROR;
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(c, 900, 100, false, err), true, "at the capacity");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(c->GetAllocatedBytes(), uint64_t{2000}, "memory bounded");
    }
};

/**
 * \ingroup quic-test
 * \brief Reading in small pieces, with Read() and Extract().
 */
class QuicRxBufferSmallReadsTestCase : public TestCase
{
  public:
    QuicRxBufferSmallReadsTestCase()
        : TestCase("stream: reading in small pieces")
    {
    }

  private:
    void DoRun() override
    {
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        const uint64_t total = 100000;
        std::vector<uint8_t> out;
        uint64_t inserted = 0;
        bool toggle = false;
        while (out.size() < total)
        {
            if (inserted < total)
            {
                uint64_t n = std::min<uint64_t>(1400, total - inserted);
                InsertPattern(rx, inserted, n, inserted + n == total, err);
                inserted += n;
            }
            toggle = !toggle;
            if (toggle)
            {
                uint8_t small[7];
                uint64_t n = rx->Read(small, sizeof(small));
                out.insert(out.end(), small, small + n);
            }
            else
            {
                std::vector<uint8_t> b = PacketBytes(rx->Extract(13));
                out.insert(out.end(), b.begin(), b.end());
            }
        }
        NS_TEST_ASSERT_MSG_EQ((out == Pattern(0, total)), true, "byte-exact");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinRead(), true, "FIN read");
        NS_TEST_ASSERT_MSG_EQ(rx->Extract(100)->GetSize(), 0, "nothing more");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::NO_ERROR, "no error");
    }
};

/**
 * \ingroup quic-test
 * \brief Randomized reassembly: a stream cut in random overlapping segments,
 * delivered in random order with duplicates, read in random pieces.
 */
class QuicRxBufferRandomTestCase : public TestCase
{
  public:
    /**
     * \param seed the random seed
     */
    explicit QuicRxBufferRandomTestCase(uint32_t seed)
        : TestCase("stream: randomized reassembly, seed " + std::to_string(seed)),
          m_seed(seed)
    {
    }

  private:
    void DoRun() override
    {
        std::mt19937 rng(m_seed);
        auto rnd = [&rng](uint64_t n) { return n == 0 ? 0 : rng() % n; };
        const uint64_t total = 200000 + rnd(50000);
        // Segments covering the whole stream, plus random overlapping ones.
        std::vector<std::pair<uint64_t, uint64_t>> segs;
        for (uint64_t off = 0; off < total;)
        {
            uint64_t len = std::min<uint64_t>(1 + rnd(3000), total - off);
            segs.emplace_back(off, len);
            off += len;
        }
        size_t extra = segs.size() / 2;
        for (size_t i = 0; i < extra; ++i)
        {
            uint64_t off = rnd(total);
            segs.emplace_back(off, std::min<uint64_t>(1 + rnd(4000), total - off));
        }
        std::shuffle(segs.begin(), segs.end(), rng);

        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        rx->SetMaxBufferSize(total);
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        bool ok = true;
        std::vector<uint8_t> out;
        for (const auto& s : segs)
        {
            bool fin = s.first + s.second == total && rnd(2) == 0;
            ok = InsertPattern(rx, s.first, s.second, fin, err) && ok;
            if (rnd(3) == 0)
            {
                std::vector<uint8_t> buf(rnd(5000));
                uint64_t n = rx->Read(buf.data(), buf.size());
                out.insert(out.end(), buf.begin(), buf.begin() + n);
            }
        }
        ok = rx->Insert(total, nullptr, 0, true, err) && ok;
        std::vector<uint8_t> rest = ReadAll(rx);
        out.insert(out.end(), rest.begin(), rest.end());
        NS_TEST_ASSERT_MSG_EQ(ok, true, "no error on valid segments");
        NS_TEST_ASSERT_MSG_EQ(out.size(), total, "length");
        NS_TEST_ASSERT_MSG_EQ((out == Pattern(0, total)), true, "byte-exact");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinRead(), true, "FIN read");
        NS_TEST_ASSERT_MSG_EQ(rx->GetGapCount(), 0, "no island left");
    }

    uint32_t m_seed; //!< random seed
};

/**
 * \ingroup quic-test
 * \brief Socket-level: size limit, FIFO across streams, split of a large chunk.
 */
class QuicSocketRxBufferTestCase : public TestCase
{
  public:
    QuicSocketRxBufferTestCase()
        : TestCase("socket: size limit, FIFO across streams, split of a large chunk")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketRxBuffer> b = CreateObject<QuicSocketRxBuffer>();
        b->SetMaxBufferSize(1000);
        uint64_t sid = 99;
        NS_TEST_ASSERT_MSG_EQ((b->Extract(100, sid) == nullptr), true, "empty");
        NS_TEST_ASSERT_MSG_EQ(b->Add(0, Create<Packet>(Pattern(0, 600).data(), 600)), true, "1");
        NS_TEST_ASSERT_MSG_EQ(b->Add(4, Create<Packet>(Pattern(1000, 500).data(), 500)),
                              false,
                              "would exceed the size");
        NS_TEST_ASSERT_MSG_EQ(b->GetAvailable(), 600, "refused chunk not stored");
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 400, "free");
        NS_TEST_ASSERT_MSG_EQ(b->Add(4, Create<Packet>(Pattern(1000, 300).data(), 300)), true, "2");
        NS_TEST_ASSERT_MSG_EQ(b->Add(0, Create<Packet>(Pattern(600, 100).data(), 100)), true, "3");
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 0, "full");
        NS_TEST_ASSERT_MSG_EQ(b->GetChunkCount(), 3, "three chunks");

        Ptr<Packet> p = b->Extract(250, sid);
        NS_TEST_ASSERT_MSG_EQ(sid, 0, "head chunk: stream 0");
        NS_TEST_ASSERT_MSG_EQ((PacketBytes(p) == Pattern(0, 250)), true, "first part of the split");
        NS_TEST_ASSERT_MSG_EQ(b->GetAvailable(), 750, "available");
        NS_TEST_ASSERT_MSG_EQ(b->PeekStream(sid), true, "peek");
        NS_TEST_ASSERT_MSG_EQ(sid, 0, "the rest stays at the head");
        p = b->Extract(1000, sid);
        NS_TEST_ASSERT_MSG_EQ(sid, 0, "stream 0");
        NS_TEST_ASSERT_MSG_EQ((PacketBytes(p) == Pattern(250, 350)),
                              true,
                              "rest of the chunk only");
        p = b->Extract(1000, sid);
        NS_TEST_ASSERT_MSG_EQ(sid, 4, "then stream 4");
        NS_TEST_ASSERT_MSG_EQ((PacketBytes(p) == Pattern(1000, 300)), true, "its bytes");
        p = b->Extract(1000, sid);
        NS_TEST_ASSERT_MSG_EQ(sid, 0, "then stream 0 again");
        NS_TEST_ASSERT_MSG_EQ((PacketBytes(p) == Pattern(600, 100)), true, "its bytes");
        NS_TEST_ASSERT_MSG_EQ(b->IsEmpty(), true, "empty");
        NS_TEST_ASSERT_MSG_EQ(b->GetAvailable(), 0, "nothing available");
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 1000, "all free");
    }
};

/**
 * \ingroup quic-test
 * \brief Zeros received before any other byte take no storage, are checked against later
 * copies and read back as zeros; the first non-zero byte stores them.
 */
class QuicRxBufferZeroTestCase : public TestCase
{
  public:
    QuicRxBufferZeroTestCase()
        : TestCase("zeros held without storage until a non-zero byte arrives")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        rx->SetMaxBufferSize(1 << 20);
        QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
        std::vector<uint8_t> zeros(4000, 0);
        // Out of order: [4000, 8000) then [0, 4000) then an island at [12000, 14000).
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(4000, zeros.data(), 4000, false, err), true, "island");
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(0, zeros.data(), 4000, false, err), true, "prefix");
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(12000, zeros.data(), 2000, false, err), true, "island");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 8000, "in order up to 8000");
        NS_TEST_ASSERT_MSG_EQ(rx->GetAllocatedBytes(), 0, "no storage for zeros");
        // RFC 9000 §2.2: a later copy must carry the same (zero) bytes.
        std::vector<uint8_t> bad(100, 0);
        bad[50] = 7;
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(3000, bad.data(), 100, false, err),
                              false,
                              "changed data refused");
        NS_TEST_ASSERT_MSG_EQ(err, QuicTransportErrorCode::PROTOCOL_VIOLATION, "error code");
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(12500, bad.data(), 100, false, err),
                              false,
                              "changed island refused");
        err = QuicTransportErrorCode::NO_ERROR;
        Ptr<Packet> p = rx->Extract(3000);
        NS_TEST_ASSERT_MSG_EQ(p->GetSize(), 3000, "extracted");
        std::vector<uint8_t> out(3000, 0xAA);
        p->CopyData(out.data(), 3000);
        NS_TEST_ASSERT_MSG_EQ((out == std::vector<uint8_t>(3000, 0)), true, "zeros extracted");
        // Non-zero data in the hole [8000, 12000): the zeros are stored from now on.
        NS_TEST_ASSERT_MSG_EQ(InsertPattern(rx, 8000, 4000, false, err), true, "pattern");
        NS_TEST_ASSERT_MSG_GT(rx->GetAllocatedBytes(), 0, "stored now");
        NS_TEST_ASSERT_MSG_EQ(rx->GetReadableBytes(), 11000, "hole filled");
        NS_TEST_ASSERT_MSG_EQ(rx->Insert(12500, bad.data(), 100, false, err),
                              false,
                              "stored zeros still checked");
        err = QuicTransportErrorCode::NO_ERROR;
        std::vector<uint8_t> want(5000, 0);
        std::vector<uint8_t> pattern = Pattern(8000, 4000);
        want.insert(want.end(), pattern.begin(), pattern.end());
        want.resize(11000, 0);
        NS_TEST_ASSERT_MSG_EQ((ReadAll(rx) == want), true, "zeros, pattern, zeros");
    }
};

/**
 * \ingroup quic-test
 * \brief The quic-rx-buffer suite.
 */
class QuicRxBufferTestSuite : public TestSuite
{
  public:
    QuicRxBufferTestSuite()
        : TestSuite("quic-rx-buffer", TestSuite::Type::UNIT)
    {
        // TestSuite takes ownership of the cases (ns-3's API wants raw pointers).
        AddTestCase(std::make_unique<QuicRxBufferOrderTestCase>().release());
        AddTestCase(std::make_unique<QuicRxBufferOverlapTestCase>().release());
        AddTestCase(std::make_unique<QuicRxBufferFinFirstTestCase>().release());
        AddTestCase(std::make_unique<QuicRxBufferFinalSizeTestCase>().release());
        AddTestCase(std::make_unique<QuicRxBufferSmallReadsTestCase>().release());
        AddTestCase(std::make_unique<QuicRxBufferRandomTestCase>(7).release());
        AddTestCase(std::make_unique<QuicRxBufferRandomTestCase>(4242).release());
        AddTestCase(std::make_unique<QuicSocketRxBufferTestCase>().release());
        AddTestCase(std::make_unique<QuicRxBufferZeroTestCase>().release());
    }
};

/// The suite's static instance, registered with ns-3's TestRunner.
static QuicRxBufferTestSuite g_quicRxBufferTestSuite;

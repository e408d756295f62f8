/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Send-side buffers: QuicStreamTxBuffer (one stream) and QuicSocketTxBuffer
 * (socket byte accounting and control frames), plus a randomized end-to-end
 * property test through QuicStreamRxBuffer.
 */

#include "ns3/packet.h"
#include "ns3/quic-flow-controller.h"
#include "ns3/quic-socket-tx-buffer.h"
#include "ns3/quic-stream-rx-buffer.h"
#include "ns3/quic-stream-tx-buffer.h"
#include "ns3/quic-subheader.h"
#include "ns3/test.h"

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

using namespace ns3;

namespace
{

/**
 * \brief The byte a test stream carries at an offset (same on every copy).
 * \param offset the stream offset
 * \return the byte
 */
uint8_t
PatternByte(uint64_t offset)
{
    return static_cast<uint8_t>((offset * 131 + (offset >> 8) * 7 + 11) & 0xff);
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
 * \brief A stream Tx buffer of the given capacity.
 * \param capacity the capacity
 * \return the buffer
 */
Ptr<QuicStreamTxBuffer>
MakeTx(uint32_t capacity)
{
    Ptr<QuicStreamTxBuffer> tx = CreateObject<QuicStreamTxBuffer>();
    tx->SetMaxBufferSize(capacity);
    return tx;
}

/**
 * \brief Add pattern bytes [offset, offset + len) to a buffer.
 * \param tx the buffer
 * \param offset the offset of the first byte (its GetWriteOffset())
 * \param len the number of bytes
 * \return what Add() accepted
 */
uint32_t
AddPattern(Ptr<QuicStreamTxBuffer> tx, uint64_t offset, uint32_t len)
{
    std::vector<uint8_t> v = Pattern(offset, len);
    return tx->Add(v.data(), len);
}

} // namespace

/**
 * \ingroup quic-test
 * \brief Add() accepts up to the free space and refuses when full.
 */
class QuicTxBufferFullTestCase : public TestCase
{
  public:
    QuicTxBufferFullTestCase()
        : TestCase("stream: insertion refused when full, partial insertion")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicStreamTxBuffer> tx = MakeTx(100);
        NS_TEST_ASSERT_MSG_EQ(tx->GetFreeSpace(), 100, "empty buffer");
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 0, 60), 60, "fits");
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 60, 60), 40, "partial: only the free space");
        NS_TEST_ASSERT_MSG_EQ(tx->GetFreeSpace(), 0, "full");
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 100, 10), 0, "refused when full");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 100, "buffered");
        NS_TEST_ASSERT_MSG_EQ(tx->GetWriteOffset(), 100, "write offset");
        Ptr<Packet> p = Create<Packet>(Pattern(100, 5).data(), 5);
        NS_TEST_ASSERT_MSG_EQ(tx->Add(p), 0, "packet refused when full");
    }
};

/**
 * \ingroup quic-test
 * \brief The rest of a partial insertion, re-added later, lands at the right offset.
 */
class QuicTxBufferRequeueTestCase : public TestCase
{
  public:
    QuicTxBufferRequeueTestCase()
        : TestCase("stream: partial insertion re-queued at the right offset")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicStreamTxBuffer> tx = MakeTx(60);
        std::vector<uint8_t> data = Pattern(0, 100);
        uint32_t accepted = tx->Add(data.data(), 100);
        NS_TEST_ASSERT_MSG_EQ(accepted, 60, "partial");
        uint64_t off;
        uint64_t len;
        bool fin;
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1000, 1000, off, len, fin), true, "chunk");
        NS_TEST_ASSERT_MSG_EQ(len, 60, "all accepted bytes");
        tx->OnAcked(0, 60, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 0, "released");
        NS_TEST_ASSERT_MSG_EQ(tx->GetFreeSpace(), 60, "room again");
        // The caller re-queues the remaining 40 bytes: a Packet this time.
        Ptr<Packet> rest = Create<Packet>(data.data() + accepted, 100 - accepted);
        NS_TEST_ASSERT_MSG_EQ(tx->Add(rest), 40, "the rest fits");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1000, 1000, off, len, fin), true, "chunk");
        NS_TEST_ASSERT_MSG_EQ(off, 60, "continues at offset 60");
        NS_TEST_ASSERT_MSG_EQ(len, 40, "length");
        std::vector<uint8_t> out(40);
        tx->CopyData(off, len, out.data());
        NS_TEST_ASSERT_MSG_EQ((out == Pattern(60, 40)), true, "bytes 60..99");
        Ptr<Packet> p = tx->GetData(70, 10);
        std::vector<uint8_t> pout(10);
        p->CopyData(pout.data(), 10);
        NS_TEST_ASSERT_MSG_EQ((pout == Pattern(70, 10)), true, "GetData bytes 70..79");
    }
};

/**
 * \ingroup quic-test
 * \brief NextChunk respects maxLen and the flow control offset.
 */
class QuicTxBufferNextChunkTestCase : public TestCase
{
  public:
    QuicTxBufferNextChunkTestCase()
        : TestCase("stream: NextChunk respects maxLen and the flow control offset")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicStreamTxBuffer> tx = MakeTx(10000);
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 0, 1000), 1000, "added");
        uint64_t off;
        uint64_t len;
        bool fin;
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(300, 10000, off, len, fin), true, "1st");
        NS_TEST_ASSERT_MSG_EQ(off, 0, "offset");
        NS_TEST_ASSERT_MSG_EQ(len, 300, "maxLen bounds");
        NS_TEST_ASSERT_MSG_EQ(fin, false, "no FIN");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(300, 500, off, len, fin), true, "2nd");
        NS_TEST_ASSERT_MSG_EQ(off, 300, "offset");
        NS_TEST_ASSERT_MSG_EQ(len, 200, "flow control bounds");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(300, 500, off, len, fin), false, "blocked at 500");
        NS_TEST_ASSERT_MSG_EQ(tx->HasPendingData(), true, "still pending");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(0, 5000, off, len, fin), false, "no room");
        NS_TEST_ASSERT_MSG_EQ(tx->GetNextOffset(), 500, "highest offset sent");
        NS_TEST_ASSERT_MSG_EQ(tx->Finish(), true, "finish");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(300, 500, off, len, fin),
                              false,
                              "the FIN cannot overtake blocked data");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1000, 5000, off, len, fin), true, "rest");
        NS_TEST_ASSERT_MSG_EQ(off, 500, "offset");
        NS_TEST_ASSERT_MSG_EQ(len, 500, "all the rest");
        NS_TEST_ASSERT_MSG_EQ(fin, true, "FIN with the last byte");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1000, 5000, off, len, fin), false, "nothing left");
        NS_TEST_ASSERT_MSG_EQ(tx->HasPendingData(), false, "nothing pending");
        NS_TEST_ASSERT_MSG_EQ(tx->GetUnsentBytes(), 0, "all sent");
    }
};

/**
 * \ingroup quic-test
 * \brief Lost ranges are retransmitted first, then acknowledged.
 */
class QuicTxBufferLostThenAckedTestCase : public TestCase
{
  public:
    QuicTxBufferLostThenAckedTestCase()
        : TestCase("stream: lost then acked, retransmission first and counted")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicStreamTxBuffer> tx = MakeTx(10000);
        AddPattern(tx, 0, 500);
        uint64_t off;
        uint64_t len;
        bool fin;
        for (int i = 0; i < 3; ++i)
        {
            tx->NextChunk(100, 10000, off, len, fin);
        }
        tx->OnLost(200, 100, false);
        tx->OnLost(100, 100, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetLostBytes(), 200, "two ranges lost");
        NS_TEST_ASSERT_MSG_EQ(tx->HasLostData(), true, "lost data");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBytesLost(), 200, "loss counter");
        // Lost data first, lowest offset first, split by maxLen, even with no
        // flow control credit left for new data.
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(150, 300, off, len, fin), true, "retransmission");
        NS_TEST_ASSERT_MSG_EQ(off, 100, "lowest lost offset first");
        NS_TEST_ASSERT_MSG_EQ(len, 150, "maxLen bounds");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(150, 300, off, len, fin), true, "retransmission");
        NS_TEST_ASSERT_MSG_EQ(off, 250, "the rest of the lost range");
        NS_TEST_ASSERT_MSG_EQ(len, 50, "length");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBytesRetransmitted(), 200, "retransmitted bytes");
        NS_TEST_ASSERT_MSG_EQ(tx->GetLostBytes(), 0, "nothing lost pending");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(150, 300, off, len, fin), false, "no credit");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(150, 1000, off, len, fin), true, "new data");
        NS_TEST_ASSERT_MSG_EQ(off, 300, "new data after the retransmissions");
        std::vector<uint8_t> out(150);
        tx->CopyData(100, 150, out.data());
        NS_TEST_ASSERT_MSG_EQ((out == Pattern(100, 150)), true, "retransmitted bytes");
        tx->OnAcked(100, 150, false);
        tx->OnAcked(250, 50, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 500, "not released: 0..99 unacked");
        tx->OnAcked(0, 100, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetAckedOffset(), 300, "in-order prefix acknowledged");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 200, "released up to 300");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBytesAcked(), 300, "distinct bytes acknowledged");
    }
};

/**
 * \ingroup quic-test
 * \brief Out-of-order acknowledgements, duplicate acks and losses.
 */
class QuicTxBufferDuplicatesTestCase : public TestCase
{
  public:
    QuicTxBufferDuplicatesTestCase()
        : TestCase("stream: out-of-order and duplicate acks, duplicate and stale losses")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicStreamTxBuffer> tx = MakeTx(10000);
        AddPattern(tx, 0, 400);
        uint64_t off;
        uint64_t len;
        bool fin;
        for (int i = 0; i < 4; ++i)
        {
            tx->NextChunk(100, 10000, off, len, fin);
        }
        tx->OnAcked(300, 100, false);
        tx->OnAcked(300, 100, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetBytesAcked(), 100, "duplicate ack counted once");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 400, "out-of-order ack frees nothing");
        // Loss of acknowledged bytes re-queues nothing.
        tx->OnLost(300, 100, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetLostBytes(), 0, "acked bytes not re-queued");
        NS_TEST_ASSERT_MSG_EQ(tx->HasPendingData(), false, "nothing to send");
        // A loss report spanning acked bytes re-queues only the others.
        tx->OnAcked(150, 50, false);
        tx->OnLost(100, 300, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetLostBytes(), 150, "100..149 and 200..299");
        tx->OnLost(100, 300, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetLostBytes(), 150, "duplicate loss report");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBytesLost(), 150, "loss counter unchanged");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1000, 10000, off, len, fin), true, "1st");
        NS_TEST_ASSERT_MSG_EQ(off, 100, "offset");
        NS_TEST_ASSERT_MSG_EQ(len, 50, "stops at the acked bytes");
        // Bytes acknowledged while waiting for retransmission leave the lost set.
        tx->OnAcked(200, 60, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetLostBytes(), 40, "acked while lost");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1000, 10000, off, len, fin), true, "2nd");
        NS_TEST_ASSERT_MSG_EQ(off, 260, "offset");
        NS_TEST_ASSERT_MSG_EQ(len, 40, "only the unacked part");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1000, 10000, off, len, fin), false, "done");
        tx->OnAcked(0, 150, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetAckedOffset(), 260, "prefix up to the next hole");
        tx->OnAcked(100, 300, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetAckedOffset(), 400, "all acked");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 0, "nothing held");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBytesAcked(), 400, "each byte counted once");
        NS_TEST_ASSERT_MSG_EQ(tx->IsAllAcked(), false, "not finished");
    }
};

/**
 * \ingroup quic-test
 * \brief FIN alone, FIN with data, FIN loss, data after FIN refused, IsAllAcked.
 */
class QuicTxBufferFinTestCase : public TestCase
{
  public:
    QuicTxBufferFinTestCase()
        : TestCase("stream: FIN alone, FIN with data, lost FIN, data after FIN, IsAllAcked")
    {
    }

  private:
    void DoRun() override
    {
        uint64_t off;
        uint64_t len;
        bool fin;
        // FIN alone, after the data was sent.
        Ptr<QuicStreamTxBuffer> a = MakeTx(1000);
        AddPattern(a, 0, 100);
        a->NextChunk(1000, 1000, off, len, fin);
        NS_TEST_ASSERT_MSG_EQ(fin, false, "no FIN yet");
        NS_TEST_ASSERT_MSG_EQ(a->Finish(), true, "finish");
        NS_TEST_ASSERT_MSG_EQ(a->Finish(), false, "finish twice");
        NS_TEST_ASSERT_MSG_EQ(AddPattern(a, 100, 10), 0, "data after FIN refused");
        NS_TEST_ASSERT_MSG_EQ(a->GetFreeSpace(), 0, "no space after FIN");
        NS_TEST_ASSERT_MSG_EQ(a->NextChunk(1000, 100, off, len, fin), true, "FIN alone");
        NS_TEST_ASSERT_MSG_EQ(off, 100, "at the final size");
        NS_TEST_ASSERT_MSG_EQ(len, 0, "no data");
        NS_TEST_ASSERT_MSG_EQ(fin, true, "FIN");
        NS_TEST_ASSERT_MSG_EQ(a->NextChunk(1000, 1000, off, len, fin), false, "sent once");
        a->OnAcked(0, 100, false);
        NS_TEST_ASSERT_MSG_EQ(a->IsAllAcked(), false, "FIN not acked");
        a->OnLost(100, 0, true);
        NS_TEST_ASSERT_MSG_EQ(a->HasLostData(), true, "FIN lost");
        NS_TEST_ASSERT_MSG_EQ(a->NextChunk(0, 0, off, len, fin), true, "FIN again");
        NS_TEST_ASSERT_MSG_EQ(off, 100, "at the final size");
        NS_TEST_ASSERT_MSG_EQ(len, 0, "alone");
        NS_TEST_ASSERT_MSG_EQ(fin, true, "FIN");
        NS_TEST_ASSERT_MSG_EQ(a->GetFinRetransmissions(), 1, "FIN retransmitted once");
        a->OnAcked(100, 0, true);
        NS_TEST_ASSERT_MSG_EQ(a->IsAllAcked(), true, "all acked");
        NS_TEST_ASSERT_MSG_EQ(a->GetAllocatedBytes(), 0, "memory freed");
        a->OnLost(100, 0, true);
        NS_TEST_ASSERT_MSG_EQ(a->HasPendingData(), false, "loss of an acked FIN ignored");

        // FIN with data; lost together, retransmitted together.
        Ptr<QuicStreamTxBuffer> b = MakeTx(1000);
        AddPattern(b, 0, 100);
        b->Finish();
        NS_TEST_ASSERT_MSG_EQ(b->NextChunk(1000, 1000, off, len, fin), true, "data + FIN");
        NS_TEST_ASSERT_MSG_EQ(len, 100, "data");
        NS_TEST_ASSERT_MSG_EQ(fin, true, "FIN with the data");
        b->OnLost(0, 100, true);
        NS_TEST_ASSERT_MSG_EQ(b->NextChunk(60, 1000, off, len, fin), true, "1st part");
        NS_TEST_ASSERT_MSG_EQ(fin, false, "FIN goes with the last byte only");
        NS_TEST_ASSERT_MSG_EQ(b->NextChunk(60, 1000, off, len, fin), true, "2nd part");
        NS_TEST_ASSERT_MSG_EQ(off, 60, "offset");
        NS_TEST_ASSERT_MSG_EQ(len, 40, "rest");
        NS_TEST_ASSERT_MSG_EQ(fin, true, "FIN with the last byte");
        NS_TEST_ASSERT_MSG_EQ(b->NextChunk(60, 1000, off, len, fin), false, "no separate FIN");
        b->OnAcked(60, 40, true);
        NS_TEST_ASSERT_MSG_EQ(b->IsAllAcked(), false, "0..59 missing");
        NS_TEST_ASSERT_MSG_EQ(b->IsFinAcked(), true, "FIN acked");
        b->OnAcked(0, 60, false);
        NS_TEST_ASSERT_MSG_EQ(b->IsAllAcked(), true, "all acked");
        NS_TEST_ASSERT_MSG_EQ(b->GetFinalSize(), 100, "final size");

        // An empty stream: FIN only.
        Ptr<QuicStreamTxBuffer> c = MakeTx(1000);
        c->Finish();
        NS_TEST_ASSERT_MSG_EQ(c->NextChunk(1000, 0, off, len, fin), true, "FIN of empty stream");
        NS_TEST_ASSERT_MSG_EQ(off + len, 0, "at offset 0");
        NS_TEST_ASSERT_MSG_EQ(fin, true, "FIN");
        c->OnAcked(0, 0, true);
        NS_TEST_ASSERT_MSG_EQ(c->IsAllAcked(), true, "empty stream done");
    }
};

/**
 * \ingroup quic-test
 * \brief Memory is released as acknowledgements arrive, and RESET_STREAM drops everything.
 */
class QuicTxBufferMemoryTestCase : public TestCase
{
  public:
    QuicTxBufferMemoryTestCase()
        : TestCase("stream: memory released as acks arrive; Reset drops everything")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t total = 1 << 20;
        Ptr<QuicStreamTxBuffer> tx = MakeTx(total);
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 0, total), total, "1 MiB added");
        uint64_t off;
        uint64_t len;
        bool fin;
        while (tx->NextChunk(1200, total, off, len, fin))
        {
        }
        NS_TEST_ASSERT_MSG_EQ(tx->GetNextOffset(), total, "all sent");
        uint64_t acked = 0;
        uint32_t previous = tx->GetBufferedBytes();
        bool decreasing = true;
        while (acked < total - 4096)
        {
            uint64_t n = std::min<uint64_t>(1200, total - 4096 - acked);
            tx->OnAcked(acked, n, false);
            acked += n;
            decreasing = decreasing && tx->GetBufferedBytes() == previous - n;
            previous = tx->GetBufferedBytes();
        }
        NS_TEST_ASSERT_MSG_EQ(decreasing, true, "each in-order ack frees its bytes");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 4096, "4 KiB held");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(tx->GetAllocatedBytes(),
                                    uint64_t{128 * 1024},
                                    "storage shrank with the held bytes");
        std::vector<uint8_t> out(4096);
        tx->CopyData(total - 4096, 4096, out.data());
        NS_TEST_ASSERT_MSG_EQ((out == Pattern(total - 4096, 4096)), true, "bytes kept intact");
        // Room for new data again, written after the old data.
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, total, 1000), 1000, "room again");
        tx->CopyData(total - 100, 200, out.data());
        out.resize(200);
        NS_TEST_ASSERT_MSG_EQ((out == Pattern(total - 100, 200)), true, "across the wrap");

        tx->OnLost(total - 4096, 1000, false);
        NS_TEST_ASSERT_MSG_EQ(tx->Reset(), total, "final size: highest offset sent");
        NS_TEST_ASSERT_MSG_EQ(tx->IsReset(), true, "reset");
        NS_TEST_ASSERT_MSG_EQ(tx->GetAllocatedBytes(), 0, "memory dropped");
        NS_TEST_ASSERT_MSG_EQ(tx->HasPendingData(), false, "nothing to send after reset");
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(1200, 2 * total, off, len, fin), false, "no chunk");
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 0, 10), 0, "no data accepted");
        NS_TEST_ASSERT_MSG_EQ(tx->GetFinalSize(), total, "final size kept");
        NS_TEST_ASSERT_MSG_EQ(tx->IsAllAcked(), false, "a reset stream is not all acked");
    }
};

/**
 * \ingroup quic-test
 * \brief Zero bytes written after the last stored byte take no storage and read back as
 * zeros; non-zero bytes after them store them first.
 */
class QuicTxBufferZeroTestCase : public TestCase
{
  public:
    QuicTxBufferZeroTestCase()
        : TestCase("stream: zeros held as a count, stored when data follows them")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicStreamTxBuffer> tx = MakeTx(1 << 20);
        // A zero-area packet, as BulkSend writes, and a zero byte array.
        NS_TEST_ASSERT_MSG_EQ(tx->Add(Create<Packet>(100000)), 100000, "packet of zeros");
        std::vector<uint8_t> zeros(5000, 0);
        NS_TEST_ASSERT_MSG_EQ(tx->Add(zeros.data(), 5000), 5000, "array of zeros");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 105000, "counted as held");
        NS_TEST_ASSERT_MSG_EQ(tx->GetFreeSpace(), (1u << 20) - 105000, "counted against capacity");
        NS_TEST_ASSERT_MSG_EQ(tx->GetAllocatedBytes(), 0, "no storage for zeros");
        std::vector<uint8_t> out(3000, 0xAA);
        tx->CopyData(104000, 1000, out.data());
        NS_TEST_ASSERT_MSG_EQ((std::vector<uint8_t>(out.begin(), out.begin() + 1000) ==
                               std::vector<uint8_t>(1000, 0)),
                              true,
                              "zeros read back");
        // An acknowledged prefix of the zeros, then non-zero data after the rest.
        uint64_t off;
        uint64_t len;
        bool fin;
        NS_TEST_ASSERT_MSG_EQ(tx->NextChunk(60000, UINT64_MAX, off, len, fin), true, "sent");
        tx->OnAcked(0, 60000, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 45000, "prefix released");
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 105000, 2000), 2000, "data after the zeros");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(tx->GetAllocatedBytes(), uint64_t{47000}, "zeros now stored");
        tx->CopyData(104000, 3000, out.data());
        std::vector<uint8_t> want(1000, 0);
        std::vector<uint8_t> pattern = Pattern(105000, 2000);
        want.insert(want.end(), pattern.begin(), pattern.end());
        NS_TEST_ASSERT_MSG_EQ((out == want), true, "zeros then data");
        // Zeros after stored data stay unstored; reads straddle both.
        NS_TEST_ASSERT_MSG_EQ(tx->Add(zeros.data(), 5000), 5000, "zeros after data");
        tx->CopyData(106000, 3000, out.data());
        want.assign(pattern.begin() + 1000, pattern.end());
        want.resize(3000, 0);
        NS_TEST_ASSERT_MSG_EQ((out == want), true, "data then zeros");
        // Acknowledging past the stored bytes into the zeros, then everything.
        while (tx->NextChunk(60000, UINT64_MAX, off, len, fin))
        {
        }
        tx->OnAcked(60000, 49000, false);
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 3000, "acked into the zeros");
        tx->CopyData(109000, 3000, out.data());
        NS_TEST_ASSERT_MSG_EQ((out == std::vector<uint8_t>(3000, 0)), true, "zero tail intact");
        NS_TEST_ASSERT_MSG_EQ(AddPattern(tx, 112000, 100), 100, "data again");
        tx->CopyData(111000, 1100, out.data());
        NS_TEST_ASSERT_MSG_EQ(out[999], 0, "last zero");
        NS_TEST_ASSERT_MSG_EQ(out[1000], PatternByte(112000), "first data byte");
        NS_TEST_ASSERT_MSG_EQ(out[1099], PatternByte(112099), "last data byte");
        tx->Finish();
        while (tx->NextChunk(60000, UINT64_MAX, off, len, fin))
        {
        }
        tx->OnAcked(109000, 3100, true);
        NS_TEST_ASSERT_MSG_EQ(tx->IsAllAcked(), true, "all acked");
        NS_TEST_ASSERT_MSG_EQ(tx->GetAllocatedBytes(), 0, "memory freed");
    }
};

/**
 * \ingroup quic-test
 * \brief Socket-level byte accounting against SocketSndBufSize.
 */
class QuicSocketTxBufferAccountingTestCase : public TestCase
{
  public:
    QuicSocketTxBufferAccountingTestCase()
        : TestCase("socket: byte accounting")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketTxBuffer> b = CreateObject<QuicSocketTxBuffer>();
        b->SetMaxBufferSize(1000);
        NS_TEST_ASSERT_MSG_EQ(b->Reserve(600), true, "fits");
        NS_TEST_ASSERT_MSG_EQ(b->Reserve(500), false, "all or nothing");
        NS_TEST_ASSERT_MSG_EQ(b->GetReserved(), 600, "unchanged by the refusal");
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 400, "free");
        NS_TEST_ASSERT_MSG_EQ(b->Reserve(400), true, "exactly the rest");
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 0, "full");
        b->Release(250);
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 250, "released");
        b->SetMaxBufferSize(500);
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 0, "shrunk below the reserved bytes");
        NS_TEST_ASSERT_MSG_EQ(b->Reserve(1), false, "refused");
        b->Release(750);
        NS_TEST_ASSERT_MSG_EQ(b->GetFreeSpace(), 500, "all released");
    }
};

/**
 * \ingroup quic-test
 * \brief Retransmitted control frames go first; Pop returns the first that fits.
 */
class QuicSocketTxBufferPriorityTestCase : public TestCase
{
  public:
    QuicSocketTxBufferPriorityTestCase()
        : TestCase("socket: control frame priority and room")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketTxBuffer> b = CreateObject<QuicSocketTxBuffer>();
        NS_TEST_ASSERT_MSG_EQ(b->IsEmpty(), true, "empty");
        QuicSubheader ping = QuicSubheader::CreatePing();
        QuicSubheader maxData = QuicSubheader::CreateMaxData(100000);
        QuicSubheader reset = QuicSubheader::CreateResetStream(4, 7, 123456);
        QuicSubheader done = QuicSubheader::CreateHandshakeDone();
        b->Push(ping, false);
        b->Push(maxData, false);
        b->Push(reset, true);
        b->Push(done, true);
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameCount(), 4, "queued");
        uint64_t bytes = ping.GetSerializedSize() + maxData.GetSerializedSize() +
                         reset.GetSerializedSize() + done.GetSerializedSize();
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameBytes(), bytes, "size in bytes");
        NS_TEST_ASSERT_MSG_EQ(b->HasRetransmission(), true, "retransmission queued");

        QuicSubheader f;
        NS_TEST_ASSERT_MSG_EQ(b->Peek(1000, f), true, "peek");
        NS_TEST_ASSERT_MSG_EQ(f.GetFrameType(), QuicSubheader::RESET_STREAM, "retransmission 1st");
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameCount(), 4, "peek leaves it");
        // Only 1 byte of room: HANDSHAKE_DONE (retransmission) before PING.
        bool retx = false;
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1, f, retx), true, "a 1-byte frame fits");
        NS_TEST_ASSERT_MSG_EQ(f.GetFrameType(), QuicSubheader::HANDSHAKE_DONE, "retx first");
        NS_TEST_ASSERT_MSG_EQ(retx, true, "was a retransmission");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1, f, retx), true, "PING fits");
        NS_TEST_ASSERT_MSG_EQ(f.GetFrameType(), QuicSubheader::PING, "PING");
        NS_TEST_ASSERT_MSG_EQ(retx, false, "new frame");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1, f), false, "nothing else fits in 1 byte");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), true, "RESET_STREAM");
        NS_TEST_ASSERT_MSG_EQ((f == reset), true, "same frame");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), true, "MAX_DATA");
        NS_TEST_ASSERT_MSG_EQ(f.GetMaximumData(), 100000, "value");
        NS_TEST_ASSERT_MSG_EQ(b->IsEmpty(), true, "empty again");
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameBytes(), 0, "no bytes");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), false, "nothing to pop");
    }
};

/**
 * \ingroup quic-test
 * \brief A newer MAX_DATA / MAX_STREAM_DATA supersedes a pending older one.
 */
class QuicSocketTxBufferStaleTestCase : public TestCase
{
  public:
    QuicSocketTxBufferStaleTestCase()
        : TestCase("socket: stale MAX_DATA and MAX_STREAM_DATA superseded")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<QuicSocketTxBuffer> b = CreateObject<QuicSocketTxBuffer>();
        b->Push(QuicSubheader::CreatePing(), false);
        NS_TEST_ASSERT_MSG_EQ(b->Push(QuicSubheader::CreateMaxData(1000), false), true, "1st");
        NS_TEST_ASSERT_MSG_EQ(b->Push(QuicSubheader::CreateMaxData(2000), false), true, "newer");
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameCount(), 2, "only one MAX_DATA kept");
        // The lost older frame comes back as a retransmission: dropped, but the
        // pending newer one is promoted.
        NS_TEST_ASSERT_MSG_EQ(b->Push(QuicSubheader::CreateMaxData(1000), true), false, "stale");
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameCount(), 2, "still one MAX_DATA");
        b->Push(QuicSubheader::CreateMaxStreamData(4, 500), false);
        b->Push(QuicSubheader::CreateMaxStreamData(8, 700), false);
        b->Push(QuicSubheader::CreateMaxStreamData(4, 900), false);
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameCount(), 4, "one per stream");
        b->Push(QuicSubheader::CreateStreamDataBlocked(4, 900), false);
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameCount(), 5, "a different frame type is not merged");

        QuicSubheader f;
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), true, "1st");
        NS_TEST_ASSERT_MSG_EQ(f.GetFrameType(), QuicSubheader::MAX_DATA, "promoted MAX_DATA");
        NS_TEST_ASSERT_MSG_EQ(f.GetMaximumData(), 2000, "the newest value");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), true, "2nd");
        NS_TEST_ASSERT_MSG_EQ(f.GetFrameType(), QuicSubheader::PING, "PING");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), true, "3rd");
        NS_TEST_ASSERT_MSG_EQ(f.GetStreamId(), 4, "stream 4 at its first position");
        NS_TEST_ASSERT_MSG_EQ(f.GetMaximumStreamData(), 900, "newest value");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), true, "4th");
        NS_TEST_ASSERT_MSG_EQ(f.GetStreamId(), 8, "stream 8");
        NS_TEST_ASSERT_MSG_EQ(f.GetMaximumStreamData(), 700, "its value");
        NS_TEST_ASSERT_MSG_EQ(b->Pop(1000, f), true, "5th");
        NS_TEST_ASSERT_MSG_EQ(f.GetFrameType(), QuicSubheader::STREAM_DATA_BLOCKED, "blocked");
        NS_TEST_ASSERT_MSG_EQ(b->IsEmpty(), true, "empty");
        // Once sent, a new MAX_DATA is queued again.
        NS_TEST_ASSERT_MSG_EQ(b->Push(QuicSubheader::CreateMaxData(500), false), true, "queued");
        NS_TEST_ASSERT_MSG_EQ(b->GetFrameCount(), 1, "queued after the pop");
        b->ClearFrames();
        NS_TEST_ASSERT_MSG_EQ(b->IsEmpty(), true, "cleared");
    }
};

/**
 * \ingroup quic-test
 * \brief Randomized end to end: random writes, chunking, loss, reordering,
 * duplication and spurious losses; the receiver must read exactly the bytes
 * written, and the sender must see everything acknowledged.
 */
class QuicTxBufferRandomTestCase : public TestCase
{
  public:
    /**
     * \param seed the random seed
     */
    /**
     * \param seed the random seed
     * \param zeroRuns whether every other 7000-byte stretch of the stream is zeros (kept
     *        unstored by the sender)
     */
    explicit QuicTxBufferRandomTestCase(uint32_t seed, bool zeroRuns = false)
        : TestCase("stream: randomized transfer through loss, reordering and duplication, seed " +
                   std::to_string(seed) + (zeroRuns ? ", zero runs" : "")),
          m_seed(seed),
          m_zeroRuns(zeroRuns)
    {
    }

  private:
    /// A frame in the network.
    struct Frame
    {
        uint64_t offset;            //!< offset
        uint64_t len;               //!< length
        bool fin;                   //!< FIN bit
        std::vector<uint8_t> bytes; //!< the data, copied when sent
        bool declaredLost;          //!< the sender was told it is lost
    };

    void DoRun() override
    {
        std::mt19937 rng(m_seed);
        auto rnd = [&rng](uint64_t n) { return n == 0 ? 0 : rng() % n; };
        // The stream's content: the pattern, or zeros in every other 7000 bytes from the
        // start (the receiver then holds only zeros until the first pattern byte arrives).
        auto content = [this](uint64_t offset, uint64_t len) {
            std::vector<uint8_t> v = Pattern(offset, len);
            for (uint64_t i = 0; m_zeroRuns && i < len; ++i)
            {
                if ((offset + i) / 7000 % 2 == 0)
                {
                    v[i] = 0;
                }
            }
            return v;
        };
        const uint64_t total = 300000 + rnd(100000);
        Ptr<QuicStreamTxBuffer> tx = MakeTx(20000 + rnd(20000));
        Ptr<QuicStreamRxBuffer> rx = CreateObject<QuicStreamRxBuffer>();
        rx->SetMaxBufferSize(1 << 20);
        QuicFlowController sendFc;
        QuicFlowController recvFc;
        recvFc.SetReceiveWindow(30000, 200000);
        sendFc.UpdatePeerLimit(recvFc.GetReceiveLimit());

        uint64_t written = 0;
        std::vector<uint8_t> received;
        std::vector<Frame> network; // frames in flight, in any order
        std::vector<Frame> toAck;   // delivered, ack not yet processed
        uint64_t steps = 0;
        bool errorSeen = false;
        Time now = Seconds(0);
        while (!(tx->IsAllAcked() && rx->IsFinRead()) && steps < 2000000)
        {
            ++steps;
            now += MicroSeconds(10);
            switch (rnd(8))
            {
            case 0: { // application write, possibly partial
                if (written < total)
                {
                    uint32_t want = 1 + rnd(std::min<uint64_t>(5000, total - written));
                    std::vector<uint8_t> bytes = content(written, want);
                    uint32_t got = tx->Add(bytes.data(), want);
                    written += got;
                    if (written == total)
                    {
                        tx->Finish();
                    }
                }
                break;
            }
            case 1:
            case 2: { // send a chunk
                uint64_t off;
                uint64_t len;
                bool fin;
                uint64_t maxLen = 1 + rnd(1500);
                if (tx->NextChunk(maxLen, sendFc.GetSendLimit(), off, len, fin))
                {
                    sendFc.OnSent(tx->GetNextOffset());
                    Frame f{off, len, fin, std::vector<uint8_t>(len), false};
                    tx->CopyData(off, len, f.bytes.data());
                    network.push_back(std::move(f));
                }
                break;
            }
            case 3:
            case 4: { // deliver a random frame (reordering), maybe keep a duplicate
                if (!network.empty())
                {
                    size_t i = rnd(network.size());
                    Frame f = network[i];
                    bool duplicate = rnd(10) == 0;
                    if (!duplicate)
                    {
                        network[i] = std::move(network.back());
                        network.pop_back();
                    }
                    QuicTransportErrorCode err = QuicTransportErrorCode::NO_ERROR;
                    bool ok = recvFc.OnReceived(f.offset + f.len, err) &&
                              rx->Insert(f.offset, f.bytes.data(), f.len, f.fin, err);
                    errorSeen = errorSeen || !ok;
                    if (rnd(20) == 0)
                    {
                        // Spurious loss: declared lost although delivered.
                        tx->OnLost(f.offset, f.len, f.fin);
                    }
                    toAck.push_back(std::move(f));
                }
                break;
            }
            case 5: { // a frame is lost in the network
                if (!network.empty() && rnd(3) == 0)
                {
                    size_t i = rnd(network.size());
                    Frame f = std::move(network[i]);
                    network[i] = std::move(network.back());
                    network.pop_back();
                    tx->OnLost(f.offset, f.len, f.fin);
                    if (rnd(4) == 0)
                    {
                        tx->OnLost(f.offset, f.len, f.fin); // duplicate report
                    }
                }
                break;
            }
            case 6: { // acknowledgements, in any order, some twice
                if (!toAck.empty())
                {
                    size_t i = rnd(toAck.size());
                    tx->OnAcked(toAck[i].offset, toAck[i].len, toAck[i].fin);
                    if (rnd(5) != 0)
                    {
                        toAck[i] = std::move(toAck.back());
                        toAck.pop_back();
                    }
                }
                break;
            }
            case 7: { // the application reads; flow control credit comes back
                uint64_t max = 1 + rnd(8000);
                std::vector<uint8_t> buf(max);
                uint64_t n;
                if (rnd(2) == 0)
                {
                    n = rx->Read(buf.data(), max);
                }
                else
                {
                    Ptr<Packet> p = rx->Extract(max);
                    n = p->GetSize();
                    p->CopyData(buf.data(), n);
                }
                received.insert(received.end(), buf.begin(), buf.begin() + n);
                recvFc.OnConsumed(n);
                if (recvFc.ShouldSendUpdate())
                {
                    sendFc.UpdatePeerLimit(recvFc.GetNewLimit(now, MilliSeconds(1)));
                }
                break;
            }
            }
        }
        NS_TEST_ASSERT_MSG_EQ(errorSeen, false, "no QUIC error on valid traffic");
        NS_TEST_ASSERT_MSG_EQ(tx->IsAllAcked(), true, "sender: all acknowledged");
        NS_TEST_ASSERT_MSG_EQ(rx->IsFinRead(), true, "receiver: all read");
        NS_TEST_ASSERT_MSG_EQ(received.size(), total, "byte count");
        NS_TEST_ASSERT_MSG_EQ((received == content(0, total)), true, "byte-exact content");
        NS_TEST_ASSERT_MSG_EQ(tx->GetBufferedBytes(), 0, "sender holds nothing");
        NS_TEST_ASSERT_MSG_GT(tx->GetBytesRetransmitted(), 0, "losses were exercised");
        NS_TEST_ASSERT_MSG_GT(rx->GetDuplicateBytes(), 0, "duplicates were exercised");
        NS_TEST_ASSERT_MSG_GT(recvFc.GetWindowIncreases(), 0, "auto-tuning was exercised");
    }

    uint32_t m_seed; //!< random seed
    bool m_zeroRuns; //!< zero runs in the content
};

/**
 * \ingroup quic-test
 * \brief The quic-tx-buffer suite.
 */
class QuicTxBufferTestSuite : public TestSuite
{
  public:
    QuicTxBufferTestSuite()
        : TestSuite("quic-tx-buffer", TestSuite::Type::UNIT)
    {
        // TestSuite takes ownership of the cases (ns-3's API wants raw pointers).
        AddTestCase(std::make_unique<QuicTxBufferFullTestCase>().release());
        AddTestCase(std::make_unique<QuicTxBufferRequeueTestCase>().release());
        AddTestCase(std::make_unique<QuicTxBufferNextChunkTestCase>().release());
        AddTestCase(std::make_unique<QuicTxBufferLostThenAckedTestCase>().release());
        AddTestCase(std::make_unique<QuicTxBufferDuplicatesTestCase>().release());
        AddTestCase(std::make_unique<QuicTxBufferFinTestCase>().release());
        AddTestCase(std::make_unique<QuicTxBufferMemoryTestCase>().release());
        AddTestCase(std::make_unique<QuicSocketTxBufferAccountingTestCase>().release());
        AddTestCase(std::make_unique<QuicSocketTxBufferPriorityTestCase>().release());
        AddTestCase(std::make_unique<QuicSocketTxBufferStaleTestCase>().release());
        AddTestCase(std::make_unique<QuicTxBufferRandomTestCase>(1).release());
        AddTestCase(std::make_unique<QuicTxBufferRandomTestCase>(20240601).release());
        AddTestCase(std::make_unique<QuicTxBufferRandomTestCase>(7, true).release());
        AddTestCase(std::make_unique<QuicTxBufferRandomTestCase>(20240601, true).release());
        AddTestCase(std::make_unique<QuicTxBufferZeroTestCase>().release());
    }
};

/// The suite's static instance, registered with ns-3's TestRunner.
static QuicTxBufferTestSuite g_quicTxBufferTestSuite;

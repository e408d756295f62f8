/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * monitoring: per-connection counters (PQUIC's first use case). Every pluglet is a
 * post observer, except the external ones the application calls: monitoring_get(i)
 * returns counter i, monitoring_report() pushes all of them to the application as a
 * PluginMessage ("index=value" lines). Counters live in the plugin's connection metadata
 * slots, shared by its pluglets (each pluglet has its own globals); counter 16 (RTT
 * samples) lives in path slot 0.
 *
 * Retransmissions: QUIC never resends a packet, it resends the information of lost frames
 * in new packets (RFC 9000 §13.3); counters 17 and 18 count the STREAM frames that carried
 * data again and those bytes (stream_data_retransmitted). Counter 19 counts spurious
 * losses: packets declared lost whose acknowledgment arrived afterwards (spurious_loss;
 * reordering or delay beyond the RFC 9002 §6.1 thresholds, not drops).
 *
 * monitoring_send_stats() (external) sends the eight local counters to the peer in a STAT
 * frame of the plugin's own type 0x1f0 (type varint, then eight 64-bit counters); the
 * peer's monitoring plugin parses it (parse_frame[0x1f0]) into slots 12..15. A lost STAT
 * frame is sent again with fresh values (notify_frame[0x1f0]).
 */

#include "quic-pluglet-api.h"

enum
{
    PACKETS_SENT,
    BYTES_SENT,
    PACKETS_RECEIVED,
    BYTES_RECEIVED,
    PACKETS_LOST,
    PTOS,
    STREAMS_OPENED,
    STREAMS_CLOSED,
    STATS_SENT,        /* STAT frames written */
    STATS_ACKED,       /* … acknowledged */
    STATS_LOST,        /* … lost (and sent again) */
    STATS_RECEIVED,    /* STAT frames parsed from the peer */
    PEER_PACKETS_SENT, /* the peer's counters, from its last STAT frame */
    PEER_BYTES_SENT,
    PEER_PACKETS_LOST,
    PEER_PTOS,
    COUNTER_COUNT, /* 16: RTT samples, in path slot 0 */
    STREAM_FRAMES_RETRANSMITTED,
    STREAM_BYTES_RETRANSMITTED,
    SPURIOUS_LOSSES,
    COUNTER_TOTAL,
};

#define STAT_FRAME_TYPE 0x1f0
#define STAT_FRAME_SIZE (2 + 8 * 8)

static void
add(pl_u64 slot, pl_u64 v)
{
    pl_set_meta(META_CONN, slot, pl_get_meta(META_CONN, slot) + v);
}

/* on_packet_sent: in[0] packet number, in[1] size, in[2] space. */
PLUGLET pl_u64
on_sent(pl_u64 pn, pl_u64 size, pl_u64 space)
{
    add(PACKETS_SENT, 1);
    add(BYTES_SENT, size);
    return 0;
}

/* on_packet_received: in[0] packet number, in[1] length, in[2] space. */
PLUGLET pl_u64
on_received(pl_u64 pn, pl_u64 len, pl_u64 space)
{
    add(PACKETS_RECEIVED, 1);
    add(BYTES_RECEIVED, len);
    return 0;
}

PLUGLET pl_u64
on_lost(pl_u64 pn, pl_u64 space)
{
    add(PACKETS_LOST, 1);
    return 0;
}

PLUGLET pl_u64
on_pto(pl_u64 space, pl_u64 count)
{
    add(PTOS, 1);
    return 0;
}

PLUGLET pl_u64
on_stream_opened(pl_u64 id)
{
    add(STREAMS_OPENED, 1);
    return 0;
}

PLUGLET pl_u64
on_stream_closed(pl_u64 id)
{
    add(STREAMS_CLOSED, 1);
    return 0;
}

/* stream_data_retransmitted: in[0] stream id, in[1] offset, in[2] bytes sent again. */
PLUGLET pl_u64
on_retransmitted(pl_u64 id, pl_u64 offset, pl_u64 bytes)
{
    add(STREAM_FRAMES_RETRANSMITTED, 1);
    add(STREAM_BYTES_RETRANSMITTED, bytes);
    return 0;
}

/* spurious_loss: in[0] packet number, in[1] space. */
PLUGLET pl_u64
on_spurious_loss(pl_u64 pn, pl_u64 space)
{
    add(SPURIOUS_LOSSES, 1);
    return 0;
}

/* rtt_sample: in[0] the sample, ns. Counted on the path object (its slot 0). */
PLUGLET pl_u64
on_rtt_sample(pl_u64 sample_ns)
{
    pl_set_meta(META_PATH, 0, pl_get_meta(META_PATH, 0) + 1);
    return 0;
}

static pl_u64
counter(pl_u64 i)
{
    return i == COUNTER_COUNT ? pl_get_meta(META_PATH, 0) : pl_get_meta(META_CONN, i);
}

/* External: the application reads counter i (16: RTT samples of path 0). */
PLUGLET pl_u64
monitoring_get(pl_u64 i)
{
    if (i >= COUNTER_TOTAL)
    {
        return ~0ULL;
    }
    return counter(i);
}

static char*
put_u64(char* p, pl_u64 v)
{
    char digits[20];
    int n = 0;
    do
    {
        digits[n++] = '0' + (char)(v % 10);
        v /= 10;
    } while (v != 0 && n < 20);
    while (n > 0)
    {
        *p++ = digits[--n];
    }
    return p;
}

/* External: all counters to the application, one "index=value" per line. */
PLUGLET pl_u64
monitoring_report(void)
{
    char* buf = pl_malloc(COUNTER_TOTAL * 24);
    if (buf == 0)
    {
        return 0;
    }
    char* p = buf;
    for (pl_u64 i = 0; i < COUNTER_TOTAL; i++)
    {
        p = put_u64(p, i);
        *p++ = '=';
        p = put_u64(p, counter(i));
        *p++ = '\n';
    }
    pl_u64 n = (pl_u64)(p - buf);
    pl_send_to_app(buf, n);
    pl_free(buf);
    return n;
}

/* External: ask the core for a STAT frame (congestion-controlled). */
PLUGLET pl_u64
monitoring_send_stats(void)
{
    return pl_reserve_frame(STAT_FRAME_TYPE, STAT_FRAME_SIZE, 1);
}

/* write_frame[0x1f0]: in[0] writable buffer, in[1] its size. */
PLUGLET pl_u64
write_stat(unsigned char* buf, pl_u64 size)
{
    if (size < STAT_FRAME_SIZE)
    {
        return 0;
    }
    buf[0] = 0x40 | (STAT_FRAME_TYPE >> 8); /* 2-byte varint (RFC 9000 §16) */
    buf[1] = STAT_FRAME_TYPE & 0xff;
    for (pl_u64 i = 0; i < 8; i++)
    {
        pl_u64 v = pl_get_meta(META_CONN, i);
        for (int b = 0; b < 8; b++)
        {
            buf[2 + i * 8 + b] = (unsigned char)(v >> (56 - 8 * b)); /* network order */
        }
    }
    add(STATS_SENT, 1);
    return STAT_FRAME_SIZE;
}

/* notify_frame[0x1f0]: in[0] frame handle, in[1] 1 acked / 0 lost. */
PLUGLET pl_u64
notify_stat(pl_u64 frame, pl_u64 acked)
{
    if (acked)
    {
        add(STATS_ACKED, 1);
    }
    else
    {
        add(STATS_LOST, 1);
        pl_reserve_frame(STAT_FRAME_TYPE, STAT_FRAME_SIZE, 1);
    }
    return 0;
}

static pl_u64
read_u64(const unsigned char* p)
{
    pl_u64 v = 0;
    for (int b = 0; b < 8; b++)
    {
        v = (v << 8) | p[b];
    }
    return v;
}

/* parse_frame[0x1f0]: in[0] read-only buffer at the frame, in[1] bytes left. */
PLUGLET pl_u64
parse_stat(const unsigned char* buf, pl_u64 left)
{
    if (left < STAT_FRAME_SIZE)
    {
        return 0; /* malformed: the core closes with FRAME_ENCODING_ERROR */
    }
    pl_set_meta(META_CONN, PEER_PACKETS_SENT, read_u64(buf + 2 + 8 * PACKETS_SENT));
    pl_set_meta(META_CONN, PEER_BYTES_SENT, read_u64(buf + 2 + 8 * BYTES_SENT));
    pl_set_meta(META_CONN, PEER_PACKETS_LOST, read_u64(buf + 2 + 8 * PACKETS_LOST));
    pl_set_meta(META_CONN, PEER_PTOS, read_u64(buf + 2 + 8 * PTOS));
    add(STATS_RECEIVED, 1);
    return STAT_FRAME_SIZE;
}

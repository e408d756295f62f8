/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * monitoring: per-connection counters (PQUIC's first use case). Every pluglet is a
 * post observer, except the external ones the application calls: monitoring_get(i)
 * returns counter i, monitoring_report() pushes all of them to the application as a
 * PluginMessage ("name=value" lines). Counters live in the plugin's connection metadata
 * slots, shared by its pluglets (each pluglet has its own globals).
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
    FRAMES_ACKED_OR_LOST,
    COUNTER_COUNT,
};

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

/* External: the application reads counter i. */
PLUGLET pl_u64
monitoring_get(pl_u64 i)
{
    if (i >= COUNTER_COUNT)
    {
        return ~0ULL;
    }
    return pl_get_meta(META_CONN, i);
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
    char* buf = pl_malloc(COUNTER_COUNT * 24);
    if (buf == 0)
    {
        return 0;
    }
    char* p = buf;
    for (pl_u64 i = 0; i < COUNTER_COUNT; i++)
    {
        p = put_u64(p, i);
        *p++ = '=';
        p = put_u64(p, pl_get_meta(META_CONN, i));
        *p++ = '\n';
    }
    pl_u64 n = (pl_u64)(p - buf);
    pl_send_to_app(buf, n);
    pl_free(buf);
    return n;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Pluglets of the quic-plugins test suite for packet metadata slots (META_PACKET) and
 * for frames reserved inside or outside the congestion window.
 */

#include "quic-pluglet-api.h"

/* --- packet metadata: a tag set on each 1-RTT packet sent, checked when it leaves --- */

#define TAG(pn) ((pn) * 2654435761ULL + 12345)
#define FRAME_TAG 0xf00dULL
#define PM_FRAME_TYPE 0x1f3
#define PM_FRAME_SIZE 10

enum
{
    PM_TAGGED,        /* 1-RTT packets tagged when sent */
    PM_ACKED_OK,      /* acknowledged packets whose tag read back right */
    PM_ACKED_BAD,     /* … wrong (0 or another packet's) */
    PM_LOST_OK,       /* lost packets whose tag read back right */
    PM_LOST_BAD,      /* … wrong */
    PM_FRAME_OK,      /* notified plugin frames whose packet carried the write-time tag */
    PM_FRAME_BAD,     /* … did not */
    PM_RX_FRESH,      /* received packets whose slot read 0 before being set */
    PM_RX_STALE,      /* … read a value left by another packet */
    PM_FRAMES_WRITTEN /* plugin frames written */
};

static void
count(pl_u64 slot)
{
    pl_set_meta(META_CONN, slot, pl_get_meta(META_CONN, slot) + 1);
}

/* on_packet_sent post: in[0] packet number, in[1] size, in[2] space. */
PLUGLET pl_u64
pm_sent(pl_u64 pn, pl_u64 size, pl_u64 space)
{
    if (space == 2)
    {
        pl_set_meta(META_PACKET, 0, TAG(pn));
        count(PM_TAGGED);
    }
    return 0;
}

/* packet_acked post: in[0] packet number, in[1] space. */
PLUGLET pl_u64
pm_acked(pl_u64 pn, pl_u64 space)
{
    if (space == 2)
    {
        count(pl_get_meta(META_PACKET, 0) == TAG(pn) ? PM_ACKED_OK : PM_ACKED_BAD);
    }
    return 0;
}

/* packet_lost post: in[0] packet number, in[1] space. */
PLUGLET pl_u64
pm_lost(pl_u64 pn, pl_u64 space)
{
    if (space == 2)
    {
        count(pl_get_meta(META_PACKET, 0) == TAG(pn) ? PM_LOST_OK : PM_LOST_BAD);
    }
    return 0;
}

/* on_packet_received post: the slot of a parsed packet starts at 0 and is its own. */
PLUGLET pl_u64
pm_received(pl_u64 pn, pl_u64 len, pl_u64 space)
{
    count(pl_get_meta(META_PACKET, 1) == 0 ? PM_RX_FRESH : PM_RX_STALE);
    pl_set_meta(META_PACKET, 1, pn + 1);
    return 0;
}

/* External: reserve a plugin frame (congestion-controlled). */
PLUGLET pl_u64
pm_reserve(void)
{
    return pl_reserve_frame(PM_FRAME_TYPE, PM_FRAME_SIZE, 1);
}

/* write_frame[0x1f3]: the packet being written gets a tag in slot 2. */
PLUGLET pl_u64
pm_write(unsigned char* buf, pl_u64 size)
{
    if (size < PM_FRAME_SIZE)
    {
        return 0;
    }
    buf[0] = 0x40 | (PM_FRAME_TYPE >> 8);
    buf[1] = PM_FRAME_TYPE & 0xff;
    for (int i = 2; i < PM_FRAME_SIZE; i++)
    {
        buf[i] = 0;
    }
    pl_set_meta(META_PACKET, 2, FRAME_TAG);
    count(PM_FRAMES_WRITTEN);
    return PM_FRAME_SIZE;
}

/* notify_frame[0x1f3]: the tag is still on the packet that carried the frame. */
PLUGLET pl_u64
pm_notify(pl_u64 frame, pl_u64 acked)
{
    count(pl_get_meta(META_PACKET, 2) == FRAME_TAG ? PM_FRAME_OK : PM_FRAME_BAD);
    return 0;
}

/* parse_frame[0x1f3] (on the peer). */
PLUGLET pl_u64
pm_parse(const unsigned char* buf, pl_u64 left)
{
    return left < PM_FRAME_SIZE ? 0 : PM_FRAME_SIZE;
}

/* External: reads connection slot i. */
PLUGLET pl_u64
pm_get(pl_u64 i)
{
    return pl_get_meta(META_CONN, i);
}

/* External: META_PACKET outside any packet (a fault). */
PLUGLET pl_u64
pm_no_packet(void)
{
    return pl_get_meta(META_PACKET, 0);
}

/* --- reservations: 0x1f4 congestion-controlled, 0x1f5 not --- */

#define RES_FRAME_SIZE 10

/* External: reserve a frame of type 0x1f4 + cc ? 0 : 1. */
PLUGLET pl_u64
res_reserve(pl_u64 cc)
{
    return pl_reserve_frame(cc ? 0x1f4 : 0x1f5, RES_FRAME_SIZE, cc);
}

/* write_frame[0x1f4 / 0x1f5]: type, then bytes in flight and cwnd (32 bits each, network
 * order) as the core saw them when it wrote the frame. */
PLUGLET pl_u64
res_write(unsigned char* buf, pl_u64 size)
{
    if (size < RES_FRAME_SIZE)
    {
        return 0;
    }
    pl_u64 type = pl_get_param();
    pl_u64 inflight = pl_get_conn(CONN_BYTES_IN_FLIGHT);
    pl_u64 cwnd = pl_get_conn(CONN_CWND);
    buf[0] = 0x40 | (unsigned char)(type >> 8);
    buf[1] = (unsigned char)(type & 0xff);
    for (int b = 0; b < 4; b++)
    {
        buf[2 + b] = (unsigned char)(inflight >> (24 - 8 * b));
        buf[6 + b] = (unsigned char)(cwnd >> (24 - 8 * b));
    }
    return RES_FRAME_SIZE;
}

/* parse_frame[0x1f4 / 0x1f5] (on the peer). */
PLUGLET pl_u64
res_parse(const unsigned char* buf, pl_u64 left)
{
    return left < RES_FRAME_SIZE ? 0 : RES_FRAME_SIZE;
}

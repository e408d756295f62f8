/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Pluglets of the quic-plugins test suite: anchors, plugin-defined operations, external
 * calls, timers, messages, and hostile ones (one per fault kind).
 */

#include "quic-pluglet-api.h"

/* --- anchors: pre, replace, post on a plugin-defined operation; order kept in META 0 --- */

static void
mark(pl_u64 digit)
{
    pl_set_meta(META_CONN, 0, pl_get_meta(META_CONN, 0) * 10 + digit);
}

PLUGLET pl_u64
anchor_pre(pl_u64 x)
{
    mark(1);
    return 0;
}

PLUGLET pl_u64
anchor_replace(pl_u64 x)
{
    mark(2);
    pl_set_output(0, x * 3);
    return x + 100;
}

PLUGLET pl_u64
anchor_post(pl_u64 x)
{
    mark(3);
    /* the post pluglet sees the operation's return value and outputs */
    pl_set_meta(META_CONN, 1, pl_get_return() * 1000 + pl_get_output(0));
    return 0;
}

/* External: runs the plugin-defined operation and returns what it returned. */
PLUGLET pl_u64
anchor_drive(pl_u64 x)
{
    pl_set_meta(META_CONN, 0, 0);
    return pl_run_protoop(pl_protoop_id("test_anchor_op"), ~0ULL, x, 0, 0);
}

/* External: reads metadata slot i. */
PLUGLET pl_u64
read_meta(pl_u64 i)
{
    return pl_get_meta(META_CONN, i);
}

/* --- a pre pluglet trying to change the connection (helper misuse) --- */
PLUGLET pl_u64
pre_writes(pl_u64 pn, pl_u64 size, pl_u64 space)
{
    pl_set_conn(CONN_CWND, 100000);
    return 0;
}

/* --- heap: malloc/realloc/calloc/free and a copy, checked from the application --- */
PLUGLET pl_u64
heap_exercise(pl_u64 n)
{
    pl_u64* a = pl_calloc(n, 8);
    if (a == 0)
    {
        return 1;
    }
    for (pl_u64 i = 0; i < n && i < 64; i++)
    {
        if (a[i] != 0)
        {
            return 2;
        }
        a[i] = i * i;
    }
    pl_u64* b = pl_realloc(a, n * 16);
    if (b == 0)
    {
        return 3;
    }
    pl_u64 sum = 0;
    for (pl_u64 i = 0; i < n && i < 64; i++)
    {
        sum += b[i];
    }
    pl_u64 copy[4];
    pl_memcpy(copy, b, sizeof(copy));
    pl_free(b);
    return sum * 10 + copy[3] - 9; /* copy[3] = 9 */
}

/* --- timers: start() arms a 10 ms timer that re-arms itself three times --- */
PLUGLET pl_u64
timer_start(pl_u64 delay_ns)
{
    pl_set_meta(META_CONN, 2, delay_ns);
    return pl_set_timer(delay_ns, pl_protoop_id("test_timer_tick"), 1);
}

PLUGLET pl_u64
timer_tick(pl_u64 n)
{
    pl_set_meta(META_CONN, 3 + n, pl_now()); /* slots 4, 5, 6: expiry times */
    if (n < 3)
    {
        pl_set_timer(pl_get_meta(META_CONN, 2), pl_protoop_id("test_timer_tick"), n + 1);
    }
    return 0;
}

/* --- messages to the application --- */
PLUGLET pl_u64
say_hello(void)
{
    static const char hello[] = "hello from a plugin";
    return pl_send_to_app(hello, sizeof(hello) - 1);
}

/* --- hostile pluglets, one per fault kind --- */

/* Out-of-bounds read: an address in no region. */
PLUGLET pl_u64
hostile_oob(pl_u64 pn, pl_u64 size, pl_u64 space)
{
    if (pn < 20)
    {
        return 0;
    }
    volatile pl_u64* p = (volatile pl_u64*)0x0000000f00000010ULL;
    return *p;
}

/* Instruction budget: a loop that never ends. */
PLUGLET pl_u64
hostile_loop(pl_u64 pn, pl_u64 size, pl_u64 space)
{
    if (pn < 20)
    {
        return 0;
    }
    volatile pl_u64 i = 0;
    for (;;)
    {
        i = i + 1;
    }
    return i;
}

/* Bad helper argument: a handle that was never given. */
PLUGLET pl_u64
hostile_handle(pl_u64 pn, pl_u64 size, pl_u64 space)
{
    if (pn < 20)
    {
        return 0;
    }
    return pl_get_frame(0x300000007ULL, FRAME_TYPE);
}

/* Helper misuse: freeing what was never allocated. */
PLUGLET pl_u64
hostile_free(pl_u64 pn, pl_u64 size, pl_u64 space)
{
    if (pn < 20)
    {
        return 0;
    }
    pl_free((void*)0x500000123ULL);
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * retransmission-timer: replaces compute_pto (RFC 9002 §6.2.1) with a more aggressive
 * timer, PTO = smoothed_rtt + 2 * rttvar (no max_ack_delay, no 4x variance), at least
 * 10 ms, still doubled per consecutive PTO (the core's backoff is folded into in[1],
 * so it is applied here again from pto_count). Before any RTT sample the core's value
 * is kept.
 */

#include "quic-pluglet-api.h"

#define MIN_PTO_NS 10000000ULL

PLUGLET pl_u64
compute_pto(pl_u64 space, pl_u64 rfc_duration)
{
    pl_u64 srtt = pl_get_conn(CONN_SRTT);
    pl_u64 latest = pl_get_conn(CONN_LATEST_RTT);
    if (latest == 0)
    {
        return rfc_duration;
    }
    pl_u64 pto = srtt + 2 * pl_get_conn(CONN_RTTVAR);
    if (pto < MIN_PTO_NS)
    {
        pto = MIN_PTO_NS;
    }
    pl_u64 backoff = pl_get_conn(CONN_PTO_COUNT);
    if (backoff > 16)
    {
        backoff = 16;
    }
    pto <<= backoff;
    return pto < rfc_duration ? pto : rfc_duration;
}

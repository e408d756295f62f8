/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ack-frequency: the receiver acknowledges every N-th ack-eliciting packet instead of
 * every second one (RFC 9000 §13.2.2), still within max_ack_delay and still at once on
 * reordering or gaps — the receiver side of the QUIC ACK-frequency extension
 * (draft-ietf-quic-ack-frequency), which cuts ACK traffic (and the receiver's
 * packet-processing cost) in bulk transfers. It replaces ack_eliciting_threshold, an
 * operation the core calls only when a plugin defines it. N is 10 unless the application
 * sets it with CallPlugin("ack_frequency_set", {n}); Initial and Handshake packets keep the
 * core's threshold.
 */

#include "quic-pluglet-api.h"

#define DEFAULT_THRESHOLD 10
#define SPACE_APPLICATION 2

PLUGLET pl_u64
ack_threshold(pl_u64 space)
{
    if (space != SPACE_APPLICATION)
    {
        return 2;
    }
    pl_u64 n = pl_get_meta(META_CONN, 0);
    return n != 0 ? n : DEFAULT_THRESHOLD;
}

PLUGLET pl_u64
ack_frequency_set(pl_u64 n)
{
    pl_set_meta(META_CONN, 0, n);
    return n;
}

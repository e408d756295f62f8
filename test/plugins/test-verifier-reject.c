/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Writes the frame pointer r10, which the verifier refuses.
 */

#include "quic-pluglet-api.h"

PLUGLET pl_u64
writes_r10(pl_u64 x)
{
    asm volatile("r10 = 0" ::: "memory");
    return x;
}

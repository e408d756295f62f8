/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Calls a helper the host does not have: the object must be refused at load time.
 */

#include "quic-pluglet-api.h"

extern pl_u64 pl_no_such_helper(pl_u64 x);

PLUGLET pl_u64
uses_missing(pl_u64 x)
{
    return pl_no_such_helper(x);
}

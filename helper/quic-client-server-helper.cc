/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicClient and QuicServer, in the style of ns-3's UdpClientHelper.
 */

#include "quic-client-server-helper.h"

namespace ns3
{

// Instantiated here, in the library, so that every member of the helpers compiles with
// the module (not first in a user's script).
template class QuicApplicationHelper<QuicServer>;
template class QuicServerAppHelper<QuicServer>;
template class QuicApplicationHelper<QuicClient>;
template class QuicClientAppHelper<QuicClient>;

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicEchoClient and QuicEchoServer, in the style of ns-3's UdpEchoHelper.
 */

#include "quic-echo-helper.h"

namespace ns3
{

// Instantiated here, in the library, so that every member of the helpers compiles with
// the module (not first in a user's script).
template class QuicApplicationHelper<QuicEchoServer>;
template class QuicServerAppHelper<QuicEchoServer>;
template class QuicApplicationHelper<QuicEchoClient>;
template class QuicClientAppHelper<QuicEchoClient>;

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicEchoClient and QuicEchoServer, in the style of ns-3's UdpEchoHelper.
 */

#ifndef QUIC_ECHO_HELPER_H
#define QUIC_ECHO_HELPER_H

#include "ns3/quic-application-helper.h"
#include "ns3/quic-echo-client.h"
#include "ns3/quic-echo-server.h"

namespace ns3
{

/**
 * \ingroup quic
 * \brief Creates QuicEchoServer applications.
 *
 * Constructors: () for the default port, (port), or (local address, port); see
 * QuicServerAppHelper and QuicApplicationHelper for the rest.
 *
 * \code
 *   QuicEchoServerHelper server(9);
 *   ApplicationContainer apps = server.Install(nodes.Get(1));
 * \endcode
 */
class QuicEchoServerHelper : public QuicServerAppHelper<QuicEchoServer>
{
  public:
    using QuicServerAppHelper<QuicEchoServer>::QuicServerAppHelper;
};

/**
 * \ingroup quic
 * \brief Creates QuicEchoClient applications.
 *
 * Constructors: () with no remote yet, (server address, port), or (server socket
 * address); see QuicClientAppHelper and QuicApplicationHelper for the rest.
 *
 * \code
 *   QuicEchoClientHelper client(serverAddress, 9);
 *   client.SetAttribute("MaxPackets", UintegerValue(10));
 *   ApplicationContainer apps = client.Install(nodes.Get(0));
 * \endcode
 */
class QuicEchoClientHelper : public QuicClientAppHelper<QuicEchoClient>
{
  public:
    using QuicClientAppHelper<QuicEchoClient>::QuicClientAppHelper;
};

} // namespace ns3

#endif /* QUIC_ECHO_HELPER_H */

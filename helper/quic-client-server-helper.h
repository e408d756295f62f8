/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Helpers for QuicClient and QuicServer, in the style of ns-3's UdpClientHelper.
 */

#ifndef QUIC_CLIENT_SERVER_HELPER_H
#define QUIC_CLIENT_SERVER_HELPER_H

#include "ns3/quic-application-helper.h"
#include "ns3/quic-client.h"
#include "ns3/quic-server.h"

namespace ns3
{

/**
 * \ingroup quic
 * \brief Creates QuicServer applications.
 *
 * Constructors: () for the default port, (port), or (local address, port); see
 * QuicServerAppHelper and QuicApplicationHelper for the rest.
 *
 * \code
 *   QuicServerHelper server(4433);
 *   ApplicationContainer apps = server.Install(nodes.Get(1));
 * \endcode
 */
class QuicServerHelper : public QuicServerAppHelper<QuicServer>
{
  public:
    using QuicServerAppHelper<QuicServer>::QuicServerAppHelper;
};

/**
 * \ingroup quic
 * \brief Creates QuicClient applications.
 *
 * Constructors: () with no remote yet, (server address, port), or (server socket
 * address); see QuicClientAppHelper and QuicApplicationHelper for the rest.
 *
 * \code
 *   QuicClientHelper client(serverAddress, 4433);
 *   client.SetAttribute("NumStreams", UintegerValue(4));
 *   ApplicationContainer apps = client.Install(nodes.Get(0));
 * \endcode
 */
class QuicClientHelper : public QuicClientAppHelper<QuicClient>
{
  public:
    using QuicClientAppHelper<QuicClient>::QuicClientAppHelper;
};

} // namespace ns3

#endif /* QUIC_CLIENT_SERVER_HELPER_H */

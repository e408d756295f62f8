/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_HELPER_H
#define QUIC_HELPER_H

#include "ns3/internet-stack-helper.h"
#include "ns3/node-container.h"

namespace ns3
{

/**
 * \ingroup quic
 * Installs QUIC on nodes: the Internet stack (if the node has none yet), then a
 * QuicL4Protocol and a QuicSocketFactory aggregated to each node.
 *
 * \code
 *   QuicHelper stack;
 *   stack.InstallQuic(nodes);                       // IPv4/IPv6 + UDP + QUIC
 *   Config::SetDefault("ns3::QuicL4Protocol::SocketType",
 *                      TypeIdValue(TcpCubic::GetTypeId())); // any congestion control
 * \endcode
 */
class QuicHelper : public InternetStackHelper
{
  public:
    QuicHelper();

    /**
     * Installs the Internet stack where missing, then QUIC.
     * \param c the nodes
     */
    void InstallQuic(NodeContainer c);

    /**
     * \param node a node
     */
    void InstallQuic(Ptr<Node> node);

    /**
     * Assigns fixed random-variable streams to QUIC on these nodes (connection IDs), on
     * top of what InternetStackHelper::AssignStreams assigns.
     * \param c the nodes
     * \param stream the first stream index
     * \return the number of streams assigned
     */
    int64_t AssignQuicStreams(NodeContainer c, int64_t stream);
};

} // namespace ns3

#endif /* QUIC_HELPER_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_SOCKET_FACTORY_H
#define QUIC_SOCKET_FACTORY_H

#include "ns3/socket-factory.h"

namespace ns3
{

class QuicL4Protocol;

/**
 * \ingroup quic
 * Creates QUIC sockets: aggregated to a node by QuicHelper, so that
 * Socket::CreateSocket(node, QuicSocketFactory::GetTypeId()) and applications given
 * "ns3::QuicSocketFactory" (BulkSend, PacketSink, OnOff) open QUIC connections.
 */
class QuicSocketFactory : public SocketFactory
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicSocketFactory();
    ~QuicSocketFactory() override;

    /**
     * \param quic the node's QUIC protocol
     */
    void SetQuicL4(Ptr<QuicL4Protocol> quic);

    Ptr<Socket> CreateSocket() override;

  protected:
    void DoDispose() override;

  private:
    Ptr<QuicL4Protocol> m_quic; //!< the node's QUIC protocol
};

} // namespace ns3

#endif /* QUIC_SOCKET_FACTORY_H */

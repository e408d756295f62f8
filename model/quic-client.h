/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A constant-rate QUIC client spreading its packets over several streams.
 */

#ifndef QUIC_CLIENT_H
#define QUIC_CLIENT_H

#include "quic-client-base.h"

namespace ns3
{

/**
 * \ingroup quic
 * \brief Sends MaxPackets packets of PacketSize bytes every Interval to a QuicServer, over
 * one QUIC connection, round-robin over NumStreams client-initiated bidirectional
 * streams (ids 0, 4, 8, …; RFC 9000 §2.1), as the WNS3 2019 ns-3 QUIC module's client.
 *
 * Each packet starts with a SeqTsSizeHeader (a SeqTsHeader with the packet's size), so
 * the server can cut the byte stream of each stream back into packets and compute their
 * one-way delay. The timestamp is the time the packet was generated: time spent waiting
 * for the socket counts in the delay.
 *
 * The first packet is generated when the application starts, before the handshake
 * completes; the socket sends it as soon as the connection allows. A packet the socket
 * refuses waits (QuicClientBase): nothing is dropped. StopApplication closes the
 * connection (gracefully: see QuicSocketBase's FlushOnClose). Bytes the server sends
 * are read, traced ("Rx") and discarded.
 */
class QuicClient : public QuicClientBase
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicClient();
    ~QuicClient() override;

  private:
    Ptr<Packet> GeneratePacket(uint32_t seq, uint64_t streamId) override;
    void ReceiveBytes(Ptr<Packet> packet, uint64_t streamId) override;

    TracedCallback<Ptr<const Packet>> m_rxTrace; //!< Rx
};

} // namespace ns3

#endif /* QUIC_CLIENT_H */

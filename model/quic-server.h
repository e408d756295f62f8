/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC server counting what QuicClients send it, per stream, with one-way delays.
 */

#ifndef QUIC_SERVER_H
#define QUIC_SERVER_H

#include "quic-server-base.h"

#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <map>

namespace ns3
{

class SeqTsSizeHeader;

/**
 * \ingroup quic
 * \brief Accepts QUIC connections on Port, reads every stream of every connection, and
 * counts the packets (as a QuicClient sent them) and bytes received per stream.
 *
 * QUIC delivers each stream as a byte stream: the server keeps a buffer per connection
 * and stream and cuts it back into packets with the SeqTsSizeHeader each starts with
 * (the header's size field gives the packet's length), then traces the packet and its
 * one-way delay (now minus the header's timestamp).
 *
 * Bytes that do not parse (a size field smaller than the header itself) are counted in
 * GetFramingErrors() and the rest of that stream is only counted in bytes, never
 * trusted.
 *
 * Counts per stream add up over every connection the server accepted. Listening and
 * the connections' life cycle are QuicServerBase's.
 */
class QuicServer : public QuicServerBase
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicServer();
    ~QuicServer() override;

    /**
     * TracedCallback signature for the one-way delay of a packet.
     * \param delay now minus the packet's timestamp
     * \param streamId the stream the packet came on
     */
    typedef void (*DelayTracedCallback)(Time delay, uint64_t streamId);

    /// \return packets (whole SeqTsSizeHeader records) received over all streams
    uint64_t GetReceived() const;

    /// \return packets received per stream id
    std::map<uint64_t, uint64_t> GetReceivedPerStream() const;

    /// \return byte runs that did not parse as packets (should be 0)
    uint64_t GetFramingErrors() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * Data is ready on a connection: cut it into packets, per stream.
     * \param socket its socket
     */
    void HandleRead(Ptr<Socket> socket) override;

    /**
     * A connection closed: reads what is still waiting, logs incomplete packets.
     * \param socket its socket
     * \param conn its state
     */
    void ConnectionClosing(Ptr<Socket> socket, Connection& conn) override;

    /// The reassembly state of one stream of one connection.
    struct StreamState
    {
        Ptr<Packet> buffer;  //!< bytes not yet forming a whole packet
        bool corrupt{false}; //!< the stream stopped parsing: bytes are only counted
    };

    /**
     * Cuts whole packets off a stream's buffer.
     * \param conn the connection
     * \param streamId the stream
     * \param state its state
     */
    void Parse(Connection& conn, uint64_t streamId, StreamState& state);

    // State.
    /// reassembly per connection and stream
    std::map<Ptr<Socket>, std::map<uint64_t, StreamState>> m_streams;
    uint64_t m_received{0};                   //!< packets
    std::map<uint64_t, uint64_t> m_perStream; //!< packets per stream
    uint64_t m_framingErrors{0};              //!< unparsable byte runs

    // Traces.
    TracedCallback<Ptr<const Packet>, const Address&> m_rxTrace; //!< Rx
    /// RxWithSeqTsSize: packet, from, local, header
    TracedCallback<Ptr<const Packet>, const Address&, const Address&, const SeqTsSizeHeader&>
        m_rxTraceWithSeqTsSize;
    TracedCallback<Time, uint64_t> m_delayTrace; //!< Delay
};

} // namespace ns3

#endif /* QUIC_SERVER_H */

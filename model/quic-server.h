/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC server counting what QuicClients send it, per stream, with one-way delays.
 */

#ifndef QUIC_SERVER_H
#define QUIC_SERVER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <vector>

namespace ns3
{

class Socket;
class QuicAppStreamIo;
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
 * Counts per stream add up over every connection the server accepted.
 */
class QuicServer : public Application
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

    /// \return bytes received over all streams
    uint64_t GetReceivedBytes() const;

    /// \return packets received per stream id
    std::map<uint64_t, uint64_t> GetReceivedPerStream() const;

    /// \return bytes received per stream id
    std::map<uint64_t, uint64_t> GetReceivedBytesPerStream() const;

    /// \return connections accepted
    uint32_t GetConnections() const;

    /// \return byte runs that did not parse as packets (should be 0)
    uint64_t GetFramingErrors() const;

    /// \return the listening socket (nullptr before the application starts)
    Ptr<Socket> GetListeningSocket() const;

    /// \return the accepted connections' sockets
    std::vector<Ptr<Socket>> GetAcceptedSockets() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * A client asks to connect.
     * \param socket the listening socket
     * \param from the client
     * \return true (every client is accepted)
     */
    bool HandleRequest(Ptr<Socket> socket, const Address& from);

    /**
     * A connection was accepted.
     * \param socket its socket
     * \param from the client
     */
    void HandleAccept(Ptr<Socket> socket, const Address& from);

    /**
     * Data is ready on a connection.
     * \param socket its socket
     */
    void HandleRead(Ptr<Socket> socket);

    /**
     * A connection closed.
     * \param socket its socket
     */
    void HandleClose(Ptr<Socket> socket);

    /// The reassembly state of one stream of one connection.
    struct StreamState
    {
        Ptr<Packet> buffer;  //!< bytes not yet forming a whole packet
        bool corrupt{false}; //!< the stream stopped parsing: bytes are only counted
    };

    /// One accepted connection.
    struct Connection
    {
        std::unique_ptr<QuicAppStreamIo> io;     //!< stream reads
        Address from;                            //!< the client
        std::map<uint64_t, StreamState> streams; //!< reassembly per stream
        bool closed{false};                      //!< the connection closed
    };

    /**
     * Cuts whole packets off a stream's buffer.
     * \param conn the connection
     * \param streamId the stream
     * \param state its state
     */
    void Parse(Connection& conn, uint64_t streamId, StreamState& state);

    // Attributes.
    uint16_t m_port; //!< Port
    Address m_local; //!< Local

    // State.
    Ptr<Socket> m_socket;                          //!< listening socket
    std::map<Ptr<Socket>, Connection> m_conns;     //!< accepted connections
    uint64_t m_received{0};                        //!< packets
    uint64_t m_receivedBytes{0};                   //!< bytes
    std::map<uint64_t, uint64_t> m_perStream;      //!< packets per stream
    std::map<uint64_t, uint64_t> m_perStreamBytes; //!< bytes per stream
    uint64_t m_framingErrors{0};                   //!< unparsable byte runs

    // Traces.
    TracedCallback<Ptr<const Packet>, const Address&> m_rxTrace; //!< Rx
    /// RxWithSeqTsSize: packet, from, local, header
    TracedCallback<Ptr<const Packet>, const Address&, const Address&, const SeqTsSizeHeader&>
        m_rxTraceWithSeqTsSize;
    TracedCallback<Time, uint64_t> m_delayTrace; //!< Delay
};

} // namespace ns3

#endif /* QUIC_SERVER_H */

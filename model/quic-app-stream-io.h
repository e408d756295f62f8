/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Stream-aware reading and lossless writing for the QUIC applications.
 */

#ifndef QUIC_APP_STREAM_IO_H
#define QUIC_APP_STREAM_IO_H

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <deque>
#include <limits>
#include <set>
#include <string>

namespace ns3
{

class Node;
class QuicSocketBase;

/**
 * \ingroup quic
 * \brief What the QUIC applications (QuicClient, QuicServer, QuicEchoClient,
 * QuicEchoServer) need from a connection beyond ns-3's Socket API: reading data
 * together with the stream it belongs to, and writing without ever losing bytes.
 *
 * Reading: QuicSocketBase::Recv never mixes bytes of two streams in one call but does
 * not say which stream they came from; QuicSocketBase::RecvFromStream does. This class
 * remembers every stream id the connection has delivered data for (the socket's
 * "StreamRx" trace and QuicL5Protocol::GetStreams) and asks RecvFromStream for each,
 * last served first, so it works whether the socket serves streams strictly in arrival
 * order or lets any stream be read at any time. A stream already forgotten by the
 * stream layer is still known here.
 *
 * Writing: the socket refuses a Send when its buffers are full (ERROR_MSGSIZE) or
 * before the peer allows the stream (ERROR_AGAIN). Data then waits here, in order, and
 * Flush() (called by the application from its send and connect callbacks) hands it over
 * when the socket takes it again. Nothing is ever dropped.
 *
 * Not an ns-3 Object: each application owns one per connection in a std::unique_ptr.
 */
class QuicAppStreamIo
{
  public:
    /// Stream id reported for bytes whose stream could not be determined.
    static constexpr uint64_t kUnknownStream = std::numeric_limits<uint64_t>::max();

    /**
     * Called once a whole queued packet has been accepted by the socket: the packet as
     * given to Send, and its stream.
     */
    typedef Callback<void, Ptr<const Packet>, uint64_t> SentCallback;

    /**
     * \brief Wraps a connection.
     * \param socket the connection (must stay valid while this object lives)
     */
    explicit QuicAppStreamIo(Ptr<QuicSocketBase> socket);

    /// Disconnects from the socket's traces.
    ~QuicAppStreamIo();

    QuicAppStreamIo(const QuicAppStreamIo&) = delete;
    QuicAppStreamIo& operator=(const QuicAppStreamIo&) = delete;

    /**
     * \brief Combines an address attribute and a port attribute as ns-3's UDP
     * applications do.
     * \param address an Ipv4Address or Ipv6Address (then port is used), or an
     *        InetSocketAddress or Inet6SocketAddress (used as it is)
     * \param port the port
     * \param who the application and attribute, named in the error for another type
     * \return the socket address
     */
    static Address MakeSocketAddress(const Address& address, uint16_t port, const std::string& who);

    /**
     * \brief Creates a QUIC socket (ns3::QuicSocketFactory) on a node, bound to the any
     * address of the family of the peer it will connect to.
     * \param node the node (QuicHelper::InstallQuic must have run on it)
     * \param remote the peer's socket address
     * \param who the application, named in errors
     * \return the socket, not yet connected
     */
    static Ptr<QuicSocketBase> CreateBoundSocket(Ptr<Node> node,
                                                 const Address& remote,
                                                 const std::string& who);

    /// \return the connection
    Ptr<QuicSocketBase> GetSocket() const;

    /**
     * \brief Sets what is called when a queued packet has been fully accepted.
     * \param cb the callback
     */
    void SetSentCallback(SentCallback cb);

    /**
     * \brief Takes the next in-order bytes of some stream.
     * \param maxSize most bytes wanted
     * \param [out] streamId the stream they belong to (kUnknownStream if the socket
     *        delivered bytes this class could not attribute; see GetUnattributedBytes)
     * \return the bytes, or nullptr if none are ready
     */
    Ptr<Packet> Receive(uint32_t maxSize, uint64_t& streamId);

    /**
     * \brief Queues data on a stream and hands to the socket as much of the queue as it
     * takes now.
     * \param data the bytes
     * \param streamId the stream (a bidirectional stream of either side, or one of our
     *        unidirectional streams)
     * \return true if everything queued so far has been accepted by the socket
     */
    bool Send(Ptr<Packet> data, uint64_t streamId);

    /**
     * \brief Hands queued data to the socket, in order, until it refuses.
     * \return bytes accepted by the socket in this call
     */
    uint64_t Flush();

    /// \return true if data is waiting for the socket
    bool HasBacklog() const;

    /// \return bytes waiting for the socket
    uint64_t GetBacklogBytes() const;

    /// \return the error of the last refused Send (ERROR_NOTERROR if none)
    Socket::SocketErrno GetLastError() const;

    /// \return how many times the socket refused data (each then waited here)
    uint64_t GetRefusals() const;

    /// \return bytes read whose stream could not be determined (should stay 0)
    uint64_t GetUnattributedBytes() const;

  private:
    /**
     * The socket's "StreamRx" trace: in-order bytes of a stream reached the socket.
     * \param streamId the stream
     * \param bytes how many
     */
    void OnStreamRx(uint64_t streamId, uint64_t bytes);

    /// A packet waiting for the socket.
    struct Pending
    {
        Ptr<Packet> packet; //!< as given to Send
        uint64_t streamId;  //!< its stream
        uint32_t offset;    //!< bytes of it already accepted
    };

    Ptr<QuicSocketBase> m_socket;                            //!< the connection
    bool m_traceConnected{false};                            //!< connected to "StreamRx"
    std::set<uint64_t> m_knownStreams;                       //!< streams that delivered data
    uint64_t m_lastStream{kUnknownStream};                   //!< stream read last
    std::deque<Pending> m_backlog;                           //!< data waiting for the socket
    uint64_t m_backlogBytes{0};                              //!< bytes in m_backlog
    Socket::SocketErrno m_lastError{Socket::ERROR_NOTERROR}; //!< last refusal
    uint64_t m_refusals{0};                                  //!< refused Sends
    uint64_t m_unattributed{0};                              //!< bytes of unknown stream
    SentCallback m_sentCallback;                             //!< whole packet accepted
    bool m_flushing{false};                                  //!< inside Flush
};

} // namespace ns3

#endif /* QUIC_APP_STREAM_IO_H */

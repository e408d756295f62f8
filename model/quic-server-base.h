/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What QuicServer and QuicEchoServer share: a listening socket, the accepted
 * connections, and their life cycle.
 */

#ifndef QUIC_SERVER_BASE_H
#define QUIC_SERVER_BASE_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/log.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class Socket;
class QuicAppStreamIo;

/**
 * \ingroup quic
 * \brief Base of the QUIC server applications (QuicServer, QuicEchoServer): listens on
 * Local/Port when the application starts, accepts every client, keeps one
 * QuicAppStreamIo per accepted connection (so each read says which stream it came
 * from), and closes every connection and the listening socket when it stops.
 *
 * A subclass says what to do with the bytes of a connection (HandleRead, called when
 * the connection is accepted, then whenever data is ready) and may add callbacks to a
 * new connection (SetUpConnection) or drain it when it closes (ConnectionClosing).
 *
 * The Port and Local attributes are declared on each subclass's own TypeId
 * (MakeServerTypeId), so that Config::SetDefault("ns3::QuicServer::Port", …) and each
 * subclass's default port keep working as they did. Log lines go to the subclass's log
 * component.
 */
class QuicServerBase : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ~QuicServerBase() override;

    /// \return bytes received over all connections and streams
    uint64_t GetReceivedBytes() const;

    /// \return bytes received per stream id, over all connections
    std::map<uint64_t, uint64_t> GetReceivedBytesPerStream() const;

    /// \return connections accepted
    uint32_t GetConnections() const;

    /**
     * \return how many times a socket refused bytes the server wrote (its buffers full),
     *         over all connections; each time the server waited
     */
    uint64_t GetSocketRefusals() const;

    /// \return the listening socket (nullptr before the application starts)
    Ptr<Socket> GetListeningSocket() const;

    /// \return the accepted connections' sockets
    std::vector<Ptr<Socket>> GetAcceptedSockets() const;

  protected:
    /// One accepted connection.
    struct Connection
    {
        std::unique_ptr<QuicAppStreamIo> io; //!< stream reads and lossless writes
        Address from;                        //!< the client
        bool closed{false};                  //!< the connection closed
    };

    /**
     * Registers a server application's TypeId: parent QuicServerBase, group
     * Applications, a constructor, the attributes Port and Local. The subclass adds its
     * own trace sources to the result.
     * \tparam T the subclass
     * \param name its TypeId name (e.g. "ns3::QuicServer")
     * \param defaultPort Port's default
     * \return the TypeId
     */
    template <class T>
    static TypeId MakeServerTypeId(const std::string& name, uint16_t defaultPort)
    {
        return AddServerAttributes(TypeId(name)
                                       .SetParent<QuicServerBase>()
                                       .SetGroupName("Applications")
                                       .AddConstructor<T>(),
                                   defaultPort);
    }

    /**
     * \param appName the subclass's name, also the name of its log component (used in
     *        log lines and error messages)
     * \param defaultPort Port's default (the constructor's initial value)
     */
    QuicServerBase(const std::string& appName, uint16_t defaultPort);

    void DoDispose() override;

    /**
     * \param socket an accepted connection's socket
     * \return its state, or nullptr if it is not one of this server's connections
     */
    Connection* FindConnection(Ptr<Socket> socket);

    /**
     * Counts bytes read from a connection.
     * \param streamId their stream
     * \param bytes how many
     */
    void CountReceivedBytes(uint64_t streamId, uint64_t bytes);

    /**
     * Data is ready on a connection (also called once when it is accepted, for anything
     * that arrived with the handshake, and, with no data, for a socket that is not one of
     * this server's connections).
     * \param socket its socket
     */
    virtual void HandleRead(Ptr<Socket> socket) = 0;

    /**
     * A connection was just accepted: its state is set up, its read and close callbacks
     * are set; nothing was read yet.
     * \param socket its socket
     * \param conn its state
     */
    virtual void SetUpConnection(Ptr<Socket> socket, Connection& conn);

    /**
     * A connection closed (it is not yet marked closed).
     * \param socket its socket
     * \param conn its state
     */
    virtual void ConnectionClosing(Ptr<Socket> socket, Connection& conn);

    NS_LOG_TEMPLATE_DECLARE; //!< the subclass's log component

    const std::string m_appName; //!< the subclass's name

    // Attributes.
    uint16_t m_port; //!< Port
    Address m_local; //!< Local

    // State.
    Ptr<Socket> m_socket;                      //!< listening socket
    std::map<Ptr<Socket>, Connection> m_conns; //!< accepted connections

  private:
    /**
     * Adds Port and Local to a subclass's TypeId.
     * \param tid the subclass's TypeId
     * \param defaultPort Port's default
     * \return tid
     */
    static TypeId AddServerAttributes(TypeId tid, uint16_t defaultPort);

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
     * A connection closed.
     * \param socket its socket
     */
    void HandleClose(Ptr<Socket> socket);

    uint64_t m_rxBytes{0};                         //!< bytes received
    std::map<uint64_t, uint64_t> m_perStreamBytes; //!< bytes received per stream
};

} // namespace ns3

#endif /* QUIC_SERVER_BASE_H */

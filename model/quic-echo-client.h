/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo client: sends patterned packets, checks what comes back, measures RTTs.
 */

#ifndef QUIC_ECHO_CLIENT_H
#define QUIC_ECHO_CLIENT_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

class Packet;
class Socket;
class QuicAppStreamIo;

/**
 * \ingroup quic
 * \brief Sends MaxPackets packets of PacketSize bytes every Interval to a QuicEchoServer
 * (round-robin over NumStreams client-initiated bidirectional streams 0, 4, 8, …) and
 * checks the echo of each.
 *
 * Every packet is filled with a pattern derived from its sequence number and the byte's
 * position (GetPatternByte), so a corrupted, reordered, duplicated or misplaced byte in
 * the echo counts as a mismatch. The client remembers, per stream, the packets still
 * owed to it; when a whole packet's worth of bytes has come back on that stream it
 * compares them and fires "Rtt" with the time since the packet was generated (the first
 * packet is generated when the application starts, so its RTT includes the handshake).
 *
 * As QuicClient, it never drops a packet the socket refuses: it waits for the socket's
 * send or connect callback.
 */
class QuicEchoClient : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicEchoClient();
    ~QuicEchoClient() override;

    /**
     * TracedCallback signature for a round-trip time.
     * \param rtt time from the packet's generation to the end of its echo
     */
    typedef void (*RttTracedCallback)(Time rtt);

    /**
     * \brief Sets the remote address and port.
     * \param ip the server's address (Ipv4Address or Ipv6Address)
     * \param port the server's port
     */
    void SetRemote(Address ip, uint16_t port);

    /**
     * \brief Sets the remote address.
     * \param addr the server's address, with its port
     */
    void SetRemote(Address addr);

    /**
     * \brief The content of byte \p index of packet \p seq.
     * \param seq the packet's sequence number
     * \param index the byte's position in the packet
     * \return the byte
     */
    static uint8_t GetPatternByte(uint32_t seq, uint32_t index);

    /// \return packets generated so far
    uint64_t GetSent() const;

    /// \return packets accepted by the socket so far
    uint64_t GetTransmitted() const;

    /// \return packets whose echo came back complete (matching or not)
    uint64_t GetEchoed() const;

    /// \return echoed packets whose content differed from what was sent
    uint64_t GetMismatches() const;

    /// \return bytes received beyond what was sent on their stream (should be 0)
    uint64_t GetUnexpectedBytes() const;

    /// \return bytes received in total
    uint64_t GetReceivedBytes() const;

    /// \return the RTTs measured, in packet completion order
    const std::vector<Time>& GetRtts() const;

    /// \return the RTT of packet 0 (handshake included), or -1 s if not echoed yet
    Time GetFirstRtt() const;

    /**
     * \return how many times the socket refused a packet (ERROR_MSGSIZE when its buffers
     *         are full, ERROR_AGAIN before the stream is allowed); each refused packet
     *         waited and was handed over later
     */
    uint64_t GetSocketRefusals() const;

    /// \return the QUIC socket (nullptr before the application starts)
    Ptr<Socket> GetSocket() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// Generates one packet and schedules the next.
    void Send();

    /**
     * A queued packet was accepted by the socket.
     * \param packet the packet
     * \param streamId its stream
     */
    void PacketSent(Ptr<const Packet> packet, uint64_t streamId);

    /**
     * Echoed bytes are ready.
     * \param socket the socket
     */
    void HandleRead(Ptr<Socket> socket);

    /**
     * The socket has room again.
     * \param socket the socket
     * \param available bytes available
     */
    void HandleSendSpace(Ptr<Socket> socket, uint32_t available);

    /**
     * The handshake completed.
     * \param socket the socket
     */
    void ConnectionSucceeded(Ptr<Socket> socket);

    /**
     * The handshake failed.
     * \param socket the socket
     */
    void ConnectionFailed(Ptr<Socket> socket);

    /**
     * The connection closed.
     * \param socket the socket
     */
    void HandleClose(Ptr<Socket> socket);

    /// A packet whose echo is still owed.
    struct Outstanding
    {
        uint32_t seq;   //!< sequence number
        uint32_t size;  //!< bytes
        Time generated; //!< when it was generated
    };

    /// Per-stream state of the echo check.
    struct StreamState
    {
        std::deque<Outstanding> owed; //!< packets sent, echo not complete, in order
        std::vector<uint8_t> rx;      //!< echoed bytes not yet checked
    };

    /**
     * Checks every whole packet echoed on a stream.
     * \param streamId the stream
     * \param state its state
     */
    void CheckEchoes(uint64_t streamId, StreamState& state);

    // Attributes.
    uint32_t m_count;      //!< MaxPackets (0: until stopped)
    Time m_interval;       //!< Interval
    uint32_t m_size;       //!< PacketSize
    uint32_t m_numStreams; //!< NumStreams
    Address m_peerAddress; //!< RemoteAddress
    uint16_t m_peerPort;   //!< RemotePort

    // State.
    Ptr<Socket> m_socket;                      //!< the connection
    std::unique_ptr<QuicAppStreamIo> m_io;     //!< stream reads and lossless writes
    Address m_peer;                            //!< peer socket address
    EventId m_sendEvent;                       //!< next packet
    std::map<uint64_t, StreamState> m_streams; //!< echo check per stream
    uint64_t m_sent{0};                        //!< packets generated
    uint64_t m_transmitted{0};                 //!< packets accepted by the socket
    uint64_t m_echoed{0};                      //!< packets echoed
    uint64_t m_mismatches{0};                  //!< echoed with other content
    uint64_t m_unexpected{0};                  //!< bytes beyond what was sent
    uint64_t m_rxBytes{0};                     //!< bytes received
    std::vector<Time> m_rtts;                  //!< RTT samples
    Time m_firstRtt{Seconds(-1)};              //!< RTT of packet 0

    // Traces.
    TracedCallback<Ptr<const Packet>> m_txTrace; //!< Tx
    TracedCallback<Ptr<const Packet>> m_rxTrace; //!< Rx (a whole echoed packet)
    /// TxWithAddresses: packet, local, remote
    TracedCallback<Ptr<const Packet>, const Address&, const Address&> m_txTraceWithAddresses;
    /// RxWithAddresses: packet, remote, local
    TracedCallback<Ptr<const Packet>, const Address&, const Address&> m_rxTraceWithAddresses;
    TracedCallback<Time> m_rttTrace; //!< Rtt
};

} // namespace ns3

#endif /* QUIC_ECHO_CLIENT_H */

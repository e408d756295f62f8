/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo client: sends patterned packets, checks what comes back, measures RTTs.
 */

#ifndef QUIC_ECHO_CLIENT_H
#define QUIC_ECHO_CLIENT_H

#include "quic-client-base.h"

#include <deque>
#include <map>
#include <vector>

namespace ns3
{

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
 * send or connect callback (QuicClientBase).
 */
class QuicEchoClient : public QuicClientBase
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
     * \brief The content of byte \p index of packet \p seq.
     * \param seq the packet's sequence number
     * \param index the byte's position in the packet
     * \return the byte
     */
    static uint8_t GetPatternByte(uint32_t seq, uint32_t index);

    /// \return packets whose echo came back complete (matching or not)
    uint64_t GetEchoed() const;

    /// \return echoed packets whose content differed from what was sent
    uint64_t GetMismatches() const;

    /// \return bytes received beyond what was sent on their stream (should be 0)
    uint64_t GetUnexpectedBytes() const;

    /// \return the RTTs measured, in packet completion order
    const std::vector<Time>& GetRtts() const;

    /// \return the RTT of packet 0 (handshake included), or -1 s if not echoed yet
    Time GetFirstRtt() const;

  private:
    Ptr<Packet> GeneratePacket(uint32_t seq, uint64_t streamId) override;
    void ReceiveBytes(Ptr<Packet> packet, uint64_t streamId) override;

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

    // State.
    std::map<uint64_t, StreamState> m_streams; //!< echo check per stream
    uint64_t m_echoed{0};                      //!< packets echoed
    uint64_t m_mismatches{0};                  //!< echoed with other content
    uint64_t m_unexpected{0};                  //!< bytes beyond what was sent
    std::vector<Time> m_rtts;                  //!< RTT samples
    Time m_firstRtt{Seconds(-1)};              //!< RTT of packet 0

    // Traces.
    TracedCallback<Ptr<const Packet>> m_rxTrace; //!< Rx (a whole echoed packet)
    /// RxWithAddresses: packet, remote, local
    TracedCallback<Ptr<const Packet>, const Address&, const Address&> m_rxTraceWithAddresses;
    TracedCallback<Time> m_rttTrace; //!< Rtt
};

} // namespace ns3

#endif /* QUIC_ECHO_CLIENT_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One QUIC connection.
 */

#ifndef QUIC_SOCKET_BASE_H
#define QUIC_SOCKET_BASE_H

#include "quic-byte-writer.h"
#include "quic-congestion-bridge.h"
#include "quic-connection-id.h"
#include "quic-deadline-timer.h"
#include "quic-ecn.h"
#include "quic-handshake.h"
#include "quic-header.h"
#include "quic-loss-recovery.h"
#include "quic-protoop-table.h"
#include "quic-received-packet-tracker.h"
#include "quic-socket-rx-buffer.h"
#include "quic-socket-state.h"
#include "quic-socket-tx-buffer.h"
#include "quic-socket.h"
#include "quic-stream-rx-buffer.h"
#include "quic-stream-tx-buffer.h"
#include "quic-transport-parameters.h"
#include "quic-udp-port.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/sequence-number.h"
#include "ns3/simulator.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <array>
#include <memory>

namespace ns3
{

class Node;
class QuicL4Protocol;
class QuicL5Protocol;
class QuicPluginSet;
class TcpCongestionOps;

/**
 * \ingroup quic
 * One QUIC connection (RFC 9000), behind ns-3's Socket API.
 *
 * It runs the handshake (QuicHandshake, over CRYPTO frames in Initial and Handshake
 * packets, 0-RTT and version negotiation included), builds packets with the real
 * RFC 9000 encodings, acknowledges what it receives (QuicReceivedPacketTracker), detects
 * losses and probes (QuicLossRecovery), drives its congestion window
 * (QuicCongestionBridge), delegates streams and flow control to QuicL5Protocol, and
 * closes (CONNECTION_CLOSE, closing and draining periods, idle timeout).
 *
 * Its steps are protocol operations (see QuicProtoopTable): plugins and tests can
 * observe or replace them per connection.
 */
class QuicSocketBase : public QuicSocket, public QuicRecoveryListener
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    QuicSocketBase();
    ~QuicSocketBase() override;

    /// \param node the node
    void SetNode(Ptr<Node> node);
    /// \param quic the node's QUIC protocol
    void SetQuicL4(Ptr<QuicL4Protocol> quic);
    /// \param algo the congestion-control algorithm (before Connect or Listen)
    void SetCongestionControlAlgorithm(Ptr<TcpCongestionOps> algo);
    /// \return the congestion-control algorithm
    Ptr<TcpCongestionOps> GetCongestionControlAlgorithm() const;

    // ns3::Socket
    enum SocketErrno GetErrno() const override;
    enum SocketType GetSocketType() const override;
    Ptr<Node> GetNode() const override;
    int Bind() override;
    int Bind6() override;
    int Bind(const Address& address) override;
    int Close() override;
    int ShutdownSend() override;
    int ShutdownRecv() override;
    int Connect(const Address& address) override;
    int Listen() override;
    uint32_t GetTxAvailable() const override;
    int Send(Ptr<Packet> p, uint32_t flags) override;
    int SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress) override;
    uint32_t GetRxAvailable() const override;
    Ptr<Packet> Recv(uint32_t maxSize, uint32_t flags) override;
    Ptr<Packet> RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress) override;
    int GetSockName(Address& address) const override;
    int GetPeerName(Address& address) const override;
    bool SetAllowBroadcast(bool allowBroadcast) override;
    bool GetAllowBroadcast() const override;

    /**
     * Receives from a given stream only.
     * \param streamId the stream
     * \param maxSize most bytes
     * \return data, or nullptr if none is ready on that stream
     */
    Ptr<Packet> RecvFromStream(uint64_t streamId, uint32_t maxSize);

    /**
     * Closes at once with an application error (CONNECTION_CLOSE 0x1d).
     * \param applicationErrorCode the code
     * \param reason the reason phrase
     */
    void CloseWithApplicationError(uint64_t applicationErrorCode, const std::string& reason);

    /// Drops the connection without sending anything (simulation teardown).
    void Abort();

    /// \return the connection state
    State GetState() const;
    /// \return true if this endpoint is the server
    bool IsServer() const;
    /// \return the congestion-control state (cwnd, ssthresh, RTT, …)
    Ptr<QuicSocketState> GetSocketState() const;
    /// \return the stream layer
    Ptr<QuicL5Protocol> GetL5() const;
    /// \return the loss recovery (nullptr before Connect or a fork)
    const QuicLossRecovery* GetLossRecovery() const;
    /// \return this connection's protocol operations
    QuicProtoopTable& GetProtoops();
    /// \return the error code the connection closed with (NO_ERROR if none yet)
    uint64_t GetCloseErrorCode() const;
    /// \return true if the close error code is an application one (0x1d)
    bool IsApplicationClose() const;
    /// \return our transport parameters as sent
    const QuicTransportParameters& GetLocalTransportParameters() const;
    /// \return the peer's transport parameters (meaningful once known)
    const QuicTransportParameters& GetPeerTransportParameters() const;
    /// \return the connection ID the peer addresses us with
    const QuicConnectionId& GetLocalConnectionId() const;
    /// \return true if this connection used 0-RTT
    bool IsZeroRtt() const;

    /// Counters of the connection, for tests and monitoring.
    struct Stats
    {
        uint64_t packetsSent{0};              //!< QUIC packets sent
        uint64_t bytesSent{0};                //!< UDP payload bytes sent
        uint64_t packetsReceived{0};          //!< QUIC packets received and processed
        uint64_t bytesReceived{0};            //!< UDP payload bytes received
        uint64_t packetsDropped{0};           //!< packets discarded undecoded or duplicate
        uint64_t streamBytesRetransmitted{0}; //!< STREAM bytes sent again
        uint64_t streamFramesResent{0};       //!< STREAM frames carrying bytes sent again
        uint64_t spuriousLosses{0};           //!< lost, then acknowledged (RFC 9002 §6.1.1)
    };

    /// \return the counters
    const Stats& GetStats() const;

    // --- plugins (quic-socket-base-plugins.cc) ---

    /**
     * Loads a plugin on this connection, all or nothing. On a listener the manifest is
     * checked and added to the plugins every accepted connection loads.
     * \param manifest path of a `.plugin` manifest
     * \param [out] error the reason it was refused (the connection is then unchanged)
     * \return true if loaded
     */
    bool LoadPlugin(const std::string& manifest, std::string& error);

    /**
     * Calls an external pluglet (anchor "external") of a loaded plugin.
     * \param protoop the operation it is attached to
     * \param args its inputs (at most 8)
     * \param [out] found false if no plugin attached an external pluglet there
     * \return the pluglet's return value
     */
    uint64_t CallPlugin(const std::string& protoop, const std::vector<uint64_t>& args, bool& found);

    /// \return the plugins of this connection
    QuicPluginSet& GetPlugins();

    /**
     * A plugin faulted and was unloaded: trace it and close (at the same simulated time).
     * \param plugin its name
     * \param reason the fault
     */
    void NotifyPluginFault(const std::string& plugin, const std::string& reason);

    /**
     * A plugin pushes a message to the application (trace source PluginMessage).
     * \param plugin its name
     * \param data the bytes
     */
    void NotifyPluginMessage(const std::string& plugin, const std::vector<uint8_t>& data);

    /**
     * Runs the packet_acked observer operation (in[0] packet number, in[1] space) for
     * plugins; the packet is META_PACKET's packet.
     * \param space its space
     * \param packet the packet
     */
    void NotifyPluginPacketAcked(QuicPacketNumberSpace space, const QuicSentPacket& packet);

    /**
     * A plugin reserves a frame of its own type: at the next sending opportunity (within
     * the congestion window or not) the core calls write_frame[type] with a buffer of
     * size bytes, and later notify_frame[type] when the packet is acked or lost.
     * \param type the frame type
     * \param size bytes to reserve (the whole frame, type included)
     * \param congestionControlled false: may leave even when the window is full
     */
    void ReservePluginFrame(uint64_t type, uint32_t size, bool congestionControlled);

    /**
     * TracedCallback signature of PluginFault and PluginMessage.
     * \param plugin the plugin's name
     * \param text the fault's reason, or the message's bytes
     */
    typedef void (*PluginTracedCallback)(const std::string& plugin, const std::string& text);
    /// \return the ECN sender (state, CE marks reported, failure reason)
    const QuicEcnController& GetEcnController() const;

    /**
     * TracedValue callback signature of EcnValidationState.
     * \param oldValue the previous state
     * \param newValue the new state
     */
    typedef void (*EcnStateTracedCallback)(QuicEcnState oldValue, QuicEcnState newValue);

    // --- for QuicL4Protocol ---

    /**
     * A datagram for this connection arrived.
     * \param data its bytes
     * \param size their number
     * \param from the sender
     * \param tos the IP TOS byte (ECN bits)
     */
    void ReceiveDatagram(const uint8_t* data, std::size_t size, const Address& from, uint8_t tos);

    /**
     * A listening socket forks a connection for a client's first Initial.
     * \param udp the listening UDP port
     * \param from the client
     * \return the new connection, or nullptr if refused
     */
    Ptr<QuicSocketBase> ForkForInitial(Ptr<QuicUdpPort> udp, const Address& from);

    // --- for QuicL5Protocol ---

    /**
     * Queues a control frame for the next packet.
     * \param frame the frame
     */
    void QueueControlFrame(const QuicSubheader& frame);

    /**
     * In-order stream bytes for the application.
     * \param streamId the stream
     * \param data the bytes
     * \return false if the socket receive buffer is full (the stream keeps them)
     */
    bool DeliverStreamData(uint64_t streamId, Ptr<Packet> data);

    /// \return free space in the socket receive buffer
    uint32_t GetSocketRxFreeSpace() const;

    /// The stream layer has new data or credit: try to send.
    void NotifyStreamDataReady();

    /**
     * A stream error the connection must close for.
     * \param error the error
     */
    void CloseWithTransportError(const QuicWireError& error);

    // QuicRecoveryListener
    void OnPacketAcked(QuicPacketNumberSpace space, const QuicSentPacket& packet) override;
    void OnPacketLost(QuicPacketNumberSpace space, const QuicSentPacket& packet) override;
    void SendProbes(QuicPacketNumberSpace space, uint32_t count) override;
    bool IsAtAmplificationLimit() const override;
    bool HasPeerCompletedAddressValidation() const override;
    bool IsHandshakeConfirmed() const override;
    bool HasKeys(QuicPacketNumberSpace space) const override;
    Time AdjustPtoDuration(QuicPacketNumberSpace space, Time duration) override;
    void OnRttSample(Time sample) override;
    void OnSpuriousLoss(QuicPacketNumberSpace space, uint64_t packetNumber) override;

    /// Protocol-operation ids of the core (interned at start-up).
    struct ProtoopIds
    {
        QuicProtoopId processFrame;      //!< process_frame[type]
        QuicProtoopId writeFrame;        //!< write_frame[type]
        QuicProtoopId notifyFrame;       //!< notify_frame[type]
        QuicProtoopId scheduleFrames;    //!< schedule_frames
        QuicProtoopId onPacketSent;      //!< on_packet_sent
        QuicProtoopId onPacketReceived;  //!< on_packet_received
        QuicProtoopId packetLost;        //!< packet_lost
        QuicProtoopId computePto;        //!< compute_pto
        QuicProtoopId setNextWakeTime;   //!< set_next_wake_time
        QuicProtoopId writeTp;           //!< write_transport_parameter[id]
        QuicProtoopId processTp;         //!< process_transport_parameter[id]
        QuicProtoopId stateChanged;      //!< connection_state_changed
        QuicProtoopId streamOpened;      //!< stream_opened
        QuicProtoopId streamClosed;      //!< stream_closed
        QuicProtoopId handshakeDone;     //!< handshake_done
        QuicProtoopId selectSendingPath; //!< select_sending_path
        QuicProtoopId getIncomingPath;   //!< get_incoming_path
    };

    /**
     * The ids of the core's protocol operations. Arguments: process_frame[type]: in[0] =
     * const QuicSubheader*, in[1] = data pointer (STREAM, CRYPTO, DATAGRAM), in[2] = data
     * length, in[3] = packet-number space; returns 0 or a QuicTransportErrorCode.
     * schedule_frames: in[0] = FrameJob*; returns bytes written. compute_pto: in[0] =
     * space, in[1] = duration in ns; returns the duration to arm.
     * \return the ids
     */
    static const ProtoopIds& GetProtoopIds();

  protected:
    void DoDispose() override;

  private:
    /// What a packet being built needs (one packet-number space).
    struct PacketPlan
    {
        QuicPacketNumberSpace space{QuicPacketNumberSpace::INITIAL}; //!< its space
        QuicHeader::PacketType type{QuicHeader::INITIAL};            //!< its type
        bool probe{false};                                           //!< must be ack-eliciting
    };

  public:
    /**
     * The frames of one packet being built: what schedule_frames receives (in[0]).
     */
    struct FrameJob
    {
        PacketPlan plan;                             //!< the packet
        std::vector<uint8_t>* buffer{nullptr};       //!< frame bytes are appended here
        uint32_t budget{0};                          //!< bytes available for frames
        bool congestionLimited{false};               //!< only ACK frames may be written
        std::vector<QuicSentFrame>* frames{nullptr}; //!< records of the frames written
        bool ackEliciting{false};                    //!< an ack-eliciting frame was written
        bool hasAck{false};                          //!< an ACK frame was written
        uint64_t ackLargest{0};                      //!< its largest acknowledged
    };

  private:
    /// A packet built and waiting to leave in the current datagram.
    struct PendingPacket
    {
        PacketPlan plan;                   //!< what it is
        uint64_t packetNumber{0};          //!< its number
        uint8_t pnLength{4};               //!< bytes of packet number on the wire
        std::vector<QuicSentFrame> frames; //!< records
        bool ackEliciting{false};          //!< ack-eliciting
        bool hasAck{false};                //!< carries an ACK
        uint64_t ackLargest{0};            //!< largest acknowledged by it
        bool padded{false};                //!< PADDING added for the 1200-byte minimum
        uint32_t size{0};                  //!< bytes on the wire
    };

    // --- protocol operations ---
    /// Sets the native implementation of every core protocol operation.
    void RegisterNativeProtoops();
    /// process_frame: in[0] frame, in[1] data, in[2] length, in[3] space.
    static uint64_t NativeProcessFrame(QuicSocketBase& c, QuicProtoopArgs& a);
    /// schedule_frames: in[0] FrameJob*; returns bytes written.
    static uint64_t NativeScheduleFrames(QuicSocketBase& c, QuicProtoopArgs& a);
    /// Events whose native behaviour is nothing (observers attach to them).
    static uint64_t NativeObserver(QuicSocketBase& c, QuicProtoopArgs& a);
    /// compute_pto: in[0] space, in[1] RFC 9002 duration in ns; returns the duration.
    static uint64_t NativeComputePto(QuicSocketBase& c, QuicProtoopArgs& a);
    /// select_sending_path / get_incoming_path: path 0.
    static uint64_t NativeSelectPath(QuicSocketBase& c, QuicProtoopArgs& a);

    // --- set-up ---
    /// Creates recovery, congestion bridge, stream layer, handshake.
    void SetUpConnection();
    /// Loads the plugins of the Plugins attribute (end of SetUpConnection).
    void LoadConfiguredPlugins();
    /**
     * A forked connection loads its listener's plugins itself: hooks of plugin instances
     * of the listener (loaded before Listen) are not shared but reloaded.
     * \param listener the listener
     */
    void AdoptListenerPlugins(const QuicSocketBase& listener);
    /**
     * \param congestionLimited only frames that ignore the window count
     * \return true if plugin frames wait to be sent
     */
    bool HasPluginFrames(bool congestionLimited) const;
    /**
     * Writes reserved plugin frames (write_frame[type]) into a packet being built.
     * \param job the packet
     * \param start where this packet's frames begin in job.buffer
     */
    void WritePluginFrames(FrameJob& job, std::size_t start);
    /**
     * A frame type no core decoder knows but a plugin parses (parse_frame[type]).
     * \param data frame bytes (type included)
     * \param size bytes left in the packet
     * \param [out] consumed bytes the plugin parsed
     * \return false if no plugin parses it (the core decodes it)
     */
    bool ParsePluginFrame(const uint8_t* data, std::size_t size, std::size_t& consumed);
    /// Enables ECN (attribute Ecn, or an algorithm that demands it) and wires it to recovery.
    void SetUpEcn();
    /**
     * Copies the attribute values of a listener into a forked connection.
     * \param other the listener
     */
    void CopyConfiguration(const QuicSocketBase& other);
    /// \return an empty CRYPTO send buffer
    Ptr<QuicStreamTxBuffer> NewCryptoTxBuffer() const;
    /// \return a handshake model for this endpoint's role and attributes
    std::unique_ptr<QuicHandshake> NewHandshake() const;
    /// Fills m_localTp from attributes.
    void BuildLocalTransportParameters();
    /// Applies the peer's transport parameters once the handshake reveals them.
    void ApplyPeerTransportParameters();
    /**
     * Opens the UDP socket if not done yet.
     * \param peer the address family to use when not bound
     * \param listening for a listener
     * \return 0 or -1
     */
    int EnsureBound(const Address& peer, bool listening);
    /**
     * The server's first Initial: connection IDs and transport parameters.
     * \param h its header
     */
    void AdoptClientInitial(const QuicHeader& h);

    // --- sending ---
    /// Sends at the end of the current event.
    void ScheduleSend();
    /**
     * Frees the plugins' metadata slots of a packet number that will not be tracked (or is
     * no longer): acknowledged, lost, or never sent.
     * \param space its packet-number space
     * \param packetNumber the packet number
     */
    void ForgetPluginPacket(QuicPacketNumberSpace space, uint64_t packetNumber);
    /// Sends every packet the window allows now.
    void SendPendingData();
    /// The deferred send event ran.
    void OnSendEvent();
    /**
     * Builds and sends one datagram (coalescing packets of several spaces).
     * \param probeSpace a space to probe, or nullptr
     * \return bytes sent (0 if nothing to send)
     */
    uint32_t SendDatagram(const QuicPacketNumberSpace* probeSpace);
    /**
     * Encodes the pending packets into one datagram, sends it and records them.
     * \return bytes sent
     */
    uint32_t FlushDatagram();
    /**
     * Writes the frames of one packet (native schedule_frames).
     * \param job the packet
     * \return bytes written
     */
    uint64_t WriteFrames(FrameJob& job);
    /**
     * \param space a space
     * \param congestionLimited whether the window is full
     * \param probe whether a probe is owed
     * \return true if a packet of that space should be sent now
     */
    bool HasDataFor(QuicPacketNumberSpace space, bool congestionLimited, bool probe) const;
    /**
     * \param space a space
     * \return true if an ACK is due now in it
     */
    bool IsAckDue(QuicPacketNumberSpace space) const;
    /**
     * \param space a space
     * \return the packet type used to send in it now
     */
    QuicHeader::PacketType PacketTypeFor(QuicPacketNumberSpace space) const;
    /**
     * \param space a space
     * \return true if we can send packets of it now
     */
    bool CanSendIn(QuicPacketNumberSpace space) const;
    /**
     * \param space a space
     * \param pnLength packet number length
     * \return header bytes of a packet of that space
     */
    uint32_t GetHeaderOverhead(QuicPacketNumberSpace space, uint8_t pnLength) const;
    /// Moves handshake output into the crypto send buffers.
    void PullHandshakeOutput();
    /// Schedules the delayed-ACK timer if an ACK is pending.
    void ScheduleAckTimer();
    /// The delayed-ACK timer fired.
    void OnAckTimer();
    /// \return the bytes this connection may still send before address validation
    uint64_t GetAmplificationBudget() const;
    /**
     * Discards a packet-number space's keys (RFC 9001 §4.9).
     * \param space the space
     */
    void DiscardSpace(QuicPacketNumberSpace space);

    // --- receiving ---
    /**
     * Handles one QUIC packet of a datagram.
     * \param header its decoded header
     * \param payload frames (after the packet number, without the AEAD tag)
     * \param len payload length
     * \param tos IP TOS byte
     * \return false if the connection closed
     */
    bool ProcessPacket(const QuicHeader& header,
                       const uint8_t* payload,
                       std::size_t len,
                       uint8_t tos);
    /**
     * Handles one frame (native process_frame).
     * \param frame its header
     * \param data following data bytes
     * \param dataLen their number
     * \param space the packet's space
     * \return 0 or a QuicTransportErrorCode (details in m_lastError)
     */
    uint64_t ProcessFrame(const QuicSubheader& frame,
                          const uint8_t* data,
                          uint64_t dataLen,
                          QuicPacketNumberSpace space);
    /**
     * CRYPTO data arrived.
     * \param frame the frame
     * \param data its bytes
     * \param space its space
     * \return 0 or an error code
     */
    uint64_t OnCryptoFrame(const QuicSubheader& frame,
                           const uint8_t* data,
                           QuicPacketNumberSpace space);
    /// Handshake progress: keys, completion, notifications.
    void OnHandshakeProgress();
    /**
     * A Version Negotiation packet arrived (client).
     * \param header it
     */
    void OnVersionNegotiation(const QuicHeader& header);

    // --- state and closing ---
    /**
     * Changes state and tells observers.
     * \param state the new state
     */
    void SetState(State state);
    /// Cancels every timer.
    void CancelTimers();
    /**
     * Starts closing: CONNECTION_CLOSE then the closing period.
     * \param code the error code
     * \param application whether an application error (0x1d)
     * \param frameType the frame type that caused it (transport errors)
     * \param reason the reason phrase
     */
    void StartClosing(uint64_t code,
                      bool application,
                      uint64_t frameType,
                      const std::string& reason);
    /// Sends the CONNECTION_CLOSE frame (again, in the closing period).
    void SendConnectionClose();
    /**
     * Enters the draining period (peer closed).
     * \param code its error code
     * \param application whether an application error
     */
    void StartDraining(uint64_t code, bool application);
    /// End of the closing or draining period, or of the idle timeout: the socket goes.
    void Destroy();
    /// Idle timer check (RFC 9000 §10.1).
    void OnIdleTimer();
    /// Restarts the idle timer (a packet arrived, or an ack-eliciting one left).
    void RestartIdleTimer();
    /// \return the negotiated idle timeout
    Time GetIdleTimeout() const;
    /// Sends CONNECTION_CLOSE once everything is acknowledged (graceful Close()).
    void MaybeFinishGracefulClose();

    /**
     * \param oldValue old
     * \param newValue new
     */
    void OnCwndChange(uint32_t oldValue, uint32_t newValue);
    /**
     * \param oldValue old
     * \param newValue new
     */
    void OnSsThreshChange(uint32_t oldValue, uint32_t newValue);
    /**
     * \param oldValue old
     * \param newValue new
     */
    void OnBytesInFlightChange(uint32_t oldValue, uint32_t newValue);

    /**
     * Copies a traced value of the congestion state into the socket's own trace source
     * (TcpSocketBase mirrors its TcpSocketState the same way).
     * \tparam T the value type
     * \param dst the socket's traced value
     * \param oldValue old
     * \param newValue new
     */
    template <typename T>
    static void MirrorTrace(TracedValue<T>* dst, T oldValue, T newValue)
    {
        *dst = newValue;
    }

    /// Pacing timer fired: the next congestion-controlled packet may leave.
    void OnPacingTimer();

    /**
     * \param space a space
     * \return index
     */
    static std::size_t Idx(QuicPacketNumberSpace space)
    {
        return static_cast<std::size_t>(space);
    }

    // Attributes.
    uint32_t m_maxPacketSize;        //!< MaxPacketSize: UDP payload bytes
    uint32_t m_socketSndBufSize;     //!< SocketSndBufSize
    uint32_t m_socketRcvBufSize;     //!< SocketRcvBufSize
    uint32_t m_streamSndBufSize;     //!< StreamSndBufSize
    uint32_t m_streamRcvBufSize;     //!< StreamRcvBufSize
    uint64_t m_maxStreamsBidi;       //!< MaxStreamsBidi
    uint64_t m_maxStreamsUni;        //!< MaxStreamsUni
    uint64_t m_initialMaxData;       //!< InitialMaxData
    bool m_priorityScheduling;       //!< StreamScheduling = priority
    Time m_idleTimeoutAttr;          //!< IdleTimeout
    Time m_maxAckDelay;              //!< MaxAckDelay (ours)
    uint8_t m_ackDelayExponent;      //!< AckDelayExponent (ours)
    Time m_initialRtt;               //!< InitialRtt
    uint32_t m_initialVersion;       //!< InitialVersion
    bool m_force0Rtt;                //!< 0RTT-Handshake
    bool m_flushOnClose;             //!< FlushOnClose
    uint32_t m_certificateSize;      //!< CertificateSize
    uint64_t m_maxDatagramFrameSize; //!< MaxDatagramFrameSize
    bool m_pacingEnabled;            //!< Pacing
    TypeId m_recoveryTypeId;         //!< RecoveryType
    DataRate m_maxPacingRate;        //!< MaxPacingRate
    uint16_t m_pacingSsRatio;        //!< PacingSsRatio (%)
    uint16_t m_pacingCaRatio;        //!< PacingCaRatio (%)
    bool m_paceInitialWindow;        //!< PaceInitialWindow
    bool m_ecnEnabled{false};        //!< Ecn
    bool m_packetProtection{false};  //!< PacketProtection

    // Identity.
    Ptr<Node> m_node;                            //!< node
    Ptr<QuicL4Protocol> m_quicl4;                //!< the node's QUIC
    Ptr<QuicUdpPort> m_udp;                      //!< our UDP port
    bool m_ownsUdp{false};                       //!< the UDP socket is ours (client, listener)
    Address m_local;                             //!< bound address
    Address m_peer;                              //!< peer address
    bool m_isServer{false};                      //!< role
    bool m_connected{false};                     //!< Connect() called or forked
    QuicConnectionId m_localCid;                 //!< ours
    QuicConnectionId m_peerCid;                  //!< theirs (current)
    QuicConnectionId m_originalDcid;             //!< client's first DCID
    uint32_t m_version;                          //!< version in use
    TracedValue<State> m_state{IDLE};            //!< State trace
    mutable SocketErrno m_errno{ERROR_NOTERROR}; //!< last error
    bool m_bound{false};                         //!< Bind called
    bool m_cidsSet{false};                       //!< server: connection IDs chosen
    bool m_serverCidKnown{false};                //!< client: server's connection ID adopted
    bool m_acceptNotified{false};                //!< server: listener told of this connection
    bool m_destroyed{false};                     //!< Destroy ran
    bool m_shutdownSend{false};                  //!< ShutdownSend called
    bool m_shutdownRecv{false};                  //!< ShutdownRecv called
    bool m_closeRequested{false};                //!< Close() called
    Ptr<QuicSocketBase> m_listener;              //!< the listener that forked us (servers)

    /**
     * \return the simulation time: the one read when the outermost NowScope opened, or
     * Simulator::Now outside any (time does not advance within an ns-3 event, and
     * Simulator::Now is a library call, paid several times per datagram otherwise)
     */
    Time Now() const
    {
        return m_nowDepth > 0 ? m_now : Simulator::Now();
    }

    /// Reads the simulation time once for an entry point (datagram received, send attempt).
    class NowScope
    {
      public:
        /// \param s the socket whose Now() this scope serves
        explicit NowScope(QuicSocketBase& s)
            : m_s(s)
        {
            if (m_s.m_nowDepth++ == 0)
            {
                m_s.m_now = Simulator::Now();
            }
        }

        ~NowScope()
        {
            --m_s.m_nowDepth;
        }

        NowScope(const NowScope&) = delete;
        NowScope& operator=(const NowScope&) = delete;

      private:
        QuicSocketBase& m_s; //!< the socket
    };

    // Handshake.
    std::unique_ptr<QuicHandshake> m_handshake;                //!< TLS model
    std::array<Ptr<QuicStreamTxBuffer>, 3> m_cryptoTx;         //!< CRYPTO send
    std::array<Ptr<QuicStreamRxBuffer>, 3> m_cryptoRx;         //!< CRYPTO receive
    std::array<bool, 3> m_spaceDiscarded{false, false, false}; //!< keys dropped
    bool m_handshakeConfirmed{false};                          //!< RFC 9001 §4.1.2
    bool m_handshakeAcked{false};                //!< a Handshake packet of ours was acknowledged
    uint8_t m_peerAckDelayExponent{3};           //!< peer's ack_delay_exponent
    bool m_peerAddressValidated{false};          //!< server: client address validated
    bool m_zeroRtt{false};                       //!< 0-RTT used
    bool m_peerTpApplied{false};                 //!< peer's parameters applied
    uint64_t m_bytesReceivedBeforeValidation{0}; //!< anti-amplification credit / 3
    uint64_t m_bytesSentBeforeValidation{0};     //!< sent before validation
    QuicTransportParameters m_localTp;           //!< ours
    bool m_versionNegotiated{false};             //!< a VN packet was acted on

    // Packets.
    std::array<QuicReceivedPacketTracker, 3> m_received;     //!< per space
    std::array<Time, 3> m_lastAckSent{};                     //!< when an ACK last left, per space
    std::array<uint64_t, 3> m_nextPn{0, 0, 0};               //!< next packet number per space
    std::array<bool, 3> m_probePending{false, false, false}; //!< PTO probes owed
    Ptr<QuicSocketState> m_tcb;                              //!< congestion state
    Ptr<TcpCongestionOps> m_cc;                              //!< algorithm
    std::unique_ptr<QuicCongestionBridge> m_ccBridge;        //!< seam to it
    std::unique_ptr<QuicLossRecovery> m_recovery;            //!< RFC 9002
    QuicEcnController m_ecn;                                 //!< ECN marking and validation
    Ptr<QuicL5Protocol> m_l5;                                //!< streams
    Ptr<QuicSocketTxBuffer> m_txBuffer;                      //!< control frames
    Ptr<QuicSocketRxBuffer> m_rxBuffer;                      //!< data for the application
    QuicProtoopTable m_protoops;                             //!< protocol operations
    std::vector<uint8_t> m_datagram;                         //!< datagram being built
    std::array<std::vector<uint8_t>, 3> m_pktFrames;         //!< frames of packets being built
    std::vector<PendingPacket> m_pending;                    //!< packets of the datagram
    std::vector<uint8_t> m_cryptoScratch;                    //!< CRYPTO bytes read in order
    QuicWireError m_lastError;                               //!< details of a frame's failure
    bool m_dataToNotify{false};                              //!< NotifyDataRecv owed
    bool m_notifySend{false};                                //!< NotifySend owed
    uint64_t m_datagramsReceived{0};                         //!< DATAGRAM frames received
    bool m_sending{false};                                   //!< inside SendPendingData
    QuicDeadlineTimer m_ackTimer;                            //!< delayed ACK
    QuicDeadlineTimer m_idleTimer;                           //!< idle timeout check
    EventId m_closeTimer;                                    //!< end of closing/draining
    EventId m_sendEvent;                                     //!< deferred send
    EventId m_pacingEvent;                                   //!< next paced departure
    bool m_pacingBlocked{false};                             //!< last send held by pacing
    bool m_sendScheduled{false};                             //!< m_sendEvent is queued
    Time m_lastActivity;                                     //!< for the idle timeout
    Time m_peerIdleTimeout{Seconds(0)}; //!< peer's max_idle_timeout, once its parameters apply
    Time m_now{Seconds(0)};             //!< simulation time inside an entry point (NowScope)
    uint32_t m_nowDepth{0};             //!< NowScopes open (0: m_now is stale)

    // Closing.
    uint64_t m_closeCode{0};        //!< error code
    bool m_closeApplication{false}; //!< application close
    uint64_t m_closeFrameType{0};   //!< offending frame type
    std::string m_closeReason;      //!< reason phrase
    Time m_lastCloseSent;           //!< rate limit of CONNECTION_CLOSE in closing

    mutable Stats m_stats; //!< counters (the retransmission count is read from L5)

    // Plugins.
    std::unique_ptr<QuicPluginSet> m_plugins; //!< loaded plugins (created on first use)
    std::string m_pluginManifests;            //!< Plugins attribute (comma-separated)
    uint32_t m_pluginHeapSize{256 * 1024};    //!< PluginHeapSize
    uint64_t m_pluginFuel{100000};            //!< PluginFuel
    bool m_pluginJit{true};                   //!< PluginJit

    /// A frame a plugin reserved.
    struct PluginFrame
    {
        uint64_t type;             //!< frame type
        uint32_t size;             //!< bytes reserved
        bool congestionControlled; //!< waits for the window
    };

    std::vector<PluginFrame> m_pluginFrames; //!< reserved, in order
    TracedCallback<const std::string&, const std::string&> m_pluginFaultTrace;   //!< PluginFault
    TracedCallback<const std::string&, const std::string&> m_pluginMessageTrace; //!< PluginMessage

    // Traces.
    TracedCallback<Ptr<const Packet>, const QuicHeader&, Ptr<const QuicSocketBase>>
        m_txTrace; //!< Tx
    TracedCallback<Ptr<const Packet>, const QuicHeader&, Ptr<const QuicSocketBase>>
        m_rxTrace;                                      //!< Rx
    TracedCallback<uint64_t, uint64_t> m_streamRxTrace; //!< StreamRx (stream id, bytes)
    TracedValue<uint32_t> m_cWndTrace;                  //!< CongestionWindow (mirrors the tcb)
    TracedValue<uint32_t> m_ssThreshTrace;              //!< SlowStartThreshold
    TracedValue<Time> m_rttTrace;                       //!< RTT (smoothed)
    TracedValue<uint32_t> m_bytesInFlightTrace;         //!< BytesInFlight
    TracedValue<TcpSocketState::TcpCongState_t> m_congStateTrace{
        TcpSocketState::CA_OPEN}; //!< CongState
    TracedValue<TcpSocketState::EcnState_t> m_ecnStateTrace{
        TcpSocketState::ECN_DISABLED};                //!< EcnState
    TracedValue<DataRate> m_pacingRateTrace;          //!< PacingRate
    TracedValue<SequenceNumber32> m_nextTxSeqTrace;   //!< NextTxSequence (synthetic bytes)
    TracedValue<SequenceNumber32> m_highTxMarkTrace;  //!< HighestSequence (synthetic bytes)
    TracedValue<Time> m_ptoTrace;                     //!< RTO: the probe timeout period
    TracedValue<uint64_t> m_nextPacketNumberTrace{0}; //!< NextPacketNumber (1-RTT space)
    TracedValue<uint64_t> m_largestAckedTrace{0};     //!< LargestAckedPacketNumber (1-RTT)
    TracedValue<uint64_t> m_lostPacketsTrace{0};      //!< LostPackets (count)
    TracedValue<uint64_t> m_spuriousLossesTrace{0};   //!< SpuriousLosses (count)

    TracedValue<QuicEcnState> m_ecnValidationTrace{ECN_DISABLED}; //!< EcnValidationState
};

} // namespace ns3

#endif /* QUIC_SOCKET_BASE_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * QuicSocketBase: protocol operations, type and attributes, construction, binding,
 * connecting and listening, the stream layer's side and the connection state. The rest of
 * the class is in files of one concern each: quic-socket-base-api.cc (the ns3::Socket
 * calls), -recovery.cc (keys, address validation, loss-recovery events), -close.cc (idle
 * timeout, closing, draining), -send.cc, -receive.cc and -plugins.cc.
 */

#include "quic-socket-base.h"

#include "quic-socket-base-internal.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSocketBase");

NS_OBJECT_ENSURE_REGISTERED(QuicSocketBase);

LogComponent&
quicsocketbase::GetLogComponent()
{
    return g_log;
}

// --- protocol operations: native implementations --------------------------------------

const QuicSocketBase::ProtoopIds&
QuicSocketBase::GetProtoopIds()
{
    using K = QuicProtoopArgKind;
    static const ProtoopIds ids{
        QuicProtoopRegistry::Intern("process_frame", {K::FRAME, K::BUFFER, K::VALUE, K::VALUE}),
        QuicProtoopRegistry::Intern("write_frame", {K::BUFFER, K::VALUE}),
        QuicProtoopRegistry::Intern("notify_frame", {K::FRAME, K::VALUE}),
        QuicProtoopRegistry::Intern("schedule_frames", {K::BUFFER, K::VALUE, K::VALUE, K::VALUE}),
        QuicProtoopRegistry::Intern("on_packet_sent", {K::VALUE, K::VALUE, K::VALUE}),
        QuicProtoopRegistry::Intern("on_packet_received", {K::VALUE, K::VALUE, K::VALUE}),
        QuicProtoopRegistry::Intern("packet_lost", {K::VALUE, K::VALUE}),
        QuicProtoopRegistry::Intern("compute_pto", {K::VALUE, K::VALUE}),
        QuicProtoopRegistry::Intern("set_next_wake_time", {K::VALUE}),
        QuicProtoopRegistry::Intern("write_transport_parameter", {K::VALUE}),
        QuicProtoopRegistry::Intern("process_transport_parameter", {K::VALUE}),
        QuicProtoopRegistry::Intern("connection_state_changed", {K::VALUE, K::VALUE}),
        QuicProtoopRegistry::Intern("stream_opened", {K::VALUE}),
        QuicProtoopRegistry::Intern("stream_closed", {K::VALUE}),
        QuicProtoopRegistry::Intern("handshake_done", {}),
        QuicProtoopRegistry::Intern("select_sending_path", {}),
        QuicProtoopRegistry::Intern("get_incoming_path", {}),
    };
    return ids;
}

uint64_t
QuicSocketBase::NativeProcessFrame(QuicSocketBase& c, QuicProtoopArgs& a)
{
    return c.ProcessFrame(*reinterpret_cast<const QuicSubheader*>(a.in[0]),
                          reinterpret_cast<const uint8_t*>(a.in[1]),
                          a.in[2],
                          static_cast<QuicPacketNumberSpace>(a.in[3]));
}

uint64_t
QuicSocketBase::NativeScheduleFrames(QuicSocketBase& c, QuicProtoopArgs& a)
{
    auto* job = reinterpret_cast<FrameJob*>(a.in[0]);
    return c.WriteFrames(*job);
}

uint64_t
QuicSocketBase::NativeObserver(QuicSocketBase& c, QuicProtoopArgs& a)
{
    return 0; // events whose native behaviour is to do nothing (observers attach to them)
}

uint64_t
QuicSocketBase::NativeComputePto(QuicSocketBase& c, QuicProtoopArgs& a)
{
    return a.in[1]; // the RFC 9002 duration (ns), unchanged
}

uint64_t
QuicSocketBase::NativeSelectPath(QuicSocketBase& c, QuicProtoopArgs& a)
{
    return 0; // path 0: the only path until multipath plugins add others
}

void
QuicSocketBase::RegisterNativeProtoops()
{
    // Built once; every connection shares it until a plugin changes its copy.
    static const QuicProtoopTable natives = [] {
        QuicProtoopTable t;
        const ProtoopIds& id = GetProtoopIds();
        t.SetNative(id.processFrame, kQuicNoParam, &QuicSocketBase::NativeProcessFrame);
        t.SetNative(id.scheduleFrames, kQuicNoParam, &QuicSocketBase::NativeScheduleFrames);
        t.SetNative(id.computePto, kQuicNoParam, &QuicSocketBase::NativeComputePto);
        t.SetNative(id.selectSendingPath, kQuicNoParam, &QuicSocketBase::NativeSelectPath);
        t.SetNative(id.getIncomingPath, kQuicNoParam, &QuicSocketBase::NativeSelectPath);
        for (QuicProtoopId obs : {id.notifyFrame,
                                  id.onPacketSent,
                                  id.onPacketReceived,
                                  id.packetLost,
                                  id.setNextWakeTime,
                                  id.writeTp,
                                  id.processTp,
                                  id.stateChanged,
                                  id.streamOpened,
                                  id.streamClosed,
                                  id.handshakeDone})
        {
            t.SetNative(obs, kQuicNoParam, &QuicSocketBase::NativeObserver);
        }
        return t;
    }();
    m_protoops = natives;
}

// --- type, attributes, traces -----------------------------------------------------------

TypeId
QuicSocketBase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicSocketBase")
            .SetParent<QuicSocket>()
            .SetGroupName("Internet")
            .AddConstructor<QuicSocketBase>()
            .AddAttribute("MaxPacketSize",
                          "Largest UDP payload a packet may fill (RFC 9000 max_datagram_size); "
                          "no path MTU discovery is modelled, so keep it within the path MTU "
                          "minus IP and UDP headers",
                          UintegerValue(1452),
                          MakeUintegerAccessor(&QuicSocketBase::m_maxPacketSize),
                          MakeUintegerChecker<uint32_t>(1200, 65527))
            .AddAttribute("SocketSndBufSize",
                          "Bytes the application may have queued across all streams and not "
                          "yet acknowledged",
                          UintegerValue(4194304),
                          MakeUintegerAccessor(&QuicSocketBase::m_socketSndBufSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("SocketRcvBufSize",
                          "Bytes of in-order data waiting for the application to read",
                          UintegerValue(4194304),
                          MakeUintegerAccessor(&QuicSocketBase::m_socketRcvBufSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("StreamSndBufSize",
                          "Send buffer of each stream (bytes not yet acknowledged)",
                          UintegerValue(2097152),
                          MakeUintegerAccessor(&QuicSocketBase::m_streamSndBufSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("StreamRcvBufSize",
                          "Initial receive window of each stream (initial_max_stream_data_*); "
                          "auto-tuning grows it up to 16 times",
                          UintegerValue(1048576),
                          MakeUintegerAccessor(&QuicSocketBase::m_streamRcvBufSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("InitialMaxData",
                          "Initial connection receive window (initial_max_data); auto-tuning "
                          "grows it up to 16 times",
                          UintegerValue(1572864),
                          MakeUintegerAccessor(&QuicSocketBase::m_initialMaxData),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("MaxStreamsBidi",
                          "Bidirectional streams the peer may open (initial_max_streams_bidi)",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicSocketBase::m_maxStreamsBidi),
                          MakeUintegerChecker<uint64_t>(0, uint64_t(1) << 60))
            .AddAttribute("MaxStreamsUni",
                          "Unidirectional streams the peer may open (initial_max_streams_uni)",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicSocketBase::m_maxStreamsUni),
                          MakeUintegerChecker<uint64_t>(0, uint64_t(1) << 60))
            .AddAttribute("PriorityScheduling",
                          "Schedule streams by priority (lower first) instead of round-robin",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicSocketBase::m_priorityScheduling),
                          MakeBooleanChecker())
            .AddAttribute("IdleTimeout",
                          "max_idle_timeout we announce (RFC 9000 §10.1); 0 disables it",
                          TimeValue(Seconds(300)),
                          MakeTimeAccessor(&QuicSocketBase::m_idleTimeoutAttr),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("MaxAckDelay",
                          "max_ack_delay we announce and honour (RFC 9000 §13.2.1)",
                          TimeValue(MilliSeconds(25)),
                          MakeTimeAccessor(&QuicSocketBase::m_maxAckDelay),
                          MakeTimeChecker(Seconds(0), MilliSeconds(16383)))
            .AddAttribute("AckDelayExponent",
                          "ack_delay_exponent we announce (RFC 9000 §18.2)",
                          UintegerValue(3),
                          MakeUintegerAccessor(&QuicSocketBase::m_ackDelayExponent),
                          MakeUintegerChecker<uint8_t>(0, 20))
            .AddAttribute("InitialRtt",
                          "RTT assumed before the first sample (RFC 9002 §6.2.2)",
                          TimeValue(MilliSeconds(333)),
                          MakeTimeAccessor(&QuicSocketBase::m_initialRtt),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("InitialVersion",
                          "QUIC version of the client's first Initial; an unsupported one "
                          "makes the server answer with Version Negotiation (2-RTT handshake)",
                          UintegerValue(QuicHeader::QUIC_VERSION_1),
                          MakeUintegerAccessor(&QuicSocketBase::m_initialVersion),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("0RTT-Handshake",
                          "Client: send 0-RTT data even to a server this node never completed "
                          "a handshake with (otherwise 0-RTT is used only with known servers)",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicSocketBase::m_force0Rtt),
                          MakeBooleanChecker())
            .AddAttribute("FlushOnClose",
                          "Close() waits until every byte written is acknowledged before "
                          "sending CONNECTION_CLOSE (false: close at once)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicSocketBase::m_flushOnClose),
                          MakeBooleanChecker())
            .AddAttribute("CertificateSize",
                          "Bytes of the server's modelled TLS Certificate message",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&QuicSocketBase::m_certificateSize),
                          MakeUintegerChecker<uint32_t>(0, 60000))
            .AddAttribute("MaxDatagramFrameSize",
                          "max_datagram_frame_size we announce (RFC 9221); 0 refuses DATAGRAM",
                          UintegerValue(0),
                          MakeUintegerAccessor(&QuicSocketBase::m_maxDatagramFrameSize),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("RecoveryType",
                          "Fast-recovery algorithm (a TcpRecoveryOps, as "
                          "ns3::TcpL4Protocol::RecoveryType) setting the window in a loss "
                          "recovery period of an ns-3 TCP congestion control run through the "
                          "bridge: ns3::TcpPrrRecovery (ns-3 TCP's default) or "
                          "ns3::TcpClassicRecovery (cwnd = ssthresh at once); unused by "
                          "QuicCongestionControl algorithms",
                          TypeIdValue(TcpPrrRecovery::GetTypeId()),
                          MakeTypeIdAccessor(&QuicSocketBase::m_recoveryTypeId),
                          MakeTypeIdChecker())
            .AddAttribute("Pacing",
                          "Pace congestion-controlled packets (RFC 9002 §7.7) at the pacing "
                          "rate: cwnd / smoothed RTT times PacingSsRatio or PacingCaRatio, "
                          "or the rate the algorithm sets (TcpBbr switches pacing on itself)",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicSocketBase::m_pacingEnabled),
                          MakeBooleanChecker())
            .AddAttribute("MaxPacingRate",
                          "Upper bound of the pacing rate (also the rate before the first RTT "
                          "sample unless PaceInitialWindow)",
                          DataRateValue(DataRate("4Gb/s")),
                          MakeDataRateAccessor(&QuicSocketBase::m_maxPacingRate),
                          MakeDataRateChecker())
            .AddAttribute("PacingSsRatio",
                          "Pacing rate factor in percent while cwnd < ssthresh / 2 (as "
                          "ns3::TcpSocketState::PacingSsRatio)",
                          UintegerValue(200),
                          MakeUintegerAccessor(&QuicSocketBase::m_pacingSsRatio),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("PacingCaRatio",
                          "Pacing rate factor in percent once cwnd >= ssthresh / 2 (RFC 9002 "
                          "§7.7 suggests 125)",
                          UintegerValue(120),
                          MakeUintegerAccessor(&QuicSocketBase::m_pacingCaRatio),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("PaceInitialWindow",
                          "Pace the first flight too, from InitialRtt",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicSocketBase::m_paceInitialWindow),
                          MakeBooleanChecker())
            .AddAttribute("Plugins",
                          "Comma-separated plugin manifests (.plugin) each connection loads "
                          "when it starts (a listener: every accepted connection)",
                          StringValue(""),
                          MakeStringAccessor(&QuicSocketBase::m_pluginManifests),
                          MakeStringChecker())
            .AddAttribute("PluginHeapSize",
                          "Bytes of heap of each plugin on each connection",
                          UintegerValue(256 * 1024),
                          MakeUintegerAccessor(&QuicSocketBase::m_pluginHeapSize),
                          MakeUintegerChecker<uint32_t>(0, 64 * 1024 * 1024))
            .AddAttribute("PluginFuel",
                          "Instruction budget of one pluglet run; exhausting it is a fault",
                          UintegerValue(100000),
                          MakeUintegerAccessor(&QuicSocketBase::m_pluginFuel),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("PluginJit",
                          "Run pluglets JIT-compiled (x86-64) rather than interpreted",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicSocketBase::m_pluginJit),
                          MakeBooleanChecker())
            .AddTraceSource("PluginFault",
                            "A plugin faulted and was unloaded (plugin name, reason); the "
                            "connection then closes with application error 0x504c55474e",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_pluginFaultTrace),
                            "ns3::QuicSocketBase::PluginTracedCallback")
            .AddTraceSource("PluginMessage",
                            "A plugin sent a message to the application (plugin name, bytes)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_pluginMessageTrace),
                            "ns3::QuicSocketBase::PluginTracedCallback")
            .AddAttribute("Ecn",
                          "Mark packets ECT and react to the peer's CE counts (RFC 9000 §13.4, "
                          "RFC 9002 §7.1). Congestion controls that demand ECN (TcpDctcp) turn "
                          "it on whatever this says",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicSocketBase::m_ecnEnabled),
                          MakeBooleanChecker())
            .AddAttribute("PacketProtection",
                          "Emulated AEAD integrity (RFC 9001 §5.3): the tag bytes of every "
                          "packet carry a hash of it, and packets that do not match (bytes "
                          "corrupted on a link) are discarded unprocessed. Off: tags are zeros "
                          "and corrupted bytes reach the frame parser",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicSocketBase::m_packetProtection),
                          MakeBooleanChecker())
            .AddTraceSource("Tx",
                            "A QUIC packet was sent: its bytes (header and frames), its header, "
                            "the socket",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_txTrace),
                            "ns3::QuicSocketBase::PacketTracedCallback")
            .AddTraceSource("Rx",
                            "A QUIC packet was received and processed",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_rxTrace),
                            "ns3::QuicSocketBase::PacketTracedCallback")
            .AddTraceSource("State",
                            "Connection state",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_state),
                            "ns3::TracedValueCallback::Uint8")
            .AddTraceSource("StreamRx",
                            "In-order stream bytes handed to the socket receive buffer "
                            "(stream id, bytes)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_streamRxTrace),
                            "ns3::QuicSocketBase::StreamRxTracedCallback")
            .AddTraceSource("CongestionWindow",
                            "Congestion window in bytes",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_cWndTrace),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("SlowStartThreshold",
                            "Slow start threshold in bytes",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_ssThreshTrace),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("RTT",
                            "Smoothed RTT after each sample",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_rttTrace),
                            "ns3::TracedValueCallback::Time")
            .AddTraceSource("BytesInFlight",
                            "Bytes in flight",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_bytesInFlightTrace),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("CongState",
                            "Congestion state (CA_OPEN, CA_RECOVERY, CA_LOSS, CA_CWR)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_congStateTrace),
                            "ns3::TcpSocketState::TcpCongStatesTracedValueCallback")
            .AddTraceSource("EcnState",
                            "ECN state of the congestion state (driven by ECN feedback)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_ecnStateTrace),
                            "ns3::TcpSocketState::EcnStatesTracedValueCallback")
            .AddTraceSource("PacingRate",
                            "Pacing rate",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_pacingRateTrace),
                            "ns3::TracedValueCallback::DataRate")
            .AddTraceSource("NextTxSequence",
                            "Synthetic byte sequence of ack-eliciting data sent (what TCP "
                            "algorithms read as SND.NXT)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_nextTxSeqTrace),
                            "ns3::SequenceNumber32TracedValueCallback")
            .AddTraceSource("HighestSequence",
                            "Synthetic byte sequence: highest sent (never goes back in QUIC)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_highTxMarkTrace),
                            "ns3::TracedValueCallback::SequenceNumber32")
            .AddTraceSource("RTO",
                            "Probe timeout period without backoff (RFC 9002 §6.2.1), after "
                            "each ACK",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_ptoTrace),
                            "ns3::TracedValueCallback::Time")
            .AddTraceSource("NextPacketNumber",
                            "Next packet number of the application (1-RTT) space",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_nextPacketNumberTrace),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("LargestAckedPacketNumber",
                            "Largest packet number the peer acknowledged (1-RTT space)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_largestAckedTrace),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("LostPackets",
                            "Packets declared lost so far (all spaces)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_lostPacketsTrace),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("SpuriousLosses",
                            "Packets declared lost and acknowledged afterwards, so far (all "
                            "spaces; RFC 9002 §6.1.1: reordering or delay, not drops)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_spuriousLossesTrace),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("EcnValidationState",
                            "ECN validation state of the path (QuicEcnState: disabled, "
                            "testing, unknown, failed, capable)",
                            MakeTraceSourceAccessor(&QuicSocketBase::m_ecnValidationTrace),
                            "ns3::QuicSocketBase::EcnStateTracedCallback");
    return tid;
}

TypeId
QuicSocketBase::GetInstanceTypeId() const
{
    return GetTypeId();
}

QuicSocketBase::QuicSocketBase()
    : m_maxPacketSize(1452),
      m_socketSndBufSize(4194304),
      m_socketRcvBufSize(4194304),
      m_streamSndBufSize(2097152),
      m_streamRcvBufSize(1048576),
      m_maxStreamsBidi(100),
      m_maxStreamsUni(100),
      m_initialMaxData(1572864),
      m_priorityScheduling(false),
      m_idleTimeoutAttr(Seconds(300)),
      m_maxAckDelay(MilliSeconds(25)),
      m_ackDelayExponent(3),
      m_initialRtt(MilliSeconds(333)),
      m_initialVersion(QuicHeader::QUIC_VERSION_1),
      m_force0Rtt(false),
      m_flushOnClose(true),
      m_certificateSize(1000),
      m_maxDatagramFrameSize(0),
      m_pacingEnabled(false),
      m_maxPacingRate(DataRate("4Gb/s")),
      m_pacingSsRatio(200),
      m_pacingCaRatio(120),
      m_paceInitialWindow(false),
      m_version(QuicHeader::QUIC_VERSION_1),
      m_tcb(CreateObject<QuicSocketState>()),
      m_txBuffer(CreateObject<QuicSocketTxBuffer>()),
      m_rxBuffer(CreateObject<QuicSocketRxBuffer>())
{
    NS_LOG_FUNCTION(this);
    RegisterNativeProtoops();
    m_ackTimer.SetFunction(MakeCallback(&QuicSocketBase::OnAckTimer, this));
    m_idleTimer.SetFunction(MakeCallback(&QuicSocketBase::OnIdleTimer, this));
}

QuicSocketBase::~QuicSocketBase()
{
    NS_LOG_FUNCTION(this);
}

void
QuicSocketBase::DoDispose()
{
    NS_LOG_FUNCTION(this);
    CancelTimers();
    if (m_plugins)
    {
        m_plugins->UnloadAll(); // hooks and plugin timers go with the connection
    }
    m_recovery.reset();
    m_ccBridge.reset();
    if (m_l5)
    {
        m_l5->Dispose();
        m_l5 = nullptr;
    }
    m_listener = nullptr;
    m_quicl4 = nullptr;
    m_udp = nullptr;
    m_node = nullptr;
    Socket::DoDispose();
}

void
QuicSocketBase::CancelTimers()
{
    // Removed, not cancelled: a cancelled ns-3 event stays queued until its time, and
    // an idle timer would keep a finished simulation running for minutes.
    m_ackTimer.Stop();
    m_idleTimer.Stop();
    for (EventId* ev : {&m_closeTimer, &m_pacingEvent})
    {
        if (ev->IsRunning())
        {
            Simulator::Remove(*ev);
        }
    }
    if (m_sendScheduled)
    {
        Simulator::Remove(m_sendEvent);
        m_sendScheduled = false;
    }
    if (m_recovery)
    {
        m_recovery->Stop();
    }
}

void
QuicSocketBase::SetNode(Ptr<Node> node)
{
    m_node = node;
}

void
QuicSocketBase::SetQuicL4(Ptr<QuicL4Protocol> quic)
{
    m_quicl4 = quic;
}

void
QuicSocketBase::SetCongestionControlAlgorithm(Ptr<TcpCongestionOps> algo)
{
    NS_ABORT_MSG_IF(m_ccBridge,
                    "QuicSocketBase: congestion control set after the connection started");
    m_cc = algo;
}

Ptr<TcpCongestionOps>
QuicSocketBase::GetCongestionControlAlgorithm() const
{
    return m_cc;
}

// --- accessors -----------------------------------------------------------------------------

Socket::SocketErrno
QuicSocketBase::GetErrno() const
{
    return m_errno;
}

Socket::SocketType
QuicSocketBase::GetSocketType() const
{
    return NS3_SOCK_STREAM;
}

Ptr<Node>
QuicSocketBase::GetNode() const
{
    return m_node;
}

QuicSocket::State
QuicSocketBase::GetState() const
{
    return m_state;
}

bool
QuicSocketBase::IsServer() const
{
    return m_isServer;
}

Ptr<QuicSocketState>
QuicSocketBase::GetSocketState() const
{
    return m_tcb;
}

Ptr<QuicL5Protocol>
QuicSocketBase::GetL5() const
{
    return m_l5;
}

const QuicLossRecovery*
QuicSocketBase::GetLossRecovery() const
{
    return m_recovery.get();
}

QuicProtoopTable&
QuicSocketBase::GetProtoops()
{
    return m_protoops;
}

uint64_t
QuicSocketBase::GetCloseErrorCode() const
{
    return m_closeCode;
}

bool
QuicSocketBase::IsApplicationClose() const
{
    return m_closeApplication;
}

const QuicTransportParameters&
QuicSocketBase::GetLocalTransportParameters() const
{
    return m_localTp;
}

const QuicTransportParameters&
QuicSocketBase::GetPeerTransportParameters() const
{
    static const QuicTransportParameters none;
    return m_handshake && m_handshake->HasPeerParameters() ? m_handshake->GetPeerParameters()
                                                           : none;
}

const QuicConnectionId&
QuicSocketBase::GetLocalConnectionId() const
{
    return m_localCid;
}

bool
QuicSocketBase::IsZeroRtt() const
{
    return m_zeroRtt;
}

const QuicSocketBase::Stats&
QuicSocketBase::GetStats() const
{
    m_stats.streamBytesRetransmitted = m_l5 ? m_l5->GetBytesRetransmitted() : 0;
    m_stats.streamFramesResent = m_l5 ? m_l5->GetFramesRetransmitted() : 0;
    m_stats.spuriousLosses = m_spuriousLossesTrace.Get();
    return m_stats;
}

bool
QuicSocketBase::SetAllowBroadcast(bool allowBroadcast)
{
    return !allowBroadcast;
}

bool
QuicSocketBase::GetAllowBroadcast() const
{
    return false;
}

// --- binding, connecting, listening --------------------------------------------------------

int
QuicSocketBase::Bind()
{
    return Bind(InetSocketAddress(Ipv4Address::GetAny(), 0));
}

int
QuicSocketBase::Bind6()
{
    return Bind(Inet6SocketAddress(Ipv6Address::GetAny(), 0));
}

int
QuicSocketBase::Bind(const Address& address)
{
    NS_LOG_FUNCTION(this << address);
    if (!InetSocketAddress::IsMatchingType(address) && !Inet6SocketAddress::IsMatchingType(address))
    {
        m_errno = ERROR_INVAL;
        return -1;
    }
    if (m_udp)
    {
        m_errno = ERROR_INVAL; // already bound
        return -1;
    }
    m_local = address;
    m_bound = true;
    return 0;
}

int
QuicSocketBase::EnsureBound(const Address& peer, bool listening)
{
    if (m_udp)
    {
        return 0;
    }
    if (!m_bound)
    {
        m_local = Inet6SocketAddress::IsMatchingType(peer)
                      ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), 0))
                      : Address(InetSocketAddress(Ipv4Address::GetAny(), 0));
        m_bound = true;
    }
    m_udp = m_quicl4->OpenUdpSocket(this, m_local, listening);
    if (!m_udp)
    {
        m_errno = ERROR_ADDRINUSE;
        return -1;
    }
    m_ownsUdp = true;
    return 0;
}

int
QuicSocketBase::Connect(const Address& address)
{
    NS_LOG_FUNCTION(this << address);
    if (m_state != IDLE)
    {
        m_errno = ERROR_ISCONN;
        return -1;
    }
    if (!InetSocketAddress::IsMatchingType(address) && !Inet6SocketAddress::IsMatchingType(address))
    {
        m_errno = ERROR_INVAL;
        return -1;
    }
    NS_ABORT_MSG_UNLESS(m_quicl4,
                        "QuicSocketBase::Connect: socket not created through QuicL4Protocol; use "
                        "QuicHelper::InstallQuic and ns3::QuicSocketFactory");
    if (EnsureBound(address, false) != 0)
    {
        return -1;
    }
    m_peer = address;
    m_isServer = false;
    m_connected = true;
    m_version = m_initialVersion;
    m_localCid = m_quicl4->NewConnectionId();
    m_originalDcid = m_quicl4->NewConnectionId(); // RFC 9000 §7.2: unpredictable, ≥ 8 bytes
    m_peerCid = m_originalDcid;
    m_quicl4->RegisterConnectionId(m_localCid, this);
    m_zeroRtt = m_force0Rtt || m_quicl4->IsAuthenticated(address);
    SetUpConnection();
    SetState(CONNECTING_CLT);
    m_handshake->StartClient(m_localTp);
    RestartIdleTimer();
    // Sent from an event of its own: Connect() may be called before Simulator::Run(),
    // when nodes (and their traffic-control layers) are not initialised yet.
    ScheduleSend();
    if (m_zeroRtt)
    {
        // With 0-RTT the application may send at once: tell it now, not after the
        // handshake (TCP's "connected" means "you may write").
        Ptr<QuicSocketBase> self = this;
        Simulator::ScheduleNow([self]() {
            if (self->m_state == CONNECTING_CLT || self->m_state == OPEN)
            {
                self->NotifyConnectionSucceeded();
            }
        });
    }
    return 0;
}

int
QuicSocketBase::Listen()
{
    NS_LOG_FUNCTION(this);
    if (m_state != IDLE)
    {
        m_errno = ERROR_INVAL;
        return -1;
    }
    if (!m_bound)
    {
        m_errno = ERROR_INVAL; // a listener needs a known port
        return -1;
    }
    if (EnsureBound(m_local, true) != 0)
    {
        return -1;
    }
    m_isServer = true;
    SetState(LISTENING);
    return 0;
}

Ptr<QuicSocketBase>
QuicSocketBase::ForkForInitial(Ptr<QuicUdpPort> udp, const Address& from)
{
    NS_LOG_FUNCTION(this << from);
    if (m_state != LISTENING || !NotifyConnectionRequest(from))
    {
        return nullptr;
    }
    Ptr<QuicSocketBase> fork = CreateObject<QuicSocketBase>();
    fork->CopyConfiguration(*this);
    fork->SetNode(m_node);
    fork->SetQuicL4(m_quicl4);
    fork->SetCongestionControlAlgorithm(m_cc->Fork());
    fork->m_isServer = true;
    fork->m_udp = udp;
    fork->m_ownsUdp = false;
    fork->m_local = m_local;
    fork->m_bound = true;
    fork->m_peer = from;
    fork->m_listener = this;
    fork->m_connected = true;
    fork->SetUpConnection();
    fork->SetState(CONNECTING_SVR);
    return fork;
}

void
QuicSocketBase::CopyConfiguration(const QuicSocketBase& o)
{
    m_maxPacketSize = o.m_maxPacketSize;
    m_socketSndBufSize = o.m_socketSndBufSize;
    m_socketRcvBufSize = o.m_socketRcvBufSize;
    m_streamSndBufSize = o.m_streamSndBufSize;
    m_streamRcvBufSize = o.m_streamRcvBufSize;
    m_maxStreamsBidi = o.m_maxStreamsBidi;
    m_maxStreamsUni = o.m_maxStreamsUni;
    m_initialMaxData = o.m_initialMaxData;
    m_priorityScheduling = o.m_priorityScheduling;
    m_idleTimeoutAttr = o.m_idleTimeoutAttr;
    m_maxAckDelay = o.m_maxAckDelay;
    m_ackDelayExponent = o.m_ackDelayExponent;
    m_initialRtt = o.m_initialRtt;
    m_initialVersion = o.m_initialVersion;
    m_force0Rtt = o.m_force0Rtt;
    m_flushOnClose = o.m_flushOnClose;
    m_certificateSize = o.m_certificateSize;
    m_maxDatagramFrameSize = o.m_maxDatagramFrameSize;
    m_pacingEnabled = o.m_pacingEnabled;
    m_maxPacingRate = o.m_maxPacingRate;
    m_pacingSsRatio = o.m_pacingSsRatio;
    m_pacingCaRatio = o.m_pacingCaRatio;
    m_paceInitialWindow = o.m_paceInitialWindow;
    m_ecnEnabled = o.m_ecnEnabled;
    m_packetProtection = o.m_packetProtection;
    // Hooks attached to the listener (test or plugin helpers) follow its connections.
    m_protoops = o.m_protoops;
    m_pluginHeapSize = o.m_pluginHeapSize;
    m_pluginFuel = o.m_pluginFuel;
    m_pluginJit = o.m_pluginJit;
    AdoptListenerPlugins(o);
}

void
QuicSocketBase::SetUpConnection()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(m_cc, "QuicSocketBase: no congestion control algorithm");
    m_tcb->m_segmentSize = m_maxPacketSize;
    m_tcb->m_initialCWnd =
        QuicCongestionControl::GetInitialWindow(m_maxPacketSize) / m_maxPacketSize;
    m_tcb->m_cWnd = QuicCongestionControl::GetInitialWindow(m_maxPacketSize);
    m_tcb->m_ssThresh = UINT32_MAX;
    m_tcb->m_initialSsThresh = UINT32_MAX;
    m_tcb->TraceConnectWithoutContext("CongestionWindow",
                                      MakeCallback(&QuicSocketBase::OnCwndChange, this));
    m_tcb->TraceConnectWithoutContext("SlowStartThreshold",
                                      MakeCallback(&QuicSocketBase::OnSsThreshChange, this));
    m_tcb->TraceConnectWithoutContext("BytesInFlight",
                                      MakeCallback(&QuicSocketBase::OnBytesInFlightChange, this));
    m_cWndTrace = m_tcb->m_cWnd.Get();
    m_ssThreshTrace = m_tcb->m_ssThresh.Get();
    m_tcb->TraceConnectWithoutContext(
        "CongState",
        MakeBoundCallback(&MirrorTrace<TcpSocketState::TcpCongState_t>, &m_congStateTrace));
    m_tcb->TraceConnectWithoutContext(
        "EcnState",
        MakeBoundCallback(&MirrorTrace<TcpSocketState::EcnState_t>, &m_ecnStateTrace));
    m_tcb->TraceConnectWithoutContext(
        "PacingRate",
        MakeBoundCallback(&MirrorTrace<DataRate>, &m_pacingRateTrace));
    m_tcb->TraceConnectWithoutContext(
        "NextTxSequence",
        MakeBoundCallback(&MirrorTrace<SequenceNumber32>, &m_nextTxSeqTrace));
    m_tcb->TraceConnectWithoutContext(
        "HighestSequence",
        MakeBoundCallback(&MirrorTrace<SequenceNumber32>, &m_highTxMarkTrace));
    m_tcb->m_pacing = m_pacingEnabled;
    m_tcb->m_maxPacingRate = m_maxPacingRate;
    m_tcb->m_pacingRate = m_maxPacingRate;
    m_tcb->m_pacingSsRatio = m_pacingSsRatio;
    m_tcb->m_pacingCaRatio = m_pacingCaRatio;
    m_tcb->m_paceInitialWindow = m_paceInitialWindow;
    m_tcb->m_smoothedRtt = m_initialRtt;

    NS_ABORT_MSG_UNLESS(m_recoveryTypeId.IsChildOf(TcpRecoveryOps::GetTypeId()),
                        "QuicSocketBase: RecoveryType " << m_recoveryTypeId.GetName()
                                                        << " is no TcpRecoveryOps; use "
                                                           "ns3::TcpPrrRecovery or "
                                                           "ns3::TcpClassicRecovery");
    ObjectFactory recoveryFactory(m_recoveryTypeId.GetName());
    m_ccBridge = std::make_unique<QuicCongestionBridge>(
        m_tcb,
        m_cc,
        DynamicCast<QuicCongestionControl>(m_cc) ? nullptr
                                                 : recoveryFactory.Create<TcpRecoveryOps>());
    m_recovery = std::make_unique<QuicLossRecovery>(*this, m_tcb, *m_ccBridge, m_initialRtt);
    SetUpEcn();
    for (std::size_t i = 0; i < kQuicPacketNumberSpaces; ++i)
    {
        m_cryptoTx[i] = NewCryptoTxBuffer();
        m_cryptoRx[i] = CreateObject<QuicStreamRxBuffer>();
        m_cryptoRx[i]->SetMaxBufferSize(QuicHandshake::kMaxMessageSize * 2);
    }
    m_txBuffer->SetMaxBufferSize(m_socketSndBufSize);
    m_rxBuffer->SetMaxBufferSize(m_socketRcvBufSize);

    QuicL5Config config;
    config.streamSndBufSize = m_streamSndBufSize;
    config.streamRcvBufSize = m_streamRcvBufSize;
    config.maxStreamWindow = uint64_t(m_streamRcvBufSize) * 16;
    config.connectionWindow = m_initialMaxData;
    config.maxConnectionWindow = m_initialMaxData * 16;
    config.maxStreamsBidi = m_maxStreamsBidi;
    config.maxStreamsUni = m_maxStreamsUni;
    config.priorityScheduling = m_priorityScheduling;
    m_l5 = CreateObject<QuicL5Protocol>();
    m_l5->Setup(this, m_isServer, config);

    m_handshake = NewHandshake();
    BuildLocalTransportParameters();
    LoadConfiguredPlugins();
}

void
QuicSocketBase::SetUpEcn()
{
    m_ecn.SetStateCallback(
        [this](QuicEcnState, QuicEcnState state) { m_ecnValidationTrace = state; });
    // TcpDctcp::Init asks for ECN (m_useEcn) and chooses its ECT codepoint.
    bool algorithmWantsEcn = m_tcb->m_useEcn != TcpSocketState::Off;
    if (m_ecnEnabled || algorithmWantsEcn)
    {
        m_ecn.Enable(m_tcb->m_ectCodePoint == TcpSocketState::Ect1 ? 1 : 2);
    }
    m_recovery->SetEcnController(&m_ecn);
}

const QuicEcnController&
QuicSocketBase::GetEcnController() const
{
    return m_ecn;
}

Ptr<QuicStreamTxBuffer>
QuicSocketBase::NewCryptoTxBuffer() const
{
    Ptr<QuicStreamTxBuffer> b = CreateObject<QuicStreamTxBuffer>();
    b->SetMaxBufferSize(1 << 20);
    return b;
}

std::unique_ptr<QuicHandshake>
QuicSocketBase::NewHandshake() const
{
    QuicHandshakeSizes sizes;
    sizes.certificate = m_certificateSize;
    return std::make_unique<QuicHandshake>(m_isServer, sizes);
}

void
QuicSocketBase::BuildLocalTransportParameters()
{
    QuicTransportParameters tp;
    tp.SetMaxIdleTimeout(m_idleTimeoutAttr);
    tp.SetMaxUdpPayloadSize(std::max<uint64_t>(m_maxPacketSize, 1200));
    tp.SetAckDelayExponent(m_ackDelayExponent);
    tp.SetMaxAckDelay(m_maxAckDelay);
    tp.SetActiveConnectionIdLimit(2);
    if (m_localCid.GetLength() > 0 || !m_isServer)
    {
        tp.SetInitialSourceConnectionId(m_localCid);
    }
    if (m_isServer)
    {
        tp.SetOriginalDestinationConnectionId(m_originalDcid);
    }
    if (m_maxDatagramFrameSize > 0)
    {
        tp.SetMaxDatagramFrameSize(m_maxDatagramFrameSize);
    }
    m_l5->FillTransportParameters(tp);
    // write_transport_parameter[id]: observers (and plugins) see each parameter we send.
    const ProtoopIds& id = GetProtoopIds();
    for (const auto& p : tp.GetParameters())
    {
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({p.id});
        a.param = p.id;
        m_protoops.Call(*this, id.writeTp, a);
    }
    m_localTp = tp;
}

void
QuicSocketBase::ApplyPeerTransportParameters()
{
    NS_LOG_FUNCTION(this);
    const QuicTransportParameters& tp = m_handshake->GetPeerParameters();
    m_peerTpApplied = true;
    m_peerIdleTimeout = tp.GetMaxIdleTimeout(); // read per packet by GetIdleTimeout
    m_recovery->SetPeerMaxAckDelay(tp.GetMaxAckDelay());
    m_peerAckDelayExponent = static_cast<uint8_t>(tp.GetAckDelayExponent());
    m_l5->OnPeerTransportParameters(tp);
    const ProtoopIds& id = GetProtoopIds();
    for (const auto& p : tp.GetParameters())
    {
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({p.id});
        a.param = p.id;
        m_protoops.Call(*this, id.processTp, a);
    }
}

// --- the stream layer's side ---------------------------------------------------------------

void
QuicSocketBase::QueueControlFrame(const QuicSubheader& frame)
{
    m_txBuffer->Push(frame, false);
}

bool
QuicSocketBase::DeliverStreamData(uint64_t streamId, Ptr<Packet> data)
{
    uint32_t size = data->GetSize();
    if (!m_rxBuffer->Add(streamId, data))
    {
        return false;
    }
    m_streamRxTrace(streamId, size);
    m_dataToNotify = true;
    return true;
}

uint32_t
QuicSocketBase::GetSocketRxFreeSpace() const
{
    return m_rxBuffer->GetFreeSpace();
}

void
QuicSocketBase::NotifyStreamDataReady()
{
    ScheduleSend();
}

void
QuicSocketBase::ScheduleSend()
{
    // Sending is deferred to the end of the current event so that an application writing
    // in a loop, or a burst of frames being processed, produces full packets.
    if (!m_sendScheduled && !m_sending)
    {
        m_sendScheduled = true;
        m_sendEvent = Simulator::ScheduleNow(&QuicSocketBase::OnSendEvent, this);
    }
}

void
QuicSocketBase::OnSendEvent()
{
    m_sendScheduled = false;
    SendPendingData();
}

// --- state ----------------------------------------------------------------------------------

void
QuicSocketBase::SetState(State state)
{
    if (m_state == state)
    {
        return;
    }
    NS_LOG_INFO(this << " " << StateName(m_state) << " -> " << StateName(state));
    State old = m_state;
    m_state = state;
    if (state == OPEN && m_ccBridge)
    {
        m_ccBridge->OnConnectionEstablished(); // TCP: CongestionStateSet(CA_OPEN) on ESTABLISHED
    }
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({uint64_t(old), uint64_t(state)});
    m_protoops.Call(*this, GetProtoopIds().stateChanged, a);
}

void
QuicSocketBase::OnPacingTimer()
{
    SendPendingData();
}

void
QuicSocketBase::OnCwndChange(uint32_t oldValue, uint32_t newValue)
{
    m_cWndTrace = newValue;
}

void
QuicSocketBase::OnSsThreshChange(uint32_t oldValue, uint32_t newValue)
{
    m_ssThreshTrace = newValue;
}

void
QuicSocketBase::OnBytesInFlightChange(uint32_t oldValue, uint32_t newValue)
{
    m_bytesInFlightTrace = newValue;
}

} // namespace ns3

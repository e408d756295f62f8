/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-socket-base.h"

#include "quic-byte-reader.h"
#include "quic-congestion-control.h"
#include "quic-l4-protocol.h"
#include "quic-l5-protocol.h"
#include "quic-packet-bytes.h"
#include "quic-packet-number.h"
#include "quic-packet-protection.h"
#include "quic-plugin-instance.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-congestion-ops.h"
#include "ns3/tcp-prr-recovery.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSocketBase");

NS_OBJECT_ENSURE_REGISTERED(QuicSocketBase);

namespace
{
constexpr uint32_t kAeadTagSize = 16;           //!< RFC 9001 §5.3: AEAD_AES_128_GCM tag
constexpr uint32_t kMinInitialDatagram = 1200;  //!< RFC 9000 §14.1
constexpr uint32_t kMaxDatagramsPerCall = 4096; //!< safety bound of one send burst

/**
 * \param type a packet type
 * \return its packet-number space
 */
QuicPacketNumberSpace
SpaceOf(QuicHeader::PacketType type)
{
    switch (type)
    {
    case QuicHeader::INITIAL:
        return QuicPacketNumberSpace::INITIAL;
    case QuicHeader::HANDSHAKE:
        return QuicPacketNumberSpace::HANDSHAKE;
    default:
        return QuicPacketNumberSpace::APPLICATION;
    }
}

} // namespace

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

// --- the application's side ----------------------------------------------------------------

uint32_t
QuicSocketBase::GetTxAvailable() const
{
    if (!m_l5 || m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
    {
        return 0;
    }
    return std::min(m_txBuffer->GetFreeSpace(), m_l5->GetTxAvailable(m_l5->GetDefaultStreamId()));
}

int
QuicSocketBase::Send(Ptr<Packet> p, uint32_t flags)
{
    NS_LOG_FUNCTION(this << p->GetSize() << flags);
    if (!m_connected || !m_l5)
    {
        m_errno = ERROR_NOTCONN;
        return -1;
    }
    if (m_shutdownSend || m_closeRequested || m_state == CLOSING || m_state == DRAINING ||
        m_state == CLOSED)
    {
        m_errno = ERROR_SHUTDOWN;
        return -1;
    }
    uint32_t size = p->GetSize();
    if (size > m_txBuffer->GetFreeSpace())
    {
        m_errno = ERROR_MSGSIZE;
        return -1;
    }
    uint64_t streamId = flags == 0 ? m_l5->GetDefaultStreamId() : flags;
    SocketErrno err = ERROR_NOTERROR;
    int accepted = m_l5->Send(p, streamId, err);
    if (accepted < 0)
    {
        m_errno = err;
        return -1;
    }
    m_txBuffer->Reserve(static_cast<uint32_t>(accepted));
    // With the window full (the usual case when an application refills its buffer from
    // the send callback), nothing but ACK-only packets could leave now; what opens the
    // window sends anyway: an ACK (ReceiveDatagram), a loss (OnPacketLost) or a PTO.
    bool windowFull =
        m_state == OPEN && m_tcb->m_bytesInFlight.Get() + m_maxPacketSize > m_tcb->m_cWnd.Get();
    if (!windowFull)
    {
        ScheduleSend();
    }
    return accepted;
}

int
QuicSocketBase::SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress)
{
    return Send(p, flags); // a connection has one peer
}

uint32_t
QuicSocketBase::GetRxAvailable() const
{
    return m_rxBuffer->GetAvailable();
}

Ptr<Packet>
QuicSocketBase::Recv(uint32_t maxSize, uint32_t flags)
{
    if (m_rxBuffer->GetAvailable() == 0 || m_shutdownRecv)
    {
        m_errno = m_state == CLOSED || m_state == DRAINING ? ERROR_NOTERROR : ERROR_AGAIN;
        return nullptr;
    }
    uint64_t streamId = 0;
    Ptr<Packet> p = m_rxBuffer->Extract(maxSize, streamId);
    if (p && m_l5)
    {
        m_l5->OnConsumed(streamId, p->GetSize()); // credit back to the peer
        // A send event only if a credit update was queued: most reads queue none, and an
        // event per read would be an empty send per packet received.
        if (!m_txBuffer->IsEmpty())
        {
            ScheduleSend();
        }
    }
    return p;
}

Ptr<Packet>
QuicSocketBase::RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress)
{
    Ptr<Packet> p = Recv(maxSize, flags);
    if (p)
    {
        fromAddress = m_peer;
    }
    return p;
}

Ptr<Packet>
QuicSocketBase::RecvFromStream(uint64_t streamId, uint32_t maxSize)
{
    uint64_t next = 0;
    if (!m_rxBuffer->PeekStream(next) || next != streamId)
    {
        return nullptr;
    }
    return Recv(maxSize, 0);
}

int
QuicSocketBase::GetSockName(Address& address) const
{
    if (m_udp)
    {
        return m_udp->GetSockName(address);
    }
    address = m_local;
    return 0;
}

int
QuicSocketBase::GetPeerName(Address& address) const
{
    if (!m_connected)
    {
        m_errno = ERROR_NOTCONN;
        return -1;
    }
    address = m_peer;
    return 0;
}

int
QuicSocketBase::ShutdownSend()
{
    NS_LOG_FUNCTION(this);
    m_shutdownSend = true;
    if (m_l5)
    {
        m_l5->FinishAll();
        ScheduleSend();
    }
    return 0;
}

int
QuicSocketBase::ShutdownRecv()
{
    m_shutdownRecv = true;
    return 0;
}

int
QuicSocketBase::Close()
{
    NS_LOG_FUNCTION(this << StateName(m_state));
    switch (m_state)
    {
    case IDLE:
    case LISTENING:
        Destroy();
        return 0;
    case CLOSING:
    case DRAINING:
    case CLOSED:
        return 0;
    default:
        break;
    }
    m_closeRequested = true;
    m_l5->FinishAll();
    if (m_flushOnClose)
    {
        ScheduleSend();
        MaybeFinishGracefulClose();
    }
    else
    {
        StartClosing(0, true, 0, "");
    }
    return 0;
}

void
QuicSocketBase::CloseWithApplicationError(uint64_t applicationErrorCode, const std::string& reason)
{
    StartClosing(applicationErrorCode, true, 0, reason);
}

void
QuicSocketBase::CloseWithTransportError(const QuicWireError& error)
{
    NS_LOG_WARN(this << " closing: " << error.ToString());
    StartClosing(static_cast<uint64_t>(error.code),
                 false,
                 error.frameType == QuicWireError::kNoFrameType ? 0 : error.frameType,
                 error.message);
}

void
QuicSocketBase::Abort()
{
    NS_LOG_FUNCTION(this);
    CancelTimers();
    if (m_state != CLOSED)
    {
        m_state = CLOSED;
    }
}

void
QuicSocketBase::MaybeFinishGracefulClose()
{
    if (m_closeRequested &&
        (m_state == OPEN || m_state == CONNECTING_SVR || m_state == CONNECTING_CLT) &&
        m_l5->IsAllDataAcked() && m_handshake->IsComplete())
    {
        StartClosing(0, true, 0, "");
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

// --- keys and validation (QuicRecoveryListener) --------------------------------------------

bool
QuicSocketBase::HasKeys(QuicPacketNumberSpace space) const
{
    if (!m_handshake || m_spaceDiscarded[Idx(space)])
    {
        return false;
    }
    switch (space)
    {
    case QuicPacketNumberSpace::INITIAL:
        return true;
    case QuicPacketNumberSpace::HANDSHAKE:
        return m_handshake->HasHandshakeKeys();
    case QuicPacketNumberSpace::APPLICATION:
        return m_handshake->Has1RttKeys();
    }
    return false;
}

bool
QuicSocketBase::IsHandshakeConfirmed() const
{
    return m_handshakeConfirmed;
}

bool
QuicSocketBase::HasPeerCompletedAddressValidation() const
{
    // RFC 9002 §A.6: servers assume the client validated the server's address.
    return m_isServer || m_handshakeConfirmed || m_handshakeAcked;
}

uint64_t
QuicSocketBase::GetAmplificationBudget() const
{
    if (!m_isServer || m_peerAddressValidated)
    {
        return UINT64_MAX;
    }
    // RFC 9000 §8.1: at most three times the bytes received before validation.
    uint64_t limit = 3 * m_bytesReceivedBeforeValidation;
    return limit > m_bytesSentBeforeValidation ? limit - m_bytesSentBeforeValidation : 0;
}

bool
QuicSocketBase::IsAtAmplificationLimit() const
{
    return GetAmplificationBudget() < kMinInitialDatagram / 4;
}

Time
QuicSocketBase::AdjustPtoDuration(QuicPacketNumberSpace space, Time duration)
{
    QuicProtoopArgs a = QuicProtoopArgs::Inputs(
        {uint64_t(space), static_cast<uint64_t>(duration.GetNanoSeconds())});
    uint64_t ns = m_protoops.Call(*this, GetProtoopIds().computePto, a);
    return NanoSeconds(static_cast<int64_t>(std::min<uint64_t>(ns, uint64_t(INT64_MAX) / 2)));
}

// --- recovery events ----------------------------------------------------------------------

void
QuicSocketBase::OnPacketAcked(QuicPacketNumberSpace space, const QuicSentPacket& packet)
{
    if (space == QuicPacketNumberSpace::HANDSHAKE)
    {
        m_handshakeAcked = true;
    }
    // Plugins see this packet (META_PACKET) until it leaves; then its slots are freed.
    QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(space), packet.packetNumber, false);
    if (m_plugins)
    {
        NotifyPluginPacketAcked(space, packet);
    }
    const QuicProtoopId notify = GetProtoopIds().notifyFrame;
    for (const QuicSentFrame& f : packet.frames)
    {
        if (f.type == QuicSubheader::CRYPTO)
        {
            m_cryptoTx[Idx(space)]->OnAcked(f.offset, f.length, false);
        }
        else if (QuicSubheader::IsStream(f.type))
        {
            uint32_t released = m_l5->OnStreamFrameAcked(f);
            if (released > 0)
            {
                m_txBuffer->Release(released);
                m_notifySend = true;
            }
        }
        else if (f.type == QuicSubheader::ACK || f.type == QuicSubheader::ACK_ECN)
        {
            m_received[Idx(space)].OnAckOfAck(f.offset);
        }
        if (m_protoops.IsHooked(notify, f.type))
        {
            QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&f), 1});
            a.param = f.type;
            m_protoops.Call(*this, notify, a);
        }
    }
    if (m_plugins)
    {
        m_plugins->ForgetPacket(
            QuicPluginSet::PacketKey(uint8_t(space), packet.packetNumber, false));
    }
}

void
QuicSocketBase::OnPacketLost(QuicPacketNumberSpace space, const QuicSentPacket& packet)
{
    const ProtoopIds& id = GetProtoopIds();
    m_lostPacketsTrace = m_lostPacketsTrace.Get() + 1;
    QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(space), packet.packetNumber, false);
    QuicProtoopArgs lost = QuicProtoopArgs::Inputs({packet.packetNumber, uint64_t(space)});
    m_protoops.Call(*this, id.packetLost, lost);
    m_ecn.OnPacketLost(packet.ecn);
    for (const QuicSentFrame& f : packet.frames)
    {
        if (f.type == QuicSubheader::CRYPTO)
        {
            if (!m_spaceDiscarded[Idx(space)])
            {
                m_cryptoTx[Idx(space)]->OnLost(f.offset, f.length, false);
            }
        }
        else if (QuicSubheader::IsStream(f.type))
        {
            m_l5->OnStreamFrameLost(f);
        }
        else if (f.control)
        {
            // RFC 9000 §13.3: flow-control updates are sent afresh with current values;
            // other control frames are repeated as they were.
            switch (f.type)
            {
            case QuicSubheader::MAX_DATA:
            case QuicSubheader::MAX_STREAM_DATA:
            case QuicSubheader::MAX_STREAMS_BIDI:
            case QuicSubheader::MAX_STREAMS_UNI:
            case QuicSubheader::DATA_BLOCKED:
            case QuicSubheader::STREAM_DATA_BLOCKED:
            case QuicSubheader::STREAMS_BLOCKED_BIDI:
            case QuicSubheader::STREAMS_BLOCKED_UNI:
            case QuicSubheader::RESET_STREAM:
            case QuicSubheader::STOP_SENDING:
                m_l5->OnControlFrameLost(*f.control);
                break;
            case QuicSubheader::PATH_RESPONSE:
                break; // RFC 9000 §13.3: not retransmitted
            default:
                m_txBuffer->Push(*f.control, true);
                break;
            }
        }
        if (m_protoops.IsHooked(id.notifyFrame, f.type))
        {
            QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&f), 0});
            a.param = f.type;
            m_protoops.Call(*this, id.notifyFrame, a);
        }
    }
    if (m_plugins)
    {
        m_plugins->ForgetPacket(
            QuicPluginSet::PacketKey(uint8_t(space), packet.packetNumber, false));
    }
    ScheduleSend();
}

void
QuicSocketBase::SendProbes(QuicPacketNumberSpace space, uint32_t count)
{
    NS_LOG_FUNCTION(this << QuicPacketNumberSpaceName(space) << count);
    // Observer event for plugins (one per PTO expiry; nothing attached costs one look-up).
    using K = QuicProtoopArgKind;
    static const QuicProtoopId ptoFired =
        QuicProtoopRegistry::Intern("pto_fired", {K::VALUE, K::VALUE});
    if (m_protoops.IsHooked(ptoFired, kQuicNoParam))
    {
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({uint64_t(space), count});
        m_protoops.Call(*this, ptoFired, a);
    }
    if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
    {
        return;
    }
    // RFC 9002 §6.2.4: probe with new data if there is some, else retransmit, else PING.
    // Unacknowledged CRYPTO data of the space is resent with the probe.
    if (space != QuicPacketNumberSpace::APPLICATION && !m_spaceDiscarded[Idx(space)])
    {
        m_cryptoTx[Idx(space)]->OnLost(m_cryptoTx[Idx(space)]->GetAckedOffset(),
                                       m_cryptoTx[Idx(space)]->GetNextOffset() -
                                           m_cryptoTx[Idx(space)]->GetAckedOffset(),
                                       false);
    }
    // With no new stream data, the probes carry the oldest unacknowledged stream data: a
    // probe that arrives then repairs a loss even while the ACKs that would declare it
    // are lost (a probe of PINGs only left such a transfer waiting on doubling PTOs).
    if (space == QuicPacketNumberSpace::APPLICATION && !m_l5->HasDataToSend())
    {
        uint32_t packets = 0;
        m_recovery->ForEachOutstanding(space, [this, &packets, count](const QuicSentPacket& p) {
            bool stream = false;
            for (const QuicSentFrame& f : p.frames)
            {
                if (QuicSubheader::IsStream(f.type))
                {
                    m_l5->OnStreamFrameLost(f);
                    stream = true;
                }
            }
            packets += stream ? 1 : 0;
            return packets < count;
        });
    }
    for (uint32_t i = 0; i < count; ++i)
    {
        m_probePending[Idx(space)] = true;
        if (SendDatagram(&space) == 0)
        {
            break;
        }
    }
    m_probePending[Idx(space)] = false;
}

// --- closing ---------------------------------------------------------------------------------

Time
QuicSocketBase::GetIdleTimeout() const
{
    // RFC 9000 §10.1: the smaller of the two non-zero announced values.
    Time local = m_idleTimeoutAttr;
    Time peer = m_peerTpApplied ? m_peerIdleTimeout : Time(0);
    Time t = local.IsZero() ? peer : (peer.IsZero() ? local : std::min(local, peer));
    if (t.IsZero())
    {
        return t;
    }
    // Not shorter than three PTOs, so a lost packet cannot end the connection.
    Time pto = m_recovery ? m_recovery->GetPtoPeriod() * 3 : Time(0);
    return std::max(t, pto);
}

void
QuicSocketBase::RestartIdleTimer()
{
    m_lastActivity = Now();
    Time timeout = GetIdleTimeout();
    if (timeout.IsZero())
    {
        return;
    }
    // A QuicDeadlineTimer: its event is not moved on every packet (it moves itself on
    // when it runs early); it is moved earlier only when the timeout itself shrank (the
    // peer's value arrived, RTT samples lowered 3 PTOs).
    m_idleTimer.Arm(m_lastActivity + timeout, m_lastActivity);
}

void
QuicSocketBase::OnIdleTimer()
{
    Time timeout = GetIdleTimeout();
    if (timeout.IsZero())
    {
        return;
    }
    Time idle = Simulator::Now() - m_lastActivity;
    if (idle < timeout)
    {
        m_idleTimer.Arm(m_lastActivity + timeout);
        return;
    }
    NS_LOG_INFO(this << " idle timeout after " << idle.As(Time::S));
    // RFC 9000 §10.1: the connection is silently closed.
    m_closeCode = static_cast<uint64_t>(QuicTransportErrorCode::NO_ERROR);
    m_errno = ERROR_NOTCONN;
    bool wasOpen = m_state != CLOSING && m_state != DRAINING;
    Destroy();
    if (wasOpen)
    {
        NotifyErrorClose();
    }
}

void
QuicSocketBase::StartClosing(uint64_t code,
                             bool application,
                             uint64_t frameType,
                             const std::string& reason)
{
    NS_LOG_FUNCTION(this << code << application << reason);
    if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED || !m_recovery)
    {
        return;
    }
    m_closeCode = code;
    m_closeApplication = application;
    m_closeFrameType = frameType;
    m_closeReason = reason;
    Time period = m_recovery->GetPtoPeriod() * 3;
    CancelTimers();
    SetState(CLOSING);
    SendConnectionClose();
    // RFC 9000 §10.2: the closing period lasts three PTOs.
    m_closeTimer = Simulator::Schedule(period, &QuicSocketBase::Destroy, this);
    if (code == 0 && application)
    {
        NotifyNormalClose();
    }
    else
    {
        NotifyErrorClose();
    }
}

void
QuicSocketBase::SendConnectionClose()
{
    m_lastCloseSent = Simulator::Now();
    // The close goes in the most protected space both ends have (RFC 9000 §10.2.3);
    // before the handshake completes, an application close becomes APPLICATION_ERROR.
    QuicPacketNumberSpace space = QuicPacketNumberSpace::INITIAL;
    if (HasKeys(QuicPacketNumberSpace::APPLICATION) && m_handshake->IsComplete())
    {
        space = QuicPacketNumberSpace::APPLICATION;
    }
    else if (HasKeys(QuicPacketNumberSpace::HANDSHAKE))
    {
        space = QuicPacketNumberSpace::HANDSHAKE;
    }
    else if (m_spaceDiscarded[Idx(QuicPacketNumberSpace::INITIAL)])
    {
        return; // nothing left to send it in
    }
    QuicSubheader frame;
    if (m_closeApplication && space == QuicPacketNumberSpace::APPLICATION)
    {
        frame = QuicSubheader::CreateApplicationClose(m_closeCode, m_closeReason);
    }
    else
    {
        auto code = m_closeApplication ? QuicTransportErrorCode::APPLICATION_ERROR
                                       : static_cast<QuicTransportErrorCode>(m_closeCode);
        frame = QuicSubheader::CreateConnectionClose(code, m_closeFrameType, m_closeReason);
    }
    if (!m_udp)
    {
        return;
    }
    m_pending.clear();
    m_pktFrames[0].clear();
    QuicByteWriter w(m_pktFrames[0]);
    frame.Encode(w);
    PendingPacket pkt;
    pkt.plan = PacketPlan{space, PacketTypeFor(space), false};
    pkt.packetNumber = m_nextPn[Idx(space)];
    pkt.pnLength =
        QuicPacketNumber::GetEncodedLength(pkt.packetNumber, m_recovery->GetLargestAcked(space));
    m_pending.push_back(std::move(pkt));
    FlushDatagram();
}

void
QuicSocketBase::StartDraining(uint64_t code, bool application)
{
    NS_LOG_FUNCTION(this << code << application);
    if (m_state == DRAINING || m_state == CLOSED)
    {
        return;
    }
    bool wasClosing = m_state == CLOSING;
    m_closeCode = code;
    m_closeApplication = application;
    Time period = m_recovery ? m_recovery->GetPtoPeriod() * 3 : Time(0);
    CancelTimers();
    SetState(DRAINING);
    // RFC 9000 §10.2.2: no more packets; the state goes after three PTOs.
    m_closeTimer = Simulator::Schedule(period, &QuicSocketBase::Destroy, this);
    if (!wasClosing)
    {
        if (code == 0)
        {
            NotifyNormalClose();
        }
        else
        {
            NotifyErrorClose();
        }
    }
}

void
QuicSocketBase::Destroy()
{
    NS_LOG_FUNCTION(this);
    if (m_destroyed)
    {
        return;
    }
    m_destroyed = true;
    CancelTimers();
    if (m_state != CLOSED)
    {
        SetState(CLOSED);
    }
    if (m_quicl4)
    {
        Ptr<QuicSocketBase> self = this; // L4 drops its reference
        m_quicl4->RemoveSocket(self);
    }
}

// --- sending ----------------------------------------------------------------------------------

QuicHeader::PacketType
QuicSocketBase::PacketTypeFor(QuicPacketNumberSpace space) const
{
    switch (space)
    {
    case QuicPacketNumberSpace::INITIAL:
        return QuicHeader::INITIAL;
    case QuicPacketNumberSpace::HANDSHAKE:
        return QuicHeader::HANDSHAKE;
    default:
        // A client without 1-RTT keys sends application data in 0-RTT packets.
        return (!m_isServer && !m_handshake->Has1RttKeys()) ? QuicHeader::ZERO_RTT
                                                            : QuicHeader::SHORT;
    }
}

bool
QuicSocketBase::CanSendIn(QuicPacketNumberSpace space) const
{
    if (space == QuicPacketNumberSpace::APPLICATION && !m_isServer && m_zeroRtt &&
        !m_handshake->Has1RttKeys())
    {
        return !m_spaceDiscarded[Idx(space)]; // 0-RTT
    }
    return HasKeys(space);
}

uint32_t
QuicSocketBase::GetHeaderOverhead(QuicPacketNumberSpace space, uint8_t pnLength) const
{
    if (PacketTypeFor(space) == QuicHeader::SHORT)
    {
        return 1 + m_peerCid.GetLength() + pnLength;
    }
    // first byte, version, two connection IDs with their lengths, Length (2 bytes)
    uint32_t n = 1 + 4 + 1 + m_peerCid.GetLength() + 1 + m_localCid.GetLength() + 2 + pnLength;
    if (space == QuicPacketNumberSpace::INITIAL)
    {
        n += 1; // empty token: its varint length
    }
    return n;
}

bool
QuicSocketBase::IsAckDue(QuicPacketNumberSpace space) const
{
    const QuicReceivedPacketTracker& t = m_received[Idx(space)];
    if (!t.IsAckPending())
    {
        return false;
    }
    // RFC 9000 §13.2.1: Initial and Handshake packets are acknowledged at once; 1-RTT
    // ones after two ack-eliciting packets, on reordering, or after max_ack_delay.
    return space != QuicPacketNumberSpace::APPLICATION || t.IsAckImmediate() ||
           Now() >= t.GetAckPendingSince() + m_maxAckDelay;
}

bool
QuicSocketBase::HasDataFor(QuicPacketNumberSpace space, bool congestionLimited, bool probe) const
{
    if (PacketTypeFor(space) != QuicHeader::ZERO_RTT && IsAckDue(space))
    {
        return true;
    }
    if (probe)
    {
        return true;
    }
    if (!m_pluginFrames.empty() && space == QuicPacketNumberSpace::APPLICATION &&
        PacketTypeFor(space) == QuicHeader::SHORT && HasPluginFrames(congestionLimited))
    {
        return true;
    }
    if (congestionLimited)
    {
        return false;
    }
    if (m_cryptoTx[Idx(space)]->HasPendingData())
    {
        return true;
    }
    if (space != QuicPacketNumberSpace::APPLICATION)
    {
        return false;
    }
    if (PacketTypeFor(space) == QuicHeader::SHORT && !m_txBuffer->IsEmpty())
    {
        return true;
    }
    return m_l5->HasDataToSend();
}

void
QuicSocketBase::SendPendingData()
{
    if (m_sending || !m_handshake)
    {
        return;
    }
    if (m_state == IDLE || m_state == LISTENING || m_state == CLOSING || m_state == DRAINING ||
        m_state == CLOSED)
    {
        return;
    }
    m_sending = true;
    NowScope nowScope(*this);
    PullHandshakeOutput();
    m_pacingBlocked = false;
    for (uint32_t i = 0; i < kMaxDatagramsPerCall; ++i)
    {
        if (SendDatagram(nullptr) == 0)
        {
            break;
        }
    }
    m_sending = false;
    if (m_pacingBlocked)
    {
        if (!m_pacingEvent.IsRunning())
        {
            Time at = m_ccBridge->GetPacer().GetNextSendTime();
            m_pacingEvent = Simulator::Schedule(std::max(at - Now(), Time(0)),
                                                &QuicSocketBase::OnPacingTimer,
                                                this);
        }
    }
    else if (m_state == OPEN &&
             m_tcb->m_bytesInFlight.Get() + m_maxPacketSize <= m_tcb->m_cWnd.Get())
    {
        // Window left and nothing sent: application- or flow-control-limited (the rate
        // sampler marks the samples of this bubble, draft-cheng-iccrg-delivery-rate §3.4).
        m_ccBridge->OnApplicationLimited();
    }
    ScheduleAckTimer();
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({static_cast<uint64_t>(Now().GetNanoSeconds())});
    m_protoops.Call(*this, GetProtoopIds().setNextWakeTime, a);
}

uint32_t
QuicSocketBase::SendDatagram(const QuicPacketNumberSpace* probeSpace)
{
    if (!m_udp)
    {
        return 0;
    }
    uint64_t budget64 = std::min<uint64_t>(m_maxPacketSize, GetAmplificationBudget());
    if (budget64 < 64)
    {
        return 0; // RFC 9000 §8.1: anti-amplification limit reached
    }
    auto budget = static_cast<uint32_t>(budget64);
    bool cwndOk = m_tcb->m_bytesInFlight.Get() + m_maxPacketSize <= m_tcb->m_cWnd.Get();
    // RFC 9002 §7.7: a paced sender holds congestion-controlled packets until their
    // departure time; ACK-only packets still leave (limited = true lets only ACKs through).
    if (cwndOk && !m_ccBridge->GetPacer().CanSend(Now()))
    {
        cwndOk = false;
        m_pacingBlocked = true;
    }
    if (!cwndOk && probeSpace == nullptr && m_pluginFrames.empty() &&
        !m_received[0].IsAckPending() && !m_received[1].IsAckPending() &&
        !m_received[2].IsAckPending())
    {
        // Held by the window or the pacer with no ACK owed: HasDataFor would say so for
        // every space (the attempt that ends nearly every SendPendingData call).
        return 0;
    }
    m_pending.clear();
    uint32_t used = 0;
    bool hasInitial = false;
    for (std::size_t i = 0; i < kQuicPacketNumberSpaces; ++i)
    {
        auto space = static_cast<QuicPacketNumberSpace>(i);
        if (probeSpace != nullptr && space != *probeSpace)
        {
            continue;
        }
        if (!CanSendIn(space))
        {
            continue;
        }
        bool probe = probeSpace != nullptr;
        bool limited = !cwndOk && !probe;
        if (!HasDataFor(space, limited, probe))
        {
            continue;
        }
        std::optional<uint64_t> largestAcked = m_recovery->GetLargestAcked(space);
        uint64_t pn = m_nextPn[i];
        uint8_t pnLength = QuicPacketNumber::GetEncodedLength(pn, largestAcked);
        uint32_t overhead = GetHeaderOverhead(space, pnLength) + kAeadTagSize;
        if (used + overhead + 8 > budget)
        {
            break;
        }
        std::size_t slot = m_pending.size();
        m_pktFrames[slot].clear();
        PendingPacket pkt;
        pkt.plan = PacketPlan{space, PacketTypeFor(space), probe};
        pkt.packetNumber = pn;
        pkt.pnLength = pnLength;
        FrameJob job;
        job.plan = pkt.plan;
        job.buffer = &m_pktFrames[slot];
        job.budget = budget - used - overhead;
        job.congestionLimited = limited;
        job.frames = &pkt.frames;
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&job)});
        uint64_t written = 0;
        {
            QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(i), pn, false);
            written = m_protoops.Call(*this, GetProtoopIds().scheduleFrames, a);
        }
        if (written == 0 || m_pktFrames[slot].empty())
        {
            if (m_plugins)
            {
                // The number goes to the next packet: slots set while writing do not.
                m_plugins->ForgetPacket(QuicPluginSet::PacketKey(uint8_t(i), pn, false));
            }
            continue;
        }
        pkt.ackEliciting = job.ackEliciting;
        pkt.hasAck = job.hasAck;
        pkt.ackLargest = job.ackLargest;
        used += overhead + static_cast<uint32_t>(m_pktFrames[slot].size());
        hasInitial = hasInitial || space == QuicPacketNumberSpace::INITIAL;
        m_pending.push_back(std::move(pkt));
        if (m_pending.back().plan.type == QuicHeader::SHORT)
        {
            break; // a short header has no length: it is the last packet of a datagram
        }
    }
    if (m_pending.empty())
    {
        return 0;
    }
    // RFC 9000 §14.1: datagrams with a client's Initial, or a server's ack-eliciting
    // Initial, are padded to 1200 bytes — with PADDING frames in the last packet.
    bool mustPad = false;
    for (const PendingPacket& p : m_pending)
    {
        if (p.plan.space == QuicPacketNumberSpace::INITIAL && (!m_isServer || p.ackEliciting))
        {
            mustPad = true;
        }
    }
    if (mustPad && used < kMinInitialDatagram)
    {
        std::size_t slot = m_pending.size() - 1;
        m_pktFrames[slot].resize(m_pktFrames[slot].size() + (kMinInitialDatagram - used), 0);
        m_pending.back().padded = true;
    }
    return FlushDatagram();
}

uint32_t
QuicSocketBase::FlushDatagram()
{
    m_datagram.clear();
    QuicByteWriter dw(m_datagram);
    Time now = Now();
    // Headers are kept for the Tx trace only: most runs connect nothing to it.
    bool traced = !m_txTrace.IsEmpty();
    std::vector<QuicHeader> headers;
    for (std::size_t k = 0; k < m_pending.size(); ++k)
    {
        PendingPacket& p = m_pending[k];
        const std::vector<uint8_t>& frames = m_pktFrames[k];
        uint64_t payload = frames.size() + kAeadTagSize;
        std::size_t start = m_datagram.size();
        if (p.plan.type == QuicHeader::SHORT && !traced)
        {
            // The bulk of packets: the header's bytes, no QuicHeader (no trace wants one).
            QuicHeader::EncodeShort(dw, m_peerCid, p.packetNumber, p.pnLength);
        }
        else
        {
            // Built in place (one QuicHeader per packet, not a default one assigned over).
            QuicHeader h = [&]() {
                switch (p.plan.type)
                {
                case QuicHeader::INITIAL:
                    return QuicHeader::CreateInitial(m_peerCid,
                                                     m_localCid,
                                                     {},
                                                     p.packetNumber,
                                                     p.pnLength,
                                                     payload,
                                                     m_version);
                case QuicHeader::HANDSHAKE:
                    return QuicHeader::CreateHandshake(m_peerCid,
                                                       m_localCid,
                                                       p.packetNumber,
                                                       p.pnLength,
                                                       payload,
                                                       m_version);
                case QuicHeader::ZERO_RTT:
                    return QuicHeader::Create0Rtt(m_peerCid,
                                                  m_localCid,
                                                  p.packetNumber,
                                                  p.pnLength,
                                                  payload,
                                                  m_version);
                default:
                    return QuicHeader::CreateShort(m_peerCid, p.packetNumber, p.pnLength);
                }
            }();
            if (h.IsLong())
            {
                h.SetLengthFieldSize(2);
            }
            h.Encode(dw);
            if (traced)
            {
                headers.push_back(h);
            }
        }
        dw.WriteBytes(frames.data(), frames.size());
        dw.WriteRepeated(0, kAeadTagSize); // the AEAD tag's bytes (no real encryption)
        p.size = static_cast<uint32_t>(m_datagram.size() - start);
        if (m_packetProtection)
        {
            QuicPacketProtection::Seal(m_datagram.data() + start, p.size);
        }
    }
    auto size = static_cast<uint32_t>(m_datagram.size());
    Ptr<Packet> datagram = QuicMakePacket(m_datagram.data(), size);
    uint8_t ecn = m_ecn.GetCodepointToSend();
    m_ecn.OnDatagramSent(ecn, static_cast<uint32_t>(m_pending.size()));
    // UDP and IP add their headers to the packet they are given: the Tx trace gets the
    // QUIC datagram alone.
    m_quicl4->SendDatagram(m_udp, traced ? datagram->Copy() : datagram, m_peer, ecn);
    m_stats.bytesSent += size;
    if (m_isServer && !m_peerAddressValidated)
    {
        m_bytesSentBeforeValidation += size;
    }

    const ProtoopIds& id = GetProtoopIds();
    bool ackElicitingSent = false;
    for (std::size_t k = 0; k < m_pending.size(); ++k)
    {
        PendingPacket& p = m_pending[k];
        std::size_t si = Idx(p.plan.space);
        m_nextPn[si] = p.packetNumber + 1;
        ++m_stats.packetsSent;
        if (p.hasAck)
        {
            m_received[si].OnAckSent();
            m_lastAckSent[si] = now;
        }
        if (traced)
        {
            m_txTrace(datagram, headers[k], this);
        }
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({p.packetNumber, p.size, uint64_t(si)});
        {
            QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(si), p.packetNumber, false);
            m_protoops.Call(*this, id.onPacketSent, a);
        }
        ackElicitingSent = ackElicitingSent || p.ackEliciting;
        if (p.ackEliciting && !p.plan.probe)
        {
            m_ccBridge->GetPacer().OnPacketSent(now, p.size);
        }
        if (si == Idx(QuicPacketNumberSpace::APPLICATION))
        {
            m_nextPacketNumberTrace = m_nextPn[si];
        }
        if (m_state != CLOSING)
        {
            QuicSentPacket sent;
            sent.packetNumber = p.packetNumber;
            sent.timeSent = now;
            sent.size = p.size;
            sent.ackEliciting = p.ackEliciting;
            sent.inFlight = p.ackEliciting || p.padded;
            sent.hasAck = p.hasAck;
            sent.largestAckSent = p.ackLargest;
            sent.ecn = ecn;
            sent.frames = std::move(p.frames);
            m_recovery->OnPacketSent(p.plan.space, std::move(sent));
        }
        else if (m_plugins)
        {
            // Not tracked: its packet metadata slots go now.
            m_plugins->ForgetPacket(QuicPluginSet::PacketKey(uint8_t(si), p.packetNumber, false));
        }
        // RFC 9001 §4.9.1: a client discards Initial keys when it first sends a
        // Handshake packet.
        if (!m_isServer && p.plan.space == QuicPacketNumberSpace::HANDSHAKE &&
            !m_spaceDiscarded[Idx(QuicPacketNumberSpace::INITIAL)])
        {
            DiscardSpace(QuicPacketNumberSpace::INITIAL);
        }
    }
    if (ackElicitingSent)
    {
        RestartIdleTimer(); // RFC 9000 §10.1
    }
    m_pending.clear();
    return size;
}

uint64_t
QuicSocketBase::WriteFrames(FrameJob& job)
{
    std::vector<uint8_t>& buf = *job.buffer;
    QuicByteWriter w(buf);
    std::size_t start = buf.size();
    auto room = [&]() -> uint32_t {
        std::size_t used = buf.size() - start;
        return used >= job.budget ? 0 : job.budget - static_cast<uint32_t>(used);
    };
    QuicPacketNumberSpace space = job.plan.space;
    std::size_t si = Idx(space);
    Time now = Now();

    // 1. ACK: whenever something ack-eliciting awaits acknowledgment (RFC 9000 §13.2);
    //    never in 0-RTT packets (§12.4).
    QuicReceivedPacketTracker& tracker = m_received[si];
    // A packet that goes anyway (not held by the window, so it carries more than an ACK)
    // repeats the ACK once per smoothed RTT until the peer confirms one (ack-of-ack): a
    // single lost ACK then cannot leave the peer backing off its PTO round after round
    // (TCP repeats its cumulative ACK in every segment), at a cost of one ACK frame per RTT.
    bool ackDue =
        tracker.IsAckPending() || (!job.congestionLimited && tracker.HasUnconfirmedAck() &&
                                   now - m_lastAckSent[si] >= m_tcb->m_smoothedRtt);
    if (job.plan.type != QuicHeader::ZERO_RTT && tracker.HasReceived() && ackDue)
    {
        // RFC 9000 §13.4.1: ECN counts are reported once any packet arrived marked.
        const QuicEcnCounts& ecnCounts = tracker.GetEcnCounts();
        bool withEcn = ecnCounts.ect0 + ecnCounts.ect1 + ecnCounts.ce > 0;
        uint64_t largest = 0;
        uint64_t ackType = 0;
        // Written straight into the packet (what BuildAckFrame(...).Encode would write).
        if (tracker.WriteAckFrame(w, now, m_ackDelayExponent, withEcn, room(), largest, ackType) >
            0)
        {
            job.hasAck = true;
            job.ackLargest = largest;
            QuicSentFrame rec;
            rec.type = ackType;
            rec.offset = job.ackLargest;
            job.frames->push_back(rec);
        }
    }
    if (!m_pluginFrames.empty() && job.plan.type == QuicHeader::SHORT)
    {
        WritePluginFrames(job, start); // plugin frames reserved outside the window go too
    }
    if (job.congestionLimited && !job.plan.probe)
    {
        return buf.size() - start; // only ACKs escape the congestion window
    }

    // 2. CRYPTO data of this space, retransmissions first.
    Ptr<QuicStreamTxBuffer> crypto = m_cryptoTx[si];
    while (crypto->HasPendingData() && room() > 16)
    {
        uint64_t offset = 0;
        uint64_t len = 0;
        bool fin = false;
        if (!crypto->NextChunk(room() - 16, UINT64_MAX, offset, len, fin) || len == 0)
        {
            break;
        }
        QuicSubheader f = QuicSubheader::CreateCrypto(offset, len);
        f.Encode(w);
        std::size_t pos = buf.size();
        buf.resize(pos + len);
        crypto->CopyData(offset, len, buf.data() + pos);
        QuicSentFrame rec;
        rec.type = QuicSubheader::CRYPTO;
        rec.streamId = si;
        rec.offset = offset;
        rec.length = len;
        job.frames->push_back(rec);
        job.ackEliciting = true;
    }

    if (space == QuicPacketNumberSpace::APPLICATION)
    {
        // 3. Control frames (1-RTT only): HANDSHAKE_DONE, flow-control updates, …
        if (job.plan.type == QuicHeader::SHORT && !m_txBuffer->IsEmpty())
        {
            QuicSubheader f; // an ns3::Header: built only when a control frame waits
            while (room() > 0 && m_txBuffer->Pop(room(), f))
            {
                f.Encode(w);
                QuicSentFrame rec;
                rec.type = f.GetFrameType();
                rec.streamId = f.GetStreamId();
                rec.control = std::make_shared<QuicSubheader>(f);
                job.frames->push_back(rec);
                job.ackEliciting = job.ackEliciting || QuicSubheader::IsAckEliciting(rec.type);
            }
        }
        // 4. Stream data, by the scheduling policy, within flow control.
        if (room() > 24)
        {
            // Nothing follows stream data in a 1-RTT packet (a probe adds a PING only when
            // nothing ack-eliciting was written), and long-header packets may be padded.
            bool last = job.plan.type == QuicHeader::SHORT;
            uint32_t n = m_l5->WriteStreamFrames(w, room(), *job.frames, last);
            job.ackEliciting = job.ackEliciting || n > 0;
        }
    }

    // 5. A probe must elicit an acknowledgment (RFC 9002 §6.2.4).
    if (job.plan.probe && !job.ackEliciting && room() >= 1)
    {
        QuicSubheader::CreatePing().Encode(w);
        QuicSentFrame rec;
        rec.type = QuicSubheader::PING;
        job.frames->push_back(rec);
        job.ackEliciting = true;
    }
    return buf.size() - start;
}

void
QuicSocketBase::PullHandshakeOutput()
{
    if (!m_handshake || !m_handshake->HasOutput())
    {
        return; // nothing new: the usual case, twice per datagram after the handshake
    }
    for (std::size_t i = 0; i < kQuicPacketNumberSpaces; ++i)
    {
        std::vector<uint8_t> bytes = m_handshake->Take(static_cast<QuicHandshake::Level>(i));
        if (!bytes.empty() && !m_spaceDiscarded[i])
        {
            uint32_t n = m_cryptoTx[i]->Add(bytes.data(), static_cast<uint32_t>(bytes.size()));
            NS_ABORT_MSG_IF(n != bytes.size(), "QuicSocketBase: CRYPTO send buffer overflow");
        }
    }
}

void
QuicSocketBase::ScheduleAckTimer()
{
    // Pending after every other packet and sent with the next: a QuicDeadlineTimer keeps
    // one event queued instead of one cancelled event per two packets.
    const QuicReceivedPacketTracker& t = m_received[Idx(QuicPacketNumberSpace::APPLICATION)];
    if (!t.IsAckPending() || m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
    {
        m_ackTimer.Disarm();
        return;
    }
    m_ackTimer.Arm(t.GetAckPendingSince() + m_maxAckDelay, Now());
}

void
QuicSocketBase::OnAckTimer()
{
    SendPendingData();
}

void
QuicSocketBase::DiscardSpace(QuicPacketNumberSpace space)
{
    NS_LOG_FUNCTION(this << QuicPacketNumberSpaceName(space));
    if (m_spaceDiscarded[Idx(space)])
    {
        return;
    }
    m_spaceDiscarded[Idx(space)] = true;
    m_recovery->DiscardSpace(space);
    if (m_plugins)
    {
        m_plugins->ForgetSpace(uint8_t(Idx(space))); // its sent packets are abandoned
    }
}

// --- receiving --------------------------------------------------------------------------------

void
QuicSocketBase::ReceiveDatagram(const uint8_t* data,
                                std::size_t size,
                                const Address& from,
                                uint8_t tos)
{
    NS_LOG_FUNCTION(this << size << from);
    if (m_state == CLOSED || m_state == DRAINING || !m_handshake)
    {
        return; // RFC 9000 §10.2.2: a draining endpoint sends nothing
    }
    Ptr<QuicSocketBase> self = this; // a close may make L4 drop its reference
    NowScope nowScope(*this);        // after self: closed before the reference goes
    m_stats.bytesReceived += size;
    if (m_isServer && !m_peerAddressValidated)
    {
        m_bytesReceivedBeforeValidation += size;
    }
    if (m_state == CLOSING)
    {
        // RFC 9000 §10.2.1: answer with CONNECTION_CLOSE, at a limited rate.
        Time gap = m_recovery ? m_recovery->GetRtt().GetSmoothedRtt() : MilliSeconds(1);
        if (Simulator::Now() - m_lastCloseSent >= gap)
        {
            SendConnectionClose();
        }
        return;
    }
    std::size_t pos = 0;
    while (pos < size)
    {
        QuicHeader h;
        std::size_t consumed = 0;
        QuicWireError err;
        if (!QuicHeader::TryDecode(data + pos,
                                   size - pos,
                                   m_localCid.GetLength(),
                                   h,
                                   consumed,
                                   err))
        {
            NS_LOG_LOGIC("undecodable packet dropped: " << err.ToString());
            ++m_stats.packetsDropped;
            break; // RFC 9000 §12.2: the rest of the datagram cannot be parsed either
        }
        QuicHeader::PacketType type = h.GetType();
        if (type == QuicHeader::VERSION_NEGOTIATION)
        {
            OnVersionNegotiation(h);
            break;
        }
        if (type == QuicHeader::RETRY || type == QuicHeader::UNKNOWN_VERSION)
        {
            ++m_stats.packetsDropped; // Retry is not modelled; unknown versions are ignored
            break;
        }
        std::size_t end = size;
        if (h.IsLong())
        {
            if (h.GetPayloadLength() > size - pos - consumed)
            {
                ++m_stats.packetsDropped;
                break;
            }
            end = pos + consumed + h.GetPayloadLength();
        }
        std::size_t payloadLen = end - pos - consumed;
        if (payloadLen <= kAeadTagSize)
        {
            ++m_stats.packetsDropped; // too short to hold an AEAD tag and a frame
            pos = end;
            continue;
        }
        if (m_packetProtection && !QuicPacketProtection::Verify(data + pos, end - pos))
        {
            ++m_stats.packetsDropped; // RFC 9000 §12.2: authentication failed, discarded
            pos = end;
            continue;
        }
        if (m_isServer && !m_cidsSet && type == QuicHeader::INITIAL)
        {
            AdoptClientInitial(h);
        }
        else if (!m_isServer && !m_serverCidKnown &&
                 (type == QuicHeader::INITIAL || type == QuicHeader::HANDSHAKE))
        {
            // RFC 9000 §7.2: the client switches to the connection ID the server chose.
            m_peerCid = h.GetSourceConnectionId();
            m_serverCidKnown = true;
        }
        if (!ProcessPacket(h, data + pos + consumed, payloadLen - kAeadTagSize, tos))
        {
            break;
        }
        if (!m_txTrace.IsEmpty() || !m_rxTrace.IsEmpty())
        {
            m_rxTrace(Create<Packet>(data + pos, end - pos), h, this);
        }
        pos = end;
    }
    if (m_state == CLOSED || m_state == CLOSING || m_state == DRAINING)
    {
        return;
    }
    OnHandshakeProgress();
    MaybeFinishGracefulClose();
    SendPendingData();
    if (m_dataToNotify && m_state != CLOSED)
    {
        m_dataToNotify = false;
        NotifyDataRecv();
    }
    if (m_notifySend && m_state != CLOSED)
    {
        m_notifySend = false;
        uint32_t avail = GetTxAvailable();
        if (avail > 0)
        {
            NotifySend(avail);
        }
    }
}

void
QuicSocketBase::AdoptClientInitial(const QuicHeader& h)
{
    m_originalDcid = h.GetDestinationConnectionId();
    m_peerCid = h.GetSourceConnectionId();
    m_version = h.GetVersion();
    m_localCid = m_quicl4->NewConnectionId();
    m_quicl4->RegisterConnectionId(m_localCid, this);
    // The client keeps using the original DCID until our first Initial reaches it.
    m_quicl4->RegisterConnectionId(m_originalDcid, this);
    m_cidsSet = true;
    BuildLocalTransportParameters();
    m_handshake->SetServerParameters(m_localTp);
    RestartIdleTimer();
}

bool
QuicSocketBase::ProcessPacket(const QuicHeader& h,
                              const uint8_t* payload,
                              std::size_t len,
                              uint8_t tos)
{
    QuicHeader::PacketType type = h.GetType();
    QuicPacketNumberSpace space = SpaceOf(type);
    std::size_t si = Idx(space);
    bool keys = HasKeys(space);
    if (type == QuicHeader::ZERO_RTT)
    {
        // A server reads 0-RTT once it has the ClientHello; a client never receives it.
        keys = m_isServer && m_handshake->HasPeerParameters() && !m_spaceDiscarded[si];
    }
    if (!keys)
    {
        NS_LOG_LOGIC("no keys for " << QuicHeader::PacketTypeToString(type) << ": dropped");
        ++m_stats.packetsDropped;
        return true;
    }
    std::optional<uint64_t> largest;
    if (m_received[si].HasReceived())
    {
        largest = m_received[si].GetLargestReceived();
    }
    uint64_t pn = QuicPacketNumber::Decode(largest,
                                           h.GetTruncatedPacketNumber(),
                                           h.GetPacketNumberLength() * 8);
    if (m_received[si].IsDuplicate(pn))
    {
        ++m_stats.packetsDropped;
        return true;
    }
    if (m_isServer && space == QuicPacketNumberSpace::HANDSHAKE)
    {
        // RFC 9000 §8.1: a Handshake packet proves the client's address; RFC 9001
        // §4.9.1: the server then discards Initial keys.
        m_peerAddressValidated = true;
        DiscardSpace(QuicPacketNumberSpace::INITIAL);
    }

    // Plugins see this packet (META_PACKET) while it is parsed.
    QuicPluginPacketScope packetScope(m_plugins.get(), uint8_t(si), pn, true);
    QuicByteReader reader(payload, len);
    bool ackEliciting = false;
    const QuicProtoopId processFrame = GetProtoopIds().processFrame;
    while (reader.Remaining() > 0)
    {
        QuicSubheader f;
        QuicWireError err;
        std::size_t frameStart = reader.Position();
        std::size_t pluginConsumed = 0;
        if (m_plugins && ParsePluginFrame(payload + frameStart, reader.Remaining(), pluginConsumed))
        {
            if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
            {
                return false;
            }
            if (pluginConsumed == 0 || pluginConsumed > reader.Remaining())
            {
                QuicWireError e;
                e.Set(QuicTransportErrorCode::FRAME_ENCODING_ERROR,
                      0,
                      "Frame Type",
                      frameStart,
                      "a plugin could not parse its frame");
                CloseWithTransportError(e);
                return false;
            }
            reader.Skip(pluginConsumed);
            ackEliciting = true; // plugin frames are ack-eliciting (their notify needs it)
            continue;
        }
        if (!QuicSubheader::TryDecode(reader, f, err))
        {
            err.offset += frameStart;
            CloseWithTransportError(err);
            return false;
        }
        uint64_t ft = f.GetFrameType();
        if (!QuicSubheader::IsAllowedInPacketType(ft, type))
        {
            QuicWireError e;
            e.Set(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                  ft,
                  "Frame Type",
                  frameStart,
                  std::string("frame not allowed in ") + QuicHeader::PacketTypeToString(type) +
                      " packets");
            CloseWithTransportError(e);
            return false;
        }
        const uint8_t* data = nullptr;
        uint64_t dataLen = 0;
        if (QuicSubheader::IsStream(ft) || ft == QuicSubheader::CRYPTO ||
            QuicSubheader::IsDatagram(ft))
        {
            dataLen = f.GetDataLength();
            data = payload + reader.Position();
            reader.Skip(dataLen); // TryDecode checked the bytes are there
        }
        ackEliciting = ackEliciting || QuicSubheader::IsAckEliciting(ft);
        QuicProtoopArgs a = QuicProtoopArgs::Inputs({reinterpret_cast<uint64_t>(&f),
                                                     reinterpret_cast<uint64_t>(data),
                                                     dataLen,
                                                     uint64_t(si)});
        a.param = ft;
        uint64_t rc = m_protoops.Call(*this, processFrame, a);
        if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
        {
            return false; // the frame closed the connection
        }
        if (rc != 0)
        {
            QuicWireError e = m_lastError;
            if (!e.IsError())
            {
                e.Set(static_cast<QuicTransportErrorCode>(rc),
                      ft,
                      "",
                      frameStart,
                      "frame rejected");
            }
            e.frameType = ft;
            m_lastError.Clear();
            CloseWithTransportError(e);
            return false;
        }
    }
    if (m_plugins)
    {
        // Plugin-defined ACK policy (e.g. the ack-frequency plugin); no plugin, no call.
        static const QuicProtoopId ackThreshold =
            QuicProtoopRegistry::Intern("ack_eliciting_threshold", {QuicProtoopArgKind::VALUE});
        if (m_protoops.IsCallable(ackThreshold, kQuicNoParam))
        {
            QuicProtoopArgs t = QuicProtoopArgs::Inputs({uint64_t(si)});
            uint64_t n = m_protoops.Call(*this, ackThreshold, t);
            m_received[si].SetAckElicitingThreshold(
                static_cast<uint32_t>(std::min<uint64_t>(n, UINT32_MAX)));
        }
    }
    m_received[si].OnPacketReceived(pn, ackEliciting, Now(), tos & 0x3);
    ++m_stats.packetsReceived;
    QuicProtoopArgs a = QuicProtoopArgs::Inputs({pn, len, uint64_t(si)});
    m_protoops.Call(*this, GetProtoopIds().onPacketReceived, a);
    RestartIdleTimer();
    return true;
}

uint64_t
QuicSocketBase::ProcessFrame(const QuicSubheader& f,
                             const uint8_t* data,
                             uint64_t dataLen,
                             QuicPacketNumberSpace space)
{
    uint64_t type = f.GetFrameType();
    auto fail = [this, type](QuicTransportErrorCode code, const std::string& msg) {
        m_lastError.Set(code, type, "", 0, msg);
        return static_cast<uint64_t>(code);
    };
    if (QuicSubheader::IsStream(type))
    {
        QuicWireError err;
        if (!m_l5->OnStreamFrame(f, data, err))
        {
            m_lastError = err;
            return static_cast<uint64_t>(err.code);
        }
        return 0;
    }
    switch (type)
    {
    case QuicSubheader::PADDING:
    case QuicSubheader::PING:
        return 0;
    case QuicSubheader::ACK:
    case QuicSubheader::ACK_ECN:
        if (!m_recovery->OnAckReceived(space, f, m_peerAckDelayExponent))
        {
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                        "acknowledges a packet number never sent");
        }
        m_rttTrace = m_tcb->m_smoothedRtt;
        m_ptoTrace = m_recovery->GetPtoPeriod();
        if (space == QuicPacketNumberSpace::APPLICATION)
        {
            m_largestAckedTrace =
                m_recovery->GetLargestAcked(space).value_or(m_largestAckedTrace.Get());
        }
        return 0;
    case QuicSubheader::CRYPTO:
        return OnCryptoFrame(f, data, space);
    case QuicSubheader::RESET_STREAM:
    case QuicSubheader::STOP_SENDING:
    case QuicSubheader::MAX_DATA:
    case QuicSubheader::MAX_STREAM_DATA:
    case QuicSubheader::MAX_STREAMS_BIDI:
    case QuicSubheader::MAX_STREAMS_UNI:
    case QuicSubheader::DATA_BLOCKED:
    case QuicSubheader::STREAM_DATA_BLOCKED:
    case QuicSubheader::STREAMS_BLOCKED_BIDI:
    case QuicSubheader::STREAMS_BLOCKED_UNI: {
        QuicWireError err;
        if (!m_l5->OnControlFrame(f, err))
        {
            m_lastError = err;
            return static_cast<uint64_t>(err.code);
        }
        return 0;
    }
    case QuicSubheader::NEW_TOKEN:
        if (m_isServer)
        {
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION, "NEW_TOKEN sent by a client");
        }
        return 0; // tokens are not used: Retry and address-validation tokens are not modelled
    case QuicSubheader::NEW_CONNECTION_ID:
    case QuicSubheader::RETIRE_CONNECTION_ID:
        return 0; // connection migration is not modelled; extra IDs are not used
    case QuicSubheader::PATH_CHALLENGE:
        QueueControlFrame(QuicSubheader::CreatePathResponse(f.GetPathData()));
        return 0;
    case QuicSubheader::PATH_RESPONSE:
        return 0;
    case QuicSubheader::CONNECTION_CLOSE:
    case QuicSubheader::APPLICATION_CLOSE:
        NS_LOG_INFO(this << " peer closed: code " << f.GetErrorCode() << " "
                         << f.GetReasonPhrase());
        StartDraining(f.GetErrorCode(), type == QuicSubheader::APPLICATION_CLOSE);
        return 0;
    case QuicSubheader::HANDSHAKE_DONE:
        if (m_isServer)
        {
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION,
                        "HANDSHAKE_DONE sent by a client");
        }
        if (!m_handshakeConfirmed)
        {
            // RFC 9001 §4.1.2: confirmed; §4.9.2: Handshake keys go.
            m_handshakeConfirmed = true;
            DiscardSpace(QuicPacketNumberSpace::HANDSHAKE);
        }
        return 0;
    case QuicSubheader::DATAGRAM:
    case QuicSubheader::DATAGRAM_WITH_LENGTH:
        if (m_maxDatagramFrameSize == 0 || dataLen > m_maxDatagramFrameSize)
        {
            // RFC 9221 §3: DATAGRAM without (or beyond) our announced support.
            return fail(QuicTransportErrorCode::PROTOCOL_VIOLATION, "unexpected DATAGRAM frame");
        }
        ++m_datagramsReceived;
        return 0;
    default:
        return fail(QuicTransportErrorCode::FRAME_ENCODING_ERROR, "no handler for this frame type");
    }
}

uint64_t
QuicSocketBase::OnCryptoFrame(const QuicSubheader& f,
                              const uint8_t* data,
                              QuicPacketNumberSpace space)
{
    std::size_t si = Idx(space);
    QuicTransportErrorCode code = QuicTransportErrorCode::NO_ERROR;
    if (!m_cryptoRx[si]->Insert(f.GetOffset(), data, f.GetDataLength(), false, code))
    {
        m_lastError.Set(code, QuicSubheader::CRYPTO, "Offset", 0, "CRYPTO data rejected");
        return static_cast<uint64_t>(code);
    }
    uint64_t readable = m_cryptoRx[si]->GetReadableBytes();
    if (readable == 0)
    {
        return 0;
    }
    if (readable > QuicHandshake::kMaxMessageSize * 2)
    {
        m_lastError.Set(QuicTransportErrorCode::CRYPTO_BUFFER_EXCEEDED,
                        QuicSubheader::CRYPTO,
                        "",
                        0,
                        "too much CRYPTO data");
        return static_cast<uint64_t>(QuicTransportErrorCode::CRYPTO_BUFFER_EXCEEDED);
    }
    m_cryptoScratch.resize(readable);
    m_cryptoRx[si]->Read(m_cryptoScratch.data(), readable);
    QuicWireError err;
    if (!m_handshake->OnCryptoData(static_cast<QuicHandshake::Level>(si),
                                   m_cryptoScratch.data(),
                                   readable,
                                   err))
    {
        m_lastError = err;
        return static_cast<uint64_t>(err.code);
    }
    return 0;
}

void
QuicSocketBase::OnHandshakeProgress()
{
    PullHandshakeOutput();
    if (m_handshake->HasPeerParameters() && !m_peerTpApplied)
    {
        ApplyPeerTransportParameters();
    }
    if (m_isServer)
    {
        if (m_state == CONNECTING_SVR && m_handshake->HasPeerParameters() && !m_acceptNotified)
        {
            m_acceptNotified = true;
            if (m_listener)
            {
                m_listener->NotifyNewConnectionCreated(this, m_peer);
            }
        }
        if (m_handshake->IsComplete() && !m_handshakeConfirmed)
        {
            // RFC 9001 §4.1.2: the server's handshake is confirmed on completion; it
            // tells the client with HANDSHAKE_DONE and drops Handshake keys (§4.9.2).
            m_handshakeConfirmed = true;
            m_peerAddressValidated = true;
            QueueControlFrame(QuicSubheader::CreateHandshakeDone());
            DiscardSpace(QuicPacketNumberSpace::HANDSHAKE);
            SetState(OPEN);
            QuicProtoopArgs a;
            m_protoops.Call(*this, GetProtoopIds().handshakeDone, a);
        }
        return;
    }
    if (m_handshake->IsComplete() && m_state == CONNECTING_CLT)
    {
        SetState(OPEN);
        m_quicl4->AddAuthenticated(m_peer); // later connections may use 0-RTT
        QuicProtoopArgs a;
        m_protoops.Call(*this, GetProtoopIds().handshakeDone, a);
        if (!m_zeroRtt)
        {
            NotifyConnectionSucceeded();
        }
    }
}

void
QuicSocketBase::OnVersionNegotiation(const QuicHeader& h)
{
    // RFC 9000 §6.2: only a client still waiting for its first server packet acts on it.
    if (m_isServer || m_state != CONNECTING_CLT || m_serverCidKnown || m_versionNegotiated)
    {
        return;
    }
    const std::vector<uint32_t>& offered = h.GetSupportedVersions();
    if (std::find(offered.begin(), offered.end(), m_version) != offered.end())
    {
        return; // a VN listing our version is ignored
    }
    uint32_t chosen = 0;
    for (uint32_t v : offered)
    {
        if (m_quicl4->IsVersionSupported(v))
        {
            chosen = v;
            break;
        }
    }
    if (chosen == 0)
    {
        NS_LOG_INFO(this << " no common QUIC version");
        m_errno = ERROR_NOTCONN;
        Destroy();
        NotifyConnectionFailed();
        return;
    }
    NS_LOG_INFO(this << " version negotiation: retrying with 0x" << std::hex << chosen << std::dec);
    m_versionNegotiated = true;
    m_version = chosen;
    // A new first flight: the handshake restarts from the ClientHello.
    m_recovery->DiscardSpace(QuicPacketNumberSpace::INITIAL);
    if (m_plugins)
    {
        m_plugins->ForgetSpace(uint8_t(Idx(QuicPacketNumberSpace::INITIAL)));
    }
    m_cryptoTx[Idx(QuicPacketNumberSpace::INITIAL)] = NewCryptoTxBuffer();
    m_handshake = NewHandshake();
    m_handshake->StartClient(m_localTp);
}

} // namespace ns3

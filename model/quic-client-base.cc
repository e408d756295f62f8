/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What QuicClient and QuicEchoClient share: one connection, paced packet generation
 * round-robin over streams, lossless writes, connect and close handling.
 */

#include "quic-client-base.h"

#include "quic-app-stream-io.h"
#include "quic-socket-base.h"

#include "ns3/abort.h"
#include "ns3/address-utils.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <limits>

namespace ns3
{

// No log component of its own: every log line of this class goes to its subclass's
// component (QuicClient, QuicEchoClient), which users enable by that name.

NS_OBJECT_ENSURE_REGISTERED(QuicClientBase);

TypeId
QuicClientBase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicClientBase").SetParent<Application>().SetGroupName("Applications");
    return tid;
}

TypeId
QuicClientBase::AddClientAttributesAndTraces(TypeId tid, const AttributeDefaults& defaults)
{
    return tid
        .AddAttribute("MaxPackets",
                      "The maximum number of packets the application will send (0: no "
                      "limit, until the application stops)",
                      UintegerValue(100),
                      MakeUintegerAccessor(&QuicClientBase::m_count),
                      MakeUintegerChecker<uint32_t>())
        .AddAttribute("Interval",
                      "The time to wait between packets",
                      TimeValue(Seconds(1.0)),
                      MakeTimeAccessor(&QuicClientBase::m_interval),
                      MakeTimeChecker(Seconds(0)))
        .AddAttribute("RemoteAddress",
                      "The destination Address of the outbound packets (an Ipv4Address or "
                      "Ipv6Address with RemotePort, or an Inet[6]SocketAddress)",
                      AddressValue(),
                      MakeAddressAccessor(&QuicClientBase::m_peerAddress),
                      MakeAddressChecker())
        .AddAttribute("RemotePort",
                      "The destination port of the outbound packets",
                      UintegerValue(defaults.remotePort),
                      MakeUintegerAccessor(&QuicClientBase::m_peerPort),
                      MakeUintegerChecker<uint16_t>())
        .AddAttribute("PacketSize",
                      defaults.packetSizeHelp,
                      UintegerValue(defaults.packetSize),
                      MakeUintegerAccessor(&QuicClientBase::m_size),
                      MakeUintegerChecker<uint32_t>(defaults.minPacketSize, 16 * 1024 * 1024))
        .AddAttribute("NumStreams",
                      "Number of client-initiated bidirectional streams (0, 4, 8, …) the "
                      "packets are spread over, round-robin; keep it within the server's "
                      "MaxStreamsBidi",
                      UintegerValue(1),
                      MakeUintegerAccessor(&QuicClientBase::m_numStreams),
                      MakeUintegerChecker<uint32_t>(1, 1u << 20))
        .AddTraceSource("Tx",
                        "A packet has been accepted by the QUIC socket",
                        MakeTraceSourceAccessor(&QuicClientBase::m_txTrace),
                        "ns3::Packet::TracedCallback")
        .AddTraceSource("TxWithAddresses",
                        "A packet has been accepted by the QUIC socket (local and remote "
                        "addresses)",
                        MakeTraceSourceAccessor(&QuicClientBase::m_txTraceWithAddresses),
                        "ns3::Packet::TwoAddressTracedCallback");
}

QuicClientBase::QuicClientBase(const std::string& appName, const AttributeDefaults& defaults)
    : NS_LOG_TEMPLATE_DEFINE(appName),
      m_appName(appName),
      m_count(100),
      m_interval(Seconds(1.0)),
      m_size(defaults.packetSize),
      m_numStreams(1),
      m_peerPort(defaults.remotePort)
{
    // No NS_LOG_FUNCTION: the subclass constructor logs, one line per construction as before.
}

QuicClientBase::~QuicClientBase()
{
}

void
QuicClientBase::SetRemote(Address ip, uint16_t port)
{
    NS_LOG_FUNCTION(this << ip << port);
    m_peerAddress = ip;
    m_peerPort = port;
}

void
QuicClientBase::SetRemote(Address addr)
{
    NS_LOG_FUNCTION(this << addr);
    m_peerAddress = addr;
}

uint64_t
QuicClientBase::GetSent() const
{
    return m_sent;
}

uint64_t
QuicClientBase::GetTransmitted() const
{
    return m_transmitted;
}

uint64_t
QuicClientBase::GetTransmittedBytes() const
{
    return m_transmittedBytes;
}

uint64_t
QuicClientBase::GetBacklogBytes() const
{
    return m_io ? m_io->GetBacklogBytes() : 0;
}

uint64_t
QuicClientBase::GetReceivedBytes() const
{
    return m_rxBytes;
}

uint64_t
QuicClientBase::GetSocketRefusals() const
{
    return m_io ? m_io->GetRefusals() : 0;
}

Ptr<Socket>
QuicClientBase::GetSocket() const
{
    return m_socket;
}

uint64_t
QuicClientBase::GetStreamIdForIndex(uint32_t index)
{
    return uint64_t(index) << 2; // RFC 9000 §2.1: client-initiated bidirectional
}

void
QuicClientBase::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    m_io.reset();
    m_socket = nullptr;
    Application::DoDispose();
}

void
QuicClientBase::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!m_socket)
    {
        m_peer = QuicAppStreamIo::MakeSocketAddress(m_peerAddress,
                                                    m_peerPort,
                                                    m_appName + " RemoteAddress");
        Ptr<QuicSocketBase> socket =
            QuicAppStreamIo::CreateBoundSocket(GetNode(), m_peer, m_appName);
        m_socket = socket;
        m_io = std::make_unique<QuicAppStreamIo>(socket);
        m_io->SetSentCallback(MakeCallback(&QuicClientBase::PacketSent, this));
        m_socket->SetConnectCallback(MakeCallback(&QuicClientBase::ConnectionSucceeded, this),
                                     MakeCallback(&QuicClientBase::ConnectionFailed, this));
        m_socket->SetSendCallback(MakeCallback(&QuicClientBase::HandleSendSpace, this));
        m_socket->SetRecvCallback(MakeCallback(&QuicClientBase::HandleRead, this));
        m_socket->SetCloseCallbacks(MakeCallback(&QuicClientBase::HandleClose, this),
                                    MakeCallback(&QuicClientBase::HandleClose, this));
        NS_ABORT_MSG_IF(m_socket->Connect(m_peer) != 0,
                        m_appName << ": Connect(" << m_peer << ") failed (errno "
                                  << m_socket->GetErrno() << ")");
    }
    // As UdpClient and UdpEchoClient: the first packet right away (the socket holds it
    // until it may send), so an echo client's first RTT includes the handshake.
    m_sendEvent = Simulator::ScheduleNow(&QuicClientBase::Send, this);
}

void
QuicClientBase::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    if (m_socket)
    {
        if (m_io && m_io->HasBacklog())
        {
            NS_LOG_INFO(m_appName << " stops with " << m_io->GetBacklogBytes()
                                  << " bytes never accepted by the socket");
        }
        m_socket->Close();
    }
}

void
QuicClientBase::Send()
{
    NS_LOG_FUNCTION(this);
    auto seq = static_cast<uint32_t>(m_sent);
    uint64_t streamId = GetStreamIdForIndex(static_cast<uint32_t>(m_sent % m_numStreams));
    Ptr<Packet> p = GeneratePacket(seq, streamId);
    ++m_sent;
    NS_LOG_INFO(m_appName << " generates packet " << seq << " (" << m_size << " bytes) on stream "
                          << streamId);
    m_io->Send(p, streamId);
    if (m_count == 0 || m_sent < m_count)
    {
        m_sendEvent = Simulator::Schedule(m_interval, &QuicClientBase::Send, this);
    }
}

void
QuicClientBase::PacketSent(Ptr<const Packet> packet, uint64_t streamId)
{
    ++m_transmitted;
    m_transmittedBytes += packet->GetSize();
    m_txTrace(packet);
    if (!m_txTraceWithAddresses.IsEmpty())
    {
        Address local;
        m_socket->GetSockName(local);
        m_txTraceWithAddresses(packet, local, m_peer);
    }
}

void
QuicClientBase::HandleRead(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    uint64_t streamId = 0;
    while (Ptr<Packet> p = m_io->Receive(std::numeric_limits<uint32_t>::max(), streamId))
    {
        m_rxBytes += p->GetSize();
        ReceiveBytes(p, streamId);
    }
}

void
QuicClientBase::HandleSendSpace(Ptr<Socket> socket, uint32_t available)
{
    m_io->Flush();
}

void
QuicClientBase::ConnectionSucceeded(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_io->Flush();
}

void
QuicClientBase::ConnectionFailed(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    NS_LOG_WARN(m_appName << ": connection to " << m_peer << " failed");
    m_sendEvent.Cancel();
}

void
QuicClientBase::HandleClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_sendEvent.Cancel();
}

} // namespace ns3

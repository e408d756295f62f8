/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A constant-rate QUIC client spreading its packets over several streams.
 */

#include "quic-client.h"

#include "quic-app-stream-io.h"
#include "quic-socket-base.h"

#include "ns3/abort.h"
#include "ns3/address-utils.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/seq-ts-size-header.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicClient");

NS_OBJECT_ENSURE_REGISTERED(QuicClient);

TypeId
QuicClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicClient")
            .SetParent<Application>()
            .SetGroupName("Applications")
            .AddConstructor<QuicClient>()
            .AddAttribute("MaxPackets",
                          "The maximum number of packets the application will send (0: no "
                          "limit, until the application stops)",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicClient::m_count),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Interval",
                          "The time to wait between packets",
                          TimeValue(Seconds(1.0)),
                          MakeTimeAccessor(&QuicClient::m_interval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("RemoteAddress",
                          "The destination Address of the outbound packets (an Ipv4Address or "
                          "Ipv6Address with RemotePort, or an Inet[6]SocketAddress)",
                          AddressValue(),
                          MakeAddressAccessor(&QuicClient::m_peerAddress),
                          MakeAddressChecker())
            .AddAttribute("RemotePort",
                          "The destination port of the outbound packets",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicClient::m_peerPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("PacketSize",
                          "Size in bytes of each packet, SeqTsSizeHeader (20 bytes) included",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&QuicClient::m_size),
                          MakeUintegerChecker<uint32_t>(20, 16 * 1024 * 1024))
            .AddAttribute("NumStreams",
                          "Number of client-initiated bidirectional streams (0, 4, 8, …) the "
                          "packets are spread over, round-robin; keep it within the server's "
                          "MaxStreamsBidi",
                          UintegerValue(1),
                          MakeUintegerAccessor(&QuicClient::m_numStreams),
                          MakeUintegerChecker<uint32_t>(1, 1u << 20))
            .AddTraceSource("Tx",
                            "A packet has been accepted by the QUIC socket",
                            MakeTraceSourceAccessor(&QuicClient::m_txTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Rx",
                            "Bytes have been received from the server",
                            MakeTraceSourceAccessor(&QuicClient::m_rxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("TxWithAddresses",
                            "A packet has been accepted by the QUIC socket (local and remote "
                            "addresses)",
                            MakeTraceSourceAccessor(&QuicClient::m_txTraceWithAddresses),
                            "ns3::Packet::TwoAddressTracedCallback");
    return tid;
}

QuicClient::QuicClient()
    : m_count(100),
      m_interval(Seconds(1.0)),
      m_size(1024),
      m_numStreams(1),
      m_peerPort(100)
{
    NS_LOG_FUNCTION(this);
}

QuicClient::~QuicClient()
{
    NS_LOG_FUNCTION(this);
}

void
QuicClient::SetRemote(Address ip, uint16_t port)
{
    NS_LOG_FUNCTION(this << ip << port);
    m_peerAddress = ip;
    m_peerPort = port;
}

void
QuicClient::SetRemote(Address addr)
{
    NS_LOG_FUNCTION(this << addr);
    m_peerAddress = addr;
}

uint64_t
QuicClient::GetSent() const
{
    return m_sent;
}

uint64_t
QuicClient::GetTransmitted() const
{
    return m_transmitted;
}

uint64_t
QuicClient::GetTransmittedBytes() const
{
    return m_transmittedBytes;
}

uint64_t
QuicClient::GetBacklogBytes() const
{
    return m_io ? m_io->GetBacklogBytes() : 0;
}

uint64_t
QuicClient::GetSocketRefusals() const
{
    return m_io ? m_io->GetRefusals() : 0;
}

Ptr<Socket>
QuicClient::GetSocket() const
{
    return m_socket;
}

uint64_t
QuicClient::GetStreamIdForIndex(uint32_t index)
{
    return uint64_t(index) << 2; // RFC 9000 §2.1: client-initiated bidirectional
}

void
QuicClient::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    m_io.reset();
    m_socket = nullptr;
    Application::DoDispose();
}

void
QuicClient::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!m_socket)
    {
        m_peer = QuicAppStreamIo::MakeSocketAddress(m_peerAddress,
                                                    m_peerPort,
                                                    "QuicClient RemoteAddress");
        Ptr<QuicSocketBase> socket =
            QuicAppStreamIo::CreateBoundSocket(GetNode(), m_peer, "QuicClient");
        m_socket = socket;
        m_io = std::make_unique<QuicAppStreamIo>(socket);
        m_io->SetSentCallback(MakeCallback(&QuicClient::PacketSent, this));
        m_socket->SetConnectCallback(MakeCallback(&QuicClient::ConnectionSucceeded, this),
                                     MakeCallback(&QuicClient::ConnectionFailed, this));
        m_socket->SetSendCallback(MakeCallback(&QuicClient::HandleSendSpace, this));
        m_socket->SetRecvCallback(MakeCallback(&QuicClient::HandleRead, this));
        m_socket->SetCloseCallbacks(MakeCallback(&QuicClient::HandleClose, this),
                                    MakeCallback(&QuicClient::HandleClose, this));
        NS_ABORT_MSG_IF(m_socket->Connect(m_peer) != 0,
                        "QuicClient: Connect(" << m_peer << ") failed (errno "
                                               << m_socket->GetErrno() << ")");
    }
    // As UdpClient: the first packet right away (the socket holds it until it may send).
    m_sendEvent = Simulator::ScheduleNow(&QuicClient::Send, this);
}

void
QuicClient::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_sendEvent.Cancel();
    if (m_socket)
    {
        if (m_io && m_io->HasBacklog())
        {
            NS_LOG_INFO("QuicClient stops with " << m_io->GetBacklogBytes()
                                                 << " bytes never accepted by the socket");
        }
        m_socket->Close();
    }
}

void
QuicClient::Send()
{
    NS_LOG_FUNCTION(this);
    SeqTsSizeHeader header; // timestamped now
    header.SetSeq(static_cast<uint32_t>(m_sent));
    header.SetSize(m_size);
    Ptr<Packet> p = Create<Packet>(m_size - header.GetSerializedSize());
    p->AddHeader(header);
    uint64_t streamId = GetStreamIdForIndex(static_cast<uint32_t>(m_sent % m_numStreams));
    ++m_sent;
    NS_LOG_INFO("QuicClient generates packet " << header.GetSeq() << " (" << m_size
                                               << " bytes) on stream " << streamId);
    m_io->Send(p, streamId);
    if (m_count == 0 || m_sent < m_count)
    {
        m_sendEvent = Simulator::Schedule(m_interval, &QuicClient::Send, this);
    }
}

void
QuicClient::PacketSent(Ptr<const Packet> packet, uint64_t streamId)
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
QuicClient::HandleRead(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    uint64_t streamId = 0;
    while (Ptr<Packet> p = m_io->Receive(std::numeric_limits<uint32_t>::max(), streamId))
    {
        m_rxBytes += p->GetSize();
        NS_LOG_INFO("QuicClient received " << p->GetSize() << " bytes on stream " << streamId);
        m_rxTrace(p);
    }
}

void
QuicClient::HandleSendSpace(Ptr<Socket> socket, uint32_t available)
{
    m_io->Flush();
}

void
QuicClient::ConnectionSucceeded(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_io->Flush();
}

void
QuicClient::ConnectionFailed(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    NS_LOG_WARN("QuicClient: connection to " << m_peer << " failed");
    m_sendEvent.Cancel();
}

void
QuicClient::HandleClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_sendEvent.Cancel();
}

} // namespace ns3

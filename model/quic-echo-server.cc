/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A QUIC echo server: every byte goes back on the stream it came on.
 */

#include "quic-echo-server.h"

#include "quic-app-stream-io.h"

#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/socket.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicEchoServer");

NS_OBJECT_ENSURE_REGISTERED(QuicEchoServer);

namespace
{
/// Port's default (QuicEchoClient's RemotePort default, UdpEchoServer's).
constexpr uint16_t kDefaultPort = 9;
} // namespace

TypeId
QuicEchoServer::GetTypeId()
{
    static TypeId tid =
        MakeServerTypeId<QuicEchoServer>("ns3::QuicEchoServer", kDefaultPort)
            .AddTraceSource("Rx",
                            "Bytes have been received (and will be echoed)",
                            MakeTraceSourceAccessor(&QuicEchoServer::m_rxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("RxWithAddresses",
                            "Bytes have been received (client and local addresses)",
                            MakeTraceSourceAccessor(&QuicEchoServer::m_rxTraceWithAddresses),
                            "ns3::Packet::TwoAddressTracedCallback");
    return tid;
}

QuicEchoServer::QuicEchoServer()
    : QuicServerBase("QuicEchoServer", kDefaultPort)
{
    NS_LOG_FUNCTION(this);
}

QuicEchoServer::~QuicEchoServer()
{
    NS_LOG_FUNCTION(this);
}

uint64_t
QuicEchoServer::GetEchoedBytes() const
{
    return m_echoedBytes;
}

uint64_t
QuicEchoServer::GetUnechoedBytes() const
{
    return m_unechoed;
}

void
QuicEchoServer::SetUpConnection(Ptr<Socket> socket, Connection& conn)
{
    conn.io->SetSentCallback(MakeCallback(&QuicEchoServer::EchoSent, this));
    socket->SetSendCallback(MakeCallback(&QuicEchoServer::HandleSendSpace, this));
}

void
QuicEchoServer::HandleRead(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Connection* conn = FindConnection(socket);
    if (!conn || conn->closed)
    {
        return;
    }
    // Stop reading while echoes wait for the socket: QUIC flow control then pushes back.
    while (!conn->io->HasBacklog())
    {
        uint64_t streamId = 0;
        Ptr<Packet> p = conn->io->Receive(std::numeric_limits<uint32_t>::max(), streamId);
        if (!p)
        {
            break;
        }
        CountReceivedBytes(streamId, p->GetSize());
        NS_LOG_INFO("QuicEchoServer received " << p->GetSize() << " bytes on stream " << streamId
                                               << " from " << conn->from);
        m_rxTrace(p);
        if (!m_rxTraceWithAddresses.IsEmpty())
        {
            Address local;
            socket->GetSockName(local);
            m_rxTraceWithAddresses(p, conn->from, local);
        }
        if (streamId == QuicAppStreamIo::kUnknownStream)
        {
            NS_LOG_WARN("QuicEchoServer: " << p->GetSize() << " bytes of an unknown stream "
                                           << "cannot be echoed");
            m_unechoed += p->GetSize();
            continue;
        }
        conn->io->Send(p, streamId);
    }
}

void
QuicEchoServer::HandleSendSpace(Ptr<Socket> socket, uint32_t available)
{
    Connection* conn = FindConnection(socket);
    if (!conn)
    {
        return;
    }
    conn->io->Flush();
    if (!conn->io->HasBacklog())
    {
        HandleRead(socket);
    }
}

void
QuicEchoServer::EchoSent(Ptr<const Packet> packet, uint64_t streamId)
{
    m_echoedBytes += packet->GetSize();
}

} // namespace ns3

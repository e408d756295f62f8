/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Stream-aware reading and lossless writing for the QUIC applications.
 */

#include "quic-app-stream-io.h"

#include "quic-l5-protocol.h"
#include "quic-socket-base.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/socket-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicAppStreamIo");

QuicAppStreamIo::QuicAppStreamIo(Ptr<QuicSocketBase> socket)
    : m_socket(socket)
{
    NS_LOG_FUNCTION(this << socket);
    NS_ABORT_MSG_UNLESS(socket, "QuicAppStreamIo: null socket");
    m_traceConnected =
        m_socket->TraceConnectWithoutContext("StreamRx",
                                             MakeCallback(&QuicAppStreamIo::OnStreamRx, this));
}

QuicAppStreamIo::~QuicAppStreamIo()
{
    NS_LOG_FUNCTION(this);
    if (m_traceConnected)
    {
        m_socket->TraceDisconnectWithoutContext("StreamRx",
                                                MakeCallback(&QuicAppStreamIo::OnStreamRx, this));
    }
}

Address
QuicAppStreamIo::MakeSocketAddress(const Address& address, uint16_t port, const std::string& who)
{
    if (Ipv4Address::IsMatchingType(address))
    {
        return InetSocketAddress(Ipv4Address::ConvertFrom(address), port);
    }
    if (Ipv6Address::IsMatchingType(address))
    {
        return Inet6SocketAddress(Ipv6Address::ConvertFrom(address), port);
    }
    if (InetSocketAddress::IsMatchingType(address) || Inet6SocketAddress::IsMatchingType(address))
    {
        return address;
    }
    NS_FATAL_ERROR(who << ": the address must be an Ipv4Address, Ipv6Address, InetSocketAddress "
                          "or Inet6SocketAddress (got "
                       << address << ")");
    return Address();
}

Ptr<QuicSocketBase>
QuicAppStreamIo::CreateBoundSocket(Ptr<Node> node, const Address& remote, const std::string& who)
{
    TypeId factory = TypeId::LookupByName("ns3::QuicSocketFactory");
    NS_ABORT_MSG_UNLESS(node->GetObject<SocketFactory>(factory),
                        who << ": node " << node->GetId()
                            << " has no QUIC; call QuicHelper::InstallQuic on it first");
    Ptr<QuicSocketBase> socket = DynamicCast<QuicSocketBase>(Socket::CreateSocket(node, factory));
    NS_ABORT_MSG_UNLESS(socket, who << ": ns3::QuicSocketFactory did not create a QuicSocketBase");
    int rc = Inet6SocketAddress::IsMatchingType(remote) ? socket->Bind6() : socket->Bind();
    NS_ABORT_MSG_IF(rc != 0,
                    who << ": failed to bind a QUIC socket (errno " << socket->GetErrno() << ")");
    return socket;
}

Ptr<QuicSocketBase>
QuicAppStreamIo::GetSocket() const
{
    return m_socket;
}

void
QuicAppStreamIo::SetSentCallback(SentCallback cb)
{
    m_sentCallback = cb;
}

void
QuicAppStreamIo::OnStreamRx(uint64_t streamId, uint64_t bytes)
{
    m_knownStreams.insert(streamId);
}

Ptr<Packet>
QuicAppStreamIo::Receive(uint32_t maxSize, uint64_t& streamId)
{
    if (maxSize == 0 || m_socket->GetRxAvailable() == 0)
    {
        return nullptr;
    }
    auto tryStream = [this, maxSize, &streamId](uint64_t id) -> Ptr<Packet> {
        Ptr<Packet> p = m_socket->RecvFromStream(id, maxSize);
        if (p && p->GetSize() > 0)
        {
            streamId = id;
            m_lastStream = id;
            return p;
        }
        return nullptr;
    };
    // A stream usually delivers several chunks in a row: ask the last one first.
    if (m_lastStream != kUnknownStream)
    {
        if (Ptr<Packet> p = tryStream(m_lastStream))
        {
            return p;
        }
    }
    for (uint64_t id : m_knownStreams)
    {
        if (id == m_lastStream)
        {
            continue;
        }
        if (Ptr<Packet> p = tryStream(id))
        {
            return p;
        }
    }
    // Streams whose data arrived before we were attached to the socket (0-RTT, or data
    // processed in the same event as the accept) are still listed by the stream layer.
    if (Ptr<QuicL5Protocol> l5 = m_socket->GetL5())
    {
        for (const auto& kv : l5->GetStreams())
        {
            if (m_knownStreams.insert(kv.first).second)
            {
                if (Ptr<Packet> p = tryStream(kv.first))
                {
                    return p;
                }
            }
        }
    }
    // The socket has bytes for a stream nobody told us about: read them anyway rather
    // than stall the connection, and say so.
    Ptr<Packet> p = m_socket->Recv(maxSize, 0);
    if (p && p->GetSize() > 0)
    {
        NS_LOG_WARN(this << " " << p->GetSize() << " bytes of an unknown stream");
        m_unattributed += p->GetSize();
        streamId = kUnknownStream;
        return p;
    }
    return nullptr;
}

bool
QuicAppStreamIo::Send(Ptr<Packet> data, uint64_t streamId)
{
    NS_LOG_FUNCTION(this << data->GetSize() << streamId);
    // Socket::Send carries the stream id in its 32-bit flags (0 = the default stream).
    NS_ABORT_MSG_IF(streamId > std::numeric_limits<uint32_t>::max(),
                    "QuicAppStreamIo::Send: stream id " << streamId
                                                        << " does not fit Send()'s flags");
    if (data->GetSize() == 0)
    {
        return !HasBacklog();
    }
    m_backlog.push_back(Pending{data, streamId, 0});
    m_backlogBytes += data->GetSize();
    if (!m_flushing)
    {
        Flush();
    }
    return !HasBacklog();
}

uint64_t
QuicAppStreamIo::Flush()
{
    if (m_flushing)
    {
        return 0;
    }
    m_flushing = true;
    uint64_t accepted = 0;
    while (!m_backlog.empty())
    {
        Pending& head = m_backlog.front();
        uint32_t size = head.packet->GetSize();
        Ptr<Packet> part = head.offset == 0
                               ? head.packet->Copy()
                               : head.packet->CreateFragment(head.offset, size - head.offset);
        int sent = m_socket->Send(part, static_cast<uint32_t>(head.streamId));
        if (sent <= 0)
        {
            // ERROR_MSGSIZE (buffers full) and ERROR_AGAIN (stream not allowed yet) clear
            // up by themselves: the application calls Flush again from its callbacks.
            m_lastError = sent < 0 ? m_socket->GetErrno() : Socket::ERROR_AGAIN;
            ++m_refusals;
            NS_LOG_LOGIC(this << " socket refused " << (size - head.offset) << " bytes on stream "
                              << head.streamId << ": errno " << m_lastError);
            break;
        }
        m_lastError = Socket::ERROR_NOTERROR;
        uint32_t taken = std::min<uint32_t>(static_cast<uint32_t>(sent), size - head.offset);
        head.offset += taken;
        m_backlogBytes -= taken;
        accepted += taken;
        if (head.offset == size)
        {
            Pending done = head;
            m_backlog.pop_front();
            if (!m_sentCallback.IsNull())
            {
                m_sentCallback(done.packet, done.streamId);
            }
        }
    }
    m_flushing = false;
    return accepted;
}

bool
QuicAppStreamIo::HasBacklog() const
{
    return !m_backlog.empty();
}

uint64_t
QuicAppStreamIo::GetBacklogBytes() const
{
    return m_backlogBytes;
}

Socket::SocketErrno
QuicAppStreamIo::GetLastError() const
{
    return m_lastError;
}

uint64_t
QuicAppStreamIo::GetRefusals() const
{
    return m_refusals;
}

uint64_t
QuicAppStreamIo::GetUnattributedBytes() const
{
    return m_unattributed;
}

} // namespace ns3

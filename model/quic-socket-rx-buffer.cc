/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-socket-rx-buffer.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSocketRxBuffer");

NS_OBJECT_ENSURE_REGISTERED(QuicSocketRxBuffer);

TypeId
QuicSocketRxBuffer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicSocketRxBuffer")
            .SetParent<Object>()
            .SetGroupName("Internet")
            .AddConstructor<QuicSocketRxBuffer>()
            .AddAttribute("MaxBufferSize",
                          "Bytes of in-order stream data held for the application "
                          "(SocketRcvBufSize), in bytes",
                          UintegerValue(1024 * 1024),
                          MakeUintegerAccessor(&QuicSocketRxBuffer::SetMaxBufferSize,
                                               &QuicSocketRxBuffer::GetMaxBufferSize),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

QuicSocketRxBuffer::QuicSocketRxBuffer()
    : m_maxBufferSize(1024 * 1024),
      m_size(0)
{
    NS_LOG_FUNCTION(this);
}

QuicSocketRxBuffer::~QuicSocketRxBuffer()
{
    NS_LOG_FUNCTION(this);
}

void
QuicSocketRxBuffer::SetMaxBufferSize(uint32_t size)
{
    NS_LOG_FUNCTION(this << size);
    m_maxBufferSize = size;
}

uint32_t
QuicSocketRxBuffer::GetMaxBufferSize() const
{
    return m_maxBufferSize;
}

bool
QuicSocketRxBuffer::Add(uint64_t streamId, Ptr<Packet> data)
{
    NS_LOG_FUNCTION(this << streamId << data);
    NS_ABORT_MSG_IF(!data, "QuicSocketRxBuffer::Add: null packet");
    uint32_t n = data->GetSize();
    if (n > GetFreeSpace())
    {
        NS_LOG_LOGIC("refused " << n << " bytes of stream " << streamId << ", free "
                                << GetFreeSpace());
        return false;
    }
    if (n == 0)
    {
        return true;
    }
    m_chunks.push_back(Chunk{streamId, data});
    m_size += n;
    return true;
}

Ptr<Packet>
QuicSocketRxBuffer::Extract(uint32_t maxSize, uint64_t& streamId)
{
    NS_LOG_FUNCTION(this << maxSize);
    if (m_chunks.empty() || maxSize == 0)
    {
        return nullptr;
    }
    Chunk& head = m_chunks.front();
    streamId = head.streamId;
    uint32_t size = head.data->GetSize();
    Ptr<Packet> out;
    if (size <= maxSize)
    {
        out = head.data;
        m_chunks.pop_front();
        m_size -= size;
        return out;
    }
    // Split: fragments share the buffer (copy-on-write), the caller's packet
    // is never modified.
    out = head.data->CreateFragment(0, maxSize);
    head.data = head.data->CreateFragment(maxSize, size - maxSize);
    m_size -= maxSize;
    return out;
}

bool
QuicSocketRxBuffer::PeekStream(uint64_t& streamId) const
{
    if (m_chunks.empty())
    {
        return false;
    }
    streamId = m_chunks.front().streamId;
    return true;
}

uint32_t
QuicSocketRxBuffer::GetAvailable() const
{
    return m_size;
}

uint32_t
QuicSocketRxBuffer::GetFreeSpace() const
{
    return m_size >= m_maxBufferSize ? 0 : m_maxBufferSize - m_size;
}

uint32_t
QuicSocketRxBuffer::GetChunkCount() const
{
    return static_cast<uint32_t>(m_chunks.size());
}

bool
QuicSocketRxBuffer::IsEmpty() const
{
    return m_chunks.empty();
}

} // namespace ns3

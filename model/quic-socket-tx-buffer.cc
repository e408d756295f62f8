/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-socket-tx-buffer.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSocketTxBuffer");

NS_OBJECT_ENSURE_REGISTERED(QuicSocketTxBuffer);

TypeId
QuicSocketTxBuffer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicSocketTxBuffer")
            .SetParent<Object>()
            .SetGroupName("Internet")
            .AddConstructor<QuicSocketTxBuffer>()
            .AddAttribute("MaxBufferSize",
                          "Bytes of application data the socket holds across all its streams "
                          "until acknowledged (SocketSndBufSize), in bytes",
                          UintegerValue(1024 * 1024),
                          MakeUintegerAccessor(&QuicSocketTxBuffer::SetMaxBufferSize,
                                               &QuicSocketTxBuffer::GetMaxBufferSize),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

QuicSocketTxBuffer::QuicSocketTxBuffer()
    : m_maxBufferSize(1024 * 1024),
      m_reserved(0),
      m_frameBytes(0)
{
    NS_LOG_FUNCTION(this);
}

QuicSocketTxBuffer::~QuicSocketTxBuffer()
{
    NS_LOG_FUNCTION(this);
}

void
QuicSocketTxBuffer::SetMaxBufferSize(uint32_t size)
{
    NS_LOG_FUNCTION(this << size);
    m_maxBufferSize = size;
}

uint32_t
QuicSocketTxBuffer::GetMaxBufferSize() const
{
    return m_maxBufferSize;
}

bool
QuicSocketTxBuffer::Reserve(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    if (n > GetFreeSpace())
    {
        return false;
    }
    m_reserved += n;
    return true;
}

void
QuicSocketTxBuffer::Release(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    NS_ABORT_MSG_IF(n > m_reserved,
                    "QuicSocketTxBuffer::Release(" << n << "): only " << m_reserved
                                                   << " bytes reserved");
    m_reserved -= n;
}

uint32_t
QuicSocketTxBuffer::GetFreeSpace() const
{
    return m_reserved >= m_maxBufferSize ? 0 : m_maxBufferSize - m_reserved;
}

uint32_t
QuicSocketTxBuffer::GetReserved() const
{
    return m_reserved;
}

bool
QuicSocketTxBuffer::GetKey(const QuicSubheader& frame, Key& key, uint64_t& value)
{
    uint64_t type = frame.GetFrameType();
    switch (type)
    {
    case QuicSubheader::MAX_DATA:
    case QuicSubheader::DATA_BLOCKED:
        key = Key(type, 0);
        value = frame.GetMaximumData();
        return true;
    case QuicSubheader::MAX_STREAM_DATA:
    case QuicSubheader::STREAM_DATA_BLOCKED:
        key = Key(type, frame.GetStreamId());
        value = frame.GetMaximumStreamData();
        return true;
    case QuicSubheader::MAX_STREAMS_BIDI:
    case QuicSubheader::MAX_STREAMS_UNI:
    case QuicSubheader::STREAMS_BLOCKED_BIDI:
    case QuicSubheader::STREAMS_BLOCKED_UNI:
        key = Key(type, 0);
        value = frame.GetMaximumStreams();
        return true;
    default:
        return false;
    }
}

bool
QuicSocketTxBuffer::Push(const QuicSubheader& frame, bool retransmission)
{
    NS_LOG_FUNCTION(this << frame.GetFrameType() << retransmission);
    NS_ABORT_MSG_IF(!frame.IsValid(), "QuicSocketTxBuffer::Push: invalid subheader");
    NS_ABORT_MSG_IF(QuicSubheader::CarriesData(frame.GetFrameType()),
                    "QuicSocketTxBuffer::Push: "
                        << QuicSubheader::FrameTypeToString(frame.GetFrameType())
                        << " frames carry data and are built from the stream buffers, not queued");
    int queue = retransmission ? 0 : 1;
    Key key;
    uint64_t value = 0;
    bool hasKey = GetKey(frame, key, value);
    if (hasKey)
    {
        auto found = m_byKey.find(key);
        if (found != m_byKey.end())
        {
            int oldQueue = found->second.first;
            auto oldIt = found->second.second;
            uint64_t oldValue = 0;
            Key unused;
            GetKey(oldIt->frame, unused, oldValue);
            bool newer = value > oldValue;
            if (newer)
            {
                // RFC 9000 §13.3: send the current limit; the older one is stale.
                m_sizes.erase(m_sizes.find(oldIt->size));
                m_frameBytes -= oldIt->size;
                oldIt->frame = frame;
                oldIt->size = frame.GetSerializedSize();
                m_sizes.insert(oldIt->size);
                m_frameBytes += oldIt->size;
            }
            if (queue == 0 && oldQueue == 1)
            {
                // A retransmission is urgent: promote the pending frame.
                m_queues[0].splice(m_queues[0].end(), m_queues[1], oldIt);
                found->second.first = 0;
            }
            NS_LOG_LOGIC("superseded " << QuicSubheader::FrameTypeToString(key.first) << " "
                                       << oldValue << " / " << value);
            return newer;
        }
    }
    uint32_t size = frame.GetSerializedSize();
    m_queues[queue].push_back(Entry{frame, size, hasKey, key});
    if (hasKey)
    {
        m_byKey.emplace(key, std::make_pair(queue, std::prev(m_queues[queue].end())));
    }
    m_sizes.insert(size);
    m_frameBytes += size;
    return true;
}

bool
QuicSocketTxBuffer::Find(uint32_t maxSize, int& queue, Queue::const_iterator& it) const
{
    if (m_sizes.empty() || *m_sizes.begin() > maxSize)
    {
        return false;
    }
    for (int q = 0; q < 2; ++q)
    {
        for (auto i = m_queues[q].begin(); i != m_queues[q].end(); ++i)
        {
            if (i->size <= maxSize)
            {
                queue = q;
                it = i;
                return true;
            }
        }
    }
    return false; // unreachable: m_sizes says one fits
}

void
QuicSocketTxBuffer::Erase(int queue, Queue::const_iterator it)
{
    if (it->hasKey)
    {
        m_byKey.erase(it->key);
    }
    m_sizes.erase(m_sizes.find(it->size));
    m_frameBytes -= it->size;
    m_queues[queue].erase(it);
}

bool
QuicSocketTxBuffer::Peek(uint32_t maxSize, QuicSubheader& frame) const
{
    int queue = 0;
    Queue::const_iterator it;
    if (!Find(maxSize, queue, it))
    {
        return false;
    }
    frame = it->frame;
    return true;
}

bool
QuicSocketTxBuffer::Pop(uint32_t maxSize, QuicSubheader& frame)
{
    bool retransmission = false;
    return Pop(maxSize, frame, retransmission);
}

bool
QuicSocketTxBuffer::Pop(uint32_t maxSize, QuicSubheader& frame, bool& retransmission)
{
    NS_LOG_FUNCTION(this << maxSize);
    int queue = 0;
    Queue::const_iterator it;
    if (!Find(maxSize, queue, it))
    {
        return false;
    }
    frame = it->frame;
    retransmission = queue == 0;
    Erase(queue, it);
    return true;
}

bool
QuicSocketTxBuffer::IsEmpty() const
{
    return m_queues[0].empty() && m_queues[1].empty();
}

uint32_t
QuicSocketTxBuffer::GetFrameCount() const
{
    return static_cast<uint32_t>(m_queues[0].size() + m_queues[1].size());
}

uint64_t
QuicSocketTxBuffer::GetFrameBytes() const
{
    return m_frameBytes;
}

bool
QuicSocketTxBuffer::HasRetransmission() const
{
    return !m_queues[0].empty();
}

void
QuicSocketTxBuffer::ClearFrames()
{
    NS_LOG_FUNCTION(this);
    m_queues[0].clear();
    m_queues[1].clear();
    m_byKey.clear();
    m_sizes.clear();
    m_frameBytes = 0;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-socket-state.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(QuicSocketState);

TypeId
QuicSocketState::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicSocketState")
                            .SetParent<TcpSocketState>()
                            .SetGroupName("Internet")
                            .AddConstructor<QuicSocketState>();
    return tid;
}

QuicSocketState::QuicSocketState()
    : TcpSocketState()
{
}

QuicSocketState::QuicSocketState(const QuicSocketState& other)
    : TcpSocketState(other),
      m_smoothedRtt(other.m_smoothedRtt),
      m_rttVar(other.m_rttVar),
      m_recoveryStartTime(other.m_recoveryStartTime),
      m_totalBytesSent(other.m_totalBytesSent),
      m_totalBytesAcked(other.m_totalBytesAcked),
      m_totalBytesLost(other.m_totalBytesLost),
      m_ptoCount(other.m_ptoCount)
{
}

uint32_t
QuicSocketState::GetMinimumWindow() const
{
    return 2 * m_segmentSize;
}

void
QuicSocketState::OnBytesSent(uint32_t bytes)
{
    m_totalBytesSent += bytes;
    // 32-bit TCP sequence numbers wrap like TCP's own, which the algorithms expect.
    m_nextTxSequence = SequenceNumber32(static_cast<uint32_t>(m_totalBytesSent));
    m_highTxMark = m_nextTxSequence.Get();
}

void
QuicSocketState::OnBytesAcked(uint32_t bytes)
{
    m_totalBytesAcked += bytes;
    m_lastAckedSeq = SequenceNumber32(static_cast<uint32_t>(m_totalBytesAcked));
}

} // namespace ns3

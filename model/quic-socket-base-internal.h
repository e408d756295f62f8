/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the files of QuicSocketBase share and nothing else needs: the class is one
 * connection, written in several files of one concern each (quic-socket-base*.cc).
 * Not installed, not part of the module's API.
 */

#ifndef QUIC_SOCKET_BASE_INTERNAL_H
#define QUIC_SOCKET_BASE_INTERNAL_H

#include "quic-byte-reader.h"
#include "quic-congestion-control.h"
#include "quic-header.h"
#include "quic-l4-protocol.h"
#include "quic-l5-protocol.h"
#include "quic-packet-bytes.h"
#include "quic-packet-number.h"
#include "quic-packet-protection.h"
#include "quic-plugin-instance.h"
#include "quic-socket-base.h"

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

/// Constants and helpers private to QuicSocketBase's files.
namespace quicsocketbase
{

constexpr uint32_t kAeadTagSize = 16;           //!< RFC 9001 §5.3: AEAD_AES_128_GCM tag
constexpr uint32_t kMinInitialDatagram = 1200;  //!< RFC 9000 §14.1
constexpr uint32_t kMaxDatagramsPerCall = 4096; //!< safety bound of one send burst

/**
 * \param type a packet type
 * \return its packet-number space
 */
inline QuicPacketNumberSpace
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

/**
 * \return the "QuicSocketBase" log component (defined in quic-socket-base.cc), so that
 * NS_LOG=QuicSocketBase shows the whole connection whichever file logs. Only a
 * reference is taken during static initialisation; it is used once main() runs.
 */
LogComponent& GetLogComponent();

} // namespace quicsocketbase

} // namespace ns3

#endif /* QUIC_SOCKET_BASE_INTERNAL_H */

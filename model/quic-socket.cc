/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-socket.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(QuicSocket);

TypeId
QuicSocket::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicSocket").SetParent<Socket>().SetGroupName("Internet");
    return tid;
}

const char*
QuicSocket::StateName(State state)
{
    switch (state)
    {
    case IDLE:
        return "IDLE";
    case LISTENING:
        return "LISTENING";
    case CONNECTING_CLT:
        return "CONNECTING_CLT";
    case CONNECTING_SVR:
        return "CONNECTING_SVR";
    case OPEN:
        return "OPEN";
    case CLOSING:
        return "CLOSING";
    case DRAINING:
        return "DRAINING";
    case CLOSED:
        return "CLOSED";
    }
    return "?";
}

} // namespace ns3

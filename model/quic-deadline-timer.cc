/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-deadline-timer.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

QuicDeadlineTimer::~QuicDeadlineTimer()
{
    Stop();
}

void
QuicDeadlineTimer::SetFunction(Callback<void> fn)
{
    m_fn = fn;
}

void
QuicDeadlineTimer::Arm(Time deadline)
{
    Arm(deadline, Simulator::Now());
}

void
QuicDeadlineTimer::Arm(Time deadline, Time now)
{
    m_deadline = std::max(deadline, now);
    m_armed = true;
    if (m_queued)
    {
        if (m_eventTime <= m_deadline)
        {
            return; // it runs first and moves itself on
        }
        Simulator::Remove(m_event);
    }
    m_eventTime = m_deadline;
    m_event = Simulator::Schedule(m_deadline - now, &QuicDeadlineTimer::OnEvent, this);
    m_queued = true;
}

void
QuicDeadlineTimer::Disarm()
{
    m_armed = false;
}

void
QuicDeadlineTimer::Stop()
{
    m_armed = false;
    if (m_queued)
    {
        Simulator::Remove(m_event);
        m_queued = false;
    }
}

bool
QuicDeadlineTimer::IsArmed() const
{
    return m_armed;
}

Time
QuicDeadlineTimer::GetDeadline() const
{
    return m_armed ? m_deadline : Time(0);
}

void
QuicDeadlineTimer::OnEvent()
{
    m_queued = false;
    if (!m_armed)
    {
        return;
    }
    Time now = Simulator::Now();
    if (now < m_deadline)
    {
        m_eventTime = m_deadline;
        m_event = Simulator::Schedule(m_deadline - now, &QuicDeadlineTimer::OnEvent, this);
        m_queued = true;
        return;
    }
    m_armed = false;
    m_fn();
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A timer re-armed far more often than it fires.
 */

#ifndef QUIC_DEADLINE_TIMER_H
#define QUIC_DEADLINE_TIMER_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"

namespace ns3
{

/**
 * \ingroup quic
 * A timer for deadlines that move on with nearly every packet (loss detection, delayed
 * ACK, idle timeout).
 *
 * Cancelling and scheduling an ns-3 event at each move would leave one cancelled event
 * per packet in the simulator's queue (cancelled events stay there until their time).
 * This timer keeps at most one event queued, at or before the deadline: a later
 * deadline leaves it alone and the event, when it runs early, moves itself on; only an
 * earlier deadline moves it back (Simulator::Remove, so nothing stale stays queued).
 * Its state is kept here, so arming never asks the simulator anything.
 *
 * The callback runs once, at the deadline, unless the timer was disarmed before.
 */
class QuicDeadlineTimer
{
  public:
    QuicDeadlineTimer() = default;
    /// Removes the queued event, if any.
    ~QuicDeadlineTimer();
    QuicDeadlineTimer(const QuicDeadlineTimer&) = delete;
    QuicDeadlineTimer& operator=(const QuicDeadlineTimer&) = delete;

    /**
     * \param fn what runs at the deadline
     */
    void SetFunction(Callback<void> fn);

    /**
     * Arms (or re-arms) the timer.
     * \param deadline absolute simulation time; a past one means now
     */
    void Arm(Time deadline);

    /**
     * Arms (or re-arms) the timer, the caller knowing the current time.
     * \param deadline absolute simulation time; a past one means now
     * \param now Simulator::Now(), as the caller read it in this event
     */
    void Arm(Time deadline, Time now);

    /// Disarms the timer; a queued event stays and will find nothing to do.
    void Disarm();

    /// Disarms the timer and removes its queued event (teardown).
    void Stop();

    /// \return true if armed
    bool IsArmed() const;

    /// \return the deadline, or zero if disarmed
    Time GetDeadline() const;

  private:
    /// The queued event ran.
    void OnEvent();

    Callback<void> m_fn;          //!< what runs at the deadline
    EventId m_event;              //!< the queued event
    Time m_deadline{Seconds(0)};  //!< the deadline
    Time m_eventTime{Seconds(0)}; //!< when the queued event runs
    bool m_armed{false};          //!< armed
    bool m_queued{false};         //!< an event is queued
};

} // namespace ns3

#endif /* QUIC_DEADLINE_TIMER_H */

"""The session aggregate's decider: schedule, register, cancel, check in, count the no-shows.

The rules of admission (seats, ages, window, the batch of a rush) are in `registration.py`, the
waiting list's in `waiting_list.py`; the state and `evolve` in `session_state.py`, the commands in
`session_commands.py`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import assert_never

from redpark_contracts.events_public import (
    CheckedIn,
    NoShowsCounted,
    RegistrationCancelled,
    SessionEvent,
    SessionScheduled,
)
from redpark_platform.decider import Decider

from .catalogue import check_session_plan
from .errors import ERRORS
from .registration import decide_one, decide_registrations
from .session_commands import (
    CancelRegistration,
    CheckIn,
    CountNoShows,
    Register,
    RegisterBatch,
    ScheduleSession,
    SessionCommand,
)
from .session_state import NoSession, Session, SessionState, evolve, existing_session
from .waiting_list import promotions

CHECK_IN_OPENS_BEFORE = timedelta(hours=1)


def decide(command: SessionCommand, state: SessionState) -> list[SessionEvent]:
    match command:
        case ScheduleSession():
            return [_schedule(command, state)]
        case RegisterBatch():
            return decide_registrations(command, state).events
        case Register():
            return [decide_one(command, state)]
        case CancelRegistration():
            return _cancel(command, existing_session(state))
        case CheckIn():
            return [_check_in(command, existing_session(state))]
        case CountNoShows():
            return [_count_no_shows(command, existing_session(state))]
        case _:
            assert_never(command)


def _schedule(c: ScheduleSession, state: SessionState) -> SessionScheduled:
    if isinstance(state, Session):
        raise ERRORS.error("session.already_scheduled", field="session_id")
    check_session_plan(
        activity_kind=c.activity_kind,
        carnival_id=c.carnival_id,
        starts_at=c.starts_at,
        ends_at=c.ends_at,
        place=c.place,
        capacity=c.capacity,
        min_age=c.min_age,
        max_age=c.max_age,
        registration_opens_at=c.registration_opens_at,
        registration_closes_at=c.registration_closes_at,
        max_party_size=c.max_party_size,
        waitlist_limit=c.waitlist_limit,
    )
    return SessionScheduled(
        session_id=c.session_id,
        activity_id=c.activity_id,
        activity_kind=c.activity_kind,
        carnival_id=c.carnival_id,
        starts_at=c.starts_at,
        ends_at=c.ends_at,
        place=c.place.strip(),
        capacity=c.capacity,
        min_age=c.min_age,
        max_age=c.max_age,
        registration_opens_at=c.registration_opens_at,
        registration_closes_at=c.registration_closes_at,
        max_party_size=c.max_party_size,
        waitlist_limit=c.waitlist_limit,
        scheduled_at=c.now,
    )


def _cancel(c: CancelRegistration, s: Session) -> list[SessionEvent]:
    entry = s.entry_by_ticket(c.ticket_code)
    if entry is None or entry.phone_hash != c.phone_hash:
        # One answer for an unknown code and a wrong phone, so codes cannot be probed.
        raise ERRORS.error("registration.not_found", field="ticket_code")
    if entry.status == "cancelled":
        raise ERRORS.error("registration.already_cancelled", field="ticket_code")
    if entry.checked_in:
        raise ERRORS.error("registration.already_checked_in", field="ticket_code")
    if c.now >= s.plan.starts_at:
        raise ERRORS.error("registration.cancel_too_late", field="ticket_code")
    cancelled = RegistrationCancelled(
        session_id=s.plan.session_id,
        registration_id=entry.registration_id,
        ticket_code=entry.ticket_code,
        was=entry.status,
        seats=entry.seats,
        cancelled_by="registrant",
        cancelled_at=c.now,
    )
    after = evolve(s, cancelled)
    assert isinstance(after, Session)  # a cancellation leaves the session scheduled
    return [cancelled, *promotions(after, c.now)]


def _check_in(c: CheckIn, s: Session) -> CheckedIn:
    entry = s.entry_by_ticket(c.ticket_code)
    if entry is None:
        raise ERRORS.error("checkin.wrong_session", field="ticket_code")
    if entry.status == "cancelled":
        raise ERRORS.error("checkin.cancelled", field="ticket_code")
    if entry.status == "waitlisted":
        raise ERRORS.error("checkin.not_confirmed", field="ticket_code")
    if entry.checked_in:
        raise ERRORS.error("checkin.already_checked_in", field="ticket_code")
    if c.now < s.plan.starts_at - CHECK_IN_OPENS_BEFORE:
        raise ERRORS.error("checkin.not_open_yet", field="ticket_code")
    if c.now > s.plan.ends_at:
        raise ERRORS.error("checkin.session_over", field="ticket_code")
    return CheckedIn(
        session_id=s.plan.session_id,
        registration_id=entry.registration_id,
        ticket_code=entry.ticket_code,
        seats=entry.seats,
        checked_in_at=c.now,
    )


def _count_no_shows(c: CountNoShows, s: Session) -> NoShowsCounted:
    if c.now < s.plan.ends_at:
        raise ERRORS.error("session.not_over", field="session_id")
    if s.no_shows_counted:
        raise ERRORS.error("session.no_shows_already_counted", field="session_id")
    confirmed = [e for e in s.entries.values() if e.status == "confirmed"]
    absent = [e for e in confirmed if not e.checked_in]
    return NoShowsCounted(
        session_id=s.plan.session_id,
        confirmed_registrations=len(confirmed),
        checked_in_registrations=len(confirmed) - len(absent),
        no_show_registration_ids=[e.registration_id for e in absent],
        no_show_seats=sum(e.seats for e in absent),
        counted_at=c.now,
    )


session_decider: Decider[SessionCommand, SessionState, SessionEvent] = Decider(
    initial=NoSession(), decide=decide, evolve=evolve
)

"""Admitting a registration to a session: who may register, and confirmed or waitlisted.

Seat rule: a registration takes one seat per person in its party, adults and children alike,
because the room, the bus and the insurance count heads, not families. A party is at least one
person and at most the session's `max_party_size`.

Age rule: the session's age limits apply to the children of a party (a child is under 18); adults
come as guardians and are not asked their age. A session whose upper limit is under 18 is a
children's session: a registration for it must bring at least one child.

Confirmed or waitlisted: a new arrival is confirmed only if its party fits in the free seats,
else it joins the end of the waiting list (`waiting_list.py` moves the list up). Since the list is
always promoted as far as it can be, nobody waiting fits then, so a new arrival never takes seats
a waiting party could have had.

Rush rule: all registrations of a session contend on one stream, so one writer per hot session
decides a batch of queued registrations in one append. `decide_registrations` takes the batch
and returns one outcome per registration (confirmed, waitlisted, or refused with its reason) plus
the events to store. A refusal is not a fact about the session and is not stored: it only
answers its caller, and it never fails the other registrations of the batch. `decide` keeps the
plain decider contract for the rest (a single `Register` raises its refusal).
"""

from __future__ import annotations

from dataclasses import dataclass

from redpark_contracts.events_public import (
    RegistrationConfirmed,
    RegistrationWaitlisted,
    SessionEvent,
    SessionScheduled,
)
from redpark_platform.errors import DomainError

from .catalogue import ADULT_AGE
from .errors import ERRORS
from .phone import is_mobile
from .session_commands import Register, RegisterBatch
from .session_state import SessionState, evolve, existing_session

MAX_NAME_LENGTH = 50


# --- outcomes of a batch ------------------------------------------------------------------------


@dataclass(frozen=True)
class Confirmed:
    registration_id: str
    ticket_code: str
    seats: int


@dataclass(frozen=True)
class Waitlisted:
    registration_id: str
    ticket_code: str
    seats: int
    position: int


@dataclass(frozen=True)
class Refused:
    registration_id: str
    error: DomainError


Outcome = Confirmed | Waitlisted | Refused


@dataclass(frozen=True)
class BatchDecision:
    outcomes: list[Outcome]  # one per registration, in the batch's order
    events: list[SessionEvent]  # what to append, in one go
    state: SessionState  # the state after the events: the writer keeps it for the next batch


def decide_registrations(batch: RegisterBatch, state: SessionState) -> BatchDecision:
    outcomes: list[Outcome] = []
    events: list[SessionEvent] = []
    for reg in batch.registrations:
        try:
            event = decide_one(reg, state)
        except DomainError as error:
            outcomes.append(Refused(reg.registration_id, error))
            continue
        state = evolve(state, event)
        events.append(event)
        if isinstance(event, RegistrationConfirmed):
            outcomes.append(Confirmed(reg.registration_id, reg.ticket_code, event.seats))
        else:
            outcomes.append(Waitlisted(reg.registration_id, reg.ticket_code, event.seats, event.position))
    return BatchDecision(outcomes=outcomes, events=events, state=state)


def decide_one(r: Register, state: SessionState) -> RegistrationConfirmed | RegistrationWaitlisted:
    s = existing_session(state)
    plan = s.plan
    _check_registrant(r)
    if r.now < plan.registration_opens_at:
        opens = plan.registration_opens_at.isoformat()
        raise ERRORS.error("registration.not_open_yet", field="session_id", opens=opens)
    if r.now >= plan.registration_closes_at:
        raise ERRORS.error("registration.closed", field="session_id")
    seats = _check_party(r, plan)
    if r.phone_hash in s.active_phones:
        raise ERRORS.error("registration.phone_already_registered", field="phone")
    if r.registration_id in s.entries:
        raise ERRORS.error("registration.duplicate_id", field="registration_id")
    if r.ticket_code in s.by_ticket:
        # Codes are random; a clash is rare and the writer retries the registration with a new one.
        raise ERRORS.error("registration.ticket_code_taken", field="ticket_code")
    children = list(r.children_ages)
    if seats <= s.free_seats:
        return RegistrationConfirmed(
            session_id=plan.session_id,
            registration_id=r.registration_id,
            registrant_id=r.registrant_id,
            name=r.name.strip(),
            phone=r.phone,
            phone_hash=r.phone_hash,
            adults=r.adults,
            children_ages=children,
            seats=seats,
            ticket_code=r.ticket_code,
            registered_at=r.now,
        )
    if plan.waitlist_limit is not None and len(s.waitlist) >= plan.waitlist_limit:
        raise ERRORS.error("registration.full", field="session_id")
    return RegistrationWaitlisted(
        session_id=plan.session_id,
        registration_id=r.registration_id,
        registrant_id=r.registrant_id,
        name=r.name.strip(),
        phone=r.phone,
        phone_hash=r.phone_hash,
        adults=r.adults,
        children_ages=children,
        seats=seats,
        ticket_code=r.ticket_code,
        position=len(s.waitlist) + 1,
        registered_at=r.now,
    )


def _check_registrant(r: Register) -> None:
    name = r.name.strip()
    if not name:
        raise ERRORS.error("registration.name_required", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise ERRORS.error("registration.name_too_long", field="name", max_name_length=MAX_NAME_LENGTH)
    if not is_mobile(r.phone):
        raise ERRORS.error("phone.invalid", field="phone")
    if not r.consent:
        raise ERRORS.error("registration.consent_required", field="consent")


def _check_party(r: Register, plan: SessionScheduled) -> int:
    if r.adults < 0:
        raise ERRORS.error("registration.adults_invalid", field="adults")
    seats = r.adults + len(r.children_ages)
    if seats < 1:
        raise ERRORS.error("registration.party_empty", field="adults")
    if seats > plan.max_party_size:
        raise ERRORS.error("registration.party_too_large", field="adults", max_party_size=plan.max_party_size)
    for age in r.children_ages:
        if not 0 <= age < ADULT_AGE:
            raise ERRORS.error(
                "registration.child_age_invalid",
                field="children_ages",
                value=ADULT_AGE - 1,
                adult_age=ADULT_AGE,
            )
        if (plan.min_age is not None and age < plan.min_age) or (
            plan.max_age is not None and age > plan.max_age
        ):
            limits = _age_limits_text(plan)
            raise ERRORS.error(
                "registration.age_out_of_range",
                field="children_ages",
                value=limits[0],
                age=age,
                value2=limits[1],
            )
    if plan.max_age is not None and plan.max_age < ADULT_AGE and not r.children_ages:
        raise ERRORS.error("registration.child_required", field="children_ages")
    return seats


def _age_limits_text(plan: SessionScheduled) -> tuple[str, str]:
    lo, hi = plan.min_age, plan.max_age
    if lo is not None and hi is not None:
        return f"{lo} to {hi}", f"{lo}至{hi}岁"
    if lo is not None:
        return f"{lo} and over", f"{lo}岁及以上"
    return f"up to {hi}", f"{hi}岁及以下"

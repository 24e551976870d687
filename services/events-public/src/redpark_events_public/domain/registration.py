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
from redpark_platform.decider import DomainError, InvalidCommand

from .catalogue import ADULT_AGE
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
        raise DomainError(
            "registration.not_open_yet",
            f"Registration for this session opens at {opens}.",
            detail_zh=f"该场次尚未开放报名，报名开始时间：{opens}。",
            field="session_id",
        )
    if r.now >= plan.registration_closes_at:
        raise DomainError(
            "registration.closed",
            "Registration for this session has closed.",
            detail_zh="该场次报名已截止。",
            field="session_id",
        )
    seats = _check_party(r, plan)
    if r.phone_hash in s.active_phones:
        raise DomainError(
            "registration.phone_already_registered",
            "This phone number is already registered for this session.",
            detail_zh="该手机号已报名本场次，每个手机号每场限报一次。",
            field="phone",
        )
    if r.registration_id in s.entries:
        raise DomainError(
            "registration.duplicate_id",
            "This registration was already received.",
            detail_zh="该报名已提交，请勿重复提交。",
            field="registration_id",
        )
    if r.ticket_code in s.by_ticket:
        # Codes are random; a clash is rare and the writer retries the registration with a new one.
        raise DomainError(
            "registration.ticket_code_taken",
            "The ticket code is taken; try again.",
            detail_zh="票号冲突，请重试。",
            field="ticket_code",
        )
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
        raise DomainError(
            "registration.full",
            "The session and its waiting list are full.",
            detail_zh="该场次名额及候补名额均已满。",
            field="session_id",
        )
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
        raise InvalidCommand(
            "registration.name_required",
            "Enter the registrant's name.",
            detail_zh="请填写报名人姓名。",
            field="name",
        )
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidCommand(
            "registration.name_too_long",
            f"A name has at most {MAX_NAME_LENGTH} characters.",
            detail_zh=f"姓名不能超过{MAX_NAME_LENGTH}个字符。",
            field="name",
        )
    if not is_mobile(r.phone):
        raise InvalidCommand(
            "phone.invalid",
            "Enter a mainland China mobile number: 11 digits starting with 13 to 19.",
            detail_zh="请输入有效的中国大陆手机号码（11位，以13至19开头）。",
            field="phone",
        )
    if not r.consent:
        raise InvalidCommand(
            "registration.consent_required",
            "Registration needs your consent to the privacy notice.",
            detail_zh="报名前请阅读并同意隐私告知。",
            field="consent",
        )


def _check_party(r: Register, plan: SessionScheduled) -> int:
    if r.adults < 0:
        raise InvalidCommand(
            "registration.adults_invalid",
            "The number of adults cannot be negative.",
            detail_zh="成人人数不能为负数。",
            field="adults",
        )
    seats = r.adults + len(r.children_ages)
    if seats < 1:
        raise InvalidCommand(
            "registration.party_empty",
            "A registration is for at least one person.",
            detail_zh="每份报名至少包含一人。",
            field="adults",
        )
    if seats > plan.max_party_size:
        raise InvalidCommand(
            "registration.party_too_large",
            f"A registration is for at most {plan.max_party_size} people.",
            detail_zh=f"每份报名最多{plan.max_party_size}人。",
            field="adults",
        )
    for age in r.children_ages:
        if not 0 <= age < ADULT_AGE:
            raise InvalidCommand(
                "registration.child_age_invalid",
                f"A child's age is between 0 and {ADULT_AGE - 1}; count older people as adults.",
                detail_zh=f"儿童年龄应在0至{ADULT_AGE - 1}岁之间，年满{ADULT_AGE}岁请按成人登记。",
                field="children_ages",
            )
        if (plan.min_age is not None and age < plan.min_age) or (
            plan.max_age is not None and age > plan.max_age
        ):
            limits = _age_limits_text(plan)
            raise DomainError(
                "registration.age_out_of_range",
                f"This session is for children aged {limits[0]}; a child of {age} cannot join.",
                detail_zh=f"本场次适合{limits[1]}的儿童，{age}岁儿童不能参加。",
                field="children_ages",
                status=422,
            )
    if plan.max_age is not None and plan.max_age < ADULT_AGE and not r.children_ages:
        raise DomainError(
            "registration.child_required",
            "This is a children's session: add the child attending.",
            detail_zh="本场次为少儿活动，请填写参加活动的儿童信息。",
            field="children_ages",
            status=422,
        )
    return seats


def _age_limits_text(plan: SessionScheduled) -> tuple[str, str]:
    lo, hi = plan.min_age, plan.max_age
    if lo is not None and hi is not None:
        return f"{lo} to {hi}", f"{lo}至{hi}岁"
    if lo is not None:
        return f"{lo} and over", f"{lo}岁及以上"
    return f"up to {hi}", f"{hi}岁及以下"

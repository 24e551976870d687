"""The session aggregate: seats, registrations, the waiting list and check-in of one session.

Seat rule: a registration takes one seat per person in its party, adults and children alike,
because the room, the bus and the insurance count heads, not families. A party is at least one
person and at most the session's `max_party_size`.

Age rule: the session's age limits apply to the children of a party (a child is under 18); adults
come as guardians and are not asked their age. A session whose upper limit is under 18 is a
children's session: a registration for it must bring at least one child.

Waiting-list rule (first fit, in arrival order): whenever seats are free, the waiting list is
walked from its head and every party that fits in the free seats is promoted, in order. A party
too large for the free seats keeps its place at the head and takes the first seats that suffice;
smaller parties behind it may go first meanwhile. The alternative, strict head-of-line waiting,
leaves seats empty on the day, which is the worse outcome for a free public event; with parties
of one (most registrations) both rules are the same. A new arrival is confirmed only if it fits
in the free seats; since the list is always promoted as far as it can be, nobody waiting fits
then, so a new arrival never takes seats a waiting party could have had.

Rush rule: all registrations of a session contend on one stream, so one writer per hot session
decides a batch of queued registrations in one append. `decide_registrations` takes the batch
and returns one outcome per registration (confirmed, waitlisted, or refused with its reason) plus
the events to store. A refusal is not a fact about the session and is not stored: it only
answers its caller, and it never fails the other registrations of the batch. `decide` keeps the
plain decider contract for the rest (a single `Register` raises its refusal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, assert_never

import msgspec
from redpark_contracts.events_public import (
    ActivityKind,
    CheckedIn,
    NoShowsCounted,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    SessionEvent,
    SessionScheduled,
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .catalogue import ADULT_AGE, check_session_plan
from .phone import is_mobile

CHECK_IN_OPENS_BEFORE = timedelta(hours=1)
MAX_NAME_LENGTH = 50

# --- commands ---------------------------------------------------------------------------------


class ScheduleSession(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    activity_id: str
    activity_kind: ActivityKind
    carnival_id: str | None = None
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    min_age: int | None = None
    max_age: int | None = None
    registration_opens_at: datetime
    registration_closes_at: datetime
    max_party_size: int = 5
    waitlist_limit: int | None = None
    now: datetime


class Register(msgspec.Struct, frozen=True, kw_only=True):
    """One public registration. `phone` is already normalised and `phone_hash` computed with the
    service's secret; `registration_id`, `registrant_id` and `ticket_code` are minted outside."""

    session_id: str
    registration_id: str
    registrant_id: str
    name: str
    phone: str
    phone_hash: str
    adults: int
    children_ages: list[int] = []
    consent: bool
    ticket_code: str
    now: datetime  # when this registration arrived: the window and the order are judged by it


class RegisterBatch(msgspec.Struct, frozen=True, kw_only=True):
    registrations: list[Register]  # in arrival order


class CancelRegistration(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    ticket_code: str
    phone_hash: str  # the phone proves it is the registrant cancelling
    now: datetime


class CheckIn(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str  # the session at whose door the ticket is shown
    ticket_code: str
    now: datetime


class CountNoShows(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    now: datetime


SessionCommand = ScheduleSession | Register | RegisterBatch | CancelRegistration | CheckIn | CountNoShows

# --- state ------------------------------------------------------------------------------------

EntryStatus = Literal["confirmed", "waitlisted", "cancelled"]


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    registration_id: str
    registrant_id: str
    name: str
    phone: str
    phone_hash: str
    ticket_code: str
    seats: int
    status: EntryStatus
    checked_in: bool = False


class NoSession(msgspec.Struct, frozen=True, tag="none"):
    pass


class Session(msgspec.Struct, frozen=True, kw_only=True, tag="session"):
    """Treated as immutable: evolve copies what it changes."""

    plan: SessionScheduled
    entries: dict[str, Entry] = {}
    by_ticket: dict[str, str] = {}  # ticket code -> registration id
    active_phones: dict[str, str] = {}  # phone hash -> registration id, cancelled ones left out
    waitlist: tuple[str, ...] = ()  # registration ids in arrival order
    confirmed_seats: int = 0
    no_shows_counted: bool = False

    @property
    def free_seats(self) -> int:
        return self.plan.capacity - self.confirmed_seats

    def waitlist_position(self, registration_id: str) -> int | None:
        """Current place on the waiting list, from 1 (it moves up as others leave it)."""
        try:
            return self.waitlist.index(registration_id) + 1
        except ValueError:
            return None

    def entry_by_ticket(self, ticket_code: str) -> Entry | None:
        rid = self.by_ticket.get(ticket_code)
        return None if rid is None else self.entries[rid]


SessionState = NoSession | Session

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


# --- decide -----------------------------------------------------------------------------------


def session_stream(session_id: str) -> str:
    return f"session-{session_id}"


def decide_registrations(batch: RegisterBatch, state: SessionState) -> BatchDecision:
    outcomes: list[Outcome] = []
    events: list[SessionEvent] = []
    for reg in batch.registrations:
        try:
            event = _decide_one(reg, state)
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


def decide(command: SessionCommand, state: SessionState) -> list[SessionEvent]:
    match command:
        case ScheduleSession():
            return [_schedule(command, state)]
        case RegisterBatch():
            return decide_registrations(command, state).events
        case Register():
            return [_decide_one(command, state)]
        case CancelRegistration():
            return _cancel(command, _existing(state))
        case CheckIn():
            return [_check_in(command, _existing(state))]
        case CountNoShows():
            return [_count_no_shows(command, _existing(state))]
        case _:
            assert_never(command)


def _existing(state: SessionState) -> Session:
    if not isinstance(state, Session):
        raise NotFound("session.not_found", "No such session.", detail_zh="场次不存在。", field="session_id")
    return state


def _schedule(c: ScheduleSession, state: SessionState) -> SessionScheduled:
    if isinstance(state, Session):
        raise DomainError(
            "session.already_scheduled",
            "This session is already scheduled.",
            detail_zh="该场次已安排，不能重复安排。",
            field="session_id",
        )
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


def _decide_one(r: Register, state: SessionState) -> RegistrationConfirmed | RegistrationWaitlisted:
    s = _existing(state)
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


def _cancel(c: CancelRegistration, s: Session) -> list[SessionEvent]:
    entry = s.entry_by_ticket(c.ticket_code)
    if entry is None or entry.phone_hash != c.phone_hash:
        # One answer for an unknown code and a wrong phone, so codes cannot be probed.
        raise NotFound(
            "registration.not_found",
            "No registration with this ticket code and phone number.",
            detail_zh="未找到与该票号和手机号匹配的报名。",
            field="ticket_code",
        )
    if entry.status == "cancelled":
        raise DomainError(
            "registration.already_cancelled",
            "This registration is already cancelled.",
            detail_zh="该报名已取消。",
            field="ticket_code",
        )
    if entry.checked_in:
        raise DomainError(
            "registration.already_checked_in",
            "A checked-in registration cannot be cancelled.",
            detail_zh="已签到的报名不能取消。",
            field="ticket_code",
        )
    if c.now >= s.plan.starts_at:
        raise DomainError(
            "registration.cancel_too_late",
            "The session has started; it can no longer be cancelled.",
            detail_zh="场次已开始，不能再取消报名。",
            field="ticket_code",
        )
    cancelled = RegistrationCancelled(
        session_id=s.plan.session_id,
        registration_id=entry.registration_id,
        ticket_code=entry.ticket_code,
        was=entry.status,
        seats=entry.seats,
        cancelled_by="registrant",
        cancelled_at=c.now,
    )
    return [cancelled, *promotions(evolve(s, cancelled), c.now)]


def promotions(s: Session, now: datetime) -> list[RegistrationPromoted]:
    """First fit in arrival order (see the module's waiting-list rule)."""
    free = s.free_seats
    out: list[RegistrationPromoted] = []
    for rid in s.waitlist:
        if free <= 0:
            break
        e = s.entries[rid]
        if e.seats <= free:
            free -= e.seats
            out.append(
                RegistrationPromoted(
                    session_id=s.plan.session_id,
                    registration_id=rid,
                    registrant_id=e.registrant_id,
                    name=e.name,
                    phone=e.phone,
                    ticket_code=e.ticket_code,
                    seats=e.seats,
                    promoted_at=now,
                )
            )
    return out


def _check_in(c: CheckIn, s: Session) -> CheckedIn:
    entry = s.entry_by_ticket(c.ticket_code)
    if entry is None:
        raise DomainError(
            "checkin.wrong_session",
            "This ticket is not for this session.",
            detail_zh="该票不属于本场次。",
            field="ticket_code",
        )
    if entry.status == "cancelled":
        raise DomainError(
            "checkin.cancelled",
            "This registration was cancelled.",
            detail_zh="该报名已取消，不能签到。",
            field="ticket_code",
        )
    if entry.status == "waitlisted":
        raise DomainError(
            "checkin.not_confirmed",
            "This registration is still on the waiting list.",
            detail_zh="该报名仍在候补中，不能签到。",
            field="ticket_code",
        )
    if entry.checked_in:
        raise DomainError(
            "checkin.already_checked_in",
            "This ticket has already been checked in.",
            detail_zh="该票已签到，不能重复签到。",
            field="ticket_code",
        )
    if c.now < s.plan.starts_at - CHECK_IN_OPENS_BEFORE:
        raise DomainError(
            "checkin.not_open_yet",
            "Check-in opens one hour before the session starts.",
            detail_zh="签到于场次开始前一小时开放。",
            field="ticket_code",
        )
    if c.now > s.plan.ends_at:
        raise DomainError(
            "checkin.session_over",
            "The session is over.",
            detail_zh="场次已结束，不能签到。",
            field="ticket_code",
        )
    return CheckedIn(
        session_id=s.plan.session_id,
        registration_id=entry.registration_id,
        ticket_code=entry.ticket_code,
        seats=entry.seats,
        checked_in_at=c.now,
    )


def _count_no_shows(c: CountNoShows, s: Session) -> NoShowsCounted:
    if c.now < s.plan.ends_at:
        raise DomainError(
            "session.not_over",
            "No-shows are counted after the session ends.",
            detail_zh="场次结束后才能统计未到场人数。",
            field="session_id",
        )
    if s.no_shows_counted:
        raise DomainError(
            "session.no_shows_already_counted",
            "No-shows of this session were already counted.",
            detail_zh="本场次的未到场人数已统计。",
            field="session_id",
        )
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


# --- evolve -----------------------------------------------------------------------------------


def evolve(state: SessionState, event: SessionEvent) -> SessionState:
    match event:
        case SessionScheduled():
            return Session(plan=event)
        case RegistrationConfirmed() | RegistrationWaitlisted():
            s = _as_session(state)
            waiting = isinstance(event, RegistrationWaitlisted)
            entry = Entry(
                registration_id=event.registration_id,
                registrant_id=event.registrant_id,
                name=event.name,
                phone=event.phone,
                phone_hash=event.phone_hash,
                ticket_code=event.ticket_code,
                seats=event.seats,
                status="waitlisted" if waiting else "confirmed",
            )
            return msgspec.structs.replace(
                s,
                entries={**s.entries, entry.registration_id: entry},
                by_ticket={**s.by_ticket, entry.ticket_code: entry.registration_id},
                active_phones={**s.active_phones, entry.phone_hash: entry.registration_id},
                waitlist=(*s.waitlist, entry.registration_id) if waiting else s.waitlist,
                confirmed_seats=s.confirmed_seats if waiting else s.confirmed_seats + entry.seats,
            )
        case RegistrationCancelled():
            s = _as_session(state)
            entry = s.entries[event.registration_id]
            phones = dict(s.active_phones)
            phones.pop(entry.phone_hash, None)
            was_confirmed = entry.status == "confirmed"
            return msgspec.structs.replace(
                s,
                entries={
                    **s.entries,
                    entry.registration_id: msgspec.structs.replace(entry, status="cancelled"),
                },
                active_phones=phones,
                waitlist=s.waitlist
                if was_confirmed
                else tuple(r for r in s.waitlist if r != entry.registration_id),
                confirmed_seats=s.confirmed_seats - entry.seats if was_confirmed else s.confirmed_seats,
            )
        case RegistrationPromoted():
            s = _as_session(state)
            entry = s.entries[event.registration_id]
            return msgspec.structs.replace(
                s,
                entries={
                    **s.entries,
                    entry.registration_id: msgspec.structs.replace(entry, status="confirmed"),
                },
                waitlist=tuple(r for r in s.waitlist if r != entry.registration_id),
                confirmed_seats=s.confirmed_seats + entry.seats,
            )
        case CheckedIn():
            s = _as_session(state)
            entry = s.entries[event.registration_id]
            return msgspec.structs.replace(
                s,
                entries={**s.entries, entry.registration_id: msgspec.structs.replace(entry, checked_in=True)},
            )
        case NoShowsCounted():
            return msgspec.structs.replace(_as_session(state), no_shows_counted=True)
        case _:
            assert_never(event)


def _as_session(state: SessionState) -> Session:
    assert isinstance(state, Session), "a session event before the session was scheduled"
    return state


session_decider: Decider[SessionCommand, SessionState, SessionEvent] = Decider(
    initial=NoSession(), decide=decide, evolve=evolve
)

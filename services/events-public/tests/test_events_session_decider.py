"""Session rules, Given/When/Then: scheduling, registration, waiting list, cancel, check-in, no-shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from redpark_contracts.events_public import (
    CheckedIn,
    NoShowsCounted,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    SessionScheduled,
)
from redpark_events_public.domain.registration import Confirmed, Refused, Waitlisted, decide_registrations
from redpark_events_public.domain.session import session_decider
from redpark_events_public.domain.session_commands import (
    CancelRegistration,
    CheckIn,
    CountNoShows,
    Register,
    RegisterBatch,
    ScheduleSession,
)
from redpark_events_public.domain.session_state import Session
from redpark_platform.errors import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

spec = DeciderSpec(session_decider)

OPENS = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
CLOSES = datetime(2026, 5, 9, 0, 0, tzinfo=UTC)
STARTS = datetime(2026, 5, 10, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
ENDS = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
DURING = datetime(2026, 5, 3, 8, 0, tzinfo=UTC)


def scheduled(capacity: int = 10, **over: object) -> SessionScheduled:
    fields: dict[str, object] = {
        "session_id": "s1",
        "activity_id": "a1",
        "activity_kind": "youth_science_course",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "place": "Lecture hall",
        "capacity": capacity,
        "min_age": None,
        "max_age": None,
        "registration_opens_at": OPENS,
        "registration_closes_at": CLOSES,
        "max_party_size": 5,
        "waitlist_limit": None,
        "scheduled_at": OPENS - timedelta(days=1),
    }
    fields.update(over)
    return SessionScheduled(**fields)  # type: ignore[arg-type]


def reg(
    n: int, *, adults: int = 1, children: list[int] | None = None, now: datetime = DURING, **over: object
) -> Register:
    fields: dict[str, object] = {
        "session_id": "s1",
        "registration_id": f"r{n}",
        "registrant_id": f"p{n}",
        "name": f"Person {n}",
        "phone": f"138{n:08d}",
        "phone_hash": f"h{n}",
        "adults": adults,
        "children_ages": children or [],
        "consent": True,
        "ticket_code": f"T{n:07d}",
        "now": now,
    }
    fields.update(over)
    return Register(**fields)  # type: ignore[arg-type]


def confirmed(
    n: int, *, adults: int = 1, children: list[int] | None = None, now: datetime = DURING
) -> RegistrationConfirmed:
    r = reg(n, adults=adults, children=children, now=now)
    return RegistrationConfirmed(
        session_id="s1",
        registration_id=r.registration_id,
        registrant_id=r.registrant_id,
        name=r.name,
        phone=r.phone,
        phone_hash=r.phone_hash,
        adults=r.adults,
        children_ages=list(r.children_ages),
        seats=r.adults + len(r.children_ages),
        ticket_code=r.ticket_code,
        registered_at=now,
    )


def waitlisted(
    n: int, position: int, *, adults: int = 1, children: list[int] | None = None, now: datetime = DURING
) -> RegistrationWaitlisted:
    r = reg(n, adults=adults, children=children, now=now)
    return RegistrationWaitlisted(
        session_id="s1",
        registration_id=r.registration_id,
        registrant_id=r.registrant_id,
        name=r.name,
        phone=r.phone,
        phone_hash=r.phone_hash,
        adults=r.adults,
        children_ages=list(r.children_ages),
        seats=r.adults + len(r.children_ages),
        ticket_code=r.ticket_code,
        position=position,
        registered_at=now,
    )


def promoted(n: int, *, seats: int = 1, now: datetime = DURING) -> RegistrationPromoted:
    return RegistrationPromoted(
        session_id="s1",
        registration_id=f"r{n}",
        registrant_id=f"p{n}",
        name=f"Person {n}",
        phone=f"138{n:08d}",
        ticket_code=f"T{n:07d}",
        seats=seats,
        promoted_at=now,
    )


def cancel(n: int, *, now: datetime = DURING, phone_hash: str | None = None) -> CancelRegistration:
    return CancelRegistration(
        session_id="s1", ticket_code=f"T{n:07d}", phone_hash=phone_hash or f"h{n}", now=now
    )


def cancelled(n: int, was: str, *, seats: int = 1, now: datetime = DURING) -> RegistrationCancelled:
    return RegistrationCancelled(
        session_id="s1",
        registration_id=f"r{n}",
        ticket_code=f"T{n:07d}",
        was=was,
        seats=seats,
        cancelled_at=now,
    )  # type: ignore[arg-type]


# --- scheduling ------------------------------------------------------------------------------------


def schedule(**over: object) -> ScheduleSession:
    fields: dict[str, object] = {
        "session_id": "s1",
        "activity_id": "a1",
        "activity_kind": "youth_science_course",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "place": "Lecture hall",
        "capacity": 10,
        "registration_opens_at": OPENS,
        "registration_closes_at": CLOSES,
        "now": OPENS - timedelta(days=1),
    }
    fields.update(over)
    return ScheduleSession(**fields)  # type: ignore[arg-type]


def test_scheduling_a_session_records_its_plan() -> None:
    spec.given([]).when(schedule()).then([scheduled()])


def test_a_session_is_scheduled_once() -> None:
    spec.given([scheduled()]).when(schedule()).then_raises(DomainError, code="session.already_scheduled")


@pytest.mark.parametrize(
    ("over", "code", "field"),
    [
        ({"capacity": 0}, "session.capacity_invalid", "capacity"),
        ({"ends_at": STARTS}, "session.ends_before_start", "ends_at"),
        ({"registration_closes_at": OPENS}, "session.window_invalid", "registration_closes_at"),
        (
            {"registration_closes_at": STARTS + timedelta(minutes=1)},
            "session.window_after_start",
            "registration_closes_at",
        ),
        ({"min_age": 12, "max_age": 8}, "session.age_limits_reversed", "min_age"),
        ({"max_age": 300}, "session.age_limit_invalid", "max_age"),
        ({"max_party_size": 0}, "session.party_size_invalid", "max_party_size"),
        ({"place": "  "}, "session.place_required", "place"),
        ({"activity_kind": "science_carnival"}, "session.carnival_week_has_no_sessions", "activity_id"),
        ({"activity_kind": "knowledge_contest"}, "session.carnival_required", "carnival_id"),
        ({"waitlist_limit": -1}, "session.waitlist_limit_invalid", "waitlist_limit"),
    ],
)
def test_a_session_plan_that_breaks_a_rule_is_refused_naming_the_field(
    over: dict[str, object], code: str, field: str
) -> None:
    exc = spec.given([]).when(schedule(**over)).then_raises(InvalidCommand, code=code, field=field)
    assert isinstance(exc, DomainError) and exc.detail_zh and exc.detail_zh != exc.detail


# --- registration --------------------------------------------------------------------------------------


def test_a_registration_with_free_seats_is_confirmed_with_its_ticket_code() -> None:
    spec.given([scheduled()]).when(reg(1)).then([confirmed(1)])


def test_seats_count_every_person_in_the_party_adults_and_children() -> None:
    events = (
        spec.given([scheduled(capacity=3)])
        .when(reg(1, adults=1, children=[9, 11]))
        .then([confirmed(1, adults=1, children=[9, 11])])
    )
    assert events[0].seats == 3  # type: ignore[attr-defined]
    spec.given([scheduled(capacity=3), confirmed(1, adults=1, children=[9, 11])]).when(reg(2)).then(
        [waitlisted(2, 1)]
    )


def test_a_full_session_puts_the_next_registration_on_the_waiting_list_with_its_position() -> None:
    spec.given([scheduled(capacity=1), confirmed(1)]).when(reg(2)).then([waitlisted(2, 1)])
    spec.given([scheduled(capacity=1), confirmed(1), waitlisted(2, 1)]).when(reg(3)).then([waitlisted(3, 2)])


def test_a_party_larger_than_the_free_seats_waits_even_if_some_seats_are_free() -> None:
    spec.given([scheduled(capacity=3), confirmed(1)]).when(reg(2, adults=2, children=[8])).then(
        [waitlisted(2, 1, adults=2, children=[8])]
    )


def test_a_full_waiting_list_refuses_the_registration() -> None:
    spec.given([scheduled(capacity=1, waitlist_limit=1), confirmed(1), waitlisted(2, 1)]).when(
        reg(3)
    ).then_raises(DomainError, code="registration.full")


def test_one_registration_per_phone_per_session() -> None:
    spec.given([scheduled(), confirmed(1)]).when(reg(2, phone_hash="h1")).then_raises(
        DomainError, code="registration.phone_already_registered", field="phone"
    )
    spec.given([scheduled(capacity=1), confirmed(1), waitlisted(2, 1)]).when(
        reg(3, phone_hash="h2")
    ).then_raises(DomainError, code="registration.phone_already_registered")


def test_after_cancelling_the_same_phone_may_register_again() -> None:
    spec.given([scheduled(), confirmed(1), cancelled(1, "confirmed")]).when(reg(2, phone_hash="h1")).then(
        [msgspec_replace(confirmed(2), phone_hash="h1")]
    )


def msgspec_replace(e: RegistrationConfirmed, **changes: object) -> RegistrationConfirmed:
    import msgspec

    return msgspec.structs.replace(e, **changes)


def test_registration_before_the_window_is_refused_with_the_opening_time() -> None:
    exc = (
        spec.given([scheduled()])
        .when(reg(1, now=OPENS - timedelta(seconds=1)))
        .then_raises(DomainError, code="registration.not_open_yet")
    )
    assert "2026-05-01" in str(exc) and "2026-05-01" in exc.detail_zh  # type: ignore[attr-defined]


def test_registration_opens_exactly_at_the_opening_time() -> None:
    spec.given([scheduled()]).when(reg(1, now=OPENS)).then([confirmed(1, now=OPENS)])


def test_registration_after_the_window_is_refused() -> None:
    spec.given([scheduled()]).when(reg(1, now=CLOSES)).then_raises(DomainError, code="registration.closed")


def test_consent_to_the_privacy_notice_is_required() -> None:
    exc = (
        spec.given([scheduled()])
        .when(reg(1, consent=False))
        .then_raises(InvalidCommand, code="registration.consent_required", field="consent")
    )
    assert "隐私" in exc.detail_zh  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("over", "code", "field"),
    [
        ({"name": " "}, "registration.name_required", "name"),
        ({"name": "x" * 51}, "registration.name_too_long", "name"),
        ({"phone": "12800000000"}, "phone.invalid", "phone"),
        ({"adults": 0}, "registration.party_empty", "adults"),
        ({"adults": -1}, "registration.adults_invalid", "adults"),
        ({"adults": 4, "children_ages": [5, 6]}, "registration.party_too_large", "adults"),
        ({"children_ages": [18]}, "registration.child_age_invalid", "children_ages"),
    ],
)
def test_a_registration_with_bad_input_is_refused_naming_the_field(
    over: dict[str, object], code: str, field: str
) -> None:
    spec.given([scheduled()]).when(reg(1, **over)).then_raises(InvalidCommand, code=code, field=field)


def test_children_outside_the_age_limits_are_refused() -> None:
    given = spec.given([scheduled(min_age=8, max_age=14)])
    exc = given.when(reg(1, children=[7])).then_raises(
        DomainError, code="registration.age_out_of_range", field="children_ages"
    )
    assert "8至14岁" in exc.detail_zh  # type: ignore[attr-defined]
    given.when(reg(1, children=[15])).then_raises(DomainError, code="registration.age_out_of_range")
    given.when(reg(1, children=[8, 14])).then([confirmed(1, children=[8, 14])])


def test_a_childrens_session_needs_a_child_in_the_party() -> None:
    spec.given([scheduled(min_age=8, max_age=14)]).when(reg(1, adults=2)).then_raises(
        DomainError, code="registration.child_required", field="children_ages"
    )


def test_an_adults_only_session_refuses_children_but_not_adults() -> None:
    given = spec.given([scheduled(min_age=18)])
    given.when(reg(1, adults=1, children=[10])).then_raises(DomainError, code="registration.age_out_of_range")
    given.when(reg(1, adults=2)).then([confirmed(1, adults=2)])


def test_registering_for_an_unknown_session_is_not_found() -> None:
    spec.given([]).when(reg(1)).then_raises(NotFound, code="session.not_found")


def test_a_ticket_code_already_in_the_session_is_refused() -> None:
    spec.given([scheduled(), confirmed(1)]).when(reg(2, ticket_code="T0000001")).then_raises(
        DomainError, code="registration.ticket_code_taken"
    )


def test_the_same_registration_is_not_taken_twice() -> None:
    spec.given([scheduled(), confirmed(1)]).when(
        reg(1, phone_hash="other", ticket_code="T9999999")
    ).then_raises(DomainError, code="registration.duplicate_id")


# --- batches ---------------------------------------------------------------------------------------------


def test_a_batch_decides_each_registration_in_arrival_order_and_a_refusal_fails_only_itself() -> None:
    state = session_decider.fold([scheduled(capacity=2)])
    batch = RegisterBatch(
        registrations=[
            reg(1),
            reg(2, consent=False),
            reg(3, adults=2),
            reg(4),
            reg(5, phone_hash="h1"),
            reg(6),
        ]
    )
    decision = decide_registrations(batch, state)
    assert decision.outcomes[0] == Confirmed("r1", "T0000001", 1)
    assert (
        isinstance(decision.outcomes[1], Refused)
        and decision.outcomes[1].error.code == "registration.consent_required"
    )
    assert decision.outcomes[2] == Waitlisted("r3", "T0000003", 2, 1)
    assert decision.outcomes[3] == Confirmed("r4", "T0000004", 1)  # fits in the one seat left
    assert isinstance(decision.outcomes[4], Refused)
    assert decision.outcomes[4].error.code == "registration.phone_already_registered"
    assert decision.outcomes[5] == Waitlisted("r6", "T0000006", 1, 2)
    assert decision.events == [confirmed(1), waitlisted(3, 1, adults=2), confirmed(4), waitlisted(6, 2)]
    assert decision.state == session_decider.fold(decision.events, state)
    # The plain decider contract gives the same events for the same batch.
    assert session_decider.decide(batch, state) == decision.events


def test_a_batch_judges_the_window_by_each_registrations_own_arrival_time() -> None:
    state = session_decider.fold([scheduled()])
    decision = decide_registrations(
        RegisterBatch(registrations=[reg(1, now=CLOSES - timedelta(milliseconds=1)), reg(2, now=CLOSES)]),
        state,
    )
    assert isinstance(decision.outcomes[0], Confirmed)
    assert (
        isinstance(decision.outcomes[1], Refused) and decision.outcomes[1].error.code == "registration.closed"
    )


def test_two_registrations_with_one_phone_in_one_batch_take_only_the_first() -> None:
    state = session_decider.fold([scheduled()])
    decision = decide_registrations(RegisterBatch(registrations=[reg(1), reg(2, phone_hash="h1")]), state)
    assert [type(o) for o in decision.outcomes] == [Confirmed, Refused]


def test_a_batch_for_an_unknown_session_refuses_every_registration_and_stores_nothing() -> None:
    decision = decide_registrations(
        RegisterBatch(registrations=[reg(1), reg(2)]), session_decider.initial_state()
    )
    assert decision.events == []
    assert all(isinstance(o, Refused) and o.error.code == "session.not_found" for o in decision.outcomes)


# --- cancel and promotion ---------------------------------------------------------------------------------


def test_cancelling_a_confirmed_registration_promotes_the_first_on_the_waiting_list_at_once() -> None:
    later = DURING + timedelta(hours=1)
    spec.given([scheduled(capacity=1), confirmed(1), waitlisted(2, 1), waitlisted(3, 2)]).when(
        cancel(1, now=later)
    ).then([cancelled(1, "confirmed", now=later), promoted(2, now=later)])


def test_cancelling_a_waitlisted_registration_promotes_nobody_and_moves_the_others_up() -> None:
    given = [scheduled(capacity=1), confirmed(1), waitlisted(2, 1), waitlisted(3, 2)]
    spec.given(given).when(cancel(2)).then([cancelled(2, "waitlisted")])
    state = session_decider.fold([*given, cancelled(2, "waitlisted")])
    assert isinstance(state, Session) and state.waitlist_position("r3") == 1


def test_when_the_first_waiting_party_does_not_fit_it_keeps_its_place_and_a_smaller_one_behind_goes_first() -> (
    None
):
    # capacity 2: r1 (1 seat) and r2 (1 seat) confirmed; r3 (party of 2) then r4 (1) wait.
    given = [scheduled(capacity=2), confirmed(1), confirmed(2), waitlisted(3, 1, adults=2), waitlisted(4, 2)]
    spec.given(given).when(cancel(1)).then([cancelled(1, "confirmed"), promoted(4)])
    after = session_decider.fold([*given, cancelled(1, "confirmed"), promoted(4)])
    assert isinstance(after, Session) and after.waitlist == ("r3",) and after.free_seats == 0
    # Once two seats are free the large party is first in line for them.
    spec.given([*given, cancelled(1, "confirmed"), promoted(4)]).when(cancel(2)).then(
        [cancelled(2, "confirmed")]
    )
    spec.given([*given, cancelled(1, "confirmed"), promoted(4), cancelled(2, "confirmed")]).when(
        cancel(4)
    ).then([cancelled(4, "confirmed"), promoted(3, seats=2)])


def test_freeing_a_large_party_promotes_as_many_waiting_parties_as_fit_in_order() -> None:
    given = [
        scheduled(capacity=3),
        confirmed(1, adults=3),
        waitlisted(2, 1),
        waitlisted(3, 2, adults=3),
        waitlisted(4, 3),
        waitlisted(5, 4),
    ]
    spec.given(given).when(cancel(1)).then(
        [cancelled(1, "confirmed", seats=3), promoted(2), promoted(4), promoted(5)]
    )


def test_cancelling_needs_the_phone_that_registered_and_says_the_same_for_an_unknown_code() -> None:
    given = spec.given([scheduled(), confirmed(1)])
    wrong_phone = given.when(cancel(1, phone_hash="h2")).then_raises(NotFound, code="registration.not_found")
    unknown = given.when(cancel(9)).then_raises(NotFound, code="registration.not_found")
    assert str(wrong_phone) == str(unknown)


def test_a_registration_is_cancelled_once() -> None:
    spec.given([scheduled(), confirmed(1), cancelled(1, "confirmed")]).when(cancel(1)).then_raises(
        DomainError, code="registration.already_cancelled"
    )


def test_cancelling_after_the_session_started_is_refused() -> None:
    spec.given([scheduled(), confirmed(1)]).when(cancel(1, now=STARTS)).then_raises(
        DomainError, code="registration.cancel_too_late"
    )


def test_a_checked_in_registration_cannot_be_cancelled() -> None:
    at_door = STARTS - timedelta(minutes=30)
    spec.given([scheduled(), confirmed(1), checked_in(1, at_door)]).when(cancel(1, now=at_door)).then_raises(
        DomainError, code="registration.already_checked_in"
    )


# --- check-in and no-shows ----------------------------------------------------------------------------------


def checked_in(n: int, at: datetime, seats: int = 1) -> CheckedIn:
    return CheckedIn(
        session_id="s1", registration_id=f"r{n}", ticket_code=f"T{n:07d}", seats=seats, checked_in_at=at
    )


def check_in(n: int, at: datetime) -> CheckIn:
    return CheckIn(session_id="s1", ticket_code=f"T{n:07d}", now=at)


def test_a_confirmed_ticket_checks_in_once_never_twice() -> None:
    at = STARTS - timedelta(minutes=10)
    spec.given([scheduled(), confirmed(1)]).when(check_in(1, at)).then([checked_in(1, at)])
    spec.given([scheduled(), confirmed(1), checked_in(1, at)]).when(check_in(1, at)).then_raises(
        DomainError, code="checkin.already_checked_in", field="ticket_code"
    )


def test_a_ticket_of_another_session_is_refused_at_this_door() -> None:
    spec.given([scheduled(), confirmed(1)]).when(check_in(7, STARTS)).then_raises(
        DomainError, code="checkin.wrong_session"
    )


def test_waitlisted_and_cancelled_tickets_do_not_check_in() -> None:
    given = [
        scheduled(capacity=1),
        confirmed(1),
        waitlisted(2, 1),
        waitlisted(3, 2),
        cancelled(3, "waitlisted"),
    ]
    spec.given(given).when(check_in(2, STARTS)).then_raises(DomainError, code="checkin.not_confirmed")
    spec.given(given).when(check_in(3, STARTS)).then_raises(DomainError, code="checkin.cancelled")


def test_a_promoted_registration_checks_in() -> None:
    spec.given(
        [scheduled(capacity=1), confirmed(1), waitlisted(2, 1), cancelled(1, "confirmed"), promoted(2)]
    ).when(check_in(2, STARTS)).then([checked_in(2, STARTS)])


def test_check_in_opens_an_hour_before_the_start_and_closes_at_the_end() -> None:
    given = spec.given([scheduled(), confirmed(1)])
    given.when(check_in(1, STARTS - timedelta(minutes=61))).then_raises(
        DomainError, code="checkin.not_open_yet"
    )
    given.when(check_in(1, STARTS - timedelta(minutes=60))).then(
        [checked_in(1, STARTS - timedelta(minutes=60))]
    )
    given.when(check_in(1, ENDS + timedelta(seconds=1))).then_raises(DomainError, code="checkin.session_over")


def test_no_shows_are_counted_after_the_session_once() -> None:
    history = [
        scheduled(capacity=3),
        confirmed(1),
        confirmed(2, adults=2),
        confirmed(3),
        cancelled(3, "confirmed"),
        checked_in(1, STARTS),
    ]
    spec.given(history).when(CountNoShows(session_id="s1", now=ENDS)).then(
        [
            NoShowsCounted(
                session_id="s1",
                confirmed_registrations=2,
                checked_in_registrations=1,
                no_show_registration_ids=["r2"],
                no_show_seats=2,
                counted_at=ENDS,
            )
        ]
    )
    spec.given(history).when(CountNoShows(session_id="s1", now=ENDS - timedelta(minutes=1))).then_raises(
        DomainError, code="session.not_over"
    )
    counted = NoShowsCounted(
        session_id="s1",
        confirmed_registrations=2,
        checked_in_registrations=1,
        no_show_registration_ids=["r2"],
        no_show_seats=2,
        counted_at=ENDS,
    )
    spec.given([*history, counted]).when(CountNoShows(session_id="s1", now=ENDS)).then_raises(
        DomainError, code="session.no_shows_already_counted"
    )


def test_every_refusal_speaks_chinese_and_english() -> None:
    exc = spec.given([scheduled(), confirmed(1)]).when(reg(2, phone_hash="h1")).then_raises(DomainError)
    assert isinstance(exc, DomainError)
    assert exc.detail and exc.detail_zh and exc.detail != exc.detail_zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail_zh)

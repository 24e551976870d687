"""The rush, in memory: the batch decider never overbooks, never loses an accepted registration,
keeps the waiting list in arrival order and promotes exactly the right parties after cancellations."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redpark_contracts.events_public import (
    RegistrationCancelled,
    RegistrationPromoted,
    SessionEvent,
    SessionScheduled,
)
from redpark_events_public.domain.registration import Confirmed, Refused, Waitlisted, decide_registrations
from redpark_events_public.domain.session import session_decider
from redpark_events_public.domain.session_commands import CancelRegistration, Register, RegisterBatch
from redpark_events_public.domain.session_state import Session, SessionState

OPENS = datetime(2026, 5, 1, tzinfo=UTC)
STARTS = datetime(2026, 5, 10, 1, tzinfo=UTC)
SEATS = 300
PEOPLE = 2000


def plan(capacity: int) -> SessionScheduled:
    return SessionScheduled(
        session_id="rush",
        activity_id="carnival-contest",
        activity_kind="youth_science_course",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2),
        place="Main square",
        capacity=capacity,
        registration_opens_at=OPENS,
        registration_closes_at=STARTS,
        scheduled_at=OPENS,
    )


def registration(i: int, *, adults: int = 1, children: list[int] | None = None) -> Register:
    return Register(
        session_id="rush",
        registration_id=f"r{i:05d}",
        registrant_id=f"p{i}",
        name=f"Visitor {i}",
        phone=f"139{i:08d}",
        phone_hash=f"h{i}",
        adults=adults,
        children_ages=children or [],
        consent=True,
        ticket_code=f"K{i:07d}",
        now=OPENS + timedelta(milliseconds=i),
    )


def cut(items: list[Register], sizes: list[int]) -> list[list[Register]]:
    """Split `items` into consecutive batches whose sizes cycle through `sizes`."""
    batches, at, k = [], 0, 0
    while at < len(items):
        n = sizes[k % len(sizes)]
        batches.append(items[at : at + n])
        at, k = at + n, k + 1
    return batches


def apply(state: SessionState, events: list[SessionEvent]) -> SessionState:
    return session_decider.fold(events, state)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch_sizes=st.lists(st.integers(min_value=1, max_value=250), min_size=1, max_size=30),
    cancel_seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_2000_for_300_seats_in_random_batches_then_100_cancellations_promote_exactly_the_next_100(
    batch_sizes: list[int],
    cancel_seed: int,
) -> None:
    state: SessionState = session_decider.fold([plan(SEATS)])
    arrivals = [registration(i) for i in range(1, PEOPLE + 1)]
    outcomes: list[Confirmed | Waitlisted | Refused] = []
    stored: list[SessionEvent] = []
    for batch in cut(arrivals, batch_sizes):
        decision = decide_registrations(RegisterBatch(registrations=batch), state)
        state = decision.state
        outcomes.extend(decision.outcomes)
        stored.extend(decision.events)

    assert [o.registration_id for o in outcomes] == [r.registration_id for r in arrivals]
    assert all(isinstance(o, Confirmed) for o in outcomes[:SEATS])
    waiting = outcomes[SEATS:]
    assert all(isinstance(o, Waitlisted) for o in waiting)
    assert [o.position for o in waiting] == list(range(1, PEOPLE - SEATS + 1))  # type: ignore[union-attr]
    assert len(stored) == PEOPLE  # every accepted registration is stored, nothing else
    assert state == session_decider.fold([plan(SEATS), *stored])  # the writer's state is the stream's
    assert isinstance(state, Session) and state.confirmed_seats == SEATS

    rng = random.Random(cancel_seed)
    leaving = rng.sample(range(1, SEATS + 1), 100)
    promoted: list[str] = []
    for n, i in enumerate(leaving):
        events = session_decider.decide(
            CancelRegistration(
                session_id="rush",
                ticket_code=f"K{i:07d}",
                phone_hash=f"h{i}",
                now=OPENS + timedelta(hours=1, seconds=n),
            ),
            state,
        )
        assert isinstance(events[0], RegistrationCancelled) and events[0].was == "confirmed"
        promoted.extend(e.registration_id for e in events[1:] if isinstance(e, RegistrationPromoted))
        state = apply(state, events)

    assert promoted == [f"r{i:05d}" for i in range(SEATS + 1, SEATS + 101)]
    assert isinstance(state, Session)
    assert state.confirmed_seats == SEATS
    assert state.waitlist == tuple(f"r{i:05d}" for i in range(SEATS + 101, PEOPLE + 1))
    assert state.waitlist_position(f"r{SEATS + 101:05d}") == 1


# A step is a registration of a party (adults, children) or a cancellation of the k-th ticket issued so far.
party = st.tuples(
    st.integers(min_value=0, max_value=3), st.lists(st.integers(min_value=0, max_value=17), max_size=2)
).filter(lambda p: 1 <= p[0] + len(p[1]) <= 5)
step = st.one_of(
    party.map(lambda p: ("register", p)),
    st.integers(min_value=0, max_value=10**6).map(lambda k: ("cancel", k)),
)


@settings(max_examples=150, deadline=None)
@given(
    capacity=st.integers(min_value=1, max_value=12),
    steps=st.lists(step, max_size=60),
    batch_sizes=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=5),
)
def test_under_any_mix_of_parties_and_cancellations_the_seat_and_waiting_list_rules_hold(
    capacity: int,
    steps: list[tuple[str, object]],
    batch_sizes: list[int],
) -> None:
    state: SessionState = session_decider.fold([plan(capacity)])
    accepted: dict[str, int] = {}  # registration id -> arrival index, everything ever accepted
    cancelled_ids: set[str] = set()
    pending: list[Register] = []
    i = 0

    def flush() -> None:
        nonlocal state, pending
        for batch in cut(pending, batch_sizes):
            decision = decide_registrations(RegisterBatch(registrations=batch), state)
            for o in decision.outcomes:
                assert not isinstance(o, Refused), o.error.code
                accepted[o.registration_id] = len(accepted)
            state = decision.state
        pending = []

    for kind, arg in steps:
        if kind == "register":
            i += 1
            adults, children = arg  # type: ignore[misc]
            pending.append(registration(i, adults=adults, children=children))
            continue
        flush()
        live = sorted(r for r in accepted if r not in cancelled_ids)
        if not live:
            continue
        rid = live[arg % len(live)]  # type: ignore[operator]
        assert isinstance(state, Session)
        entry = state.entries[rid]
        events = session_decider.decide(
            CancelRegistration(
                session_id="rush", ticket_code=entry.ticket_code, phone_hash=entry.phone_hash, now=OPENS
            ),
            state,
        )
        cancelled_ids.add(rid)
        state = apply(state, events)
        check_invariants(state, accepted, cancelled_ids)
    flush()
    check_invariants(state, accepted, cancelled_ids)


def check_invariants(state: SessionState, accepted: dict[str, int], cancelled_ids: set[str]) -> None:
    assert isinstance(state, Session)
    confirmed = [e for e in state.entries.values() if e.status == "confirmed"]
    # never overbook, and the seat count is the sum of the parties
    assert state.confirmed_seats == sum(e.seats for e in confirmed) <= state.plan.capacity
    # never lose an accepted registration
    assert set(state.entries) == set(accepted)
    assert {r for r, e in state.entries.items() if e.status == "cancelled"} == cancelled_ids
    # the waiting list is exactly the waiting entries, in arrival order
    assert set(state.waitlist) == {r for r, e in state.entries.items() if e.status == "waitlisted"}
    assert [accepted[r] for r in state.waitlist] == sorted(accepted[r] for r in state.waitlist)
    # first fit: nobody waiting could use the free seats
    assert all(state.entries[r].seats > state.free_seats for r in state.waitlist)

"""四个一: each quarter an enterprise symposium, a project negotiation, a team building and a
tech exchange forum (stream `quarterly-<kind>-<YYYYQn>`,
                     the contract's spelling of a quarter: one of each kind per quarter), planned
and then held inside its quarter with participants and outcomes. Which of the four are still
missing in a quarter is `missing_quarterlies`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never, get_args

import msgspec

from redpark_contracts.enterprise_support import QuarterlyHeld, QuarterlyKind, QuarterlyPlanned
from redpark_platform.calendar import compact_quarter, effective_date, park_date, quarter_bounds
from redpark_platform.decider import Decider

from .errors import ERRORS
from .platform_activity import check_participants

KINDS: tuple[QuarterlyKind, ...] = get_args(QuarterlyKind)


def stream_id(kind: QuarterlyKind, quarter: str) -> str:
    """`quarter` as the calendar spells it (`2025-Q3`); the streams keep the contract's `2025Q3`."""
    return f"quarterly-{kind}-{compact_quarter(quarter)}"


def missing_quarterlies(held: set[str]) -> list[QuarterlyKind]:
    """The kinds not yet held, in the plan's order."""
    return [k for k in KINDS if k not in held]


class PlanQuarterly(msgspec.Struct, frozen=True, kw_only=True):
    kind: QuarterlyKind
    quarter: str
    title: str
    now: datetime


class HoldQuarterly(msgspec.Struct, frozen=True, kw_only=True):
    kind: QuarterlyKind
    quarter: str
    title: str
    participant_enterprise_ids: list[str]
    participants_in_park: list[str]
    outcomes: str
    now: datetime
    held_on: date | None = None


QuarterlyCommand = PlanQuarterly | HoldQuarterly
QuarterlyEvent = QuarterlyPlanned | QuarterlyHeld


class NotPlanned(msgspec.Struct, frozen=True, tag=True):
    pass


class PlannedQuarterly(msgspec.Struct, frozen=True, tag=True):
    title: str


class HeldQuarterly(msgspec.Struct, frozen=True, tag=True):
    held_on: date


QuarterlyState = NotPlanned | PlannedQuarterly | HeldQuarterly


def decide(command: QuarterlyCommand, state: QuarterlyState) -> list[QuarterlyEvent]:
    first, last = quarter_bounds(command.quarter)
    # The published events (and the API) spell a quarter `2025Q3`; the calendar `2025-Q3`.
    label = compact_quarter(command.quarter)
    match command:
        case PlanQuarterly():
            if not isinstance(state, NotPlanned):
                raise ERRORS.error("quarterly.exists", field="kind", kind=command.kind, label=label)
            if park_date(command.now) > last:
                raise ERRORS.error("quarterly.quarter_over", field="quarter", label=label)
            if not command.title.strip():
                raise ERRORS.error("quarterly.title_missing", field="title")
            return [QuarterlyPlanned(kind=command.kind, quarter=label, title=command.title.strip(),
                                     planned_on=park_date(command.now))]
        case HoldQuarterly():
            if isinstance(state, HeldQuarterly):
                raise ERRORS.error("quarterly.already_held", field="kind", kind=command.kind, label=label,
                                   held_on=state.held_on.isoformat())
            on = effective_date(command.held_on, command.now, "held_on")
            if not first <= on <= last:
                raise ERRORS.error("quarterly.outside_quarter", field="held_on", on=on.isoformat(), label=label)
            participants = check_participants(command.participant_enterprise_ids, command.participants_in_park)
            if not participants:
                raise ERRORS.error("quarterly.no_participants", field="participant_enterprise_ids")
            title = command.title.strip() or (state.title if isinstance(state, PlannedQuarterly) else "")
            if not title:
                raise ERRORS.error("quarterly.title_missing", field="title")
            return [QuarterlyHeld(kind=command.kind, quarter=label, title=title, held_on=on,
                                  participant_enterprise_ids=participants, outcomes=command.outcomes.strip())]
        case _:
            assert_never(command)


def evolve(state: QuarterlyState, event: QuarterlyEvent) -> QuarterlyState:
    match event:
        case QuarterlyPlanned():
            return PlannedQuarterly(title=event.title)
        case QuarterlyHeld():
            return HeldQuarterly(held_on=event.held_on)
        case _:
            assert_never(event)


decider: Decider[QuarterlyCommand, QuarterlyState, QuarterlyEvent] = Decider(initial=NotPlanned(), decide=decide,
                                                                             evolve=evolve)

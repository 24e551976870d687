"""四个一: each quarter an enterprise symposium, a project negotiation, a team building and a
tech exchange forum (stream `quarterly-<kind>-<YYYYQn>`: one of each kind per quarter), planned
and then held inside its quarter with participants and outcomes. Which of the four are still
missing in a quarter is `missing_quarterlies`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never, get_args

import msgspec
from redpark_contracts.enterprise_support import QuarterlyHeld, QuarterlyKind, QuarterlyPlanned
from redpark_platform.decider import Decider, DomainError, InvalidCommand

from .park_calendar import effective_date, park_date, quarter_bounds
from .platform_activity import check_participants

KINDS: tuple[QuarterlyKind, ...] = get_args(QuarterlyKind)


def stream_id(kind: QuarterlyKind, quarter: str) -> str:
    return f"quarterly-{kind}-{quarter}"


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
    match command:
        case PlanQuarterly():
            if not isinstance(state, NotPlanned):
                raise DomainError("quarterly.exists", f"the {command.kind} of {command.quarter} is already planned",
                                  detail_zh="本季度该活动已安排", field="kind")
            if park_date(command.now) > last:
                raise InvalidCommand("quarterly.quarter_over", f"{command.quarter} is over", detail_zh="该季度已结束",
                                     field="quarter")
            if not command.title.strip():
                raise InvalidCommand("quarterly.title_missing", "a quarterly needs a title", detail_zh="请填写活动名称",
                                     field="title")
            return [QuarterlyPlanned(kind=command.kind, quarter=command.quarter, title=command.title.strip(),
                                     planned_on=park_date(command.now))]
        case HoldQuarterly():
            if isinstance(state, HeldQuarterly):
                raise DomainError("quarterly.already_held",
                                  f"the {command.kind} of {command.quarter} was held on {state.held_on.isoformat()}",
                                  detail_zh="本季度该活动已举办", field="kind")
            on = effective_date(command.held_on, command.now, "held_on")
            if not first <= on <= last:
                raise InvalidCommand("quarterly.outside_quarter", f"{on.isoformat()} is not in {command.quarter}",
                                     detail_zh="举办日期不在该季度内", field="held_on")
            participants = check_participants(command.participant_enterprise_ids, command.participants_in_park)
            if not participants:
                raise InvalidCommand("quarterly.no_participants", "record the enterprises that took part",
                                     detail_zh="请登记参加企业", field="participant_enterprise_ids")
            title = command.title.strip() or (state.title if isinstance(state, PlannedQuarterly) else "")
            if not title:
                raise InvalidCommand("quarterly.title_missing", "a quarterly needs a title", detail_zh="请填写活动名称",
                                     field="title")
            return [QuarterlyHeld(kind=command.kind, quarter=command.quarter, title=title, held_on=on,
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

"""走访: a visit to one enterprise, recorded once (stream `visit-<visit_id>`).

`in_park_since` (the day of the latest move-in, None when the enterprise is not in the park)
comes in the command from the read model of the organization's move-ins and move-outs: a visit to
an enterprise that has left is refused, and so is one dated before it moved in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec
from redpark_contracts.enterprise_support import VisitMade
from redpark_platform.decider import Decider, DomainError, InvalidCommand

from .park_calendar import effective_date


def stream_id(visit_id: str) -> str:
    return f"visit-{visit_id}"


class RecordVisit(msgspec.Struct, frozen=True, kw_only=True):
    visit_id: str
    enterprise_id: str
    visitors: list[str]
    findings: str
    recorded_by: str
    in_park_since: date | None
    now: datetime
    visited_on: date | None = None


VisitCommand = RecordVisit
VisitEvent = VisitMade


class NoVisit(msgspec.Struct, frozen=True, tag=True):
    pass


class Visited(msgspec.Struct, frozen=True, tag=True):
    enterprise_id: str


VisitState = NoVisit | Visited


def decide(command: VisitCommand, state: VisitState) -> list[VisitEvent]:
    match command:
        case RecordVisit():
            if isinstance(state, Visited):
                raise DomainError("visit.already_recorded", f"visit {command.visit_id} is already recorded",
                                  detail_zh="该走访已登记", field="visit_id")
            on = effective_date(command.visited_on, command.now, "visited_on")
            visitors = [v.strip() for v in command.visitors if v.strip()]
            if not visitors:
                raise InvalidCommand("visit.visitors_missing", "say who made the visit", detail_zh="请填写走访人",
                                     field="visitors")
            if not command.findings.strip():
                raise InvalidCommand("visit.findings_missing", "record what the visit found",
                                     detail_zh="请填写走访情况", field="findings")
            if command.in_park_since is None:
                raise DomainError("visit.enterprise_not_in_park",
                                  f"enterprise {command.enterprise_id} is not in the park (never moved in, or left)",
                                  detail_zh="该企业不在园区内（未入驻或已迁出），不能登记走访", field="enterprise_id")
            if on < command.in_park_since:
                raise InvalidCommand("visit.before_move_in",
                                     f"{on.isoformat()} is before the enterprise moved in "
                                     f"({command.in_park_since.isoformat()})",
                                     detail_zh="走访日期早于企业入驻日期", field="visited_on")
            return [VisitMade(visit_id=command.visit_id, enterprise_id=command.enterprise_id, visited_on=on,
                              visitors=list(dict.fromkeys(visitors)), findings=command.findings.strip(),
                              recorded_by=command.recorded_by)]
        case _:
            assert_never(command)


def evolve(state: VisitState, event: VisitEvent) -> VisitState:
    match event:
        case VisitMade():
            return Visited(enterprise_id=event.enterprise_id)
        case _:
            assert_never(event)


decider: Decider[VisitCommand, VisitState, VisitEvent] = Decider(initial=NoVisit(), decide=decide, evolve=evolve)

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
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


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
                raise ERRORS.error("visit.already_recorded", field="visit_id", visit_id=command.visit_id)
            on = effective_date(command.visited_on, command.now, "visited_on")
            visitors = [v.strip() for v in command.visitors if v.strip()]
            if not visitors:
                raise ERRORS.error("visit.visitors_missing", field="visitors")
            if not command.findings.strip():
                raise ERRORS.error("visit.findings_missing", field="findings")
            if command.in_park_since is None:
                raise ERRORS.error("visit.enterprise_not_in_park", field="enterprise_id",
                                   enterprise_id=command.enterprise_id)
            if on < command.in_park_since:
                raise ERRORS.error("visit.before_move_in", field="visited_on", on=on.isoformat(),
                                   in_park_since=command.in_park_since.isoformat())
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

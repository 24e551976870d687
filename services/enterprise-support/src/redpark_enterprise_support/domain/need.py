"""困难问题: a problem an enterprise raised, tracked to resolution (stream `need-<need_id>`).

raised → accepted (someone answers for it) → worked (notes, any number) → resolved;
closed with a reason from any open state. A need cannot be resolved before it was accepted.
The due day follows from the urgency: past it, an open need is overdue.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import assert_never

import msgspec

from redpark_contracts.enterprise_support import (
    NeedAccepted,
    NeedCategory,
    NeedClosed,
    NeedRaised,
    NeedResolved,
    NeedWorked,
    Urgency,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS, SECOND_WORDING

# Days the park gives itself to resolve a need, by urgency (the plan: 需、急、难、困 answered fast).
DAYS_TO_RESOLVE: dict[Urgency, int] = {"urgent": 3, "high": 10, "normal": 30}


def stream_id(need_id: str) -> str:
    return f"need-{need_id}"


class RaiseNeed(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    enterprise_id: str
    category: NeedCategory
    urgency: Urgency
    description: str
    raised_by_id: str
    raised_by_name: str
    raised_by_phone: str
    enterprise_in_park: bool
    now: datetime
    effective_on: date | None = None


class AcceptNeed(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    assignee: str
    now: datetime
    effective_on: date | None = None


class WorkNeed(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    note: str
    now: datetime
    effective_on: date | None = None


class ResolveNeed(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    resolution: str
    now: datetime
    effective_on: date | None = None


class CloseNeed(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    reason: str
    now: datetime
    effective_on: date | None = None


NeedCommand = RaiseNeed | AcceptNeed | WorkNeed | ResolveNeed | CloseNeed
NeedEvent = NeedRaised | NeedAccepted | NeedWorked | NeedResolved | NeedClosed


class NoNeed(msgspec.Struct, frozen=True, tag=True):
    pass


class OpenNeed(msgspec.Struct, frozen=True, tag=True):
    enterprise_id: str
    raised_on: date
    assignee: str | None  # None until accepted
    last_on: date  # the latest day recorded: later steps may not be dated before it


class FinishedNeed(msgspec.Struct, frozen=True, tag=True):
    outcome: str  # "resolved" or "closed"


NeedState = NoNeed | OpenNeed | FinishedNeed


def _open(state: NeedState, need_id: str) -> OpenNeed:
    if isinstance(state, NoNeed):
        raise ERRORS.error("need.unknown", field="need_id", need_id=need_id)
    if isinstance(state, FinishedNeed):
        raise ERRORS.error("need.already_finished", field="need_id", need_id=need_id, outcome=state.outcome)
    return state


def _dated(state: OpenNeed, given: date | None, now: datetime) -> date:
    on = effective_date(given, now)
    if on < state.last_on:
        raise ERRORS.error("need.date_before_previous_step", field="effective_on", on=on.isoformat(),
                           last_on=state.last_on.isoformat())
    return on


def _text(value: str, code: str, field: str) -> str:
    if not value.strip():
        raise ERRORS.error(code, field=field)
    return value.strip()


def decide(command: NeedCommand, state: NeedState) -> list[NeedEvent]:
    match command:
        case RaiseNeed():
            if not isinstance(state, NoNeed):
                raise ERRORS.error("need.already_raised", field="need_id", need_id=command.need_id)
            on = effective_date(command.effective_on, command.now)
            description = _text(command.description, "need.description_missing", "description")
            if not command.enterprise_in_park:
                raise ERRORS.error("need.enterprise_not_in_park", field="enterprise_id",
                                   enterprise_id=command.enterprise_id)
            return [NeedRaised(
                need_id=command.need_id, enterprise_id=command.enterprise_id, category=command.category,
                urgency=command.urgency, description=description, raised_by_id=command.raised_by_id,
                raised_by_name=command.raised_by_name.strip(), raised_by_phone=command.raised_by_phone.strip(),
                raised_on=on, due_on=on + timedelta(days=DAYS_TO_RESOLVE[command.urgency]))]
        case AcceptNeed():
            need = _open(state, command.need_id)
            if need.assignee is not None:
                raise ERRORS.error("need.already_accepted", field="need_id", need_id=command.need_id,
                                   assignee=need.assignee)
            assignee = _text(command.assignee, "need.assignee_missing", "assignee")
            return [NeedAccepted(need_id=command.need_id, assignee=assignee,
                                 accepted_on=_dated(need, command.effective_on, command.now))]
        case WorkNeed():
            need = _open(state, command.need_id)
            if need.assignee is None:
                raise ERRORS.error("need.not_accepted", field="need_id", need_id=command.need_id)
            note = _text(command.note, "need.note_missing", "note")
            return [NeedWorked(need_id=command.need_id, note=note,
                               worked_on=_dated(need, command.effective_on, command.now))]
        case ResolveNeed():
            need = _open(state, command.need_id)
            if need.assignee is None:
                raise SECOND_WORDING.error("need.not_accepted", field="need_id", need_id=command.need_id)
            resolution = _text(command.resolution, "need.resolution_missing", "resolution")
            on = _dated(need, command.effective_on, command.now)
            return [NeedResolved(need_id=command.need_id, enterprise_id=need.enterprise_id, resolution=resolution,
                                 resolved_on=on, days_open=(on - need.raised_on).days)]
        case CloseNeed():
            need = _open(state, command.need_id)
            reason = _text(command.reason, "need.reason_missing", "reason")
            return [NeedClosed(need_id=command.need_id, reason=reason,
                               closed_on=_dated(need, command.effective_on, command.now))]
        case _:
            assert_never(command)


def evolve(state: NeedState, event: NeedEvent) -> NeedState:
    match event:
        case NeedRaised():
            return OpenNeed(enterprise_id=event.enterprise_id, raised_on=event.raised_on, assignee=None,
                            last_on=event.raised_on)
        case NeedAccepted():
            assert isinstance(state, OpenNeed)
            return msgspec.structs.replace(state, assignee=event.assignee, last_on=event.accepted_on)
        case NeedWorked():
            assert isinstance(state, OpenNeed)
            return msgspec.structs.replace(state, last_on=event.worked_on)
        case NeedResolved():
            return FinishedNeed(outcome="resolved")
        case NeedClosed():
            return FinishedNeed(outcome="closed")
        case _:
            assert_never(event)


decider: Decider[NeedCommand, NeedState, NeedEvent] = Decider(initial=NoNeed(), decide=decide, evolve=evolve)

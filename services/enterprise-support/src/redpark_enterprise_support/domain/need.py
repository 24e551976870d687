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
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date

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
        raise NotFound("need.unknown", f"need {need_id} was never raised", detail_zh="该问题不存在", field="need_id")
    if isinstance(state, FinishedNeed):
        raise DomainError("need.already_finished", f"need {need_id} is already {state.outcome}",
                          detail_zh="该问题已办结或已关闭", field="need_id")
    return state


def _dated(state: OpenNeed, given: date | None, now: datetime) -> date:
    on = effective_date(given, now)
    if on < state.last_on:
        raise InvalidCommand("need.date_before_previous_step",
                             f"{on.isoformat()} is before the need's previous step ({state.last_on.isoformat()})",
                             detail_zh="日期不能早于上一步办理日期", field="effective_on")
    return on


def _text(value: str, code: str, what: str, what_zh: str, field: str) -> str:
    if not value.strip():
        raise InvalidCommand(code, f"{what} is required", detail_zh=f"请填写{what_zh}", field=field)
    return value.strip()


def decide(command: NeedCommand, state: NeedState) -> list[NeedEvent]:
    match command:
        case RaiseNeed():
            if not isinstance(state, NoNeed):
                raise DomainError("need.already_raised", f"need {command.need_id} already exists",
                                  detail_zh="该问题已登记", field="need_id")
            on = effective_date(command.effective_on, command.now)
            description = _text(command.description, "need.description_missing", "a description", "问题描述",
                                "description")
            if not command.enterprise_in_park:
                raise DomainError("need.enterprise_not_in_park", f"enterprise {command.enterprise_id} is not in the park",
                                  detail_zh="该企业不在园区内", field="enterprise_id")
            return [NeedRaised(
                need_id=command.need_id, enterprise_id=command.enterprise_id, category=command.category,
                urgency=command.urgency, description=description, raised_by_id=command.raised_by_id,
                raised_by_name=command.raised_by_name.strip(), raised_by_phone=command.raised_by_phone.strip(),
                raised_on=on, due_on=on + timedelta(days=DAYS_TO_RESOLVE[command.urgency]))]
        case AcceptNeed():
            need = _open(state, command.need_id)
            if need.assignee is not None:
                raise DomainError("need.already_accepted", f"need {command.need_id} is already with {need.assignee}",
                                  detail_zh="该问题已受理", field="need_id")
            assignee = _text(command.assignee, "need.assignee_missing", "an assignee", "承办人", "assignee")
            return [NeedAccepted(need_id=command.need_id, assignee=assignee,
                                 accepted_on=_dated(need, command.effective_on, command.now))]
        case WorkNeed():
            need = _open(state, command.need_id)
            if need.assignee is None:
                raise DomainError("need.not_accepted", f"need {command.need_id} has not been accepted yet",
                                  detail_zh="该问题尚未受理", field="need_id")
            note = _text(command.note, "need.note_missing", "a note", "办理情况", "note")
            return [NeedWorked(need_id=command.need_id, note=note,
                               worked_on=_dated(need, command.effective_on, command.now))]
        case ResolveNeed():
            need = _open(state, command.need_id)
            if need.assignee is None:
                raise DomainError("need.not_accepted",
                                  f"need {command.need_id} cannot be resolved before it was accepted",
                                  detail_zh="问题未受理，不能办结", field="need_id")
            resolution = _text(command.resolution, "need.resolution_missing", "the resolution", "解决情况",
                               "resolution")
            on = _dated(need, command.effective_on, command.now)
            return [NeedResolved(need_id=command.need_id, enterprise_id=need.enterprise_id, resolution=resolution,
                                 resolved_on=on, days_open=(on - need.raised_on).days)]
        case CloseNeed():
            need = _open(state, command.need_id)
            reason = _text(command.reason, "need.reason_missing", "the reason", "关闭原因", "reason")
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

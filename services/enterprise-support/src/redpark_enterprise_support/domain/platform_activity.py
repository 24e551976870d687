"""Platform activities (stream `platform-activity-<activity_id>`): talent fairs (人才博览会) and the
resource-sharing meetings — matchmaking (专题对接会), summits (高峰论坛), roadshows (项目路演),
founder salons (创业者主题沙龙), angel meetings (天使面对面) — planned, then held with participants
and outcomes, or cancelled. A meeting is held on or after the day it was planned for.

`participants_in_park`: which of the named participant enterprises the read model knows in the
park; a participant that is not is refused.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.enterprise_support import (
    ActivityKind,
    PlatformActivityCancelled,
    PlatformActivityHeld,
    PlatformActivityPlanned,
)
from redpark_platform.calendar import effective_date, park_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(activity_id: str) -> str:
    return f"platform-activity-{activity_id}"


class PlanActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    kind: ActivityKind
    title: str
    planned_on: date
    partners: list[str]
    now: datetime


class HoldActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    participant_enterprise_ids: list[str]
    participants_in_park: list[str]
    outside_participants: int
    outcomes: str
    now: datetime
    held_on: date | None = None


class CancelActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    reason: str
    now: datetime


ActivityCommand = PlanActivity | HoldActivity | CancelActivity
ActivityEvent = PlatformActivityPlanned | PlatformActivityHeld | PlatformActivityCancelled


class NoActivity(msgspec.Struct, frozen=True, tag=True):
    pass


class PlannedActivity(msgspec.Struct, frozen=True, tag=True):
    kind: ActivityKind
    planned_on: date


class HeldActivity(msgspec.Struct, frozen=True, tag=True):
    pass


class CancelledActivity(msgspec.Struct, frozen=True, tag=True):
    pass


ActivityState = NoActivity | PlannedActivity | HeldActivity | CancelledActivity


def check_participants(ids: list[str], in_park: list[str]) -> list[str]:
    """The participants, each once; refused when one is not in the park."""
    wanted = list(dict.fromkeys(ids))
    missing = [e for e in wanted if e not in set(in_park)]
    if missing:
        raise ERRORS.error("participants.not_in_park", field="participant_enterprise_ids", value=', '.join(missing))
    return wanted


def _planned(state: ActivityState, activity_id: str) -> PlannedActivity:
    if isinstance(state, NoActivity):
        raise ERRORS.error("activity.unknown", field="activity_id", activity_id=activity_id)
    if not isinstance(state, PlannedActivity):
        raise ERRORS.error("activity.finished", field="activity_id", activity_id=activity_id)
    return state


def decide(command: ActivityCommand, state: ActivityState) -> list[ActivityEvent]:
    match command:
        case PlanActivity():
            if not isinstance(state, NoActivity):
                raise ERRORS.error("activity.exists", field="activity_id", activity_id=command.activity_id)
            if not command.title.strip():
                raise ERRORS.error("activity.title_missing", field="title")
            return [PlatformActivityPlanned(activity_id=command.activity_id, kind=command.kind,
                                            title=command.title.strip(), planned_on=command.planned_on,
                                            partners=[p.strip() for p in command.partners if p.strip()])]
        case HoldActivity():
            planned = _planned(state, command.activity_id)
            on = effective_date(command.held_on, command.now, "held_on")
            if on < planned.planned_on:
                raise ERRORS.error("activity.held_before_planned_day", field="held_on", on=on.isoformat(),
                                   planned_on=planned.planned_on.isoformat())
            participants = check_participants(command.participant_enterprise_ids, command.participants_in_park)
            if not participants and command.outside_participants <= 0:
                raise ERRORS.error("activity.no_participants", field="participant_enterprise_ids")
            return [PlatformActivityHeld(activity_id=command.activity_id, kind=planned.kind, held_on=on,
                                         participant_enterprise_ids=participants,
                                         outside_participants=max(command.outside_participants, 0),
                                         outcomes=command.outcomes.strip())]
        case CancelActivity():
            _planned(state, command.activity_id)
            return [PlatformActivityCancelled(activity_id=command.activity_id, reason=command.reason.strip(),
                                              cancelled_on=park_date(command.now))]
        case _:
            assert_never(command)


def evolve(state: ActivityState, event: ActivityEvent) -> ActivityState:
    match event:
        case PlatformActivityPlanned():
            return PlannedActivity(kind=event.kind, planned_on=event.planned_on)
        case PlatformActivityHeld():
            return HeldActivity()
        case PlatformActivityCancelled():
            return CancelledActivity()
        case _:
            assert_never(event)


decider: Decider[ActivityCommand, ActivityState, ActivityEvent] = Decider(initial=NoActivity(), decide=decide,
                                                                          evolve=evolve)

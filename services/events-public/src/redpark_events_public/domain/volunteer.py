"""Volunteer and tech-poverty-relief activities of members (科技扶贫 / 志愿者服务).

The plan (三(四)4 "党总支和各支部年内还要组织不少于×次的科技扶贫和志愿者服务活动") leaves the number open. It has one
target, the organization's quarterly assessment's (`volunteer_activities` per quarter, default 1, as the
general branch's item 志愿服务活动 asks): the yearly report judges each unit against it (the year's minimum is
four quarters of it) and takes the park's own figure when the assessment's rules of the year set one
(`target_per_quarter`, fed by `assessment.rules_set`). An activity counts for its organizer's year and
quarter (park time, by its start) once hours were recorded for it: hours are only recorded after the
activity, so a recorded hour is the proof it took place.

The organizer must be a branch or the general branch the organization has established (and not
dissolved), and a volunteer a member registered in the park: both facts come with the command, from the
organization's events (`projections/org_directory.py`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.events_public import (
    VolunteerActivityScheduled,
    VolunteerEvent,
    VolunteerHoursRecorded,
    VolunteerKind,
    VolunteerSignedUp,
    VolunteerSignUpWithdrawn,
)
from redpark_contracts.organization_assessment import ScoringItem
from redpark_platform.calendar import park_date, park_year
from redpark_platform.decider import Decider

from .errors import ERRORS


class ScheduleVolunteerActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    kind: VolunteerKind
    title: str
    organizer_branch_id: str
    place: str
    starts_at: datetime
    ends_at: datetime
    volunteer_slots: int | None = None
    organizer_known: bool  # an established, not dissolved branch or the general branch (organization's events)
    now: datetime


class SignUpVolunteer(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    member_id: str
    member_known: bool  # registered in the park and not transferred out (organization's events)
    now: datetime


class WithdrawVolunteer(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    member_id: str
    now: datetime


class RecordVolunteerHours(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    member_id: str
    hours: float
    recorded_by: str
    now: datetime


VolunteerCommand = ScheduleVolunteerActivity | SignUpVolunteer | WithdrawVolunteer | RecordVolunteerHours


class NoVolunteerActivity(msgspec.Struct, frozen=True, tag="none"):
    pass


class VolunteerActivity(msgspec.Struct, frozen=True, kw_only=True, tag="volunteer_activity"):
    plan: VolunteerActivityScheduled
    volunteers: frozenset[str] = frozenset()  # members signed up and not withdrawn
    hours: dict[str, float] = {}  # member id -> hours recorded


VolunteerState = NoVolunteerActivity | VolunteerActivity


def volunteer_stream(activity_id: str) -> str:
    return f"volunteer-{activity_id}"


def decide_volunteer(command: VolunteerCommand, state: VolunteerState) -> list[VolunteerEvent]:
    match command:
        case ScheduleVolunteerActivity():
            return [_schedule(command, state)]
        case SignUpVolunteer():
            a = _existing(state)
            if command.now >= a.plan.starts_at:
                raise ERRORS.error("volunteer.already_started", field="activity_id")
            if command.member_id in a.volunteers:
                raise ERRORS.error("volunteer.already_signed_up", field="member_id")
            if not command.member_known:
                raise ERRORS.error("volunteer.member_unknown", field="member_id")
            slots = a.plan.volunteer_slots
            if slots is not None and len(a.volunteers) >= slots:
                raise ERRORS.error("volunteer.full", field="activity_id")
            return [
                VolunteerSignedUp(
                    activity_id=a.plan.activity_id, member_id=command.member_id, signed_up_at=command.now
                )
            ]
        case WithdrawVolunteer():
            a = _existing(state)
            if command.member_id not in a.volunteers:
                raise ERRORS.error("volunteer.not_signed_up/withdraw", field="member_id")
            if command.now >= a.plan.starts_at:
                raise ERRORS.error("volunteer.already_started/withdraw", field="activity_id")
            return [
                VolunteerSignUpWithdrawn(
                    activity_id=a.plan.activity_id, member_id=command.member_id, withdrawn_at=command.now
                )
            ]
        case RecordVolunteerHours():
            return [_record_hours(command, _existing(state))]
        case _:
            assert_never(command)


def _existing(state: VolunteerState) -> VolunteerActivity:
    if not isinstance(state, VolunteerActivity):
        raise ERRORS.error("volunteer.activity_not_found", field="activity_id")
    return state


def _schedule(c: ScheduleVolunteerActivity, state: VolunteerState) -> VolunteerActivityScheduled:
    if isinstance(state, VolunteerActivity):
        raise ERRORS.error("volunteer.already_scheduled", field="activity_id")
    if not c.title.strip():
        raise ERRORS.error("volunteer.title_required", field="title")
    if not c.organizer_branch_id:
        raise ERRORS.error("volunteer.organizer_required", field="organizer_branch_id")
    if not c.organizer_known:
        raise ERRORS.error("volunteer.organizer_unknown", field="organizer_branch_id")
    if c.ends_at <= c.starts_at:
        raise ERRORS.error("volunteer.ends_before_start", field="ends_at")
    if c.volunteer_slots is not None and c.volunteer_slots < 1:
        raise ERRORS.error("volunteer.slots_invalid", field="volunteer_slots")
    return VolunteerActivityScheduled(
        activity_id=c.activity_id,
        kind=c.kind,
        title=c.title.strip(),
        organizer_branch_id=c.organizer_branch_id,
        place=c.place,
        starts_at=c.starts_at,
        ends_at=c.ends_at,
        volunteer_slots=c.volunteer_slots,
        scheduled_at=c.now,
    )


def _record_hours(c: RecordVolunteerHours, a: VolunteerActivity) -> VolunteerHoursRecorded:
    if c.now < a.plan.ends_at:
        raise ERRORS.error("volunteer.not_over", field="activity_id")
    if c.member_id not in a.volunteers:
        raise ERRORS.error("volunteer.not_signed_up", field="member_id")
    if c.member_id in a.hours:
        raise ERRORS.error("volunteer.hours_already_recorded", field="member_id")
    longest = (a.plan.ends_at - a.plan.starts_at).total_seconds() / 3600
    if not 0 < c.hours <= longest:
        raise ERRORS.error("volunteer.hours_invalid", field="hours", longest=longest)
    return VolunteerHoursRecorded(
        activity_id=a.plan.activity_id,
        member_id=c.member_id,
        hours=c.hours,
        recorded_by=c.recorded_by,
        recorded_at=c.now,
    )


def evolve_volunteer(state: VolunteerState, event: VolunteerEvent) -> VolunteerState:
    match event:
        case VolunteerActivityScheduled():
            return VolunteerActivity(plan=event)
        case VolunteerSignedUp():
            a = _existing(state)
            return msgspec.structs.replace(a, volunteers=a.volunteers | {event.member_id})
        case VolunteerSignUpWithdrawn():
            a = _existing(state)
            return msgspec.structs.replace(a, volunteers=a.volunteers - {event.member_id})
        case VolunteerHoursRecorded():
            a = _existing(state)
            return msgspec.structs.replace(a, hours={**a.hours, event.member_id: event.hours})
        case _:
            assert_never(event)


volunteer_decider: Decider[VolunteerCommand, VolunteerState, VolunteerEvent] = Decider(
    initial=NoVolunteerActivity(), decide=decide_volunteer, evolve=evolve_volunteer
)


# --- the year's count against the assessment's target ------------------------------------------

# The organization's assessment default (its general branch item 志愿服务活动: one a quarter), used for a
# year whose assessment rules the park has not set.
DEFAULT_TARGET_PER_QUARTER = 1.0


def target_per_quarter(items: Sequence[ScoringItem]) -> float | None:
    """The volunteer target a year's assessment rules set: the `volunteer_activities` item's target (the
    general branch's when there are several), None when the rules score no such item."""
    found = [i for i in items if i.metric == "volunteer_activities"]
    found.sort(key=lambda i: i.applies_to != "general_branch")
    return found[0].target if found else None


class OrganizerYear(msgspec.Struct, frozen=True, kw_only=True):
    organizer_branch_id: str
    year: int
    held: int  # activities that took place (hours recorded)
    held_by_quarter: list[int]  # Q1..Q4
    per_quarter: float  # the assessment's target
    minimum: int  # four quarters of it
    met: bool
    volunteer_hours: float


def volunteer_year(
    events: Iterable[VolunteerEvent],
    *,
    year: int,
    per_quarter: float = DEFAULT_TARGET_PER_QUARTER,
    organizers: Iterable[str] = (),
    tz: str | None = None,
) -> list[OrganizerYear]:
    """Per organizer, activities held in `year` (by quarter) against the assessment's target. `organizers`
    lists those that must appear even with nothing held (the general branch and every branch), since a
    branch that did nothing is exactly the one the report is for."""
    plans: dict[str, VolunteerActivityScheduled] = {}
    hours: dict[str, float] = {}
    for e in events:
        if isinstance(e, VolunteerActivityScheduled):
            plans[e.activity_id] = e
        elif isinstance(e, VolunteerHoursRecorded):
            hours[e.activity_id] = hours.get(e.activity_id, 0.0) + e.hours
    by_quarter: dict[str, list[int]] = {org: [0, 0, 0, 0] for org in organizers}
    total: dict[str, float] = dict.fromkeys(organizers, 0.0)
    for activity_id, plan in plans.items():
        if activity_id in hours and park_year(plan.starts_at, tz) == year:
            org = plan.organizer_branch_id
            by_quarter.setdefault(org, [0, 0, 0, 0])[(park_date(plan.starts_at, tz).month - 1) // 3] += 1
            total[org] = total.get(org, 0.0) + hours[activity_id]
    minimum = math.ceil(per_quarter * 4)
    return [
        OrganizerYear(
            organizer_branch_id=org,
            year=year,
            held=sum(quarters),
            held_by_quarter=quarters,
            per_quarter=per_quarter,
            minimum=minimum,
            met=sum(quarters) >= minimum,
            volunteer_hours=total[org],
        )
        for org, quarters in sorted(by_quarter.items())
    ]

"""Weekly branch study (周学习): after the enterprise weekly meeting, once per ISO week.

One stream per branch (`weekly-<branch_id>`). Facts from elsewhere in the command:
`branch_members` (the branch's members on the education roster on that day; None when the branch
is not tracked) and `minimum_minutes` (the year's plan). A study shorter than the minimum is
recorded, marked as not meeting it, and does not count for the guarantee.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import WeeklyStudyHeld
from redpark_platform.calendar import not_in_future, park_date, week_of
from redpark_platform.decider import Decider

from .errors import BRANCH_STUDY_ERRORS, ERRORS


def stream_id(branch_id: str) -> str:
    return f"weekly-{branch_id}"


class RecordWeeklyStudy(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    held_on: date
    minutes: int
    topic: str
    attendee_member_ids: list[str]
    branch_members: frozenset[str] | None
    minimum_minutes: int
    now: datetime


class WeeklyStudies(msgspec.Struct, frozen=True, kw_only=True):
    weeks: frozenset[str] = frozenset()


def decide(command: RecordWeeklyStudy, state: WeeklyStudies) -> list[WeeklyStudyHeld]:
    match command:
        case RecordWeeklyStudy():
            if command.branch_members is None:
                raise ERRORS.error("branch.not_tracked", field="branch_id", branch_id=command.branch_id)
            held_on = not_in_future(command.held_on, park_date(command.now), "held_on")
            week = week_of(held_on)
            if week in state.weeks:
                raise ERRORS.error("weekly_study.week_already_recorded", field="held_on",
                                   branch_id=command.branch_id, week=week)
            if not 1 <= command.minutes <= 480:
                raise ERRORS.error("weekly_study.minutes_out_of_range", field="minutes")
            attendees = list(dict.fromkeys(command.attendee_member_ids))
            if not attendees:
                raise ERRORS.error("weekly_study.no_attendees", field="attendee_member_ids")
            outside = sorted(m for m in attendees if m not in command.branch_members)
            if outside:
                raise BRANCH_STUDY_ERRORS.error("attendance.not_in_roster", field="attendee_member_ids",
                                   branch_id=command.branch_id, members=", ".join(outside))
            return [WeeklyStudyHeld(branch_id=command.branch_id, week=week, held_on=held_on, minutes=command.minutes,
                                    topic=command.topic.strip(), attendee_member_ids=attendees,
                                    meets_minimum=command.minutes >= command.minimum_minutes)]
        case _:
            assert_never(command)


def evolve(state: WeeklyStudies, event: WeeklyStudyHeld) -> WeeklyStudies:
    return WeeklyStudies(weeks=state.weeks | {event.week})


decider: Decider[RecordWeeklyStudy, WeeklyStudies, WeeklyStudyHeld] = Decider(
    initial=WeeklyStudies(), decide=decide, evolve=evolve)

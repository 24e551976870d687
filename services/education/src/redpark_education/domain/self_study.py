"""Self-study records (自学记录): every member files one a month on the month's topic.

One stream per member (`self-study-<member_id>`), so "one record per month" is decided on it.
Facts from elsewhere come in the command: `branch_id` (the member's branch on the education
roster today, None when not on it) and `topic_published` (the month has its topic). A record
filed after the month ended (park calendar) is accepted and marked late.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import SelfStudyFiled
from redpark_platform.calendar import month_bounds, month_of, not_in_future, park_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(member_id: str) -> str:
    return f"self-study-{member_id}"


class FileSelfStudy(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    month: str
    studied_on: date
    content: str
    reflection: str
    branch_id: str | None
    topic_published: bool
    now: datetime


class SelfStudies(msgspec.Struct, frozen=True, kw_only=True):
    months: frozenset[str] = frozenset()


def decide(command: FileSelfStudy, state: SelfStudies) -> list[SelfStudyFiled]:
    match command:
        case FileSelfStudy():
            first, last = month_bounds(command.month)
            today = park_date(command.now)
            if command.branch_id is None:
                raise ERRORS.error("member.not_in_roster", field="member_id", member_id=command.member_id)
            if command.month > month_of(today):
                raise ERRORS.error("self_study.month_in_future", field="month", month=command.month)
            if not command.topic_published:
                raise ERRORS.error("self_study.no_topic", field="month", month=command.month)
            if command.month in state.months:
                raise ERRORS.error("self_study.already_filed", field="month", member_id=command.member_id,
                                   month=command.month)
            studied = not_in_future(command.studied_on, today, "studied_on")
            if not first <= studied <= last:
                raise ERRORS.error("self_study.date_outside_month", field="studied_on",
                                   studied_on=studied.isoformat(), month=command.month)
            if not command.content.strip() or not command.reflection.strip():
                raise ERRORS.error("self_study.incomplete",
                                   field="content" if not command.content.strip() else "reflection")
            return [SelfStudyFiled(member_id=command.member_id, branch_id=command.branch_id, month=command.month,
                                   studied_on=studied, content=command.content.strip(),
                                   reflection=command.reflection.strip(), filed_on=today, late=today > last)]
        case _:
            assert_never(command)


def evolve(state: SelfStudies, event: SelfStudyFiled) -> SelfStudies:
    return SelfStudies(months=state.months | {event.month})


decider: Decider[FileSelfStudy, SelfStudies, SelfStudyFiled] = Decider(
    initial=SelfStudies(), decide=decide, evolve=evolve)

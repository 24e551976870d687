"""The three guarantees (三个保证): each member attends the quarter's park lesson and files the
month's self-study; each branch holds its weekly study. Computed from read-model facts as a pure
function, so the rules are tested without I/O; closing a quarter and issuing reminders are deciders.

Who is expected, and when:
- lesson: a member is expected at the quarter's lessons held while on the roster; one attended
  (present or made up) satisfies the quarter. A member who joined after a lesson is not absent.
- self-study: a member is expected for a month when on the roster on its last day (today, for the
  running month) and the month has a topic; the running month is `due`, not missing.
- weekly study: a branch is expected for every week (Monday in the period) it was active; the
  running week is `due`; a study shorter than the plan's minutes does not count.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Literal, assert_never

import msgspec

from redpark_contracts.education import Guarantee, QuarterComplianceClosed, ReminderIssued
from redpark_platform.calendar import (
    month_bounds,
    months_of_quarter,
    park_date,
    parse_month,
    quarter_bounds,
    quarter_of,
    weeks_between,
)
from redpark_platform.decider import Decider

from .errors import ERRORS

LessonStatus = Literal["attended", "missing", "none_held", "not_expected"]
StudyStatus = Literal["filed", "missing", "due", "not_expected"]


class Membership(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    name: str
    branch_id: str
    joined_on: date
    left_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class TrackedBranch(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    name: str
    established_on: date
    dissolved_on: date | None = None

    def active_on(self, day: date) -> bool:
        return self.established_on <= day and (self.dissolved_on is None or day < self.dissolved_on)


class HeldLesson(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    held_on: date


class Facts(msgspec.Struct, frozen=True, kw_only=True):
    memberships: list[Membership]
    branches: list[TrackedBranch]
    lessons: list[HeldLesson]
    attended: frozenset[tuple[str, str]]  # (lesson_id, member_id), present or made up
    self_studies: Mapping[tuple[str, str], bool]  # (member_id, month) -> late
    topics: frozenset[str]  # months with a topic
    weekly: Mapping[tuple[str, str], bool]  # (branch_id, week) -> meets the minimum


class MemberLine(msgspec.Struct, frozen=True, kw_only=True):
    """One member's guarantees for the period (the lesson over the period's quarter)."""

    member_id: str
    name: str
    branch_id: str
    lesson: LessonStatus
    self_study: StudyStatus
    missing_months: list[str]
    late_months: list[str]
    weekly_study: StudyStatus
    missing: list[Guarantee]


class BranchLine(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    name: str
    members: int
    members_missing_lesson: int
    members_missing_self_study: int
    weeks_expected: int
    weeks_held: int
    missing_weeks: list[str]
    members_fully_compliant: int


class Compliance(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    quarter: str
    as_of: date
    members: list[MemberLine]
    branches: list[BranchLine]


def period_bounds(period: str) -> tuple[date, date, str]:
    """First and last day of a month (YYYY-MM) or quarter (YYYY-Qn), and its quarter."""
    if "Q" in period:
        first, last = quarter_bounds(period)
        return first, last, period
    first, last = month_bounds(period)
    return first, last, quarter_of(first)


def _months(period: str) -> list[str]:
    if "Q" in period:
        return months_of_quarter(period)
    parse_month(period, "period")
    return [period]


def _weekly(branch: TrackedBranch, first: date, last: date, today: date,
            weekly: Mapping[tuple[str, str], bool]) -> tuple[int, int, list[str], bool]:
    """(weeks expected, weeks held, weeks missing, running week still due)."""
    expected = held = 0
    missing: list[str] = []
    due = False
    for week, monday in weeks_between(first, min(last, today)):
        if not branch.active_on(monday):
            continue
        done = weekly.get((branch.branch_id, week), False)
        if monday + timedelta(days=6) >= today and not done:
            due = True  # the running week may still be held
            continue
        expected += 1
        if done:
            held += 1
        else:
            missing.append(week)
    return expected, held, missing, due


def compliance(period: str, today: date, facts: Facts) -> Compliance:
    first, last, quarter = period_bounds(period)
    q_first, q_last = quarter_bounds(quarter)
    end = min(last, today)
    lessons = [lsn for lsn in facts.lessons if q_first <= lsn.held_on <= min(q_last, today)]
    # Each member once, in the branch of their latest membership overlapping the period.
    latest: dict[str, Membership] = {}
    for m in sorted(facts.memberships, key=lambda m: m.joined_on):
        if m.joined_on <= end and (m.left_on is None or m.left_on > first):
            latest[m.member_id] = m
    by_member: dict[str, list[Membership]] = {}
    for m in facts.memberships:
        by_member.setdefault(m.member_id, []).append(m)

    def on_roster(member_id: str, day: date) -> bool:
        return any(m.covers(day) for m in by_member.get(member_id, ()))

    branches = {b.branch_id: b for b in facts.branches}
    weekly_of = {b.branch_id: _weekly(b, first, last, today, facts.weekly) for b in facts.branches}
    lines: list[MemberLine] = []
    for member_id, ms in sorted(latest.items()):
        expected_at = [lsn for lsn in lessons if on_roster(member_id, lsn.held_on)]
        lesson: LessonStatus
        if not lessons:
            lesson = "none_held"
        elif any((lsn.lesson_id, member_id) in facts.attended for lsn in lessons):
            lesson = "attended"
        elif expected_at:
            lesson = "missing"
        else:
            lesson = "not_expected"
        missing_months: list[str] = []
        late_months: list[str] = []
        due = expected_any = False
        for month in _months(period):
            m_first, m_last = month_bounds(month)
            if m_first > today or month not in facts.topics or not on_roster(member_id, min(m_last, today)):
                continue
            expected_any = True
            filed = facts.self_studies.get((member_id, month))
            if filed is None:
                if m_last >= today:
                    due = True
                else:
                    missing_months.append(month)
            elif filed:
                late_months.append(month)
        study: StudyStatus = ("missing" if missing_months else "due" if due else "filed" if expected_any
                              else "not_expected")
        w = weekly_of.get(ms.branch_id)
        weekly: StudyStatus = "not_expected"
        if w is not None:
            weekly = "missing" if w[2] else "due" if w[3] else "filed" if w[0] else "not_expected"
        missing: list[Guarantee] = []
        if lesson == "missing":
            missing.append("lesson")
        if study == "missing":
            missing.append("self_study")
        if weekly == "missing":
            missing.append("weekly_study")
        lines.append(MemberLine(member_id=member_id, name=ms.name, branch_id=ms.branch_id, lesson=lesson,
                                self_study=study, missing_months=missing_months, late_months=late_months,
                                weekly_study=weekly, missing=missing))
    branch_lines: list[BranchLine] = []
    for branch_id in sorted(branches):
        b = branches[branch_id]
        mine = [ln for ln in lines if ln.branch_id == branch_id]
        if not mine and not (b.active_on(end) or b.active_on(first)):
            continue
        expected, held, missing_weeks, _due = weekly_of[branch_id]
        branch_lines.append(BranchLine(
            branch_id=branch_id, name=b.name, members=len(mine),
            members_missing_lesson=sum(ln.lesson == "missing" for ln in mine),
            members_missing_self_study=sum(ln.self_study == "missing" for ln in mine),
            weeks_expected=expected, weeks_held=held, missing_weeks=missing_weeks,
            members_fully_compliant=sum(not ln.missing for ln in mine)))
    return Compliance(period=period, quarter=quarter, as_of=end, members=lines, branches=branch_lines)


# --- closing a quarter ------------------------------------------------------------------------


def quarter_stream_id(quarter: str) -> str:
    return f"compliance-{quarter}"


class CloseQuarter(msgspec.Struct, frozen=True, kw_only=True):
    quarter: str
    result: Compliance  # computed as of the quarter's last day
    now: datetime


class ClosedQuarter(msgspec.Struct, frozen=True, kw_only=True):
    closed: bool = False


def decide_close(command: CloseQuarter, state: ClosedQuarter) -> list[QuarterComplianceClosed]:
    match command:
        case CloseQuarter():
            _, last = quarter_bounds(command.quarter)
            today = park_date(command.now)
            if today <= last:
                raise ERRORS.error("compliance.quarter_not_ended", field="quarter", quarter=command.quarter,
                                   last=last.isoformat())
            if state.closed:
                raise ERRORS.error("compliance.quarter_already_closed", field="quarter", quarter=command.quarter)
            events = []
            for b in command.result.branches:
                mine = [ln for ln in command.result.members if ln.branch_id == b.branch_id]
                events.append(QuarterComplianceClosed(
                    quarter=command.quarter, branch_id=b.branch_id, members_expected=b.members,
                    members_attended_lesson=sum(ln.lesson == "attended" for ln in mine),
                    members_filed_every_month=sum(ln.self_study == "filed" for ln in mine),
                    weeks_in_quarter=b.weeks_expected, weeks_with_study=b.weeks_held,
                    members_fully_compliant=b.members_fully_compliant, closed_on=today))
            if not events:
                raise ERRORS.error("compliance.nothing_to_close", field="quarter", quarter=command.quarter)
            return events
        case _:
            assert_never(command)


close_decider: Decider[CloseQuarter, ClosedQuarter, QuarterComplianceClosed] = Decider(
    initial=ClosedQuarter(), decide=decide_close, evolve=lambda s, e: ClosedQuarter(closed=True))


# --- reminders ----------------------------------------------------------------------------------


def reminders_stream_id(period: str) -> str:
    return f"reminders-{period}"


class Missing(msgspec.Struct, frozen=True, kw_only=True):
    guarantee: Guarantee
    branch_id: str
    member_id: str | None


def missing_of(result: Compliance) -> list[Missing]:
    """What to remind: each member's missing lesson or self-study, each branch's missing weekly study."""
    out = [Missing(guarantee=g, branch_id=ln.branch_id, member_id=ln.member_id)
           for ln in result.members for g in ln.missing if g != "weekly_study"]
    out += [Missing(guarantee="weekly_study", branch_id=b.branch_id, member_id=None)
            for b in result.branches if b.missing_weeks]
    return out


# The month's last two weeks: a member still without the month's self-study, or a branch with a
# week of the month without its weekly study, is reminded while there is time to catch up.
MONTH_END_NOTICE = timedelta(days=14)


def month_end_reminder_period(today: date) -> str | None:
    """The running month (YYYY-MM) from 14 days before its last day on; None before that."""
    month = f"{today.year:04d}-{today.month:02d}"
    _, last = month_bounds(month)
    return month if today >= last - MONTH_END_NOTICE else None


def behind_before_month_end(result: Compliance) -> list[Missing]:
    """Who is behind in a running month: each member whose self-study of it is not filed (still
    `due`, or `missing` once the month has ended) and each branch with a past week of it without
    its weekly study. The lesson is the quarter's, so it is not reminded here."""
    out = [Missing(guarantee="self_study", branch_id=ln.branch_id, member_id=ln.member_id)
           for ln in result.members if ln.self_study in ("due", "missing")]
    out += [Missing(guarantee="weekly_study", branch_id=b.branch_id, member_id=None)
            for b in result.branches if b.missing_weeks]
    return out


class IssueReminders(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    missing: list[Missing]
    now: datetime


class Reminded(msgspec.Struct, frozen=True, kw_only=True):
    keys: frozenset[tuple[str, str, str | None]] = frozenset()


def decide_reminders(command: IssueReminders, state: Reminded) -> list[ReminderIssued]:
    match command:
        case IssueReminders():
            today = park_date(command.now)
            seen: set[tuple[str, str, str | None]] = set(state.keys)
            out: list[ReminderIssued] = []
            # One reminder per person (or branch), guarantee and period: a second run sends nothing twice.
            for m in command.missing:
                key = (m.guarantee, m.branch_id, m.member_id)
                if key in seen:
                    continue
                seen.add(key)
                out.append(ReminderIssued(guarantee=m.guarantee, period=command.period, branch_id=m.branch_id,
                                          member_id=m.member_id, issued_on=today))
            return out
        case _:
            assert_never(command)


def _remembered(state: Reminded, event: ReminderIssued) -> Reminded:
    return Reminded(keys=state.keys | {(event.guarantee, event.branch_id, event.member_id)})


reminders_decider: Decider[IssueReminders, Reminded, ReminderIssued] = Decider(
    initial=Reminded(), decide=decide_reminders, evolve=_remembered)



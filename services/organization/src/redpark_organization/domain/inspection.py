"""Inspections of the branches (检查), rectifications (整改) and organizational handling (组织处理).

The general branch inspects every branch at least twice a year and writes down what it found. A
failed inspection is the first of the calendar year for that branch → a rectification opens with a
deadline (30 days after the inspection unless staff give one); a second failure in the same year →
the branch is flagged for organizational handling, which supersedes a second rectification (the
first stays open until it is completed). A branch's inspections and rectifications share one
stream, so "first" and "second" are decided against every inspection of the branch at once.

Overdue inspections (`overdue_reasons`), decided here and documented in the service README: twice a
year means once per half-year (上半年 January–June, 下半年 July–December). As of a day, a branch is
overdue when
  - `half_year_missed`: it existed for the whole of the previous half-year and was not inspected in it;
  - `none_in_six_months`: it has existed for six months or more and was not inspected in the last six.
A branch founded less than six months ago is therefore never overdue yet.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Literal, assert_never

import msgspec

from redpark_contracts.organization_governance import (
    InspectionRecorded,
    OrganizationalHandlingFlagged,
    RectificationCompleted,
    RectificationOpened,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider, NotFound

from .errors import ERRORS

DEFAULT_RECTIFICATION_DAYS = 30
OverdueReason = Literal["half_year_missed", "none_in_six_months"]


def stream_id(branch_id: str) -> str:
    return f"inspections-{branch_id}"


class RecordInspection(msgspec.Struct, frozen=True, kw_only=True):
    inspection_id: str
    branch_id: str
    inspected_on: date
    passed: bool
    findings: str
    rectification_id: str  # used when the inspection opens a rectification
    rectification_deadline: date | None = None
    branch_active: bool  # from the branch's own stream
    recorded_by: str = ""
    now: datetime


class CompleteRectification(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    rectification_id: str
    now: datetime
    effective_on: date | None = None


InspectionCommand = RecordInspection | CompleteRectification
InspectionEvent = InspectionRecorded | RectificationOpened | RectificationCompleted | OrganizationalHandlingFlagged


class OpenRectification(msgspec.Struct, frozen=True):
    opened_on: date
    deadline: date


class Inspections(msgspec.Struct, frozen=True):
    """What the branch's stream says: inspection ids, failures per year, rectifications."""

    inspection_ids: frozenset[str] = frozenset()
    failures_by_year: dict[int, int] = {}
    open_rectifications: dict[str, OpenRectification] = {}
    completed_rectifications: frozenset[str] = frozenset()
    inspected_on: dict[str, date] = {}


def _record(command: RecordInspection, state: Inspections) -> list[InspectionEvent]:
    if command.inspection_id in state.inspection_ids:
        raise ERRORS.error("inspection.already_recorded", field="inspection_id", inspection_id=command.inspection_id)
    if not command.branch_active:
        raise NotFound("branch.unknown", f"branch {command.branch_id} is not an active branch",
                       detail_zh="党支部不存在或已撤销", field="branch_id")
    on = effective_date(command.inspected_on, command.now, field="inspected_on")
    findings = command.findings.strip()
    if not command.passed and not findings:
        raise ERRORS.error("inspection.findings_missing", field="findings")
    recorded = InspectionRecorded(inspection_id=command.inspection_id, branch_id=command.branch_id,
                                  inspected_on=on, passed=command.passed, findings=findings,
                                  recorded_by=command.recorded_by)
    if command.passed:
        return [recorded]
    if state.failures_by_year.get(on.year, 0) >= 1:
        return [recorded, OrganizationalHandlingFlagged(branch_id=command.branch_id,
                                                        inspection_id=command.inspection_id, flagged_on=on,
                                                        year=on.year)]
    deadline = command.rectification_deadline or on + timedelta(days=DEFAULT_RECTIFICATION_DAYS)
    if deadline <= on:
        raise ERRORS.error("rectification.deadline_not_after_inspection", field="rectification_deadline")
    return [recorded, RectificationOpened(rectification_id=command.rectification_id, branch_id=command.branch_id,
                                          inspection_id=command.inspection_id, deadline=deadline, opened_on=on)]


def _complete(command: CompleteRectification, state: Inspections) -> list[InspectionEvent]:
    if command.rectification_id in state.completed_rectifications:
        raise ERRORS.error("rectification.already_completed", field="rectification_id",
                           rectification_id=command.rectification_id)
    opened = state.open_rectifications.get(command.rectification_id)
    if opened is None:
        raise ERRORS.error("rectification.unknown", field="rectification_id", branch_id=command.branch_id,
                           rectification_id=command.rectification_id)
    on = effective_date(command.effective_on, command.now)
    if on < opened.opened_on:
        raise ERRORS.error("rectification.completed_before_opened", field="effective_on")
    return [RectificationCompleted(rectification_id=command.rectification_id, branch_id=command.branch_id,
                                   completed_on=on)]


def decide(command: InspectionCommand, state: Inspections) -> list[InspectionEvent]:
    match command:
        case RecordInspection():
            return _record(command, state)
        case CompleteRectification():
            return _complete(command, state)
        case _:
            assert_never(command)


def evolve(state: Inspections, event: InspectionEvent) -> Inspections:
    match event:
        case InspectionRecorded():
            failures = dict(state.failures_by_year)
            if not event.passed:
                failures[event.inspected_on.year] = failures.get(event.inspected_on.year, 0) + 1
            return msgspec.structs.replace(
                state, inspection_ids=state.inspection_ids | {event.inspection_id}, failures_by_year=failures,
                inspected_on={**state.inspected_on, event.inspection_id: event.inspected_on})
        case RectificationOpened():
            opened_on = event.opened_on or state.inspected_on.get(event.inspection_id, event.deadline)
            return msgspec.structs.replace(state, open_rectifications={
                **state.open_rectifications, event.rectification_id: OpenRectification(opened_on, event.deadline)})
        case RectificationCompleted():
            still_open = {k: v for k, v in state.open_rectifications.items() if k != event.rectification_id}
            return msgspec.structs.replace(state, open_rectifications=still_open,
                                           completed_rectifications=state.completed_rectifications
                                           | {event.rectification_id})
        case OrganizationalHandlingFlagged():
            return state
        case _:
            assert_never(event)


decider: Decider[InspectionCommand, Inspections, InspectionEvent] = Decider(
    initial=Inspections, decide=decide, evolve=evolve)


# --- overdue inspections ------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def half_year(day: date) -> tuple[date, date]:
    """The half-year `day` falls in: its first and last day."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def previous_half_year(day: date) -> tuple[date, date]:
    first, _ = half_year(day)
    return half_year(first - timedelta(days=1))


def overdue_reasons(established_on: date, inspected: list[date], as_of: date) -> list[OverdueReason]:
    """Why the branch's inspections are overdue on `as_of` (empty: they are not); see the module doc."""
    seen = [d for d in inspected if d <= as_of]
    reasons: list[OverdueReason] = []
    first, last = previous_half_year(as_of)
    if established_on <= first and not any(first <= d <= last for d in seen):
        reasons.append("half_year_missed")
    six_months_ago = months_before(as_of, 6)
    if established_on <= six_months_ago and not any(d > six_months_ago for d in seen):
        reasons.append("none_in_six_months")
    return reasons

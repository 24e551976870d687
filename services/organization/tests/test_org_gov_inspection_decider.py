"""Inspections: first failure of the year → rectification, second → organizational handling; overdue rules."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from redpark_contracts.organization_governance import (
    InspectionRecorded,
    OrganizationalHandlingFlagged,
    RectificationCompleted,
    RectificationOpened,
)
from redpark_organization.domain import inspection
from redpark_organization.domain.inspection import CompleteRectification, RecordInspection, overdue_reasons
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit.gwt import DeciderSpec

spec = DeciderSpec(inspection.decider)
NOW = datetime(2025, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def record(inspection_id: str, on: date, passed: bool, findings: str = "", **more: object) -> RecordInspection:
    fields: dict[str, object] = {"inspection_id": inspection_id, "branch_id": "br1", "inspected_on": on,
                                 "passed": passed, "findings": findings, "rectification_id": f"r-{inspection_id}",
                                 "branch_active": True, "now": NOW}
    fields.update(more)
    return RecordInspection(**fields)  # type: ignore[arg-type]


def recorded(inspection_id: str, on: date, passed: bool, findings: str = "") -> InspectionRecorded:
    return InspectionRecorded(inspection_id=inspection_id, branch_id="br1", inspected_on=on, passed=passed,
                              findings=findings)


FIRST_FAIL = recorded("i1", date(2025, 3, 1), False, "会议记录不全")
OPENED = RectificationOpened(rectification_id="r-i1", branch_id="br1", inspection_id="i1",
                             deadline=date(2025, 3, 31), opened_on=date(2025, 3, 1))


def test_a_passed_inspection_is_recorded_alone() -> None:
    spec.given([]).when(record("i1", date(2025, 3, 1), True, " 良好 ")).then([recorded("i1", date(2025, 3, 1),
                                                                                      True, "良好")])


def test_the_first_failure_of_the_year_opens_a_rectification_due_in_thirty_days_by_default() -> None:
    spec.given([]).when(record("i1", date(2025, 3, 1), False, "会议记录不全")).then([FIRST_FAIL, OPENED])
    given_deadline = record("i1", date(2025, 3, 1), False, "会议记录不全", rectification_deadline=date(2025, 4, 15))
    events = spec.given([]).when(given_deadline).then([FIRST_FAIL, RectificationOpened(
        rectification_id="r-i1", branch_id="br1", inspection_id="i1", deadline=date(2025, 4, 15),
        opened_on=date(2025, 3, 1))])
    assert len(events) == 2


def test_the_second_failure_in_the_same_year_flags_organizational_handling() -> None:
    second = record("i2", date(2025, 9, 1), False, "仍未整改")
    spec.given([FIRST_FAIL, OPENED]).when(second).then([
        recorded("i2", date(2025, 9, 1), False, "仍未整改"),
        OrganizationalHandlingFlagged(branch_id="br1", inspection_id="i2", flagged_on=date(2025, 9, 1), year=2025)])


def test_a_failure_in_a_new_year_is_a_first_failure_again() -> None:
    last_year = recorded("i0", date(2024, 11, 1), False, "问题")
    events = spec.given([last_year]).when(record("i1", date(2025, 3, 1), False, "会议记录不全")).then(
        [FIRST_FAIL, OPENED])
    assert isinstance(events[1], RectificationOpened)


def test_refusals_name_the_field() -> None:
    spec.given([]).when(record("i1", date(2025, 3, 1), False, " ")).then_raises(
        InvalidCommand, code="inspection.findings_missing", field="findings")
    spec.given([]).when(record("i1", date(2025, 12, 1), True)).then_raises(
        InvalidCommand, code="date.in_future", field="inspected_on")
    spec.given([]).when(record("i1", date(2025, 3, 1), True, branch_active=False)).then_raises(
        NotFound, code="branch.unknown", field="branch_id")
    spec.given([FIRST_FAIL, OPENED]).when(record("i1", date(2025, 4, 1), True)).then_raises(
        DomainError, code="inspection.already_recorded", field="inspection_id")
    spec.given([]).when(record("i1", date(2025, 3, 1), False, "x", rectification_deadline=date(2025, 3, 1))
                        ).then_raises(InvalidCommand, code="rectification.deadline_not_after_inspection",
                                      field="rectification_deadline")


def test_a_rectification_is_completed_once_and_not_before_it_opened() -> None:
    done = CompleteRectification(branch_id="br1", rectification_id="r-i1", now=NOW, effective_on=date(2025, 3, 20))
    spec.given([FIRST_FAIL, OPENED]).when(done).then([RectificationCompleted(
        rectification_id="r-i1", branch_id="br1", completed_on=date(2025, 3, 20))])
    completed = RectificationCompleted(rectification_id="r-i1", branch_id="br1", completed_on=date(2025, 3, 20))
    spec.given([FIRST_FAIL, OPENED, completed]).when(done).then_raises(DomainError,
                                                                        code="rectification.already_completed")
    spec.given([]).when(done).then_raises(NotFound, code="rectification.unknown", field="rectification_id")
    early = CompleteRectification(branch_id="br1", rectification_id="r-i1", now=NOW, effective_on=date(2025, 2, 1))
    spec.given([FIRST_FAIL, OPENED]).when(early).then_raises(InvalidCommand,
                                                             code="rectification.completed_before_opened")


def test_overdue_when_the_previous_half_year_had_no_inspection() -> None:
    # inspected in the second half of 2024 and recently, but not in the first half of 2025
    assert overdue_reasons(date(2024, 1, 1), [date(2024, 9, 1), date(2025, 7, 15)], date(2025, 8, 1)) == [
        "half_year_missed"]
    assert overdue_reasons(date(2024, 1, 1), [date(2025, 5, 1), date(2025, 7, 15)], date(2025, 8, 1)) == []


def test_overdue_when_none_in_the_last_six_months() -> None:
    assert overdue_reasons(date(2024, 1, 1), [date(2025, 3, 1)], date(2025, 11, 25)) == ["none_in_six_months"]
    assert overdue_reasons(date(2024, 1, 1), [], date(2025, 11, 25)) == ["half_year_missed", "none_in_six_months"]


def test_a_young_branch_is_not_overdue_yet() -> None:
    assert overdue_reasons(date(2025, 8, 1), [], date(2025, 11, 25)) == []
    # an inspection after the day judged does not count for that day
    assert overdue_reasons(date(2024, 1, 1), [date(2025, 12, 1)], date(2025, 11, 25)) == [
        "half_year_missed", "none_in_six_months"]

"""Needs: raised, accepted, worked, resolved or closed — Given/When/Then, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.enterprise_support import (
    NeedAccepted,
    NeedClosed,
    NeedRaised,
    NeedResolved,
    NeedWorked,
)
from redpark_enterprise_support.domain import need
from redpark_platform.errors import InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 20, 2, 0, tzinfo=UTC)
spec = DeciderSpec(need.decider)
RAISED = NeedRaised(need_id="n1", enterprise_id="e1", category="talent", urgency="high", description="缺工程师",
                    raised_by_id="p1", raised_by_name="张经理", raised_by_phone="13800138000",
                    raised_on=date(2025, 6, 1), due_on=date(2025, 6, 11))
ACCEPTED = NeedAccepted(need_id="n1", assignee="李红", accepted_on=date(2025, 6, 2))


def raise_(**kw: object) -> need.RaiseNeed:
    base: dict[str, object] = {"need_id": "n1", "enterprise_id": "e1", "category": "talent", "urgency": "high",
                                   "description": " 缺工程师 ", "raised_by_id": "p1", "raised_by_name": "张经理",
                                   "raised_by_phone": "13800138000", "enterprise_in_park": True, "now": NOW,
                                   "effective_on": date(2025, 6, 1)}
    base.update(kw)
    return need.RaiseNeed(**base)  # type: ignore[arg-type]


def test_a_raised_need_is_due_by_its_urgency() -> None:
    spec.given([]).when(raise_()).then([RAISED])
    urgent = spec.given([]).when(raise_(urgency="urgent")).then([NeedRaised(
        need_id="n1", enterprise_id="e1", category="talent", urgency="urgent", description="缺工程师",
        raised_by_id="p1", raised_by_name="张经理", raised_by_phone="13800138000", raised_on=date(2025, 6, 1),
        due_on=date(2025, 6, 4))])
    assert urgent[0].due_on < RAISED.due_on


def test_a_need_of_an_enterprise_not_in_the_park_or_without_description_is_refused() -> None:
    spec.given([]).when(raise_(enterprise_in_park=False)).then_raises(code="need.enterprise_not_in_park")
    spec.given([]).when(raise_(description=" ")).then_raises(InvalidCommand, code="need.description_missing")
    spec.given([RAISED]).when(raise_()).then_raises(code="need.already_raised")


def test_a_need_cannot_be_resolved_before_it_was_accepted() -> None:
    spec.given([RAISED]).when(need.ResolveNeed(need_id="n1", resolution="已解决", now=NOW)).then_raises(
        code="need.not_accepted", field="need_id")


def test_an_accepted_need_is_worked_and_resolved_with_the_days_it_was_open() -> None:
    spec.given([RAISED]).when(need.AcceptNeed(need_id="n1", assignee="李红", now=NOW,
                                              effective_on=date(2025, 6, 2))).then([ACCEPTED])
    spec.given([RAISED, ACCEPTED]).when(need.WorkNeed(need_id="n1", note="已联系高校", now=NOW,
                                                      effective_on=date(2025, 6, 5))).then(
        [NeedWorked(need_id="n1", note="已联系高校", worked_on=date(2025, 6, 5))])
    spec.given([RAISED, ACCEPTED]).when(need.ResolveNeed(need_id="n1", resolution="录用2名", now=NOW,
                                                         effective_on=date(2025, 6, 15))).then(
        [NeedResolved(need_id="n1", enterprise_id="e1", resolution="录用2名", resolved_on=date(2025, 6, 15),
                      days_open=14)])


def test_work_needs_acceptance_and_acceptance_happens_once() -> None:
    spec.given([RAISED]).when(need.WorkNeed(need_id="n1", note="x", now=NOW)).then_raises(code="need.not_accepted")
    spec.given([RAISED, ACCEPTED]).when(need.AcceptNeed(need_id="n1", assignee="王", now=NOW)).then_raises(
        code="need.already_accepted")
    spec.given([RAISED]).when(need.AcceptNeed(need_id="n1", assignee=" ", now=NOW)).then_raises(
        InvalidCommand, code="need.assignee_missing")


def test_a_need_is_closed_with_a_reason_from_any_open_state_and_then_is_finished() -> None:
    closed = NeedClosed(need_id="n1", reason="企业撤回", closed_on=date(2025, 6, 20))
    spec.given([RAISED]).when(need.CloseNeed(need_id="n1", reason="企业撤回", now=NOW)).then([closed])
    spec.given([RAISED]).when(need.CloseNeed(need_id="n1", reason="", now=NOW)).then_raises(
        InvalidCommand, code="need.reason_missing")
    spec.given([RAISED, closed]).when(need.AcceptNeed(need_id="n1", assignee="李红", now=NOW)).then_raises(
        code="need.already_finished")


def test_steps_are_not_dated_before_the_previous_one_and_unknown_needs_are_not_found() -> None:
    spec.given([RAISED, ACCEPTED]).when(need.ResolveNeed(need_id="n1", resolution="x", now=NOW,
                                                         effective_on=date(2025, 6, 1))).then_raises(
        InvalidCommand, code="need.date_before_previous_step")
    spec.given([]).when(need.AcceptNeed(need_id="n9", assignee="x", now=NOW)).then_raises(NotFound, code="need.unknown")

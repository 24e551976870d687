"""Pending transfer-in follow-ups — Given/When/Then, no I/O."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from redpark_contracts.organization_followups import (
    TransferFollowupDismissed,
    TransferFollowupOpened,
    TransferFollowupResolved,
)
from redpark_organization.domain import followup
from redpark_organization.domain.followup import DismissFollowup, OpenFollowup, ResolveFollowup
from redpark_platform.decider import InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 7, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
spec = DeciderSpec(followup.decider)
OPEN = OpenFollowup(followup_id="h1", enterprise_id="e1", name=" 李明 ", relationship_held_by=" 某大学党委 ",
                    since=date(2025, 7, 1), now=NOW)
OPENED = TransferFollowupOpened(followup_id="h1", enterprise_id="e1", name="李明", relationship_held_by="某大学党委",
                                since=date(2025, 7, 1), opened_on=date(2025, 7, 3))


def test_a_declared_party_member_hire_opens_a_pending_follow_up() -> None:
    spec.given([]).when(OPEN).then([OPENED])


def test_hearing_of_the_same_hire_again_opens_nothing_whatever_its_state() -> None:
    spec.given([OPENED]).when(OPEN).then([])
    closed = TransferFollowupDismissed(followup_id="h1", reason="不转入", dismissed_on=date(2025, 7, 3))
    spec.given([OPENED, closed]).when(OPEN).then([])


def test_it_is_resolved_by_a_member_in_the_census() -> None:
    spec.given([OPENED]).when(ResolveFollowup(followup_id="h1", member_id="m1", member_in_park=True, now=NOW)).then([
        TransferFollowupResolved(followup_id="h1", member_id="m1", resolved_on=date(2025, 7, 3))])


def test_it_cannot_be_resolved_by_someone_not_in_the_census() -> None:
    spec.given([OPENED]).when(ResolveFollowup(followup_id="h1", member_id="m9", member_in_park=False, now=NOW)) \
        .then_raises(code="followup.member_not_registered", field="member_id")


def test_it_is_dismissed_only_with_a_reason_and_not_before_the_hire() -> None:
    spec.given([OPENED]).when(DismissFollowup(followup_id="h1", reason=" 本人已离职 ", now=NOW)).then([
        TransferFollowupDismissed(followup_id="h1", reason="本人已离职", dismissed_on=date(2025, 7, 3))])
    spec.given([OPENED]).when(DismissFollowup(followup_id="h1", reason=" ", now=NOW)).then_raises(
        InvalidCommand, code="followup.reason_missing", field="reason")
    spec.given([OPENED]).when(DismissFollowup(followup_id="h1", reason="x", now=NOW,
                                              effective_on=date(2025, 6, 30))).then_raises(
        InvalidCommand, code="followup.closed_before_hire")


def test_a_closed_or_unknown_follow_up_cannot_be_closed_again() -> None:
    resolved = TransferFollowupResolved(followup_id="h1", member_id="m1", resolved_on=date(2025, 7, 3))
    spec.given([OPENED, resolved]).when(DismissFollowup(followup_id="h1", reason="x", now=NOW)).then_raises(
        code="followup.closed")
    spec.given([]).when(ResolveFollowup(followup_id="h1", member_id="m1", member_in_park=True, now=NOW)).then_raises(
        NotFound, code="followup.unknown")

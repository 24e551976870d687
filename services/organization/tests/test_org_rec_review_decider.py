"""Three-way review: each rater once, the overall rule, a poor rating requires one warning talk; posts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from redpark_contracts.organization_recognition import (
    PostAssigned,
    PostWithdrawn,
    ThreeWayReviewConcluded,
    ThreeWayReviewRated,
    WarningTalkRecorded,
)
from redpark_organization.domain import posts, review
from redpark_organization.domain.posts import AssignPost, WithdrawPost
from redpark_organization.domain.review import RateMember, RecordWarningTalk, overall_rating
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit.gwt import DeciderSpec

spec = DeciderSpec(review.decider)
post_spec = DeciderSpec(posts.decider)
NOW = datetime(2025, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY = date(2025, 12, 10)


def rate(rater: str, rating: str, **more: object) -> RateMember:
    fields: dict[str, object] = {"member_id": "m1", "year": 2025, "rater": rater, "rating": rating,
                                 "member_in_park": True, "branch_id": "br1", "now": NOW}
    fields.update(more)
    return RateMember(**fields)  # type: ignore[arg-type]


def rated(rater: Any, rating: Any) -> ThreeWayReviewRated:
    return ThreeWayReviewRated(member_id="m1", year=2025, rater=rater, rating=rating, rated_on=DAY)


def concluded(overall: Any, leadership: Any, employees: Any, branch: Any) -> ThreeWayReviewConcluded:
    return ThreeWayReviewConcluded(member_id="m1", year=2025, overall=overall, leadership=leadership,
                                   employees=employees, branch=branch, branch_id="br1", concluded_on=DAY)


def talk(**more: object) -> RecordWarningTalk:
    fields: dict[str, object] = {"member_id": "m1", "year": 2025, "talked_on": DAY, "talked_by": "支部书记",
                                 "notes": "谈心谈话", "now": NOW}
    fields.update(more)
    return RecordWarningTalk(**fields)  # type: ignore[arg-type]


POOR = [rated("leadership", "poor"), rated("employees", "good"), rated("branch", "poor"),
        concluded("poor", "poor", "good", "poor")]


@pytest.mark.parametrize(("leadership", "employees", "branch", "overall"), [
    ("excellent", "excellent", "poor", "poor"),  # the branch's poor rating decides
    ("poor", "poor", "excellent", "poor"),  # a majority of poor ratings
    ("excellent", "excellent", "good", "excellent"),
    ("excellent", "excellent", "fair", "fair"),  # excellent needs nothing below good
    ("poor", "good", "good", "fair"),  # one poor rating, not the branch's
    ("good", "excellent", "good", "good"),
])
def test_the_overall_rating_follows_the_documented_rule(leadership: str, employees: str, branch: str,
                                                        overall: str) -> None:
    assert overall_rating(leadership, employees, branch) == overall  # type: ignore[arg-type]


def test_a_first_rating_is_recorded_without_an_overall_rating() -> None:
    spec.given([]).when(rate("leadership", "good")).then([rated("leadership", "good")])


def test_the_third_rating_concludes_the_review() -> None:
    spec.given([rated("leadership", "poor"), rated("employees", "good")]).when(rate("branch", "poor")).then(
        [rated("branch", "poor"), concluded("poor", "poor", "good", "poor")])


def test_a_rater_rates_once_a_year() -> None:
    spec.given([rated("branch", "good")]).when(rate("branch", "excellent")).then_raises(
        DomainError, code="review.already_rated", field="rater")


def test_a_member_not_in_the_park_is_not_rated() -> None:
    spec.given([]).when(rate("branch", "good", member_in_park=False)).then_raises(
        DomainError, code="review.member_not_in_park", field="member_id")


def test_a_rating_is_dated_in_its_year() -> None:
    spec.given([]).when(rate("branch", "good", year=2024)).then_raises(
        InvalidCommand, code="review.wrong_year", field="effective_on")


def test_a_poor_overall_rating_takes_a_warning_talk() -> None:
    spec.given(POOR).when(talk()).then([WarningTalkRecorded(member_id="m1", year=2025, talked_on=DAY,
                                                            talked_by="支部书记", notes="谈心谈话")])


def test_no_warning_talk_unless_rated_poor() -> None:
    good = [rated("leadership", "good"), rated("employees", "good"), rated("branch", "good"),
            concluded("good", "good", "good", "good")]
    spec.given(good).when(talk()).then_raises(DomainError, code="review.talk_not_required", field="member_id")
    spec.given([]).when(talk()).then_raises(DomainError, code="review.talk_not_required")


def test_the_warning_talk_is_recorded_once_and_needs_who_held_it() -> None:
    once = WarningTalkRecorded(member_id="m1", year=2025, talked_on=DAY, talked_by="书记", notes="")
    spec.given([*POOR, once]).when(talk()).then_raises(DomainError, code="review.talk_already_recorded")
    spec.given(POOR).when(talk(talked_by=" ")).then_raises(InvalidCommand, field="talked_by")
    spec.given(POOR).when(talk(talked_on=date(2025, 12, 11))).then_raises(InvalidCommand, code="date.in_future")


# --- posts -------------------------------------------------------------------------------------------


def assign(post_id: str = "p1", kind: str = "pioneer", enterprise: str | None = "e1") -> AssignPost:
    return AssignPost(post_id=post_id, kind=kind, member_id="m1", title="研发先锋岗",  # type: ignore[arg-type]
                      member_enterprise_id=enterprise, now=NOW)


ASSIGNED = PostAssigned(post_id="p1", kind="pioneer", member_id="m1", enterprise_id="e1", title="研发先锋岗",
                        assigned_on=DAY)


def test_a_post_is_assigned_in_the_members_enterprise() -> None:
    post_spec.given([]).when(assign()).then([ASSIGNED])


def test_a_member_holds_one_post_of_a_kind_but_may_hold_both_kinds() -> None:
    post_spec.given([ASSIGNED]).when(assign("p2")).then_raises(DomainError, code="post.kind_held", field="kind")
    post_spec.given([ASSIGNED]).when(assign("p2", "model")).then(
        [PostAssigned(post_id="p2", kind="model", member_id="m1", enterprise_id="e1", title="研发先锋岗",
                      assigned_on=DAY)])


def test_a_member_without_an_enterprise_gets_no_post() -> None:
    post_spec.given([]).when(assign(enterprise=None)).then_raises(DomainError, code="post.member_without_enterprise")


def test_a_withdrawn_post_frees_its_kind_and_cannot_be_withdrawn_twice() -> None:
    withdrawn = PostWithdrawn(post_id="p1", member_id="m1", withdrawn_on=DAY, reason="调岗")
    post_spec.given([ASSIGNED]).when(WithdrawPost(post_id="p1", member_id="m1", reason="调岗", now=NOW)).then(
        [withdrawn])
    post_spec.given([ASSIGNED, withdrawn]).when(WithdrawPost(post_id="p1", member_id="m1", now=NOW)).then_raises(
        NotFound, code="post.not_held")
    post_spec.given([ASSIGNED, withdrawn]).when(assign("p2")).then(
        [PostAssigned(post_id="p2", kind="pioneer", member_id="m1", enterprise_id="e1", title="研发先锋岗",
                      assigned_on=DAY)])

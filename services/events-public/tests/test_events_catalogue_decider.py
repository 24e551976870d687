"""Catalogue rules: publishing activities (courses, tours with routes, the carnival and its parts)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from redpark_contracts.events_public import (
    ActivityPublished,
    ActivityRegistrationChecksSet,
    ActivityWithdrawn,
    RouteStop,
)
from redpark_events_public.domain.catalogue import (
    Activity,
    PublishActivity,
    SetRegistrationChecks,
    WithdrawActivity,
    activity_decider,
)
from redpark_platform.errors import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

spec = DeciderSpec(activity_decider)
NOW = datetime(2026, 3, 1, 2, tzinfo=UTC)
ROUTE = [
    RouteStop(name="Robot lab", place="Building A3"),
    RouteStop(name="Chip exhibition", place="Building B1"),
]


def publish(**over: object) -> PublishActivity:
    fields: dict[str, object] = {
        "activity_id": "a1",
        "kind": "youth_science_course",
        "title": "Robots for kids",
        "now": NOW,
    }
    fields.update(over)
    return PublishActivity(**fields)  # type: ignore[arg-type]


def published(**over: object) -> ActivityPublished:
    fields: dict[str, object] = {
        "activity_id": "a1",
        "kind": "youth_science_course",
        "title": "Robots for kids",
        "proof_of_work": False,
        "published_at": NOW,
    }
    fields.update(over)
    return ActivityPublished(**fields)  # type: ignore[arg-type]


def test_a_youth_science_course_is_published() -> None:
    spec.given([]).when(publish(summary="Build a robot", place="Lecture hall")).then(
        [published(summary="Build a robot", place="Lecture hall")]
    )


def test_a_family_tech_tour_is_published_with_its_route_in_visiting_order() -> None:
    spec.given([]).when(publish(kind="family_tech_tour", route=ROUTE)).then(
        [published(kind="family_tech_tour", route=ROUTE)]
    )


def test_the_carnival_week_carries_the_per_phone_daily_limit_and_its_parts_name_it() -> None:
    spec.given([]).when(publish(kind="science_carnival", daily_limit_per_phone=3)).then(
        [published(kind="science_carnival", daily_limit_per_phone=3)]
    )
    spec.given([]).when(publish(activity_id="a2", kind="food_tasting", carnival_id="a1")).then(
        [published(activity_id="a2", kind="food_tasting", carnival_id="a1", proof_of_work=True)]
    )


def test_a_carnival_parts_registrations_need_a_proof_of_work_unless_staff_say_otherwise() -> None:
    part = {"activity_id": "a2", "kind": "food_tasting", "carnival_id": "a1"}
    spec.given([]).when(publish(**part)).then([published(**part, proof_of_work=True)])
    spec.given([]).when(publish(**part, proof_of_work=False)).then([published(**part, proof_of_work=False)])
    spec.given([]).when(publish(proof_of_work=True, phone_verification=True)).then(
        [published(proof_of_work=True, phone_verification=True)])


def test_staff_switch_an_activitys_registration_checks_and_the_state_follows() -> None:
    part = {"activity_id": "a2", "kind": "food_tasting", "carnival_id": "a1"}
    switch = SetRegistrationChecks(activity_id="a2", proof_of_work=False, phone_verification=True, by="officer",
                                   now=NOW)
    spec.given([published(**part, proof_of_work=True)]).when(switch).then([ActivityRegistrationChecksSet(
        activity_id="a2", proof_of_work=False, phone_verification=True, set_by="officer", set_at=NOW)])
    # Already so: nothing to record.
    spec.given([published(**part, proof_of_work=False, phone_verification=True)]).when(switch).then([])
    spec.given([]).when(switch).then_raises(NotFound, code="activity.not_found")
    withdrawn = ActivityWithdrawn(activity_id="a2", reason="rain", withdrawn_at=NOW)
    spec.given([published(**part), withdrawn]).when(switch).then_raises(DomainError, code="activity.withdrawn")


def test_an_activity_published_before_the_switch_takes_its_kinds_default() -> None:
    old_part = published(activity_id="a2", kind="food_tasting", carnival_id="a1", proof_of_work=None)
    old_course = published(proof_of_work=None)
    part = activity_decider.fold([old_part])
    course = activity_decider.fold([old_course])
    assert isinstance(part, Activity) and isinstance(course, Activity)
    assert (part.proof_of_work, course.proof_of_work) == (True, False)
    assert not part.phone_verification


@pytest.mark.parametrize(
    ("over", "code", "field"),
    [
        ({"title": "  "}, "activity.title_required", "title"),
        ({"kind": "knowledge_contest"}, "activity.carnival_required", "carnival_id"),
        ({"carnival_id": "c1"}, "activity.carnival_not_allowed", "carnival_id"),
        ({"kind": "family_tech_tour", "route": ROUTE[:1]}, "activity.route_too_short", "route"),
        ({"kind": "family_tech_tour", "route": [ROUTE[0], ROUTE[0]]}, "activity.route_repeats_stop", "route"),
        (
            {"kind": "family_tech_tour", "route": [ROUTE[0], RouteStop(name=" ", place="x")]},
            "activity.route_stop_unnamed",
            "route",
        ),
        ({"route": ROUTE}, "activity.route_not_allowed", "route"),
        ({"daily_limit_per_phone": 2}, "activity.daily_limit_not_allowed", "daily_limit_per_phone"),
        (
            {"kind": "science_carnival", "daily_limit_per_phone": 0},
            "activity.daily_limit_invalid",
            "daily_limit_per_phone",
        ),
    ],
)
def test_an_activity_that_breaks_a_rule_is_refused_naming_the_field(
    over: dict[str, object], code: str, field: str
) -> None:
    exc = spec.given([]).when(publish(**over)).then_raises(InvalidCommand, code=code, field=field)
    assert exc.detail_zh != exc.detail  # type: ignore[attr-defined]


def test_an_activity_is_published_once() -> None:
    spec.given([published()]).when(publish()).then_raises(DomainError, code="activity.already_published")


def test_withdrawing_needs_a_reason_and_happens_once() -> None:
    spec.given([published()]).when(WithdrawActivity(activity_id="a1", reason=" Rain ", now=NOW)).then(
        [ActivityWithdrawn(activity_id="a1", reason="Rain", withdrawn_at=NOW)]
    )
    spec.given([published()]).when(WithdrawActivity(activity_id="a1", reason="", now=NOW)).then_raises(
        InvalidCommand, code="activity.reason_required", field="reason"
    )
    spec.given([published(), ActivityWithdrawn(activity_id="a1", reason="Rain", withdrawn_at=NOW)]).when(
        WithdrawActivity(activity_id="a1", reason="again", now=NOW)
    ).then_raises(DomainError, code="activity.already_withdrawn")
    spec.given([]).when(WithdrawActivity(activity_id="a1", reason="x", now=NOW)).then_raises(
        NotFound, code="activity.not_found"
    )

"""Volunteer activities: sign-up by member id, hours after the activity, the year's count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from redpark_contracts.events_public import (
    VolunteerActivityScheduled,
    VolunteerHoursRecorded,
    VolunteerSignedUp,
    VolunteerSignUpWithdrawn,
)
from redpark_events_public.domain.volunteer import (
    OrganizerYear,
    RecordVolunteerHours,
    ScheduleVolunteerActivity,
    SignUpVolunteer,
    WithdrawVolunteer,
    volunteer_decider,
    volunteer_year,
)
from redpark_platform.errors import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

spec = DeciderSpec(volunteer_decider)
STARTS = datetime(2026, 6, 6, 1, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=4)
BEFORE = STARTS - timedelta(days=2)
AFTER = ENDS + timedelta(hours=1)


def scheduled(
    activity_id: str = "v1", *, organizer: str = "branch-1", starts: datetime = STARTS, slots: int | None = 2
) -> VolunteerActivityScheduled:
    return VolunteerActivityScheduled(
        activity_id=activity_id,
        kind="tech_poverty_relief",
        title="Farm sensors for a village",
        organizer_branch_id=organizer,
        place="Village",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        volunteer_slots=slots,
        scheduled_at=BEFORE - timedelta(days=5),
    )


def signed_up(member: str, activity_id: str = "v1") -> VolunteerSignedUp:
    return VolunteerSignedUp(activity_id=activity_id, member_id=member, signed_up_at=BEFORE)


def hours(member: str, h: float, activity_id: str = "v1") -> VolunteerHoursRecorded:
    return VolunteerHoursRecorded(
        activity_id=activity_id, member_id=member, hours=h, recorded_by="officer", recorded_at=AFTER
    )


def test_scheduling_a_volunteer_activity() -> None:
    spec.given([]).when(
        ScheduleVolunteerActivity(
            activity_id="v1",
            kind="tech_poverty_relief",
            title="Farm sensors for a village",
            organizer_branch_id="branch-1",
            place="Village",
            starts_at=STARTS,
            ends_at=ENDS,
            volunteer_slots=2,
            organizer_known=True,
            now=BEFORE - timedelta(days=5),
        )
    ).then([scheduled()])


@pytest.mark.parametrize(
    ("over", "code", "field"),
    [
        ({"title": ""}, "volunteer.title_required", "title"),
        ({"organizer_branch_id": ""}, "volunteer.organizer_required", "organizer_branch_id"),
        ({"ends_at": STARTS}, "volunteer.ends_before_start", "ends_at"),
        ({"volunteer_slots": 0}, "volunteer.slots_invalid", "volunteer_slots"),
    ],
)
def test_a_bad_volunteer_activity_is_refused(over: dict[str, object], code: str, field: str) -> None:
    fields: dict[str, object] = {
        "activity_id": "v1",
        "kind": "volunteer_service",
        "title": "Clean-up",
        "organizer_branch_id": "b",
        "place": "Park",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "organizer_known": True,
        "now": BEFORE,
    }
    fields.update(over)
    spec.given([]).when(ScheduleVolunteerActivity(**fields)).then_raises(  # type: ignore[arg-type]
        InvalidCommand, code=code, field=field
    )


def test_members_sign_up_by_member_id_once_while_places_last() -> None:
    spec.given([scheduled()]).when(
        SignUpVolunteer(activity_id="v1", member_id="m1", member_known=True, now=BEFORE)
    ).then(
        [signed_up("m1")]
    )
    spec.given([scheduled(), signed_up("m1")]).when(
        SignUpVolunteer(activity_id="v1", member_id="m1", member_known=True, now=BEFORE)
    ).then_raises(DomainError, code="volunteer.already_signed_up", field="member_id")
    spec.given([scheduled(), signed_up("m1"), signed_up("m2")]).when(
        SignUpVolunteer(activity_id="v1", member_id="m3", member_known=True, now=BEFORE)
    ).then_raises(DomainError, code="volunteer.full")
    spec.given([scheduled()]).when(
        SignUpVolunteer(activity_id="v1", member_id="m1", member_known=True, now=STARTS)
    ).then_raises(
        DomainError, code="volunteer.already_started"
    )
    spec.given([]).when(SignUpVolunteer(activity_id="v1", member_id="m1", member_known=True, now=BEFORE)).then_raises(
        NotFound, code="volunteer.activity_not_found"
    )


def test_a_withdrawn_member_frees_the_place() -> None:
    given = [scheduled(), signed_up("m1"), signed_up("m2")]
    spec.given(given).when(WithdrawVolunteer(activity_id="v1", member_id="m1", now=BEFORE)).then(
        [VolunteerSignUpWithdrawn(activity_id="v1", member_id="m1", withdrawn_at=BEFORE)]
    )
    spec.given(
        [*given, VolunteerSignUpWithdrawn(activity_id="v1", member_id="m1", withdrawn_at=BEFORE)]
    ).when(SignUpVolunteer(activity_id="v1", member_id="m3", member_known=True, now=BEFORE)).then([signed_up("m3")])
    spec.given(given).when(WithdrawVolunteer(activity_id="v1", member_id="m9", now=BEFORE)).then_raises(
        NotFound, code="volunteer.not_signed_up"
    )


def record(member: str, h: float, now: datetime = AFTER) -> RecordVolunteerHours:
    return RecordVolunteerHours(activity_id="v1", member_id=member, hours=h, recorded_by="officer", now=now)


def test_hours_are_recorded_after_the_activity_for_signed_up_members_once() -> None:
    given = spec.given([scheduled(), signed_up("m1")])
    given.when(record("m1", 3.5)).then([hours("m1", 3.5)])
    given.when(record("m1", 3.5, now=ENDS - timedelta(minutes=1))).then_raises(
        DomainError, code="volunteer.not_over"
    )
    given.when(record("m2", 1)).then_raises(DomainError, code="volunteer.not_signed_up", field="member_id")
    given.when(record("m1", 0)).then_raises(InvalidCommand, code="volunteer.hours_invalid", field="hours")
    given.when(record("m1", 4.5)).then_raises(InvalidCommand, code="volunteer.hours_invalid")
    spec.given([scheduled(), signed_up("m1"), hours("m1", 2)]).when(record("m1", 2)).then_raises(
        DomainError, code="volunteer.hours_already_recorded"
    )


def test_the_organizer_and_the_volunteer_must_be_known_to_the_organization() -> None:
    fields: dict[str, object] = {
        "activity_id": "v1", "kind": "volunteer_service", "title": "Clean-up", "organizer_branch_id": "br-x",
        "place": "Park", "starts_at": STARTS, "ends_at": ENDS, "organizer_known": False, "now": BEFORE,
    }
    spec.given([]).when(ScheduleVolunteerActivity(**fields)).then_raises(  # type: ignore[arg-type]
        NotFound, code="volunteer.organizer_unknown", field="organizer_branch_id"
    )
    spec.given([scheduled()]).when(
        SignUpVolunteer(activity_id="v1", member_id="m-x", member_known=False, now=BEFORE)
    ).then_raises(NotFound, code="volunteer.member_unknown", field="member_id")


def test_the_volunteer_target_is_the_assessments_volunteer_activities_item() -> None:
    from redpark_contracts.organization_assessment import ScoringItem
    from redpark_events_public.domain.volunteer import target_per_quarter

    def item(metric: str, target: float, applies_to: str) -> ScoringItem:
        return ScoringItem(key=metric, label=metric, metric=metric, target=target, points=10,  # type: ignore[arg-type]
                           rule_text="", applies_to=applies_to)  # type: ignore[arg-type]

    assert target_per_quarter([item("volunteer_hours", 20, "branch")]) is None
    assert target_per_quarter([item("volunteer_activities", 3, "branch"),
                               item("volunteer_activities", 2, "general_branch")]) == 2


def test_the_years_count_per_organizer_against_the_assessments_target() -> None:
    new_years_eve_in_shanghai = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # already 2027 in the park
    events = [
        scheduled("v1", organizer="branch-1"),
        signed_up("m1", "v1"),
        hours("m1", 3, "v1"),
        scheduled("v2", organizer="branch-1"),
        signed_up("m2", "v2"),
        hours("m2", 2, "v2"),
        scheduled("v3", organizer="branch-2"),
        signed_up("m3", "v3"),  # no hours: not held
        scheduled("v4", organizer="branch-2", starts=new_years_eve_in_shanghai),
        signed_up("m3", "v4"),
        hours("m3", 1, "v4"),
    ]
    # the assessment's default: one a quarter, four a year; every unit listed, those that held nothing too
    report = volunteer_year(events, year=2026, organizers=["general", "branch-1", "branch-2"])
    assert report == [
        OrganizerYear(organizer_branch_id="branch-1", year=2026, held=2, held_by_quarter=[0, 2, 0, 0],
                      per_quarter=1.0, minimum=4, met=False, volunteer_hours=5.0),
        OrganizerYear(organizer_branch_id="branch-2", year=2026, held=0, held_by_quarter=[0, 0, 0, 0],
                      per_quarter=1.0, minimum=4, met=False, volunteer_hours=0.0),
        OrganizerYear(organizer_branch_id="general", year=2026, held=0, held_by_quarter=[0, 0, 0, 0],
                      per_quarter=1.0, minimum=4, met=False, volunteer_hours=0.0),
    ]
    half = volunteer_year(events, year=2026, per_quarter=0.5)
    assert (half[0].minimum, half[0].met) == (2, True)
    [next_year] = volunteer_year(events, year=2027)
    assert (next_year.organizer_branch_id, next_year.held_by_quarter) == ("branch-2", [1, 0, 0, 0])

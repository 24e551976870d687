"""Recruitment: hires, talent-fair participations, internship placements — Given/When/Then, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.enterprise_support import (
    HireRecorded,
    InternshipPlaced,
    PartyMemberHireDeclared,
    TalentFairParticipated,
)
from redpark_enterprise_support.domain import recruitment
from redpark_enterprise_support.domain.recruitment import PlaceIntern, RecordHire, RecordParticipation
from redpark_platform.errors import InvalidCommand
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 7, 1, 1, 0, tzinfo=UTC)  # 09:00 in the park
TODAY = date(2025, 7, 1)
hires = DeciderSpec(recruitment.hire_decider)
fairs = DeciderSpec(recruitment.participation_decider)
placements = DeciderSpec(recruitment.placement_decider)


def record(**over: object) -> RecordHire:
    fields: dict[str, object] = dict(hire_id="h1", enterprise_id="e1", position=" 嵌入式工程师 ", hired_on=TODAY,
                                     person_name="李明", political_status=None, relationship_held_by="",
                                     phone="", enterprise_in_park=True, now=NOW)
    fields.update(over)
    return RecordHire(**fields)  # type: ignore[arg-type]


HIRED = HireRecorded(hire_id="h1", enterprise_id="e1", position="嵌入式工程师", hired_on=TODAY)


def test_a_hire_who_declared_nothing_is_recorded_without_anything_about_the_person() -> None:
    hires.given([]).when(record()).then([HIRED])


def test_a_hire_who_is_not_a_party_member_tells_nobody_their_status() -> None:
    hires.given([]).when(record(political_status="not_party_member", relationship_held_by="x")).then([HIRED])


def test_a_party_member_hire_is_told_separately_with_who_holds_the_relationship() -> None:
    hires.given([]).when(record(political_status="party_member", relationship_held_by=" 某大学党委 ",
                                phone="13800001234")).then([
        HIRED, PartyMemberHireDeclared(hire_id="h1", enterprise_id="e1", name="李明", relationship_held_by="某大学党委",
                                       hired_on=TODAY, phone="13800001234")])


def test_a_probationary_member_is_followed_up_too() -> None:
    events = hires.given([]).when(record(political_status="probationary_party_member",
                                         relationship_held_by="某县委组织部")).then([
        HIRED, PartyMemberHireDeclared(hire_id="h1", enterprise_id="e1", name="李明", relationship_held_by="某县委组织部",
                                       hired_on=TODAY)])
    assert events[1].phone == ""


def test_a_party_member_without_a_name_cannot_be_followed_up() -> None:
    hires.given([]).when(record(political_status="party_member", person_name=" ", relationship_held_by="某党委")) \
        .then_raises(InvalidCommand, code="hire.member_name_missing", field="person_name")
    hires.given([]).when(record(political_status="party_member", relationship_held_by="")) \
        .then_raises(InvalidCommand, code="hire.relationship_holder_missing", field="relationship_held_by")


def test_a_hire_for_an_enterprise_not_in_the_park_is_refused() -> None:
    hires.given([]).when(record(enterprise_in_park=False)).then_raises(
        code="recruitment.enterprise_not_in_park", field="enterprise_id")


def test_a_hire_is_recorded_once_and_cannot_be_in_the_future() -> None:
    hires.given([HIRED]).when(record()).then_raises(code="hire.exists")
    hires.given([]).when(record(hired_on=date(2025, 7, 2))).then_raises(InvalidCommand, code="date.in_future",
                                                                         field="hired_on")
    hires.given([]).when(record(position="  ")).then_raises(InvalidCommand, field="position")


def participate(**over: object) -> RecordParticipation:
    fields: dict[str, object] = dict(participation_id="p1", enterprise_id="e1", fair_name="春季双选会",
                                     fair_on=date(2025, 4, 12), positions_offered=6, resumes_received=84,
                                     enterprise_in_park=True, now=NOW)
    fields.update(over)
    return RecordParticipation(**fields)  # type: ignore[arg-type]


def test_a_talent_fair_participation_is_recorded_once_for_an_enterprise_in_the_park() -> None:
    done = TalentFairParticipated(participation_id="p1", enterprise_id="e1", fair_name="春季双选会",
                                  fair_on=date(2025, 4, 12), positions_offered=6, resumes_received=84)
    fairs.given([]).when(participate()).then([done])
    fairs.given([done]).when(participate()).then_raises(code="talent_fair.participation_exists")
    fairs.given([]).when(participate(enterprise_in_park=False)).then_raises(code="recruitment.enterprise_not_in_park")
    fairs.given([]).when(participate(resumes_received=-1)).then_raises(InvalidCommand, field="resumes_received")
    fairs.given([]).when(participate(fair_name="")).then_raises(InvalidCommand, field="fair_name")


def place(**over: object) -> PlaceIntern:
    fields: dict[str, object] = dict(placement_id="i1", base_id="b1", student_name="赵磊", university="洛阳理工学院",
                                     major="软件工程", starts_on=date(2025, 7, 7), ends_on=date(2025, 8, 29),
                                     base_places=2, base_host_enterprise_id="e1", placed_at_base=1, now=NOW)
    fields.update(over)
    return PlaceIntern(**fields)  # type: ignore[arg-type]


def test_a_student_is_placed_at_an_open_base_with_a_place_left_even_before_the_start() -> None:
    placements.given([]).when(place()).then([InternshipPlaced(
        placement_id="i1", base_id="b1", host_enterprise_id="e1", student_name="赵磊", university="洛阳理工学院",
        major="软件工程", starts_on=date(2025, 7, 7), ends_on=date(2025, 8, 29))])


def test_a_full_or_closed_base_takes_no_student() -> None:
    placements.given([]).when(place(placed_at_base=2)).then_raises(code="internship.base_full", field="base_id")
    placements.given([]).when(place(base_places=None)).then_raises(code="internship.base_not_open")
    placements.given([]).when(place(ends_on=date(2025, 7, 6))).then_raises(InvalidCommand, field="ends_on")
    placements.given([]).when(place(student_name=" ")).then_raises(InvalidCommand, field="student_name")



def test_a_placement_is_recorded_once() -> None:
    placed = InternshipPlaced(placement_id="i1", base_id="b1", host_enterprise_id="e1", student_name="赵磊",
                              university="洛阳理工学院", major="", starts_on=date(2025, 7, 7), ends_on=None)
    placements.given([placed]).when(place()).then_raises(code="internship.placement_exists")

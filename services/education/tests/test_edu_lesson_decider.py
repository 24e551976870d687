"""Park lessons, Given/When/Then: scheduling, holding, attendance against the roster, make-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.education import (
    LessonAttendanceRecorded,
    LessonMakeupRecorded,
    ParkLessonCancelled,
    ParkLessonHeld,
    ParkLessonScheduled,
)
from redpark_education.domain import lesson
from redpark_platform.testkit import DeciderSpec

spec = DeciderSpec(lesson.decider)
NOW = datetime(2025, 6, 20, 2, 0, tzinfo=UTC)  # 10:00 in the park
ROSTER = frozenset({"m1", "m2"})
SCHEDULED = ParkLessonScheduled(lesson_id="L1", title="党史", topic="党史", lecturer_id="l1", venue="多功能厅",
                                scheduled_on=date(2025, 6, 20), quarter="2025-Q2")
HELD = ParkLessonHeld(lesson_id="L1", held_on=date(2025, 6, 20), quarter="2025-Q2", expected_members=2)


def schedule(**kw: object) -> lesson.ScheduleLesson:
    fields: dict[str, object] = {"lesson_id": "L1", "title": "党史", "topic": "党史", "lecturer_id": "l1",
                                 "venue": "多功能厅",
                                 "scheduled_on": date(2025, 6, 20), "lecturer_active": True, "now": NOW}
    fields.update(kw)
    return lesson.ScheduleLesson(**fields)  # type: ignore[arg-type]


def test_a_lesson_is_scheduled_with_lecturer_topic_venue_and_its_quarter() -> None:
    spec.given().when(schedule()).then([SCHEDULED])


def test_a_lesson_already_given_is_recorded_on_its_past_date() -> None:
    [event] = spec.given().when(schedule(scheduled_on=date(2025, 3, 19))).then([ParkLessonScheduled(
        lesson_id="L1", title="党史", topic="党史", lecturer_id="l1", venue="多功能厅", scheduled_on=date(2025, 3, 19),
        quarter="2025-Q1")])
    assert event.quarter == "2025-Q1"


def test_a_lesson_needs_a_venue_and_a_lecturer_of_the_corps() -> None:
    spec.given().when(schedule(venue=" ")).then_raises(code="lesson.venue_missing", field="venue")
    spec.given().when(schedule(lecturer_active=False)).then_raises(code="lecturer.unknown")


def test_a_lesson_is_scheduled_once() -> None:
    spec.given([SCHEDULED]).when(schedule()).then_raises(code="lesson.already_scheduled")


def test_a_held_lesson_needs_its_date() -> None:
    spec.given([SCHEDULED]).when(lesson.HoldLesson(lesson_id="L1", held_on=None, roster_size=2, now=NOW)) \
        .then_raises(code="lesson.date_required", field="held_on")


def test_a_lesson_is_held_on_a_past_or_present_day_and_counts_for_that_quarter() -> None:
    spec.given([SCHEDULED]).when(lesson.HoldLesson(lesson_id="L1", held_on=date(2025, 6, 20), roster_size=2,
                                                   now=NOW)).then([HELD])
    spec.given([SCHEDULED]).when(lesson.HoldLesson(lesson_id="L1", held_on=date(2025, 6, 21), roster_size=2,
                                                   now=NOW)).then_raises(code="date.in_future")
    spec.given([SCHEDULED, HELD]).when(lesson.HoldLesson(lesson_id="L1", held_on=date(2025, 6, 20), roster_size=2,
                                                         now=NOW)).then_raises(code="lesson.already_held")
    spec.given().when(lesson.HoldLesson(lesson_id="L1", held_on=date(2025, 6, 20), roster_size=2, now=NOW)) \
        .then_raises(code="lesson.unknown")


def test_attendance_is_taken_against_the_roster_on_the_lesson_date() -> None:
    spec.given([SCHEDULED, HELD]).when(lesson.RecordAttendance(lesson_id="L1", member_ids=["m1"], roster=ROSTER,
                                                               now=NOW)).then([LessonAttendanceRecorded(
                                                                   lesson_id="L1", held_on=date(2025, 6, 20),
                                                                   quarter="2025-Q2", member_ids=["m1"],
                                                                   recorded_at=NOW)])


def test_attendance_for_a_member_not_on_the_roster_is_refused() -> None:
    spec.given([SCHEDULED, HELD]).when(lesson.RecordAttendance(lesson_id="L1", member_ids=["m1", "m9"],
                                                               roster=ROSTER, now=NOW)) \
        .then_raises(code="attendance.not_in_roster", field="member_ids")


def test_attendance_before_the_lesson_is_held_is_refused_and_a_repeat_changes_nothing() -> None:
    spec.given([SCHEDULED]).when(lesson.RecordAttendance(lesson_id="L1", member_ids=["m1"], roster=ROSTER,
                                                         now=NOW)).then_raises(code="lesson.not_held")
    first = LessonAttendanceRecorded(lesson_id="L1", held_on=date(2025, 6, 20), quarter="2025-Q2", member_ids=["m1"],
                                     recorded_at=NOW)
    spec.given([SCHEDULED, HELD, first]).when(lesson.RecordAttendance(
        lesson_id="L1", member_ids=["m1"], roster=ROSTER, now=NOW)).then([])
    spec.given([SCHEDULED, HELD]).when(lesson.RecordAttendance(lesson_id="L1", member_ids=[], roster=ROSTER,
                                                               now=NOW)).then_raises(code="attendance.empty")


def test_a_member_who_missed_the_lesson_makes_it_up_afterwards() -> None:
    later = datetime(2025, 7, 2, 2, tzinfo=UTC)
    spec.given([SCHEDULED, HELD]).when(lesson.RecordMakeup(lesson_id="L1", member_id="m2",
                                                           made_up_on=date(2025, 7, 1), roster=ROSTER, now=later)) \
        .then([LessonMakeupRecorded(lesson_id="L1", quarter="2025-Q2", member_id="m2", made_up_on=date(2025, 7, 1))])


def test_a_makeup_is_refused_for_who_attended_for_who_was_not_on_the_roster_and_before_the_lesson() -> None:
    attended = LessonAttendanceRecorded(lesson_id="L1", held_on=date(2025, 6, 20), quarter="2025-Q2",
                                        member_ids=["m1"], recorded_at=NOW)
    spec.given([SCHEDULED, HELD, attended]).when(lesson.RecordMakeup(
        lesson_id="L1", member_id="m1", made_up_on=date(2025, 6, 20), roster=ROSTER, now=NOW)) \
        .then_raises(code="attendance.already_attended")
    spec.given([SCHEDULED, HELD]).when(lesson.RecordMakeup(
        lesson_id="L1", member_id="m9", made_up_on=date(2025, 6, 20), roster=ROSTER, now=NOW)) \
        .then_raises(code="attendance.not_in_roster")
    spec.given([SCHEDULED, HELD]).when(lesson.RecordMakeup(
        lesson_id="L1", member_id="m2", made_up_on=date(2025, 6, 19), roster=ROSTER, now=NOW)) \
        .then_raises(code="attendance.makeup_before_lesson")


def test_only_a_lesson_not_yet_held_is_cancelled() -> None:
    spec.given([SCHEDULED]).when(lesson.CancelLesson(lesson_id="L1", reason="台风", now=NOW)).then([
        ParkLessonCancelled(lesson_id="L1", reason="台风", cancelled_on=date(2025, 6, 20))])
    spec.given([SCHEDULED, HELD]).when(lesson.CancelLesson(lesson_id="L1", reason="x", now=NOW)) \
        .then_raises(code="lesson.not_cancellable")


def test_the_park_day_is_read_in_the_park_time_zone() -> None:
    # 23:30 UTC on 19 June is already 20 June in Shanghai: a lesson on the 20th is not in the future.
    late_utc = datetime(2025, 6, 19, 23, 30, tzinfo=UTC)
    spec.given([SCHEDULED]).when(lesson.HoldLesson(lesson_id="L1", held_on=date(2025, 6, 20), roster_size=2,
                                                   now=late_utc)).then([HELD])

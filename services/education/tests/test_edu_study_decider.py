"""Monthly topics, self-study records and weekly branch study, Given/When/Then."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.education import MonthlyTopicPublished, SelfStudyFiled, WeeklyStudyHeld
from redpark_education.domain import self_study, topic, weekly_study
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 20, 2, tzinfo=UTC)
topics = DeciderSpec(topic.decider)
studies = DeciderSpec(self_study.decider)
weekly = DeciderSpec(weekly_study.decider)
JUNE = MonthlyTopicPublished(month="2025-06", title="党章", material="第一章", published_on=date(2025, 6, 20))


def test_one_topic_a_month_with_its_material() -> None:
    topics.given().when(topic.PublishTopic(month="2025-06", title="党章", material="第一章", now=NOW)).then([JUNE])
    topics.given([JUNE]).when(topic.PublishTopic(month="2025-06", title="x", material="y", now=NOW)) \
        .then_raises(code="topic.already_published")
    topics.given().when(topic.PublishTopic(month="2025-06", title="党章", material=" ", now=NOW)) \
        .then_raises(code="topic.incomplete", field="material")
    topics.given().when(topic.PublishTopic(month="2025-6", title="党章", material="x", now=NOW)) \
        .then_raises(code="month.malformed")


def file(**kw: object) -> self_study.FileSelfStudy:
    fields: dict[str, object] = {"member_id": "m1", "month": "2025-06", "studied_on": date(2025, 6, 12),
                                 "content": "党章",
                                     "reflection": "心得", "branch_id": "br1", "topic_published": True, "now": NOW}
    fields.update(kw)
    return self_study.FileSelfStudy(**fields)  # type: ignore[arg-type]


FILED = SelfStudyFiled(member_id="m1", branch_id="br1", month="2025-06", studied_on=date(2025, 6, 12), content="党章",
                       reflection="心得", filed_on=date(2025, 6, 20), late=False)


def test_a_member_files_the_months_self_study() -> None:
    studies.given().when(file()).then([FILED])


def test_a_second_record_for_the_same_month_is_refused() -> None:
    studies.given([FILED]).when(file(studied_on=date(2025, 6, 15))).then_raises(code="self_study.already_filed",
                                                                                field="month")


def test_a_record_filed_after_the_month_ended_is_late() -> None:
    july = datetime(2025, 7, 3, 2, tzinfo=UTC)
    studies.given().when(file(now=july)).then([SelfStudyFiled(
        member_id="m1", branch_id="br1", month="2025-06", studied_on=date(2025, 6, 12), content="党章",
        reflection="心得", filed_on=date(2025, 7, 3), late=True)])


def test_a_record_needs_the_roster_the_topic_a_date_in_the_month_and_text() -> None:
    studies.given().when(file(branch_id=None)).then_raises(code="member.not_in_roster")
    studies.given().when(file(topic_published=False)).then_raises(code="self_study.no_topic")
    studies.given().when(file(month="2025-07", studied_on=date(2025, 7, 1))) \
        .then_raises(code="self_study.month_in_future")
    studies.given().when(file(studied_on=date(2025, 5, 31))).then_raises(code="self_study.date_outside_month")
    studies.given().when(file(reflection="")).then_raises(code="self_study.incomplete", field="reflection")


def test_the_reflection_is_declared_personal_and_sealed_per_member() -> None:
    assert SelfStudyFiled.personal_fields == ("reflection",) and SelfStudyFiled.personal_subject == "member_id"


def record(**kw: object) -> weekly_study.RecordWeeklyStudy:
    fields: dict[str, object] = {"branch_id": "br1", "held_on": date(2025, 6, 16), "minutes": 30, "topic": "党章",
                                     "attendee_member_ids": ["m1", "m2"], "branch_members": frozenset({"m1", "m2"}),
                                     "minimum_minutes": 30, "now": NOW}
    fields.update(kw)
    return weekly_study.RecordWeeklyStudy(**fields)  # type: ignore[arg-type]


WEEK = WeeklyStudyHeld(branch_id="br1", week="2025-W25", held_on=date(2025, 6, 16), minutes=30, topic="党章",
                       attendee_member_ids=["m1", "m2"], meets_minimum=True)


def test_a_branch_records_its_weekly_study_once_a_week() -> None:
    weekly.given().when(record()).then([WEEK])
    weekly.given([WEEK]).when(record(held_on=date(2025, 6, 19))) \
        .then_raises(code="weekly_study.week_already_recorded")


def test_a_study_shorter_than_the_plan_is_recorded_but_does_not_meet_the_minimum() -> None:
    [event] = weekly.given().when(record(minutes=15)).then([WeeklyStudyHeld(
        branch_id="br1", week="2025-W25", held_on=date(2025, 6, 16), minutes=15, topic="党章",
        attendee_member_ids=["m1", "m2"], meets_minimum=False)])
    assert not event.meets_minimum


def test_weekly_study_refusals() -> None:
    weekly.given().when(record(branch_members=None)).then_raises(code="branch.not_tracked")
    weekly.given().when(record(attendee_member_ids=["m9"])).then_raises(code="attendance.not_in_roster")
    weekly.given().when(record(attendee_member_ids=[])).then_raises(code="weekly_study.no_attendees")
    weekly.given().when(record(minutes=0)).then_raises(code="weekly_study.minutes_out_of_range")
    weekly.given().when(record(held_on=date(2025, 6, 21))).then_raises(code="date.in_future")

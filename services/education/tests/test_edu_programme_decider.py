"""The year's plan, the lecturer corps, annual themes and forums, Given/When/Then."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.education import (
    AnnualThemeDefined,
    EducationPlanSet,
    ForumOutcomeAdded,
    ForumSessionHeld,
    LecturerAppointed,
    LecturerRetired,
    LecturerTopicsUpdated,
    ThemeLinked,
)
from redpark_education.domain import forum, lecturer, plan, theme
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 20, 2, tzinfo=UTC)
TODAY = date(2025, 6, 20)


def test_the_years_targets_and_lessons_at_least_once_a_quarter() -> None:
    spec = DeciderSpec(plan.decider)
    spec.given().when(plan.SetPlan(year=2025, lecturer_corps_minimum=12, park_lessons_minimum=6,
                                   weekly_study_minutes=30, now=NOW)).then([EducationPlanSet(
                                       year=2025, lecturer_corps_minimum=12, park_lessons_minimum=6,
                                       weekly_study_minutes=30, set_on=TODAY)])
    spec.given().when(plan.SetPlan(year=2025, lecturer_corps_minimum=12, park_lessons_minimum=3,
                                   weekly_study_minutes=30, now=NOW)).then_raises(code="plan.lessons_below_quarterly")
    spec.given().when(plan.SetPlan(year=2025, lecturer_corps_minimum=0, park_lessons_minimum=4,
                                   weekly_study_minutes=30, now=NOW)).then_raises(code="plan.lecturers_too_few")
    spec.given().when(plan.SetPlan(year=2025, lecturer_corps_minimum=1, park_lessons_minimum=4,
                                   weekly_study_minutes=0, now=NOW)).then_raises(code="plan.minutes_out_of_range")
    assert plan.decider.fold([]).targets == plan.DEFAULT_TARGETS


APPOINTED = LecturerAppointed(lecturer_id="l1", name="李老", category="veteran_member", affiliation="老干部局",
                              topics=["党史"], appointed_on=TODAY)


def test_a_lecturer_is_appointed_once_with_at_least_one_topic() -> None:
    spec = DeciderSpec(lecturer.decider)
    appoint = lecturer.AppointLecturer(lecturer_id="l1", name="李老", category="veteran_member",
                                       affiliation="老干部局", topics=["党史", "党史", " "], now=NOW)
    spec.given().when(appoint).then([APPOINTED])
    spec.given([APPOINTED]).when(appoint).then_raises(code="lecturer.already_appointed")
    spec.given().when(lecturer.AppointLecturer(lecturer_id="l1", name="李老", category="expert", affiliation="",
                                               topics=[], now=NOW)).then_raises(code="lecturer.no_topics")


def test_topics_change_and_a_retired_lecturer_changes_no_more() -> None:
    spec = DeciderSpec(lecturer.decider)
    spec.given([APPOINTED]).when(lecturer.UpdateTopics(lecturer_id="l1", topics=["初心"], now=NOW)).then([
        LecturerTopicsUpdated(lecturer_id="l1", topics=["初心"], updated_on=TODAY)])
    retired = LecturerRetired(lecturer_id="l1", retired_on=TODAY)
    spec.given([APPOINTED]).when(lecturer.RetireLecturer(lecturer_id="l1", now=NOW)).then([retired])
    spec.given([APPOINTED, retired]).when(lecturer.UpdateTopics(lecturer_id="l1", topics=["x"], now=NOW)) \
        .then_raises(code="lecturer.retired")
    spec.given().when(lecturer.RetireLecturer(lecturer_id="l1", now=NOW)).then_raises(code="lecturer.unknown")


def defined(n: int) -> AnnualThemeDefined:
    return AnnualThemeDefined(year=2025, theme_id=f"t{n}", title=f"主题{n}", description="")


def test_five_themes_a_year_at_most() -> None:
    spec = DeciderSpec(theme.decider)
    spec.given().when(theme.DefineTheme(year=2025, theme_id="t1", title="主题1", description="", now=NOW)) \
        .then([defined(1)])
    spec.given([defined(1)]).when(theme.DefineTheme(year=2025, theme_id="t1", title="x", description="", now=NOW)) \
        .then_raises(code="theme.already_defined")
    spec.given([defined(n) for n in range(1, 6)]).when(theme.DefineTheme(
        year=2025, theme_id="t6", title="x", description="", now=NOW)).then_raises(code="theme.too_many")


def test_a_theme_links_the_topics_and_lessons_of_its_year() -> None:
    spec = DeciderSpec(theme.decider)

    def link(ref_year: int | None, theme_id: str = "t1") -> theme.LinkToTheme:
        return theme.LinkToTheme(year=2025, theme_id=theme_id, kind="topic", ref="2025-06", ref_year=ref_year, now=NOW)

    linked = ThemeLinked(year=2025, theme_id="t1", kind="topic", ref="2025-06")
    spec.given([defined(1)]).when(link(2025)).then([linked])
    spec.given([defined(1), linked]).when(link(2025)).then([])
    spec.given([defined(1)]).when(link(None)).then_raises(code="topic.unknown")
    spec.given([defined(1)]).when(link(2024)).then_raises(code="theme.other_year")
    spec.given([defined(1)]).when(link(2025, "t9")).then_raises(code="theme.unknown")


def test_a_forum_session_has_participants_and_outcomes() -> None:
    spec = DeciderSpec(forum.decider)
    record = forum.RecordSession(session_id="f1", forum="joint_conference", title="非公党建联席会",
                                 held_on=TODAY, participants=["王总", " "], outcomes=["共建协议"], now=NOW)
    held = ForumSessionHeld(session_id="f1", forum="joint_conference", title="非公党建联席会", held_on=TODAY,
                            participants=["王总"], outcomes=["共建协议"])
    spec.given().when(record).then([held])
    spec.given([held]).when(record).then_raises(code="forum.already_recorded")
    spec.given().when(forum.RecordSession(session_id="f1", forum="innovation", title="x", held_on=TODAY,
                                          participants=[], outcomes=[], now=NOW)
                                          ).then_raises(code="forum.no_participants")
    spec.given([held]).when(forum.AddOutcome(session_id="f1", outcome="研讨文集", now=NOW)).then([
        ForumOutcomeAdded(session_id="f1", outcome="研讨文集", added_on=TODAY)])
    spec.given().when(forum.AddOutcome(session_id="f1", outcome="x", now=NOW)).then_raises(code="forum.unknown")
    spec.given([held]).when(forum.AddOutcome(session_id="f1", outcome=" ", now=NOW)) \
        .then_raises(code="forum.outcome_empty")

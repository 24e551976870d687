"""The three guarantees as a pure computation, and closing a quarter and reminders as deciders."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.education import QuarterComplianceClosed, ReminderIssued
from redpark_education.domain import guarantees as g
from redpark_platform.testkit import DeciderSpec

BRANCH = g.TrackedBranch(branch_id="br1", name="一支部", established_on=date(2025, 1, 1))


def facts(**kw: object) -> g.Facts:
    fields: dict[str, object] = {
        "memberships": [g.Membership(member_id="m1", name="甲", branch_id="br1", joined_on=date(2025, 1, 1)),
                     g.Membership(member_id="m2", name="乙", branch_id="br1", joined_on=date(2025, 5, 10))],
        "branches": [BRANCH], "lessons": [g.HeldLesson(lesson_id="L1", held_on=date(2025, 5, 5))],
        "attended": frozenset(), "self_studies": {}, "topics": frozenset({"2025-04", "2025-05", "2025-06"}),
        "weekly": {}}
    fields.update(kw)
    return g.Facts(**fields)  # type: ignore[arg-type]


def line(result: g.Compliance, member_id: str) -> g.MemberLine:
    return next(m for m in result.members if m.member_id == member_id)


def test_a_member_who_joined_after_the_lesson_is_not_counted_absent() -> None:
    result = g.compliance("2025-Q2", date(2025, 6, 20), facts())
    assert line(result, "m1").lesson == "missing"
    assert line(result, "m2").lesson == "not_expected"


def test_attending_or_making_up_one_lesson_satisfies_the_quarter() -> None:
    result = g.compliance("2025-Q2", date(2025, 6, 20), facts(attended=frozenset({("L1", "m1")})))
    assert line(result, "m1").lesson == "attended" and "lesson" not in line(result, "m1").missing


def test_no_lesson_held_is_the_parks_gap_not_the_members() -> None:
    result = g.compliance("2025-Q2", date(2025, 6, 20), facts(lessons=[]))
    assert {m.lesson for m in result.members} == {"none_held"}


def test_self_study_late_missing_and_the_running_month_due() -> None:
    result = g.compliance("2025-Q2", date(2025, 6, 20), facts(self_studies={("m1", "2025-04"): True}))
    m1 = line(result, "m1")
    assert m1.late_months == ["2025-04"] and m1.missing_months == ["2025-05"] and m1.self_study == "missing"
    # m2 joined on 10 May: expected from May on
    assert line(result, "m2").missing_months == ["2025-05"]
    done = g.compliance("2025-06", date(2025, 6, 20), facts())
    assert line(done, "m1").self_study == "due"


def test_a_month_without_a_topic_expects_no_record() -> None:
    result = g.compliance("2025-05", date(2025, 6, 20), facts(topics=frozenset()))
    assert line(result, "m1").self_study == "not_expected"


def test_a_member_who_left_stops_being_expected() -> None:
    left = [g.Membership(member_id="m1", name="甲", branch_id="br1", joined_on=date(2025, 1, 1),
                         left_on=date(2025, 5, 1))]
    result = g.compliance("2025-Q2", date(2025, 6, 20), facts(memberships=left))
    m1 = line(result, "m1")
    # still owed April, when on the roster; nothing from the day of leaving on
    assert m1.lesson == "not_expected" and m1.missing_months == ["2025-04"]


def test_weekly_study_counts_ended_weeks_that_met_the_minimum() -> None:
    weekly = {("br1", "2025-W23"): True, ("br1", "2025-W24"): False}
    result = g.compliance("2025-06", date(2025, 6, 20), facts(weekly=weekly))
    [branch] = result.branches
    # Mondays 2, 9, 16 June: week 25 (16 June) is still running on the 20th
    assert (branch.weeks_expected, branch.weeks_held, branch.missing_weeks) == (2, 1, ["2025-W24"])
    assert "weekly_study" in line(result, "m1").missing


def test_a_branch_founded_mid_period_is_expected_from_its_founding() -> None:
    late = g.TrackedBranch(branch_id="br1", name="一支部", established_on=date(2025, 6, 10))
    result = g.compliance("2025-06", date(2025, 6, 30), facts(branches=[late]))
    assert result.branches[0].weeks_expected == 2  # 16 and 23 June; 30 June is running


def closed_result() -> g.Compliance:
    return g.compliance("2025-Q2", date(2025, 6, 30), facts(attended=frozenset({("L1", "m1")})))


def test_an_ended_quarter_is_closed_once_per_branch() -> None:
    spec = DeciderSpec(g.close_decider)
    now = datetime(2025, 7, 1, 2, tzinfo=UTC)
    [event] = spec.given().when(g.CloseQuarter(quarter="2025-Q2", result=closed_result(), now=now))._run()
    assert isinstance(event, QuarterComplianceClosed)
    assert (event.branch_id, event.members_expected, event.members_attended_lesson) == ("br1", 2, 1)
    spec.given([event]).when(g.CloseQuarter(quarter="2025-Q2", result=closed_result(), now=now)) \
        .then_raises(code="compliance.quarter_already_closed")
    spec.given().when(g.CloseQuarter(quarter="2025-Q2", result=closed_result(),
                                     now=datetime(2025, 6, 30, 2, tzinfo=UTC))) \
        .then_raises(code="compliance.quarter_not_ended")


def test_reminders_go_once_per_person_guarantee_and_period() -> None:
    spec = DeciderSpec(g.reminders_decider)
    now = datetime(2025, 6, 20, 2, tzinfo=UTC)
    missing = [g.Missing(guarantee="self_study", branch_id="br1", member_id="m1"),
               g.Missing(guarantee="weekly_study", branch_id="br1", member_id=None)]
    sent = [ReminderIssued(guarantee="self_study", period="2025-06", branch_id="br1", member_id="m1",
                           issued_on=date(2025, 6, 20)),
            ReminderIssued(guarantee="weekly_study", period="2025-06", branch_id="br1", member_id=None,
                           issued_on=date(2025, 6, 20))]
    spec.given().when(g.IssueReminders(period="2025-06", missing=missing, now=now)).then(sent)
    spec.given(sent).when(g.IssueReminders(period="2025-06", missing=missing, now=now)).then([])


def test_what_is_missing_becomes_reminders_for_members_and_branches() -> None:
    result = g.compliance("2025-06", date(2025, 6, 20), facts(weekly={}))
    kinds = {(m.guarantee, m.member_id) for m in g.missing_of(result)}
    assert ("weekly_study", None) in kinds and ("weekly_study", "m1") not in kinds


def test_the_month_end_reminders_start_14_days_before_the_months_last_day() -> None:
    assert g.month_end_reminder_period(date(2025, 5, 16)) is None
    assert g.month_end_reminder_period(date(2025, 5, 17)) == "2025-05"  # 31 May less 14 days
    assert g.month_end_reminder_period(date(2025, 5, 31)) == "2025-05"
    assert g.month_end_reminder_period(date(2025, 2, 13)) is None
    assert g.month_end_reminder_period(date(2025, 2, 14)) == "2025-02"  # 28 February less 14 days


def test_two_weeks_before_month_end_who_has_not_filed_and_which_branch_missed_a_week_is_behind() -> None:
    # 19 May: the week of 5 May passed without a weekly study, the week of 12 May was held; m1 filed May.
    result = g.compliance("2025-05", date(2025, 5, 19), facts(
        self_studies={("m1", "2025-05"): False}, weekly={("br1", "2025-W20"): True}))
    behind = g.behind_before_month_end(result)
    assert behind == [g.Missing(guarantee="self_study", branch_id="br1", member_id="m2"),
                      g.Missing(guarantee="weekly_study", branch_id="br1", member_id=None)]
    # The quarter's lesson m1 missed is not a month-end reminder.
    assert "lesson" in line(result, "m1").missing and all(m.guarantee != "lesson" for m in behind)

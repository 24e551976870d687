"""Contact points, visits and help plans: Given/When/Then, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.enterprise_support import (
    ContactPointAssigned,
    ContactPointReleased,
    HelpPlanAdopted,
    HelpPlanRevised,
    VisitMade,
)
from redpark_enterprise_support.domain import contact_point, help_plan, visit
from redpark_enterprise_support.domain.categories import categories_of
from redpark_platform.errors import InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 10, 2, 0, tzinfo=UTC)  # 10 June 2025, 10:00 in the park
MOVED_IN = date(2025, 1, 5)
cp = DeciderSpec(contact_point.decider)
vs = DeciderSpec(visit.decider)
hp = DeciderSpec(help_plan.decider)


def assign(contact_id: str = "cm-1", kind: str = "committee_member", since: date | None = MOVED_IN,
           branch_active: bool = False) -> contact_point.AssignContactPoint:
    return contact_point.AssignContactPoint(enterprise_id="e1", contact_kind=kind, contact_id=contact_id,  # type: ignore[arg-type]
                                            contact_name="王建国", in_park_since=since, branch_active=branch_active,
                                            now=NOW)


def assigned(contact_id: str = "cm-1", on: date = date(2025, 2, 1)) -> ContactPointAssigned:
    return ContactPointAssigned(enterprise_id="e1", contact_kind="committee_member", contact_id=contact_id,
                                contact_name="王建国", replaced_contact_id=None, assigned_on=on)


def test_an_enterprise_in_the_park_gets_a_committee_member_as_its_contact_point() -> None:
    cp.given([]).when(assign()).then([assigned(on=date(2025, 6, 10))])


def test_a_branch_is_a_contact_point_only_while_it_is_active() -> None:
    cp.given([]).when(assign("br1", "branch", branch_active=False)).then_raises(
        code="contact_point.branch_not_active", field="contact_id")
    events = cp.given([]).when(assign("br1", "branch", branch_active=True)).then([ContactPointAssigned(
        enterprise_id="e1", contact_kind="branch", contact_id="br1", contact_name="王建国", replaced_contact_id=None,
        assigned_on=date(2025, 6, 10))])
    assert events[0].contact_kind == "branch"


def test_an_enterprise_that_is_not_in_the_park_gets_no_contact_point() -> None:
    cp.given([]).when(assign(since=None)).then_raises(code="contact_point.enterprise_not_in_park")


def test_a_new_contact_point_replaces_the_old_one_and_the_same_one_again_changes_nothing() -> None:
    cp.given([assigned()]).when(assign("cm-2")).then([ContactPointAssigned(
        enterprise_id="e1", contact_kind="committee_member", contact_id="cm-2", contact_name="王建国",
        replaced_contact_id="cm-1", assigned_on=date(2025, 6, 10))])
    cp.given([assigned()]).when(assign("cm-1")).then([])


def test_a_contact_point_of_an_earlier_stay_does_not_carry_over_after_moving_back_in() -> None:
    cp.given([assigned(on=date(2024, 3, 1))]).when(assign("cm-1")).then([ContactPointAssigned(
        enterprise_id="e1", contact_kind="committee_member", contact_id="cm-1", contact_name="王建国",
        replaced_contact_id=None, assigned_on=date(2025, 6, 10))])


def test_a_contact_point_needs_a_contact_and_a_past_date() -> None:
    cmd = contact_point.AssignContactPoint(enterprise_id="e1", contact_kind="committee_member", contact_id=" ",
                                           contact_name="", in_park_since=MOVED_IN, branch_active=False, now=NOW)
    cp.given([]).when(cmd).then_raises(InvalidCommand, code="contact_point.contact_missing")
    later = contact_point.AssignContactPoint(enterprise_id="e1", contact_kind="committee_member", contact_id="x",
                                             contact_name="x", in_park_since=MOVED_IN, branch_active=False, now=NOW,
                                             effective_on=date(2025, 7, 1))
    cp.given([]).when(later).then_raises(InvalidCommand, code="date.in_future")


def test_releasing_ends_the_contact_point_and_needs_one() -> None:
    release = contact_point.ReleaseContactPoint(enterprise_id="e1", reason="调离", now=NOW)
    cp.given([assigned()]).when(release).then([ContactPointReleased(
        enterprise_id="e1", contact_id="cm-1", released_on=date(2025, 6, 10), reason="调离")])
    cp.given([]).when(release).then_raises(NotFound, code="contact_point.none")


def record(**kw: object) -> visit.RecordVisit:
    base: dict[str, object] = {"visit_id": "v1", "enterprise_id": "e1", "visitors": ["王建国", " 李红 ", "王建国"],
                                   "findings": " 研发用房紧张 ", "recorded_by": "staff-1", "in_park_since": MOVED_IN, "now": NOW,
                                   "visited_on": date(2025, 6, 3)}
    base.update(kw)
    return visit.RecordVisit(**base)  # type: ignore[arg-type]


def test_a_visit_records_who_went_when_and_what_was_found() -> None:
    vs.given([]).when(record()).then([VisitMade(visit_id="v1", enterprise_id="e1", visited_on=date(2025, 6, 3),
                                                visitors=["王建国", "李红"], findings="研发用房紧张",
                                                recorded_by="staff-1")])


def test_a_visit_to_an_enterprise_that_has_left_is_refused() -> None:
    vs.given([]).when(record(in_park_since=None)).then_raises(code="visit.enterprise_not_in_park",
                                                              field="enterprise_id")


def test_a_visit_is_not_dated_before_the_enterprise_moved_in() -> None:
    vs.given([]).when(record(visited_on=date(2025, 1, 4))).then_raises(InvalidCommand, code="visit.before_move_in",
                                                                       field="visited_on")


def test_a_visit_needs_visitors_and_findings_and_is_recorded_once() -> None:
    vs.given([]).when(record(visitors=[" "])).then_raises(InvalidCommand, code="visit.visitors_missing")
    vs.given([]).when(record(findings="")).then_raises(InvalidCommand, code="visit.findings_missing")
    vs.given([]).when(record(visited_on=date(2025, 6, 11))).then_raises(InvalidCommand, code="date.in_future")
    made = VisitMade(visit_id="v1", enterprise_id="e1", visited_on=date(2025, 6, 3), visitors=["王建国"],
                     findings="x", recorded_by="s")
    vs.given([made]).when(record()).then_raises(code="visit.already_recorded")


def plan(**kw: object) -> help_plan.AdoptHelpPlan:
    base: dict[str, object] = {"enterprise_id": "e1", "year": 2025, "category": "startup", "measures": ["对接种子资金", " "],
                                   "enterprise_in_park": True, "visits_this_year": 1, "now": NOW}
    base.update(kw)
    return help_plan.AdoptHelpPlan(**base)  # type: ignore[arg-type]


ADOPTED = HelpPlanAdopted(enterprise_id="e1", year=2025, category="startup", measures=["对接种子资金"],
                          adopted_on=date(2025, 6, 10))


def test_a_help_plan_is_made_by_category_after_a_visit_this_year() -> None:
    hp.given([]).when(plan()).then([ADOPTED])
    hp.given([]).when(plan(visits_this_year=0)).then_raises(code="help_plan.not_visited")
    hp.given([]).when(plan(enterprise_in_park=False)).then_raises(code="help_plan.enterprise_not_in_park")


def test_a_help_plan_is_revised_when_it_changes_and_unchanged_otherwise() -> None:
    hp.given([ADOPTED]).when(plan(category="growing")).then([HelpPlanRevised(
        enterprise_id="e1", year=2025, category="growing", measures=["对接种子资金"], revised_on=date(2025, 6, 10))])
    hp.given([ADOPTED]).when(plan()).then([])


def test_a_help_plan_lists_measures_and_is_for_the_current_year() -> None:
    hp.given([]).when(plan(measures=[" "])).then_raises(InvalidCommand, code="help_plan.measures_missing")
    hp.given([]).when(plan(year=2024)).then_raises(InvalidCommand, code="help_plan.wrong_year", field="year")


def test_categories_follow_the_tech_flag_and_the_headcount() -> None:
    assert categories_of(True, 30) == ["any_enterprise", "tech_enterprise", "small_enterprise"]
    assert categories_of(False, 51) == ["any_enterprise", "non_tech_enterprise"]

"""The quarterly assessment's pure rules: scoring, the veto, eligibility; the rules, quarter and
department deciders Given/When/Then. No I/O."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from redpark_contracts.organization_assessment import (
    AssessmentQuarterClosed,
    AssessmentRulesSet,
    DepartmentItemScore,
    DepartmentRegistered,
    DepartmentScored,
    ScoringItem,
    VetoCondition,
)
from redpark_organization.domain import assessment as a
from redpark_organization.domain import department as d
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit.gwt import DeciderSpec

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 4, 2, 9, 0, tzinfo=TZ)  # Q2 2026: Q1 has ended


def item(key: str, metric: str, target: float, points: float) -> ScoringItem:
    return ScoringItem(key=key, label=key, metric=metric, target=target, points=points,  # type: ignore[arg-type]
                       rule_text=f"rule {key}")


RULES = a.Rules(
    year=2026,
    items=[item("cov", "coverage_rate", 1.0, 40), item("visits", "support_visits", 4, 40),
           item("lessons", "party_lessons", 1, 20)],
    veto=[VetoCondition(metric="party_lessons", comparison="at_least", threshold=1, rule_text="未上党课")],
    department_items=[],
    award_threshold=60,
)


# --- quarters --------------------------------------------------------------------------------------


def test_quarters_are_read_in_both_spellings_and_bounded_by_calendar_days() -> None:
    assert a.normalize_quarter("2026Q1") == a.normalize_quarter("2026-Q1") == "2026-Q1"
    assert a.quarter_bounds("2024-Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert a.quarter_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert a.quarter_of(date(2026, 7, 1)) == "2026-Q3"
    assert a.quarter_months("2026-Q2") == ["2026-04", "2026-05", "2026-06"]
    with pytest.raises(InvalidCommand) as bad:
        a.parse_quarter("2026-Q5")
    assert bad.value.code == "quarter.malformed" and bad.value.field == "quarter"


# --- scoring ---------------------------------------------------------------------------------------


def test_an_item_earns_its_points_in_proportion_up_to_its_target() -> None:
    card = a.scorecard("branch", "b1", "一支部", {"coverage_rate": 0.5, "support_visits": 6, "party_lessons": 1}, RULES)
    by_key = {i.key: i for i in card.items}
    assert by_key["cov"].points_earned == 20 and by_key["cov"].fact == 0.5 and by_key["cov"].target == 1.0
    assert by_key["visits"].points_earned == 40  # beyond the target earns no more
    assert by_key["lessons"].rule_text == "rule lessons" and by_key["lessons"].points_possible == 20
    assert (card.score, card.possible, card.vetoed) == (80, 100, False)


def test_party_building_vetoes_a_branch_which_keeps_its_score() -> None:
    card = a.scorecard("branch", "b1", "一支部", {"coverage_rate": 1.0, "support_visits": 4}, RULES)
    assert card.vetoed and card.veto_reasons == ["未上党课"]
    assert card.score == 80  # shown with its score


def test_the_general_branch_is_scored_on_its_own_items_and_not_vetoed_here() -> None:
    rules = a.default_rules(2026)
    card = a.scorecard("general_branch", "gb", "党总支", {"quarterlies_held": 2}, rules)
    assert {i.key for i in card.items} == {"gb_quarterlies", "gb_rules", "gb_committee", "gb_volunteer"}
    assert card.possible == 100 and card.score == 25 and not card.vetoed


def test_the_default_rules_add_up_and_veto_on_party_lessons_and_handling() -> None:
    rules = a.default_rules(2026)
    assert rules.is_default and a.possible(rules, "branch") == 100 and a.possible(rules, "department") == 100
    assert rules.award_threshold == 80
    assert {v.metric for v in rules.veto} == {"party_lessons", "organizational_handlings"}
    flagged = a.scorecard("branch", "b", "b", {"party_lessons": 1, "organizational_handlings": 1}, rules)
    assert flagged.vetoed and flagged.veto_reasons == ["本季度被组织处置的，党建考核一票否决"]


def test_a_department_is_scored_by_hand_and_may_be_vetoed() -> None:
    rules = a.default_rules(2026)
    card = a.department_card("d1", "招商部", [DepartmentItemScore(key="service", points=25)], True, "推进不力", rules)
    assert card.score == 25 and card.possible == 100 and card.vetoed and card.veto_reasons == ["推进不力"]
    assert [i.points_earned for i in card.items] == [0, 0, 25, 0]


def test_eligibility_needs_closed_quarters_no_veto_and_the_threshold() -> None:
    good = a.scorecard("branch", "b1", "b1", {"coverage_rate": 1.0, "support_visits": 4, "party_lessons": 1}, RULES)
    weak = a.scorecard("branch", "b1", "b1", {"coverage_rate": 0.0, "support_visits": 0, "party_lessons": 1}, RULES)
    vetoed = a.scorecard("branch", "b1", "b1", {"coverage_rate": 1.0, "support_visits": 4}, RULES)
    assert a.award_eligibility([], 60) == (False, "本年度尚无已结束（关账）的季度考核")
    assert a.award_eligibility([good, weak], 60)[0] is True  # average 60
    ok, reason = a.award_eligibility([weak], 60)
    assert not ok and "低于评优门槛" in reason
    ok, reason = a.award_eligibility([good, vetoed], 60)
    assert not ok and "一票否决" in reason


# --- the rules decider -------------------------------------------------------------------------------

rules_spec = DeciderSpec(a.rules_decider)


def set_rules(**over: object) -> a.SetRules:
    base: dict[str, object] = dict(year=2026, items=RULES.items, veto=RULES.veto, department_items=[],
                                   award_threshold=60.0, set_by="admin", now=NOW)
    base.update(over)
    return a.SetRules(**base)  # type: ignore[arg-type]


def test_the_park_sets_its_rules_for_a_year() -> None:
    rules_spec.given([]).when(set_rules()).then([AssessmentRulesSet(
        year=2026, items=RULES.items, veto=RULES.veto, department_items=[], award_threshold=60.0, set_by="admin",
        set_on=date(2026, 4, 2))])


@pytest.mark.parametrize(("over", "code", "field"), [
    ({"items": []}, "assessment.no_items", "items"),
    ({"items": [item("x", "support_visits", 1, 10), item("x", "support_visits", 1, 10)]},
     "assessment.item_key_invalid", "items[1].key"),
    ({"items": [item("x", "coverage_rate", 2, 10)]}, "assessment.rate_target_above_one", "items[0].target"),
    ({"items": [item("x", "support_visits", -1, 10)]}, "assessment.number_invalid", "items[0].target"),
    ({"items": [item("x", "support_visits", 1, 0)]}, "assessment.number_invalid", "items[0].points"),
    ({"award_threshold": 101.0}, "assessment.threshold_above_possible", "award_threshold"),
    ({"year": 2099}, "assessment.year_out_of_range", "year"),
])
def test_rules_that_cannot_work_are_refused_naming_the_field(over: dict[str, object], code: str, field: str) -> None:
    rules_spec.given([]).when(set_rules(**over)).then_raises(InvalidCommand, code=code, field=field)


# --- closing a quarter ---------------------------------------------------------------------------------

quarter_spec = DeciderSpec(a.quarter_decider)


def test_an_ended_quarter_is_closed_once_with_its_cards() -> None:
    card = a.scorecard("branch", "b1", "b1", {"party_lessons": 1}, RULES)
    close = a.CloseQuarter(quarter="2026Q1", scorecards=[card], award_threshold=60, closed_by="admin", now=NOW)
    closed = AssessmentQuarterClosed(quarter="2026-Q1", award_threshold=60, scorecards=[card], closed_by="admin",
                                     closed_on=date(2026, 4, 2))
    quarter_spec.given([]).when(close).then([closed])
    quarter_spec.given([closed]).when(close).then_raises(DomainError, code="assessment.quarter_already_closed",
                                                         field="quarter")


def test_a_quarter_not_yet_ended_cannot_be_closed() -> None:
    close = a.CloseQuarter(quarter="2026-Q2", scorecards=[], award_threshold=60, closed_by="admin", now=NOW)
    quarter_spec.given([]).when(close).then_raises(DomainError, code="assessment.quarter_not_ended", field="quarter")


# --- departments -----------------------------------------------------------------------------------------

dept_spec = DeciderSpec(d.decider)
REGISTERED = DepartmentRegistered(department_id="d1", name="招商服务部", head="王五", registered_on=date(2026, 4, 2))
ITEMS = a.default_rules(2026).department_items


def score(**over: object) -> d.ScoreDepartment:
    base: dict[str, object] = dict(department_id="d1", quarter="2026-Q1",
                                   items=[DepartmentItemScore(key="service", points=28)], vetoed=False, veto_reason="",
                                   scored_by="admin", department_items=ITEMS, quarter_closed=False, now=NOW)
    base.update(over)
    return d.ScoreDepartment(**base)  # type: ignore[arg-type]


def test_a_department_is_registered_once() -> None:
    cmd = d.RegisterDepartment(department_id="d1", name=" 招商服务部 ", head="王五", now=NOW)
    dept_spec.given([]).when(cmd).then([REGISTERED])
    dept_spec.given([REGISTERED]).when(cmd).then_raises(DomainError, code="department.already_registered")
    dept_spec.given([]).when(d.RegisterDepartment(department_id="d2", name="x", head=" ", now=NOW)).then_raises(
        InvalidCommand, code="department.head_missing", field="head")


def test_the_general_branch_scores_a_department_for_a_quarter() -> None:
    dept_spec.given([REGISTERED]).when(score(vetoed=True, veto_reason=" 责任不落实 ")).then([DepartmentScored(
        department_id="d1", quarter="2026-Q1", items=[DepartmentItemScore(key="service", points=28)], vetoed=True,
        veto_reason="责任不落实", scored_by="admin", scored_on=date(2026, 4, 2))])


@pytest.mark.parametrize(("over", "error", "code", "field"), [
    ({"items": [DepartmentItemScore(key="nope", points=1)]}, InvalidCommand, "department.item_unknown", "items[0].key"),
    ({"items": [DepartmentItemScore(key="service", points=31)]}, InvalidCommand, "department.points_out_of_range",
     "items[0].points"),
    ({"vetoed": True}, InvalidCommand, "department.veto_reason_missing", "veto_reason"),
    ({"quarter_closed": True}, DomainError, "assessment.quarter_already_closed", "quarter"),
    ({"quarter": "2026-Q3"}, InvalidCommand, "assessment.quarter_not_started", "quarter"),
])
def test_department_scores_out_of_the_rules_are_refused(over: dict[str, object], error: type[Exception], code: str,
                                                         field: str) -> None:
    dept_spec.given([REGISTERED]).when(score(**over)).then_raises(error, code=code, field=field)


def test_an_unknown_department_is_not_scored() -> None:
    dept_spec.given([]).when(score()).then_raises(NotFound, code="department.unknown")


def test_inspections_are_scored_against_twice_a_year_not_once_a_quarter() -> None:
    old = date(2025, 3, 1)  # existed for every half-year below
    # the half-year's first quarter: nothing due yet, unless the quarter's inspection failed
    assert a.inspection_half_year("2026-Q1", old, 0, 0, 0) == 1.0
    assert a.inspection_half_year("2026-Q3", old, 0, 1, 0) == 0.0
    assert a.inspection_half_year("2026-Q3", old, 1, 2, 1) == 1.0
    # its second quarter closes the half-year: one passed inspection in it is the plan met
    assert a.inspection_half_year("2026-Q2", old, 0, 0, 0) == 0.0
    assert a.inspection_half_year("2026-Q2", old, 1, 0, 0) == 1.0  # passed in Q1, none needed in Q2
    assert a.inspection_half_year("2026-Q4", old, 1, 1, 1) == 1.0
    # a branch established after the half-year began is not held to the whole of it
    assert a.inspection_half_year("2026-Q4", date(2026, 8, 1), 0, 0, 0) == 1.0
    assert a.inspection_half_year("2026-Q4", date(2026, 8, 1), 0, 1, 0) == 0.0
    assert a.inspection_half_year("2026-Q4", date(2026, 7, 1), 0, 0, 0) == 0.0


def test_the_default_inspection_item_reads_the_half_year_metric() -> None:
    inspection = next(i for i in a.default_rules(2026).items if i.key == "inspection")
    assert (inspection.metric, inspection.target, inspection.points) == ("inspection_half_year", 1.0, 10)
    assert "两次" in inspection.rule_text

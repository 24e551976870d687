"""The quarterly assessment (季度考核): facts + the park's rules → a scorecard, and the veto.

Pure. A unit's facts are plain numbers per metric (gathered by the application layer from the read
models); the rules (items with weights and targets, the veto, the award threshold) are the park's,
set per year (`SetRules`, stream `assessment-rules-<year>`), the defaults below when none were set.
An item earns its points in full at its target and in proportion below it, so staff can read on
the card how far a branch is from each target. Party building is the veto (一票否决): a unit
breaking a veto condition is shown with its score but marked vetoed, and is not eligible for awards.

Closing a quarter (`CloseQuarter`, stream `assessment-quarter-<YYYY-Qn>`) stores the scorecards
as computed at that moment: a closed quarter's score never changes afterwards.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import assert_never, get_args

import msgspec

from redpark_contracts.organization_assessment import (
    AssessmentQuarterClosed,
    AssessmentRulesSet,
    DepartmentItem,
    DepartmentItemScore,
    ItemScore,
    Metric,
    Scorecard,
    ScoringItem,
    UnitKind,
    VetoCondition,
)
from redpark_platform import calendar
from redpark_platform.calendar import park_date
from redpark_platform.calendar import quarter_of as quarter_of  # the assessment's quarters are the calendar's
from redpark_platform.decider import Decider, DomainError, InvalidCommand

from .errors import ERRORS

METRICS: frozenset[str] = frozenset(get_args(Metric))
# Metrics that are shares (0..1): their target cannot exceed 1.
RATES = frozenset({"coverage_rate", "lesson_attendance_rate", "self_study_rate", "inspection_half_year"})

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")


# --- quarters ------------------------------------------------------------------------------------
# Periods come from the park calendar (one spelling, `YYYY-Qn`). This service also reads the compact
# `YYYYQn` (enterprise-support's) at its edge and answers a malformed quarter with its own words, which
# its API has always given; the calendar's bounds and months are used as they are.


def parse_quarter(text: str, field: str = "quarter") -> tuple[int, int]:
    """`YYYY-Qn` (education's spelling); `YYYYQn` (enterprise-support's) is read too."""
    m = _QUARTER.match(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise ERRORS.error("quarter.malformed", field=field, field_value=field, text=text)
    return int(m.group(1)), int(m.group(2))


def normalize_quarter(text: str, field: str = "quarter") -> str:
    year, q = parse_quarter(text, field)
    return f"{year:04d}-Q{q}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of the quarter."""
    return calendar.quarter_bounds(normalize_quarter(quarter))


def quarter_months(quarter: str) -> list[str]:
    return calendar.months_of_quarter(normalize_quarter(quarter))


# --- the rules -----------------------------------------------------------------------------------


class Rules(msgspec.Struct, frozen=True, kw_only=True):
    """The rules in force for a year; `is_default` when the park has not set its own."""

    year: int
    items: list[ScoringItem]
    veto: list[VetoCondition]
    department_items: list[DepartmentItem]
    award_threshold: float
    is_default: bool = False


DEFAULT_AWARD_THRESHOLD = 80.0


def default_rules(year: int) -> Rules:
    """The defaults (documented in the README): 100 points for a branch, 100 for the general branch,
    100 for a department; party lessons and organizational handling are the veto."""

    def b(key: str, label: str, metric: Metric, target: float, points: float, text: str) -> ScoringItem:
        return ScoringItem(key=key, label=label, metric=metric, target=target, points=points, rule_text=text)

    def g(key: str, label: str, metric: Metric, target: float, points: float, text: str) -> ScoringItem:
        return ScoringItem(key=key, label=label, metric=metric, target=target, points=points, rule_text=text,
                           applies_to="general_branch")

    items = [
        b("coverage", "组织覆盖", "coverage_rate", 1.0, 15, "负责楼栋内企业党的组织和工作全覆盖（按覆盖比例得分）"),
        b("rules", "制度上墙", "rules_posted", 7, 5,
          "支部七项制度建立并上墙（会议、党课、主题党日、民主生活、民主评议党员、党员汇报、报告工作）"),
        b("inspection", "检查考核", "inspection_half_year", 1.0, 10,
          "党总支每年对支部检查不少于两次（每半年至少一次）：半年内接受检查并通过的得分；"
          "半年的第一个季度尚未检查的不扣分，本季度检查未通过的不得分"),
        b("member_meeting", "支部党员大会", "member_meetings", 1, 5, "每季度召开一次支部党员大会"),
        b("committee_meeting", "支委会", "committee_meetings", 3, 5, "每月召开一次支委会"),
        b("group_meeting", "党小组会", "group_meetings", 3, 5, "每月召开一次党小组会"),
        b("party_lesson", "党课", "party_lessons", 1, 5, "每季度至少上一次党课"),
        b("theme_day", "主题党日", "theme_days", 3, 5, "每月开展一次主题党日活动"),
        b("park_lesson", "大党课参学", "lesson_attendance_rate", 1.0, 10,
          "党员参加本季度园区大党课（含补课）的比例；本季度未举办大党课的得满分"),
        b("self_study", "自学记录", "self_study_rate", 1.0, 10, "党员每月提交自学记录的比例"),
        b("weekly_study", "周学习", "weekly_study_weeks", 12, 5, "每周企业例会后开展支部学习（12周得满分）"),
        b("visits", "走访服务企业", "support_visits", 3, 10, "本季度走访服务所属企业（3次得满分）"),
        b("quarterlies", "四个一活动", "quarterly_participations", 1, 5, "所属企业参加本季度“四个一”活动"),
        b("volunteer", "志愿服务", "volunteer_hours", 20, 5, "支部党员志愿服务时长（20小时得满分）"),
        g("gb_quarterlies", "四个一", "quarterlies_held", 4, 50,
          "每季度举办企业座谈会、项目洽谈会、团建活动、科技交流论坛各一次"),
        g("gb_rules", "制度上墙", "rules_posted", 10, 15, "党总支十项制度建立并上墙"),
        g("gb_committee", "总支委员会", "committee_meetings", 3, 20, "每月召开一次总支委员会"),
        g("gb_volunteer", "志愿服务活动", "volunteer_activities", 1, 15, "党总支每季度组织志愿服务或科技扶贫活动"),
    ]
    veto = [
        VetoCondition(metric="organizational_handlings", comparison="at_most", threshold=0,
                      rule_text="本季度被组织处置的，党建考核一票否决"),
        VetoCondition(metric="party_lessons", comparison="at_least", threshold=1,
                      rule_text="本季度未上党课（三会一课不落实）的，党建考核一票否决"),
    ]
    departments = [
        DepartmentItem(key="political_study", label="政治理论学习", points=20),
        DepartmentItem(key="party_duties", label="落实党建工作责任", points=30),
        DepartmentItem(key="service", label="服务企业与共建", points=30),
        DepartmentItem(key="conduct", label="党风廉政与作风建设", points=20),
    ]
    return Rules(year=year, items=items, veto=veto, department_items=departments,
                 award_threshold=DEFAULT_AWARD_THRESHOLD, is_default=True)


def rules_from_event(event: AssessmentRulesSet) -> Rules:
    return Rules(year=event.year, items=list(event.items), veto=list(event.veto),
                 department_items=list(event.department_items), award_threshold=event.award_threshold)


def possible(rules: Rules, unit_kind: UnitKind) -> float:
    if unit_kind == "department":
        return sum(i.points for i in rules.department_items)
    return sum(i.points for i in rules.items if i.applies_to == unit_kind)


# --- facts that are rules of their own ----------------------------------------------------------


def inspection_half_year(quarter: str, established_on: date, passed_in_half: int, held_in_quarter: int,
                         passed_in_quarter: int) -> float:
    """The plan (三(三)4) asks the general branch to inspect each branch at least twice a year, i.e. once per
    half-year (as the overdue list reads it), not once a quarter. 1.0 when the branch has met it by the
    quarter's end, else 0.0:
    - the half-year's second quarter (Q2, Q4) closes it: met when an inspection in the half-year (up to the
      quarter's last day) was passed, or when the branch was established after the half-year began (it
      could not be held to the whole half);
    - its first quarter (Q1, Q3): nothing is due yet, so met unless the branch was inspected in the quarter
      and failed every time."""
    year, q = parse_quarter(quarter)
    half_first = date(year, 1 if q <= 2 else 7, 1)
    if q in (1, 3):
        return 0.0 if held_in_quarter > 0 and passed_in_quarter == 0 else 1.0
    if passed_in_half > 0:
        return 1.0
    return 1.0 if established_on > half_first and held_in_quarter == 0 else 0.0


# --- scoring -------------------------------------------------------------------------------------


def _round(x: float) -> float:
    return round(x + 0.0, 2)


def score_item(item: ScoringItem, fact: float) -> ItemScore:
    share = 1.0 if item.target <= 0 else max(0.0, min(fact / item.target, 1.0))
    # Facts keep four decimals (shares, hours); points two.
    return ItemScore(key=item.key, label=item.label, fact=round(fact + 0.0, 4), target=item.target,
                     points_earned=_round(item.points * share), points_possible=item.points,
                     rule_text=item.rule_text)


def veto_reasons(veto: Sequence[VetoCondition], facts: Mapping[str, float]) -> list[str]:
    reasons = []
    for v in veto:
        fact = facts.get(v.metric, 0.0)
        broken = fact < v.threshold if v.comparison == "at_least" else fact > v.threshold
        if broken:
            reasons.append(v.rule_text)
    return reasons


def scorecard(unit_kind: UnitKind, unit_id: str, name: str, facts: Mapping[str, float],
              rules: Rules, facts_as_of: date | None = None) -> Scorecard:
    """A branch's or the general branch's card. The veto applies to branches (party building of the
    branch); the general branch is assessed by the higher committee, not vetoed here. `facts_as_of`: the
    day whose rosters and coverage the facts were counted on, shown with the card."""
    items = [score_item(i, facts.get(i.metric, 0.0)) for i in rules.items if i.applies_to == unit_kind]
    reasons = veto_reasons(rules.veto, facts) if unit_kind == "branch" else []
    return Scorecard(unit_kind=unit_kind, unit_id=unit_id, name=name, items=items,
                     score=_round(sum(i.points_earned for i in items)),
                     possible=_round(sum(i.points_possible for i in items)), vetoed=bool(reasons),
                     veto_reasons=reasons, facts_as_of=facts_as_of)


def department_card(department_id: str, name: str, scored: Sequence[DepartmentItemScore], vetoed: bool,
                    veto_reason: str, rules: Rules) -> Scorecard:
    """A park department's card: the inspection's points per item (missing: 0, not yet scored)."""
    given = {s.key: s.points for s in scored}
    items = [ItemScore(key=i.key, label=i.label, fact=given.get(i.key, 0.0), target=i.points,
                       points_earned=_round(min(given.get(i.key, 0.0), i.points)), points_possible=i.points,
                       rule_text="党总支检查评分") for i in rules.department_items]
    reasons = [veto_reason or "党建工作推进不力，一票否决：不得评为综合先进，负责人不得评为先进个人"] if vetoed else []
    return Scorecard(unit_kind="department", unit_id=department_id, name=name, items=items,
                     score=_round(sum(i.points_earned for i in items)),
                     possible=_round(sum(i.points_possible for i in items)), vetoed=vetoed,
                     veto_reasons=reasons)


def award_eligibility(cards: Sequence[Scorecard], threshold: float) -> tuple[bool, str]:
    """Award eligibility from one unit's closed cards of a year: never vetoed, average at least the
    threshold. The reason is for staff (Chinese)."""
    if not cards:
        return False, "本年度尚无已结束（关账）的季度考核"
    vetoed = [c for c in cards if c.vetoed]
    average = _round(sum(c.score for c in cards) / len(cards))
    if vetoed:
        return False, f"党建考核被一票否决（{len(vetoed)}个季度），不得参评先进"
    if average < threshold:
        return False, f"季度考核平均分 {average:g} 低于评优门槛 {threshold:g}"
    return True, f"季度考核平均分 {average:g}，达到评优门槛 {threshold:g}，无一票否决"


# --- setting the rules (stream `assessment-rules-<year>`) ----------------------------------------


def rules_stream_id(year: int) -> str:
    return f"assessment-rules-{year}"


def quarter_stream_id(quarter: str) -> str:
    return f"assessment-quarter-{quarter}"


class SetRules(msgspec.Struct, frozen=True, kw_only=True):
    """Set (or replace) the year's rules. Quarters already closed keep their snapshot; the live cards
    and award eligibility follow the new rules."""

    year: int
    items: list[ScoringItem]
    veto: list[VetoCondition]
    department_items: list[DepartmentItem]
    award_threshold: float
    set_by: str
    now: datetime


class RulesState(msgspec.Struct, frozen=True, kw_only=True):
    year: int | None = None
    times_set: int = 0


def _bad(code: str, detail: str, zh: str, field: str) -> InvalidCommand:
    return InvalidCommand(code, detail, detail_zh=zh, field=field)


def _check_number(x: float, field: str) -> None:
    if not math.isfinite(x) or x < 0:
        raise _bad("assessment.number_invalid", f"{field} must be a finite number, 0 or more",
                   "必须是不小于0的有效数字", field)


def _set_rules(command: SetRules, state: RulesState) -> list[AssessmentRulesSet]:
    today = park_date(command.now)
    if not 2000 <= command.year <= today.year + 1:
        raise _bad("assessment.year_out_of_range", f"rules can be set for 2000 to {today.year + 1}",
                   "考核年度超出范围", "year")
    if not command.items:
        raise _bad("assessment.no_items", "the rules need at least one item", "考核细则至少需要一项", "items")
    seen: set[str] = set()
    for n, item in enumerate(command.items):
        where = f"items[{n}]"
        if not item.key.strip() or item.key in seen:
            raise _bad("assessment.item_key_invalid", f"{where}.key is empty or repeated",
                       "考核项目编号不能为空或重复", f"{where}.key")
        seen.add(item.key)
        if not item.label.strip():
            raise _bad("assessment.item_label_missing", f"{where}.label is empty", "考核项目名称不能为空",
                       f"{where}.label")
        _check_number(item.target, f"{where}.target")
        _check_number(item.points, f"{where}.points")
        if item.points == 0:
            raise _bad("assessment.number_invalid", f"{where}.points must be more than 0", "分值必须大于0",
                       f"{where}.points")
        if item.metric in RATES and item.target > 1:
            raise _bad("assessment.rate_target_above_one", f"{where}.target of a rate is at most 1",
                       "比例类指标的目标值不能大于1", f"{where}.target")
    for n, v in enumerate(command.veto):
        _check_number(v.threshold, f"veto[{n}].threshold")
        if not v.rule_text.strip():
            raise _bad("assessment.veto_text_missing", f"veto[{n}].rule_text is empty", "否决条件须写明条文",
                       f"veto[{n}].rule_text")
    keys: set[str] = set()
    for n, d in enumerate(command.department_items):
        if not d.key.strip() or d.key in keys:
            raise _bad("assessment.item_key_invalid", f"department_items[{n}].key is empty or repeated",
                       "考核项目编号不能为空或重复", f"department_items[{n}].key")
        keys.add(d.key)
        _check_number(d.points, f"department_items[{n}].points")
    _check_number(command.award_threshold, "award_threshold")
    branch_possible = sum(i.points for i in command.items if i.applies_to == "branch")
    if command.award_threshold > branch_possible:
        raise _bad("assessment.threshold_above_possible",
                   f"award_threshold {command.award_threshold:g} is above the {branch_possible:g} points"
                   " a branch can earn",
                   "评优门槛不能高于支部考核总分", "award_threshold")
    return [AssessmentRulesSet(year=command.year, items=command.items, veto=command.veto,
                               department_items=command.department_items,
                               award_threshold=command.award_threshold, set_by=command.set_by, set_on=today)]


def _evolve_rules(state: RulesState, event: AssessmentRulesSet) -> RulesState:
    return RulesState(year=event.year, times_set=state.times_set + 1)


rules_decider: Decider[SetRules, RulesState, AssessmentRulesSet] = Decider(
    initial=RulesState(), decide=_set_rules, evolve=_evolve_rules)


# --- closing a quarter (stream `assessment-quarter-<YYYY-Qn>`) ------------------------------------


class CloseQuarter(msgspec.Struct, frozen=True, kw_only=True):
    quarter: str
    scorecards: list[Scorecard]  # computed by the application layer from the live facts
    award_threshold: float
    closed_by: str
    now: datetime


class QuarterOpen(msgspec.Struct, frozen=True, tag=True):
    pass


class QuarterClosed(msgspec.Struct, frozen=True, tag=True):
    quarter: str
    closed_on: date


QuarterState = QuarterOpen | QuarterClosed


def _close(command: CloseQuarter, state: QuarterState) -> list[AssessmentQuarterClosed]:
    quarter = normalize_quarter(command.quarter)
    if isinstance(state, QuarterClosed):
        raise DomainError("assessment.quarter_already_closed",
                          f"{quarter} was closed on {state.closed_on.isoformat()};"
                          " its scores no longer change",
                          detail_zh="该季度考核已关账，分数不再变动", field="quarter")
    today = park_date(command.now)
    _first, last = quarter_bounds(quarter)
    if today <= last:
        raise ERRORS.error("assessment.quarter_not_ended", field="quarter", quarter=quarter, last=last.isoformat())
    return [AssessmentQuarterClosed(quarter=quarter, award_threshold=command.award_threshold,
                                    scorecards=command.scorecards, closed_by=command.closed_by,
                                    closed_on=today)]


def _evolve_quarter(state: QuarterState, event: AssessmentQuarterClosed) -> QuarterState:
    match event:
        case AssessmentQuarterClosed():
            return QuarterClosed(quarter=event.quarter, closed_on=event.closed_on)
        case _:
            assert_never(event)


quarter_decider: Decider[CloseQuarter, QuarterState, AssessmentQuarterClosed] = Decider(
    initial=QuarterOpen(), decide=_close, evolve=_evolve_quarter)

"""Organization events: the quarterly assessment (考核, 一票否决): scoring rules, closed scorecards, and the
park departments the general branch assesses.

Registered on the organization service's one registry (`redpark_contracts.organization.registry`),
so subjects and CloudEvents types follow the same rules; kept in their own module so each area of
the service reads on its own.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

from redpark_contracts.organization import registry  # the types below register on it
from redpark_platform.events import Event

# What a scoring item measures: a fact the organization gathers per branch per quarter from its own
# read models and from the events of education, enterprise-support and events-public.
Metric = Literal[
    "coverage_rate",  # enterprises covered in the branch's buildings / enterprises there (organization)
    "rules_posted",  # rules the branch has posted (制度上墙), governance
    "inspections_passed",  # inspections of the branch passed in the quarter
    "inspections_failed",
    # 1 when the branch met the plan's at-least-twice-a-year inspection (once per half-year) by the quarter's end
    "inspection_half_year",
    "rectifications_opened",
    "organizational_handlings",  # 组织处置 flagged in the quarter
    "member_meetings", "committee_meetings", "group_meetings", "party_lessons", "theme_days",  # 三会一课、主题党日
    "lesson_attendance_rate",  # members who attended (or made up) a park lesson of the quarter / members
    "self_study_rate",  # self-study records filed / (members × 3 months)
    "weekly_study_weeks",  # weeks with a branch study meeting the minimum
    "support_visits",  # enterprise-support visits to the branch's enterprises
    "quarterly_participations",  # 四个一 events the branch's enterprises took part in
    "quarterlies_held",  # kinds of the four quarterlies held park-wide (the general branch's item)
    "volunteer_hours",  # hours recorded for the branch's members
    "volunteer_activities",  # volunteer activities the branch organized
]
UnitKind = Literal["branch", "general_branch", "department"]
Comparison = Literal["at_least", "at_most"]


class ScoringItem(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the scorecard: `points` earned in full at `target`, in proportion below it."""

    key: str
    label: str  # as staff read it (Chinese)
    metric: Metric
    target: float
    points: float
    rule_text: str
    applies_to: UnitKind = "branch"


class VetoCondition(msgspec.Struct, frozen=True, kw_only=True):
    """Party building's veto (一票否决): a unit whose fact breaks this is vetoed whatever it scores."""

    metric: Metric
    comparison: Comparison
    threshold: float
    rule_text: str


class DepartmentItem(msgspec.Struct, frozen=True, kw_only=True):
    """An item of a park department's card, scored by hand by the general branch's inspection."""

    key: str
    label: str
    points: float


class ItemScore(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    label: str
    fact: float
    target: float
    points_earned: float
    points_possible: float
    rule_text: str


class Scorecard(msgspec.Struct, frozen=True, kw_only=True):
    unit_kind: UnitKind
    unit_id: str
    name: str
    items: list[ItemScore]
    score: float
    possible: float
    vetoed: bool
    veto_reasons: list[str]
    # The day whose rosters and coverage the facts were counted on (event time: the quarter's last day, or
    # the day of a live read while it runs); None on departments' cards and on cards closed before it existed.
    facts_as_of: date | None = None


class DepartmentItemScore(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    points: float


@registry.register("assessment", "rules_set")
class AssessmentRulesSet(Event, frozen=True, kw_only=True):
    """The park's scoring rules for `year` (items, weights, targets, the veto, the award threshold)."""

    year: int
    items: list[ScoringItem]
    veto: list[VetoCondition]
    department_items: list[DepartmentItem]
    award_threshold: float  # average score over the year's closed quarters needed for an award
    set_by: str
    set_on: date


@registry.register("assessment", "quarter_closed")
class AssessmentQuarterClosed(Event, frozen=True, kw_only=True):
    """The quarter's scorecards as they stood when closed; they never change afterwards."""

    quarter: str  # YYYY-Qn
    award_threshold: float
    scorecards: list[Scorecard]
    closed_by: str
    closed_on: date


@registry.register("department", "registered")
class DepartmentRegistered(Event, frozen=True, kw_only=True):
    """A park department (园区部门) assessed by the general branch."""

    department_id: str
    name: str
    head: str
    registered_on: date


@registry.register("department", "scored")
class DepartmentScored(Event, frozen=True, kw_only=True):
    """The general branch's inspection of a department for a quarter; a later one replaces it."""

    department_id: str
    quarter: str
    items: list[DepartmentItemScore]
    vetoed: bool
    veto_reason: str
    scored_by: str
    scored_on: date

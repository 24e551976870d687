"""Reads for the quarterly assessment: the rules of a year, the facts of every unit for a quarter,
the live and the closed scorecards, and award eligibility (imported by the awards code).

Every function takes a pool or a connection (`fetch`, `fetchrow` and `fetchval` are all they use).
Who belonged to which branch, which buildings a branch answered for and what was covered are read at
event time from the assessment's dated spans: the quarter's counts (members, coverage) on its last day, or
today while it runs (`as_of`, shown on every card), and each dated fact (a visit, volunteer hours) with the
roster of its own day. A quarter closed late is therefore scored on its own membership, not today's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import msgspec

from redpark_contracts.organization_assessment import (
    AssessmentRulesSet,
    DepartmentItemScore,
    Scorecard,
    UnitKind,
)

from ..domain.assessment import (
    Rules,
    default_rules,
    department_card,
    inspection_half_year,
    parse_quarter,
    quarter_bounds,
    quarter_months,
    rules_from_event,
    scorecard,
)
from ..domain.assessment import award_eligibility as eligibility_from_cards

_MEETING_METRIC = {"member_meeting": "member_meetings", "committee_meeting": "committee_meetings",
                   "group_meeting": "group_meetings", "party_lesson": "party_lessons",
                   "theme_day": "theme_days"}
_rules_decoder = msgspec.json.Decoder(AssessmentRulesSet)
_cards_decoder = msgspec.json.Decoder(list[Scorecard])
_dept_items_decoder = msgspec.json.Decoder(list[DepartmentItemScore])


class Unit(msgspec.Struct, frozen=True, kw_only=True):
    kind: UnitKind
    unit_id: str
    name: str


class ClosedQuarter(msgspec.Struct, frozen=True, kw_only=True):
    quarter: str
    award_threshold: float
    closed_by: str
    closed_on: date
    scorecards: list[Scorecard]


class DepartmentRow(msgspec.Struct, frozen=True, kw_only=True):
    department_id: str
    name: str
    head: str
    registered_on: date


def _text(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


async def rules_for(conn: Any, year: int) -> Rules:
    """The park's rules for `year`, or the documented defaults when none were set."""
    raw = await conn.fetchval("SELECT rules::text FROM org_assess_rules WHERE year = $1", year)
    return default_rules(year) if raw is None else rules_from_event(_rules_decoder.decode(_text(raw)))


async def units(conn: Any, quarter: str) -> list[Unit]:
    """The general branch and the branches that existed at some time in the quarter, by id."""
    first, last = quarter_bounds(quarter)
    gb = await conn.fetch("SELECT general_branch_id, name FROM org_general_branch ORDER BY general_branch_id")
    branches = await conn.fetch(
        "SELECT branch_id, name FROM org_branches WHERE established_on <= $2"
        " AND (active OR dissolved_on >= $1) ORDER BY branch_id", first, last)
    return ([Unit(kind="general_branch", unit_id=r["general_branch_id"], name=r["name"]) for r in gb]
            + [Unit(kind="branch", unit_id=r["branch_id"], name=r["name"]) for r in branches])


def _at(alias: str, day: str, start: str, end: str) -> str:
    """SQL: the span `alias` holds on `day` (half-open: from its start up to the day before its end)."""
    return f"{alias}.{start} <= {day} AND ({alias}.{end} IS NULL OR {alias}.{end} > {day})"


def as_of(quarter: str, today: date) -> date:
    """The day whose rosters and coverage score the quarter: its last day, or today while it runs."""
    _first, last = quarter_bounds(quarter)
    return min(last, today)


def _share(part: float, whole: float) -> float:
    # Nothing to do is nothing missed: a branch with no members (or no lesson held) is not behind.
    return 1.0 if whole <= 0 else part / whole


async def facts(conn: Any, quarter: str, today: date, tz: str) -> dict[str, dict[str, float]]:
    """Every unit's facts for the quarter: unit id → metric → number (a missing metric is 0)."""
    first, last = quarter_bounds(quarter)
    out: dict[str, dict[str, float]] = defaultdict(dict)

    def put(rows: Any, metric: str, key: str = "unit", value: str = "n") -> None:
        for r in rows:
            if r[key] is not None:
                out[r[key]][metric] = float(r[value] or 0)

    day = as_of(quarter, today)
    members = {r["unit"]: int(r["n"]) for r in await conn.fetch(
        "SELECT branch_id AS unit, count(DISTINCT member_id) AS n FROM org_assess_member_spans s"
        f" WHERE {_at('s', '$1', 'joined_on', 'left_on')} GROUP BY 1", day)}

    # coverage of the enterprises in the buildings the branch answered for (一个支部分包一栋楼), that day
    for r in await conn.fetch(
            "SELECT b.branch_id AS unit, count(*) AS total, count(*) FILTER (WHERE x.covered) AS covered"
            " FROM org_assess_building_spans b JOIN org_assess_enterprise_spans e"
            f" ON e.building_id = b.building_id AND {_at('e', '$1', 'from_on', 'until_on')}"
            " CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM org_assess_cover_spans c"
            f" WHERE c.enterprise_id = e.enterprise_id AND {_at('c', '$1', 'from_on', 'until_on')})"
            " AS covered) x"
            f" WHERE {_at('b', '$1', 'assigned_on', 'released_on')} GROUP BY 1", day):
        out[r["unit"]]["coverage_rate"] = _share(r["covered"], r["total"])

    # governance
    put(await conn.fetch("SELECT holder_id AS unit, count(*) AS n FROM org_assess_rules_posted"
                         " WHERE posted_on <= $1 GROUP BY 1", last), "rules_posted")
    for r in await conn.fetch(
            "SELECT branch_id AS unit, count(*) FILTER (WHERE passed) AS passed,"
            " count(*) FILTER (WHERE NOT passed) AS failed FROM org_assess_inspections"
            " WHERE inspected_on BETWEEN $1 AND $2 GROUP BY 1", first, last):
        out[r["unit"]]["inspections_passed"] = float(r["passed"])
        out[r["unit"]]["inspections_failed"] = float(r["failed"])
    year, q = parse_quarter(quarter)
    half_first = date(year, 1 if q <= 2 else 7, 1)
    for r in await conn.fetch(
            "SELECT b.branch_id AS unit, b.established_on,"
            " count(i.*) FILTER (WHERE i.passed) AS passed_in_half,"
            " count(i.*) FILTER (WHERE i.inspected_on >= $2) AS held_in_quarter,"
            " count(i.*) FILTER (WHERE i.passed AND i.inspected_on >= $2) AS passed_in_quarter"
            " FROM org_branches b LEFT JOIN org_assess_inspections i"
            " ON i.branch_id = b.branch_id AND i.inspected_on BETWEEN $1 AND $3"
            " WHERE b.established_on <= $3 GROUP BY 1, 2", half_first, first, last):
        out[r["unit"]]["inspection_half_year"] = inspection_half_year(
            quarter, r["established_on"], r["passed_in_half"], r["held_in_quarter"], r["passed_in_quarter"])
    for r in await conn.fetch("SELECT branch_id AS unit, kind, count(*) AS n FROM org_assess_flags"
                              " WHERE on_day BETWEEN $1 AND $2 GROUP BY 1, 2", first, last):
        metric = "rectifications_opened" if r["kind"] == "rectification" else "organizational_handlings"
        out[r["unit"]][metric] = float(r["n"])
    for r in await conn.fetch("SELECT branch_id AS unit, kind, count(*) AS n FROM org_assess_meetings"
                              " WHERE held_on BETWEEN $1 AND $2 GROUP BY 1, 2", first, last):
        if r["kind"] in _MEETING_METRIC:
            out[r["unit"]][_MEETING_METRIC[r["kind"]]] = float(r["n"])

    # education: the closed compliance of a branch when education has closed the quarter, else live
    lessons_held = int(await conn.fetchval(
        "SELECT count(*) FROM (SELECT lesson_id FROM org_assess_lessons WHERE quarter = $1 AND NOT cancelled"
        " UNION SELECT a.lesson_id FROM org_assess_lesson_attendance a LEFT JOIN org_assess_lessons l"
        " USING (lesson_id) WHERE a.quarter = $1 AND NOT coalesce(l.cancelled, false)) x", quarter))
    attended = {r["unit"]: int(r["n"]) for r in await conn.fetch(
        "SELECT m.branch_id AS unit, count(DISTINCT a.member_id) AS n FROM org_assess_lesson_attendance a"
        f" JOIN org_assess_member_spans m ON m.member_id = a.member_id AND {_at('m', '$2', 'joined_on', 'left_on')}"
        " LEFT JOIN org_assess_lessons l ON l.lesson_id = a.lesson_id"
        " WHERE a.quarter = $1 AND NOT coalesce(l.cancelled, false) GROUP BY 1",
        quarter, day)}
    months = [m for m in quarter_months(quarter) if m <= f"{today.year:04d}-{today.month:02d}"]
    filed = {r["unit"]: int(r["n"]) for r in await conn.fetch(
        "SELECT m.branch_id AS unit, count(*) AS n FROM org_assess_self_study s"
        f" JOIN org_assess_member_spans m ON m.member_id = s.member_id AND {_at('m', '$2', 'joined_on', 'left_on')}"
        " WHERE s.month = ANY($1::text[]) GROUP BY 1", months, day)}
    weeks = {r["unit"]: int(r["n"]) for r in await conn.fetch(
        "SELECT branch_id AS unit, count(*) AS n FROM org_assess_weekly_study"
        " WHERE meets_minimum AND held_on BETWEEN $1 AND $2 GROUP BY 1", first, last)}
    closed = {r["branch_id"]: r for r in await conn.fetch(
        "SELECT * FROM org_assess_edu_closed WHERE quarter = $1", quarter)}
    for unit in set(members) | set(weeks) | set(closed):
        if unit in closed:
            c = closed[unit]
            out[unit]["lesson_attendance_rate"] = _share(c["members_attended_lesson"], c["members_expected"])
            out[unit]["self_study_rate"] = _share(c["members_filed_every_month"], c["members_expected"])
            out[unit]["weekly_study_weeks"] = float(c["weeks_with_study"])
            continue
        n = members.get(unit, 0)
        out[unit]["lesson_attendance_rate"] = 1.0 if lessons_held == 0 else _share(attended.get(unit, 0), n)
        out[unit]["self_study_rate"] = _share(filed.get(unit, 0), n * len(months))
        out[unit]["weekly_study_weeks"] = float(weeks.get(unit, 0))

    # enterprise-support
    # each visit counts for the enterprise's branch on the visit's day (else the unit whose liaison served it)
    put(await conn.fetch(
        "SELECT c.unit_id AS unit, count(*) AS n FROM org_assess_visits v"
        " CROSS JOIN LATERAL (SELECT c.unit_id FROM org_assess_cover_spans c WHERE c.enterprise_id = v.enterprise_id"
        f" AND {_at('c', 'v.visited_on', 'from_on', 'until_on')} ORDER BY c.kind LIMIT 1) c"
        " WHERE v.visited_on BETWEEN $1 AND $2 GROUP BY 1", first, last), "support_visits")
    put(await conn.fetch(
        "SELECT c.unit_id AS unit, count(DISTINCT q.kind) AS n FROM org_assess_quarterlies q"
        " CROSS JOIN LATERAL unnest(q.participant_enterprise_ids) AS p(enterprise_id)"
        " JOIN org_assess_cover_spans c ON c.enterprise_id = p.enterprise_id AND c.kind = 'branch'"
        f" AND {_at('c', 'q.held_on', 'from_on', 'until_on')}"
        " WHERE q.quarter = $1 GROUP BY 1", quarter), "quarterly_participations")
    held_kinds = float(await conn.fetchval(
        "SELECT count(DISTINCT kind) FROM org_assess_quarterlies WHERE quarter = $1", quarter))

    # events-public: hours in the quarter of the activity (park calendar)
    # hours count for the member's branch on the activity's day
    put(await conn.fetch(
        "SELECT m.branch_id AS unit, sum(h.hours) AS n FROM org_assess_volunteer_hours h"
        " LEFT JOIN org_assess_volunteer_activities a ON a.activity_id = h.activity_id"
        " CROSS JOIN LATERAL (SELECT (coalesce(a.starts_at, h.recorded_at) AT TIME ZONE $3)::date AS on_day) d"
        " JOIN org_assess_member_spans m"
        f" ON m.member_id = h.member_id AND {_at('m', 'd.on_day', 'joined_on', 'left_on')}"
        " WHERE d.on_day BETWEEN $1 AND $2 GROUP BY 1",
        first, last, tz), "volunteer_hours")
    put(await conn.fetch(
        "SELECT organizer_branch_id AS unit, count(*) AS n FROM org_assess_volunteer_activities"
        " WHERE (starts_at AT TIME ZONE $3)::date BETWEEN $1 AND $2 GROUP BY 1", first, last, tz),
        "volunteer_activities")

    result: dict[str, dict[str, float]] = {}
    for unit_id, metrics in out.items():
        result[unit_id] = {**metrics, "quarterlies_held": held_kinds}
    result["*"] = {"quarterlies_held": held_kinds, "coverage_rate": 1.0, "lesson_attendance_rate": 1.0,
                   "self_study_rate": 1.0}
    return result


# Governance records name the general branch "general" (its rules, its meetings).
GENERAL = "general"


def _facts_of(all_facts: dict[str, dict[str, float]], unit: Unit) -> dict[str, float]:
    # What a unit has no row for: nothing to cover (no building) or attend (no member) is not behind.
    base = all_facts["*"]
    merged = dict(base)
    sources = [all_facts.get(GENERAL, {})] if unit.kind == "general_branch" else []
    for facts_ in [*sources, all_facts.get(unit.unit_id, {})]:
        for metric, value in facts_.items():
            # Counts under both names add up; park-wide figures and shares are one value.
            merged[metric] = value if metric in base else merged.get(metric, 0.0) + value
    return merged


async def departments(conn: Any, limit: int | None = None, offset: int = 0) -> list[DepartmentRow]:
    rows = await conn.fetch("SELECT * FROM org_departments ORDER BY department_id LIMIT $1 OFFSET $2",
                            limit, offset)
    return [DepartmentRow(department_id=r["department_id"], name=r["name"], head=r["head"],
                          registered_on=r["registered_on"]) for r in rows]


async def count_departments(conn: Any) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM org_departments"))


async def live_scorecards(conn: Any, quarter: str, today: date, tz: str) -> list[Scorecard]:
    """The general branch's, every branch's and every department's card, computed now."""
    year, _q = parse_quarter(quarter)
    rules = await rules_for(conn, year)
    all_facts = await facts(conn, quarter, today, tz)
    day = as_of(quarter, today)
    cards = [scorecard(u.kind, u.unit_id, u.name, _facts_of(all_facts, u), rules, facts_as_of=day)
             for u in await units(conn, quarter)]
    scores = {r["department_id"]: r for r in await conn.fetch(
        "SELECT department_id, items::text AS items, vetoed, veto_reason FROM org_department_scores"
        " WHERE quarter = $1", quarter)}
    for d in await departments(conn):
        s = scores.get(d.department_id)
        cards.append(department_card(d.department_id, d.name,
                                     _dept_items_decoder.decode(_text(s["items"])) if s else [],
                                     bool(s["vetoed"]) if s else False, s["veto_reason"] if s else "", rules))
    return cards


async def closed_quarter(conn: Any, quarter: str) -> ClosedQuarter | None:
    r = await conn.fetchrow("SELECT quarter, award_threshold, closed_by, closed_on, scorecards::text AS cards"
                            " FROM org_assess_closed WHERE quarter = $1", quarter)
    if r is None:
        return None
    return ClosedQuarter(quarter=r["quarter"], award_threshold=r["award_threshold"], closed_by=r["closed_by"],
                         closed_on=r["closed_on"], scorecards=_cards_decoder.decode(_text(r["cards"])))


async def closed_cards(conn: Any, unit_id: str, year: int) -> list[Scorecard]:
    """One unit's cards in the closed quarters of `year`, in quarter order."""
    rows = await conn.fetch("SELECT scorecards::text AS cards FROM org_assess_closed WHERE quarter LIKE $1"
                            " ORDER BY quarter", f"{year:04d}-Q%")
    return [c for r in rows for c in _cards_decoder.decode(_text(r["cards"])) if c.unit_id == unit_id]


async def award_eligibility(conn_or_pool: Any, branch_id: str, year: int) -> tuple[bool, str]:
    """May the branch (or department) be considered for the year's awards? Eligible when it was vetoed in
    no closed quarter of the year and its average score over them reaches the year's threshold."""
    cards = await closed_cards(conn_or_pool, branch_id, year)
    rules = await rules_for(conn_or_pool, year)
    eligible, reason = eligibility_from_cards(cards, rules.award_threshold)
    if not eligible and any(c.vetoed and c.unit_kind == "department" for c in cards):
        reason += "（部门被一票否决，不得评为综合先进）"
    return eligible, reason

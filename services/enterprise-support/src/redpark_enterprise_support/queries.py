"""Reads of the read models: the facts commands need, and the lists staff see."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import asyncpg
import msgspec
from redpark_contracts.enterprise_support import QuarterlyKind
from redpark_platform.web.paging import Page, PageRequest, page

from .domain.categories import categories_of
from .domain.quarterly import missing_quarterlies

# --- facts for commands ------------------------------------------------------------------------


async def in_park_since(pool: asyncpg.Pool, enterprise_id: str) -> date | None:
    """The day of the enterprise's latest move-in while it is in the park; None otherwise."""
    on: date | None = await pool.fetchval(
        "SELECT moved_in_on FROM sup_enterprises WHERE enterprise_id = $1 AND in_park", enterprise_id)
    return on


async def branch_active(pool: asyncpg.Pool, branch_id: str) -> bool:
    return bool(await pool.fetchval("SELECT active FROM sup_branches WHERE branch_id = $1", branch_id))


async def visits_in_year(pool: asyncpg.Pool, enterprise_id: str, year: int) -> int:
    n: int = await pool.fetchval(
        "SELECT count(*) FROM sup_visits WHERE enterprise_id = $1 AND extract(year FROM visited_on) = $2",
        enterprise_id, year)
    return n


async def open_request_exists(pool: asyncpg.Pool, enterprise_id: str, service_id: str) -> bool:
    return bool(await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM sup_requests WHERE enterprise_id = $1 AND service_id = $2"
        " AND status IN ('submitted', 'accepted'))", enterprise_id, service_id))


async def in_park_among(pool: asyncpg.Pool, enterprise_ids: list[str]) -> list[str]:
    rows = await pool.fetch("SELECT enterprise_id FROM sup_enterprises WHERE in_park AND enterprise_id = ANY($1)",
                            enterprise_ids)
    return [r["enterprise_id"] for r in rows]


async def briefing_owed(pool: asyncpg.Pool, policy_id: str, enterprise_id: str) -> bool:
    return bool(await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM sup_briefings b JOIN sup_briefing_enterprises e USING (enterprise_id)"
        " WHERE b.policy_id = $1 AND b.enterprise_id = $2 AND e.in_park)", policy_id, enterprise_id))


# --- lists ---------------------------------------------------------------------------------------

R = TypeVar("R")


async def _paged(pool: asyncpg.Pool, sql: str, args: Sequence[Any], paging: PageRequest | None,
                 row: Callable[[asyncpg.Record], R]) -> Page[R]:
    """One page of `sql` (which orders by its ids, so pages do not overlap) and how many rows the
    whole list has, read in one snapshot so the two agree; every row when `paging` is None (the
    ledger export wants the whole list)."""
    if paging is None:
        records = await pool.fetch(sql, *args)
        return page([row(r) for r in records], len(records), PageRequest(limit=max(len(records), 1)))
    n = len(args)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        total: int = await conn.fetchval(f"SELECT count(*) FROM ({sql}) AS listed", *args)
        records = await conn.fetch(f"{sql} LIMIT ${n + 1} OFFSET ${n + 2}", *args, paging.limit, paging.offset)
    return page([row(r) for r in records], total, paging)



class EnterpriseRow(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    name: str
    building_id: str
    categories: list[str]
    moved_in_on: date
    contact_kind: str | None
    contact_id: str | None
    contact_name: str | None


async def enterprises(pool: asyncpg.Pool, *, without_contact_point: bool = False,
                      paging: PageRequest | None = None) -> Page[EnterpriseRow]:
    """Enterprises in the park with their contact point. A contact point assigned before the
    enterprise's latest move-in belonged to its earlier stay and does not count."""
    return await _paged(
        pool, "SELECT e.*, c.contact_kind, c.contact_id, c.contact_name FROM sup_enterprises e"
        " LEFT JOIN sup_contact_points c ON c.enterprise_id = e.enterprise_id AND c.assigned_on >= e.moved_in_on"
        " WHERE e.in_park" + (" AND c.enterprise_id IS NULL" if without_contact_point else "")
        + " ORDER BY e.enterprise_id", (), paging,
        lambda r: EnterpriseRow(enterprise_id=r["enterprise_id"], name=r["name"], building_id=r["building_id"],
                                categories=list(categories_of(r["is_tech_enterprise"], r["headcount"])),
                                moved_in_on=r["moved_in_on"], contact_kind=r["contact_kind"],
                                contact_id=r["contact_id"], contact_name=r["contact_name"]))


class BranchRow(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    name: str
    active: bool  # false once dissolved: no longer a possible contact point


async def branches(pool: asyncpg.Pool, *, active_only: bool = False,
                   paging: PageRequest | None = None) -> Page[BranchRow]:
    """The branches this service knows from the organization's events (may be contact points)."""
    return await _paged(pool, "SELECT branch_id, name, active FROM sup_branches WHERE ($1 = false OR active)"
                        " ORDER BY branch_id", (active_only,), paging, lambda r: BranchRow(**dict(r)))


class VisitRow(msgspec.Struct, frozen=True, kw_only=True):
    visit_id: str
    enterprise_id: str
    enterprise_name: str
    visited_on: date
    visitors: list[str]
    findings: str


async def visits(pool: asyncpg.Pool, year: int | None = None, enterprise_id: str | None = None, *,
                 paging: PageRequest | None = None) -> Page[VisitRow]:
    return await _paged(
        pool, "SELECT v.*, coalesce(e.name, v.enterprise_id) AS enterprise_name FROM sup_visits v"
        " LEFT JOIN sup_enterprises e USING (enterprise_id)"
        " WHERE ($1::int IS NULL OR extract(year FROM v.visited_on) = $1)"
        " AND ($2::text IS NULL OR v.enterprise_id = $2) ORDER BY v.visited_on, v.visit_id", (year, enterprise_id),
        paging, lambda r: VisitRow(visit_id=r["visit_id"], enterprise_id=r["enterprise_id"],
                                   enterprise_name=r["enterprise_name"], visited_on=r["visited_on"],
                                   visitors=list(r["visitors"]), findings=r["findings"]))


class NotVisitedRow(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    name: str
    last_visited_on: date | None


async def not_visited(pool: asyncpg.Pool, year: int, *, paging: PageRequest | None = None) -> Page[NotVisitedRow]:
    return await _paged(
        pool, "SELECT e.enterprise_id, e.name, (SELECT max(visited_on) FROM sup_visits v"
        "  WHERE v.enterprise_id = e.enterprise_id) AS last_visited_on FROM sup_enterprises e"
        " WHERE e.in_park AND NOT EXISTS (SELECT 1 FROM sup_visits v WHERE v.enterprise_id = e.enterprise_id"
        "  AND extract(year FROM v.visited_on) = $1) ORDER BY e.enterprise_id", (year,), paging,
        lambda r: NotVisitedRow(**dict(r)))


class HelpPlanRow(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    year: int
    category: str
    measures: list[str]
    adopted_on: date
    revised_on: date | None


async def help_plans(pool: asyncpg.Pool, year: int, *, paging: PageRequest | None = None) -> Page[HelpPlanRow]:
    return await _paged(pool, "SELECT * FROM sup_help_plans WHERE year = $1 ORDER BY category, enterprise_id",
                        (year,), paging, lambda r: HelpPlanRow(**{**dict(r), "measures": list(r["measures"])}))


class NeedRow(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    enterprise_id: str
    category: str
    urgency: str
    description: str
    raised_by_name: str
    raised_on: date
    due_on: date
    status: str
    assignee: str | None
    accepted_on: date | None
    last_note: str | None
    finished_on: date | None
    resolution: str | None
    close_reason: str | None
    age_days: int
    overdue: bool


async def needs(pool: asyncpg.Pool, today: date, *, open_only: bool = False, overdue_only: bool = False,
                paging: PageRequest | None = None) -> Page[NeedRow]:
    """Needs with their age (days since raised, up to today or the day they were finished);
    overdue = still open past the due day. Oldest first: the ageing list."""
    return await _paged(
        pool, "SELECT need_id, enterprise_id, category, urgency, description, raised_by_name, raised_on, due_on,"
        " status, assignee, accepted_on, last_note, finished_on, resolution, close_reason,"
        " (coalesce(finished_on, $1::date) - raised_on) AS age_days,"
        " (status IN ('raised', 'accepted') AND $1::date > due_on) AS overdue FROM sup_needs"
        " WHERE ($2 = false OR status IN ('raised', 'accepted'))"
        " AND ($3 = false OR (status IN ('raised', 'accepted') AND $1::date > due_on))"
        " ORDER BY raised_on, need_id", (today, open_only, overdue_only), paging, lambda r: NeedRow(**dict(r)))


class ServiceRow(msgspec.Struct, frozen=True, kw_only=True):
    service_id: str
    platform: str
    name: str
    description: str
    provider_name: str
    provider_kind: str
    listed_on: date
    active: bool


async def services(pool: asyncpg.Pool, platform: str | None = None, *,
                   paging: PageRequest | None = None) -> Page[ServiceRow]:
    return await _paged(pool, "SELECT * FROM sup_services WHERE ($1::text IS NULL OR platform = $1)"
                        " ORDER BY platform, service_id", (platform,), paging, lambda r: ServiceRow(**dict(r)))


class RequestRow(msgspec.Struct, frozen=True, kw_only=True):
    request_id: str
    service_id: str
    platform: str
    enterprise_id: str
    description: str
    status: str
    submitted_on: date
    accepted_on: date | None
    finished_on: date | None
    outcome: str | None


async def requests(pool: asyncpg.Pool, status: str | None = None, *,
                   paging: PageRequest | None = None) -> Page[RequestRow]:
    return await _paged(pool, "SELECT * FROM sup_requests WHERE ($1::text IS NULL OR status = $1)"
                        " ORDER BY submitted_on, request_id", (status,), paging, lambda r: RequestRow(**dict(r)))


class ApplicationRow(msgspec.Struct, frozen=True, kw_only=True):
    application_id: str
    kind: str
    enterprise_id: str
    round: str
    amount_requested_fen: int
    purpose: str
    status: str
    submitted_on: date
    reviewer: str | None
    opinion: str | None
    recommended: bool | None
    amount_granted_fen: int | None
    decided_on: date | None
    reason: str | None


async def applications(pool: asyncpg.Pool, kind: str | None = None, *,
                       paging: PageRequest | None = None) -> Page[ApplicationRow]:
    return await _paged(pool, "SELECT * FROM sup_applications WHERE ($1::text IS NULL OR kind = $1)"
                        " ORDER BY submitted_on, application_id", (kind,), paging,
                        lambda r: ApplicationRow(**dict(r)))


class InternshipBaseRow(msgspec.Struct, frozen=True, kw_only=True):
    base_id: str
    university: str
    host_enterprise_id: str | None
    places: int
    established_on: date
    closed_on: date | None


async def internship_bases(pool: asyncpg.Pool, *, paging: PageRequest | None = None) -> Page[InternshipBaseRow]:
    return await _paged(pool, "SELECT * FROM sup_internship_bases ORDER BY base_id", (), paging,
                        lambda r: InternshipBaseRow(**dict(r)))


class ActivityRow(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    kind: str
    title: str
    planned_on: date
    partners: list[str]
    status: str
    held_on: date | None
    participant_enterprise_ids: list[str]
    outside_participants: int
    outcomes: str


async def activities(pool: asyncpg.Pool, kind: str | None = None, *,
                     paging: PageRequest | None = None) -> Page[ActivityRow]:
    return await _paged(pool, "SELECT * FROM sup_activities WHERE ($1::text IS NULL OR kind = $1)"
                        " ORDER BY planned_on, activity_id", (kind,), paging,
                        lambda r: ActivityRow(**{**dict(r), "partners": list(r["partners"]),
                                                 "participant_enterprise_ids": list(r["participant_enterprise_ids"])}))


class PolicyRow(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: str
    title: str
    summary: str
    issuer: str
    applies_to: list[str]
    published_on: date
    in_force: bool
    owed: int
    delivered: int


async def policies(pool: asyncpg.Pool, *, paging: PageRequest | None = None) -> Page[PolicyRow]:
    return await _paged(
        pool, "SELECT p.*, count(e.enterprise_id) AS owed, count(e.enterprise_id) FILTER"
        " (WHERE b.delivered_on IS NOT NULL) AS delivered FROM sup_policies p"
        " LEFT JOIN sup_briefings b USING (policy_id)"
        " LEFT JOIN sup_briefing_enterprises e ON e.enterprise_id = b.enterprise_id AND e.in_park"
        " GROUP BY p.policy_id ORDER BY p.published_on, p.policy_id", (), paging,
        lambda r: PolicyRow(**{**dict(r), "applies_to": list(r["applies_to"])}))


class BriefingRow(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: str
    policy_title: str
    enterprise_id: str
    enterprise_name: str
    delivered: bool
    delivered_on: date | None
    channel: str | None
    delivered_by: str | None


async def briefings(pool: asyncpg.Pool, *, enterprise_id: str | None = None, policy_id: str | None = None,
                    pending_only: bool = False, paging: PageRequest | None = None) -> Page[BriefingRow]:
    """Briefings owed to enterprises in the park, for policies in force (or already delivered)."""
    return await _paged(
        pool, "SELECT b.policy_id, p.title AS policy_title, b.enterprise_id, e.name AS enterprise_name,"
        " b.delivered_on IS NOT NULL AS delivered, b.delivered_on, b.channel, b.delivered_by"
        " FROM sup_briefings b JOIN sup_policies p USING (policy_id)"
        " JOIN sup_briefing_enterprises e ON e.enterprise_id = b.enterprise_id AND e.in_park"
        " WHERE (p.in_force OR b.delivered_on IS NOT NULL)"
        " AND ($1::text IS NULL OR b.enterprise_id = $1) AND ($2::text IS NULL OR b.policy_id = $2)"
        " AND ($3 = false OR b.delivered_on IS NULL) ORDER BY b.enterprise_id, p.published_on, b.policy_id",
        (enterprise_id, policy_id, pending_only), paging, lambda r: BriefingRow(**dict(r)))


class QuarterlyRow(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    quarter: str
    title: str
    status: str
    planned_on: date | None
    held_on: date | None
    participant_enterprise_ids: list[str]
    outcomes: str


class QuarterReport(msgspec.Struct, frozen=True, kw_only=True):
    quarter: str
    quarterlies: list[QuarterlyRow]
    missing: list[QuarterlyKind]  # not held (yet) this quarter


async def quarter(pool: asyncpg.Pool, quarter_: str) -> QuarterReport:
    rows = [QuarterlyRow(**{**dict(r), "participant_enterprise_ids": list(r["participant_enterprise_ids"])})
            for r in await pool.fetch("SELECT * FROM sup_quarterlies WHERE quarter = $1 ORDER BY kind", quarter_)]
    return QuarterReport(quarter=quarter_, quarterlies=rows,
                         missing=missing_quarterlies({r.kind for r in rows if r.status == "held"}))


async def enterprise_names(pool: asyncpg.Pool) -> dict[str, str]:
    return {r["enterprise_id"]: r["name"] for r in await pool.fetch("SELECT enterprise_id, name FROM sup_enterprises")}

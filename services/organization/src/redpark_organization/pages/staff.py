"""The organization staff pages. park_admin writes; auditors read; a branch secretary sees its own
branch (its roster, members and enterprises) and the home page, not the park-wide grid."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from starlette.responses import HTMLResponse, Response

from redpark_platform.clock import new_id
from redpark_platform.console import PageForbidden, page_roles, stream_history
from redpark_platform.console.history import HistoryEntry
from redpark_platform.decider import DomainError
from redpark_platform.web import Principal, bounded

from ..api.dashboard import READ_MODELS, dashboard_of, figures
from ..api.deps import Org
from ..application.organization import Organization
from ..domain import branch, dues, enterprise, member
from ..domain.coverage import coverage
from ..queries import census as census_reads
from ..queries import console as views
from ..queries import dues as dues_reads
from ..queries import park as park_reads
from ..queries import rosters as rosters_reads
from ..queries.personal import member_contacts, shown
from . import COVER, HISTORY_LABELS, KIND, REASON, RELATIONSHIP, STAGE, STATUS, console

router = APIRouter()

Reader = Annotated[Principal, page_roles("park_admin", "branch_secretary", "auditor")]
ParkReader = Annotated[Principal, page_roles("park_admin", "auditor")]
Admin = Annotated[Principal, page_roles("park_admin")]
Id = Annotated[bounded.Id, PathParam()]
ID = re.compile(r"^[\w.:-]{1,64}$")
LISTED = 500  # at most this many members offered in a form's choice


def _park_wide(who: Principal) -> bool:
    return bool({"park_admin", "auditor"} & set(who.roles))


def _own(who: Principal, *branch_ids: str | None) -> None:
    """A branch secretary sees what belongs to its own branch only."""
    if not _park_wide(who) and (who.branch_id is None or who.branch_id not in branch_ids):
        raise PageForbidden("只能查看本支部的党员、企业和支部页面。")


async def _after(request: Request, org: Organization, read_models: Sequence[str] = READ_MODELS) -> None:
    """After a form's redirect (`?after=<position>`): show the page once the read models it shows
    reflect the write."""
    after = request.query_params.get("after", "")
    if after.isdigit() and len(after) < 19:
        await org.runtime.wait_for_all(read_models, int(after), strict=True)


def _not_found(request: Request, what: str) -> HTMLResponse:
    return console.render(request, "console/message.html", status=404, heading=f"{what}不存在",
                          message=f"{what}不存在或已被删除。")


def _render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    return console.render(request, template, status=status, local=console._local, **values)


# --- home ------------------------------------------------------------------------------------


@router.get("/ui/", include_in_schema=False, response_class=HTMLResponse)
async def home(request: Request, org: Org, who: Reader) -> HTMLResponse:
    await _after(request, org)
    pool = org.runtime.pool
    f = await figures(org)
    today = org.now().date()
    pending = await views.pending_transfers(pool, limit=200)
    owing = [m for b in await dues_reads.dues_arrears(pool, f"{today.year:04d}-{today.month:02d}") for m in b.members
             if any(month.startswith(f"{today.year:04d}-") for month in m.months)]
    if not _park_wide(who):
        pending = [p for p in pending if p["branch_id"] == who.branch_id]
        mine = await views.branch_member_ids(pool, who.branch_id or "")
        owing = [m for m in owing if m.member_id in mine]
    return _render(request, "org/home.html", board=dashboard_of(f), figures=f, pending=pending, owing=owing,
                   year=today.year, names=await park_reads.names(pool), park_wide=_park_wide(who))


# --- the grid --------------------------------------------------------------------------------


async def _grid_page(request: Request, org: Organization, *, status: int = 200, errors: dict[str, str] | None = None,
                     chosen: dict[str, str] | None = None, plan_error: str = "", flash: str = "") -> HTMLResponse:
    pool = org.runtime.pool
    zones = await views.zones(pool)
    buildings = await views.buildings(pool)
    ents = await park_reads.enterprises(pool, in_park_only=True)
    cov = coverage(await census_reads.census_snapshot(pool))
    names = await park_reads.names(pool)
    by_building: dict[str, list[park_reads.EnterpriseRow]] = {}
    for e in ents:
        by_building.setdefault(e.building_id, []).append(e)
    zone_blocks = []
    for z in [*zones, *({"zone_id": b["zone_id"], "name": b["zone_id"]} for b in buildings
                        if b["zone_id"] not in {z["zone_id"] for z in zones})][:50]:
        boxes = []
        for b in (b for b in buildings if b["zone_id"] == z["zone_id"]):
            inside = by_building.get(b["building_id"], [])
            covered = sum(1 for e in inside if e.branch_id or e.liaison_instructor_id)
            state = ("empty" if not inside else "all" if covered == len(inside) else "none" if covered == 0
                     else "some")
            boxes.append({"building": b, "enterprises": inside, "covered": covered, "state": state})
        zone_blocks.append({"zone": z, "boxes": boxes})
    try:
        proposal = await org.proposal()
    except DomainError:
        proposal = None
    members = await views.instructor_candidates(pool, limit=LISTED)
    branches = await views.active_branches(pool)
    ent_names = {e.enterprise_id: e for e in ents}
    return _render(request, "org/grid.html", status=status, zones=zone_blocks, overall=cov.overall,
                   uncovered=cov.uncovered, ents=ent_names, names=names, members=members, branches=branches,
                   proposal=proposal, errors=errors or {}, chosen=chosen or {}, plan_error=plan_error,
                   flash=flash, flash_kind="bad" if plan_error else "ok", cover_words=COVER, reasons=REASON)


@router.get("/ui/grid", include_in_schema=False, response_class=HTMLResponse)
async def grid(request: Request, org: Org, who: ParkReader) -> HTMLResponse:
    await _after(request, org)
    flash = ("指导员已指派" if request.query_params.get("assigned")
             else "网格方案已采纳" if request.query_params.get("adopted") else "")
    return await _grid_page(request, org, flash=flash)


@router.post("/ui/grid/liaisons", include_in_schema=False, response_class=HTMLResponse)
async def assign_liaison(request: Request, org: Org, who: Admin) -> Response:
    form = await request.form()
    enterprise_id = str(form.get("enterprise_id") or "").strip()
    member_id = str(form.get("member_id") or "").strip()
    sent_by = str(form.get("sent_by_branch_id") or "").strip() or None
    key = enterprise_id if ID.match(enterprise_id) else "_"
    chosen = {key: member_id}
    if not ID.match(enterprise_id):
        return await _grid_page(request, org, status=422, errors={key: "请选择要指派指导员的企业"}, chosen=chosen)
    if not member_id:
        return await _grid_page(request, org, status=422, errors={key: "请选择一名党员担任指导员"}, chosen=chosen)
    if not ID.match(member_id) or (sent_by is not None and not ID.match(sent_by)):
        return await _grid_page(request, org, status=422, errors={key: "所选党员或选派支部无效"}, chosen=chosen)
    try:
        result = await org.assign_liaison(enterprise_id, member_id, sent_by, None)
    except DomainError as refused:
        message = refused.detail_zh or "无法指派指导员"
        return await _grid_page(request, org, status=refused.status if refused.status >= 400 else 409,
                                errors={key: message}, chosen=chosen)
    return console.redirect(request, f"/ui/grid?assigned={enterprise_id}&after={result.position}")


@router.post("/ui/grid/plans", include_in_schema=False, response_class=HTMLResponse)
async def adopt_plan(request: Request, org: Org, who: Admin) -> Response:
    plan_id = new_id()
    try:
        result = await org.adopt_grid_plan(plan_id, None, who.subject)
    except DomainError as refused:
        message = refused.detail_zh or "无法采纳网格方案"
        return await _grid_page(request, org, status=refused.status if refused.status >= 400 else 409,
                                plan_error=message, flash=message)
    return console.redirect(request, f"/ui/grid?adopted={plan_id}&after={result.position}")


# --- branches --------------------------------------------------------------------------------


@router.get("/ui/branches", include_in_schema=False, response_class=HTMLResponse)
async def branches(request: Request, org: Org, who: Reader) -> Response:
    if not _park_wide(who):  # a branch secretary's list is its own branch
        return console.redirect(request, f"/ui/branches/{who.branch_id or '-'}")
    pool = org.runtime.pool
    rows = await park_reads.branches(pool)
    counts = await views.organized_enterprise_counts(pool)
    return _render(request, "org/branches.html", rows=rows, enterprise_counts=counts, kinds=KIND,
                   names=await park_reads.names(pool))


@router.get("/ui/branches/{branch_id}", include_in_schema=False, response_class=HTMLResponse)
async def branch_page(request: Request, org: Org, who: Reader, branch_id: Id) -> HTMLResponse:
    _own(who, branch_id)
    pool = org.runtime.pool
    row = next((b for b in await park_reads.branches(pool) if b.branch_id == branch_id), None)
    if row is None:
        return _not_found(request, "党支部")
    history: list[HistoryEntry] = await stream_history(org.runtime.store, branch.stream_id(branch_id),
                                                       HISTORY_LABELS)
    return _render(
        request, "org/branch.html", branch=row, kinds=KIND, statuses=STATUS, history=history,
        roster=await rosters_reads.members(pool, branch_id),
        buildings=await views.branch_buildings(pool, branch_id),
        enterprises=await views.branch_enterprises(pool, branch_id),
        names=await park_reads.names(pool))


# --- a member --------------------------------------------------------------------------------


@router.get("/ui/members/{member_id}", include_in_schema=False, response_class=HTMLResponse)
async def member_page(request: Request, org: Org, who: Reader, member_id: Id) -> HTMLResponse:
    pool = org.runtime.pool
    row = await views.member(pool, member_id)
    if row is None:
        return _not_found(request, "党员")
    _own(who, row["branch_id"])
    today = org.now().date()
    year = today.year
    contact = shown((await member_contacts(org.runtime.store, [member_id])).get(member_id), full=False)
    paid = await views.dues_paid_in_year(pool, member_id, year)
    owed = next((m for b in await dues_reads.dues_arrears(pool, f"{today.year:04d}-{today.month:02d}")
                 for m in b.members if m.member_id == member_id), None)
    owed_months = [m for m in (owed.months if owed else []) if m.startswith(f"{year:04d}-")]
    before = next((m for b in await dues_reads.dues_arrears(pool, f"{year - 1:04d}-12") for m in b.members
                   if m.member_id == member_id), None)
    # Arrears are additive by month: this year's = owed through this month - owed through last December.
    owed_fen = (owed.amount_fen if owed else 0) - (before.amount_fen if before else 0)
    stage = await views.development_stage(pool, member_id)
    history = [*await stream_history(org.runtime.store, member.stream_id(member_id), HISTORY_LABELS),
               *await stream_history(org.runtime.store, dues.stream_id(member_id), HISTORY_LABELS)]
    history.sort(key=lambda e: e.at, reverse=True)
    return _render(request, "org/member.html", m=row, contact=contact, statuses=STATUS, relationships=RELATIONSHIP,
                   transfers=await rosters_reads.transfers(pool, member_id), paid=paid, owed_months=owed_months,
                   owed_fen=owed_fen, year=year, stage=STAGE.get(stage, stage) if stage else None,
                   history=history, names=await park_reads.names(pool))


# --- an enterprise ---------------------------------------------------------------------------


@router.get("/ui/enterprises/{enterprise_id}", include_in_schema=False, response_class=HTMLResponse)
async def enterprise_page(request: Request, org: Org, who: Reader, enterprise_id: Id) -> HTMLResponse:
    pool = org.runtime.pool
    row = await views.enterprise(pool, enterprise_id)
    if row is None:
        return _not_found(request, "企业")
    _own(who, row["branch_id"], row["liaison_sent_by"], row["building_branch_id"])
    staff = await views.enterprise_staff(pool, enterprise_id)
    history = await stream_history(org.runtime.store, enterprise.stream_id(enterprise_id), HISTORY_LABELS)
    return _render(request, "org/enterprise.html", e=row, members=staff, statuses=STATUS, history=history,
                   covered=bool(row["branch_id"] or row["liaison_instructor_id"]), names=await park_reads.names(pool))

"""The enterprise-support staff pages: home, the needs board and a need's page, visits, funding
applications, the four quarterlies. Support officers and park administrators act; auditors read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from starlette.responses import HTMLResponse, Response

from redpark_platform.calendar import compact_quarter, park_quarter
from redpark_platform.console import page_roles, stream_history
from redpark_platform.errors import DomainError
from redpark_platform.web import Principal
from redpark_platform.web.bounded import Id

from .. import queries
from ..api.dashboard import NEED_STATUSES, dashboard_of, figures
from ..api.deps import Support
from ..api.exports import APPLICATION_KIND, APPLICATION_STATUS, NEED_CATEGORY, QUARTERLY, URGENCY
from ..application import EnterpriseSupport
from ..domain import need
from ..domain.errors import ERRORS
from ..domain.quarterly import KINDS
from ..projections.support import NAME as SUPPORT
from . import HISTORY_LABELS, console

router = APIRouter()

Reader = Annotated[Principal, page_roles("park_admin", "support_officer", "auditor")]
Officer = Annotated[Principal, page_roles("park_admin", "support_officer")]
NeedId = Annotated[Id, PathParam()]
TEXT_MAX = 2000
LABELS = {"categories": NEED_CATEGORY, "urgency": URGENCY, "kinds": APPLICATION_KIND,
          "application_status": APPLICATION_STATUS, "quarterly": QUARTERLY}


def _year(request: Request, support: EnterpriseSupport) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else support.today().year


def _column(row: queries.NeedRow) -> str:
    return "in_work" if row.status == "accepted" and row.last_note else row.status


async def _after(support: EnterpriseSupport, request: Request) -> None:
    after = request.query_params.get("after", "")
    if after.isdigit() and len(after) < 19:  # after a redirect: show what was just saved
        await support.runtime.wait_for(SUPPORT, int(after), strict=True)


@router.get("/ui/", include_in_schema=False, response_class=HTMLResponse)
async def home(request: Request, support: Support, who: Reader) -> HTMLResponse:
    return console.render(request, "sup/home.html", board=dashboard_of(await figures(support)))


# --- the needs board --------------------------------------------------------------------------


async def _board(request: Request, support: EnterpriseSupport, *, status: int = 200, error: str = "",
                 error_need: str = "") -> HTMLResponse:
    rows = (await queries.needs(support.pool, support.today())).items
    names = await queries.enterprise_names(support.pool)
    columns = [(key, zh, [r for r in rows if _column(r) == key]) for key, zh, _ in NEED_STATUSES]
    return console.render(request, "sup/needs.html", status=status, columns=columns, names=names,
                          labels=LABELS, error=error, error_need=error_need, column_of=_column,
                          flash="已保存" if request.query_params.get("moved") else "")


@router.get("/ui/needs", include_in_schema=False, response_class=HTMLResponse)
async def needs_board(request: Request, support: Support, who: Reader) -> HTMLResponse:
    await _after(support, request)
    return await _board(request, support)


def _move_command(need_id: str, action: str, text: str, now: datetime) -> need.NeedCommand | None:
    if action == "accept":
        return need.AcceptNeed(need_id=need_id, assignee=text, now=now)
    if action == "work":
        return need.WorkNeed(need_id=need_id, note=text, now=now)
    if action == "resolve":
        return need.ResolveNeed(need_id=need_id, resolution=text, now=now)
    return None


@router.post("/ui/needs/{need_id}/move", include_in_schema=False, response_class=HTMLResponse)
async def move_need(request: Request, support: Support, who: Officer, need_id: NeedId) -> Response:
    form = await request.form()
    action = str(form.get("action") or "")
    text = str(form.get("text") or "").strip()[:TEXT_MAX]
    back = str(form.get("back") or "")
    command = _move_command(need_id, action, text, support.now())
    try:
        if command is None:
            raise ERRORS.error("need.unknown_step", action=action)
        result = await support.need_command(need_id, command)
    except DomainError as refused:
        status = refused.status if refused.status >= 400 else 409
        if back == "need":
            return await _need_page(request, support, need_id, status=status, error=refused.detail_zh)
        return await _board(request, support, status=status, error=refused.detail_zh, error_need=need_id)
    if back == "need":
        return console.redirect(request, f"/ui/needs/{quote(need_id, safe='')}?moved=1&after={result.position}")
    return console.redirect(request, f"/ui/needs?moved=1&after={result.position}")


async def _need_page(request: Request, support: EnterpriseSupport, need_id: str, *, status: int = 200,
                     error: str = "") -> Response:
    found = [r for r in (await queries.needs(support.pool, support.today())).items if r.need_id == need_id]
    if not found:
        return console.render(request, "console/message.html", status=404, heading="该问题不存在",
                              message="该问题不存在。")
    history = await stream_history(support.runtime.store, need.stream_id(need_id), HISTORY_LABELS)
    return console.render(request, "sup/need.html", status=status, n=found[0], column=_column(found[0]),
                          statuses={k: zh for k, zh, _ in NEED_STATUSES},
                          names=await queries.enterprise_names(support.pool), labels=LABELS, error=error,
                          history=history,
                          flash="已保存" if request.query_params.get("moved") else "",
                          local=console._local)  # the history macro takes the filter as a function


@router.get("/ui/needs/{need_id}", include_in_schema=False, response_class=HTMLResponse)
async def need_page(request: Request, support: Support, who: Reader, need_id: NeedId) -> Response:
    await _after(support, request)
    return await _need_page(request, support, need_id)


# --- visits, applications, quarterlies ----------------------------------------------------------


@router.get("/ui/visits", include_in_schema=False, response_class=HTMLResponse)
async def visits(request: Request, support: Support, who: Reader) -> HTMLResponse:
    year = _year(request, support)
    done = await queries.visits(support.pool, year)
    missing = await queries.not_visited(support.pool, year)
    without = await queries.enterprises(support.pool, without_contact_point=True)
    return console.render(request, "sup/visits.html", year=year, visits=done.items, not_visited=missing.items,
                          without=without.items)


@router.get("/ui/applications", include_in_schema=False, response_class=HTMLResponse)
async def applications(request: Request, support: Support, who: Reader) -> HTMLResponse:
    rows = (await queries.applications(support.pool)).items
    return console.render(request, "sup/applications.html", rows=rows, labels=LABELS,
                          names=await queries.enterprise_names(support.pool))


@router.get("/ui/quarterlies", include_in_schema=False, response_class=HTMLResponse)
async def quarterlies(request: Request, support: Support, who: Reader) -> HTMLResponse:
    year = _year(request, support)
    # The read model keeps the contract's compact spelling of a quarter (`2025Q3`).
    current = compact_quarter(park_quarter(support.now()))
    records = await queries.quarterlies_of_year(support.pool, year)
    by_key: dict[tuple[str, str], Any] = {(r["quarter"], r["kind"]): r for r in records}
    grid = []
    for q in range(1, 5):
        quarter = f"{year:04d}Q{q}"
        cells = []
        for kind in KINDS:
            r = by_key.get((quarter, kind))
            state = r["status"] if r else ("missing" if quarter <= current else "")
            if state == "planned" and quarter < current:
                state = "missing"  # planned, the quarter ended, never held
            cells.append({"kind": kind, "state": state, "row": r})
        grid.append({"quarter": quarter, "cells": cells, "current": quarter == current})
    return console.render(request, "sup/quarterlies.html", year=year, grid=grid, labels=LABELS, kinds=KINDS)

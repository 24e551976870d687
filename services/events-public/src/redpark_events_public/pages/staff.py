"""The staff's pages: sessions with live counts, a session's registrations and history, the check-in
screen (camera or typed code), and the service's figures for the park's dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from redpark_platform.calendar import park_date
from redpark_platform.console import page_roles, stream_history
from redpark_platform.console.dashboard import Chart, Dashboard, Series, Tile
from redpark_platform.errors import DomainError, NotFound
from redpark_platform.notifications import dashboard_tile
from redpark_platform.ops import with_operations
from redpark_platform.web import MsgspecResponse, Principal, require_roles, response_schema
from redpark_platform.web.bounded import Id

from ..api.deps import CATALOGUE, App
from ..application import EventsPublic
from ..domain.session_state import session_stream
from ..domain.ticket import format_ticket_code, normalise_ticket_code
from ..queries import open_base as open_base_queries
from ..queries import registrations as registration_queries
from ..queries import staff_board
from ..queries.views import SessionRegistrations
from . import HISTORY_LABELS, KIND_TITLES, console

router = APIRouter()

Reader = Annotated[Principal, page_roles("events_officer", "park_admin", "auditor")]
Officer = Annotated[Principal, page_roles("events_officer", "park_admin")]
AnyStaff = Annotated[Principal, require_roles()]
SessionId = Annotated[Id, Path()]
PAGE_SIZE = 50
# Sessions that ended more than this long ago leave the working list (they stay reachable by link).
RECENT = timedelta(days=1)
CHART_SESSIONS = 12
HISTORY_SHOWN = 200
# The check-in screen's result, by the rule's refusal code: what the person at the door reads.
OUTCOMES = {
    "ok": ("签到成功", "ok"),
    "checkin.already_checked_in": ("已签到过", "warn"),
    "unknown": ("无此票", "bad"),
    "checkin.wrong_session": ("不是本场次", "bad"),
}

def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return min(int(raw), 10_000) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


@router.get("/ui/", include_in_schema=False, response_class=HTMLResponse)
async def sessions(request: Request, app: App, who: Reader) -> HTMLResponse:
    page = _page(request)
    rows = await staff_board.sessions_ending_after(
        app.runtime.pool, app.now() - RECENT, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    more = len(rows) > PAGE_SIZE
    return console.render(request, "ep/staff_sessions.html", rows=rows[:PAGE_SIZE], page=page,
                          next_page=str(page + 1) if more else None, kinds=KIND_TITLES)


@router.get("/ui/counts", include_in_schema=False)
async def counts(request: Request, app: App, who: Reader) -> MsgspecResponse:
    """The live figures the sessions pages poll: seats confirmed and checked in, parties waiting."""
    wanted = request.query_params.get("session")
    if wanted:
        counts = await staff_board.counts_of_session(app.runtime.pool, wanted[:64])
    else:
        counts = await staff_board.counts_ending_after(app.runtime.pool, app.now() - RECENT)
    return MsgspecResponse(counts, headers={"Cache-Control": "no-store"})


async def _session(app: EventsPublic, session_id: str) -> tuple[SessionRegistrations, Any] | None:
    try:
        view = await registration_queries.session_registrations(app.runtime.pool, session_id)
    except NotFound:
        return None
    activity = await staff_board.activity_heading(app.runtime.pool, view.session.activity_id)
    return view, activity


def _not_found(request: Request) -> HTMLResponse:
    return console.render(request, "console/message.html", status=404, heading="场次不存在", message="场次不存在。")


@router.get("/ui/sessions/{session_id}", include_in_schema=False, response_class=HTMLResponse)
async def session_page(request: Request, app: App, who: Reader, session_id: SessionId) -> Response:
    found = await _session(app, session_id)
    if found is None:
        return _not_found(request)
    view, activity = found
    history = await stream_history(app.runtime.store, session_stream(session_id), HISTORY_LABELS)
    # A carnival session holds thousands of registrations: the page shows the newest changes.
    return console.render(request, "ep/staff_session.html", view=view, activity=activity,
                          history=history[:HISTORY_SHOWN],
                          kinds=KIND_TITLES, format_code=format_ticket_code,
                          local=console._local)  # the history macro takes the filter as a function


def _check_in_screen(request: Request, view: Any, activity: Any, *, outcome: str = "", detail: str = "",
                     code: str = "", status: int = 200) -> HTMLResponse:
    heading, tone = OUTCOMES.get(outcome, ("不能签到", "bad")) if outcome else ("", "")
    return console.render(request, "ep/staff_checkin.html", status=status, view=view, activity=activity,
                          heading=heading, tone=tone, detail=detail, code=code,
                          headers={"Cache-Control": "no-store"})


@router.get("/ui/sessions/{session_id}/check-in", include_in_schema=False, response_class=HTMLResponse)
async def check_in_screen(request: Request, app: App, who: Reader, session_id: SessionId) -> Response:
    found = await _session(app, session_id)
    if found is None:
        return _not_found(request)
    done = request.query_params.get("done", "")[:20]
    if not done:
        return _check_in_screen(request, *found)
    # After the redirect of a successful check-in: say so once the read model has the new count.
    after = request.query_params.get("after", "")
    if after.isdigit() and len(after) < 19:
        await app.runtime.wait_for(CATALOGUE, int(after), strict=True)
        found = await _session(app, session_id) or found
    return _check_in_screen(request, *found, outcome="ok", code=done)


@router.post("/ui/sessions/{session_id}/check-in", include_in_schema=False, response_class=HTMLResponse)
async def check_in(request: Request, app: App, who: Officer, session_id: SessionId) -> Response:
    found = await _session(app, session_id)
    if found is None:
        return _not_found(request)
    form = await request.form()
    typed = str(form.get("ticket_code") or "")[:40]
    scanned_session = str(form.get("scanned_session") or "")[:64]
    try:
        code = normalise_ticket_code(typed)
    except DomainError as refused:
        return _check_in_screen(request, *found, outcome="unknown", detail=refused.detail_zh, code=typed,
                                status=404)
    shown = format_ticket_code(code)
    if scanned_session and scanned_session != session_id:
        return _check_in_screen(request, *found, outcome="checkin.wrong_session", code=shown, status=409,
                                detail="该票属于其他场次，请核对场次。")
    try:
        result = await app.sessions.check_in(session_id, code)
    except DomainError as refused:
        outcome = refused.code
        if outcome == "checkin.wrong_session" and not await registration_queries.ticket_exists(app.runtime.pool, code):
            outcome = "unknown"  # no session has it: say so rather than "another session"
            return _check_in_screen(request, *found, outcome=outcome, code=shown, status=404,
                                    detail="未找到此票号，请核对后重新输入。")
        return _check_in_screen(request, *found, outcome=outcome, detail=refused.detail_zh, code=shown,
                                status=refused.status if refused.status >= 400 else 409)
    done = f"/ui/sessions/{quote(session_id)}/check-in?done={shown}&after={result.position}"
    return console.redirect(request, done)


ActivityId = Annotated[str, Path(max_length=64)]


async def _checks_page(request: Request, app: EventsPublic, activity_id: str, who: Principal, *,
                       flash: str = "") -> HTMLResponse:
    try:
        activity = await app.catalogue.activity(activity_id)
    except NotFound:
        return console.render(request, "console/message.html", status=404, heading="活动不存在", message="活动不存在。")
    return console.render(request, "ep/staff_activity_checks.html", activity=activity, flash=flash,
                          may_edit=who.has_any(("events_officer", "park_admin")),
                          sms_available=app.sessions.phone_codes is not None)


@router.get("/ui/activities/{activity_id}/registration-checks", include_in_schema=False,
            response_class=HTMLResponse)
async def registration_checks_page(request: Request, app: App, who: Reader, activity_id: ActivityId) -> Response:
    return await _checks_page(request, app, activity_id, who)


@router.post("/ui/activities/{activity_id}/registration-checks", include_in_schema=False,
             response_class=HTMLResponse)
async def set_registration_checks(request: Request, app: App, who: Officer, activity_id: ActivityId) -> Response:
    form = await request.form()
    try:
        result = await app.catalogue.set_registration_checks(
            activity_id, proof_of_work=form.get("proof_of_work") == "yes",
            phone_verification=form.get("phone_verification") == "yes", by=who.subject)
    except DomainError as refused:
        return await _checks_page(request, app, activity_id, who, flash=refused.detail_zh)
    # The public form reads the catalogue: once this answers, it asks for what was just set.
    await app.runtime.wait_for(CATALOGUE, result.position, strict=True)
    return await _checks_page(request, app, activity_id, who, flash="已保存")


@router.get("/dashboard", responses=response_schema(Dashboard),
            summary="The service's figures for the park's dashboard")
async def dashboard(app: App, who: AnyStaff) -> MsgspecResponse:
    rows = await staff_board.sessions_ending_after(app.runtime.pool, app.now())
    confirmed = sum(r["confirmed_seats"] for r in rows)
    waiting = sum(r["waitlisted_parties"] for r in rows)
    checked_in = sum(r["checked_in_seats"] for r in rows)
    capacity = sum(r["capacity"] for r in rows)
    fill = confirmed / capacity if capacity else None
    shown = rows[:CHART_SESSIONS]
    zone = console.zone
    limits = app.open_base.limits
    today = park_date(app.now())
    visit_days = await open_base_queries.open_base_days(
        app.runtime.pool, today, today + timedelta(days=limits.max_days_ahead), limits.daily_capacity,
        now=app.now(), hold_for=limits.hold_for)
    awaiting = sum(d.requested for d in visit_days)
    board = Dashboard(
        service="events-public", title="公共活动", title_en="Public events",
        tiles=[
            Tile(key="upcoming_sessions", label="近期场次", label_en="Upcoming sessions", value=str(len(rows)),
                 note=f"{sum(r['registrations'] for r in rows)} 份报名", href="/ui/"),
            Tile(key="confirmed_seats", label="已确认人数", label_en="Seats confirmed", value=str(confirmed),
                 note=f"容量 {capacity}" + (f"，{fill * 100:.0f}%" if fill is not None else ""), href="/ui/",
                 tone="ok" if fill is not None and fill >= 0.5 else ""),
            Tile(key="waitlisted", label="候补", label_en="Waiting list", value=str(waiting), note="份报名",
                 href="/ui/", tone="warn" if waiting else ""),
            Tile(key="checked_in", label="已签到人数", label_en="Checked in", value=str(checked_in), href="/ui/"),
            # A request nobody answers lapses after its hold: the tile says how many wait for staff.
            Tile(key="open_base_requests", label="待确认参观", label_en="Visits awaiting confirmation",
                 value=str(awaiting), note=f"{len(visit_days)} 天有预约", href="/ui/open-base/",
                 tone="warn" if awaiting else ""),
            await dashboard_tile(app.runtime),
        ],
        charts=[Chart(
            key="registrations_per_session", title="近期场次报名数", title_en="Registrations per upcoming session",
            kind="bar",
            labels=[f"{r['starts_at'].astimezone(zone):%m-%d %H:%M} {r['title'] or r['activity_id']}"
                    for r in shown],
            series=[
                Series(label="报名", label_en="Registrations", data=[float(r["registrations"]) for r in shown]),
                Series(label="已签到人数", label_en="Checked in",
                       data=[float(r["checked_in_seats"]) for r in shown]),
            ],
        )] if shown else [],
    )
    return MsgspecResponse(await with_operations(board, app.runtime))

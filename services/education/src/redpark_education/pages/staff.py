"""The education staff pages: home, the three-guarantees matrix, the year's lessons and a lesson's
attendance sheet. Branch secretaries see their own branch only; auditors read."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from starlette.responses import HTMLResponse, Response

from redpark_platform.calendar import months_of_quarter, quarter_of
from redpark_platform.console import page_roles, stream_history
from redpark_platform.errors import DomainError
from redpark_platform.web import Principal
from redpark_platform.web.bounded import Id

from .. import queries
from ..api.dashboard import dashboard_of, figures
from ..api.deps import Edu
from ..application import Education
from ..domain import guarantees, lesson
from ..projections.records import NAME as RECORDS
from . import HISTORY_LABELS, console

router = APIRouter()

Reader = Annotated[Principal, page_roles("park_admin", "education_officer", "branch_secretary", "auditor")]
Officer = Annotated[Principal, page_roles("park_admin", "education_officer")]
LessonId = Annotated[Id, PathParam()]
PERIOD = re.compile(r"^(2[01]\d{2})(-Q[1-4])?$")
BRANCH = re.compile(r"^[\w.-]{1,64}$")


def _park_wide(who: Principal) -> bool:
    return bool({"park_admin", "education_officer", "auditor"} & set(who.roles))


def _branch(request: Request, who: Principal) -> str | None:
    """The branch shown: any (or all) for park-wide readers; a branch secretary only its own."""
    if not _park_wide(who):
        return who.branch_id or ""
    wanted = request.query_params.get("branch", "")
    return wanted if BRANCH.match(wanted) else None


def _year(request: Request, today: date) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2199 else today.year


@router.get("/ui/", include_in_schema=False, response_class=HTMLResponse)
async def home(request: Request, edu: Edu, who: Reader) -> HTMLResponse:
    shown = dashboard_of(await figures(edu, branch_id=None if _park_wide(who) else who.branch_id or ""))
    return console.render(request, "edu/home.html", board=shown)


# --- the three guarantees ---------------------------------------------------------------------


def _cell_study(line: guarantees.MemberLine | None, month: str) -> tuple[str, str, str]:
    """(mark, tone, title) of a member's self-study in a month."""
    if line is None or line.self_study == "not_expected":
        return "–", "", "不要求"
    if month in line.late_months:
        return "✓", "warn", "逾期提交"
    return {"filed": ("✓", "ok", "已提交"), "missing": ("✗", "bad", "未提交"),
            "due": ("…", "", "本月进行中")}[line.self_study]


def _cell_lesson(line: guarantees.MemberLine | None) -> tuple[str, str, str]:
    if line is None or line.lesson == "not_expected":
        return "–", "", "不要求"
    return {"attended": ("✓", "ok", "已出席"), "missing": ("✗", "bad", "缺席"),
            "none_held": ("○", "warn", "未举行")}[line.lesson]


async def _matrix(edu: Education, period: str, branch_id: str | None) -> dict[str, Any]:
    today = edu.today()
    facts = await queries.facts(edu.pool, branch_id)
    all_quarters = [period] if "Q" in period else [f"{period}-Q{q}" for q in range(1, 5)]
    quarters = [q for q in all_quarters if q <= quarter_of(today)]  # a quarter to come has nothing yet
    months = [m for q in all_quarters for m in months_of_quarter(q)]
    by_month = {m: {ln.member_id: ln for ln in guarantees.compliance(m, today, facts).members}
                for m in months if m <= f"{today.year:04d}-{today.month:02d}"}
    by_quarter = {q: guarantees.compliance(q, today, facts) for q in quarters}
    names: dict[str, tuple[str, str]] = {}
    for lines in [*by_month.values(), *({ln.member_id: ln for ln in c.members} for c in by_quarter.values())]:
        for ln in lines.values():
            names[ln.member_id] = (ln.name, ln.branch_id)
    branches = await queries.branch_names(edu.pool)
    weeks: dict[str, list[int]] = {}
    for c in by_quarter.values():
        for b in c.branches:
            held, expected = weeks.setdefault(b.branch_id, [0, 0])
            weeks[b.branch_id] = [held + b.weeks_held, expected + b.weeks_expected]
    rows = []
    for member_id, (name, branch) in sorted(names.items(), key=lambda kv: (kv[1][1], kv[0])):
        q_lines = {q: {ln.member_id: ln for ln in c.members}.get(member_id) for q, c in by_quarter.items()}
        rows.append({
            "member_id": member_id, "name": name, "branch": branches.get(branch, branch),
            "study": [_cell_study(by_month[m].get(member_id), m) if m in by_month else ("", "", "")
                      for m in months],
            "lessons": [_cell_lesson(q_lines.get(q)) if q in q_lines else ("", "", "") for q in all_quarters],
            "weeks": weeks.get(branch, [0, 0]),
            "compliant": all(ln is None or not ln.missing for ln in q_lines.values()),
        })
    summary = []
    for c in by_quarter.values():
        for b in c.branches:
            summary.append({"quarter": c.quarter, "name": b.name, "members": b.members,
                            "compliant": b.members_fully_compliant, "weeks_held": b.weeks_held,
                            "weeks_expected": b.weeks_expected, "missing_weeks": b.missing_weeks})
    return {"months": months, "quarters": all_quarters, "rows": rows, "summary": summary,
            "branches": branches}


@router.get("/ui/compliance", include_in_schema=False, response_class=HTMLResponse)
async def compliance(request: Request, edu: Edu, who: Reader) -> HTMLResponse:
    today = edu.today()
    period = request.query_params.get("period") or quarter_of(today)
    branch_id = _branch(request, who)
    if not PERIOD.match(period):
        return console.render(request, "edu/compliance.html", status=422, period=period, branch_id=branch_id,
                              errors={"period": "期间格式应为 YYYY-Qn 或 YYYY"}, park_wide=_park_wide(who),
                              months=[], quarters=[], rows=[], summary=[],
                              branches=await queries.branch_names(edu.pool))
    return console.render(request, "edu/compliance.html", period=period, branch_id=branch_id, errors={},
                          park_wide=_park_wide(who), **await _matrix(edu, period, branch_id))


# --- park lessons -----------------------------------------------------------------------------


@router.get("/ui/lessons", include_in_schema=False, response_class=HTMLResponse)
async def lessons(request: Request, edu: Edu, who: Reader) -> HTMLResponse:
    today = edu.today()
    year = _year(request, today)
    rows = await queries.lessons(edu.pool, year)
    held = [r for r in rows if r.held_on is not None]
    past = [f"{year}-Q{q}" for q in range(1, 5) if (year, q) <= (today.year, (today.month - 1) // 3 + 1)]
    return console.render(request, "edu/lessons.html", year=year, rows=rows, held=len(held),
                          minimum=(await edu.targets(year)).park_lessons_minimum,
                          without=[q for q in past if not any(r.quarter == q for r in held)])


async def _lesson_page(request: Request, edu: Edu, who: Principal, lesson_id: str, *, status: int = 200,
                       error: str = "", flash: str = "", checked: frozenset[str] = frozenset()) -> Response:
    row = await queries.lesson(edu.pool, lesson_id)
    if row is None:
        return console.render(request, "console/message.html", status=404, heading="大党课不存在",
                              message="大党课不存在。")
    day = row["held_on"] or row["scheduled_on"]
    roster = await queries.roster_sheet(edu.pool, day)
    if not _park_wide(who):
        mine = await queries.roster_on(edu.pool, day, who.branch_id or "")
        roster = [r for r in roster if r["member_id"] in mine]
    present = dict(await queries.attendance(edu.pool, lesson_id))
    lecturer = await queries.lecturer_name(edu.pool, row["lecturer_id"])
    history = await stream_history(edu.runtime.store, lesson.stream_id(lesson_id), HISTORY_LABELS)
    return console.render(request, "edu/lesson.html", status=status, lesson=row, lecturer=lecturer,
                          roster=roster, present=present, checked=checked, error=error, flash=flash, history=history,
                          can_write=bool({"park_admin", "education_officer"} & set(who.roles)),
                          local=console._local)  # the history macro takes the filter as a function


@router.get("/ui/lessons/{lesson_id}", include_in_schema=False, response_class=HTMLResponse)
async def lesson_page(request: Request, edu: Edu, who: Reader, lesson_id: LessonId) -> Response:
    after = request.query_params.get("after", "")
    if after.isdigit() and len(after) < 19:  # after the redirect: show the sheet just saved
        await edu.runtime.wait_for(RECORDS, int(after), strict=True)
    flash = "出勤已保存" if request.query_params.get("saved") else ""
    return await _lesson_page(request, edu, who, lesson_id, flash=flash)


@router.post("/ui/lessons/{lesson_id}/attendance", include_in_schema=False, response_class=HTMLResponse)
async def take_attendance(request: Request, edu: Edu, who: Officer, lesson_id: LessonId) -> Response:
    form = await request.form()
    members = [str(m)[:64] for m in form.getlist("member_ids")][:2000]
    try:
        result = await edu.record_attendance(lesson_id, members)
    except DomainError as refused:
        status = refused.status if refused.status >= 400 else 409
        return await _lesson_page(request, edu, who, lesson_id, status=status,
                                  error=refused.detail_zh or refused.args[0], checked=frozenset(members))
    return console.redirect(request, f"/ui/lessons/{quote(lesson_id, safe='')}?saved=1&after={result.position}")

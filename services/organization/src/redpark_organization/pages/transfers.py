"""The transfer letters page (组织关系介绍信): every letter with its deadline and status, the overdue ones
first to see, a form to record a letter issued or received, and the return slip of each open letter.
park_admin writes; auditors read."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from redpark_platform.clock import new_id
from redpark_platform.console import page_roles
from redpark_platform.decider import DomainError
from redpark_platform.web import Principal

from ..api.deps import Org
from ..application.organization import Organization
from ..projections.transfer_letters import NAME as TRANSFER_LETTERS
from ..queries import park as park_reads
from ..queries import transfer_letters as letters_reads
from . import console
from .staff import ID, _after, _render

router = APIRouter()

ParkReader = Annotated[Principal, page_roles("park_admin", "auditor")]
Admin = Annotated[Principal, page_roles("park_admin")]
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUS_ZH = {"open": "待回执", "overdue": "已超期未回执", "returned": "已回执"}
DIRECTION_ZH = {"out": "转出", "in": "转入"}


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if DAY.match(text) else None
    except ValueError:
        return None


async def _page(request: Request, org: Organization, *, status: int = 200, errors: dict[str, str] | None = None,
                form: dict[str, str] | None = None, flash: str = "") -> HTMLResponse:
    wanted = request.query_params.get("status", "")
    lines = await letters_reads.letters(org.runtime.pool, org.today(), wanted if wanted in STATUS_ZH else None)
    return _render(request, "org/transfers.html", status=status, lines=lines, wanted=wanted, statuses=STATUS_ZH,
                   directions=DIRECTION_ZH, errors=errors or {}, form=form or {}, flash=flash,
                   names=await park_reads.names(org.runtime.pool))


@router.get("/ui/transfers", include_in_schema=False, response_class=HTMLResponse)
async def transfers(request: Request, org: Org, who: ParkReader) -> HTMLResponse:
    await _after(request, org, (TRANSFER_LETTERS,))
    done = request.query_params.get("done", "")
    return await _page(request, org, flash={"issued": "介绍信已登记", "returned": "回执已登记"}.get(done, ""))


@router.post("/ui/transfers", include_in_schema=False, response_class=HTMLResponse)
async def issue(request: Request, org: Org, who: Admin) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip()
            for k in ("member_id", "direction", "letter_no", "organization", "issued_on", "valid_until")}
    errors: dict[str, str] = {}
    if not ID.match(form["member_id"]):
        errors["member_id"] = "请填写党员编号"
    if form["direction"] not in DIRECTION_ZH:
        errors["direction"] = "请选择转出或转入"
    issued_on = _day(form["issued_on"]) if form["issued_on"] else None
    if form["issued_on"] and issued_on is None:
        errors["issued_on"] = "日期格式为 YYYY-MM-DD"
    valid_until = _day(form["valid_until"])
    if valid_until is None:
        errors["valid_until"] = "请填写有效期至（YYYY-MM-DD）"
    if errors or valid_until is None:
        return await _page(request, org, status=422, errors=errors, form=form)
    try:
        result = await org.issue_transfer_letter(
            transfer_id=new_id(), member_id=form["member_id"], direction=form["direction"],
            letter_no=form["letter_no"], organization=form["organization"], valid_until=valid_until, on=issued_on)
    except DomainError as refused:
        field = {"effective_on": "issued_on"}.get(refused.field or "", refused.field or "letter_no")
        return await _page(request, org, status=refused.status if refused.status >= 400 else 409,
                           errors={field: refused.detail_zh or "无法登记介绍信"}, form=form)
    return console.redirect(request, f"/ui/transfers?done=issued&after={result.position}")


@router.post("/ui/transfers/{transfer_id}/return-slip", include_in_schema=False, response_class=HTMLResponse)
async def return_slip(request: Request, org: Org, who: Admin, transfer_id: str) -> Response:
    raw = await request.form()
    text = str(raw.get("returned_on") or "").strip()
    on = _day(text) if text else None
    if not ID.match(transfer_id) or (text and on is None):
        return await _page(request, org, status=422, errors={"returned_on": "回执日期格式为 YYYY-MM-DD"})
    try:
        result = await org.record_return_slip(transfer_id, on)
    except DomainError as refused:
        return await _page(request, org, status=refused.status if refused.status >= 400 else 409,
                           errors={"returned_on": refused.detail_zh or "无法登记回执"})
    return console.redirect(request, f"/ui/transfers?done=returned&after={result.position}")

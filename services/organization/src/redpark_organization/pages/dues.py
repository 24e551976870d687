"""The dues pages (党费): a member's yearly statement with the two commands a branch issues for it, 核定党费
(the standard from the category and declared income) and 交纳党费 (one month, arrears or months in
advance), and the arrears list flagged at 3 and 6 months. park_admin and the member's branch secretary
write; auditors read."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from starlette.responses import HTMLResponse, Response

from redpark_platform.console import page_roles
from redpark_platform.decider import DomainError
from redpark_platform.web import Principal, bounded

from ..api.deps import Org
from ..application.organization import Organization
from ..domain.dues import MAX_MONTHS_PER_PAYMENT
from ..domain.dues_standard import CATEGORY_ZH
from ..queries import console as views
from ..queries import dues as dues_reads
from ..queries import park as park_reads
from . import console
from .staff import _after, _not_found, _own, _render

router = APIRouter()

Reader = Annotated[Principal, page_roles("park_admin", "branch_secretary", "auditor")]
Writer = Annotated[Principal, page_roles("park_admin", "branch_secretary")]
Id = Annotated[bounded.Id, PathParam()]
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
YUAN = re.compile(r"^\d{1,9}(\.\d{1,2})?$")  # ASCII digits, as the API's fen are
FLAG_ZH = {"three_months": "连续3个月未交", "six_months": "连续6个月未交（党章第三十八条，支部应审查）"}


def _fen(text: str) -> int | None:
    text = text.strip()
    if not YUAN.match(text):
        return None
    whole, _, cents = text.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def _this_month(org: Organization) -> str:
    today = org.today()
    return f"{today.year:04d}-{today.month:02d}"


async def _member_page(request: Request, org: Organization, who: Principal, member_id: str, *, status: int = 200,
                       errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
                       flash: str = "") -> HTMLResponse:
    pool = org.runtime.pool
    row = await views.member(pool, member_id)
    if row is None:
        return _not_found(request, "党员")
    _own(who, row["branch_id"])
    this_month = _this_month(org)
    year_text = request.query_params.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else int(this_month[:4])
    dues = await dues_reads.member_dues(pool, member_id, year, min(this_month, f"{year:04d}-12"))
    first_owed = dues.arrears_months[0] if dues.arrears_months else this_month
    return _render(request, "org/member_dues.html", status=status, m=row, dues=dues, year=year,
                   categories=CATEGORY_ZH, flags=FLAG_ZH, errors=errors or {}, form=form or {}, flash=flash,
                   writer=bool({"park_admin", "branch_secretary"} & set(who.roles)),
                   this_month=this_month, first_owed=first_owed, max_months=MAX_MONTHS_PER_PAYMENT,
                   names=await park_reads.names(pool))


@router.get("/ui/members/{member_id}/dues", include_in_schema=False, response_class=HTMLResponse)
async def member_dues(request: Request, org: Org, who: Reader, member_id: Id) -> HTMLResponse:
    await _after(request, org)
    done = request.query_params.get("done", "")
    flash = {"standard": "党费标准已核定", "paid": "党费已登记"}.get(done, "")
    return await _member_page(request, org, who, member_id, flash=flash)


@router.post("/ui/members/{member_id}/dues/standard", include_in_schema=False, response_class=HTMLResponse)
async def assess(request: Request, org: Org, who: Writer, member_id: Id) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip() for k in ("category", "effective_from", "income", "amount", "reason")}
    errors: dict[str, str] = {}
    if form["category"] not in CATEGORY_ZH:
        errors["category"] = "请选择党费类别"
    if not MONTH.match(form["effective_from"]):
        errors["effective_from"] = "请填写起始月份（如 2026-01）"
    income = _fen(form["income"]) if form["income"] else None
    if form["income"] and income is None:
        errors["income"] = "月收入请填写金额（元，最多两位小数）"
    amount = _fen(form["amount"]) if form["amount"] else None
    if form["amount"] and amount is None:
        errors["amount"] = "金额请填写数字（元，最多两位小数）"
    if not errors:
        row = await views.member(org.runtime.pool, member_id)
        if row is not None:
            _own(who, row["branch_id"])
        try:
            result = await org.assess_dues(member_id, category=form["category"],
                                           effective_from=form["effective_from"], monthly_income_fen=income,
                                           monthly_amount_fen=amount, reason=form["reason"])
        except DomainError as refused:
            field = {"monthly_income_fen": "income", "monthly_amount_fen": "amount"}.get(refused.field or "",
                                                                                          refused.field or "category")
            errors[field] = refused.detail_zh or "无法核定党费"
            status = refused.status if refused.status >= 400 else 409
            return await _member_page(request, org, who, member_id, status=status, errors=errors, form=form)
        return console.redirect(request, f"/ui/members/{member_id}/dues?done=standard&after={result.position}")
    return await _member_page(request, org, who, member_id, status=422, errors=errors, form=form)


@router.post("/ui/members/{member_id}/dues/payments", include_in_schema=False, response_class=HTMLResponse)
async def pay(request: Request, org: Org, who: Writer, member_id: Id) -> Response:
    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip() for k in ("from_month", "count", "paid")}
    errors: dict[str, str] = {}
    if not MONTH.match(form["from_month"]):
        errors["from_month"] = "请填写起始月份（如 2026-01）"
    count = int(form["count"]) if form["count"].isdigit() and len(form["count"]) <= 2 else 0
    if not 1 <= count <= MAX_MONTHS_PER_PAYMENT:
        errors["count"] = f"月数为1至{MAX_MONTHS_PER_PAYMENT}"
    paid = _fen(form["paid"])
    if paid is None:
        errors["paid"] = "请填写实收金额（元，最多两位小数）"
    if not errors and paid is not None:
        row = await views.member(org.runtime.pool, member_id)
        if row is not None:
            _own(who, row["branch_id"])
        y, m = int(form["from_month"][:4]), int(form["from_month"][5:])
        months = [f"{(y * 12 + m - 1 + n) // 12:04d}-{(y * 12 + m - 1 + n) % 12 + 1:02d}" for n in range(count)]
        try:
            result = await org.pay_dues_months(member_id, months, paid, None)
        except DomainError as refused:
            field = {"months": "from_month", "amount_fen": "paid"}.get(refused.field or "", "from_month")
            errors[field] = refused.detail_zh or "无法登记党费"
            status = refused.status if refused.status >= 400 else 409
            return await _member_page(request, org, who, member_id, status=status, errors=errors, form=form)
        return console.redirect(request, f"/ui/members/{member_id}/dues?done=paid&after={result.position}")
    return await _member_page(request, org, who, member_id, status=422, errors=errors, form=form)


@router.get("/ui/dues/arrears", include_in_schema=False, response_class=HTMLResponse)
async def arrears(request: Request, org: Org, who: Reader) -> HTMLResponse:
    await _after(request, org)
    this_month = _this_month(org)
    month = request.query_params.get("month", "")
    month = month if MONTH.match(month) else this_month
    flag = request.query_params.get("flag", "")
    branch_id = None if {"park_admin", "auditor"} & set(who.roles) else (who.branch_id or "-")
    _totals, lines = dues_reads.arrears_lines(await dues_reads.dues_arrears(org.runtime.pool, month, branch_id))
    wanted: Any = {"three_months": ("three_months", "six_months"), "six_months": ("six_months",)}.get(flag)
    if wanted:
        lines = [line for line in lines if line.flag in wanted]
    return _render(request, "org/dues_arrears.html", lines=lines, month=month, flag=flag, flags=FLAG_ZH,
                   names=await park_reads.names(org.runtime.pool))

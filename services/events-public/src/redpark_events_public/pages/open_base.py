"""Open-base visits on the console: the public's request form and the staff's days, confirm and decline.

The pages call the same application layer and read model as `api/open_base.py`, so a page shows
what the API answers: bookings without the contact's name or phone (the read model keeps neither).
The public form goes through the API's own open-base rate limits (the same counters, per address
and per contact phone) and refuses what the API refuses, with the rule's message beside the field.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from redpark_platform.calendar import park_date
from redpark_platform.console import language, page_roles, stream_history, translator
from redpark_platform.errors import DomainError
from redpark_platform.web import Principal
from redpark_platform.web.ratelimit import TooManyRequests, rate_limited

from ..api.deps import OPEN_BASE, App, layer_in, rate_limit_of
from ..application import EventsPublic
from ..domain.open_base import LAPSE_NOTICE, open_base_stream
from ..domain.phone import normalise_phone
from ..queries import open_base as open_base_queries
from . import OPEN_BASE_HISTORY_LABELS, console
from .public import ticket_limit

public = APIRouter(include_in_schema=False)
staff = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, page_roles("events_officer", "park_admin", "auditor")]
Officer = Annotated[Principal, page_roles("events_officer", "park_admin")]
BookingId = Annotated[str, Path(max_length=64)]
DayText = Annotated[str, Path(max_length=10)]
# The API's own bounds on the request body (`NewOpenBaseVisit`, `OpenBaseDecision`): the page refuses
# the same lengths, beside the field, instead of storing a cut-off text.
TEXT_FIELDS = {"organization": 200, "contact_name": 100, "contact_phone": 30}
REQUEST_FIELDS = ("day", "organization", "contact_name", "contact_phone", "group_size")
SHORT_FIELD = 40  # the day and the group size: longer is no date and no group the decider would take
REASON_LENGTH = 500
HISTORY_SHOWN = 200
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # ASCII digits, as the API reads JSON numbers


def _day_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _said(request: Request, refused: DomainError) -> str:
    return refused.detail if language(request) == "en" else refused.detail_zh


async def _wait_for_after(app: EventsPublic, request: Request) -> None:
    """After a redirect from a form: show the page once the read model holds what was just written."""
    after = request.query_params.get("after", "")
    if after.isdigit() and len(after) < 19:
        try:
            await app.runtime.wait_for(OPEN_BASE, int(after), strict=True)
        except DomainError:
            pass  # a position never handed out: the page as it stands


# --- the public's request form ---------------------------------------------------------------------


async def _form_contact_phone_key(request: Request) -> str | None:
    """The form's contact phone as its keyed hash, as the API's limit keys it; None when not a number."""
    form = await request.form()
    try:
        number = normalise_phone(str(form.get("contact_phone") or ""))
    except DomainError:
        return None
    return layer_in(request).hash_phone(number)


# The API's limit itself, called inside the handler so that a refusal can be shown on the page.
request_limit = rate_limited(rate_limit_of("open_base"), key=_form_contact_phone_key, key_field="contact_phone",
                             key_name="this phone number", key_name_zh="该手机号").dependency


def _request_form(request: Request, app: EventsPublic, *, values: dict[str, str] | None = None,
                  errors: dict[str, str] | None = None, flash: str = "", status: int = 200,
                  headers: dict[str, str] | None = None) -> HTMLResponse:
    limits = app.open_base.limits
    today = park_date(app.now())
    return console.render(
        request, "ep/public_open_base.html", status=status, headers=headers,
        values=values or {}, errors=errors or {}, flash=flash, flash_kind="bad",
        first_day=today + timedelta(days=1), last_day=today + timedelta(days=limits.max_days_ahead),
        max_group=limits.max_group_size, days_ahead=limits.max_days_ahead,
        hold_hours=_hours(limits.hold_for))


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


@public.get("/ui/public/open-base", response_class=HTMLResponse)
async def request_form(request: Request, app: App) -> HTMLResponse:
    return _request_form(request, app)


def _parsed(request: Request, values: dict[str, str], errors: dict[str, str]) -> tuple[date, int]:
    """The day and the group size as the API's body carries them: what does not parse is an error
    beside its field; the rules themselves (how far ahead, how large) are the decider's."""
    day = _day_of(values["day"].strip())
    if day is None:
        errors.setdefault("day", _phrase(request, "请选择参观日期（如 2026-07-01）。"))
    size = values["group_size"].strip()
    if _WHOLE_NUMBER.fullmatch(size) is None:
        errors.setdefault("group_size", _phrase(request, "来访人数请填写整数。"))
    # At most 40 digits (the form's values are cut there): any such number is a size the decider judges.
    return day or date.min, int(size) if "group_size" not in errors else 0


def _refused(request: Request, app: EventsPublic, values: dict[str, str], refused: DomainError) -> HTMLResponse:
    """The form again with the refusal beside its field, or above the form when it names none (the
    per-address rate limit); a rate limit keeps its Retry-After."""
    said = _said(request, refused)
    field = refused.field if refused.field in REQUEST_FIELDS else None
    return _request_form(request, app, values=values, errors={field: said} if field else {},
                         flash="" if field else said, status=refused.status if refused.status >= 400 else 409,
                         headers=getattr(refused, "headers", None))


def _phrase(request: Request, phrase: str) -> str:
    return translator(language(request))(phrase)


@public.post("/ui/public/open-base", response_class=HTMLResponse)
async def request_visit(request: Request, app: App) -> Response:
    form = await request.form()
    raw = {name: str(form.get(name) or "") for name in REQUEST_FIELDS}
    values = {name: text[:TEXT_FIELDS.get(name, SHORT_FIELD)] for name, text in raw.items()}
    try:
        # The limit first, as the API's: a refused request must not be judged on its contents.
        await request_limit(request)
    except TooManyRequests as refused:
        return _refused(request, app, values, refused)
    errors = {name: _phrase(request, "内容过长，最多 %d 个字。") % limit
              for name, limit in TEXT_FIELDS.items() if len(raw[name]) > limit}
    day, group_size = _parsed(request, values, errors)
    if errors:
        return _request_form(request, app, values=values, errors=errors, status=422)
    try:
        booking_id, result = await app.open_base.request_visit(
            day=day, organization=values["organization"], contact_name=values["contact_name"],
            contact_phone=values["contact_phone"], group_size=group_size)
    except DomainError as refused:
        return _refused(request, app, values, refused)
    return console.redirect(request, f"/ui/public/open-base/visits/{quote(booking_id)}?after={result.position}")


@public.get("/ui/public/open-base/visits/{booking_id}", response_class=HTMLResponse)
async def request_answer(request: Request, app: App, booking_id: BookingId) -> Response:
    """The answer to a request, at an address only its sender knows: whether staff confirmed it yet."""
    try:
        await ticket_limit(request)  # look-ups by an unguessable id, bounded as the ticket pages' are
    except TooManyRequests as refused:
        return console.render(request, "ep/public_message.html", status=429, heading="请稍后再试",
                              message=_said(request, refused), headers=refused.headers)
    await _wait_for_after(app, request)
    visit = await open_base_queries.open_base_visit(app.runtime.pool, booking_id, app.open_base.limits.hold_for)
    if visit is None:
        return console.render(request, "ep/public_message.html", status=404, heading="预约不存在",
                              message="未找到该预约，请核对链接。")
    return console.render(request, "ep/public_open_base_answer.html", visit=visit, now=app.now(),
                          lapse_notice=LAPSE_NOTICE,
                          headers={"Cache-Control": "private, no-store"})


# --- the staff's pages -----------------------------------------------------------------------------


@staff.get("/ui/open-base/", response_class=HTMLResponse)
async def days(request: Request, app: App, who: Reader) -> Response:
    wanted = request.query_params.get("day", "")[:10]
    if wanted:
        day = _day_of(wanted)
        if day is not None:
            return console.redirect(request, f"/ui/open-base/days/{day.isoformat()}")
    limits = app.open_base.limits
    now = app.now()
    today = park_date(now)
    listed = await open_base_queries.open_base_days(
        app.runtime.pool, today, today + timedelta(days=limits.max_days_ahead), limits.daily_capacity,
        now=now, hold_for=limits.hold_for)
    return console.render(request, "ep/staff_open_base_days.html", listed=listed, now=now, limits=limits,
                          hold_hours=_hours(limits.hold_for), asked=wanted)


async def _day_page(request: Request, app: EventsPublic, who: Principal, day: date, *,
                    errors: dict[str, dict[str, str]] | None = None, flash: str = "", flash_kind: str = "ok",
                    status: int = 200) -> HTMLResponse:
    limits = app.open_base.limits
    now = app.now()
    view = await open_base_queries.open_base_day(app.runtime.pool, day, limits.daily_capacity, now=now,
                                                 hold_for=limits.hold_for)
    history = await stream_history(app.runtime.store, open_base_stream(day), OPEN_BASE_HISTORY_LABELS)
    return console.render(request, "ep/staff_open_base_day.html", status=status, view=view, now=now,
                          errors=errors or {}, flash=flash, flash_kind=flash_kind,
                          may_edit=who.has_any(("events_officer", "park_admin")),
                          history=history[:HISTORY_SHOWN], local=console._local)


def _no_such_day(request: Request) -> HTMLResponse:
    return console.render(request, "console/message.html", status=404, heading="日期无效",
                          message="请使用 2026-07-01 这样的日期。")


DONE = {"confirmed": "已确认该预约", "declined": "已婉拒该预约"}


@staff.get("/ui/open-base/days/{day}", response_class=HTMLResponse)
async def day_page(request: Request, app: App, who: Reader, day: DayText) -> Response:
    parsed = _day_of(day)
    if parsed is None:
        return _no_such_day(request)
    await _wait_for_after(app, request)
    done = DONE.get(request.query_params.get("done", ""), "")
    return await _day_page(request, app, who, parsed, flash=_phrase(request, done) if done else "")


async def _decided(request: Request, app: EventsPublic, who: Principal, day: date, booking_id: str,
                   decision: str, reason: str = "") -> Response:
    try:
        if decision == "confirmed":
            result = await app.open_base.confirm(booking_id, day=day, by=who.subject)
        else:
            result = await app.open_base.decline(booking_id, day=day, reason=reason, by=who.subject)
    except DomainError as refused:
        said = _said(request, refused)
        beside = {booking_id: {"reason": said}} if refused.field == "reason" else {}
        return await _day_page(request, app, who, day, errors=beside, flash="" if beside else said,
                               flash_kind="bad", status=refused.status if refused.status >= 400 else 409)
    return console.redirect(request, f"/ui/open-base/days/{day.isoformat()}?done={decision}&after={result.position}")


@staff.post("/ui/open-base/days/{day}/visits/{booking_id}/confirmation", response_class=HTMLResponse)
async def confirm(request: Request, app: App, who: Officer, day: DayText, booking_id: BookingId) -> Response:
    parsed = _day_of(day)
    if parsed is None:
        return _no_such_day(request)
    return await _decided(request, app, who, parsed, booking_id, "confirmed")


@staff.post("/ui/open-base/days/{day}/visits/{booking_id}/decline", response_class=HTMLResponse)
async def decline(request: Request, app: App, who: Officer, day: DayText, booking_id: BookingId) -> Response:
    parsed = _day_of(day)
    if parsed is None:
        return _no_such_day(request)
    reason = str((await request.form()).get("reason") or "")
    if len(reason) > REASON_LENGTH:
        too_long = _phrase(request, "内容过长，最多 %d 个字。") % REASON_LENGTH
        return await _day_page(request, app, who, parsed, errors={booking_id: {"reason": too_long}},
                               status=422)
    return await _decided(request, app, who, parsed, booking_id, "declined", reason)

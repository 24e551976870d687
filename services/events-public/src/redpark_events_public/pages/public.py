"""The public's pages (no sign-in, no script): events, sessions, registration, ticket, cancellation.

The forms post to these routes, which call the same application layer as the JSON API and are
counted by the same rate limits (the same counters: a page post and an API call of one phone add
up). A refusal re-renders the form with the rule's Chinese message beside the field at fault.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from redpark_contracts.events_public import RegistrationCancelled
from redpark_platform.errors import DomainError
from redpark_platform.masking import mask_phone
from redpark_platform.web.bounded import Id
from redpark_platform.web.ratelimit import TooManyRequests, rate_limited

from ..api.deps import CATALOGUE, App, layer_in, rate_limit_of
from ..application import EventsPublic
from ..domain.phone import normalise_phone
from ..domain.registration import Confirmed, Waitlisted
from ..domain.ticket import format_ticket_code, normalise_ticket_code
from ..queries import catalogue as catalogue_queries
from ..queries import registrations as registration_queries
from ..queries.views import SessionView
from . import KIND_TITLES, console

router = APIRouter(include_in_schema=False)

SessionId = Annotated[Id, Path()]
TicketCode = Annotated[str, Path(max_length=40)]
REGISTRATION_FIELDS = ("name", "phone", "adults", "children_ages", "consent", "phone_code")
# Carried by the form, not typed: the id of the code last sent to the phone.
CHALLENGE_FIELD = "phone_challenge"
CANCELLATION_FIELDS = ("ticket_code", "phone")
MAX_ADULTS = 20
MAX_CHILDREN = 20
_AGE_SEPARATORS = re.compile(r"[\s,，、;；]+")


async def _form_phone_key(request: Request) -> str | None:
    """The form's phone as its keyed hash (as the API's limit keys it); None when not a number."""
    form = await request.form()
    try:
        number = normalise_phone(str(form.get("phone") or ""))
    except DomainError:
        return None
    return layer_in(request).hash_phone(number)


_PER_PHONE: dict[str, Any] = {"key": _form_phone_key, "key_field": "phone", "key_name": "this phone number",
                              "key_name_zh": "该手机号"}
# The API's own limits, called from inside the handlers so a refusal can be shown on the page.
registration_limit = rate_limited(rate_limit_of("registration"), **_PER_PHONE).dependency
cancellation_limit = rate_limited(rate_limit_of("cancellation"), **_PER_PHONE).dependency
ticket_limit = rate_limited(rate_limit_of("ticket")).dependency


def _after(request: Request) -> int | None:
    raw = request.query_params.get("after", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def _message(request: Request, heading: str, message: str, status: int, **extra: Any) -> HTMLResponse:
    return console.render(request, "ep/public_message.html", status=status, heading=heading, message=message,
                          **extra)


def registration_state(session: SessionView, now: datetime) -> str:
    """open / not_open_yet / closed: what the page offers (the rule itself decides on arrival)."""
    if now < session.registration_opens_at:
        return "not_open_yet"
    if now >= session.registration_closes_at or now >= session.ends_at:
        return "closed"
    return "open"


@router.get("/", response_class=HTMLResponse)
async def events(request: Request, app: App) -> HTMLResponse:
    now = app.now()
    listed = []
    for activity in await catalogue_queries.catalogue(app.runtime.pool):
        upcoming = [s for s in activity.sessions if s.ends_at > now]
        if upcoming:
            listed.append((activity, upcoming))
    listed.sort(key=lambda pair: pair[1][0].starts_at)
    return console.render(request, "ep/public_events.html", listed=listed, kinds=KIND_TITLES)


@router.get("/ui/public/", response_class=HTMLResponse)
async def events_again(request: Request, app: App) -> HTMLResponse:
    return await events(request, app)


ActivityId = Annotated[Id, Path()]


@router.get("/ui/public/activities/{activity_id}", response_class=HTMLResponse)
async def activity_page(request: Request, app: App, activity_id: ActivityId) -> Response:
    listed = await catalogue_queries.catalogue(app.runtime.pool)
    activity = next((a for a in listed if a.activity_id == activity_id), None)
    if activity is None:
        return _message(request, "活动不存在", "活动不存在或已撤下。", 404)
    now = app.now()
    sessions = [(s, registration_state(s, now)) for s in activity.sessions if s.ends_at > now]
    carnival = (await catalogue_queries.published_activity(app.runtime.pool, activity.carnival_id)
                if activity.carnival_id else None)
    return console.render(request, "ep/public_activity.html", activity=activity, sessions=sessions,
                          kinds=KIND_TITLES, carnival=carnival)


async def _session_page(app: EventsPublic, session_id: str) -> tuple[SessionView, dict[str, Any]] | None:
    try:
        session = await catalogue_queries.session(app.runtime.pool, session_id)
    except DomainError:
        return None
    activity = await catalogue_queries.published_activity(app.runtime.pool, session.activity_id)
    return session, activity or {"title": session.activity_id, "kind": "", "activity_id": session.activity_id}


def _shown(refused: DomainError, fields: tuple[str, ...]) -> dict[str, Any]:
    """How a form shows a refusal: beside its field when the form has it, else above the form."""
    beside = refused.field is not None and refused.field in fields
    return {
        "errors": {refused.field: refused.detail_zh} if beside else {},
        "flash": "" if beside else refused.detail_zh,
        "status": refused.status if refused.status >= 400 else 409,
        "headers": getattr(refused, "headers", None),  # a rate limit's Retry-After
    }


def _registration_form(request: Request, now: datetime, session: SessionView, activity: dict[str, Any], *,
                       values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                       flash: str = "", flash_kind: str = "bad", status: int = 200,
                       headers: dict[str, str] | None = None) -> HTMLResponse:
    return console.render(
        request, "ep/public_register.html", status=status, headers=headers, session=session,
        activity=activity, state=registration_state(session, now),
        values=values or {"adults": "1"}, errors=errors or {}, flash=flash, flash_kind=flash_kind,
        kinds=KIND_TITLES)


async def _form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "")[:200] for name in (*REGISTRATION_FIELDS, CHALLENGE_FIELD)}


@router.get("/ui/public/sessions/{session_id}", response_class=HTMLResponse)
async def registration_form(request: Request, app: App, session_id: SessionId) -> Response:
    found = await _session_page(app, session_id)
    if found is None:
        return _message(request, "场次不存在", "场次不存在。", 404)
    return _registration_form(request, app.now(), *found)


def _party(values: dict[str, str], errors: dict[str, str]) -> tuple[int, list[int]]:
    adults, ages = 0, []
    try:
        adults = int(values["adults"].strip() or "0")
        if not 0 <= adults <= MAX_ADULTS:
            raise ValueError
    except ValueError:
        errors["adults"] = f"成人人数请填写0至{MAX_ADULTS}之间的整数。"
    text = values["children_ages"].strip()
    if text:
        try:
            ages = [int(part) for part in _AGE_SEPARATORS.split(text) if part]
            if len(ages) > MAX_CHILDREN or any(not 0 <= a <= 150 for a in ages):
                raise ValueError
        except ValueError:
            errors["children_ages"] = "儿童年龄请填写数字（周岁），多个孩子用逗号分隔，如 7, 10。"
    return adults, ages


def _ticket_path(session_id: str, ticket_code: str, position: int) -> str:
    # `after`: the ticket page waits for the read model to hold this very registration.
    code = format_ticket_code(ticket_code)
    return f"/ui/public/sessions/{quote(session_id)}/tickets/{code}?after={position}"


@router.post("/ui/public/sessions/{session_id}", response_class=HTMLResponse)
async def register(request: Request, app: App, session_id: SessionId) -> Response:
    found = await _session_page(app, session_id)
    if found is None:
        return _message(request, "场次不存在", "场次不存在。", 404)
    form = await request.form()
    values = await _form_values(request)
    try:
        await registration_limit(request)
    except TooManyRequests as refused:
        return _registration_form(request, app.now(), *found, values=values,
                                  **_shown(refused, REGISTRATION_FIELDS))
    errors: dict[str, str] = {}
    adults, ages = _party(values, errors)
    if errors:
        return _registration_form(request, app.now(), *found, values=values, errors=errors, status=422)
    try:
        result = await app.sessions.register(session_id, name=values["name"], phone=values["phone"],
                                             adults=adults, children_ages=ages,
                                             consent=values["consent"] == "yes",
                                             proof_of_work=str(form.get("proof_of_work") or "")[:2000] or None,
                                             phone_code=values["phone_code"] or None,
                                             phone_challenge=values[CHALLENGE_FIELD] or None)
    except DomainError as refused:
        return _registration_form(request, app.now(), *found, values=values,
                                  **_shown(refused, REGISTRATION_FIELDS))
    assert isinstance(result.outcome, Confirmed | Waitlisted)
    return console.redirect(request, _ticket_path(session_id, result.outcome.ticket_code, result.position))


@router.post("/ui/public/sessions/{session_id}/phone-codes", response_class=HTMLResponse)
async def send_phone_code(request: Request, app: App, session_id: SessionId) -> Response:
    """The form's "send me a code" button: the same form comes back, holding the code's challenge."""
    found = await _session_page(app, session_id)
    if found is None:
        return _message(request, "场次不存在", "场次不存在。", 404)
    values = await _form_values(request)
    try:
        # Counted as a registration, as the API's route is.
        await registration_limit(request)
        challenge = await app.sessions.send_phone_code(session_id, values["phone"])
    except DomainError as refused:
        return _registration_form(request, app.now(), *found, values=values,
                                  **_shown(refused, REGISTRATION_FIELDS))
    values = {**values, CHALLENGE_FIELD: challenge.challenge_id, "phone_code": ""}
    minutes = int((challenge.expires_at - app.now()).total_seconds() // 60)
    return _registration_form(request, app.now(), *found, values=values, flash_kind="ok",
                              flash=f"验证码已发送至 {mask_phone(normalise_phone(values['phone']))}，"
                                    f"{minutes} 分钟内有效。")


@router.get("/ui/public/sessions/{session_id}/tickets/{ticket_code}", response_class=HTMLResponse)
async def ticket_page(request: Request, app: App, session_id: SessionId, ticket_code: TicketCode) -> Response:
    try:
        await ticket_limit(request)
    except TooManyRequests as refused:
        return _message(request, "请稍后再试", refused.detail_zh, 429, headers=refused.headers)
    found = await _session_page(app, session_id)
    if found is None:
        return _message(request, "场次不存在", "场次不存在。", 404)
    try:
        code = normalise_ticket_code(ticket_code)
        await app.runtime.wait_for(CATALOGUE, _after(request), strict=True)
        ticket = await registration_queries.ticket(app.runtime.pool, session_id, code)
    except DomainError as refused:
        return _message(request, "无此票", refused.detail_zh, 404)
    session, activity = found
    return console.render(request, "ep/public_ticket.html", ticket=ticket, session=session, activity=activity,
                          code=format_ticket_code(ticket.ticket_code), after=_after(request),
                          kinds=KIND_TITLES,
                          headers={"Cache-Control": "private, no-store"})


def _cancel_form(request: Request, session: SessionView, activity: dict[str, Any], *,
                 values: dict[str, str], errors: dict[str, str] | None = None, flash: str = "",
                 status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return console.render(request, "ep/public_cancel.html", status=status, headers=headers, session=session,
                          activity=activity, values=values, errors=errors or {}, flash=flash,
                          flash_kind="bad", kinds=KIND_TITLES)


@router.get("/ui/public/sessions/{session_id}/cancel", response_class=HTMLResponse)
async def cancel_form(request: Request, app: App, session_id: SessionId) -> Response:
    found = await _session_page(app, session_id)
    if found is None:
        return _message(request, "场次不存在", "场次不存在。", 404)
    code = request.query_params.get("code", "")[:40]
    return _cancel_form(request, *found, values={"ticket_code": code, "phone": ""})


@router.post("/ui/public/sessions/{session_id}/cancel", response_class=HTMLResponse)
async def cancel(request: Request, app: App, session_id: SessionId) -> Response:
    found = await _session_page(app, session_id)
    if found is None:
        return _message(request, "场次不存在", "场次不存在。", 404)
    form = await request.form()
    values = {name: str(form.get(name) or "")[:40] for name in CANCELLATION_FIELDS}
    try:
        await cancellation_limit(request)
        result = await app.sessions.cancel(session_id, ticket_code=values["ticket_code"], phone=values["phone"])
    except DomainError as refused:  # a rate limit (429) too
        return _cancel_form(request, *found, values=values, **_shown(refused, CANCELLATION_FIELDS))
    cancelled = next(e for e in result.events if isinstance(e, RegistrationCancelled))
    return console.redirect(request, _ticket_path(session_id, cancelled.ticket_code, result.position))

"""A person's rights under PIPL in every service: erasure and their own copy.

`POST /privacy/erasures` (park_admin) erases one person, named by the service's own id of them (or,
where the service knows people only by phone, by phone): the person's key is destroyed (every sealed
value of theirs, in the store, on the bus and in every replay, then reads `已删除`), each read model
forgets them (`Projection.forget`), the clear values that reached the platform's own tables
(stored idempotent answers, inbound webhook payloads, dead letters) are blanked, and
`<service>.person.erased` is recorded: who, when, why, never a name. Services reading this one's
stream forget the person too when that event reaches their read models.

`GET /privacy/subjects/{id}` (park_admin) is everything the service holds about one person: the
events that name them (opened) and every read-model row holding their id, as JSON or XLSX.
`create_service_app` mounts both in every service.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Annotated, Any

import asyncpg
import msgspec
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from redpark_contracts.privacy import ErasureReason, PersonErased, erasure_stream

from .console.i18n import add_phrases
from .console.pages import Console, page_roles
from .errors import DomainError, ErrorCatalogue
from .events import Event, RecordedEvent
from .exports import Sheet, xlsx_openapi, xlsx_sheets_response
from .masking import ERASED
from .personal import open_personal
from .projections import Reaction
from .runtime import Runtime
from .web.auth import Principal, require_roles
from .web.bodies import Body, MsgspecResponse, response_schema
from .web.bounded import Id, OptionalId, Phone

ROLES = ("park_admin",)
# Where to find the people a phone names, for services that know the public by phone only.
PhoneLookup = Callable[[Runtime, str], Awaitable[list[str]]]
# A value shorter than this is not worth searching for: it would blank unrelated text.
_MIN_VALUE = 2
# The platform's own tables that may hold a clear personal value given to an edge: a stored
# idempotent answer, an inbound webhook's payload, a message a read model set aside.
_PLATFORM_COPIES = (("idempotency_keys", "body"), ("webhook_inbox", "payload"),
                    ("projection_dead_letters", "body"))

# The platform's own tables that name a person by id: the notification outbox (address and values
# sealed with the person's key; what staff see, masked, is blanked on erasure).
_PLATFORM_ROWS = (("notifications", "subject_id", ("recipient_masked",)),)

ERRORS = ErrorCatalogue({
    "privacy.unknown_person": ("not_found", "this service holds nothing about {who}",
                               "本服务没有关于 {who} 的任何数据"),
    "privacy.one_way_to_name": ("invalid", "name the person by subject_id or by phone, exactly one of them",
                                "请只用 subject_id 或手机号码之一指明此人"),
    "privacy.phone_not_known_here": ("invalid", "this service does not know people by phone; use subject_id",
                                     "本服务不按手机号码识别人员，请使用 subject_id"),
})


REASONS = (("person_request", "本人申请删除"), ("consent_withdrawn", "撤回同意"), ("retention_ended", "保存期限届满"),
           ("left_the_park", "已离开园区"), ("legal_order", "依法要求"))

add_phrases({
    "个人信息": "Personal data",
    "按《个人信息保护法》：查看本服务保存的某人的全部信息，或应其要求删除。删除后不可恢复。":
        "Under PIPL: see everything this service holds about a person, or erase it at their request. "
        "An erasure cannot be undone.",
    "人员编号": "Person's id",
    "查看": "Look up",
    "事件": "Events",
    "读模型记录": "Read-model rows",
    "下载副本（Excel）": "Download the copy (Excel)",
    "删除个人信息": "Erase a person",
    "或手机号码（公众报名人）": "or phone (public registrants)",
    "删除": "Erase",
    "记录数": "Rows",
    "密钥": "Key",
    "已销毁": "destroyed",
    "本人申请删除": "The person asked",
    "撤回同意": "Consent withdrawn",
    "保存期限届满": "Retention period ended",
    "已离开园区": "Left the park",
    "依法要求": "Required by law",
})


class ErasureRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Who to erase and why. `why` is a reason from a closed list: no free text is stored."""

    subject_id: OptionalId = ""
    phone: Phone | None = None
    why: ErasureReason


class Erased(msgspec.Struct, frozen=True, kw_only=True):
    where: str  # a read model, or a platform table
    rows: int


class PersonErasure(msgspec.Struct, frozen=True, kw_only=True):
    subject_id: str
    already_erased: bool  # erased before: the key was gone already; the read models were checked again
    erased: list[Erased]


class ErasureReport(msgspec.Struct, frozen=True, kw_only=True):
    """What was erased where, in this service. `position` is the erasure event's (the last one)."""

    service: str
    people: list[PersonErasure]
    position: int


class HeldEvent(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    stream_id: str
    type: str
    recorded_at: datetime
    data: dict[str, Any]


class HeldRow(msgspec.Struct, frozen=True, kw_only=True):
    table: str
    row: dict[str, Any]


class SubjectCopy(msgspec.Struct, frozen=True, kw_only=True):
    """Everything this service holds about one person: the events naming them, their personal fields
    opened (`已删除` once erased), and every read-model row holding their id."""

    service: str
    subject_id: str
    erased: bool
    events: list[HeldEvent]
    rows: list[HeldRow]


# --- reading what the service holds --------------------------------------------------------------


async def _events_naming(runtime: Runtime, conn: Any, subject_id: str) -> list[tuple[Event, RecordedEvent]]:
    """The stored events with the id as one of their values (any field, nested too), decoded and opened."""
    rows = await conn.fetch(
        "SELECT position, id, stream_id, version, type, type_version, data::text AS data, recorded_at, traceparent"
        " FROM events WHERE jsonb_path_exists(data::jsonb, '$.** ? (@ == $id)', jsonb_build_object('id', $1::text))"
        " ORDER BY position", subject_id)
    records = [RecordedEvent(id=r["id"], stream_id=r["stream_id"], version=r["version"], position=r["position"],
                             type=r["type"], type_version=r["type_version"], data=r["data"].encode(),
                             recorded_at=r["recorded_at"], traceparent=r["traceparent"]) for r in rows]
    decoded = [runtime.store.registry.decode(r.type, r.type_version, r.data) for r in records]
    return list(zip(await open_personal(conn, decoded), records, strict=True))


def _tables(runtime: Runtime) -> list[str]:
    return sorted({t for p in runtime.spec.projections if not isinstance(p, Reaction) for t in p.tables})


async def _rows_holding(conn: Any, table: str, subject_id: str) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"SELECT to_jsonb(t)::text AS row FROM {table} t"  # noqa: S608 - table names come from the code
        " WHERE EXISTS (SELECT 1 FROM jsonb_each_text(to_jsonb(t)) kv WHERE kv.value = $1)", subject_id)
    return [json.loads(r["row"]) for r in rows]


async def _platform_rows(conn: Any, subject_id: str) -> list[HeldRow]:
    out: list[HeldRow] = []
    for table, key, _ in _PLATFORM_ROWS:
        if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table):
            rows = await conn.fetch(f"SELECT to_jsonb(t)::text AS row FROM {table} t WHERE {key} = $1",  # noqa: S608
                                    subject_id)
            out += [HeldRow(table=table, row=json.loads(r["row"])) for r in rows]
    return out


async def subject_copy(runtime: Runtime, subject_id: str) -> SubjectCopy:
    async with runtime.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        held = await _events_naming(runtime, conn, subject_id)
        rows = [HeldRow(table=t, row=r) for t in _tables(runtime) for r in await _rows_holding(conn, t, subject_id)]
        rows += await _platform_rows(conn, subject_id)
        erased = bool(await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM personal_erasures WHERE subject_id = $1)", subject_id))
    events = [HeldEvent(position=r.position, stream_id=r.stream_id, type=r.type, recorded_at=r.recorded_at,
                        data=msgspec.to_builtins(e)) for e, r in held]
    return SubjectCopy(service=runtime.spec.name, subject_id=subject_id, erased=erased, events=events, rows=rows)


def copy_workbook(copy: SubjectCopy) -> list[Sheet]:
    """One sheet of events, one per table: each value as text, JSON for anything nested."""
    def cell(v: Any) -> Any:
        return v if v is None or isinstance(v, (str, int, float, bool)) else json.dumps(v, ensure_ascii=False)

    sheets = [Sheet("事件", ["位置", "流", "类型", "记录时间", "内容"],
                    [[e.position, e.stream_id, e.type, e.recorded_at.replace(tzinfo=None),
                      json.dumps(e.data, ensure_ascii=False, default=str)] for e in copy.events])]
    by_table: dict[str, list[dict[str, Any]]] = {}
    for r in copy.rows:
        by_table.setdefault(r.table, []).append(r.row)
    for table, rows in by_table.items():
        headers = sorted({k for r in rows for k in r})
        sheets.append(Sheet(table, headers, [[cell(r.get(h)) for h in headers] for r in rows]))
    return sheets


# --- erasing -------------------------------------------------------------------------------------


def _clear_values(held: Sequence[tuple[Event, RecordedEvent]], subject_id: str) -> set[str]:
    """What the person's data reads as in clear, before the key goes: their opened personal fields and
    the names on the events sealed under them, to find the copies that left the store."""
    values: set[str] = set()
    for event, _ in held:
        if not event.personal_fields or getattr(event, event.personal_subject) != subject_id:
            continue
        fields = set(event.personal_fields) | {f for f in event.__struct_fields__ if f == "name" or f.endswith("_name")}
        for f in fields:
            v = getattr(event, f, None)
            if isinstance(v, str) and len(v) >= _MIN_VALUE and v != ERASED and not v.startswith("sealed:"):
                values.add(v)
    return values


async def _blank_copies(conn: asyncpg.Connection, values: set[str]) -> list[Erased]:
    """Blank the clear values wherever the platform kept a raw copy, as written (UTF-8) and as
    JSON with escaped characters (what Python's json module sends)."""
    spellings = sorted({s for v in values for s in (v, json.dumps(v)[1:-1])})
    out: list[Erased] = []
    for table, column in _PLATFORM_COPIES:
        if not await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table):
            continue
        total = 0
        for s in spellings:
            status = await conn.execute(
                f"UPDATE {table} SET {column} = convert_to(replace(convert_from({column}, 'UTF8'), $1, $2), 'UTF8')"  # noqa: S608
                f" WHERE position(convert_to($1, 'UTF8') in {column}) > 0", s, ERASED)
            total += int(status.split()[-1])
        if total:
            out.append(Erased(where=table, rows=total))
    return out


async def erase_person(runtime: Runtime, subject_id: str, who: Principal,
                       why: ErasureReason) -> tuple[PersonErasure, int]:
    pool = runtime.pool
    async with pool.acquire() as conn:
        held = await _events_naming(runtime, conn, subject_id)
        already = bool(await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM personal_erasures WHERE subject_id = $1)", subject_id))
        if not held and not already:
            holding = [t for t in _tables(runtime) if await _rows_holding(conn, t, subject_id)]
            if not holding:
                raise ERRORS.error("privacy.unknown_person", field="subject_id", who=subject_id)
    values = _clear_values(held, subject_id)
    await runtime.store.forget_person(subject_id)
    result = await runtime.store.append(erasure_stream(subject_id), [PersonErased(
        subject_id=subject_id, erased_by=who.subject, why=why, erased_at=runtime.clock.now())])
    erased: list[Erased] = []
    async with pool.acquire() as conn, conn.transaction():
        # At once, so the answer can say what went where; the read models apply the event too (to
        # the same effect), which is what a rebuild and the other services' read models see.
        for projection in runtime.spec.projections:
            if isinstance(projection, Reaction):
                continue
            rows = await projection.forget(conn, runtime.spec.name, subject_id)
            if rows:
                erased.append(Erased(where=projection.name, rows=rows))
        erased += await _blank_copies(conn, values)
        for table, key, columns in _PLATFORM_ROWS:
            if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table):
                sets = ", ".join(f"{c} = $2" for c in columns)
                status = await conn.execute(f"UPDATE {table} SET {sets} WHERE {key} = $1"  # noqa: S608
                                            f" AND ({' OR '.join(f'{c} <> $2' for c in columns)})", subject_id, ERASED)
                if int(status.split()[-1]):
                    erased.append(Erased(where=table, rows=int(status.split()[-1])))
    own = [p.name for p in runtime.spec.projections
           if not isinstance(p, Reaction) and runtime.spec.name in p.sources]
    await runtime.wait_for_all(own, result.position, timeout=5.0)
    return PersonErasure(subject_id=subject_id, already_erased=already, erased=erased), result.position


async def erase(runtime: Runtime, body: ErasureRequest, who: Principal) -> ErasureReport:
    if bool(body.subject_id) == (body.phone is not None):
        raise ERRORS.error("privacy.one_way_to_name", field="subject_id")
    if body.phone is not None:
        lookup: PhoneLookup | None = runtime.spec.phone_lookup
        if lookup is None:
            raise ERRORS.error("privacy.phone_not_known_here", field="phone")
        subjects = await lookup(runtime, body.phone)
        if not subjects:
            raise ERRORS.error("privacy.unknown_person", field="phone", who="this phone")
    else:
        subjects = [body.subject_id]
    people, position = [], 0
    for subject in subjects:
        person, position = await erase_person(runtime, subject, who, body.why)
        people.append(person)
    return ErasureReport(service=runtime.spec.name, people=people, position=position)


Admin = require_roles(*ROLES)
EXAMPLE = ErasureRequest(subject_id="m-001", why="person_request")
PageAdmin = page_roles(*ROLES)  # module level: the routes' postponed annotations must see it


def router() -> APIRouter:
    api = APIRouter(tags=["privacy"])

    @api.post("/privacy/erasures", status_code=200, responses=response_schema(ErasureReport),
              summary="Erase one person: key destroyed, read models purged, erasure recorded (park_admin)")
    async def post_erasure(request: Request, body: Annotated[ErasureRequest, Body(ErasureRequest, example=EXAMPLE)],
                           who: Annotated[Principal, Admin]) -> Response:
        return MsgspecResponse(await erase(request.app.state.runtime, body, who))

    @api.get("/privacy/subjects/{subject_id}", responses=response_schema(SubjectCopy),
             summary="Everything this service holds about one person (park_admin)")
    async def get_subject(request: Request, subject_id: Id, who: Annotated[Principal, Admin]) -> Response:
        return MsgspecResponse(await subject_copy(request.app.state.runtime, subject_id))

    @api.get("/privacy/subjects/{subject_id}/copy.xlsx", responses=xlsx_openapi("个人信息副本"),
             summary="The same as a workbook: one sheet of events, one per table (park_admin)")
    async def get_subject_xlsx(request: Request, subject_id: Id, who: Annotated[Principal, Admin]) -> Response:
        copy = await subject_copy(request.app.state.runtime, subject_id)
        return xlsx_sheets_response(copy_workbook(copy), f"personal-data-{copy.service}.xlsx")

    @api.get("/ui/privacy", include_in_schema=False, response_class=HTMLResponse)
    async def privacy_page(request: Request, who: Annotated[Principal, PageAdmin], subject_id: str = "") -> Response:
        copy = None
        if subject_id:
            try:
                copy = await subject_copy(request.app.state.runtime, subject_id[:64])
            except DomainError:
                copy = None
        return _page(request, subject_id=subject_id[:64], copy=copy)

    @api.post("/ui/privacy/erasures", include_in_schema=False, response_class=HTMLResponse)
    async def erase_from_page(request: Request, who: Annotated[Principal, PageAdmin]) -> Response:
        raw = await request.form()
        form = {"subject_id": str(raw.get("subject_id") or "").strip()[:64],
                "phone": str(raw.get("phone") or "").strip()[:32], "why": str(raw.get("why") or "")}
        try:
            body = msgspec.convert({"subject_id": form["subject_id"], "phone": form["phone"] or None,
                                    "why": form["why"]}, ErasureRequest)
        except msgspec.ValidationError as bad:
            return _page(request, form=form, errors={"subject_id": str(bad)}, status=422)
        try:
            report = await erase(request.app.state.runtime, body, who)
        except DomainError as refused:
            field = "phone" if "phone" in refused.code else "subject_id"
            return _page(request, form=form, errors={field: refused.detail_zh or str(refused)},
                         status=refused.status or 422)
        return _page(request, report=report)

    return api


def _page(request: Request, *, status: int = 200, **values: Any) -> HTMLResponse:
    runtime = request.app.state.runtime
    values = {"subject_id": "", "copy": None, "report": None, "form": {}, "errors": {}, "flash": "", **values}
    console = Console(getattr(request.app.state, "service", ""))
    return console.render(request, "console/privacy.html", status=status, reasons=REASONS,
                          by_phone=runtime.spec.phone_lookup is not None, **values)

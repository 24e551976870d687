"""What operators act on in every service: the dead letters its read models set aside.

`GET /ops/dead-letters` lists them (park_admin; reason, read model, where the message sat on its
stream and a reference to its payload, never the payload: it may hold personal data), `POST
/ops/dead-letters/{id}/replay` applies one with the code now running (after a fix), and the console
page `/ui/ops/dead-letters` shows the same with a replay button. `create_service_app` mounts the
router in every service; `dead_letter_tile` is the dashboard's count.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any, Literal

import asyncpg
import msgspec
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import HTMLResponse, Response

from .console.dashboard import Dashboard, Tile
from .console.i18n import add_phrases
from .console.pages import Console, page_roles
from .errors import ErrorCatalogue
from .projections import ReplayRefused
from .runtime import Runtime
from .web.auth import Principal, require_roles
from .web.bodies import MsgspecResponse, response_schema
from .web.paging import Page, Paging, page

ROLES = ("park_admin",)

ERRORS = ErrorCatalogue({
    "dead_letter.not_found": ("not_found", "no dead letter {letter_id}", "没有编号为 {letter_id} 的死信"),
    "dead_letter.already_replayed": ("conflict", "dead letter {letter_id} was already replayed",
                                     "死信 {letter_id} 已经重放过"),
    "dead_letter.not_an_event": ("conflict", "dead letter {letter_id} is not an event; there is nothing to replay",
                                 "死信 {letter_id} 不是事件，无法重放"),
    "dead_letter.needs_upgrade": ("conflict", "this version of the service cannot read {reason} yet; upgrade it first",
                                  "当前版本还不能读取 {reason}，请先升级服务"),
    "dead_letter.still_failing": ("conflict", "replaying dead letter {letter_id} failed again: {reason}",
                                  "死信 {letter_id} 重放仍然失败：{reason}"),
    "dead_letter.no_read_model": ("conflict", "read model {projection} no longer runs in this service",
                                  "读模型 {projection} 已不在本服务中运行"),
})

add_phrases({
    "死信": "Dead letters",
    "读模型未能处理的消息": "Messages a read model could not apply",
    "待处理": "Open",
    "已重放": "Replayed",
    "全部": "All",
    "编号": "No.",
    "读模型": "Read model",
    "来源": "Source",
    "位置": "Position",
    "流序号": "Stream seq.",
    "类型": "Type",
    "原因": "Reason",
    "投递次数": "Deliveries",
    "载荷": "Payload",
    "状态": "Status",
    "重放": "Replay",
    "没有死信": "No dead letters",
    "已重放死信": "Dead letter replayed",
    "修复后可重放：用当前版本的代码重新处理这条消息。":
        "After a fix, replay applies the message with the code now running.",
})

Status = Literal["open", "replayed", "all"]


class DeadLetter(msgspec.Struct, frozen=True, kw_only=True):
    """A message a read model set aside. `payload_ref` names the stored payload (size and
    SHA-256) without showing it."""

    id: int
    projection: str
    source: str
    position: int | None
    stream_sequence: int | None
    event_id: str | None
    type: str | None
    reason: str
    deliveries: int
    payload_ref: str
    at: datetime
    replayed_at: datetime | None = None


def _reason(row: asyncpg.Record) -> str:
    # Rows from before the `reason` column hold only `error`, which may quote values: its kind only.
    return str(row["reason"] or str(row["error"]).split(":", 1)[0])


def _letter(row: asyncpg.Record) -> DeadLetter:
    body = bytes(row["body"])
    return DeadLetter(
        id=row["id"], projection=row["projection"], source=row["source"], position=row["position"],
        stream_sequence=row["stream_sequence"], event_id=row["event_id"], type=row["type"], reason=_reason(row),
        deliveries=row["deliveries"], payload_ref=f"{len(body)} bytes, sha256:{hashlib.sha256(body).hexdigest()}",
        at=row["at"], replayed_at=row["replayed_at"])


_WHERE = {"open": "WHERE replayed_at IS NULL", "replayed": "WHERE replayed_at IS NOT NULL", "all": ""}


async def dead_letters(pool: asyncpg.Pool, status: Status = "open", *, limit: int = 50,
                       offset: int = 0) -> tuple[list[DeadLetter], int]:
    where = _WHERE[status]
    rows = await pool.fetch(f"SELECT * FROM projection_dead_letters {where} ORDER BY id LIMIT $1 OFFSET $2",
                            limit, offset)
    total = await pool.fetchval(f"SELECT count(*) FROM projection_dead_letters {where}")
    return [_letter(r) for r in rows], int(total)


async def open_count(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM projection_dead_letters WHERE replayed_at IS NULL"))


async def dead_letter_tile(pool: asyncpg.Pool) -> Tile:
    """The dashboard's count of dead letters waiting for an operator, linking to their page."""
    count = await open_count(pool)
    return Tile(key="dead_letters", label="死信", label_en="Dead letters", value=str(count),
                note="读模型未能处理的消息", tone="bad" if count else "ok", href="/ui/ops/dead-letters")


def upgrade_tile(runtime: Runtime) -> Tile:
    """Read models stopped at an event their code cannot read yet (its producer was upgraded
    first): nothing is lost, but they stay behind until this service is upgraded too."""
    waiting = sorted({runner.durable for runner in runtime.runners.values() if runner.parked})
    return Tile(key="awaiting_upgrade", label="待升级读模型", label_en="Read models awaiting an upgrade",
                value=str(len(waiting)), note="、".join(waiting) or "均为最新", tone="warn" if waiting else "ok")


async def with_operations(board: Dashboard, runtime: Runtime) -> Dashboard:
    """A service's dashboard with the platform's operations tiles after its own."""
    tiles = [await dead_letter_tile(runtime.pool), upgrade_tile(runtime)]
    return msgspec.structs.replace(board, tiles=[*board.tiles, *tiles])


async def replay(request: Request, letter_id: int, who: Principal) -> DeadLetter:
    runtime = request.app.state.runtime
    row = await runtime.pool.fetchrow("SELECT projection FROM projection_dead_letters WHERE id = $1", letter_id)
    if row is None:
        raise ERRORS.error("dead_letter.not_found", field="id", letter_id=letter_id)
    runner = runtime.runners.get(row["projection"])
    if runner is None:
        raise ERRORS.error("dead_letter.no_read_model", field="id", projection=row["projection"])
    try:
        await runner.replay(letter_id, who.subject)
    except ReplayRefused as refused:
        raise ERRORS.error(refused.code, field="id", letter_id=letter_id, reason=refused.reason) from None
    done = await runtime.pool.fetchrow("SELECT * FROM projection_dead_letters WHERE id = $1", letter_id)
    return _letter(done)


LetterId = Annotated[int, Path(ge=1, le=2**62, description="The dead letter's number")]
Admin = require_roles(*ROLES)
PageAdmin = page_roles(*ROLES)  # module level: the routes' postponed annotations must see it
_console = Console("")


def router() -> APIRouter:
    api = APIRouter(tags=["operations"])

    @api.get("/ops/dead-letters", responses=response_schema(Page[DeadLetter]),
             summary="Messages this service's read models could not apply (park_admin)")
    async def list_dead_letters(
        request: Request, paging: Paging, who: Annotated[Principal, Admin],
        status: Annotated[Status, Query(description="`open` (not replayed), `replayed` or `all`")] = "open",
    ) -> Response:
        rows, total = await dead_letters(request.app.state.pool, status, limit=paging.limit, offset=paging.offset)
        return MsgspecResponse(page(rows, total, paging))

    @api.post("/ops/dead-letters/{letter_id}/replay", responses=response_schema(DeadLetter),
              summary="Apply a dead letter with the code now running, after a fix (park_admin)")
    async def replay_dead_letter(request: Request, letter_id: LetterId, who: Annotated[Principal, Admin]) -> Response:
        return MsgspecResponse(await replay(request, letter_id, who))

    @api.get("/ui/ops/dead-letters", include_in_schema=False, response_class=HTMLResponse)
    async def dead_letters_page(
        request: Request, who: Annotated[Principal, PageAdmin],
        status: Annotated[Status, Query()] = "open", replayed: Annotated[int | None, Query(ge=1)] = None,
    ) -> Response:
        return await _page(request, status, flash="已重放死信" if replayed else "", replayed=replayed)

    @api.post("/ui/ops/dead-letters/{letter_id}/replay", include_in_schema=False, response_class=HTMLResponse)
    async def replay_from_page(request: Request, letter_id: LetterId,
                               who: Annotated[Principal, PageAdmin]) -> Response:
        try:
            await replay(request, letter_id, who)
        except Exception as refused:
            detail = getattr(refused, "detail_zh", None)
            if detail is None:
                raise
            return await _page(request, "open", error=detail, status_code=getattr(refused, "status", 409))
        return _console.redirect(request, f"/ui/ops/dead-letters?replayed={letter_id}")

    return api


async def _page(request: Request, status: Status, *, flash: str = "", error: str = "", replayed: int | None = None,
                status_code: int = 200) -> Response:
    rows, total = await dead_letters(request.app.state.pool, status, limit=200)
    values: dict[str, Any] = {"rows": rows, "total": total, "shown": status, "flash": flash, "error": error,
                              "replayed": replayed}
    console = Console(getattr(request.app.state, "service", ""))
    return console.render(request, "console/dead_letters.html", status=status_code, **values)

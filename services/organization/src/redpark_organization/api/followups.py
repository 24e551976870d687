"""Pending transfer-in follow-ups (待转入党员跟进): party members hired by enterprises of the park, as the
recruitment system told enterprise-support, whose relationship is still held elsewhere. Staff list
them and close each: resolved once the person is a member of the census (registered with
`POST /members`, or transferred in), or dismissed with a reason."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import asyncpg
import msgspec
from fastapi import APIRouter, Path, Query, Response
from redpark_platform.exports import xlsx_openapi, xlsx_response
from redpark_platform.runtime import RuntimeDep
from redpark_platform.web import Body, MsgspecResponse, response_schema
from redpark_platform.web.paging import Page, PageRequest, Paging, page

from ..application.followups import followups_of
from ..projections.followups import NAME as FOLLOWUPS
from .deps import Accepted, Admin, After, Reader, accepted

router = APIRouter(tags=["members"])

FollowupStatus = Literal["pending", "resolved", "dismissed"]
# Our follow-up ids are hire ids (hex); the pattern also keeps characters PostgreSQL cannot hold out.
FollowupId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
STATUS_ZH = {"pending": "待转入", "resolved": "已登记/转入", "dismissed": "不再跟进"}


class FollowupRow(msgspec.Struct, frozen=True, kw_only=True):
    followup_id: str
    name: str
    enterprise_id: str
    enterprise_name: str | None
    relationship_held_by: str
    since: date
    opened_on: date
    status: FollowupStatus
    member_id: str | None
    reason: str | None
    closed_on: date | None


class Resolution(msgspec.Struct, frozen=True, kw_only=True):
    """The person is now this member of the census."""

    member_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    effective_on: date | None = None


class Dismissal(msgspec.Struct, frozen=True, kw_only=True):
    reason: Annotated[str, msgspec.Meta(max_length=500)]
    effective_on: date | None = None


async def followups(pool: asyncpg.Pool, status: str | None, paging: PageRequest | None) -> Page[FollowupRow]:
    sql = ("SELECT f.followup_id, f.name, f.enterprise_id, e.name AS enterprise_name, f.relationship_held_by,"
           " f.since, f.opened_on, f.status, f.member_id, f.reason, f.closed_on FROM org_transfer_followups f"
           " LEFT JOIN org_enterprises e USING (enterprise_id) WHERE ($1::text IS NULL OR f.status = $1)"
           " ORDER BY f.since, f.followup_id")
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        total: int = await conn.fetchval(f"SELECT count(*) FROM ({sql}) AS listed", status)
        if paging is None:
            records = await conn.fetch(sql, status)
            paging = PageRequest(limit=max(len(records), 1))
        else:
            records = await conn.fetch(f"{sql} LIMIT $2 OFFSET $3", status, paging.limit, paging.offset)
    return page([FollowupRow(**dict(r)) for r in records], total, paging)


StatusFilter = Annotated[FollowupStatus | Literal["all"], Query(description="`pending`, `resolved`, `dismissed` or `all`")]


@router.get("/followups/transfers-in", responses=response_schema(Page[FollowupRow]),
            summary="Party members hired in the park, pending transfer-in")
async def list_followups(runtime: RuntimeDep, who: Reader, paging: Paging, status: StatusFilter = "pending",
                         after: After = None) -> MsgspecResponse:
    await runtime.wait_for(FOLLOWUPS, after)
    return MsgspecResponse(await followups(runtime.pool, None if status == "all" else status, paging))


@router.get("/followups/transfers-in.xlsx", response_class=Response, responses=xlsx_openapi("待转入党员跟进台账"),
            summary="Transfer-in follow-ups as a workbook")
async def export_followups(runtime: RuntimeDep, who: Reader, status: StatusFilter = "all") -> Response:
    rows = (await followups(runtime.pool, None if status == "all" else status, None)).items
    return xlsx_response(
        "待转入党员", ["编号", "姓名", "企业", "组织关系所在党组织", "入职日期", "状态", "党员编号", "原因", "办结日期"],
        ([r.followup_id, r.name, r.enterprise_name or r.enterprise_id, r.relationship_held_by, r.since,
          STATUS_ZH[r.status], r.member_id or "", r.reason or "", r.closed_on] for r in rows),
        "transfer-in-followups.xlsx")


@router.post("/followups/transfers-in/{followup_id}/resolution", responses=response_schema(Accepted),
             summary="Close a follow-up: the person is now a member of the census")
async def resolve(followup_id: FollowupId, body: Annotated[Resolution, Body(Resolution, example=Resolution(
        member_id="m-1024"))], runtime: RuntimeDep, who: Admin) -> MsgspecResponse:
    return accepted(await followups_of(runtime).resolve(followup_id, body.member_id, body.effective_on), followup_id)


@router.post("/followups/transfers-in/{followup_id}/dismissal", responses=response_schema(Accepted),
             summary="Close a follow-up without a member, with the reason")
async def dismiss(followup_id: FollowupId, body: Annotated[Dismissal, Body(Dismissal, example=Dismissal(
        reason="本人组织关系暂不转入（挂靠原单位）"))], runtime: RuntimeDep, who: Admin) -> MsgspecResponse:
    return accepted(await followups_of(runtime).dismiss(followup_id, body.reason, body.effective_on), followup_id)

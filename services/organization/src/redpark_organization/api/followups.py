"""Pending transfer-in follow-ups (待转入党员跟进): party members hired by enterprises of the park, as the
recruitment system told enterprise-support, whose relationship is still held elsewhere. Staff list
them and close each: resolved once the person is a member of the census (registered with
`POST /members`, or transferred in), or dismissed with a reason."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Path, Query, Response

from redpark_platform.exports import xlsx_openapi, xlsx_response
from redpark_platform.web import Body, MsgspecResponse, response_schema
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging

from ..projections.followups import NAME as FOLLOWUPS
from ..queries.followups import FollowupRow, FollowupStatus, followups
from .deps import Admin, Fol, Reader

router = APIRouter(tags=["members"])

# Our follow-up ids are hire ids (hex); the pattern also keeps characters PostgreSQL cannot hold out.
FollowupId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
STATUS_ZH = {"pending": "待转入", "resolved": "已登记/转入", "dismissed": "不再跟进"}


class Resolution(msgspec.Struct, frozen=True, kw_only=True):
    """The person is now this member of the census."""

    member_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    effective_on: date | None = None


class Dismissal(msgspec.Struct, frozen=True, kw_only=True):
    reason: Annotated[str, msgspec.Meta(max_length=500)]
    effective_on: date | None = None


StatusFilter = Annotated[FollowupStatus | Literal["all"],
                         Query(description="`pending`, `resolved`, `dismissed` or `all`")]


@router.get("/followups/transfers-in", responses=response_schema(Page[FollowupRow]),
            summary="Party members hired in the park, pending transfer-in", dependencies=[ReadYourWrites(FOLLOWUPS)])
async def list_followups(app: Fol, who: Reader, paging: Paging, status: StatusFilter = "pending") -> MsgspecResponse:
    return MsgspecResponse(await followups(app.pool, None if status == "all" else status, paging))


@router.get("/followups/transfers-in.xlsx", response_class=Response, responses=xlsx_openapi("待转入党员跟进台账"),
            summary="Transfer-in follow-ups as a workbook")
async def export_followups(app: Fol, who: Reader, status: StatusFilter = "all") -> Response:
    rows = (await followups(app.pool, None if status == "all" else status, None)).items
    return xlsx_response(
        "待转入党员",
        ["编号", "姓名", "企业", "组织关系所在党组织", "入职日期", "状态", "党员编号", "原因", "办结日期"],
        ([r.followup_id, r.name, r.enterprise_name or r.enterprise_id, r.relationship_held_by, r.since,
          STATUS_ZH[r.status], r.member_id or "", r.reason or "", r.closed_on] for r in rows),
        "transfer-in-followups.xlsx")


@router.post("/followups/transfers-in/{followup_id}/resolution", responses=response_schema(Accepted),
             summary="Close a follow-up: the person is now a member of the census")
async def resolve(followup_id: FollowupId, body: Annotated[Resolution, Body(Resolution, example=Resolution(
        member_id="m-1024"))], app: Fol, who: Admin) -> MsgspecResponse:
    return accepted(await app.resolve(followup_id, body.member_id, body.effective_on), followup_id)


@router.post("/followups/transfers-in/{followup_id}/dismissal", responses=response_schema(Accepted),
             summary="Close a follow-up without a member, with the reason")
async def dismiss(followup_id: FollowupId, body: Annotated[Dismissal, Body(Dismissal, example=Dismissal(
        reason="本人组织关系暂不转入（挂靠原单位）"))], app: Fol, who: Admin) -> MsgspecResponse:
    return accepted(await app.dismiss(followup_id, body.reason, body.effective_on), followup_id)

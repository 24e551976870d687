"""困难问题: needs raised by enterprises, from raising to resolution or closure, with their ageing.
The phone of whoever raised a need is shown masked, in full to a park administrator only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Query

from redpark_contracts.enterprise_support import NeedCategory, Urgency
from redpark_platform.clock import new_id
from redpark_platform.masking import mask_phone
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.auth import Forbidden
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, accepted
from redpark_platform.web.paging import Page, Paging

from .. import queries
from ..domain import need
from ..domain.errors import ERRORS
from .deps import FreshSupport, Reader, Reason, Staff, Support

router = APIRouter(tags=["needs"])


class NewNeed(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: Id
    category: NeedCategory
    urgency: Urgency
    description: str
    raised_by_name: str = ""
    raised_by_phone: str = ""
    need_id: Id | None = None
    effective_on: date | None = None


class Acceptance(msgspec.Struct, frozen=True, kw_only=True):
    assignee: str
    effective_on: date | None = None


class WorkNote(msgspec.Struct, frozen=True, kw_only=True):
    note: str
    effective_on: date | None = None


class Resolution(msgspec.Struct, frozen=True, kw_only=True):
    resolution: str
    effective_on: date | None = None


class NeedContact(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    raised_by_phone: str


@router.post("/needs", status_code=201, responses=response_schema(Accepted, status=201), dependencies=[Idempotent],
             summary="Record a need raised by an enterprise (category, urgency)")
async def raise_need(body: Annotated[NewNeed, Body(NewNeed, example=NewNeed(
        enterprise_id="e1", category="talent", urgency="high", description="急需嵌入式开发工程师3名",
        raised_by_name="张经理", raised_by_phone="13800138000"))], support: Support, who: Staff) -> MsgspecResponse:
    need_id = body.need_id or new_id()
    return accepted(await support.raise_need(
        need_id=need_id, enterprise_id=body.enterprise_id, category=body.category, urgency=body.urgency,
        description=body.description, raised_by_name=body.raised_by_name, raised_by_phone=body.raised_by_phone,
        on=body.effective_on), need_id, 201)


@router.post("/needs/{need_id}/acceptance", responses=response_schema(Accepted), summary="Accept and assign a need")
async def accept_need(need_id: Id, body: Annotated[Acceptance, Body(Acceptance, example=Acceptance(
        assignee="李红"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.need_command(need_id, need.AcceptNeed(
        need_id=need_id, assignee=body.assignee, now=support.now(), effective_on=body.effective_on)), need_id)


@router.post("/needs/{need_id}/work", responses=response_schema(Accepted), summary="Record work on a need")
async def work_need(need_id: Id, body: Annotated[WorkNote, Body(WorkNote, example=WorkNote(
        note="已联系河南科技大学就业指导中心"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.need_command(need_id, need.WorkNeed(
        need_id=need_id, note=body.note, now=support.now(), effective_on=body.effective_on)), need_id)


@router.post("/needs/{need_id}/resolution", responses=response_schema(Accepted),
             summary="Resolve a need (only after it was accepted)")
async def resolve_need(need_id: Id, body: Annotated[Resolution, Body(Resolution, example=Resolution(
        resolution="推荐3名实习生，企业已录用2名"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.need_command(need_id, need.ResolveNeed(
        need_id=need_id, resolution=body.resolution, now=support.now(), effective_on=body.effective_on)), need_id)


@router.post("/needs/{need_id}/closure", responses=response_schema(Accepted), summary="Close a need with the reason")
async def close_need(need_id: Id, body: Annotated[Reason, Body(Reason, example=Reason(reason="企业撤回"))],
                     support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.need_command(need_id, need.CloseNeed(
        need_id=need_id, reason=body.reason, now=support.now(), effective_on=body.effective_on)), need_id)


@router.get("/needs", responses=response_schema(Page[queries.NeedRow]),
            summary="Needs, oldest first (ageing); `view=open` or `view=overdue` to narrow")
async def list_needs(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                     view: Annotated[Literal["all", "open", "overdue"], Query()] = "all") -> MsgspecResponse:
    return MsgspecResponse(await queries.needs(support.pool, support.today(), paging=paging, open_only=view == "open",
                                               overdue_only=view == "overdue"))


@router.get("/needs/{need_id}/contact", responses=response_schema(NeedContact),
            summary="The phone of whoever raised the need: masked, or in full for a park administrator")
async def need_contact(need_id: Id, support: Support, who: Reader,
                       personal: Annotated[Literal["masked", "full"], Query()] = "masked") -> MsgspecResponse:
    if personal == "full" and "park_admin" not in who.roles:
        raise Forbidden("only a park administrator may see the phone in full", "仅园区管理员可查看完整手机号码")
    phone = await support.need_contact_phone(need_id)
    if phone is None:
        raise ERRORS.error("need.unknown", field="need_id", need_id=need_id)
    return MsgspecResponse(NeedContact(need_id=need_id,
                                       raised_by_phone=phone if personal == "full" else mask_phone(phone)))

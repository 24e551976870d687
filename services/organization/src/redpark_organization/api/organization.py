"""Branches and the general branch's figures (党支部、委员会、撤销)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter

from redpark_contracts.organization import BranchKind
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.paging import Page, Paging, page

from .. import queries
from ..application import new_id
from ..projections.rosters import NAME as ROSTERS
from .deps import Accepted, Admin, After, Org, Reader, accepted, caught_up

router = APIRouter(tags=["branches"])


class NewBranch(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    kind: BranchKind
    enterprise_ids: list[str]
    branch_id: str | None = None
    effective_on: date | None = None


class Election(msgspec.Struct, frozen=True, kw_only=True):
    secretary_id: str
    deputy_secretary_id: str | None = None
    committee_member_ids: list[str] = []
    effective_on: date | None = None


class Dissolution(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    effective_on: date | None = None


@router.post("/branches", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Establish a branch for one enterprise or several (joint)")
async def establish(body: Annotated[NewBranch, Body(NewBranch, example=NewBranch(
        name="爱科技党支部", kind="enterprise", enterprise_ids=["e1"]))], org: Org, who: Admin) -> MsgspecResponse:
    branch_id = body.branch_id or new_id()
    result = await org.establish_branch(branch_id=branch_id, name=body.name, kind=body.kind,
                                        enterprise_ids=body.enterprise_ids, on=body.effective_on)
    return accepted(result, branch_id, 201)


@router.post("/branches/{branch_id}/elections", responses=response_schema(Accepted),
             summary="Record the election of the branch committee or secretary")
async def elect(branch_id: str, body: Annotated[Election, Body(Election)], org: Org, who: Admin) -> MsgspecResponse:
    result = await org.elect_committee(branch_id=branch_id, secretary_id=body.secretary_id,
                                       deputy_secretary_id=body.deputy_secretary_id,
                                       committee_member_ids=body.committee_member_ids, on=body.effective_on)
    return accepted(result, branch_id)


@router.post("/branches/{branch_id}/dissolution", responses=response_schema(Accepted),
             summary="Dissolve an empty branch")
async def dissolve(branch_id: str, body: Annotated[Dissolution, Body(Dissolution)], org: Org,
                   who: Admin) -> MsgspecResponse:
    return accepted(await org.dissolve_branch(branch_id, body.reason, body.effective_on), branch_id)


@router.get("/branches", responses=response_schema(Page[queries.BranchRow]),
            summary="Branches with their rosters' size, by id, paged")
async def list_branches(org: Org, who: Reader, paging: Paging, after: After = None) -> MsgspecResponse:
    await caught_up(org, ROSTERS, after)
    rows = await queries.branches(org.runtime.pool, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, await queries.count_branches(org.runtime.pool), paging))

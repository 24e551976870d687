"""Branches and the general branch's figures (党支部、委员会、撤销)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter

from redpark_contracts.organization import BranchKind
from redpark_platform.clock import new_id
from redpark_platform.decider import NotFound
from redpark_platform.web import Body, Idempotent, MsgspecResponse, readable_branch, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page

from ..domain.coverage import UpgradeReadiness, party_committee_readiness
from ..projections.park import NAME as PARK
from ..projections.rosters import NAME as ROSTERS
from ..queries import census as census_reads
from ..queries import park as park_reads
from .deps import Admin, Org, Reader

router = APIRouter(tags=["branches"])


class NewBranch(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    kind: BranchKind
    enterprise_ids: list[Id]
    branch_id: Id | None = None
    effective_on: date | None = None


class Election(msgspec.Struct, frozen=True, kw_only=True):
    secretary_id: Id
    deputy_secretary_id: Id | None = None
    committee_member_ids: list[Id] = []
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
async def elect(branch_id: Id, body: Annotated[Election, Body(Election)], org: Org, who: Admin) -> MsgspecResponse:
    result = await org.elect_committee(branch_id=branch_id, secretary_id=body.secretary_id,
                                       deputy_secretary_id=body.deputy_secretary_id,
                                       committee_member_ids=body.committee_member_ids, on=body.effective_on)
    return accepted(result, branch_id)


@router.post("/branches/{branch_id}/dissolution", responses=response_schema(Accepted),
             summary="Dissolve an empty branch")
async def dissolve(branch_id: Id, body: Annotated[Dissolution, Body(Dissolution)], org: Org,
                   who: Admin) -> MsgspecResponse:
    return accepted(await org.dissolve_branch(branch_id, body.reason, body.effective_on), branch_id)


@router.get("/branches", responses=response_schema(Page[park_reads.BranchRow]),
            summary="Branches with their rosters' size, by id, paged", dependencies=[ReadYourWrites(ROSTERS)])
async def list_branches(org: Org, who: Reader, paging: Paging) -> MsgspecResponse:
    rows = await park_reads.branches(org.runtime.pool, limit=paging.limit, offset=paging.offset)
    own = readable_branch(who, None)  # None for a park-wide reader
    if own is not None:
        rows = park_reads.others_without_people(rows, own)
    return MsgspecResponse(page(rows, await park_reads.count_branches(org.runtime.pool), paging))


# --- the general branch (党总支) --------------------------------------------------------------


class NewGeneralBranch(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    general_branch_id: Id | None = None
    effective_on: date | None = None


class GeneralBranchView(msgspec.Struct, frozen=True, kw_only=True):
    """The general branch with its committee; `member_count` and `full_member_count` are the park's
    members whose relationship it holds (its members); `readiness` is for upgrading it to 党委."""

    general_branch_id: str
    name: str
    established_on: date
    secretary_id: str | None
    deputy_secretary_id: str | None
    committee_member_ids: list[str]
    term_ends_on: date | None
    member_count: int
    full_member_count: int
    readiness: UpgradeReadiness


@router.post("/general-branch", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Establish the park's general branch (one per park)")
async def establish_general_branch(body: Annotated[NewGeneralBranch, Body(NewGeneralBranch, example=NewGeneralBranch(
        name="红色园区党总支"))], org: Org, who: Admin) -> MsgspecResponse:
    general_branch_id = body.general_branch_id or new_id()
    result = await org.establish_general_branch(general_branch_id, body.name, body.effective_on)
    return accepted(result, general_branch_id, 201)


@router.post("/general-branch/elections", responses=response_schema(Accepted),
             summary="Record the election of the general branch's committee or secretary")
async def elect_general_branch(body: Annotated[Election, Body(Election)], org: Org, who: Admin) -> MsgspecResponse:
    result = await org.elect_general_branch_committee(
        secretary_id=body.secretary_id, deputy_secretary_id=body.deputy_secretary_id,
        committee_member_ids=body.committee_member_ids, on=body.effective_on)
    return accepted(result, await org.general_branch_id() or "")


@router.get("/general-branch", responses=response_schema(GeneralBranchView),
            summary="The general branch, its committee, its members and its readiness to become 党委",
            dependencies=[ReadYourWrites(ROSTERS, PARK)])
async def get_general_branch(org: Org, who: Reader) -> MsgspecResponse:
    row = await park_reads.general_branch(org.runtime.pool)
    if row is None:
        raise NotFound("general_branch.not_established", "the park has no general branch yet",
                       detail_zh="尚未成立党总支", field="general_branch_id")
    readiness = party_committee_readiness(await census_reads.census_snapshot(org.runtime.pool))
    return MsgspecResponse(GeneralBranchView(
        **msgspec.structs.asdict(row), member_count=readiness.members, full_member_count=readiness.full_members,
        readiness=readiness))

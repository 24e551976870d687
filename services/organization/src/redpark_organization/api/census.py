"""Census ledger, coverage, the party-committee readiness and the building grid."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter

from redpark_contracts.organization import ContactCategory, GridPlan
from redpark_platform.clock import new_id
from redpark_platform.decider import NotFound
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page, page_of

from ..domain import contact
from ..domain.census import CensusFigures, census_figures
from ..domain.coverage import (
    BuildingCoverage,
    Rate,
    UncoveredEnterprise,
    UpgradeReadiness,
    ZoneCoverage,
    coverage,
    party_committee_readiness,
)
from ..domain.grid import GridProposal
from ..projections.census import NAME as CENSUS
from ..projections.grid import NAME as GRID
from ..projections.park import NAME as PARK
from ..projections.rosters import NAME as ROSTERS
from ..queries import census as census_reads
from .deps import Admin, Org, Reader

router = APIRouter(tags=["census"])


class NewContact(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    enterprise_id: Id | None = None
    categories: list[ContactCategory]
    political_status: str = ""
    nationality: str = ""
    phone: str = ""
    person_id: Id | None = None
    effective_on: date | None = None


class Adoption(msgspec.Struct, frozen=True, kw_only=True):
    """`plan` omitted: adopt the current proposal as it is."""

    plan: GridPlan | None = None
    plan_id: Id | None = None


@router.post("/contacts", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Register a united-front contact or non-member talent")
async def register_contact(body: Annotated[NewContact, Body(NewContact, example=NewContact(
        name="孙七", enterprise_id="e1", categories=["democratic_party_member"], political_status="民盟盟员"))],
        org: Org, who: Admin) -> MsgspecResponse:
    person_id = body.person_id or new_id()

    def build(is_member: bool) -> contact.RegisterContact:
        return contact.RegisterContact(
            person_id=person_id, name=body.name, enterprise_id=body.enterprise_id, categories=body.categories,
            political_status=body.political_status, nationality=body.nationality, phone=body.phone,
            person_is_member=is_member, now=org.now(), effective_on=body.effective_on)

    return accepted(await org.contact_command(person_id, build), person_id, 201)


@router.get("/contacts", responses=response_schema(Page[census_reads.ContactRow]),
            summary="The census ledger of non-members by id, paged (park_admin only: names and categories)",
            dependencies=[ReadYourWrites(CENSUS)])
async def list_contacts(org: Org, who: Admin, paging: Paging) -> MsgspecResponse:
    # Names with categories (democratic party member, foreign national) are the park committee's
    # united-front ledger; a branch secretary or an auditor reads the counts in GET /census instead.
    rows = await census_reads.contacts(org.runtime.pool, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, await census_reads.count_contacts(org.runtime.pool), paging))


# The census figures read the park and rosters read models.
FRESH = ReadYourWrites(PARK, ROSTERS)


@router.get("/census", responses=response_schema(CensusFigures),
            summary="The census's four baselines (四个底数): members, enterprises, talent, united-front contacts",
            dependencies=[ReadYourWrites(PARK, ROSTERS, CENSUS)])
async def census_baselines(org: Org, who: Reader) -> MsgspecResponse:
    pool = org.runtime.pool
    return MsgspecResponse(census_figures(await census_reads.census_snapshot(pool),
                                          await census_reads.contact_categories(pool)))


class CoverageReport(msgspec.Struct, frozen=True, kw_only=True):
    """Coverage overall, by zone and by building (all of them), and the uncovered enterprises with
    their reason, paged (by enterprise id)."""

    overall: Rate
    by_zone: list[ZoneCoverage]
    by_building: list[BuildingCoverage]
    uncovered: Page[UncoveredEnterprise]


@router.get("/coverage", responses=response_schema(CoverageReport),
            summary="Coverage overall, by zone and building; uncovered enterprises paged", dependencies=[FRESH])
async def get_coverage(org: Org, who: Reader, paging: Paging) -> MsgspecResponse:
    cov = coverage(await census_reads.census_snapshot(org.runtime.pool))
    return MsgspecResponse(CoverageReport(overall=cov.overall, by_zone=cov.by_zone, by_building=cov.by_building,
                                          uncovered=page_of(cov.uncovered, paging)))


@router.get("/coverage/party-committee-readiness", responses=response_schema(UpgradeReadiness),
            summary="Whether membership allows upgrading the general branch to a party committee", dependencies=[FRESH])
async def readiness(org: Org, who: Reader) -> MsgspecResponse:
    return MsgspecResponse(party_committee_readiness(await census_reads.census_snapshot(org.runtime.pool)))


@router.get("/grid/proposal", responses=response_schema(GridProposal), summary="The grid proposed from the census",
            dependencies=[FRESH])
async def proposal(org: Org, who: Reader) -> MsgspecResponse:
    return MsgspecResponse(await org.proposal())


@router.post("/grid/plans", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Adopt the proposed grid, as it is or amended")
async def adopt(body: Annotated[Adoption, Body(Adoption, example=Adoption())], org: Org,
                who: Admin) -> MsgspecResponse:
    plan_id = body.plan_id or new_id()
    return accepted(await org.adopt_grid_plan(plan_id, body.plan, who.subject), plan_id, 201)


class GridPlanProgress(msgspec.Struct, frozen=True, kw_only=True):
    """Every item of an adopted plan, done or not yet, with the figures."""

    plan: census_reads.GridPlanRow
    done: int
    pending: int
    items: list[census_reads.GridItemRow]


@router.get("/grid/plans/{plan_id}/progress", responses=response_schema(GridPlanProgress),
            summary="Progress of an adopted grid plan: each item done or not yet", dependencies=[ReadYourWrites(GRID)])
async def plan_progress(plan_id: Id, org: Org, who: Reader) -> MsgspecResponse:
    found = await census_reads.grid_plan(org.runtime.pool, plan_id)
    if found is None:
        raise NotFound("grid.plan_unknown", f"no grid plan {plan_id} was adopted", detail_zh="该网格方案不存在",
                       field="plan_id")
    plan, items = found
    done = sum(1 for i in items if i.done)
    return MsgspecResponse(GridPlanProgress(plan=plan, done=done, pending=len(items) - done, items=items))

"""Enterprises in the park as this service sees them, their contact points (联系点), visits and
help plans (走访帮扶)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Query

from redpark_contracts.enterprise_support import ContactKind, HelpCategory
from redpark_platform.clock import new_id
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.bounded import Year as YearNumber
from redpark_platform.web.edge import Accepted, accepted
from redpark_platform.web.paging import Page, Paging

from .. import queries
from .deps import FreshSupport, Reader, Reason, Staff, Support, Year

router = APIRouter(tags=["contact points, visits and help plans"])


class NewContactPoint(msgspec.Struct, frozen=True, kw_only=True):
    contact_kind: ContactKind
    contact_id: str
    contact_name: str
    effective_on: date | None = None


class NewVisit(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: Id
    visitors: list[str]
    findings: str
    visited_on: date | None = None
    visit_id: Id | None = None


class NewHelpPlan(msgspec.Struct, frozen=True, kw_only=True):
    category: HelpCategory
    measures: list[str]
    year: YearNumber | None = None
    effective_on: date | None = None



@router.get("/enterprises", responses=response_schema(Page[queries.EnterpriseRow]),
            summary="Enterprises in the park (from the organization's events) with their contact point")
async def list_enterprises(support: Support, who: Reader, fresh: FreshSupport, paging: Paging) -> MsgspecResponse:
    return MsgspecResponse(await queries.enterprises(support.pool, paging=paging))


@router.get("/enterprises/without-contact-point", responses=response_schema(Page[queries.EnterpriseRow]),
            summary="Enterprises in the park that have no contact point yet")
async def without_contact_point(support: Support, who: Reader, fresh: FreshSupport, paging: Paging) -> MsgspecResponse:
    return MsgspecResponse(await queries.enterprises(support.pool, paging=paging, without_contact_point=True))


@router.get("/branches", responses=response_schema(Page[queries.BranchRow]),
            summary="The branches this service knows from the organization's events (possible contact points)")
async def list_branches(support: Support, who: Reader, paging: Paging,
                        active: Annotated[bool, Query(description="only branches not dissolved")] = False
                        ) -> MsgspecResponse:
    # No `after`: branches come from the organization's stream, whose positions a caller here never saw.
    return MsgspecResponse(await queries.branches(support.pool, active_only=active, paging=paging))


@router.put("/enterprises/{enterprise_id}/contact-point", responses=response_schema(Accepted),
            summary="Assign a committee member or a branch as the enterprise's contact point")
async def assign_contact_point(enterprise_id: Id, body: Annotated[NewContactPoint, Body(
        NewContactPoint, example=NewContactPoint(contact_kind="committee_member", contact_id="cm-1",
                                                 contact_name="王建国"))],
        support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.assign_contact_point(
        enterprise_id=enterprise_id, contact_kind=body.contact_kind, contact_id=body.contact_id,
        contact_name=body.contact_name, on=body.effective_on), enterprise_id)


@router.post("/enterprises/{enterprise_id}/contact-point/release", responses=response_schema(Accepted),
             summary="Release the enterprise's contact point")
async def release_contact_point(enterprise_id: Id, body: Annotated[Reason, Body(
        Reason, example=Reason(reason="联系人调离"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.release_contact_point(enterprise_id, body.reason, body.effective_on), enterprise_id)


@router.post("/visits", status_code=201, responses=response_schema(Accepted, status=201), dependencies=[Idempotent],
             summary="Record a visit to an enterprise (who, when, what was found)")
async def record_visit(body: Annotated[NewVisit, Body(NewVisit, example=NewVisit(
        enterprise_id="e1", visitors=["王建国", "李红"], findings="研发用房紧张，需要人才公寓"))],
        support: Support, who: Staff) -> MsgspecResponse:
    visit_id = body.visit_id or new_id()
    return accepted(await support.record_visit(
        visit_id=visit_id, enterprise_id=body.enterprise_id, visitors=body.visitors, findings=body.findings,
        recorded_by=who.subject, on=body.visited_on), visit_id, 201)


@router.get("/visits", responses=response_schema(Page[queries.VisitRow]),
            summary="Visits of a year")
async def list_visits(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                      year: Year = None, enterprise_id: Id | None = None) -> MsgspecResponse:
    return MsgspecResponse(await queries.visits(support.pool, year or support.today().year, enterprise_id,
                                                paging=paging))


@router.get("/visits/not-visited", responses=response_schema(Page[queries.NotVisitedRow]),
            summary="Enterprises in the park not visited in the year")
async def not_visited(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                      year: Year = None) -> MsgspecResponse:
    return MsgspecResponse(await queries.not_visited(support.pool, year or support.today().year, paging=paging))


@router.put("/enterprises/{enterprise_id}/help-plan", responses=response_schema(Accepted),
            summary="Adopt or revise the enterprise's help plan for the year (after a visit)")
async def adopt_help_plan(enterprise_id: Id, body: Annotated[NewHelpPlan, Body(NewHelpPlan, example=NewHelpPlan(
        category="startup", measures=["对接种子资金",
                                      "安排创业导师"]))], support: Support, who: Staff) -> MsgspecResponse:
    year = body.year or (body.effective_on or support.today()).year
    return accepted(await support.adopt_help_plan(enterprise_id=enterprise_id, year=year, category=body.category,
                                                  measures=body.measures, on=body.effective_on), enterprise_id)


@router.get("/help-plans", responses=response_schema(Page[queries.HelpPlanRow]),
            summary="Help plans of a year, by category")
async def list_help_plans(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                          year: Year = None) -> MsgspecResponse:
    return MsgspecResponse(await queries.help_plans(support.pool, year or support.today().year, paging=paging))

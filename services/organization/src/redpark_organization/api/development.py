"""Member development (发展党员) and the year's quota."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path

from redpark_contracts.organization import DevelopmentStage, PriorityGroup
from redpark_platform.clock import new_id
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id, Quota
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page_of

from ..domain import development
from ..projections.development import NAME as DEVELOPMENT
from ..queries import development as development_reads
from .deps import Admin, Org, Reader

router = APIRouter(tags=["development"])


class Application(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    enterprise_id: Id | None = None
    priority_groups: list[PriorityGroup] = []
    phone: str = ""
    person_id: Id | None = None
    effective_on: date | None = None


class StageReached(msgspec.Struct, frozen=True, kw_only=True):
    to_stage: DevelopmentStage
    effective_on: date | None = None


class QuotaBody(msgspec.Struct, frozen=True, kw_only=True):
    quota: Quota


class Pipeline(msgspec.Struct, frozen=True, kw_only=True):
    """The year's figures (every stage counted) and the people in the pipeline, paged (optionally
    those at one stage only)."""

    figures: development.YearFigures
    people: Page[development_reads.PipelineRow]


@router.post("/development", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Receive an application to join the Party")
async def apply(body: Annotated[Application, Body(Application, example=Application(
        name="赵六", enterprise_id="e1", priority_groups=["tech_talent"]))], org: Org, who: Admin) -> MsgspecResponse:
    person_id = body.person_id or new_id()
    result = await org.development_command(person_id, development.ReceiveApplication(
        person_id=person_id, name=body.name, enterprise_id=body.enterprise_id, priority_groups=body.priority_groups,
        phone=body.phone, now=org.now(), effective_on=body.effective_on))
    return accepted(result, person_id, 201)


@router.post("/development/{person_id}/stages", responses=response_schema(Accepted),
             summary="The person reaches the next stage")
async def advance(person_id: Id, body: Annotated[StageReached, Body(StageReached)], org: Org,
                  who: Admin) -> MsgspecResponse:
    return accepted(await org.advance_development(person_id, body.to_stage, body.effective_on), person_id)


@router.put("/development/quotas/{year}", responses=response_schema(Accepted), summary="Set the year's quota")
async def set_quota(year: Annotated[int, Path(ge=2000, le=2100)], body: Annotated[QuotaBody, Body(QuotaBody)],
                    org: Org, who: Admin) -> MsgspecResponse:
    return accepted(await org.set_quota(year, body.quota), str(year))


@router.get("/development/pipeline/{year}", responses=response_schema(Pipeline),
            summary="The pipeline and the year's admissions against the quota",
            dependencies=[ReadYourWrites(DEVELOPMENT)])
async def pipeline(year: Annotated[int, Path(ge=2000, le=2100)], org: Org, who: Reader, paging: Paging,
                   stage: DevelopmentStage | None = None) -> MsgspecResponse:
    people = await development_reads.pipeline(org.runtime.pool)
    figures = development.year_figures(year, await development_reads.quota(org.runtime.pool, year),
                                       development_reads.as_pipeline_entries(people))
    listed = [p for p in people if stage is None or p.stage == stage]
    return MsgspecResponse(Pipeline(figures=figures, people=page_of(listed, paging)))

"""四个一: each quarter's enterprise symposium, project negotiation, team building and tech
exchange forum, and which of them are still missing."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path
from redpark_contracts.enterprise_support import QuarterlyKind
from redpark_platform.web import Body, MsgspecResponse, response_schema

from .. import queries
from ..domain.park_calendar import quarter_of
from ..projections.support import NAME as SUPPORT
from .deps import Accepted, After, Reader, Staff, Support, accepted, caught_up, today

router = APIRouter(tags=["quarterlies"])

QUARTER = r"^\d{4}Q[1-4]$"


class QuarterlyPlan(msgspec.Struct, frozen=True, kw_only=True):
    title: str


class QuarterlyRecord(msgspec.Struct, frozen=True, kw_only=True):
    participant_enterprise_ids: list[str]
    outcomes: str = ""
    title: str = ""
    held_on: date | None = None


@router.put("/quarterlies/{quarter}/{kind}/plan", responses=response_schema(Accepted),
            summary="Plan one of the four quarterlies")
async def plan_quarterly(quarter: Annotated[str, Path(pattern=QUARTER)], kind: QuarterlyKind,
                         body: Annotated[QuarterlyPlan, Body(QuarterlyPlan, example=QuarterlyPlan(
                             title="第三季度企业座谈会"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.plan_quarterly(kind, quarter, body.title), f"{kind}/{quarter}")


@router.put("/quarterlies/{quarter}/{kind}/held", responses=response_schema(Accepted),
            summary="Record one of the four quarterlies as held, with participants and outcomes")
async def hold_quarterly(quarter: Annotated[str, Path(pattern=QUARTER)], kind: QuarterlyKind,
                         body: Annotated[QuarterlyRecord, Body(QuarterlyRecord, example=QuarterlyRecord(
                             participant_enterprise_ids=["e1", "e2"], outcomes="收集诉求5条",
                             title="第三季度企业座谈会"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.hold_quarterly(
        kind=kind, quarter=quarter, title=body.title, participant_enterprise_ids=body.participant_enterprise_ids,
        outcomes=body.outcomes, on=body.held_on), f"{kind}/{quarter}")


@router.get("/quarterlies/{quarter}", responses=response_schema(queries.QuarterReport),
            summary="The quarter's four quarterlies and which are missing (`current` for this quarter)")
async def quarter_report(quarter: Annotated[str, Path(pattern=r"^(\d{4}Q[1-4]|current)$")], support: Support,
                         who: Reader, after: After = None) -> MsgspecResponse:
    await caught_up(support, SUPPORT, after)
    return MsgspecResponse(await queries.quarter(support.pool, quarter_of(today()) if quarter == "current" else quarter))

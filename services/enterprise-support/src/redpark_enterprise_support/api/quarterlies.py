"""四个一: each quarter's enterprise symposium, project negotiation, team building and tech
exchange forum, and which of them are still missing."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path

from redpark_contracts.enterprise_support import QuarterlyKind
from redpark_platform.calendar import quarter_from_compact, quarter_of
from redpark_platform.errors import InvalidCommand
from redpark_platform.web import Body, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, accepted

from .. import queries
from ..domain.errors import ERRORS
from .deps import FreshSupport, Reader, Staff, Support

router = APIRouter(tags=["quarterlies"])

QUARTER = r"^\d{4}Q[1-4]$"  # the API spells a quarter as the contract does (`2025Q3`)


def _quarter(text: str) -> str:
    """The API's `2025Q3` as the calendar spells it inside the service, `2025-Q3`."""
    try:
        return quarter_from_compact(text)
    except InvalidCommand:
        raise ERRORS.error("quarter.malformed", field="quarter", text=text) from None


class QuarterlyPlan(msgspec.Struct, frozen=True, kw_only=True):
    title: str


class QuarterlyRecord(msgspec.Struct, frozen=True, kw_only=True):
    participant_enterprise_ids: list[Id]
    outcomes: str = ""
    title: str = ""
    held_on: date | None = None


@router.put("/quarterlies/{quarter}/{kind}/plan", responses=response_schema(Accepted),
            summary="Plan one of the four quarterlies")
async def plan_quarterly(quarter: Annotated[str, Path(pattern=QUARTER)], kind: QuarterlyKind,
                         body: Annotated[QuarterlyPlan, Body(QuarterlyPlan, example=QuarterlyPlan(
                             title="第三季度企业座谈会"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.plan_quarterly(kind, _quarter(quarter), body.title), f"{kind}/{quarter}")


@router.put("/quarterlies/{quarter}/{kind}/held", responses=response_schema(Accepted),
            summary="Record one of the four quarterlies as held, with participants and outcomes")
async def hold_quarterly(quarter: Annotated[str, Path(pattern=QUARTER)], kind: QuarterlyKind,
                         body: Annotated[QuarterlyRecord, Body(QuarterlyRecord, example=QuarterlyRecord(
                             participant_enterprise_ids=["e1", "e2"], outcomes="收集诉求5条",
                             title="第三季度企业座谈会"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.hold_quarterly(
        kind=kind, quarter=_quarter(quarter), title=body.title,
        participant_enterprise_ids=body.participant_enterprise_ids,
        outcomes=body.outcomes, on=body.held_on), f"{kind}/{quarter}")


@router.get("/quarterlies/{quarter}", responses=response_schema(queries.QuarterReport),
            summary="The quarter's four quarterlies and which are missing (`current` for this quarter)")
async def quarter_report(quarter: Annotated[str, Path(pattern=r"^(\d{4}Q[1-4]|current)$")], support: Support,
                         who: Reader, fresh: FreshSupport) -> MsgspecResponse:
    wanted = quarter_of(support.today()) if quarter == "current" else _quarter(quarter)
    return MsgspecResponse(await queries.quarter(support.pool, wanted))

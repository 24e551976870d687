"""Self-study, weekly branch study and the three guarantees (三个保证): who is missing what, today."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path

from redpark_platform.calendar import QUARTER_PATTERN
from redpark_platform.web import Body, Idempotent, MsgspecResponse, ensure_branch, readable_branch, response_schema
from redpark_platform.web.bounded import Id, Minutes
from redpark_platform.web.edge import Accepted, accepted
from redpark_platform.web.paging import Page, Paging, page, page_of

from .. import queries
from ..domain.errors import ERRORS
from ..domain.guarantees import BranchLine, MemberLine, period_bounds
from ..projections.roster import NAME as ROSTER
from .deps import BranchStaff, Edu, Fresh, Officer, Period, Reader

router = APIRouter(tags=["study"])
CREATED = response_schema(Accepted, status=201)


class NewSelfStudy(msgspec.Struct, frozen=True, kw_only=True):
    member_id: Id
    month: str
    studied_on: date
    content: str
    reflection: str


class NewWeeklyStudy(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: Id
    held_on: date
    minutes: Minutes
    topic: str = ""
    attendee_member_ids: list[Id]


@router.post("/self-studies", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="File a member's self-study record for a month (one per month; late after the month)")
async def file_self_study(body: Annotated[NewSelfStudy, Body(NewSelfStudy, example=NewSelfStudy(
        member_id="m1", month="2025-06", studied_on=date(2025, 6, 12), content="学习党章第一章",
        reflection="……"))], edu: Edu, who: BranchStaff) -> MsgspecResponse:
    if "branch_secretary" in who.roles and not {"park_admin", "education_officer"} & set(who.roles):
        branch_id = await queries.member_branch_on(edu.pool, body.member_id, edu.today())
        if branch_id is None:
            raise ERRORS.error("member.not_in_roster", field="member_id", member_id=body.member_id)
        ensure_branch(who, branch_id)
    return accepted(await edu.file_self_study(member_id=body.member_id, month=body.month, studied_on=body.studied_on,
                                              content=body.content, reflection=body.reflection),
                    f"{body.member_id}:{body.month}", 201)


@router.post("/weekly-studies", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Record the branch's study after the enterprise weekly meeting (周学习)")
async def weekly_study(body: Annotated[NewWeeklyStudy, Body(NewWeeklyStudy, example=NewWeeklyStudy(
        branch_id="br1", held_on=date(2025, 6, 9), minutes=30, topic="学习新党章", attendee_member_ids=["m1"]))],
        edu: Edu, who: BranchStaff) -> MsgspecResponse:
    ensure_branch(who, body.branch_id)
    return accepted(await edu.record_weekly_study(
        branch_id=body.branch_id, held_on=body.held_on, minutes=body.minutes, topic_=body.topic,
        attendee_member_ids=body.attendee_member_ids), body.branch_id, 201)


@router.get("/weekly-studies", responses=response_schema(Page[queries.WeeklyRow]),
            summary="Weekly studies held in a period")
async def weekly_studies(period: Period, edu: Edu, who: Reader, paging: Paging, fresh: Fresh,
                         branch_id: Id | None = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    first, last, _ = period_bounds(period)
    rows, total = await queries.weekly(edu.pool, first, last, branch_id, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, total, paging))


class ComplianceView(msgspec.Struct, frozen=True, kw_only=True):
    """The three guarantees of a period as of a day: every branch, and one page of the member rows
    (a branch's row counts all its members, whatever the page)."""

    period: str
    quarter: str
    as_of: date
    members: Page[MemberLine]
    branches: list[BranchLine]


@router.get("/compliance", responses=response_schema(ComplianceView),
            summary="The three guarantees per member and per branch for a month or quarter, as of today")
async def compliance(period: Period, edu: Edu, who: Reader, paging: Paging, fresh: Fresh,
                     branch_id: Id | None = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    # Computed whole (a branch's figures need all its members), then the member rows are paged.
    result = await edu.compliance(period, branch_id)
    return MsgspecResponse(ComplianceView(period=result.period, quarter=result.quarter, as_of=result.as_of,
                                          members=page_of(result.members, paging), branches=result.branches))


QuarterPath = Annotated[str, Path(pattern=QUARTER_PATTERN, description="YYYY-Qn")]


@router.post("/compliance/quarters/{quarter}/close", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Close an ended quarter: each branch's compliance published for the assessment")
async def close_quarter(quarter: QuarterPath, edu: Edu, who: Officer) -> MsgspecResponse:
    return accepted(await edu.close_quarter(quarter), quarter, 201)


@router.post("/reminders", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Issue reminders for what is missing in a period (once per person, guarantee and period)")
async def issue_reminders(period: Period, edu: Edu, who: Officer) -> MsgspecResponse:
    return accepted(await edu.issue_reminders(period), period, 201)


@router.get("/reminders", responses=response_schema(list[queries.ReminderRow]),
            summary="Reminders of a period (of one branch with branch_id; a secretary's own)")
async def reminders(period: Period, edu: Edu, who: Reader, fresh: Fresh,
                    branch_id: Id | None = None) -> MsgspecResponse:
    # A reminder names a member: a branch secretary reads its own branch's only.
    return MsgspecResponse(await queries.reminders(edu.pool, period, readable_branch(who, branch_id)))


@router.get("/roster/position", responses=response_schema(int),
            summary="How far the roster has read the organization's events (its last applied position)")
async def roster_position(edu: Edu, who: Reader) -> MsgspecResponse:
    return MsgspecResponse(await edu.runtime.runners[ROSTER].position("organization"))

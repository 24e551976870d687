"""Staff routes for members' volunteer and tech-poverty-relief activities.

A branch secretary manages the activities its own branch organizes; events officers and park
admins manage all; auditors read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from redpark_platform.web import (
    Body,
    Idempotent,
    MsgspecResponse,
    Principal,
    ensure_branch,
    require_roles,
    response_schema,
)
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, accepted

from ..application import EventsPublic
from ..queries import volunteer as volunteer_queries
from ..queries.views import VolunteerYearReport
from .bodies import NewVolunteerActivity, VolunteerHours, VolunteerMember
from .deps import VOLUNTEER, App, VolunteerFresh, read_model_answer

router = APIRouter(prefix="/staff/volunteer-activities", tags=["volunteer"])

Organizer = Annotated[Principal, require_roles("events_officer", "park_admin", "branch_secretary")]
Reader = Annotated[Principal, require_roles("events_officer", "park_admin", "branch_secretary", "auditor")]
ActivityId = Annotated[Id, Path()]
NewVolunteerActivityBody = Annotated[NewVolunteerActivity, Body(NewVolunteerActivity)]
MemberBody = Annotated[VolunteerMember, Body(VolunteerMember, example=VolunteerMember(member_id="m-1024"))]
HoursBody = Annotated[
    VolunteerHours, Body(VolunteerHours, example=VolunteerHours(member_id="m-1024", hours=3.5))
]


async def _check_organizer(app: EventsPublic, who: Principal, activity_id: str) -> None:
    organizer = await app.volunteering.organizer_of(activity_id)
    if organizer is not None:
        ensure_branch(who, organizer)


@router.post(
    "",
    status_code=201,
    dependencies=[Idempotent],
    responses=response_schema(Accepted, status=201),
    summary="Schedule a volunteer activity",
)
async def schedule(app: App, who: Organizer, body: NewVolunteerActivityBody) -> MsgspecResponse:
    ensure_branch(who, body.organizer_branch_id)
    result = await app.volunteering.schedule(
        activity_id=body.activity_id,
        kind=body.kind,
        title=body.title,
        organizer_branch_id=body.organizer_branch_id,
        place=body.place,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        volunteer_slots=body.volunteer_slots,
    )
    return accepted(result, body.activity_id, status=201)


@router.post(
    "/{activity_id}/sign-ups",
    status_code=201,
    dependencies=[Idempotent],
    responses=response_schema(Accepted, status=201),
    summary="Sign a member up (by member id)",
)
async def sign_up(app: App, who: Organizer, activity_id: ActivityId, body: MemberBody) -> MsgspecResponse:
    await _check_organizer(app, who, activity_id)
    result = await app.volunteering.sign_up(activity_id, body.member_id)
    return accepted(result, activity_id, status=201)


@router.post(
    "/{activity_id}/withdrawals", responses=response_schema(Accepted), summary="Withdraw a member's sign-up"
)
async def withdraw(app: App, who: Organizer, activity_id: ActivityId, body: MemberBody) -> MsgspecResponse:
    await _check_organizer(app, who, activity_id)
    result = await app.volunteering.withdraw(activity_id, body.member_id)
    return accepted(result, activity_id)


@router.post(
    "/{activity_id}/hours", responses=response_schema(Accepted), summary="Record a member's hours afterwards"
)
async def record_hours(app: App, who: Organizer, activity_id: ActivityId, body: HoursBody) -> MsgspecResponse:
    await _check_organizer(app, who, activity_id)
    result = await app.volunteering.record_hours(
        activity_id, body.member_id, hours=body.hours, by=who.subject
    )
    return accepted(result, activity_id)


@router.get(
    "/report",
    responses=response_schema(VolunteerYearReport),
    summary="The year's activities per branch and the general branch against the assessment's target",
)
async def report(
    app: App, who: Reader, year: Annotated[int, Query(ge=2000, le=2100)], fresh: VolunteerFresh
) -> MsgspecResponse:
    report = volunteer_queries.volunteer_year_report(app.runtime.pool, year=year, tz=app.runtime.settings.timezone)
    return await read_model_answer(app.runtime, VOLUNTEER, report)

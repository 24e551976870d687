"""Staff routes (events_officer, park_admin): the catalogue, sessions, check-in at the door."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, accepted

from ..queries import registrations as registration_queries
from ..queries.views import SessionRegistrations
from .bodies import CheckInRequest, NewActivity, NewSession, RegistrationChecks
from .deps import CATALOGUE, App, CatalogueFresh, EventsReader, EventsStaff, read_model_answer

router = APIRouter(prefix="/staff", tags=["staff"])

SessionId = Annotated[Id, Path()]
ActivityId = Annotated[Id, Path()]
NewActivityBody = Annotated[
    NewActivity,
    Body(
        NewActivity,
        example=NewActivity(
            activity_id="robots-2026",
            kind="youth_science_course",
            title="青少年机器人科普课",
            place="A3 报告厅",
        ),
    ),
]
NewSessionBody = Annotated[NewSession, Body(NewSession)]
CheckInBody = Annotated[CheckInRequest, Body(CheckInRequest, example=CheckInRequest(ticket_code="ACDE-FGHJ"))]


@router.post(
    "/activities",
    status_code=201,
    dependencies=[Idempotent],
    responses=response_schema(Accepted, status=201),
    summary="Publish an activity in the catalogue",
)
async def publish_activity(app: App, who: EventsStaff, body: NewActivityBody) -> MsgspecResponse:
    result = await app.catalogue.publish(
        activity_id=body.activity_id,
        kind=body.kind,
        title=body.title,
        summary=body.summary,
        place=body.place,
        organizer=body.organizer,
        carnival_id=body.carnival_id,
        route=list(body.route),
        daily_limit_per_phone=body.daily_limit_per_phone,
        proof_of_work=body.proof_of_work,
        phone_verification=body.phone_verification,
    )
    return accepted(result, body.activity_id, status=201)


ChecksBody = Annotated[
    RegistrationChecks,
    Body(RegistrationChecks, example=RegistrationChecks(proof_of_work=True, phone_verification=False)),
]


@router.put(
    "/activities/{activity_id}/registration-checks",
    responses=response_schema(Accepted),
    summary="Switch what a registration for the activity's sessions must bring",
    description="`proof_of_work`: a solved challenge of `GET /proof-of-work/challenge`; `phone_verification`: "
    "a code sent to the phone by SMS (no SMS channel yet: registrations are then refused with a 503).",
)
async def set_registration_checks(app: App, who: EventsStaff, activity_id: ActivityId,
                                  body: ChecksBody) -> MsgspecResponse:
    result = await app.catalogue.set_registration_checks(
        activity_id, proof_of_work=body.proof_of_work, phone_verification=body.phone_verification, by=who.subject)
    return accepted(result, activity_id)


@router.post(
    "/sessions",
    status_code=201,
    dependencies=[Idempotent],
    responses=response_schema(Accepted, status=201),
    summary="Schedule a session of an activity",
)
async def schedule_session(app: App, who: EventsStaff, body: NewSessionBody) -> MsgspecResponse:
    result = await app.sessions.schedule(
        session_id=body.session_id,
        activity_id=body.activity_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        place=body.place,
        capacity=body.capacity,
        min_age=body.min_age,
        max_age=body.max_age,
        registration_opens_at=body.registration_opens_at,
        registration_closes_at=body.registration_closes_at,
        max_party_size=body.max_party_size,
        waitlist_limit=body.waitlist_limit,
    )
    return accepted(result, body.session_id, status=201)


@router.post("/sessions/{session_id}/check-ins", responses=response_schema(Accepted), summary="Check a ticket in")
async def check_in(app: App, who: EventsStaff, session_id: SessionId, body: CheckInBody) -> MsgspecResponse:
    result = await app.sessions.check_in(session_id, body.ticket_code)
    return accepted(result, session_id)


@router.post(
    "/sessions/{session_id}/no-shows",
    responses=response_schema(Accepted),
    summary="Count the no-shows once the session is over",
)
async def count_no_shows(app: App, who: EventsStaff, session_id: SessionId) -> MsgspecResponse:
    result = await app.sessions.count_no_shows(session_id)
    return accepted(result, session_id)


@router.get(
    "/sessions/{session_id}/registrations",
    responses=response_schema(SessionRegistrations),
    summary="A session's registrations (no names or phones)",
)
async def registrations(app: App, who: EventsReader, session_id: SessionId, fresh: CatalogueFresh) -> MsgspecResponse:
    listing = registration_queries.session_registrations(app.runtime.pool, session_id)
    return await read_model_answer(app.runtime, CATALOGUE, listing)

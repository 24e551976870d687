"""Open-base visits: outside party organizations request (public), staff confirm or decline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path

from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Day, Id
from redpark_platform.web.edge import Accepted, accepted
from redpark_platform.web.ratelimit import RATE_LIMITED

from ..queries import open_base as open_base_queries
from ..queries.views import OpenBaseDayView
from .bodies import NewOpenBaseVisit, OpenBaseDecision, OpenBaseVisitAnswer
from .deps import OPEN_BASE, App, EventsReader, EventsStaff, OpenBaseFresh, OpenBaseLimit, read_model_answer

public = APIRouter(prefix="/open-base", tags=["open base"])
staff = APIRouter(prefix="/staff/open-base", tags=["open base"])

BookingId = Annotated[Id, Path()]
NewVisitBody = Annotated[
    NewOpenBaseVisit,
    Body(
        NewOpenBaseVisit,
        example=NewOpenBaseVisit(
            day=date(2026, 7, 1),
            organization="某区机关第三党支部",
            contact_name="王芳",
            contact_phone="13800138000",
            group_size=30,
        ),
    ),
]
DecisionBody = Annotated[OpenBaseDecision, Body(OpenBaseDecision)]


@public.post(
    "/visits",
    status_code=201,
    # The limit first: a refused request must not claim its idempotency key.
    dependencies=[OpenBaseLimit, Idempotent],
    responses={**response_schema(OpenBaseVisitAnswer, status=201), **RATE_LIMITED},
    summary="Request a group visit",
    description="Without a sign-in. Bounded: a group of at most the base's group limit (default 60), a day "
    "from tomorrow up to a number of days ahead (default 60), a few requests per address and per "
    "contact phone; an unconfirmed request holds its places for a while (default 72 h), then lapses.",
)
async def request_visit(app: App, body: NewVisitBody) -> MsgspecResponse:
    booking_id, result = await app.open_base.request_visit(
        day=body.day,
        organization=body.organization,
        contact_name=body.contact_name,
        contact_phone=body.contact_phone,
        group_size=body.group_size,
    )
    return MsgspecResponse(
        OpenBaseVisitAnswer(position=result.position, booking_id=booking_id, day=body.day), status_code=201
    )


@staff.post("/visits/{booking_id}/confirmation", responses=response_schema(Accepted), summary="Confirm a visit")
async def confirm(app: App, who: EventsStaff, booking_id: BookingId, body: DecisionBody) -> MsgspecResponse:
    result = await app.open_base.confirm(booking_id, day=body.day, by=who.subject)
    return accepted(result, booking_id)


@staff.post("/visits/{booking_id}/decline", responses=response_schema(Accepted), summary="Decline a visit")
async def decline(app: App, who: EventsStaff, booking_id: BookingId, body: DecisionBody) -> MsgspecResponse:
    result = await app.open_base.decline(booking_id, day=body.day, reason=body.reason, by=who.subject)
    return accepted(result, booking_id)


@staff.get("/days/{day}", responses=response_schema(OpenBaseDayView), summary="A day's bookings")
async def day_view(app: App, who: EventsReader, day: Day, fresh: OpenBaseFresh) -> MsgspecResponse:
    limits = app.open_base.limits
    view = open_base_queries.open_base_day(app.runtime.pool, day, limits.daily_capacity, now=app.now(),
                                           hold_for=limits.hold_for)
    return await read_model_answer(app.runtime, OPEN_BASE, view)

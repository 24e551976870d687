"""Public routes: the catalogue, registration, cancellation and tickets. No login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from redpark_contracts.events_public import RegistrationCancelled, RegistrationPromoted
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.proof_of_work import Challenge
from redpark_platform.web.ratelimit import RATE_LIMITED

from ..application import EventsPublic
from ..domain.registration import Confirmed, Waitlisted
from ..domain.ticket import format_ticket_code, normalise_ticket_code
from ..queries import catalogue as catalogue_queries
from ..queries import registrations as registration_queries
from ..queries.views import SessionView, TicketView
from .bodies import (
    Cancellation,
    CancellationAnswer,
    Catalogue,
    NewRegistration,
    PhoneCodeRequest,
    PhoneCodeSent,
    RegistrationAnswer,
)
from .deps import (
    CATALOGUE,
    App,
    BrowseLimit,
    CancellationLimit,
    CatalogueFresh,
    RegistrationLimit,
    TicketLimit,
    read_model_answer,
)
from .ticket_qr import ticket_qr_png

router = APIRouter(tags=["public"])

SessionId = Annotated[Id, Path(description="The session")]
TicketCode = Annotated[str, Path(max_length=20, description="The ticket code, e.g. ACDE-FGHJ")]
NewRegistrationBody = Annotated[
    NewRegistration,
    Body(
        NewRegistration,
        example=NewRegistration(name="李雷", phone="13800138000", adults=1, children_ages=[9], consent=True),
    ),
]
PhoneCodeBody = Annotated[PhoneCodeRequest, Body(PhoneCodeRequest, example=PhoneCodeRequest(phone="13800138000"))]
CancellationBody = Annotated[
    Cancellation, Body(Cancellation, example=Cancellation(ticket_code="ACDE-FGHJ", phone="13800138000"))
]


@router.get("/catalogue", dependencies=[BrowseLimit], responses={**response_schema(Catalogue), **RATE_LIMITED},
            summary="Activities and their sessions")
async def catalogue(app: App, fresh: CatalogueFresh) -> MsgspecResponse:
    return await read_model_answer(app.runtime, CATALOGUE, _catalogue(app))


async def _catalogue(app: EventsPublic) -> Catalogue:
    return Catalogue(activities=await catalogue_queries.catalogue(app.runtime.pool))


@router.get(
    "/sessions/{session_id}", dependencies=[BrowseLimit], responses={**response_schema(SessionView), **RATE_LIMITED},
    summary="A session and its free seats",
)
async def session(app: App, session_id: SessionId, fresh: CatalogueFresh) -> MsgspecResponse:
    return await read_model_answer(app.runtime, CATALOGUE, catalogue_queries.session(app.runtime.pool, session_id))


@router.post(
    "/sessions/{session_id}/registrations",
    status_code=201,
    # The limit first: a refused request must not claim its idempotency key.
    dependencies=[RegistrationLimit, Idempotent],
    responses={**response_schema(RegistrationAnswer, status=201), **RATE_LIMITED},
    summary="Register (no login)",
)
async def register(app: App, session_id: SessionId, body: NewRegistrationBody, request: Request) -> MsgspecResponse:
    result = await app.sessions.register(
        session_id,
        name=body.name,
        phone=body.phone,
        adults=body.adults,
        children_ages=body.children_ages,
        consent=body.consent,
        proof_of_work=body.proof_of_work,
        phone_code=body.phone_code,
        phone_challenge=body.phone_challenge,
    )
    outcome = result.outcome
    assert isinstance(outcome, Confirmed | Waitlisted)
    code = format_ticket_code(outcome.ticket_code)
    answer = RegistrationAnswer(
        position=result.position,
        session_id=session_id,
        registration_id=outcome.registration_id,
        status="confirmed" if isinstance(outcome, Confirmed) else "waitlisted",
        ticket_code=code,
        seats=outcome.seats,
        waitlist_position=outcome.position if isinstance(outcome, Waitlisted) else None,
        # Behind the gateway the service lives under a prefix (its root path): the phone that
        # follows this link must reach the ticket through the same address.
        qr_url=f"{request.scope.get('root_path', '')}/sessions/{session_id}/tickets/{code}/qr.png",
    )
    return MsgspecResponse(answer, status_code=201)


@router.get(
    "/proof-of-work/challenge", dependencies=[BrowseLimit], responses={**response_schema(Challenge), **RATE_LIMITED},
    summary="A proof-of-work challenge for a registration",
    description="ALTCHA-style: find `number` (0..`maxnumber`) with hex SHA-256(`salt` + number) == `challenge`, "
    "then send base64 of the JSON `{algorithm, challenge, number, salt, signature}` as `proof_of_work`. "
    "Valid until the `expires` in its salt (Unix seconds), for one registration.",
)
async def proof_of_work_challenge(app: App) -> MsgspecResponse:
    challenge = app.sessions.proof_of_work.challenge(app.now())
    return MsgspecResponse(challenge, headers={"Cache-Control": "no-store"})


@router.post(
    "/sessions/{session_id}/phone-codes",
    status_code=202,
    dependencies=[RegistrationLimit],
    # Not the platform's `Challenge`: the proof of work's answer is documented under that name.
    responses={**response_schema(PhoneCodeSent, status=202), **RATE_LIMITED},
    summary="Send a one-time code to the phone (sessions whose activity checks the phone)",
    description="6 digits by SMS, valid 5 minutes, 5 tries; one code a minute, 5 an hour, 10 a day per number "
    "(429 `verification.too_often`). Register with `phone_code` and this answer's `challenge_id` as "
    "`phone_challenge`.",
)
async def send_phone_code(app: App, session_id: SessionId, body: PhoneCodeBody) -> MsgspecResponse:
    sent = await app.sessions.send_phone_code(session_id, body.phone)
    answer = PhoneCodeSent(challenge_id=sent.challenge_id, expires_at=sent.expires_at, resend_after=sent.resend_after)
    return MsgspecResponse(answer, status_code=202, headers={"Cache-Control": "no-store"})


@router.post(
    "/sessions/{session_id}/cancellations",
    dependencies=[CancellationLimit],
    responses={**response_schema(CancellationAnswer), **RATE_LIMITED},
    summary="Cancel with the ticket code and phone number",
)
async def cancel(app: App, session_id: SessionId, body: CancellationBody) -> MsgspecResponse:
    result = await app.sessions.cancel(session_id, ticket_code=body.ticket_code, phone=body.phone)
    cancelled = next(e for e in result.events if isinstance(e, RegistrationCancelled))
    promoted = sum(isinstance(e, RegistrationPromoted) for e in result.events)
    return MsgspecResponse(
        CancellationAnswer(
            position=result.position, registration_id=cancelled.registration_id, promoted=promoted
        )
    )


@router.get(
    "/sessions/{session_id}/tickets/{ticket_code}",
    dependencies=[TicketLimit],
    responses={**response_schema(TicketView), **RATE_LIMITED},
    summary="A ticket's status and waiting-list position",
)
async def ticket(app: App, session_id: SessionId, ticket_code: TicketCode, fresh: CatalogueFresh) -> MsgspecResponse:
    code = normalise_ticket_code(ticket_code)
    view = registration_queries.ticket(app.runtime.pool, session_id, code)
    return await read_model_answer(app.runtime, CATALOGUE, view)


@router.get(
    "/sessions/{session_id}/tickets/{ticket_code}/qr.png",
    summary="The ticket's QR code",
    dependencies=[TicketLimit],
    responses={200: {"content": {"image/png": {}}, "description": "A PNG image"}, **RATE_LIMITED},
    response_class=Response,
)
async def ticket_qr(app: App, session_id: SessionId, ticket_code: TicketCode, fresh: CatalogueFresh) -> Response:
    view = await registration_queries.ticket(app.runtime.pool, session_id, normalise_ticket_code(ticket_code))
    return Response(
        ticket_qr_png(session_id, view.ticket_code),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600"},
    )

"""A small throwaway service built with create_app, used by the test_web_* files."""

from __future__ import annotations

import asyncio
from typing import Annotated

import httpx
import msgspec
from fastapi import APIRouter, FastAPI, Query, Response

from redpark_platform.decider import DomainError, NotFound
from redpark_platform.web import (
    Body,
    Idempotent,
    MsgspecResponse,
    Principal,
    create_app,
    ensure_branch,
    require_roles,
    response_schema,
)

SECRET = "test-secret-for-the-web-tests-only-0123456789"


class Party(msgspec.Struct, frozen=True, kw_only=True):
    adults: Annotated[int, msgspec.Meta(ge=1, le=10)]
    children: Annotated[int, msgspec.Meta(ge=0, le=10)] = 0


class NewBooking(msgspec.Struct, frozen=True, kw_only=True):
    """A family asks for places on a tour."""

    tour_id: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    phone: Annotated[str, msgspec.Meta(pattern=r"^1[3-9]\d{9}$")]
    party: Party


class Booking(msgspec.Struct, frozen=True, kw_only=True):
    """A booking that was taken."""

    booking_id: str
    tour_id: str
    places: int


class Note(msgspec.Struct, frozen=True, kw_only=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Noted(msgspec.Struct, frozen=True, kw_only=True):
    author: str
    text: str


class Member(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    branch_id: str


EXAMPLE = NewBooking(tour_id="tour-1", phone="13812345678", party=Party(adults=2, children=1))
NewBookingBody = Annotated[NewBooking, Body(NewBooking, example=EXAMPLE)]

public = APIRouter(tags=["bookings"])


@public.post("/bookings", status_code=201, responses=response_schema(Booking, status=201))
async def book(body: NewBookingBody) -> MsgspecResponse:
    if body.tour_id == "full":
        raise DomainError("tour.full", "the tour has no places left", detail_zh="该线路名额已满",
                          field="tour_id")
    places = body.party.adults + body.party.children
    return MsgspecResponse(Booking(booking_id="b-1", tour_id=body.tour_id, places=places), status_code=201)


@public.get("/bookings", responses=response_schema(list[Booking]))
async def list_bookings(limit: Annotated[int, Query(ge=1, le=100)] = 20) -> MsgspecResponse:
    return MsgspecResponse([Booking(booking_id=f"b-{i}", tour_id="t", places=1) for i in range(min(limit, 2))])


@public.get("/bookings/{booking_id}", responses=response_schema(Booking))
async def get_booking(booking_id: str) -> MsgspecResponse:
    if booking_id != "b-1":
        raise NotFound("booking.not_found", f"no booking {booking_id}", detail_zh="未找到该预约",
                       field="booking_id")
    return MsgspecResponse(Booking(booking_id="b-1", tour_id="tour-1", places=3))


staff = APIRouter(tags=["staff"])


@staff.get("/branches/{branch_id}/members", responses=response_schema(list[Member]))
async def list_members(
    branch_id: str,
    who: Annotated[Principal, require_roles("park_admin", "branch_secretary", "auditor")],
) -> MsgspecResponse:
    ensure_branch(who, branch_id)
    return MsgspecResponse([Member(member_id="m-1", branch_id=branch_id)])


@staff.post("/notes", status_code=201, responses=response_schema(Noted, status=201))
async def add_note(who: Annotated[Principal, require_roles()],
                   body: Annotated[Note, Body(Note, example=Note(text="visited"))]) -> MsgspecResponse:
    return MsgspecResponse(Noted(author=who.subject, text=body.text), status_code=201)


faults = APIRouter(tags=["faults"])


@faults.get("/boom", responses=response_schema(Noted))
async def boom() -> Response:
    raise RuntimeError("internal detail: caller 13812345678 broke the widget")


def make_app(*routers: APIRouter, **kwargs: object) -> FastAPI:
    return create_app(service="websample", title="Web sample", version="9.9.9",
                      routers=list(routers or (public, staff, faults)), jwt_secret=SECRET, **kwargs)  # type: ignore[arg-type]


class Orders:
    """A router whose POST has an effect to count, gated so a test can hold a request in flight."""

    def __init__(self) -> None:
        self.created = 0
        self.gate: asyncio.Event | None = None
        self.router = APIRouter(tags=["orders"])

        @self.router.post("/orders", status_code=201, dependencies=[Idempotent],
                          responses=response_schema(Booking, status=201))
        async def create_order(body: NewBookingBody) -> MsgspecResponse:
            if self.gate is not None:
                await self.gate.wait()
            self.created += 1
            return MsgspecResponse(Booking(booking_id=f"o-{self.created}", tour_id=body.tour_id,
                                           places=body.party.adults), status_code=201,
                                   headers={"Location": f"/orders/o-{self.created}"})

        @self.router.post("/orders/explode", dependencies=[Idempotent], responses=response_schema(Booking))
        async def explode(body: NewBookingBody) -> MsgspecResponse:
            self.created += 1
            raise RuntimeError("boom")


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from fastapi import Depends, Query, Request
from redpark_platform.decider import DomainError
from redpark_platform.runtime import Runtime
from redpark_platform.web import Principal, require_roles
from redpark_platform.web.ratelimit import RateLimit, rate_limited

from ..domain.phone import normalise_phone
from ..handlers import EventsPublic

CATALOGUE = "events_public_catalogue"


async def _events_public(request: Request) -> EventsPublic:
    # async, and not through the sync RuntimeDep: FastAPI runs a sync dependency in a worker
    # thread, two thread hops per request that cost a rush a noticeable share of its CPU.
    runtime: Runtime = request.app.state.runtime
    app: EventsPublic = runtime.extras["events_public"]
    return app


App = Annotated[EventsPublic, Depends(_events_public)]
EventsStaff = Annotated[Principal, require_roles("events_officer", "park_admin")]
EventsReader = Annotated[Principal, require_roles("events_officer", "park_admin", "auditor")]
After = Annotated[
    int | None,
    Query(
        ge=0,
        description="Wait (bounded) until the read model has applied this "
        "position, as returned by a command: read your own writes.",
    ),
]


async def caught_up(app: EventsPublic, after: int | None, projection: str = CATALOGUE) -> None:
    await app.runtime.wait_for(projection, after)


# --- rate limits of the public routes ------------------------------------------------------------


def _limits(group: str) -> Callable[[Request], RateLimit]:
    def configured(request: Request) -> RateLimit:
        # Read from the environment at startup (EventsPublic.attach), hence looked up per request.
        limit: RateLimit = request.app.state.runtime.extras["events_public"].rate_limits[group]
        return limit

    return configured


async def _phone_key(request: Request) -> str | None:
    """The keyed hash of the body's phone: the storage never holds a number. None when there is
    no valid number, which the route itself refuses with a 422 naming the field."""
    try:
        body = msgspec.json.decode(await request.body())
        number = normalise_phone(body["phone"] if isinstance(body, dict) else "")
    except (msgspec.DecodeError, KeyError, TypeError, DomainError):
        return None
    app: EventsPublic = request.app.state.runtime.extras["events_public"]
    return app.hash_phone(number)


_PER_PHONE: dict[str, Any] = {"key": _phone_key, "key_field": "phone", "key_name": "this phone number", "key_name_zh": "该手机号"}
RegistrationLimit = rate_limited(_limits("registration"), **_PER_PHONE)
CancellationLimit = rate_limited(_limits("cancellation"), **_PER_PHONE)
TicketLimit = rate_limited(_limits("ticket"))

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

from ..application import EventsPublic, events_public
from ..domain.phone import normalise_phone

CATALOGUE = "events_public_catalogue"


def layer_of(request: Request) -> EventsPublic:
    runtime: Runtime = request.app.state.runtime
    layer = events_public(runtime)
    if layer is None:
        raise RuntimeError("the events-public layer is not attached: the app has not started")
    return layer


async def _events_public(request: Request) -> EventsPublic:
    # async, and not through the sync RuntimeDep: FastAPI runs a sync dependency in a worker
    # thread, two thread hops per request that cost a rush a noticeable share of its CPU.
    return layer_of(request)


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


def rate_limit_of(group: str) -> Callable[[Request], RateLimit]:
    """The limit of a group of public routes; the pages' posts share it with the API."""

    def configured(request: Request) -> RateLimit:
        # Read from the environment at startup (EventsPublic.attach), hence looked up per request.
        return layer_of(request).rate_limits[group]

    return configured


async def _phone_key(request: Request) -> str | None:
    """The keyed hash of the body's phone: the storage never holds a number. None when there is
    no valid number, which the route itself refuses with a 422 naming the field."""
    try:
        body = msgspec.json.decode(await request.body())
        number = normalise_phone(body["phone"] if isinstance(body, dict) else "")
    except (msgspec.DecodeError, KeyError, TypeError, DomainError):
        return None
    return layer_of(request).hash_phone(number)


_PER_PHONE: dict[str, Any] = {"key": _phone_key, "key_field": "phone", "key_name": "this phone number", "key_name_zh": "该手机号"}
RegistrationLimit = rate_limited(rate_limit_of("registration"), **_PER_PHONE)
CancellationLimit = rate_limited(rate_limit_of("cancellation"), **_PER_PHONE)
TicketLimit = rate_limited(rate_limit_of("ticket"))

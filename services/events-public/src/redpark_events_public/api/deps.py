"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures.

The service edge itself (the layer by type, `?after=` read-your-writes) is the platform's
(`redpark_platform.web.edge`); what is here is this service's: its roles, its read models and its
rate limits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec
from fastapi import Request

from redpark_platform.errors import DomainError
from redpark_platform.runtime import Runtime
from redpark_platform.web import MsgspecResponse, Principal, require_roles
from redpark_platform.web.edge import ReadYourWrites, layer_of
from redpark_platform.web.ratelimit import RateLimit, rate_limited

from ..application import EventsPublic
from ..domain.phone import normalise_phone
from ..projections.catalogue import CatalogueProjection
from ..projections.open_base import OpenBaseProjection
from ..projections.volunteer import VolunteerProjection

CATALOGUE = CatalogueProjection.name
VOLUNTEER = VolunteerProjection.name
OPEN_BASE = OpenBaseProjection.name
# The position of this service's events the read model had applied when the answer was read: the
# answer shows at least that. A client that asked for `?after=` compares it to see whether the
# bounded wait ran out first (the answer is then a little behind, never silently).
READ_MODEL_POSITION = "Read-Model-Position"

App = layer_of(EventsPublic)
EventsStaff = Annotated[Principal, require_roles("events_officer", "park_admin")]
EventsReader = Annotated[Principal, require_roles("events_officer", "park_admin", "auditor")]
CatalogueFresh = Annotated[bool, ReadYourWrites(CATALOGUE)]
VolunteerFresh = Annotated[bool, ReadYourWrites(VOLUNTEER)]
OpenBaseFresh = Annotated[bool, ReadYourWrites(OPEN_BASE)]


def layer_in(request: Request) -> EventsPublic:
    """The layer outside a dependency (rate-limit keys): the one `EventsPublic.attach` added."""
    runtime: Runtime = request.app.state.runtime
    return runtime.layer(EventsPublic)


async def read_model_answer(runtime: Runtime, projection: str, read: Awaitable[msgspec.Struct]
                            ) -> MsgspecResponse:
    """`read`'s answer with the position its read model had reached before it was read."""
    reached = await runtime.runners[projection].position(runtime.spec.name)
    response = MsgspecResponse(await read)
    response.headers[READ_MODEL_POSITION] = str(reached)
    return response


# --- rate limits of the public routes ------------------------------------------------------------


def rate_limit_of(group: str) -> Callable[[Request], RateLimit]:
    """The limit of a group of public routes; the pages' posts share it with the API."""

    def configured(request: Request) -> RateLimit:
        # Read from the environment at startup (EventsPublic.attach), hence looked up per request.
        return layer_in(request).rate_limits[group]

    return configured


def _phone_key(field: str) -> Callable[[Request], Awaitable[str | None]]:
    async def key(request: Request) -> str | None:
        """The keyed hash of the body's phone: the storage never holds a number. None when there
        is no valid number, which the route itself refuses with a 422 naming the field."""
        try:
            body = msgspec.json.decode(await request.body())
            number = normalise_phone(body[field] if isinstance(body, dict) else "")
        except (msgspec.DecodeError, KeyError, TypeError, DomainError):
            return None
        return layer_in(request).hash_phone(number)

    return key


def _per_phone(field: str) -> dict[str, Any]:
    return {"key": _phone_key(field), "key_field": field, "key_name": "this phone number", "key_name_zh": "该手机号"}


RegistrationLimit = rate_limited(rate_limit_of("registration"), **_per_phone("phone"))
CancellationLimit = rate_limited(rate_limit_of("cancellation"), **_per_phone("phone"))
OpenBaseLimit = rate_limited(rate_limit_of("open_base"), **_per_phone("contact_phone"))
TicketLimit = rate_limited(rate_limit_of("ticket"))
BrowseLimit = rate_limited(rate_limit_of("browsing"))

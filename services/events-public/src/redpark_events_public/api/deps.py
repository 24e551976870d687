"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from redpark_platform.runtime import RuntimeDep
from redpark_platform.web import Principal, require_roles

from ..handlers import EventsPublic

CATALOGUE = "events_public_catalogue"


def _events_public(runtime: RuntimeDep) -> EventsPublic:
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

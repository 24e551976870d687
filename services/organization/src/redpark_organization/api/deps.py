"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, TypeVar

import msgspec
from fastapi import Depends, Query

from redpark_platform.runtime import ApplicationLayer, Runtime, RuntimeDep
from redpark_platform.store import AppendResult
from redpark_platform.web import MsgspecResponse, Principal, require_roles

from ..application.organization import Organization

Layer = TypeVar("Layer", bound=ApplicationLayer)


def layer(kind: type[Layer]) -> Callable[[Runtime], Awaitable[Layer]]:
    """The dependency answering the runtime's `kind` layer (attached in `app.py`). Async on purpose:
    FastAPI runs a plain `def` dependency in a worker thread, a hop per request."""

    async def lookup(runtime: RuntimeDep) -> Layer:
        found = runtime.extras[kind.extras_key]
        if not isinstance(found, kind):
            raise TypeError(f"runtime.extras[{kind.extras_key!r}] holds {type(found).__name__}, not {kind.__name__}")
        return found

    return lookup


Org = Annotated[Organization, Depends(layer(Organization))]
Admin = Annotated[Principal, require_roles("park_admin")]
# A branch secretary acts for its own branch only (checked in the route with `ensure_branch`).
BranchStaff = Annotated[Principal, require_roles("park_admin", "branch_secretary")]
Reader = Annotated[Principal, require_roles("park_admin", "branch_secretary", "auditor")]
After = Annotated[int | None, Query(ge=0, description="Wait (bounded) until the read model has applied this "
                                    "position, as returned by a command: read your own writes.")]


class Accepted(msgspec.Struct, frozen=True, kw_only=True):
    """The command was applied; `position` is what to pass as `after` to read it back."""

    position: int
    id: str


class Dated(msgspec.Struct, frozen=True, kw_only=True):
    """A command with nothing but its business date (today in the park when omitted)."""

    effective_on: date | None = None


def accepted(result: AppendResult, id_: str, status: int = 200) -> MsgspecResponse:
    return MsgspecResponse(Accepted(position=result.position, id=id_), status_code=status)


async def caught_up(app: ApplicationLayer, after: int | None, *projections: str) -> None:
    """Read your writes: wait (within one bound) until every read model a route reads has applied
    `after`, the position a command answered."""
    await app.runtime.wait_for_all(projections, after)

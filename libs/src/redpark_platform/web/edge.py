"""The service edge every service's `api/` and `pages/` share: the answer to a command, reading
your own writes, and the application layer by type.

    Org = layer_of(Organization)

    @router.post("/members", status_code=201, responses=response_schema(Accepted, status=201))
    async def register(body: ..., org: Org, who: Admin) -> MsgspecResponse:
        return accepted(await org.register(...), body.member_id, status=201)

    @router.get("/members", dependencies=[ReadYourWrites("members")])
    async def members(org: Org) -> MsgspecResponse: ...

A client passes the `position` of `Accepted` as `?after=` to the read that follows; the read
waits (bounded) until its read models have applied it. Every dependency here is `async`: FastAPI
runs a plain `def` dependency in a worker thread, a hop per request.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import msgspec
from fastapi import Depends, Query, Request

from .bodies import MsgspecResponse

if TYPE_CHECKING:
    from ..runtime import Runtime
    from ..store import AppendResult

L = TypeVar("L")

AFTER_DESCRIPTION = ("Wait (bounded) until the read model has applied this position, as returned by a command: "
                     "read your own writes.")
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description=AFTER_DESCRIPTION)]

READ_YOUR_WRITES_TIMEOUT_S = 2.0


class Accepted(msgspec.Struct, frozen=True, kw_only=True):
    """The command was applied; `position` is what to pass as `after` to read it back."""

    position: int
    id: str


def accepted(result: AppendResult, id_: str, status: int = 200) -> MsgspecResponse:
    """The answer to a command: the id it acted on and the position to read it back at."""
    return MsgspecResponse(Accepted(position=result.position, id=id_), status_code=status)


class Dated(msgspec.Struct, frozen=True, kw_only=True):
    """A command with nothing but its business date (today in the park when omitted)."""

    effective_on: date | None = None


async def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def layer_of(kind: type[L]) -> Any:
    """`Annotated[kind, Depends(...)]`: the application layer of that type, attached to the runtime."""

    async def layer(request: Request) -> L:
        return (await runtime_of(request)).layer(kind)

    layer.__name__ = f"layer_{kind.__name__}"
    return Annotated[kind, Depends(layer)]


def ReadYourWrites(*projections: str, timeout: float = READ_YOUR_WRITES_TIMEOUT_S) -> Any:  # noqa: N802 - reads as a marker
    """A dependency that takes `?after=` and waits (bounded) until every one of `projections` has
    applied it; it yields whether they caught up (False: the answer may be a little behind). A read
    model that does not read this service's own events cannot show its writes: asking it raises
    `runtime.CannotWait` instead of pretending to wait."""
    if not projections:
        raise ValueError("ReadYourWrites needs the read models the route reads")

    async def caught_up(request: Request, after: After = None) -> bool:
        runtime = await runtime_of(request)
        return await runtime.wait_for_all(projections, after, timeout, strict=True)

    caught_up.__name__ = "read_your_writes_" + "_".join(projections)
    return Depends(caught_up)

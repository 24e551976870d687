"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import Depends, Query
from redpark_platform.runtime import RuntimeDep
from redpark_platform.store import AppendResult
from redpark_platform.web import MsgspecResponse, Principal, require_roles

from ..application import EXTRA_KEY, EnterpriseSupport, utcnow
from ..domain.park_calendar import park_date


async def _support(runtime: RuntimeDep) -> EnterpriseSupport:
    # async: FastAPI runs a plain def dependency in a worker thread, a hop per request
    app: EnterpriseSupport = runtime.extras[EXTRA_KEY]
    return app


Support = Annotated[EnterpriseSupport, Depends(_support)]
Staff = Annotated[Principal, require_roles("park_admin", "support_officer")]
Reader = Annotated[Principal, require_roles("park_admin", "support_officer", "auditor")]
After = Annotated[int | None, Query(ge=0, description="Wait (bounded) until the read model has applied this "
                                    "position, as returned by a command: read your own writes.")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="calendar year; this year when omitted")]


class Accepted(msgspec.Struct, frozen=True, kw_only=True):
    """The command was applied; `position` is what to pass as `after` to read it back."""

    position: int
    id: str


class Dated(msgspec.Struct, frozen=True, kw_only=True):
    """A command with nothing but its business date (today in the park when omitted)."""

    effective_on: date | None = None


class Reason(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    effective_on: date | None = None


def accepted(result: AppendResult, id_: str, status: int = 200) -> MsgspecResponse:
    return MsgspecResponse(Accepted(position=result.position, id=id_), status_code=status)


async def caught_up(support: EnterpriseSupport, projection: str, after: int | None) -> None:
    await support.runtime.wait_for(projection, after)


def today() -> date:
    return park_date(utcnow())

"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import Depends, Query

from redpark_platform.runtime import RuntimeDep
from redpark_platform.store import AppendResult
from redpark_platform.web import MsgspecResponse, Principal, require_roles

from ..application.organization import EXTRA_KEY, Organization


def _organization(runtime: RuntimeDep) -> Organization:
    app: Organization = runtime.extras[EXTRA_KEY]
    return app


Org = Annotated[Organization, Depends(_organization)]
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


async def caught_up(org: Organization, projection: str, after: int | None) -> None:
    await org.runtime.wait_for(projection, after)

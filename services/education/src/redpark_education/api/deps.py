"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures."""

from __future__ import annotations

from typing import Annotated

import msgspec
from fastapi import Depends, Query
from redpark_platform.runtime import RuntimeDep
from redpark_platform.store import AppendResult
from redpark_platform.web import MsgspecResponse, Principal, ensure_branch, require_roles

from ..application import EXTRA_KEY, Education
from ..domain.park_calendar import PERIOD_PATTERN


async def _education(runtime: RuntimeDep) -> Education:
    # async: FastAPI runs a plain def dependency in a worker thread, a hop per request
    app: Education = runtime.extras[EXTRA_KEY]
    return app


Edu = Annotated[Education, Depends(_education)]
Officer = Annotated[Principal, require_roles("park_admin", "education_officer")]
# A branch secretary acts for its own branch only (checked in the route with `ensure_branch`).
BranchStaff = Annotated[Principal, require_roles("park_admin", "education_officer", "branch_secretary")]
Reader = Annotated[Principal, require_roles("park_admin", "education_officer", "branch_secretary", "auditor")]
After = Annotated[int | None, Query(ge=0, description="Wait (bounded) until the read model has applied this "
                                    "position, as returned by a command: read your own writes.")]
Period = Annotated[str, Query(pattern=PERIOD_PATTERN, description="A month `YYYY-MM` or a quarter `YYYY-Qn`",
                              examples=["2025-06", "2025-Q2"])]
Year = Annotated[int, Query(ge=2000, le=2200, description="The calendar year")]


class Accepted(msgspec.Struct, frozen=True, kw_only=True):
    """The command was applied; `position` is what to pass as `after` to read it back."""

    position: int
    id: str


def accepted(result: AppendResult, id_: str, status: int = 200) -> MsgspecResponse:
    return MsgspecResponse(Accepted(position=result.position, id=id_), status_code=status)


def own_branch(who: Principal, branch_id: str | None) -> str | None:
    """The branch a caller may read: park-wide readers any (None: all); a branch secretary its own."""
    if {"park_admin", "education_officer", "auditor"} & set(who.roles):
        return branch_id
    branch_id = branch_id or who.branch_id or ""
    ensure_branch(who, branch_id)
    return branch_id


async def caught_up(edu: Education, projection: str, after: int | None) -> None:
    await edu.runtime.wait_for(projection, after)

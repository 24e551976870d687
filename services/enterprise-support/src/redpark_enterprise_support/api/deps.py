"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures.
The answer to a command, `?after=` and the layer lookup are the platform's (`redpark_platform.web.edge`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import Query

from redpark_platform.web import Principal, require_roles
from redpark_platform.web.edge import ReadYourWrites, layer_of

from ..application import EnterpriseSupport
from ..projections.briefings import NAME as BRIEFINGS
from ..projections.recruitment import NAME as RECRUITMENT
from ..projections.support import NAME as SUPPORT

Support = layer_of(EnterpriseSupport)
Staff = Annotated[Principal, require_roles("park_admin", "support_officer")]
Reader = Annotated[Principal, require_roles("park_admin", "support_officer", "auditor")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="calendar year; this year when omitted")]


class Reason(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    effective_on: date | None = None

# Read-your-writes (`?after=`) of the read models a route reads. A parameter placed after the role
# check, not a route-level dependency: those run first, and an unauthenticated request would wait.
FreshSupport = Annotated[bool, ReadYourWrites(SUPPORT)]
FreshBriefings = Annotated[bool, ReadYourWrites(BRIEFINGS)]
FreshLedger = Annotated[bool, ReadYourWrites(SUPPORT, BRIEFINGS)]
FreshRecruitment = Annotated[bool, ReadYourWrites(RECRUITMENT)]

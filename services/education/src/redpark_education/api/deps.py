"""Dependencies shared by the routes, as `Annotated` aliases so routes read as plain signatures.
The answer to a command (`Accepted`), reading your own writes and the layer lookup come from the
platform's service edge (`redpark_platform.web.edge`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from redpark_platform.calendar import PERIOD_PATTERN
from redpark_platform.web import Principal, require_roles
from redpark_platform.web.edge import ReadYourWrites, layer_of

from ..application import Education
from ..projections.records import NAME as RECORDS

Edu = layer_of(Education)
# `?after=`: the read waits (bounded) until the records read model applied that position. The
# roster is the organization's and cannot show an education write, so no read waits for it.
Fresh = Annotated[bool, ReadYourWrites(RECORDS)]
Officer = Annotated[Principal, require_roles("park_admin", "education_officer")]
# A branch secretary acts for its own branch only (checked in the route with `ensure_branch`).
BranchStaff = Annotated[Principal, require_roles("park_admin", "education_officer", "branch_secretary")]
Reader = Annotated[Principal, require_roles("park_admin", "education_officer", "branch_secretary", "auditor")]
Period = Annotated[str, Query(pattern=PERIOD_PATTERN, description="A month `YYYY-MM` or a quarter `YYYY-Qn`",
                              examples=["2025-06", "2025-Q2"])]
Year = Annotated[int, Query(ge=2000, le=2200, description="The calendar year")]

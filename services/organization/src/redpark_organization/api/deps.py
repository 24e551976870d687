"""The routes' dependencies, as `Annotated` aliases so routes read as plain signatures: who may
call (roles) and which application layer answers (by type, from `redpark_platform.web.edge`)."""

from __future__ import annotations

from typing import Annotated

from redpark_platform.web import Principal, require_roles
from redpark_platform.web.edge import layer_of

from ..application.assessment import Assessment
from ..application.facilities import Facilities
from ..application.followups import Followups
from ..application.governance import Governance
from ..application.organization import Organization
from ..application.recognition import Recognition

Org = layer_of(Organization)
Assess = layer_of(Assessment)
Fac = layer_of(Facilities)
Fol = layer_of(Followups)
Gov = layer_of(Governance)
Rec = layer_of(Recognition)

Admin = Annotated[Principal, require_roles("park_admin")]
# A branch secretary acts for its own branch only (checked in the route with `ensure_branch`).
BranchStaff = Annotated[Principal, require_roles("park_admin", "branch_secretary")]
Reader = Annotated[Principal, require_roles("park_admin", "branch_secretary", "auditor")]

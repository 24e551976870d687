"""Thin HTTP routes: parse, authorize, call the application layer or a query, answer. The routers
are wired in `app.py` (with the pages' and the integrations'), nowhere else."""

from __future__ import annotations

from . import dashboard, facilities, recognition  # the dashboard; reviews, awards, venues, funds
from .assessment import router as assessment_router
from .census import router as census_router
from .development import router as development_router
from .exports import router as exports_router
from .followups import router as followups_router
from .governance import router as governance_router
from .members import router as members_router
from .organization import router as organization_router
from .park import router as park_router
from .transfer_letters import router as transfer_letters_router

ROUTERS = (park_router, organization_router, members_router, development_router, census_router, exports_router,
           assessment_router, governance_router, followups_router, recognition.router, facilities.router,
           dashboard.router, transfer_letters_router)

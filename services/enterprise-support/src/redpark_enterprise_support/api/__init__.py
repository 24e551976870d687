"""Thin HTTP routes: parse, authorize, call the application layer, answer. `app.py` wires these
routers with the pages' and the integrations' own."""

from __future__ import annotations

from .dashboard import router as dashboard_router
from .enterprises import router as enterprises_router
from .exports import router as exports_router
from .needs import router as needs_router
from .platforms import router as platforms_router
from .policies import router as policies_router
from .quarterlies import router as quarterlies_router
from .recruitment import router as recruitment_router

ROUTERS = (enterprises_router, needs_router, platforms_router, policies_router, quarterlies_router, exports_router,
           recruitment_router, dashboard_router)

"""Thin HTTP routes: parse, authorize, call the application layer, answer."""

from __future__ import annotations

from ..pages.staff import router as pages_router
from .dashboard import router as dashboard_router
from .exports import router as exports_router
from .programme import router as programme_router
from .study import router as study_router

ROUTERS = (programme_router, study_router, exports_router, dashboard_router, pages_router)

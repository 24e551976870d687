"""Thin HTTP routes: parse, authorize, call the application layer, answer. `app.py` wires these
routers with the pages' own."""

from __future__ import annotations

from .dashboard import router as dashboard_router
from .exports import router as exports_router
from .programme import router as programme_router
from .study import router as study_router

ROUTERS = (programme_router, study_router, exports_router, dashboard_router)

"""Thin HTTP routes: parse, authorize, call the application layer, answer."""

from __future__ import annotations

from .census import router as census_router
from .development import router as development_router
from .exports import router as exports_router
from .members import router as members_router
from .organization import router as organization_router
from .park import router as park_router

ROUTERS = (park_router, organization_router, members_router, development_router, census_router, exports_router)

"""Composition root of the education service: `create_app()` builds its ServiceSpec."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from redpark_contracts.education import registry
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings

from .api import ROUTERS
from .application import Education
from .pages.staff import router as pages_router
from .projections import ALL

SERVICE = "education"


async def _attach(runtime: Runtime) -> None:
    Education.attach(runtime)


async def _remind_before_month_end(runtime: Runtime) -> None:
    await runtime.layer(Education).remind_before_month_end()


def spec() -> ServiceSpec:
    return ServiceSpec(
        name=SERVICE, title="Red Park — education", registry=registry,
        migrations=Path(__file__).parent / "sql", projections=ALL, routers=(*ROUTERS, pages_router),
        on_start=(_attach,),
        # The three guarantees' reminders for the month's last two weeks, by the runtime's clock.
        housekeeping=(_remind_before_month_end,),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(spec(), settings)

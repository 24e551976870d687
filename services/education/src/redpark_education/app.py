"""Composition root of the education service: `create_app()` builds its ServiceSpec."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from redpark_contracts.education import registry
from redpark_platform.notifications import Notifications, TemplateCatalogue
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
    # Nothing of its own to send (the organization texts its reminders); the hub carries the staff's
    # WeCom alerts of this service: a dead letter, a read model waiting for an upgrade.
    notify = Notifications(SERVICE, TemplateCatalogue([]), read_roles=("park_admin", "auditor"),
                           resend_roles=("park_admin",))
    return ServiceSpec(
        name=SERVICE, title="Red Park — education", registry=registry,
        migrations=Path(__file__).parent / "sql", projections=ALL,
        routers=(*ROUTERS, pages_router, notify.router),
        on_start=(_attach, notify.start), on_stop=(notify.stop,),
        # The three guarantees' reminders for the month's last two weeks, by the runtime's clock.
        housekeeping=(_remind_before_month_end,),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(spec(), settings)

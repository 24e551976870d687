"""Composition root of the organization service: `create_app()` builds its ServiceSpec. The one
place where the application layers are attached and the routers (API, pages, integrations) wired."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from redpark_contracts.organization import registry
from redpark_platform.notifications import Notifications
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings

from .api import ROUTERS as API_ROUTERS
from .application.assessment import Assessment
from .application.facilities import Facilities
from .application.followups import Followups
from .application.governance import Governance
from .application.organization import Organization
from .application.recognition import Recognition
from .integrations.outbound import OUTBOUND
from .integrations.property import INBOX as PROPERTY_INBOX
from .integrations.property import mappings as property_mappings_router
from .notifications.checks import SCHEDULES
from .notifications.contacts import NotifyContactsProjection
from .notifications.rules import GuaranteeReminders
from .notifications.templates import CATALOGUE
from .pages.dues import router as dues_pages_router
from .pages.staff import router as pages_router
from .pages.transfers import router as transfer_pages_router
from .projections import ALL as READ_MODELS
from .reactions import ALL as REACTIONS

SERVICE = "organization"
LAYERS = (Organization, Assessment, Governance, Followups, Recognition, Facilities)


async def _attach_layers(runtime: Runtime) -> None:
    for layer in LAYERS:
        layer.attach(runtime)


def spec() -> ServiceSpec:
    notify = Notifications(SERVICE, CATALOGUE, [GuaranteeReminders()], schedules=SCHEDULES,
                           read_roles=("park_admin", "auditor"), resend_roles=("park_admin",))
    return ServiceSpec(
        name=SERVICE, title="Red Park — organization", registry=registry,
        migrations=Path(__file__).parent / "sql",
        projections=(*READ_MODELS, *REACTIONS, OUTBOUND.projection, NotifyContactsProjection(), *notify.rules),
        routers=(*API_ROUTERS, PROPERTY_INBOX.router, property_mappings_router, pages_router, dues_pages_router,
                 transfer_pages_router, OUTBOUND.router, notify.router),
        # The inbox worker last: its translator runs the organization's commands.
        on_start=(_attach_layers, notify.start, PROPERTY_INBOX.start, OUTBOUND.start),
        on_stop=(OUTBOUND.stop, PROPERTY_INBOX.stop, notify.stop),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(spec(), settings)

"""Composition root of the organization service: `create_app()` builds its ServiceSpec."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from redpark_contracts.organization import registry
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings

from .api import ROUTERS
from .application.organization import Organization
from .application.assessment import attach as attach_assessment
from .application.followups import attach as attach_followups
from .application.governance import attach as attach_governance
from .application.facilities import attach as attach_facilities
from .application.recognition import attach as attach_recognition
from .integrations.outbound import OUTBOUND
from .integrations.property import INBOX as PROPERTY_INBOX
from .projections import ALL

SERVICE = "organization"


async def _attach(runtime: Runtime) -> None:
    Organization.attach(runtime)


def spec() -> ServiceSpec:
    return ServiceSpec(
        name=SERVICE, title="Red Park — organization", registry=registry,
        migrations=Path(__file__).parent / "sql", projections=(*ALL, OUTBOUND.projection),
        routers=(*ROUTERS, OUTBOUND.router),
        # The inbox worker last: its translator runs the organization's commands.
        on_start=(_attach, attach_assessment, attach_governance, attach_followups, attach_recognition, attach_facilities,
                  PROPERTY_INBOX.start, OUTBOUND.start),
        on_stop=(OUTBOUND.stop, PROPERTY_INBOX.stop),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(spec(), settings)

"""Composition root of the organization service: `create_app()` builds its ServiceSpec."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from redpark_contracts.organization import registry
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings

from .api import ROUTERS
from .application import Organization
from .assessment import attach as attach_assessment
from .governance import attach as attach_governance
from .integrations.property import INBOX as PROPERTY_INBOX
from .projections import ALL

SERVICE = "organization"


async def _attach(runtime: Runtime) -> None:
    Organization.attach(runtime)


def spec() -> ServiceSpec:
    return ServiceSpec(
        name=SERVICE, title="Red Park — organization", registry=registry,
        migrations=Path(__file__).parent / "sql", projections=ALL, routers=ROUTERS,
        # The inbox worker last: its translator runs the organization's commands.
        on_start=(_attach, attach_assessment, attach_governance, PROPERTY_INBOX.start), on_stop=(PROPERTY_INBOX.stop,),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(spec(), settings)

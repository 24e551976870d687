"""The composition root of the public-events service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from redpark_contracts.events_public import registry
from redpark_platform.notifications import Notifications
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings

from .api import open_base, public, staff, volunteer
from .application import EventsPublic
from .application.phone_verification import sms_phone_codes
from .application.privacy import people_with_phone
from .notifications.checks import SCHEDULES
from .notifications.contacts import NotifyContactsProjection
from .notifications.rules import RegistrationNotices
from .notifications.templates import CATALOGUE
from .pages import open_base as open_base_pages
from .pages import public as public_pages
from .pages import staff as staff_pages
from .projections.catalogue import CatalogueProjection
from .projections.open_base import OpenBaseProjection
from .projections.org_directory import OrgDirectoryProjection
from .projections.volunteer import VolunteerProjection

SERVICE = "events-public"


async def _start(runtime: Runtime) -> None:
    EventsPublic.attach(runtime)


async def _attach_phone_codes(runtime: Runtime) -> None:
    # After the notifications started: the SMS channel, when configured, is theirs.
    runtime.layer(EventsPublic).sessions.phone_codes = sms_phone_codes(runtime)


async def _lapse_open_base_requests(runtime: Runtime) -> None:
    await runtime.layer(EventsPublic).open_base.lapse_overdue()


async def _stop(runtime: Runtime) -> None:
    try:
        layer = runtime.layer(EventsPublic)
    except LookupError:  # the start failed before the layer was attached: nothing to close
        return
    await layer.close()


def service_spec() -> ServiceSpec:
    notify = Notifications(SERVICE, CATALOGUE, [RegistrationNotices()], schedules=SCHEDULES,
                           read_roles=("events_officer", "park_admin", "auditor"),
                           resend_roles=("events_officer", "park_admin"))
    return ServiceSpec(
        name=SERVICE,
        title="Red Park public events (公众活动)",
        registry=registry,
        migrations=Path(__file__).parent / "sql",
        projections=[CatalogueProjection(), VolunteerProjection(), OpenBaseProjection(), OrgDirectoryProjection(),
                     NotifyContactsProjection(),
                     *notify.rules],
        routers=[public.router, open_base.public, staff.router, volunteer.router, open_base.staff,
                 public_pages.router, staff_pages.router, open_base_pages.public, open_base_pages.staff,
                 notify.router],
        on_start=[_start, notify.start, _attach_phone_codes],
        on_stop=[notify.stop, _stop],
        # Requests past their hold already hold nothing; this stores their lapse for staff and notices.
        housekeeping=[_lapse_open_base_requests],
        phone_lookup=people_with_phone,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(service_spec(), settings)

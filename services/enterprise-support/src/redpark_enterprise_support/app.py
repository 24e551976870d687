"""Composition root of the enterprise-support service: `create_app()` builds its ServiceSpec."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from fastapi import FastAPI, Request, Response

from redpark_contracts.enterprise_support import registry
from redpark_platform.notifications import Notifications, TemplateCatalogue
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings
from redpark_platform.web.problems import ProblemResponse, problem

from .api import ROUTERS
from .application import EnterpriseSupport
from .application.recruitment import Recruitment
from .integrations.outbound import OUTBOUND
from .integrations.recruitment import INBOX as RECRUITMENT_INBOX
from .integrations.recruitment import mappings as recruitment_mappings_router
from .pages.staff import router as pages_router
from .projections import ALL

SERVICE = "enterprise-support"


async def _attach(runtime: Runtime) -> None:
    EnterpriseSupport.attach(runtime)
    Recruitment.attach(runtime)


async def _text_postgres_refuses(request: Request, exc: Exception) -> Response:
    # PostgreSQL text cannot hold U+0000 (nor JSON with it): free text, ids and query values that
    # carry one are bad input, not a server fault. The platform does not catch it yet.
    return ProblemResponse(problem(
        request, 422, "text must not contain the NUL character (U+0000)", detail_zh="文本中不能包含空字符",
        code="text.nul_character"))


def spec() -> ServiceSpec:
    # Nothing of its own to send yet; the hub carries the staff's WeCom alerts of this service: a
    # parked recruitment delivery, a dead letter, a read model waiting for an upgrade.
    notify = Notifications(SERVICE, TemplateCatalogue([]), read_roles=("park_admin", "auditor"),
                           resend_roles=("park_admin",))
    return ServiceSpec(
        name=SERVICE, title="Red Park — enterprise support", registry=registry,
        migrations=Path(__file__).parent / "sql", projections=(*ALL, OUTBOUND.projection),
        routers=(*ROUTERS, recruitment_mappings_router, RECRUITMENT_INBOX.router, pages_router, OUTBOUND.router,
                 notify.router),
        # The inbox worker last: its translator needs the recruitment layer attached.
        on_start=(_attach, notify.start, RECRUITMENT_INBOX.start, OUTBOUND.start),
        on_stop=(OUTBOUND.stop, RECRUITMENT_INBOX.stop, notify.stop),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    app = create_service_app(spec(), settings)
    app.add_exception_handler(asyncpg.exceptions.UntranslatableCharacterError, _text_postgres_refuses)
    app.add_exception_handler(asyncpg.exceptions.CharacterNotInRepertoireError, _text_postgres_refuses)
    return app

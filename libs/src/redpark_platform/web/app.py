"""The HTTP app every service starts from: problems, msgspec bodies, auth, idempotency, telemetry.

The runtime that wires PostgreSQL, NATS, the relay and projections passes its own `lifespan` and
`ready_checks`; this module knows nothing of them.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import msgspec
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi_offline import FastAPIOffline

from ..metrics import PROMETHEUS_CONTENT_TYPE, ServiceMetrics
from ..settings import LOG_LEVELS
from .bodies import MsgspecResponse, install_openapi, response_schema
from .idempotency import install_idempotency
from .limits import BodyLimitMiddleware
from .logs import configure_logging
from .problems import ProblemResponse, ReadyCheck, install_problem_handlers, problem
from .telemetry import TracingMiddleware, setup_tracing

ReadyCheckFn = Callable[[], Awaitable[tuple[str, bool, str]]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]
READY_CHECK_TIMEOUT = 5.0


class Alive(msgspec.Struct, frozen=True, kw_only=True):
    """The process is up and answering."""

    status: str = "alive"
    service: str


class Ready(msgspec.Struct, frozen=True, kw_only=True):
    """Every dependency the service needs is reachable."""

    status: str = "ready"
    service: str
    checks: list[ReadyCheck]


async def _run_check(check: ReadyCheckFn) -> ReadyCheck:
    name = getattr(check, "__name__", "check")
    try:
        name, ok, detail = await asyncio.wait_for(check(), READY_CHECK_TIMEOUT)
    except TimeoutError:
        return ReadyCheck(name=name, ok=False, detail=f"no answer within {READY_CHECK_TIMEOUT:g}s")
    except Exception as exc:  # noqa: BLE001 - a failing check means "not ready", not a crashed probe
        return ReadyCheck(name=name, ok=False, detail=f"check failed: {type(exc).__name__}")
    return ReadyCheck(name=name, ok=bool(ok), detail=detail)


def _health_router(service: str, ready_checks: Sequence[ReadyCheckFn]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", responses=response_schema(Alive), summary="Liveness")
    async def healthz() -> MsgspecResponse:
        return MsgspecResponse(Alive(service=service))

    @router.get("/readyz", responses=response_schema(Ready), summary="Readiness")
    async def readyz(request: Request) -> Response:
        checks = list(await asyncio.gather(*(_run_check(c) for c in ready_checks)))
        failing = [c.name for c in checks if not c.ok]
        if failing:
            return ProblemResponse(problem(
                request, 503, f"not ready: {', '.join(failing)}", detail_zh="服务尚未就绪",
                code="service.not_ready", checks=checks))
        return MsgspecResponse(Ready(service=service, checks=checks))

    return router


def _metrics_router(metrics: ServiceMetrics, ready_checks: Sequence[ReadyCheckFn]) -> APIRouter:
    router = APIRouter(tags=["health"])

    # Open like /readyz: Prometheus scrapes the service's own port; the gateway, the public edge,
    # does not pass it on. Out of the OpenAPI document: it is not an API of the service.
    @router.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        checks = await asyncio.gather(*(_run_check(c) for c in ready_checks))
        metrics.ready = int(all(c.ok for c in checks))
        await metrics.refresh()
        return Response(metrics.render(), media_type=PROMETHEUS_CONTENT_TYPE)

    return router


def _log_level() -> str:
    level = (os.environ.get("REDPARK_LOG_LEVEL") or "INFO").upper()
    return level if level in LOG_LEVELS else "INFO"


def create_app(
    *,
    service: str,
    title: str,
    version: str = "0.1.0",
    routers: Sequence[APIRouter] = (),
    lifespan: Lifespan | None = None,
    ready_checks: Sequence[ReadyCheckFn] = (),
    jwt_secret: str | None = None,
    description: str = "",
) -> FastAPI:
    """A FastAPI app with the platform's edges installed; `jwt_secret` defaults to the environment's."""

    @asynccontextmanager
    async def wrapped_lifespan(app: FastAPI) -> AsyncIterator[Any]:
        # Logging and tracing first, so the runtime's own startup is logged and traced.
        configure_logging(service, _log_level())
        setup_tracing(service)
        try:
            if lifespan is None:
                yield None
                return
            async with lifespan(app) as state:
                yield state
        finally:
            await metrics.close()

    options: dict[str, Any] = {}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        # FastAPI's own telemetry would record rejected input values; TracingMiddleware replaces it.
        options["telemetry"] = {"tracing": False, "metrics": False, "logs": False,
                                "operation_spans": False, "auto_configure": False}
    # Swagger UI's script and styles from the platform itself: a park's intranet (or this machine)
    # often cannot reach a CDN, and /docs was then a blank page.
    app = FastAPIOffline(title=title, version=version, description=description, lifespan=wrapped_lifespan,
                         docs_url="/docs", redoc_url=None, static_url="/docs-assets",
                         favicon_url="data:,", **options)
    app.state.service = service
    metrics = ServiceMetrics(service)
    app.state.metrics = metrics
    app.state.jwt_secret = jwt_secret
    install_problem_handlers(app)
    install_idempotency(app)
    # Outside idempotency and every route: no code of ours reads a body beyond the bound.
    app.add_middleware(BodyLimitMiddleware)
    # Added last, so it is the outermost: its span covers everything else.
    app.add_middleware(TracingMiddleware, metrics=metrics)
    app.include_router(_health_router(service, ready_checks))
    app.include_router(_metrics_router(metrics, ready_checks))
    for router in routers:
        app.include_router(router)
    install_openapi(app)
    from ..console.pages import install_console  # the pages' shared look; imports the auth above

    install_console(app)
    return app

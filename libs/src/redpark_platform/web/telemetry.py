"""OpenTelemetry tracing: the provider, a SERVER span per HTTP request, W3C context in NATS headers.

The same middleware records each request's duration by route template (`redpark_platform.metrics`).

One trace follows a request from its HTTP span through the event append and the NATS publish to
every projection: the relay puts `traceparent` into message headers with `inject_headers`, and a
consumer continues it with `extract_context`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..metrics import ServiceMetrics
from .logs import log_request
from .problems import unexpected_error_response

log = logging.getLogger("redpark.web")
_w3c = TraceContextTextMapPropagator()


def setup_tracing(service_name: str) -> TracerProvider:
    """Install the SDK TracerProvider once per process; export by OTLP only when configured.

    OpenTelemetry allows one global provider per process, so a second call (another app in the
    same process, or a test) gets the one already installed.
    """
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
                OTLPSpanExporter,
            )
        except ImportError:
            log.warning("OTEL_EXPORTER_OTLP_ENDPOINT is set but opentelemetry-exporter-otlp-proto-http "
                        "is not installed; spans are not exported")
        else:
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def inject_headers(headers: Mapping[str, str] | None = None) -> dict[str, str]:
    """`headers` plus the current span's W3C `traceparent` (for NATS message headers)."""
    out = dict(headers or {})
    _w3c.inject(out)
    return out


def extract_context(headers: Mapping[str, str] | None) -> Context:
    """The trace context carried by message headers (an empty context when there is none)."""
    return _w3c.extract(dict(headers or {}))


def _route_template(scope: Scope) -> str | None:
    template = getattr(scope.get("route"), "path", None)
    if template is None and "endpoint" in scope and not scope.get("path_params"):
        # A plain Starlette route (/openapi.json, /docs): no parameters, so its path is its template.
        template = scope.get("path")
    return template


class TracingMiddleware:
    """A SERVER span per request, continuing an incoming `traceparent`, and one log line per request.

    Unexpected errors are answered here, inside the span, so their log line carries the trace id.
    """

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics | None = None) -> None:
        self.app = app
        self.tracer = trace.get_tracer("redpark.web")
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"]
        status = 500
        started = False
        t0 = time.perf_counter()

        async def observe(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                started = True
            await send(message)

        with self.tracer.start_as_current_span(
            method, context=_w3c.extract(carrier), kind=SpanKind.SERVER,
            # No url.path: a concrete path may hold a ticket code, a phone or a name. The route
            # template (http.route) is set once routing has found it.
            attributes={"http.request.method": method},
            record_exception=False, set_status_on_exception=False,
        ) as span:
            try:
                await self.app(scope, receive, observe)
            except Exception as exc:
                span.record_exception(exc)
                if started:
                    log.error("unhandled error after the response started", exc_info=exc)
                    raise
                response = await unexpected_error_response(Request(scope), exc)
                await response(scope, receive, observe)
            finally:
                template = _route_template(scope)
                span.update_name(f"{method} {template}" if template else method)
                if template:
                    span.set_attribute("http.route", template)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
                elapsed = time.perf_counter() - t0
                log_request(method, template, status, elapsed)
                if self.metrics is not None:
                    self.metrics.request(method, template, status, elapsed)

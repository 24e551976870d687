"""Metrics through OpenTelemetry: what every service records, as Prometheus text and over OTLP.

Each app owns a `ServiceMetrics`: a MeterProvider whose Prometheus reader writes into the app's own
registry (so two services in one test process never mix their figures) and, when
`OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._METRICS_ENDPOINT`) is set, a periodic OTLP exporter.

Two kinds of figures:
- recorded as things happen: HTTP request durations, events appended, rate-limited requests;
- sampled from the database and the bus (relay backlog, projection lag, dead letters, webhook
  deliveries and notifications by status): a scrape of `/metrics` refreshes them first (`refresh`), and while OTLP
  exports a background loop refreshes them every export interval.

Labels are route templates, read-model, stream-category, system, topic, channel, status and limit names:
never a concrete path, an id or anything a person typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

log = logging.getLogger("redpark.metrics")

# Seconds: from a cached read (a few ms) to a request that waited on a slow database.
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REFRESH_TIMEOUT_S = 5.0
# The classic text format every Prometheus since 2.0 reads (our names need none of 1.0.0's escaping).
PROMETHEUS_CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
# Rate-limit groups configured in this process (`RateLimit.configure`), shown at 0 before any refusal
# so an alert or a panel has a series to read from the first scrape.
KNOWN_LIMITS: set[str] = set()


@dataclass
class Figures:
    """What a sampler reads from the database and the bus; keys are label values."""

    relay_backlog: int = 0
    relay_lag_s: float = 0.0
    projection_lag_s: dict[tuple[str, str], float] = field(default_factory=dict)  # (read model, source)
    projection_position: dict[tuple[str, str], int] = field(default_factory=dict)
    dead_letters: dict[str, int] = field(default_factory=dict)  # read model
    parked: dict[str, int] = field(default_factory=dict)  # read model
    inbox: dict[tuple[str, str], int] = field(default_factory=dict)  # (system, status)
    outbound: dict[tuple[str, str], int] = field(default_factory=dict)  # (topic, status)
    notifications: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, status)


Sampler = Callable[[], Awaitable[Figures]]


def _otlp_wanted() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"))


def _otlp_reader() -> MetricReader | None:
    if not _otlp_wanted():
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    except ImportError:
        log.warning("OTEL_EXPORTER_OTLP_ENDPOINT is set but opentelemetry-exporter-otlp-proto-http is not "
                    "installed (pip install 'redpark-libs[otlp]'); metrics are not exported by OTLP")
        return None
    # OTEL_METRIC_EXPORT_INTERVAL (ms) is read by the reader itself; default 60 s.
    return PeriodicExportingMetricReader(OTLPMetricExporter())


class ServiceMetrics:
    """The instruments of one service app, its Prometheus registry and its optional OTLP export."""

    def __init__(self, service: str) -> None:
        from opentelemetry.exporter.prometheus import PrometheusMetricReader

        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        readers: list[MetricReader] = [PrometheusMetricReader(
            # The service's name as a label on every series: the gateway and a federated
            # Prometheus can tell the services apart without relying on the scrape's job label.
            scope_info_enabled=False, registry=self.registry,
            resource_attribute_filter=lambda key: key == "service.name")]
        otlp = _otlp_reader()
        if otlp is not None:
            readers.append(otlp)
        self.exports_otlp = otlp is not None
        # Shut down at exit only when something is exported: otherwise nothing needs flushing, and
        # the exit hook would keep every test app's provider alive.
        self.provider = MeterProvider(resource=Resource.create({"service.name": service}), metric_readers=readers,
                                      shutdown_on_exit=self.exports_otlp)
        self.figures = Figures()
        self.ready: int | None = None  # set by the app from its readiness checks before a scrape
        self._sampler: Sampler | None = None
        self._loop: asyncio.Task[None] | None = None
        self._limits_shown: set[str] = set()
        meter = self.provider.get_meter("redpark")
        self.http_duration = meter.create_histogram(
            "redpark_http_request_duration_seconds", unit="s",
            description="HTTP requests by route template, method and status",
            explicit_bucket_boundaries_advisory=HTTP_BUCKETS)
        self.events_appended = meter.create_counter(
            "redpark_events_appended", unit="{event}", description="Events appended to the store, by stream category")
        self.rate_limited_requests = meter.create_counter(
            "redpark_rate_limited", unit="{request}", description="Requests refused by a rate limit, by limit")
        self._gauge("redpark_relay_backlog_events", "Events in the store not yet acknowledged by the stream",
                    lambda f: [((), f.relay_backlog)])
        self._gauge("redpark_relay_lag_seconds", "Age of the oldest event not yet published (0 when none)",
                    lambda f: [((), f.relay_lag_s)], unit="s")
        self._gauge("redpark_projection_lag_seconds",
                    "Age of the oldest event a read model has not applied yet (0 when caught up)",
                    lambda f: [((("read_model", m), ("source", s)), v) for (m, s), v in f.projection_lag_s.items()],
                    unit="s")
        self._gauge("redpark_projection_position", "The source's store position a read model has applied up to",
                    lambda f: [((("read_model", m), ("source", s)), v) for (m, s), v in f.projection_position.items()])
        self._gauge("redpark_dead_letters", "Events a read model gave up on (dead-lettered)",
                    lambda f: [((("read_model", m),), v) for m, v in f.dead_letters.items()])
        self._gauge("redpark_parked_messages", "Messages a read model parked to apply later",
                    lambda f: [((("read_model", m),), v) for m, v in f.parked.items()])
        self._gauge("redpark_inbox_deliveries", "Inbound webhook deliveries kept, by system and status",
                    lambda f: [((("system", s), ("status", st)), v) for (s, st), v in f.inbox.items()])
        self._gauge("redpark_outbound_deliveries", "Outbound webhook deliveries, by topic and status",
                    lambda f: [((("topic", t), ("status", st)), v) for (t, st), v in f.outbound.items()])
        self._gauge("redpark_notifications", "Notifications in the outbox, by channel and status (never an address)",
                    lambda f: [((("channel", c), ("status", st)), v) for (c, st), v in f.notifications.items()])
        self._gauge("redpark_service_ready", "1 when every readiness check passes, else 0",
                    lambda _f: [] if self.ready is None else [((), self.ready)])

    def _gauge(self, name: str, description: str,
               read: Callable[[Figures], Iterable[tuple[tuple[tuple[str, str], ...], float]]], unit: str = "") -> None:
        def observe(_options: CallbackOptions) -> Iterable[Observation]:
            return [Observation(value, dict(labels)) for labels, value in read(self.figures)]

        self.provider.get_meter("redpark").create_observable_gauge(
            name, callbacks=[observe], unit=unit, description=description)

    # --- recording -----------------------------------------------------------------------------

    def request(self, method: str, route: str | None, status: int, seconds: float) -> None:
        self.http_duration.record(seconds, {"route": route or "<unmatched>", "method": method, "status": str(status)})

    def appended(self, categories: Mapping[str, int]) -> None:
        for category, count in categories.items():
            self.events_appended.add(count, {"category": category})

    def rate_limited(self, limit: str) -> None:
        self.rate_limited_requests.add(1, {"limit": limit})

    # --- sampling ------------------------------------------------------------------------------

    def sample_with(self, sampler: Sampler | None) -> None:
        """What `refresh` reads (the runtime's figures); None when the runtime stops."""
        self._sampler = sampler
        if sampler is not None and self.exports_otlp and self._loop is None:
            self._loop = asyncio.create_task(self._refresh_loop(), name=f"metrics-{self.service}")

    async def refresh(self) -> None:
        for name in KNOWN_LIMITS - self._limits_shown:
            self.rate_limited_requests.add(0, {"limit": name})
            self._limits_shown.add(name)
        sampler = self._sampler
        if sampler is None:
            return
        try:
            self.figures = await asyncio.wait_for(sampler(), REFRESH_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - a scrape must still answer: the last figures stand
            log.warning("metrics of %s not refreshed: %s", self.service, type(exc).__name__)

    async def _refresh_loop(self) -> None:
        interval = float(os.environ.get("OTEL_METRIC_EXPORT_INTERVAL") or 60_000) / 1000
        while True:
            await self.refresh()
            await asyncio.sleep(max(1.0, interval / 2))

    def render(self) -> bytes:
        """The Prometheus text exposition of everything above (call `refresh` first)."""
        return generate_latest(self.registry)

    async def close(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._loop
            self._loop = None
        self._sampler = None
        if self.exports_otlp:
            # The last figures go out now, and the exporter's thread stops with the app.
            self.provider.shutdown()

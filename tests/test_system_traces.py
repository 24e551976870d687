"""One trace from a public registration to every read model that applies it, across services.

The park's IT follows a slow or failed registration in their tracing tool: the HTTP request at
events-public, the append of its events, the relay's publish, and the projections of events-public
and of the organization (whose assessment facts read events-public's stream) all share its trace.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from redpark_events_public.app import create_app as create_events_public
from redpark_organization.app import create_app as create_organization
from redpark_organization.projections.assessment_facts import NAME as ASSESSMENT_FACTS
from redpark_platform.testkit import ServiceClient
from redpark_platform.web.telemetry import setup_tracing

CATALOGUE = "events_public_catalogue"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    provider = setup_tracing("system-traces")
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    yield exporter
    processor.shutdown()  # a provider keeps its processors; a shut-down one drops later spans


async def test_a_public_registration_is_one_trace_from_the_request_to_each_projection_that_applies_it(
    spans: InMemorySpanExporter, service_client: Callable[..., Awaitable[ServiceClient]],
) -> None:
    public = await service_client(create_events_public, roles=("events_officer",))
    org = await service_client(create_organization, roles=("park_admin",))
    now = datetime.now(UTC)
    r = await public.post("/staff/activities", json={"activity_id": "a1", "kind": "youth_science_course",
                                                     "title": "青少年机器人科普课", "place": "A3"})
    assert r.status_code == 201, r.text
    r = await public.post("/staff/sessions", json={
        "session_id": "s1", "activity_id": "a1", "starts_at": (now + timedelta(days=2)).isoformat(),
        "ends_at": (now + timedelta(days=2, hours=2)).isoformat(), "place": "A3 报告厅", "capacity": 5,
        "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=1)).isoformat()})
    assert r.status_code == 201, r.text
    # Both read models past the set-up first, so the registration's event is a batch of its own.
    assert await public.runtime.runners[CATALOGUE].wait_for("events-public", r.json()["position"], 20)
    assert await org.runtime.runners[ASSESSMENT_FACTS].wait_for("events-public", r.json()["position"], 20)

    r = await public.post("/sessions/s1/registrations", json={
        "name": "访客一", "phone": "13500000001", "adults": 1, "children_ages": [], "consent": True})
    assert r.status_code == 201, r.text
    registered = r.json()["position"]
    assert await public.runtime.runners[CATALOGUE].wait_for("events-public", registered, 20)
    assert await org.runtime.runners[ASSESSMENT_FACTS].wait_for("events-public", registered, 20)

    finished = spans.get_finished_spans()
    (request,) = [s for s in finished
                  if s.kind == SpanKind.SERVER and s.name == "POST /sessions/{session_id}/registrations"]
    in_trace = [s for s in finished if s.context.trace_id == request.context.trace_id]
    by_id = {s.context.span_id: s for s in in_trace}

    def parent(span: ReadableSpan) -> ReadableSpan | None:
        return by_id.get(span.parent.span_id) if span.parent else None

    def lineage(span: ReadableSpan) -> list[str]:
        names = []
        seen: ReadableSpan | None = span
        while seen is not None:
            names.append(seen.name)
            seen = parent(seen)
        return names

    (append,) = [s for s in in_trace if s.name == "eventstore.append"]
    assert lineage(append)[-1] == request.name  # in the request's trace through the session's writer
    (publish,) = [s for s in in_trace if s.name == "relay.publish"]
    assert parent(publish) is append and publish.kind == SpanKind.PRODUCER
    applied = {s.name for s in in_trace if s.kind == SpanKind.CONSUMER and parent(s) is publish}
    assert applied >= {f"projection.{CATALOGUE}", f"projection.{ASSESSMENT_FACTS}"}, lineage(publish)
    # Names and attributes carry templates and categories, never the phone or the person's name.
    seen = " ".join([s.name for s in in_trace] + [str(v) for s in in_trace for v in (s.attributes or {}).values()])
    assert "13500000001" not in seen and "访客一" not in seen and "s1" not in seen.split()

"""Tracing continues an incoming traceparent; logs are JSON lines with the trace id and no personal data."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

sys.path.insert(0, str(Path(__file__).parent))
from web_support import client, make_app  # noqa: E402

from redpark_platform.web.logs import configure_logging, redact  # noqa: E402
from redpark_platform.web.telemetry import extract_context, inject_headers, setup_tracing  # noqa: E402

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider = setup_tracing("websample")
    provider.add_span_processor(processor)
    yield exporter
    # Processors cannot be removed from a provider; a shut-down one drops whatever comes later.
    processor.shutdown()


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_logging("websample", "INFO", stream=stream)
    yield stream
    root.handlers[:] = before[0]
    root.setLevel(before[1])


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_an_incoming_traceparent_becomes_the_parent_of_the_request_span(spans: InMemorySpanExporter) -> None:
    async with client(make_app()) as c:
        r = await c.get("/bookings/b-1", headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"})
    assert r.status_code == 200
    (span,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert format(span.context.trace_id, "032x") == TRACE_ID
    assert span.parent is not None and format(span.parent.span_id, "016x") == PARENT_ID
    assert span.name == "GET /bookings/{booking_id}"
    assert span.attributes["http.route"] == "/bookings/{booking_id}"
    assert span.attributes["http.response.status_code"] == 200


async def test_without_traceparent_a_new_trace_starts(spans: InMemorySpanExporter) -> None:
    async with client(make_app()) as c:
        await c.get("/healthz")
    (span,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert span.parent is None and span.name == "GET /healthz"


def test_nats_headers_carry_the_current_trace(spans: InMemorySpanExporter) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("publish") as publish:
        headers = inject_headers({"Nats-Msg-Id": "e-1"})
    assert headers["Nats-Msg-Id"] == "e-1"
    assert headers["traceparent"].split("-")[1] == format(publish.get_span_context().trace_id, "032x")
    with tracer.start_as_current_span("handle", context=extract_context(headers)) as handle:
        pass
    assert handle.parent is not None and handle.parent.span_id == publish.get_span_context().span_id
    assert not trace.get_current_span(extract_context(None)).get_span_context().is_valid


async def test_log_lines_are_json_with_the_trace_id_and_no_phone_or_id_number(
    spans: InMemorySpanExporter, log_lines: io.StringIO,
) -> None:
    async with client(make_app()) as c:
        await c.get("/boom", headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"})
        await c.get("/bookings", params={"limit": 2, "phone": "13812345678"})
    logging.getLogger("redpark.test").warning("called %s about %s", "13912345678", {"id": "11010519491231002X"})
    text = log_lines.getvalue()
    assert "13812345678" not in text and "13912345678" not in text and "11010519491231002X" not in text
    lines = records(log_lines)
    crash = next(rec for rec in lines if rec["message"].startswith("unhandled error"))
    assert crash["trace_id"] == TRACE_ID and crash["level"] == "ERROR"
    assert "RuntimeError" in crash["exception"] and "[mobile]" in crash["exception"]
    access = [rec for rec in lines if rec["logger"] == "redpark.http"]
    assert access[0]["http"]["route"] == "/boom" and access[0]["http"]["status"] == 500
    assert access[0]["trace_id"] == TRACE_ID and len(access[0]["span_id"]) == 16
    assert access[1]["http"] == {"method": "GET", "route": "/bookings", "status": 200,
                                 "duration_ms": access[1]["http"]["duration_ms"]}
    assert "limit" not in json.dumps(access[1]) and "phone" not in json.dumps(access[1])
    assert lines[-1]["message"] == "called [mobile] about {'id': '[id-number]'}"


def test_redaction_masks_mobiles_and_id_numbers_but_not_other_numbers() -> None:
    assert redact("tel 13812345678, id 110105194912310021") == "tel [mobile], id [id-number]"
    assert redact("order 12345678901 position 2024010112") == "order 12345678901 position 2024010112"
    assert redact("x138123456789") == "x138123456789"  # 12 digits: not a mobile number


async def test_a_span_names_the_route_template_never_the_concrete_path(spans: InMemorySpanExporter) -> None:
    """A public path carries a ticket code (/sessions/s1/tickets/ABCD-EFGH): it must not reach a
    span, whose attributes go to whatever collector the park runs."""
    async with client(make_app()) as c:
        r = await c.get("/bookings/ABCD-EFGH-13800138000")
    assert r.status_code == 404  # a lookup of someone's code, answered: the span still must not hold it
    (span,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert span.attributes.get("http.route") == "/bookings/{booking_id}"
    seen = [span.name, *(str(v) for v in span.attributes.values())]
    assert not [v for v in seen if "ABCD" in v or "13800138000" in v], seen

"""Every service answers `GET /metrics` in Prometheus' text format, from OpenTelemetry instruments."""

from __future__ import annotations

import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import asyncpg
import pytest
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, str(Path(__file__).parent))
from test_runtime import Counted, registry, router, tally_service  # noqa: E402
from test_web_ratelimit import client as address_client  # noqa: E402
from test_web_ratelimit import limited_app  # noqa: E402
from web_support import client as plain_client  # noqa: E402
from web_support import make_app  # noqa: E402

from redpark_platform.events import Event, IncomingEvent  # noqa: E402
from redpark_platform.projections import Projection  # noqa: E402
from redpark_platform.testkit import ServiceClient, eventually  # noqa: E402


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found.setdefault(s.name, []).append((s.labels, s.value))
    return found


async def scrape(client: ServiceClient) -> dict[str, list[tuple[dict[str, str], float]]]:
    r = await client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(r.text)


async def test_metrics_count_requests_appends_and_show_each_read_models_position(
    service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path,
) -> None:
    client = await service_client(tally_service(tmp_path, router), service="tally")
    positions = [(await client.post(f"/tallies/t{i}/counts", json={"by": 1})).json()["position"] for i in range(3)]
    await client.get("/tallies/t1", params={"after": positions[-1]})
    await client.get("/tallies/13812345678")

    async def caught_up() -> dict[str, list[tuple[dict[str, str], float]]]:
        found = await scrape(client)
        (position,) = found["redpark_projection_position"]
        assert position == ({"read_model": "tally_totals", "source": "tally", "service_name": "tally"},
                            positions[-1])
        assert found["redpark_projection_lag_seconds"][0][1] == 0
        return found

    found = await eventually(caught_up)
    appended = {labels["category"]: value for labels, value in found["redpark_events_appended_total"]}
    assert appended == {"tally": 3}
    counts = {(s["route"], s["method"], s["status"]): v
              for s, v in found["redpark_http_request_duration_seconds_count"]}
    assert counts[("/tallies/{tally_id}/counts", "POST", "201")] == 3
    assert counts[("/tallies/{tally_id}", "GET", "200")] == 2
    buckets = [s for s, _ in found["redpark_http_request_duration_seconds_bucket"]]
    assert {"0.005", "10.0", "+Inf"} <= {s["le"] for s in buckets}
    assert found["redpark_relay_backlog_events"][0][1] == 0 and found["redpark_relay_lag_seconds"][0][1] == 0
    assert found["redpark_dead_letters"] == [({"read_model": "tally_totals", "service_name": "tally"}, 0)]
    assert found["redpark_parked_messages"] == [({"read_model": "tally_totals", "service_name": "tally"}, 0)]
    assert found["redpark_service_ready"][0][1] == 1
    text = (await client.get("/metrics")).text
    assert "13812345678" not in text and "t1" not in text  # route templates, never a concrete path
    assert "/metrics" not in (await client.get("/openapi.json")).text



async def test_a_stopped_read_model_shows_its_lag_growing_and_its_position_behind(
    service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path,
) -> None:
    """What IT must see before the secretaries do: the read model stopped, events keep coming."""
    client = await service_client(tally_service(tmp_path, router), service="tally")
    first = (await client.post("/tallies/a/counts", json={"by": 1})).json()["position"]
    runner = client.runtime.runners["tally_totals"]
    assert await runner.wait_for("tally", first, timeout=20)
    await runner.stop()
    later = (await client.post("/tallies/a/counts", json={"by": 1})).json()["position"]

    def behind(found: dict[str, list[tuple[dict[str, str], float]]]) -> bool:
        return (found["redpark_relay_backlog_events"][0][1] == 0  # published: the read model is the one late
                and found["redpark_projection_lag_seconds"][0][1] > 0.2)

    found = await eventually(lambda: scrape(client), behind)
    assert found["redpark_projection_position"][0][1] == first < later


class Refuses13(Projection):
    name = "tally_picky"
    sources = ("tally",)
    registries = {"tally": registry}

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        assert isinstance(event, Counted)
        if event.by == 13:
            raise ValueError("13 is refused")


async def test_a_dead_letter_is_counted_by_its_read_model(
    service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path,
) -> None:
    client = await service_client(tally_service(tmp_path, router, Refuses13()), service="tally")
    client.runtime.runners["tally_picky"].max_deliver = 1
    await client.post("/tallies/a/counts", json={"by": 13})

    def dead(found: dict[str, list[tuple[dict[str, str], float]]]) -> dict[str, float]:
        return {labels["read_model"]: value for labels, value in found["redpark_dead_letters"]}

    found = await eventually(lambda: scrape(client), lambda f: dead(f)["tally_picky"] == 1)
    assert dead(found) == {"tally_picky": 1, "tally_totals": 0}


async def test_refusals_are_counted_by_limit_and_shown_at_zero_before_any() -> None:
    app = limited_app(per_address="2/minute", per_key="")
    async with address_client(app, "10.9.0.1") as one:
        before = signups(samples((await one.get("/metrics")).text))
        assert before == [({"limit": "signup", "service_name": "websample"}, 0)]
        answers = [(await one.post("/signups", json={"phone": "13800138000"})).status_code for _ in range(4)]
        assert answers == [200, 200, 429, 429]
        after = samples((await one.get("/metrics")).text)
    assert signups(after) == [({"limit": "signup", "service_name": "websample"}, 2)]
    assert "13800138000" not in str(after)


def signups(found: dict[str, list[tuple[dict[str, str], float]]]) -> list[tuple[dict[str, str], float]]:
    """This app's limit. The limits a process configures are known process-wide (a service is one
    process), so other tests' limits in this worker show at 0 beside it."""
    return [(labels, value) for labels, value in found["redpark_rate_limited_total"] if labels["limit"] == "signup"]


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        Receiver.received.append((self.path, body))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    """A stand-in OpenTelemetry collector: an HTTP server on loopback keeping what is posted."""
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


async def test_with_an_otlp_endpoint_the_metrics_are_pushed_to_the_collector(
    collector: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", collector + "/v1/metrics")
    monkeypatch.setenv("OTEL_METRIC_EXPORT_INTERVAL", "200")
    app = make_app()
    async with app.router.lifespan_context(app), plain_client(app) as c:
        assert (await c.get("/healthz")).status_code == 200

        def pushed() -> list[bytes]:
            return [body for path, body in Receiver.received
                    if path == "/v1/metrics" and b"redpark_http_request_duration_seconds" in body]

        bodies = await eventually(pushed, timeout=20)
    assert b"/healthz" in bodies[-1] and b"websample" in bodies[-1]

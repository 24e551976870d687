"""Personal data over a whole demo day, on the platform `up` starts (issue 17, items 2 and 6).

`up` runs with its demo data and with every service exporting its spans by OTLP to a collector in
this test. Then:

- every log file, every exported span and every message on every JetStream stream is searched for
  the demo people's names, phones and ID numbers (members, public registrants, open-base
  contacts): none is there in clear;
- one demo member and one public registrant (by phone) are erased with `redpark-privacy`, and then
  `pg_dump` of each service's database and every JetStream message hold neither person's name,
  phone nor ID number, and `verify` still finds every read model equal to its rebuild.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from redpark_events_public.demo import season
from redpark_platform.bus import connect, service_subjects, stream_name
from redpark_platform.credentials import PASSWORDS_FILE, TOOLS, PasswordFile, with_user
from redpark_platform.servers import PG_SUPERUSER, _pg_bin
from redpark_platform.testkit import eventually
from redpark_platform.web.auth import mint_token

ROOT = Path(__file__).resolve().parents[1]
REDPARK = ROOT / "deploy" / "redpark.py"
START_TIMEOUT_S = float(os.environ.get("REDPARK_BROWSER_START_TIMEOUT", "420"))
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


class Collector(http.server.ThreadingHTTPServer):
    """An OTLP/HTTP endpoint that keeps every export request's body (protobuf: strings are raw UTF-8)."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        super().__init__(("127.0.0.1", 0), _Receive)


class _Receive(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.bodies.append(body)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def collector() -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, collector: Collector) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("privacy") / "redpark"
    log = data.parent / "up.out"
    env = dict(os.environ, REDPARK_NO_INSTALL="1",
               OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{collector.server_address[1]}",
               OTEL_EXPORTER_OTLP_COMPRESSION="none", OTEL_BSP_SCHEDULE_DELAY="500")
    for key in [k for k in env if k == "REDPARK_NATS_URL" or k.endswith("_DATABASE_URL")]:
        del env[key]  # these would switch `up` to external servers
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, str(REDPARK), "up", "--data", str(data)], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    state: dict[str, Any] = {}
    try:
        run_file = data / "run.json"
        deadline = time.monotonic() + START_TIMEOUT_S
        while not run_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the platform did not start:\n" + log.read_text(errors="replace")[-4000:], pytrace=False)
            time.sleep(0.3)
        state = json.loads(run_file.read_text())
        yield {**state, "data": data, "out": log}
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid in state.get("pids", {}).values():  # whatever a crash left, by the pids `up` reported
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def admin(platform: dict[str, Any]) -> httpx.Client:
    key = (platform["data"] / "jwt.key").read_text().strip()
    token = mint_token(key, "privacy-test", ["park_admin"])
    return httpx.Client(base_url=platform["gateway"], headers={"Authorization": f"Bearer {token}"}, timeout=30)


def every_page(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        r = http.get(path, params={**params, "limit": 500, "offset": offset})
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        offset = r.json()["next_offset"]
    return items


def members(platform: dict[str, Any]) -> list[dict[str, Any]]:
    with admin(platform) as http:
        return every_page(http, "/organization/members", personal="full")


def public_values(platform: dict[str, Any]) -> set[str]:
    """Values that are public by design (an enterprise's legal representative is business-registration
    data, kept in clear): a demo person who shares a name with one is not searched for by that name."""
    with admin(platform) as http:
        return {e["legal_representative"] for e in every_page(http, "/organization/enterprises")}


def demo_people(platform: dict[str, Any]) -> dict[str, str]:
    """Every demo person's name, phone and ID number, each with where it comes from."""
    people: dict[str, str] = {}
    for m in members(platform):
        people.update({m["name"]: f"member {m['member_id']} name", m["phone"]: f"member {m['member_id']} phone",
                       m["id_number"]: f"member {m['member_id']} ID number"})
    for name, phone in season._people(random.Random(season.SEED), 36):
        people.update({name: "registrant name", phone: "registrant phone"})
    for body, _ in season.open_base_plan(datetime.now(UTC)):
        people.update({body["contact_name"]: "open-base contact name", body["contact_phone"]: "open-base contact phone"})
    for shared in public_values(platform):
        people.pop(shared, None)
    assert len(people) > 100
    return people


async def stream_messages(platform: dict[str, Any]) -> list[bytes]:
    """Every message of every service's stream (data and headers), read with the tools' user."""
    password = PasswordFile(platform["data"] / "nats" / PASSWORDS_FILE).known(TOOLS)
    nc = await connect(with_user(platform["nats_url"], TOOLS, password) if password else platform["nats_url"],
                       "privacy-test")
    out: list[bytes] = []
    try:
        js = nc.jetstream()
        for service in SERVICES:
            info = await js.stream_info(stream_name(service))
            sub = await js.pull_subscribe(
                service_subjects(service), stream=stream_name(service),
                config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE,
                                      inactive_threshold=60.0, max_ack_pending=-1))
            seen = 0
            while seen < info.state.messages:
                msgs = await sub.fetch(500, timeout=5)
                out += [msg.data + json.dumps(dict(msg.headers or {})).encode() for msg in msgs]
                seen += len(msgs)
            await sub.unsubscribe()
            assert seen >= info.state.messages > 0, service
    finally:
        await nc.close()
    return out


def found_in(blobs: list[bytes], values: dict[str, str]) -> list[str]:
    joined = b"\n".join(blobs)
    return sorted(f"{what}: {value!r}" for value, what in values.items() if value.encode() in joined)


def test_no_demo_persons_name_phone_or_id_number_in_any_log_span_or_message(
        platform: dict[str, Any], collector: Collector) -> None:
    people = demo_people(platform)
    with admin(platform) as http:
        for service in SERVICES:  # one more request each, so every service has exported spans by now
            assert http.get(f"/{service}/privacy/subjects/nobody").status_code == 200
    # Batched every half second (OTEL_BSP_SCHEDULE_DELAY): wait until each service's spans came.
    asyncio.run(eventually(lambda: all(any(s.encode() in b for b in collector.bodies) for s in SERVICES),
                           timeout=30))

    logs = [p.read_bytes() for p in (platform["data"] / "logs").glob("*.log")]
    assert len(logs) >= len(SERVICES)
    assert found_in(logs, people) == []
    assert found_in([platform["out"].read_bytes()], people) == []
    assert found_in(collector.bodies, people) == []
    assert found_in(asyncio.run(stream_messages(platform)), people) == []


def pg_dump(platform: dict[str, Any], service: str) -> bytes:
    password = PasswordFile(platform["data"] / "postgres" / PASSWORDS_FILE).known(PG_SUPERUSER)
    dsn = with_user(platform["postgres_dsn"], PG_SUPERUSER, password)
    database = f"redpark_{service.replace('-', '_')}"
    done = subprocess.run([_pg_bin("pg_dump"), "--dbname", f"{dsn.rsplit('/', 1)[0]}/{database}", "--data-only"],
                          capture_output=True, timeout=120, check=True)
    return done.stdout


def privacy_cli(platform: dict[str, Any], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "redpark_platform.privacy_cli", "--data", str(platform["data"]),
                           *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_after_erasing_a_member_and_a_registrant_no_dump_or_message_holds_them_and_read_models_verify(
        platform: dict[str, Any]) -> None:
    public = public_values(platform)
    roster = members(platform)
    names = [m["name"] for m in roster]
    member = next(m for m in roster if names.count(m["name"]) == 1 and m["name"] not in public
                  and m["branch_id"])
    registrants = season._people(random.Random(season.SEED), 36)
    registrant_name, registrant_phone = registrants[0]
    assert registrant_name not in names and registrant_name not in public
    secret = {member["name"]: "member name", member["phone"]: "member phone", member["id_number"]: "member ID number",
              registrant_name: "registrant name", registrant_phone: "registrant phone"}
    before = b"".join(pg_dump(platform, s) for s in SERVICES)
    assert found_in([before], {member["phone"]: "x"}) == [], "the member's phone was sealed before any erasure"

    copy = privacy_cli(platform, "copy", "--person", member["member_id"])
    assert member["name"] in copy and member["id_number"] in copy
    said = privacy_cli(platform, "erase", "--person", member["member_id"], "--why", "person_request")
    assert f"organization: erased {member['member_id']}" in said and "org_rosters 1" in said
    said = privacy_cli(platform, "erase", "--phone", registrant_phone, "--why", "person_request")
    assert "events-public: erased " in said and "organization: holds nothing about this person" in said

    dumps = [pg_dump(platform, s) for s in SERVICES]
    assert found_in(dumps, secret) == []
    assert found_in(asyncio.run(stream_messages(platform)), secret) == []
    assert b"person.erased" in b"".join(dumps)

    def verified() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(REDPARK), "verify", "--data", str(platform["data"])],
                              capture_output=True, text=True, timeout=300, check=False,
                              env=dict(os.environ, REDPARK_NO_INSTALL="1"))

    # The other services' read models forget the member when organization's erasure reaches them.
    done = asyncio.run(eventually(verified, lambda d: d.returncode == 0, timeout=120, interval=5))
    assert done.returncode == 0, done.stdout + done.stderr

"""Signed inbound webhooks (redpark_platform.inbox) on a tiny service, against real PostgreSQL and NATS:
trust (signature, timestamp, system), one effect per webhook id, 422 for bad payloads, retry → park →
replay, and a worker that dies mid-delivery losing nothing."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import asyncpg
import httpx
import msgspec
import pytest
from fastapi import FastAPI
from standardwebhooks import Webhook

from redpark_platform.events import EventRegistry
from redpark_platform.inbox import Delivery, InboundSystem, Inbox, NotYet, Rejected
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings, webhook_secrets_from_env
from redpark_platform.testkit import TEST_TOKEN_TTL, ServiceClient
from redpark_platform.web import mint_token

JWT = "j" * 32
HOOK_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
ADMIN = {"Authorization": f"Bearer {mint_token(JWT, 'admin', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}
OFFICER = {"Authorization": f"Bearer {mint_token(JWT, 'officer', ['support_officer'], ttl=TEST_TOKEN_TTL)}"}


class Credit(msgspec.Struct, frozen=True, kw_only=True, tag="credit", tag_field="event"):
    account: str
    amount: int


class Close(msgspec.Struct, frozen=True, kw_only=True, tag="close", tag_field="event"):
    account: str


LedgerEvent = Credit | Close


class LedgerTranslator:
    """Credits accounts that exist (`opened`); others wait. Closing is never applicable."""

    opened: ClassVar[set[str]] = set()
    gate: asyncio.Event | None = None  # when set by a test, apply waits on it (to die mid-way)
    entered: asyncio.Event | None = None

    def __init__(self, runtime: Runtime) -> None:
        self.pool = runtime.pool

    async def apply(self, delivery: Delivery) -> None:
        match delivery.payload:
            case Credit(account=account, amount=amount):
                if account not in LedgerTranslator.opened:
                    raise NotYet(f"account {account} not opened yet")
                if LedgerTranslator.entered is not None:
                    LedgerTranslator.entered.set()
                if LedgerTranslator.gate is not None:
                    await LedgerTranslator.gate.wait()
                # Idempotent by webhook id, as every translator must be.
                await self.pool.execute(
                    "INSERT INTO hook_effects (webhook_id, account, amount) VALUES ($1, $2, $3)"
                    " ON CONFLICT (webhook_id) DO NOTHING", delivery.webhook_id, account, amount)
            case Close():
                raise Rejected("closing accounts is not supported")


INBOX = Inbox(
    [InboundSystem(name="ledger", payload_type=LedgerEvent, translator=LedgerTranslator,
                   example=Credit(account="a1", amount=5), description="A test system.")],
    list_roles=("park_admin",), replay_roles=("park_admin", "support_officer"),
    max_attempts=3, backoff_base=0.05, backoff_cap=0.2, poll_interval=0.05,
)


@pytest.fixture
async def app(service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path) -> FastAPI:
    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "0001_effects.sql").write_text(
        "CREATE TABLE hook_effects (webhook_id text PRIMARY KEY, account text NOT NULL, amount int NOT NULL);")
    LedgerTranslator.opened = set()
    LedgerTranslator.gate = LedgerTranslator.entered = None

    def create_app(settings: Settings) -> FastAPI:
        spec = ServiceSpec(name="hooks", title="hooks", registry=EventRegistry("hooks"), migrations=sql,
                           routers=[INBOX.router], on_start=(INBOX.start,), on_stop=(INBOX.stop,))
        return create_service_app(spec, settings)

    started = await service_client(create_app, service="hooks", jwt_secret=JWT,
                                   webhook_secrets={"ledger": HOOK_SECRET})
    return started.app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hooks") as c:
        yield c


def signed(body: bytes, webhook_id: str, *, secret: str = HOOK_SECRET, at: datetime | None = None) -> dict[str, str]:
    at = at or datetime.now(UTC)
    return {"webhook-id": webhook_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(webhook_id, at, body.decode()),
            "content-type": "application/json"}


async def send(c: httpx.AsyncClient, payload: Any, webhook_id: str, **kw: Any) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return await c.post("/webhooks/ledger", content=body, headers=signed(body, webhook_id, **kw))


async def deliveries(c: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    r = await c.get("/webhooks/deliveries", params=params, headers=ADMIN)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def until_status(c: httpx.AsyncClient, delivery_id: int, status: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        row = next(d for d in await deliveries(c) if d["delivery_id"] == delivery_id)
        if row["status"] == status:
            return row
        assert asyncio.get_running_loop().time() < deadline, f"still {row} waiting for {status}"
        await asyncio.sleep(0.05)


async def effects(app: FastAPI) -> list[tuple[str, str, int]]:
    pool: asyncpg.Pool = app.state.pool
    return [tuple(r) for r in await pool.fetch("SELECT webhook_id, account, amount FROM hook_effects ORDER BY 1")]


async def test_a_bad_signature_an_old_timestamp_or_an_unknown_system_is_a_401_logged_without_the_body(
        client: httpx.AsyncClient, app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    body = json.dumps({"event": "credit", "account": "secret-account-xyz", "amount": 1}).encode()
    other = "whsec_" + base64.b64encode(b"another key entirely!").decode()
    with caplog.at_level(logging.WARNING, logger="redpark.inbox"):
        wrong_key = await client.post("/webhooks/ledger", content=body, headers=signed(body, "w1", secret=other))
        stale = await client.post("/webhooks/ledger", content=body,
                                  headers=signed(body, "w2", at=datetime.now(UTC) - timedelta(minutes=6)))
        future = await client.post("/webhooks/ledger", content=body,
                                   headers=signed(body, "w3", at=datetime.now(UTC) + timedelta(minutes=6)))
        tampered = await client.post("/webhooks/ledger", content=body.replace(b"1}", b"9}"),
                                     headers=signed(body, "w4"))
        unknown = await client.post("/webhooks/payroll", content=body, headers=signed(body, "w5"))
        unsigned = await client.post("/webhooks/ledger", content=body, headers={"webhook-id": "w6"})
    for response, field in ((wrong_key, "webhook-signature"), (stale, "webhook-timestamp"),
                            (future, "webhook-timestamp"), (tampered, "webhook-signature"),
                            (unknown, "system"), (unsigned, "webhook-timestamp")):
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "webhook.unverified"
        assert response.json()["errors"][0]["field"] == field
    assert "secret-account-xyz" not in caplog.text
    assert "reason=bad_signature" in caplog.text and "reason=unknown_system" in caplog.text
    assert await deliveries(client) == []


async def test_a_repeated_delivery_gets_the_first_answer_and_has_one_effect(
        client: httpx.AsyncClient, app: FastAPI) -> None:
    LedgerTranslator.opened = {"a1"}
    payload = {"event": "credit", "account": "a1", "amount": 7}
    first = await send(client, payload, "dup-1")
    assert first.status_code == 202, first.text
    again = await send(client, payload, "dup-1")
    assert again.status_code == 202 and again.json() == first.json()
    assert again.headers["webhook-duplicate"] == "true"
    await until_status(client, first.json()["delivery_id"], "applied")
    # Even a repeat after it was applied is the same answer and no second effect.
    late = await send(client, payload, "dup-1")
    assert late.json() == first.json()
    await asyncio.sleep(0.2)
    assert await effects(app) == [("dup-1", "a1", 7)]
    assert len(await deliveries(client)) == 1


async def test_malformed_or_off_schema_payloads_are_422_naming_the_field_and_not_stored(
        client: httpx.AsyncClient) -> None:
    broken = await send(client, b'{"event": "credit", "account": ', "bad-1")
    assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "body"
    wrong_type = await send(client, {"event": "credit", "account": "a1", "amount": "lots"}, "bad-2")
    assert wrong_type.status_code == 422 and wrong_type.json()["errors"][0]["field"] == "amount"
    missing = await send(client, {"event": "credit", "amount": 3}, "bad-3")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "account"
    unknown_event = await send(client, {"event": "refund", "account": "a1"}, "bad-4")
    assert unknown_event.status_code == 422 and unknown_event.json()["errors"][0]["field"] == "event"
    # Unicode-hostile text: PostgreSQL text and jsonb cannot hold NUL; JSON cannot carry a lone surrogate.
    nul = await send(client, {"event": "credit", "account": "a\x001", "amount": 3}, "bad-5")
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "account", nul.text
    surrogate = await send(client, b'{"event": "credit", "account": "\\ud800", "amount": 3}', "bad-6")
    assert surrogate.status_code in (400, 422) and surrogate.json()["errors"][0]["field"] == "body", surrogate.text
    long_id = await send(client, {"event": "credit", "account": "a1", "amount": 3}, "w" * 10_000)
    assert long_id.status_code == 401 and long_id.json()["errors"][0]["field"] == "webhook-id", long_id.text
    assert await deliveries(client) == []


async def test_not_yet_is_retried_then_parked_and_staff_replay_it_once_fixed(
        client: httpx.AsyncClient, app: FastAPI) -> None:
    accepted = await send(client, {"event": "credit", "account": "later", "amount": 3}, "wait-1")
    delivery_id = accepted.json()["delivery_id"]
    parked = await until_status(client, delivery_id, "parked")
    assert parked["attempts"] == 3 and parked["last_error"] == "account later not opened yet"
    assert [d["delivery_id"] for d in await deliveries(client, status="parked")] == [delivery_id]
    assert await effects(app) == []

    denied = await client.post(f"/webhooks/deliveries/{delivery_id}/replay",
                               headers={"Authorization": f"Bearer {mint_token(JWT, 'x', ['events_officer'])}"})
    assert denied.status_code == 403
    LedgerTranslator.opened = {"later"}
    replayed = await client.post(f"/webhooks/deliveries/{delivery_id}/replay", headers=OFFICER)
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["status"] == "pending" and replayed.json()["attempts"] == 0
    await until_status(client, delivery_id, "applied")
    assert await effects(app) == [("wait-1", "later", 3)]
    again = await client.post(f"/webhooks/deliveries/{delivery_id}/replay", headers=ADMIN)
    assert again.status_code == 409 and again.json()["code"] == "webhook.not_replayable"
    missing = await client.post("/webhooks/deliveries/999999/replay", headers=ADMIN)
    assert missing.status_code == 404

    export = await client.get("/webhooks/deliveries.xlsx", headers=ADMIN)
    assert export.status_code == 200 and export.content[:2] == b"PK"


async def test_a_rejected_delivery_is_not_retried(client: httpx.AsyncClient) -> None:
    accepted = await send(client, {"event": "close", "account": "a1"}, "close-1")
    row = await until_status(client, accepted.json()["delivery_id"], "rejected")
    assert row["attempts"] == 1 and row["last_error"] == "closing accounts is not supported"
    assert row["kind"] == "close"


async def test_a_worker_dying_mid_delivery_loses_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    runtime: Runtime = app.state.runtime
    LedgerTranslator.opened = {"a1"}
    LedgerTranslator.gate, LedgerTranslator.entered = asyncio.Event(), asyncio.Event()
    first = await send(client, {"event": "credit", "account": "a1", "amount": 1}, "crash-1")
    await asyncio.wait_for(LedgerTranslator.entered.wait(), 10)
    await INBOX.stop(runtime)  # the worker dies while the delivery is half applied
    # Deliveries keep arriving while no worker runs; they are kept.
    second = await send(client, {"event": "credit", "account": "a1", "amount": 2}, "crash-2")
    assert second.status_code == 202
    rows = {d["delivery_id"]: d for d in await deliveries(client)}
    assert rows[first.json()["delivery_id"]]["status"] == "pending"
    assert rows[first.json()["delivery_id"]]["attempts"] == 0
    assert await effects(app) == []

    LedgerTranslator.gate = LedgerTranslator.entered = None
    await INBOX.start(runtime)
    await until_status(client, first.json()["delivery_id"], "applied")
    await until_status(client, second.json()["delivery_id"], "applied")
    assert await effects(app) == [("crash-1", "a1", 1), ("crash-2", "a1", 2)]


async def test_the_deliveries_list_needs_a_staff_role(client: httpx.AsyncClient) -> None:
    assert (await client.get("/webhooks/deliveries")).status_code == 401
    assert (await client.get("/webhooks/deliveries", headers=OFFICER)).status_code == 403


async def test_the_openapi_document_shows_each_payload_and_the_signature_headers(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/openapi.json")).json()
    op = doc["paths"]["/webhooks/ledger"]["post"]
    assert {p["name"] for p in op["parameters"]} >= {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert op["requestBody"]["content"]["application/json"]["example"] == {"event": "credit", "account": "a1",
                                                                          "amount": 5}
    assert {"Credit", "Close"} <= set(doc["components"]["schemas"])


def test_secrets_come_from_the_environment_or_the_data_folder(tmp_path: Path) -> None:
    assert webhook_secrets_from_env({"REDPARK_WEBHOOK_SECRETS": '{"property": "whsec_abc"}'}) == {
        "property": "whsec_abc"}
    (tmp_path / "webhook-secrets.json").write_text('{"recruitment": "whsec_def"}')
    assert webhook_secrets_from_env({"REDPARK_DATA_DIR": str(tmp_path)}) == {"recruitment": "whsec_def"}
    assert webhook_secrets_from_env({"REDPARK_DATA_DIR": str(tmp_path / "none")}) == {}
    with pytest.raises(ValueError, match="REDPARK_WEBHOOK_SECRETS"):
        webhook_secrets_from_env({"REDPARK_WEBHOOK_SECRETS": '["not", "an", "object"]'})


def test_a_local_park_gets_its_webhook_secrets_file_once(tmp_path: Path) -> None:
    from redpark_platform.inbox import ensure_secrets_file

    path = tmp_path / "park" / "webhook-secrets.json"
    first = ensure_secrets_file(path)
    assert set(first) == {"property", "recruitment"} and all(v.startswith("whsec_") for v in first.values())
    assert (path.stat().st_mode & 0o777) == 0o600
    assert ensure_secrets_file(path) == first  # reused, never regenerated
    assert ensure_secrets_file(path, ("property", "recruitment", "payroll"))["property"] == first["property"]
    assert webhook_secrets_from_env({"REDPARK_DATA_DIR": str(path.parent)})["payroll"].startswith("whsec_")
    Webhook(first["property"])  # a secret the standard library of the format accepts


def test_the_webhook_routes_hold_up_under_schemathesis(pg_dsn: str, nats_url: str,
                                                        tmp_path: Path) -> None:
    from redpark_platform.testkit.fuzz import fuzz_openapi, fuzz_settings, running

    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "0001_effects.sql").write_text("CREATE TABLE hook_effects (webhook_id text PRIMARY KEY, account text,"
                                          " amount int);")
    spec = ServiceSpec(name="hooks", title="hooks", registry=EventRegistry("hooks"), migrations=sql,
                       routers=[INBOX.router], on_start=(INBOX.start,), on_stop=(INBOX.stop,))
    base = fuzz_settings("hooks", pg_dsn, nats_url, tmp_path, JWT)
    app = create_service_app(spec, dataclasses.replace(base, webhook_secrets={"ledger": HOOK_SECRET}))
    with running(app, "hooks") as url:
        fuzzed = fuzz_openapi(url, min_operations=5, max_examples=15,
                              headers_for=lambda path: None if path in ("/healthz", "/readyz") else ADMIN)
    assert fuzzed >= 5

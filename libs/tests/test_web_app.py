"""create_app: health and readiness, the wrapped lifespan, and settings from the environment."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

sys.path.insert(0, str(Path(__file__).parent))
from web_support import client, make_app  # noqa: E402

from redpark_platform.settings import Settings, SettingsError  # noqa: E402
from redpark_platform.web import app as app_module  # noqa: E402


async def db_ok() -> tuple[str, bool, str]:
    return "postgresql", True, "reachable"


async def nats_down() -> tuple[str, bool, str]:
    return "nats", False, "connection refused"


async def broken_check() -> tuple[str, bool, str]:
    raise ConnectionError("secret host 10.0.0.1")


async def test_healthz_is_always_200() -> None:
    async with client(make_app(ready_checks=[nats_down])) as c:
        r = await c.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "alive", "service": "websample"}


async def test_readyz_is_200_when_every_check_passes() -> None:
    async with client(make_app(ready_checks=[db_ok])) as c:
        r = await c.get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"] == [{"name": "postgresql", "ok": True, "detail": "reachable"}]


async def test_readyz_is_a_503_problem_naming_what_is_not_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    async def hangs() -> tuple[str, bool, str]:
        await asyncio.sleep(60)
        return "never", True, ""

    monkeypatch.setattr(app_module, "READY_CHECK_TIMEOUT", 0.05)
    async with client(make_app(ready_checks=[db_ok, nats_down, broken_check, hangs])) as c:
        r = await c.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "service.not_ready"
    assert body["detail"] == "not ready: nats, broken_check, hangs"
    assert [c["ok"] for c in body["checks"]] == [True, False, False, False]
    assert body["checks"][2]["detail"] == "check failed: ConnectionError"
    assert "10.0.0.1" not in r.text


async def test_the_given_lifespan_runs_after_logging_and_tracing_are_set_up() -> None:
    seen: list[object] = []

    @asynccontextmanager
    async def runtime(app: FastAPI) -> AsyncIterator[None]:
        root = logging.getLogger()
        seen.append(any(getattr(h, "_redpark_json_handler", False) for h in root.handlers))
        seen.append(isinstance(trace.get_tracer_provider(), TracerProvider))
        app.state.pool = "a pool"
        yield
        seen.append("stopped")

    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    app = make_app(lifespan=runtime)
    try:
        async with app.router.lifespan_context(app):
            assert app.state.pool == "a pool"
    finally:
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    assert seen == [True, True, "stopped"]


def test_settings_come_from_the_environment() -> None:
    env = {"REDPARK_NATS_URL": "nats://127.0.0.1:14222",
           "REDPARK_EVENTS_PUBLIC_DATABASE_URL": "postgresql://127.0.0.1:15432/events",
           "REDPARK_JWT_SECRET": "s3cret-" + "0" * 32, "REDPARK_DATA_DIR": "/tmp/rp", "REDPARK_LOG_LEVEL": "debug"}
    s = Settings.from_env("events-public", env)
    assert s.database_url.endswith("/events") and s.nats_url.endswith(":14222")
    assert s.timezone == "Asia/Shanghai" and s.zone.key == "Asia/Shanghai"
    assert s.jwt.secret == "s3cret-" + "0" * 32 and s.jwt.key_file == Path("/tmp/rp/jwt.key")
    assert s.log_level == "DEBUG" and s.log_level_number == logging.DEBUG


def test_a_missing_or_invalid_setting_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="REDPARK_ORGANIZATION_DATABASE_URL"):
        Settings.from_env("organization", {"REDPARK_NATS_URL": "nats://127.0.0.1:1"})
    with pytest.raises(SettingsError, match="REDPARK_NATS_URL"):
        Settings.from_env("organization", {})
    base = {"REDPARK_NATS_URL": "n", "REDPARK_ORGANIZATION_DATABASE_URL": "d"}
    with pytest.raises(SettingsError, match="REDPARK_TIMEZONE"):
        Settings.from_env("organization", {**base, "REDPARK_TIMEZONE": "Mars/Olympus"})
    with pytest.raises(SettingsError, match="REDPARK_LOG_LEVEL"):
        Settings.from_env("organization", {**base, "REDPARK_LOG_LEVEL": "loud"})

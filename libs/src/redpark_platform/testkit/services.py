"""A service under test in the test's own process: `settings_for` and `service_client`.

Each test gets its own database, the session's NATS under its own bus prefix (so no two tests
see each other's streams) and its own data folder; a client carries a token of the roles asked
for. Tests that stop or kill NATS pass `nats_url=` from `nats_factory` instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from ..clock import Clock
from ..settings import DEFAULT_TIMEZONE, JwtSource, Settings
from ..web.auth import mint_token

TEST_JWT_SECRET = "redpark-test-secret-for-tests-only-0123456789"
# For a token a test module mints once at import: the whole suite may run longer than the
# 15 minutes of a real access token.
TEST_TOKEN_TTL = timedelta(hours=12)


def test_settings(
    service: str, *, database_url: str, nats_url: str, data_dir: Path, bus_prefix: str | None = None,
    jwt_secret: str = TEST_JWT_SECRET, timezone: str = DEFAULT_TIMEZONE, log_level: str = "INFO",
    **overrides: Any,
) -> Settings:
    """Settings of a service under test, without touching the environment."""
    return Settings(
        service=service, nats_url=nats_url, database_url=database_url, timezone=timezone, data_dir=data_dir,
        jwt=JwtSource(secret=jwt_secret, key_file=data_dir / "jwt.key"), log_level=log_level,
        bus_prefix=bus_prefix, **overrides,
    )


test_settings.__test__ = False  # type: ignore[attr-defined]  # a builder, not a test pytest should collect


def service_name_of(create_app: Callable[..., FastAPI]) -> str:
    """`redpark_enterprise_support.app.create_app` -> `enterprise-support`."""
    package = create_app.__module__.split(".")[0]
    if not package.startswith("redpark_"):
        raise ValueError(f"cannot tell the service of {create_app.__module__}.create_app: pass service=")
    return package.removeprefix("redpark_").replace("_", "-")


class ServiceClient(httpx.AsyncClient):
    """An httpx client on the app in this process; `app` and `runtime` for what HTTP cannot show."""

    def __init__(self, app: FastAPI, settings: Settings, headers: dict[str, str]) -> None:
        super().__init__(transport=httpx.ASGITransport(app=app), base_url=f"http://{settings.service}",
                         headers=headers)
        self.app = app
        self.settings = settings

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def token(self, roles: Sequence[str], branch_id: str | None = None, subject: str | None = None) -> str:
        secret = self.settings.jwt.secret
        assert secret is not None, "service_client settings carry their JWT secret"
        return mint_token(secret, subject or ":".join([*roles, branch_id or ""]).rstrip(":"), roles, branch_id)

    def headers_for(self, roles: Sequence[str], branch_id: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(roles, branch_id)}"}


@contextlib.asynccontextmanager
async def run_service(
    create_app: Callable[[Settings], FastAPI], settings: Settings, roles: Sequence[str] = (),
    branch_id: str | None = None, clock: Clock | None = None,
) -> AsyncIterator[ServiceClient]:
    """The app with its lifespan started (runtime, relay, projections) and a client of `roles`
    (no token when `roles` is empty). With `clock` (a `FrozenClock`) the runtime's "now" is the
    test's to set."""
    app = create_app(settings)
    if clock is not None:
        app.state.clock = clock
    async with app.router.lifespan_context(app):
        async with ServiceClient(app, settings, {}) as client:
            if roles:
                client.headers.update(client.headers_for(roles, branch_id))
            yield client

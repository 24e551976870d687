"""The public-events API holds up under schemathesis against a running service: no 500 for any
input, every response as its OpenAPI document says."""

from __future__ import annotations

from pathlib import Path

import pytest

from redpark_events_public.app import create_app
from redpark_platform.testkit import TEST_TOKEN_TTL
from redpark_platform.testkit.fuzz import fuzz_openapi, fuzz_settings, running
from redpark_platform.web import mint_token

SECRET = "events-public-fuzz-secret-0123456789abcdef0123"
STAFF = {"Authorization": f"Bearer {mint_token(SECRET, 'fuzzer', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}


def test_the_events_api_conforms_to_its_openapi_document(
    pg_dsn: str, nats_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fuzzer sends hundreds of requests from one address: explore the routes, not the 429.
    for group in ("REGISTER", "CANCEL", "TICKET", "OPEN_BASE"):
        monkeypatch.setenv(f"REDPARK_EVENTS_PUBLIC_RATE_{group}_PER_ADDRESS", "100000/minute")
    for group in ("REGISTER", "CANCEL", "OPEN_BASE"):
        monkeypatch.setenv(f"REDPARK_EVENTS_PUBLIC_RATE_{group}_PER_PHONE", "100000/minute")
    app = create_app(fuzz_settings("events-public", pg_dsn, nats_url, tmp_path, SECRET))
    app.state.jwt_secret = SECRET
    with running(app, "events-public") as url:
        fuzz_openapi(url, min_operations=20,
                     headers_for=lambda path: STAFF if path.startswith("/staff") else None)

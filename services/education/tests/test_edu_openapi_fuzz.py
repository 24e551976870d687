"""The education API holds up under schemathesis against a running service: no 500 for any
input, every response as its OpenAPI document says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from redpark_education.app import create_app
from redpark_platform.testkit import TEST_TOKEN_TTL
from redpark_platform.testkit.fuzz import fuzz_openapi, fuzz_settings, running
from redpark_platform.web import mint_token

SECRET = "education-fuzz-secret-0000000-0123456789abcdef"
STAFF = {"Authorization": f"Bearer {mint_token(SECRET, 'fuzzer', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}


def no_wait(case: Any) -> Any:
    # `after` beyond the store's last position waits its whole bound (2 s) for a write that never
    # comes, by design; fuzzed, that is most of a minute of sleeping. 0 still sends the parameter.
    if "after" in case.query:
        case.query["after"] = 0
    return case


def test_the_education_api_conforms_to_its_openapi_document(
    pg_dsn: str, nats_url: str, tmp_path: Path
) -> None:
    app = create_app(fuzz_settings("education", pg_dsn, nats_url, tmp_path, SECRET))
    app.state.jwt_secret = SECRET
    with running(app, "education") as url:
        fuzz_openapi(url, min_operations=30, prepare=no_wait,
                     headers_for=lambda path: None if path in ("/healthz", "/readyz") else STAFF)

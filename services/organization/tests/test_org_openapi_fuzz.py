"""The organization API holds up under schemathesis against a running service: no 500 for any
input, every response as its OpenAPI document says (governance, integrations and console routes
included)."""

from __future__ import annotations

from pathlib import Path

from redpark_organization.app import create_app
from redpark_platform.testkit import TEST_TOKEN_TTL
from redpark_platform.testkit.fuzz import fuzz_openapi, fuzz_settings, running
from redpark_platform.web import mint_token

SECRET = "organization-fuzz-secret-0123456789abcdef"
STAFF = {"Authorization": f"Bearer {mint_token(SECRET, 'fuzzer', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}


def test_the_organization_api_conforms_to_its_openapi_document(
    pg_dsn: str, nats_url: str, tmp_path: Path
) -> None:
    app = create_app(fuzz_settings("organization", pg_dsn, nats_url, tmp_path, SECRET))
    app.state.jwt_secret = SECRET
    with running(app, "organization") as url:
        count = fuzz_openapi(url, min_operations=100, max_examples=5,
                             headers_for=lambda path: None if path in ("/healthz", "/readyz") else STAFF)
    assert count >= 100

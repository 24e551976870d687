"""Every route is in the OpenAPI document with msgspec request and response schemas, and the
document holds up under schemathesis: no 500, every response as documented."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

sys.path.insert(0, str(Path(__file__).parent))
from web_support import SECRET, Orders, client, make_app, public, staff  # noqa: E402

from redpark_platform.testkit import TEST_TOKEN_TTL
from redpark_platform.web.auth import mint_token  # noqa: E402


async def test_openapi_lists_every_route_with_msgspec_schemas() -> None:
    app = make_app(public, staff, Orders().router)
    async with client(app) as c:
        doc = (await c.get("/openapi.json")).json()
        docs_page = await c.get("/docs")
    assert docs_page.status_code == 200
    assert doc["info"] == {"title": "Web sample", "version": "9.9.9"}
    ops = {(m.upper(), p): op for p, item in doc["paths"].items() for m, op in item.items()}
    assert set(ops) == {
        ("GET", "/healthz"), ("GET", "/readyz"), ("POST", "/bookings"), ("GET", "/bookings"),
        ("GET", "/bookings/{booking_id}"), ("GET", "/branches/{branch_id}/members"), ("POST", "/notes"),
        ("POST", "/orders"), ("POST", "/orders/explode"),
    }
    schemas = doc["components"]["schemas"]
    for (method, path), op in ops.items():
        success = [code for code in op["responses"] if code.startswith("2")]
        assert success, (method, path)
        for code in success:
            schema = op["responses"][code]["content"]["application/json"]["schema"]
            assert schema, f"{method} {path} has an untyped {code}"
        problem = op["responses"]["default"]["content"]["application/problem+json"]["schema"]
        assert problem == {"$ref": "#/components/schemas/Problem"}
        if method == "POST":
            body = op["requestBody"]["content"]["application/json"]
            assert body["schema"]["$ref"].startswith("#/components/schemas/")
            assert body["example"], f"{method} {path} has no example body"
    book = ops[("POST", "/bookings")]
    assert book["requestBody"]["content"]["application/json"]["example"]["party"] == {"adults": 2, "children": 1}
    assert book["responses"]["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Booking"}
    assert "200" not in book["responses"]
    assert schemas["NewBooking"]["properties"]["party"] == {"$ref": "#/components/schemas/Party"}
    assert schemas["Party"]["properties"]["adults"] == {"type": "integer", "minimum": 1, "maximum": 10}
    assert "HTTPValidationError" not in schemas
    assert ops[("GET", "/branches/{branch_id}/members")]["security"] == [{"bearer": []}]
    assert any(p["name"] == "Idempotency-Key" for p in ops[("POST", "/orders")]["parameters"])


def _keeping_root_logging() -> Any:
    """The app's lifespan (run by schemathesis's client) configures logging; other tests keep theirs."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


keep_logging = pytest.fixture(autouse=True)(_keeping_root_logging)
_restore = _keeping_root_logging()
next(_restore)
schema = schemathesis.openapi.from_asgi("/openapi.json", make_app(public, staff))
next(_restore, None)
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'fuzzer', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_document(case: Any) -> None:
    # A schema-valid body may still break a rule (a NUL character, a business rule): a 422 problem
    # is a correct answer, so only the other checks (no 500, responses match the schema) apply.
    case.call_and_validate(headers=ADMIN if case.path.startswith(("/branches", "/notes")) else None,
                           excluded_checks=[positive_data_acceptance])


async def test_the_docs_page_loads_swagger_ui_from_the_service_not_a_cdn() -> None:
    """A park's intranet often cannot reach a CDN: /docs must work with the platform alone."""
    async with client(make_app(public)) as c:
        page = await c.get("/docs")
        assert page.status_code == 200
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and not [s for s in sources if "//" in s and not s.startswith("data:")], sources
        for asset in sources:
            if asset.startswith("data:"):
                continue
            got = await c.get(asset)
            assert got.status_code == 200 and len(got.content) > 1000, asset

"""Schemathesis over every service's OpenAPI document, through the gateway, as a signed-in staff
member: no 5xx and no response that breaks its document, with every check schemathesis has.

The platform starts the way `up` starts it (`deploy/local/stack.py`: NATS, PostgreSQL, the four
services, the gateway in front), without demo data. The fuzzer signs in at the gateway's `/login`
with an account of the park_admin role and sends the session's token as the bearer token the
documents name, so schemathesis' check that a request without it is refused means something. Each
operation gets a few derandomized examples: the whole run stays within a few minutes on two cores.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from redpark_platform.accounts import AccountStore
from redpark_platform.testkit.fuzz import fuzz_openapi
from redpark_platform.web.auth import SESSION_COOKIE

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "fuzzer-password-1"
EXAMPLES = 5
# Fewer operations than this means a document lost routes (each counts at the time of writing).
OPERATIONS = {"organization": 120, "education": 30, "enterprise-support": 60, "events-public": 20}


def load_stack_module() -> ModuleType:
    path = ROOT / "deploy" / "local" / "stack.py"
    spec = importlib.util.spec_from_file_location("redpark_local_stack_fuzzed", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    stack_module = load_stack_module()
    env = {k: v for k, v in os.environ.items() if k != "REDPARK_NATS_URL" and not k.endswith("_DATABASE_URL")}
    stack = stack_module.Stack(data=tmp_path_factory.mktemp("fuzz") / "redpark", gateway_port=0, load_demo=False,
                               env=env)
    try:
        stack.start(stack_module.discover_services(ROOT))
        yield stack
    finally:
        stack.stop()
    assert all(c.proc.poll() is not None for c in [*stack.children, stack.gateway])


@pytest.fixture(scope="module")
def staff_token(platform: Any) -> str:
    AccountStore(platform.data / "accounts.json").add("fuzzer", PASSWORD, ["park_admin"], name="模糊测试")
    gateway = platform.gateway.url
    response = httpx.post(gateway + "/login", data={"username": "fuzzer", "password": PASSWORD, "next": "/"},
                          headers={"origin": gateway})
    assert response.status_code == 303, response.text
    return str(response.cookies[SESSION_COOKIE])


@pytest.mark.parametrize("service", sorted(OPERATIONS))
def test_every_operation_conforms_through_the_gateway(platform: Any, staff_token: str, service: str) -> None:
    staff = {"Authorization": f"Bearer {staff_token}"}
    count = fuzz_openapi(f"{platform.gateway.url}/{service}", min_operations=OPERATIONS[service],
                         max_examples=EXAMPLES, every_check=True,
                         headers_for=lambda path: None if path in ("/healthz", "/readyz") else staff)
    assert count >= OPERATIONS[service]

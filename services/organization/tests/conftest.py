"""The organization service under test, shared by its API test files."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from redpark_organization.app import create_app
from redpark_platform.testkit import ServiceClient


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]]) -> ServiceClient:
    """The service started for the test (real NATS and PostgreSQL of the test kit), with a
    park_admin's token."""
    return await service_client(create_app, roles=("park_admin",))

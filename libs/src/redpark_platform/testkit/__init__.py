"""Test kit shared by every service: Given/When/Then for deciders, a bounded `eventually`, a
service under test (`test_settings`, `run_service`), and pytest fixtures that start real NATS and
PostgreSQL (see `redpark_platform.testkit.fixtures`)."""

from .gwt import DeciderSpec
from .polling import eventually
from .proof_of_work import solved_challenge
from .services import TEST_JWT_SECRET, TEST_TOKEN_TTL, ServiceClient, run_service, test_settings

__all__ = ["TEST_JWT_SECRET", "TEST_TOKEN_TTL", "DeciderSpec", "ServiceClient", "eventually", "run_service",
           "solved_challenge", "test_settings"]

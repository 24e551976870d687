"""Test kit shared by every service: Given/When/Then for deciders, and pytest fixtures
that start real NATS and PostgreSQL (see `redpark_platform.testkit.fixtures`)."""

from .gwt import DeciderSpec

__all__ = ["DeciderSpec"]

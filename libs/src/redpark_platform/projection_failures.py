"""How a projection runner tells a failing event from a failing database or server: what it retries
without counting, what it counts toward the dead-letter subject, and the reason operators read."""

from __future__ import annotations

import asyncio

import asyncpg
import msgspec

from .events import UnknownEventType


class NoHeartbeat(Exception):
    """An idle fetch heard nothing from the server, not even a heartbeat."""


def reason(exc: BaseException) -> str:
    """Why an event failed, for operators' lists: the error's kind, and the message only where it
    names fields and types, never values (values may be personal data)."""
    if isinstance(exc, (msgspec.ValidationError, msgspec.DecodeError, UnknownEventType)):
        return f"{type(exc).__name__}: {exc}"[:500]
    return type(exc).__name__


class DatabaseUnavailable(Exception):
    """The read model's database failed, not the event: retry later without counting."""

    delay = 1.0


class RetryFromCheckpoint(Exception):
    """An event failed and will be tried again after `delay`, before anything that follows it."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"retry in {delay:.1f}s")
        self.delay = delay


# Failures of the database or the way to it, not of the event: retried without counting.
TRANSIENT = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # shutdown, cannot connect now
    asyncpg.exceptions.TransactionRollbackError,  # deadlock, serialization failure
    asyncpg.exceptions.InsufficientResourcesError,
)


def transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)

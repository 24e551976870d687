"""The one clock: what "now" is for a running service, and a clock tests set.

`Runtime.now()` reads the runtime's `Clock` (the system's by default); a test gives a
`FrozenClock` it moves with `advance`, so nothing waits on real time to pass. Instants are aware
and in UTC; the park's dates come from `redpark_platform.calendar`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """This instant, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FrozenClock:
    """Stands still until told: `set(instant)` or `advance(minutes=5)`."""

    def __init__(self, at: datetime) -> None:
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = _aware(at)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by `delta` or by `timedelta(**parts)` (days=, hours=, seconds=...); returns the new now."""
        step = delta if delta is not None else timedelta(**parts)
        if step < timedelta(0):
            raise ValueError("a clock only moves forward")
        self._at += step
        return self._at

    def __repr__(self) -> str:
        return f"FrozenClock({self._at.isoformat()})"


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        # A naive instant could be read in any zone; refusing it keeps dates from shifting by a day.
        raise ValueError("a clock needs an aware instant (with a time zone)")
    return at.astimezone(UTC)


def utcnow() -> datetime:
    """The system's instant, for code that has no runtime at hand (scripts, demo data)."""
    return datetime.now(UTC)


def new_id() -> str:
    """A new random identifier: 16 hex digits (64 bits), short enough to read out, never reused in practice."""
    return uuid.uuid4().hex[:16]

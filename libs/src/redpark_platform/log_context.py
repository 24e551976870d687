"""The event position a log line is about, kept in a context variable the JSON log formatter reads.

Set where the platform appends an event (the rest of that request's lines, its request line too,
carry the position the client can wait for) and where a read model applies one (its warnings and
dead letters name the position an operator looks up). A position is a number: never personal data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_position: ContextVar[int | None] = ContextVar("redpark_event_position", default=None)


def current_position() -> int | None:
    return _position.get()


def note_position(position: int | None) -> None:
    """From here on in this task (a request's own), log lines carry `position`."""
    if position:
        _position.set(position)


@contextmanager
def about_position(position: int | None) -> Iterator[None]:
    """Log lines written inside carry `position` (an event being applied)."""
    token = _position.set(position)
    try:
        yield
    finally:
        _position.reset(token)

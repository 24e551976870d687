"""Who is acting: the account or system behind the command being handled.

The store records it with every event it appends (`events.actor`), so an entity's history can say
who did what. It travels in a context variable rather than through every command because it is
not a business fact: deciders never see it. The HTTP auth dependency sets it from the token's
subject; a worker acting for an external system wraps its work in `acting_as("system:<name>")`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_actor: ContextVar[str | None] = ContextVar("redpark_actor", default=None)


def current_actor() -> str | None:
    return _actor.get()


def set_actor(actor: str | None) -> None:
    """For the request's task (FastAPI runs async dependencies in the endpoint's context)."""
    _actor.set(actor)


@contextlib.contextmanager
def acting_as(actor: str | None) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)

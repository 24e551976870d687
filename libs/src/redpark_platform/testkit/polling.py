"""`eventually`: the one bounded wait of the test kit, for what reaches a read model asynchronously.

Polls `read` until `check(value)` holds and returns that value; an `AssertionError` from `read`
counts as "not yet". At the deadline it fails with the last value (or re-raises the last
assertion), so a test never passes by waiting out a fixed sleep. Prefer waiting for a position
(`Runtime.wait_for`) when the writer's position is known: that is exact, this is a poll.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 30.0  # a bound for failing, not a wait: generous for a loaded 2-core machine
DEFAULT_INTERVAL_S = 0.05


def _truthy(value: Any) -> bool:
    return bool(value)


async def eventually(
    read: Callable[[], Awaitable[T]] | Callable[[], T],
    check: Callable[[T], bool] = _truthy,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    interval: float = DEFAULT_INTERVAL_S,
) -> T:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            value = read()
            if inspect.isawaitable(value):
                value = await value
            if check(value):
                return value
            failure: AssertionError | None = None
        except AssertionError as exc:
            failure, value = exc, None
        if loop.time() >= deadline:
            if failure is not None:
                raise failure
            raise AssertionError(f"never became true within {timeout:g}s; last: {value!r}")
        await asyncio.sleep(interval)

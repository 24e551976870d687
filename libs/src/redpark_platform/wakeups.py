"""Waiting for a wake-up or a timeout, whichever comes first, in a loop that is stopped by
cancelling its task.

`asyncio.wait_for(event.wait(), t)` cannot be used there on Python 3.11: when the event is set
in the same turn of the loop as the task is cancelled, `wait_for` returns normally and the
cancellation is lost (CPython gh-86296, fixed in 3.12). The worker then loops on, and whoever
awaits the cancelled task waits for ever: a service that hangs on shutdown under load.
`asyncio.timeout` keeps an outside cancellation.
"""

from __future__ import annotations

import asyncio


async def until_set(event: asyncio.Event, timeout: float) -> bool:
    """Wait for `event` at most `timeout` seconds; True when it was set."""
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    return True

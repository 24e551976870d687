"""A worker loop waiting on `until_set` stops when its task is cancelled, even when the wake-up
and the cancellation land in the same turn of the event loop (where 3.11's `wait_for` loses the
cancellation and the loop runs on, so shutting the service down hangs)."""

from __future__ import annotations

import asyncio
import sys

from redpark_platform.wakeups import until_set


async def loop_forever(wake: asyncio.Event, waiter: object) -> None:
    while True:
        wake.clear()
        await waiter(wake)  # type: ignore[operator]


async def cancelled_while_woken(waiter: object) -> bool:
    """Whether the loop's task ends when it is cancelled in the same turn as it is woken."""
    wake = asyncio.Event()
    task = asyncio.create_task(loop_forever(wake, waiter))
    await asyncio.sleep(0.01)  # the loop is now waiting
    wake.set()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=1.0)
    if not done:
        task.cancel()  # a second cancel gets the lost one's loop out, so the test itself ends
        await asyncio.wait({task}, timeout=1.0)
    return bool(done) and task.cancelled()


async def test_a_loop_on_until_set_ends_when_cancelled_as_it_is_woken() -> None:
    assert await cancelled_while_woken(lambda wake: until_set(wake, 30.0))


async def test_the_same_loop_on_wait_for_loses_the_cancellation_before_python_3_12() -> None:
    async def with_wait_for(wake: asyncio.Event) -> None:
        try:
            await asyncio.wait_for(wake.wait(), 30.0)
        except TimeoutError:
            pass

    # Why until_set exists: 3.11's wait_for drops the cancellation (gh-86296); 3.12 keeps it.
    assert await cancelled_while_woken(with_wait_for) is (sys.version_info >= (3, 12))


async def test_until_set_answers_whether_the_event_came_or_the_time_ran_out() -> None:
    wake = asyncio.Event()
    assert await until_set(wake, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, wake.set)
    assert await until_set(wake, 5.0) is True

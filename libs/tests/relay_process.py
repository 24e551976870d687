"""Runs one relay until killed (the tests SIGKILL it mid-batch). Arguments: DSN, NATS URL, the
folder of relay_support.py, the test's bus prefix."""

import asyncio
import sys

from redpark_platform.bus import use_prefix
from redpark_platform.db import create_pool
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore

sys.path.insert(0, sys.argv[3])
from relay_support import registry  # noqa: E402


async def main(dsn: str, nats_url: str) -> None:
    pool = await create_pool(dsn)
    relay = Relay(EventStore(pool, registry), nats_url, dsn=dsn, batch_size=200)
    await relay.run()


use_prefix(sys.argv[4])
asyncio.run(main(sys.argv[1], sys.argv[2]))

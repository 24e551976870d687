"""Runs one projection runner until killed (the ordering test SIGKILLs it mid-batch)."""

import asyncio
import sys

from redpark_platform.db import create_pool
from redpark_platform.projections import ProjectionRunner

sys.path.insert(0, sys.argv[3])
from order_support import LatestThing  # noqa: E402


async def main(dsn: str, nats_url: str) -> None:
    pool = await create_pool(dsn)
    runner = ProjectionRunner(LatestThing(), pool, nats_url, service="relaytest", batch_size=50)
    await runner.start()
    await asyncio.Event().wait()


asyncio.run(main(sys.argv[1], sys.argv[2]))

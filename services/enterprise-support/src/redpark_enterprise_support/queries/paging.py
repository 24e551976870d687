"""One page of a read model's list and the size of the whole list, read in one snapshot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import asyncpg

from redpark_platform.web.paging import Page, PageRequest, page

R = TypeVar("R")


async def paged(pool: asyncpg.Pool, sql: str, args: Sequence[Any], paging: PageRequest | None,
                 row: Callable[[asyncpg.Record], R]) -> Page[R]:
    """One page of `sql` (which orders by its ids, so pages do not overlap) and how many rows the
    whole list has, read in one snapshot so the two agree; every row when `paging` is None (the
    ledger export wants the whole list)."""
    if paging is None:
        records = await pool.fetch(sql, *args)
        return page([row(r) for r in records], len(records), PageRequest(limit=max(len(records), 1)))
    n = len(args)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        total: int = await conn.fetchval(f"SELECT count(*) FROM ({sql}) AS listed", *args)
        records = await conn.fetch(f"{sql} LIMIT ${n + 1} OFFSET ${n + 2}", *args, paging.limit, paging.offset)
    return page([row(r) for r in records], total, paging)

"""Paged lists: `?limit=` (1 to 500, default 50) and `?offset=` (0 or more), answered as a `Page`.

    @router.get("/members", responses=response_schema(Page[MemberRow]))
    async def roster(paging: Paging) -> MsgspecResponse:
        rows, total = await queries.members(pool, limit=paging.limit, offset=paging.offset)
        return MsgspecResponse(page(rows, total, paging))

Offset paging over a stable order (each list sorts by its id), because staff tables jump to a page
and exports need no cursor. A row added or removed between two requests can shift the rows after
it by one; `total` shows it. Out-of-range values are refused by FastAPI before the route runs, so
they come back as problem+json naming `query.limit` or `query.offset`, never a 500.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import msgspec
from fastapi import Depends, Query

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def window(self, items: Sequence[T]) -> list[T]:
        """This page's part of a list already held in memory."""
        return list(items[self.offset:self.offset + self.limit])


def _page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (default {DEFAULT_LIMIT}, "
                                f"at most {MAX_LIMIT})")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000,
                                 description="Rows to skip: the previous page's `next_offset`")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


# A route parameter: `paging: Paging` documents and validates `limit` and `offset`.
Paging = Annotated[PageRequest, Depends(_page_request)]


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """One page of a list: its rows, how many rows the whole list has, and where the next page
    starts (`next_offset`, null on the last page)."""

    items: list[T]
    total: int
    limit: int
    offset: int
    next_offset: int | None


def page(items: list[T], total: int, request: PageRequest) -> Page[T]:
    """A page of `items` already cut by the query (LIMIT/OFFSET), out of `total` rows."""
    end = request.offset + len(items)
    return Page(items=items, total=total, limit=request.limit, offset=request.offset,
                next_offset=end if end < total else None)


def page_of(items: Sequence[T], request: PageRequest) -> Page[T]:
    """A page cut from a whole list held in memory (one computed in full, e.g. arrears)."""
    return page(request.window(items), len(items), request)

"""Reads of the four quarterlies (四个一) of a quarter."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from redpark_contracts.enterprise_support import QuarterlyKind
from redpark_platform.calendar import compact_quarter

from ..domain.quarterly import missing_quarterlies


class QuarterlyRow(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    quarter: str
    title: str
    status: str
    planned_on: date | None
    held_on: date | None
    participant_enterprise_ids: list[str]
    outcomes: str


class QuarterReport(msgspec.Struct, frozen=True, kw_only=True):
    quarter: str
    quarterlies: list[QuarterlyRow]
    missing: list[QuarterlyKind]  # not held (yet) this quarter


async def quarter(pool: asyncpg.Pool, quarter_: str) -> QuarterReport:
    """The quarter `quarter_` (`2025-Q3`); the read model and this answer keep the contract's `2025Q3`."""
    compact = compact_quarter(quarter_)
    rows = [QuarterlyRow(**{**dict(r), "participant_enterprise_ids": list(r["participant_enterprise_ids"])})
            for r in await pool.fetch("SELECT * FROM sup_quarterlies WHERE quarter = $1 ORDER BY kind", compact)]
    return QuarterReport(quarter=compact, quarterlies=rows,
                         missing=missing_quarterlies({r.kind for r in rows if r.status == "held"}))


async def quarterlies_of_year(pool: asyncpg.Pool, year: int) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await pool.fetch(
        "SELECT kind, quarter, title, status, planned_on, held_on, participant_enterprise_ids"
        " FROM sup_quarterlies WHERE quarter LIKE $1", f"{year:04d}Q%")
    return rows

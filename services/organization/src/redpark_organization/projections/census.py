"""The census ledger of non-members (baselines 3 and 4): who, where, which categories. Name and
categories are sealed in the events and opened here for the ledger; political status, nationality
and phone stay out of the read model. An erased contact keeps their row, without name or
categories: with the key gone, no rebuild could tell them again."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import (
    UnitedFrontContactRegistered,
    UnitedFrontContactRemoved,
    UnitedFrontContactUpdated,
    categories_of,
    registry,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "org_census"


class CensusLedgerProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_contacts",)

    opens = frozenset({"name", "categories"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "organization":
            return 0
        # The categories (democratic party, foreign national, ...) say as much about a person as the name.
        return await blank_person(conn, "org_contacts", ("name",), "person_id", subject_id, also="categories = '{}'")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case UnitedFrontContactRegistered() | UnitedFrontContactUpdated():
                await conn.execute(
                    "INSERT INTO org_contacts (person_id, name, enterprise_id, categories) VALUES ($1, $2, $3, $4)"
                    " ON CONFLICT (person_id) DO UPDATE SET name = excluded.name,"
                    " enterprise_id = excluded.enterprise_id, categories = excluded.categories, removed = false",
                    event.person_id, event.name, event.enterprise_id, categories_of(event.categories))
            case UnitedFrontContactRemoved():
                await conn.execute("UPDATE org_contacts SET removed = true WHERE person_id = $1", event.person_id)
            case _:
                pass

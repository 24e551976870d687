"""The development pipeline (发展党员): each person's stage and dates, and the year's quotas."""

from __future__ import annotations

import asyncpg
import msgspec

from redpark_contracts.organization import (
    DevelopmentApplicationReceived,
    DevelopmentQuotaSet,
    DevelopmentStageAdvanced,
    registry,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "org_development"


class DevelopmentProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_development", "org_development_quotas")

    opens = frozenset({"name"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "organization":
            return 0
        return await blank_person(conn, "org_development", ("name",), "person_id", subject_id)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case DevelopmentApplicationReceived():
                reached = msgspec.json.encode({"applicant": event.applied_on}).decode()
                await conn.execute(
                    "INSERT INTO org_development VALUES ($1, $2, $3, $4, 'applicant', $5::jsonb)"
                    " ON CONFLICT DO NOTHING",
                    event.person_id, event.name, event.enterprise_id, list(event.priority_groups), reached)
            case DevelopmentStageAdvanced():
                await conn.execute(
                    "UPDATE org_development SET stage = $2, reached = reached || jsonb_build_object($2::text, $3::text)"
                    " WHERE person_id = $1", event.person_id, event.to_stage, event.reached_on.isoformat())
            case DevelopmentQuotaSet():
                await conn.execute(
                    "INSERT INTO org_development_quotas VALUES ($1, $2) ON CONFLICT (year)"
                    " DO UPDATE SET quota = excluded.quota", event.year, event.quota)
            case _:
                pass

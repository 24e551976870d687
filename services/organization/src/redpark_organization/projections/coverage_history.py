"""Coverage history: after every event that can change coverage (an enterprise moving in or out,
joining or leaving a branch, getting or losing its liaison instructor) the park's covered / total,
stamped with the event's time. The dashboard draws its trend from it.

It keeps its own cover of each enterprise instead of reading `org_enterprises`: projections run
independently, so another read model may be ahead of or behind this one."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from redpark_contracts.organization import (
    EnterpriseJoinedBranch,
    EnterpriseLeftBranch,
    EnterpriseMovedIn,
    EnterpriseMovedOut,
    LiaisonInstructorAssigned,
    LiaisonInstructorWithdrawn,
    registry,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_coverage_history"

_COUNTS = ("SELECT count(*) FILTER (WHERE branch_id IS NOT NULL OR liaison_instructor_id IS NOT NULL) AS covered,"
           " count(*) AS total FROM org_cov_enterprises WHERE in_park")


class CoverageHistoryProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_cov_enterprises", "org_coverage_history")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case EnterpriseMovedIn():
                # Moving back in starts afresh, as in the park read model.
                await conn.execute(
                    "INSERT INTO org_cov_enterprises VALUES ($1, true, NULL, NULL) ON CONFLICT (enterprise_id)"
                    " DO UPDATE SET in_park = true, branch_id = NULL, liaison_instructor_id = NULL",
                    event.enterprise_id)
            case EnterpriseMovedOut():
                await conn.execute("UPDATE org_cov_enterprises SET in_park = false WHERE enterprise_id = $1",
                                   event.enterprise_id)
            case EnterpriseJoinedBranch():
                await conn.execute("UPDATE org_cov_enterprises SET branch_id = $2 WHERE enterprise_id = $1",
                                   event.enterprise_id, event.branch_id)
            case EnterpriseLeftBranch():
                await conn.execute("UPDATE org_cov_enterprises SET branch_id = NULL WHERE enterprise_id = $1",
                                   event.enterprise_id)
            case LiaisonInstructorAssigned():
                await conn.execute(
                    "UPDATE org_cov_enterprises SET liaison_instructor_id = $2 WHERE enterprise_id = $1",
                    event.enterprise_id, event.member_id)
            case LiaisonInstructorWithdrawn():
                await conn.execute(
                    "UPDATE org_cov_enterprises SET liaison_instructor_id = NULL WHERE enterprise_id = $1",
                    event.enterprise_id)
            case _:
                return  # cannot change coverage
        counts = await conn.fetchrow(_COUNTS)
        await conn.execute(
            "INSERT INTO org_coverage_history VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            meta.sequence, datetime.fromisoformat(meta.time), meta.key, event.enterprise_id,
            counts["covered"], counts["total"])

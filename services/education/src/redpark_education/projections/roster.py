"""The education roster, a projection of the ORGANIZATION service's events (never its API):
branches with the days they were active, members, and each stay of a member in a branch. A
member who leaves a branch stops being expected from that day; a new branch is tracked from its
founding; rebuilding from the organization stream gives the same rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts import organization
from redpark_contracts.organization import (
    BranchDissolved,
    BranchEstablished,
    MemberJoinedBranch,
    MemberLeftBranch,
    MemberRegistered,
    MemberStatusChanged,
    MemberTransferredOut,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.personal import is_sealed
from redpark_platform.projections import Projection, blank_person

NAME = "edu_roster"
SOURCE = "organization"


class RosterProjection(Projection):
    name = NAME
    sources = (SOURCE,)
    registries: ClassVar[Mapping[str, EventRegistry]] = {SOURCE: organization.registry}
    tables = ("edu_roster_branches", "edu_roster_members", "edu_roster_memberships")

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "organization":
            return 0
        # An erasure in the organization reaches this copy of its members too.
        return await blank_person(conn, "edu_roster_members", ("name",), "member_id", subject_id)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case BranchEstablished():
                await conn.execute(
                    "INSERT INTO edu_roster_branches (branch_id, name, established_on) VALUES ($1, $2, $3)"
                    " ON CONFLICT DO NOTHING", event.branch_id, event.name, event.established_on)
            case BranchDissolved():
                await conn.execute("UPDATE edu_roster_branches SET dissolved_on = $2 WHERE branch_id = $1",
                                   event.branch_id, event.dissolved_on)
                await conn.execute("UPDATE edu_roster_memberships SET left_on = $2 WHERE branch_id = $1"
                                   " AND left_on IS NULL", event.branch_id, event.dissolved_on)
            case MemberRegistered():
                # The name is the organization's, sealed with its key: this copy shows the member's id.
                name = event.member_id if is_sealed(event.name) else event.name
                await conn.execute("INSERT INTO edu_roster_members VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                   event.member_id, name, event.status)
            case MemberStatusChanged():
                await conn.execute("UPDATE edu_roster_members SET status = $2 WHERE member_id = $1",
                                   event.member_id, event.to_status)
            case MemberJoinedBranch():
                # A move is left + joined; a join without a leave first closes any open stay anyway.
                await conn.execute("UPDATE edu_roster_memberships SET left_on = $2 WHERE member_id = $1"
                                   " AND left_on IS NULL", event.member_id, event.joined_on)
                await conn.execute(
                    "INSERT INTO edu_roster_memberships (member_id, branch_id, joined_on) VALUES ($1, $2, $3)"
                    " ON CONFLICT (member_id, branch_id, joined_on) DO UPDATE SET left_on = NULL",
                    event.member_id, event.branch_id, event.joined_on)
            case MemberLeftBranch():
                await conn.execute("UPDATE edu_roster_memberships SET left_on = $3 WHERE member_id = $1"
                                   " AND branch_id = $2 AND left_on IS NULL",
                                   event.member_id, event.branch_id, event.left_on)
            case MemberTransferredOut():
                await conn.execute("UPDATE edu_roster_memberships SET left_on = $2 WHERE member_id = $1"
                                   " AND left_on IS NULL", event.member_id, event.transferred_on)
            case _:
                pass  # enterprises, buildings, dues, development: not the roster's business

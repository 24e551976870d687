"""Rosters: branches with their committees, members with their branch and status, and the
transfer record (党员转接记录). Personal fields are not kept."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import (
    BranchCommitteeElected,
    BranchDissolved,
    BranchEstablished,
    GeneralBranchCommitteeElected,
    GeneralBranchEstablished,
    MemberEnterpriseChanged,
    MemberJoinedBranch,
    MemberLeftBranch,
    MemberRegistered,
    MemberStatusChanged,
    MemberTransferredIn,
    MemberTransferredOut,
    registry,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "org_rosters"


class RostersProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_branches", "org_members", "org_transfers", "org_general_branch")

    opens = frozenset({"name"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "organization":
            return 0
        return await blank_person(conn, "org_members", ("name",), "member_id", subject_id)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case BranchEstablished():
                await conn.execute(
                    "INSERT INTO org_branches (branch_id, name, kind, founding_enterprise_ids, established_on)"
                    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    event.branch_id, event.name, event.kind, event.enterprise_ids, event.established_on)
            case BranchCommitteeElected():
                await conn.execute(
                    "UPDATE org_branches SET secretary_id = $2, deputy_secretary_id = $3, committee_member_ids = $4,"
                    " term_ends_on = $5 WHERE branch_id = $1",
                    event.branch_id, event.secretary_id, event.deputy_secretary_id, event.committee_member_ids,
                    event.term_ends_on)
            case BranchDissolved():
                await conn.execute(
                    "UPDATE org_branches SET active = false, dissolved_on = $2 WHERE branch_id = $1",
                    event.branch_id, event.dissolved_on)
            case GeneralBranchEstablished():
                await conn.execute(
                    "INSERT INTO org_general_branch (general_branch_id, name, established_on) VALUES ($1, $2, $3)"
                    " ON CONFLICT DO NOTHING", event.general_branch_id, event.name, event.established_on)
            case GeneralBranchCommitteeElected():
                await conn.execute(
                    "UPDATE org_general_branch SET secretary_id = $2, deputy_secretary_id = $3,"
                    " committee_member_ids = $4, term_ends_on = $5 WHERE general_branch_id = $1",
                    event.general_branch_id, event.secretary_id, event.deputy_secretary_id,
                    event.committee_member_ids, event.term_ends_on)
            case MemberRegistered():
                await conn.execute(
                    "INSERT INTO org_members (member_id, name, enterprise_id, status, joined_party_on, relationship,"
                    " relationship_held_by, registered_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT DO NOTHING",
                    event.member_id, event.name, event.enterprise_id, event.status, event.joined_party_on,
                    event.relationship, event.relationship_held_by, event.registered_on)
            case MemberEnterpriseChanged():
                await conn.execute("UPDATE org_members SET enterprise_id = $2 WHERE member_id = $1",
                                   event.member_id, event.enterprise_id)
            case MemberTransferredIn():
                await conn.execute(
                    "UPDATE org_members SET relationship = 'in_park', relationship_held_by = '', in_park = true"
                    " WHERE member_id = $1", event.member_id)
                await conn.execute("INSERT INTO org_transfers VALUES ($1, $2, 'in', $3, $4) ON CONFLICT DO NOTHING",
                                   meta.sequence, event.member_id, event.from_organization, event.transferred_on)
            case MemberTransferredOut():
                await conn.execute(
                    "UPDATE org_members SET in_park = false, branch_id = NULL, enterprise_id = NULL,"
                    " relationship_held_by = $2 WHERE member_id = $1", event.member_id, event.to_organization)
                await conn.execute("INSERT INTO org_transfers VALUES ($1, $2, 'out', $3, $4) ON CONFLICT DO NOTHING",
                                   meta.sequence, event.member_id, event.to_organization, event.transferred_on)
            case MemberJoinedBranch():
                await conn.execute("UPDATE org_members SET branch_id = $2 WHERE member_id = $1",
                                   event.member_id, event.branch_id)
            case MemberLeftBranch():
                await conn.execute("UPDATE org_members SET branch_id = NULL WHERE member_id = $1", event.member_id)
            case MemberStatusChanged():
                await conn.execute("UPDATE org_members SET status = $2 WHERE member_id = $1",
                                   event.member_id, event.to_status)
            case _:
                pass

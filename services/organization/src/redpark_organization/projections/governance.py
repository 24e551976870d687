"""Governance read model: rules and their posting, inspections with their outcome, rectifications,
organizational handling, branch meetings, and the transfer book per branch (党员转接记录本)."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import (
    MemberJoinedBranch,
    MemberLeftBranch,
    MemberTransferredIn,
    MemberTransferredOut,
    registry,
)
from redpark_contracts.organization_governance import (
    BranchMeetingHeld,
    InspectionRecorded,
    OrganizationalHandlingFlagged,
    RectificationCompleted,
    RectificationOpened,
    RuleDefined,
    RulePosted,
    RuleUnposted,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_governance"


class GovernanceProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_gov_rules", "org_gov_inspections", "org_gov_rectifications", "org_gov_handlings",
              "org_gov_meetings", "org_gov_member_branch", "org_gov_transfers")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case RuleDefined():
                await conn.execute(
                    "INSERT INTO org_gov_rules (holder_id, rule_key, title, text, defined_on)"
                    " VALUES ($1, $2, $3, $4, $5)"
                    " ON CONFLICT (holder_id, rule_key) DO UPDATE SET title = excluded.title, text = excluded.text,"
                    " defined_on = excluded.defined_on",
                    event.holder_id, event.rule_key, event.title, event.text, event.defined_on)
            case RulePosted():
                await conn.execute("UPDATE org_gov_rules SET posted_on = $3 WHERE holder_id = $1 AND rule_key = $2",
                                   event.holder_id, event.rule_key, event.posted_on)
            case RuleUnposted():
                await conn.execute("UPDATE org_gov_rules SET posted_on = NULL WHERE holder_id = $1 AND rule_key = $2",
                                   event.holder_id, event.rule_key)
            case InspectionRecorded():
                await conn.execute(
                    "INSERT INTO org_gov_inspections (inspection_id, branch_id, inspected_on, passed, findings,"
                    " outcome,"
                    " recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    event.inspection_id, event.branch_id, event.inspected_on, event.passed, event.findings,
                    "passed" if event.passed else "failed", event.recorded_by)
            case RectificationOpened():
                await conn.execute(
                    "INSERT INTO org_gov_rectifications (rectification_id, branch_id, inspection_id, opened_on,"
                    " deadline)"
                    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    event.rectification_id, event.branch_id, event.inspection_id, event.opened_on, event.deadline)
                await conn.execute("UPDATE org_gov_inspections SET outcome = 'rectification' WHERE inspection_id = $1",
                                   event.inspection_id)
            case RectificationCompleted():
                await conn.execute("UPDATE org_gov_rectifications SET completed_on = $2 WHERE rectification_id = $1",
                                   event.rectification_id, event.completed_on)
            case OrganizationalHandlingFlagged():
                await conn.execute("INSERT INTO org_gov_handlings VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                   event.inspection_id, event.branch_id, event.flagged_on)
                await conn.execute("UPDATE org_gov_inspections SET outcome = 'handling' WHERE inspection_id = $1",
                                   event.inspection_id)
            case BranchMeetingHeld():
                await conn.execute(
                    "INSERT INTO org_gov_meetings VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                    event.meeting_id, event.branch_id, event.kind, event.held_on, event.topic,
                    list(event.attendee_ids), event.minutes, event.recorded_by)
            case MemberJoinedBranch():
                await conn.execute(
                    "INSERT INTO org_gov_member_branch VALUES ($1, $2, true) ON CONFLICT (member_id)"
                    " DO UPDATE SET branch_id = excluded.branch_id, in_branch = true", event.member_id, event.branch_id)
                # a transfer in belongs to the book of the first branch the member joins after it
                await conn.execute(
                    "UPDATE org_gov_transfers SET branch_id = $2 WHERE member_id = $1 AND direction = 'in'"
                    " AND branch_id IS NULL", event.member_id, event.branch_id)
            case MemberLeftBranch():
                # kept, not cleared: a transfer out follows the departure and lands in the branch left
                await conn.execute(
                    "INSERT INTO org_gov_member_branch VALUES ($1, $2, false) ON CONFLICT (member_id)"
                    " DO UPDATE SET branch_id = excluded.branch_id, in_branch = false",
                    event.member_id, event.branch_id)
            case MemberTransferredIn():
                # a member already in a branch is transferred into it; otherwise the branch is set on joining
                await conn.execute(
                    "INSERT INTO org_gov_transfers SELECT $1, $2, (SELECT branch_id FROM org_gov_member_branch"
                    " WHERE member_id = $2 AND in_branch), 'in', $3, $4 ON CONFLICT DO NOTHING",
                    meta.sequence, event.member_id, event.from_organization, event.transferred_on)
            case MemberTransferredOut():
                await conn.execute(
                    "INSERT INTO org_gov_transfers SELECT $1, $2, (SELECT branch_id FROM org_gov_member_branch"
                    " WHERE member_id = $2), 'out', $3, $4 ON CONFLICT DO NOTHING",
                    meta.sequence, event.member_id, event.to_organization, event.transferred_on)
            case _:
                pass

"""The organization as events-public needs it, from the ORGANIZATION service's events (its `reads`): the
branches and the general branch (to check an activity's organizer and to list every unit in the yearly
report), the members registered in the park (to check a volunteer), and the assessment's volunteer target
per year (one target for the report and the assessment). Ids only, no personal data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts import organization
from redpark_contracts.organization import (
    BranchDissolved,
    BranchEstablished,
    GeneralBranchEstablished,
    MemberRegistered,
    MemberTransferredIn,
    MemberTransferredOut,
)
from redpark_contracts.organization_assessment import AssessmentRulesSet
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

from ..domain.volunteer import target_per_quarter

NAME = "events_public_org_directory"
SOURCE = "organization"


class OrgDirectoryProjection(Projection):
    name = NAME
    sources = (SOURCE,)
    registries: ClassVar[Mapping[str, EventRegistry]] = {SOURCE: organization.registry}
    tables = ("ep_org_units", "ep_org_members", "ep_volunteer_targets")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case GeneralBranchEstablished():
                await conn.execute(
                    "INSERT INTO ep_org_units (unit_id, kind, name) VALUES ($1, 'general_branch', $2)"
                    " ON CONFLICT (unit_id) DO NOTHING", event.general_branch_id, event.name)
            case BranchEstablished():
                await conn.execute(
                    "INSERT INTO ep_org_units (unit_id, kind, name) VALUES ($1, 'branch', $2)"
                    " ON CONFLICT (unit_id) DO UPDATE SET active = true", event.branch_id, event.name)
            case BranchDissolved():
                await conn.execute("UPDATE ep_org_units SET active = false WHERE unit_id = $1", event.branch_id)
            case MemberRegistered():
                await conn.execute(
                    "INSERT INTO ep_org_members (member_id, in_park) VALUES ($1, true)"
                    " ON CONFLICT (member_id) DO UPDATE SET in_park = true", event.member_id)
            case MemberTransferredIn():
                await conn.execute("UPDATE ep_org_members SET in_park = true WHERE member_id = $1", event.member_id)
            case MemberTransferredOut():
                await conn.execute("UPDATE ep_org_members SET in_park = false WHERE member_id = $1",
                                   event.member_id)
            case AssessmentRulesSet():
                target = target_per_quarter(event.items)
                if target is None:
                    await conn.execute("DELETE FROM ep_volunteer_targets WHERE year = $1", event.year)
                else:
                    await conn.execute(
                        "INSERT INTO ep_volunteer_targets (year, per_quarter) VALUES ($1, $2)"
                        " ON CONFLICT (year) DO UPDATE SET per_quarter = excluded.per_quarter", event.year, target)
            case _:
                pass  # the organization's other events

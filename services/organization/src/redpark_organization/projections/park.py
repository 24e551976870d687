"""The park read model: zones, buildings (with their branch and instructor) and enterprises
(with their cover). Coverage figures are computed from it by `domain.coverage`."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import (
    BuildingAssigned,
    BuildingInstructorAppointed,
    BuildingInstructorWithdrawn,
    BuildingRegistered,
    BuildingReleased,
    EnterpriseJoinedBranch,
    EnterpriseLeftBranch,
    EnterpriseMovedIn,
    EnterpriseMovedOut,
    EnterpriseProfileUpdated,
    LiaisonInstructorAssigned,
    LiaisonInstructorWithdrawn,
    ZoneDefined,
    registry,
)
from redpark_contracts.organization_tenancy import EnterpriseRelocated
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_park"


class ParkProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_zones", "org_buildings", "org_enterprises")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case ZoneDefined():
                await conn.execute("INSERT INTO org_zones VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                   event.zone_id, event.name, event.phase)
            case BuildingRegistered():
                await conn.execute(
                    "INSERT INTO org_buildings (building_id, zone_id, name, floors, sequence_in_zone)"
                    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    event.building_id, event.zone_id, event.name, event.floors, event.sequence_in_zone)
            case BuildingAssigned():
                await conn.execute("UPDATE org_buildings SET branch_id = $2 WHERE building_id = $1",
                                   event.building_id, event.branch_id)
            case BuildingReleased():
                await conn.execute(
                    "UPDATE org_buildings SET branch_id = NULL, instructor_id = NULL WHERE building_id = $1",
                    event.building_id)
            case BuildingInstructorAppointed():
                await conn.execute("UPDATE org_buildings SET instructor_id = $2 WHERE building_id = $1",
                                   event.building_id, event.member_id)
            case BuildingInstructorWithdrawn():
                await conn.execute("UPDATE org_buildings SET instructor_id = NULL WHERE building_id = $1",
                                   event.building_id)
            case EnterpriseMovedIn():
                # Moving back in starts afresh: no cover carried over from the earlier stay.
                await conn.execute(
                    "INSERT INTO org_enterprises (enterprise_id, name, building_id, floor, headcount,"
                    " is_tech_enterprise, legal_representative, moved_in_on)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT (enterprise_id) DO UPDATE SET name = excluded.name,"
                    " building_id = excluded.building_id, floor = excluded.floor, headcount = excluded.headcount,"
                    " is_tech_enterprise = excluded.is_tech_enterprise,"
                    " legal_representative = excluded.legal_representative, moved_in_on = excluded.moved_in_on,"
                    " moved_out_on = NULL, in_park = true, branch_id = NULL, liaison_instructor_id = NULL,"
                    " liaison_sent_by = NULL",
                    event.enterprise_id, event.name, event.building_id, event.floor, event.headcount,
                    event.is_tech_enterprise, event.legal_representative, event.moved_in_on)
            case EnterpriseProfileUpdated():
                await conn.execute(
                    "UPDATE org_enterprises SET name = $2, building_id = $3, floor = $4, headcount = $5,"
                    " is_tech_enterprise = $6, legal_representative = $7 WHERE enterprise_id = $1",
                    event.enterprise_id, event.name, event.building_id, event.floor, event.headcount,
                    event.is_tech_enterprise, event.legal_representative)
            case EnterpriseRelocated():
                await conn.execute("UPDATE org_enterprises SET building_id = $2, floor = $3 WHERE enterprise_id = $1",
                                   event.enterprise_id, event.building_id, event.floor)
            case EnterpriseMovedOut():
                await conn.execute(
                    "UPDATE org_enterprises SET in_park = false, moved_out_on = $2 WHERE enterprise_id = $1",
                    event.enterprise_id, event.moved_out_on)
            case EnterpriseJoinedBranch():
                await conn.execute("UPDATE org_enterprises SET branch_id = $2 WHERE enterprise_id = $1",
                                   event.enterprise_id, event.branch_id)
            case EnterpriseLeftBranch():
                await conn.execute("UPDATE org_enterprises SET branch_id = NULL WHERE enterprise_id = $1",
                                   event.enterprise_id)
            case LiaisonInstructorAssigned():
                await conn.execute(
                    "UPDATE org_enterprises SET liaison_instructor_id = $2, liaison_sent_by = $3"
                    " WHERE enterprise_id = $1", event.enterprise_id, event.member_id,
                    event.sent_by_branch_id or event.sent_by_general_branch_id)
            case LiaisonInstructorWithdrawn():
                await conn.execute(
                    "UPDATE org_enterprises SET liaison_instructor_id = NULL, liaison_sent_by = NULL"
                    " WHERE enterprise_id = $1", event.enterprise_id)
            case _:
                pass  # events of other aggregates

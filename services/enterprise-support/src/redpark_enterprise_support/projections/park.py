"""The park as the organization's events tell it: which enterprises are in the park (moved in,
not moved out), their profile, and the branches. This service never asks the organization
service; it follows its published events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts import organization as org
from redpark_contracts.organization_tenancy import EnterpriseRelocated
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

NAME = "sup_park"


class ParkProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"organization": org.registry}
    tables = ("sup_enterprises", "sup_branches")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case org.EnterpriseMovedIn():
                await conn.execute(
                    "INSERT INTO sup_enterprises (enterprise_id, name, building_id, headcount, is_tech_enterprise,"
                    " moved_in_on) VALUES ($1, $2, $3, $4, $5, $6)"
                    " ON CONFLICT (enterprise_id) DO UPDATE SET name = excluded.name,"
                    " building_id = excluded.building_id, headcount = excluded.headcount,"
                    " is_tech_enterprise = excluded.is_tech_enterprise, moved_in_on = excluded.moved_in_on,"
                    " moved_out_on = NULL, in_park = true",
                    event.enterprise_id, event.name, event.building_id, event.headcount, event.is_tech_enterprise,
                    event.moved_in_on)
            case org.EnterpriseProfileUpdated():
                await conn.execute(
                    "UPDATE sup_enterprises SET name = $2, building_id = $3, headcount = $4, is_tech_enterprise = $5"
                    " WHERE enterprise_id = $1", event.enterprise_id, event.name, event.building_id, event.headcount,
                    event.is_tech_enterprise)
            case EnterpriseRelocated():
                await conn.execute("UPDATE sup_enterprises SET building_id = $2 WHERE enterprise_id = $1",
                                   event.enterprise_id, event.building_id)
            case org.EnterpriseMovedOut():
                await conn.execute(
                    "UPDATE sup_enterprises SET in_park = false, moved_out_on = $2 WHERE enterprise_id = $1",
                    event.enterprise_id, event.moved_out_on)
            case org.BranchEstablished():
                await conn.execute(
                    "INSERT INTO sup_branches (branch_id, name) VALUES ($1, $2)"
                    " ON CONFLICT (branch_id) DO UPDATE SET name = excluded.name, active = true",
                    event.branch_id, event.name)
            case org.BranchDissolved():
                await conn.execute("UPDATE sup_branches SET active = false WHERE branch_id = $1", event.branch_id)
            case _:
                pass  # the organization's other events are not this service's concern

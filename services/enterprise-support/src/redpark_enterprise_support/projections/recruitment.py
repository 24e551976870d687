"""Recruitment as lists: hires (with whether a party-member follow-up was told, never who), talent-fair
participations and internship placements. The employer-code mapping is staff data, not rebuilt here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts import enterprise_support as sup
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "sup_recruitment"
_KEYS = ("hire.", "talent_fair.", "internship.")


class RecruitmentProjection(Projection):
    name = NAME
    sources = ("enterprise-support",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"enterprise-support": sup.registry}
    tables = ("sup_hires", "sup_fair_participations", "sup_internship_placements")

    def wants(self, source: str, key: str) -> bool:
        # `internship.` is not `internship_base.`: those belong to the support lists.
        return super().wants(source, key) and key.startswith(_KEYS)

    opens = frozenset({"student_name"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "enterprise-support":
            return 0
        return await blank_person(conn, "sup_internship_placements", ("student_name",), "placement_id", subject_id)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case sup.HireRecorded():
                await conn.execute(
                    "INSERT INTO sup_hires (hire_id, enterprise_id, position, hired_on) VALUES ($1, $2, $3, $4)"
                    " ON CONFLICT (hire_id) DO NOTHING", event.hire_id, event.enterprise_id, event.position,
                    event.hired_on)
            case sup.PartyMemberHireDeclared():
                await conn.execute("UPDATE sup_hires SET member_followup = true WHERE hire_id = $1", event.hire_id)
            case sup.TalentFairParticipated():
                await conn.execute(
                    "INSERT INTO sup_fair_participations VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    event.participation_id, event.enterprise_id, event.fair_name, event.fair_on,
                    event.positions_offered, event.resumes_received)
            case sup.InternshipPlaced():
                await conn.execute(
                    "INSERT INTO sup_internship_placements VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT DO NOTHING", event.placement_id, event.base_id, event.host_enterprise_id,
                    event.student_name, event.university, event.major, event.starts_on, event.ends_on)
            case _:
                pass

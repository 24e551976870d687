"""Commands of contact points (联系点), visits and help plans."""

from __future__ import annotations

from datetime import date

from redpark_contracts.enterprise_support import (
    ContactKind,
    HelpCategory,
)
from redpark_platform.store import AppendResult

from .. import queries
from ..domain import (
    contact_point,
    help_plan,
    visit,
)
from .layer import SupportLayer


class ContactCommands(SupportLayer):
    async def assign_contact_point(self, *, enterprise_id: str, contact_kind: ContactKind, contact_id: str,
                                   contact_name: str, on: date | None) -> AppendResult:
        active = contact_kind == "branch" and await queries.branch_active(self.pool, contact_id.strip())
        return await self._execute(contact_point.stream_id(enterprise_id), contact_point.decider,
                                   contact_point.AssignContactPoint(
                                       enterprise_id=enterprise_id, contact_kind=contact_kind, contact_id=contact_id,
                                       contact_name=contact_name,
                                       in_park_since=await queries.in_park_since(self.pool, enterprise_id),
                                       branch_active=active, now=self.now(), effective_on=on))

    async def release_contact_point(self, enterprise_id: str, reason: str, on: date | None) -> AppendResult:
        return await self._execute(contact_point.stream_id(enterprise_id), contact_point.decider,
                                   contact_point.ReleaseContactPoint(enterprise_id=enterprise_id, reason=reason,
                                                                     now=self.now(), effective_on=on))

    async def record_visit(self, *, visit_id: str, enterprise_id: str, visitors: list[str], findings: str,
                           recorded_by: str, on: date | None) -> AppendResult:
        return await self._execute(visit.stream_id(visit_id), visit.decider, visit.RecordVisit(
            visit_id=visit_id, enterprise_id=enterprise_id, visitors=visitors, findings=findings,
            recorded_by=recorded_by, in_park_since=await queries.in_park_since(self.pool, enterprise_id),
            now=self.now(), visited_on=on))

    async def adopt_help_plan(self, *, enterprise_id: str, year: int, category: HelpCategory, measures: list[str],
                              on: date | None) -> AppendResult:
        return await self._execute(help_plan.stream_id(enterprise_id, year), help_plan.decider, help_plan.AdoptHelpPlan(
            enterprise_id=enterprise_id, year=year, category=category, measures=measures,
            enterprise_in_park=await self._in_park(enterprise_id),
            visits_this_year=await queries.visits_in_year(self.pool, enterprise_id, year), now=self.now(),
            effective_on=on))

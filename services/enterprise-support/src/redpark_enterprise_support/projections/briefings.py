"""老任说: which enterprise is owed which policy briefing, and whether it was delivered.

Fed by two sources whose consumers run concurrently: the organization's enterprise events
(who is in the park, in which categories) and this service's policies and deliveries. Every
handler takes one transaction-level advisory lock first, so the two never interleave: a policy
published while an enterprise moves in is joined with it by whichever commits second (each
statement after the lock sees what the other committed). Every write is an upsert, so the
result is the same in any order and equals a rebuild; for the same reason a move-out and a
retirement drop the briefings still undelivered (a delivered one stays as history), so that
what is owed never depends on which source a replay happened to read first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import asyncpg

from redpark_contracts import enterprise_support as sup
from redpark_contracts import organization as org
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

from ..domain.categories import categories_of

NAME = "sup_briefings"
_LOCK = 0x5355_5042  # "SUPB": serializes this read model's two consumers

_OWE_ENTERPRISE = (
    "INSERT INTO sup_briefings (policy_id, enterprise_id)"
    " SELECT p.policy_id, $1 FROM sup_policies p WHERE p.in_force AND p.applies_to && $2::text[]"
    " ON CONFLICT DO NOTHING")


class BriefingsProjection(Projection):
    name = NAME
    sources = ("organization", "enterprise-support")
    registries: ClassVar[Mapping[str, EventRegistry]] = {"organization": org.registry,
                                                         "enterprise-support": sup.registry}
    tables = ("sup_briefing_enterprises", "sup_policies", "sup_briefings")

    def wants(self, source: str, key: str) -> bool:
        if source == "organization":
            return key in ("enterprise.moved_in", "enterprise.profile_updated", "enterprise.moved_out")
        return key.startswith(("policy.", "briefing."))

    async def handle_batch(self, conn: asyncpg.Connection, items: Sequence[tuple[Event, IncomingEvent]]) -> None:
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK)
        for event, meta in items:
            await self.handle(conn, event, meta)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case org.EnterpriseMovedIn() | org.EnterpriseProfileUpdated():
                categories = categories_of(event.is_tech_enterprise, event.headcount)
                moved_in = isinstance(event, org.EnterpriseMovedIn)
                await conn.execute(
                    "INSERT INTO sup_briefing_enterprises (enterprise_id, name, categories, in_park)"
                    " VALUES ($1, $2, $3, true) ON CONFLICT (enterprise_id) DO UPDATE SET name = excluded.name,"
                    " categories = excluded.categories,"
                    " in_park = CASE WHEN $4 THEN true ELSE sup_briefing_enterprises.in_park END",
                    event.enterprise_id, event.name, categories, moved_in)
                # A profile that now falls in a new category is owed that category's briefings too;
                # briefings already owed stay owed.
                await conn.execute(_OWE_ENTERPRISE, event.enterprise_id, categories)
            case org.EnterpriseMovedOut():
                await conn.execute("UPDATE sup_briefing_enterprises SET in_park = false WHERE enterprise_id = $1",
                                   event.enterprise_id)
                await conn.execute("DELETE FROM sup_briefings WHERE enterprise_id = $1 AND delivered_on IS NULL",
                                   event.enterprise_id)
            case sup.PolicyPublished():
                await conn.execute(
                    "INSERT INTO sup_policies (policy_id, title, summary, issuer, applies_to, published_on)"
                    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    event.policy_id, event.title, event.summary, event.issuer, list(event.applies_to),
                    event.published_on)
                await conn.execute(
                    "INSERT INTO sup_briefings (policy_id, enterprise_id)"
                    " SELECT $1, e.enterprise_id FROM sup_briefing_enterprises e"
                    " WHERE e.in_park AND e.categories && $2::text[] ON CONFLICT DO NOTHING",
                    event.policy_id, list(event.applies_to))
            case sup.PolicyRetired():
                await conn.execute("UPDATE sup_policies SET in_force = false WHERE policy_id = $1", event.policy_id)
                await conn.execute("DELETE FROM sup_briefings WHERE policy_id = $1 AND delivered_on IS NULL",
                                   event.policy_id)
            case sup.BriefingDelivered():
                await conn.execute(
                    "INSERT INTO sup_briefings (policy_id, enterprise_id, delivered_on, channel, delivered_by)"
                    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (policy_id, enterprise_id) DO UPDATE SET"
                    " delivered_on = excluded.delivered_on, channel = excluded.channel,"
                    " delivered_by = excluded.delivered_by",
                    event.policy_id, event.enterprise_id, event.delivered_on, event.channel, event.delivered_by)
            case _:
                pass

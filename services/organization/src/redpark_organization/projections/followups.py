"""Pending transfer-in follow-ups.

`OpenFollowupOnPartyMemberHire` is a reaction, not a read model: when enterprise-support tells of a
declared party member hired in the park (`hire.party_member_declared`), it opens a follow-up on the
organization's own stream (`transfer_followup.opened`), so the census keeps the fact and its
closing as events. Safe to run again: opening an existing follow-up decides nothing.

`FollowupsProjection` lists them, from the organization's own `transfer_followup.*` events.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts import enterprise_support as sup
from redpark_contracts.organization import registry as org_registry
from redpark_contracts.organization_followups import (
    TransferFollowupDismissed,
    TransferFollowupOpened,
    TransferFollowupResolved,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection, Reaction

from ..application.followups import Followups

NAME = "org_followups"
OPENER_NAME = "org_followup_opener"


class OpenFollowupOnPartyMemberHire(Reaction):
    name = OPENER_NAME
    sources = ("enterprise-support",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"enterprise-support": sup.registry}

    def wants(self, source: str, key: str) -> bool:
        return key == "hire.party_member_declared" and super().wants(source, key)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        if not isinstance(event, sup.PartyMemberHireDeclared):
            return
        # The phone stays with enterprise-support: nobody here needs it to follow up.
        await Followups(self.runtime).open(
            followup_id=event.hire_id, enterprise_id=event.enterprise_id, name=event.name,
            relationship_held_by=event.relationship_held_by, since=event.hired_on)


class FollowupsProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"organization": org_registry}
    tables = ("org_transfer_followups",)

    def wants(self, source: str, key: str) -> bool:
        return key.startswith("transfer_followup.") and super().wants(source, key)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case TransferFollowupOpened():
                await conn.execute(
                    "INSERT INTO org_transfer_followups (followup_id, enterprise_id, name, relationship_held_by,"
                    " since, opened_on, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT DO NOTHING",
                    event.followup_id, event.enterprise_id, event.name, event.relationship_held_by, event.since,
                    event.opened_on)
            case TransferFollowupResolved():
                await conn.execute(
                    "UPDATE org_transfer_followups SET status = 'resolved', member_id = $2, closed_on = $3"
                    " WHERE followup_id = $1", event.followup_id, event.member_id, event.resolved_on)
            case TransferFollowupDismissed():
                await conn.execute(
                    "UPDATE org_transfer_followups SET status = 'dismissed', reason = $2, closed_on = $3"
                    " WHERE followup_id = $1", event.followup_id, event.reason, event.dismissed_on)
            case _:
                pass


FOLLOWUP_OPENER = OpenFollowupOnPartyMemberHire()

"""Opens a transfer-in follow-up when enterprise-support tells of a declared party member hired in
the park (`hire.party_member_declared`): a follow-up on the organization's own stream
(`transfer_followup.opened`), so the census keeps the fact and its closing as events. Safe to run
again: opening an existing follow-up decides nothing.

The follow-up is opened through the application layer; as a reaction's command it appends in the
transaction that moves this reaction's checkpoint, so the two commit together or not at all (and
the decider opens nothing twice on a redelivery all the same)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts import enterprise_support as sup
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Reaction

from ..application.followups import Followups

NAME = "org_followup_opener"


class OpenFollowupOnPartyMemberHire(Reaction):
    name = NAME
    sources = ("enterprise-support",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"enterprise-support": sup.registry}

    def wants(self, source: str, key: str) -> bool:
        return key == "hire.party_member_declared" and super().wants(source, key)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        if not isinstance(event, sup.PartyMemberHireDeclared):
            return
        # The phone stays with enterprise-support: nobody here needs it to follow up. A layer of its
        # own: the consumers may start before `on_start` attaches the app's layers.
        await Followups(self.runtime).open(
            followup_id=event.hire_id, enterprise_id=event.enterprise_id, name=event.name,
            relationship_held_by=event.relationship_held_by, since=event.hired_on)

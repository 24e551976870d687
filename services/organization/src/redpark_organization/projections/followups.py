"""Pending transfer-in follow-ups, listed from the organization's own `transfer_followup.*` events
(opened by `reactions.followup_opener`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts.organization import registry as org_registry
from redpark_contracts.organization_followups import (
    TransferFollowupDismissed,
    TransferFollowupOpened,
    TransferFollowupResolved,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "org_followups"


class FollowupsProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"organization": org_registry}
    tables = ("org_transfer_followups",)

    def wants(self, source: str, key: str) -> bool:
        return key.startswith("transfer_followup.") and super().wants(source, key)

    opens = frozenset({"name"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "organization":
            return 0
        # The person is a follow-up before they are a member: either id names them.
        return (await blank_person(conn, "org_transfer_followups", ("name",), "followup_id", subject_id)
                + await blank_person(conn, "org_transfer_followups", ("name",), "member_id", subject_id))

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


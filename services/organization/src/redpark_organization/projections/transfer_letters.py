"""Letters of transfer (组织关系介绍信) and their return slips."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import TransferLetterIssued, TransferLetterReturned, registry
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_transfer_letters"


class TransferLettersProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_transfer_letters",)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case TransferLetterIssued():
                await conn.execute(
                    "INSERT INTO org_transfer_letters (transfer_id, member_id, direction, letter_no, organization,"
                    " issued_on, valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    event.transfer_id, event.member_id, event.direction, event.letter_no, event.organization,
                    event.issued_on, event.valid_until)
            case TransferLetterReturned():
                await conn.execute("UPDATE org_transfer_letters SET returned_on = $2 WHERE transfer_id = $1",
                                   event.transfer_id, event.returned_on)
            case _:
                pass

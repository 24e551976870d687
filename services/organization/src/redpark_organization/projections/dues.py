"""The dues ledger (党费收缴登记): amounts, months paid, and each member's branch for arrears."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import (
    DuesAssessed,
    DuesPaid,
    DuesRateSet,
    MemberJoinedBranch,
    MemberLeftBranch,
    MemberRegistered,
    MemberTransferredIn,
    MemberTransferredOut,
    registry,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_dues"


class DuesProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_dues_rates", "org_dues_paid", "org_dues_members", "org_dues_standards")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case DuesRateSet():
                await conn.execute(
                    "INSERT INTO org_dues_rates VALUES ($1, $2, $3) ON CONFLICT (member_id, effective_from)"
                    " DO UPDATE SET monthly_amount_fen = excluded.monthly_amount_fen",
                    event.member_id, event.effective_from, event.monthly_amount_fen)
            case DuesAssessed():
                await conn.execute(
                    "INSERT INTO org_dues_standards VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT (member_id, effective_from) DO UPDATE SET category = excluded.category,"
                    " basis_points = excluded.basis_points, monthly_amount_fen = excluded.monthly_amount_fen,"
                    " rule = excluded.rule, reason = excluded.reason, assessed_on = excluded.assessed_on",
                    event.member_id, event.effective_from, event.category, event.basis_points,
                    event.monthly_amount_fen, event.rule, event.reason, event.assessed_on)
            case DuesPaid():
                await conn.execute("INSERT INTO org_dues_paid VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                                   event.member_id, event.month, event.amount_fen, event.paid_on)
            case MemberRegistered():
                await conn.execute("INSERT INTO org_dues_members (member_id) VALUES ($1) ON CONFLICT DO NOTHING",
                                   event.member_id)
            case MemberJoinedBranch():
                await conn.execute("UPDATE org_dues_members SET branch_id = $2 WHERE member_id = $1",
                                   event.member_id, event.branch_id)
            case MemberLeftBranch():
                await conn.execute("UPDATE org_dues_members SET branch_id = NULL WHERE member_id = $1",
                                   event.member_id)
            case MemberTransferredOut():
                await conn.execute("UPDATE org_dues_members SET in_park = false WHERE member_id = $1",
                                   event.member_id)
            case MemberTransferredIn():
                await conn.execute("UPDATE org_dues_members SET in_park = true WHERE member_id = $1",
                                   event.member_id)
            case _:
                pass

"""Letters of transfer with their status on a day: open, overdue (deadline passed, no return slip), returned."""

from __future__ import annotations

from datetime import date

import msgspec

from ..domain.transfer_letter import LetterStatus, status
from . import Db


class LetterLine(msgspec.Struct, frozen=True, kw_only=True):
    transfer_id: str
    member_id: str
    direction: str
    letter_no: str
    organization: str
    issued_on: date
    valid_until: date
    returned_on: date | None
    status: LetterStatus
    days_overdue: int  # 0 unless overdue


async def letters(db: Db, as_of: date, wanted: str | None = None, member_id: str | None = None) -> list[LetterLine]:
    rows = await db.fetch("SELECT * FROM org_transfer_letters WHERE ($1::text IS NULL OR member_id = $1)"
                          " ORDER BY valid_until, transfer_id", member_id)
    out = []
    for r in rows:
        judged = status(r["valid_until"], r["returned_on"], as_of)
        if wanted in (None, judged):
            out.append(LetterLine(
                transfer_id=r["transfer_id"], member_id=r["member_id"], direction=r["direction"],
                letter_no=r["letter_no"], organization=r["organization"], issued_on=r["issued_on"],
                valid_until=r["valid_until"], returned_on=r["returned_on"], status=judged,
                days_overdue=(as_of - r["valid_until"]).days if judged == "overdue" else 0))
    return out

"""How often a branch holds each meeting of its life, and which ones it missed.

The plan's rules of thumb (三会一课、主题党日), in one table:

    kind               cadence   as staff say it
    committee_meeting  month     支委会每月一次
    group_meeting      month     党小组会每月一次
    theme_day          month     主题党日每月一次
    member_meeting     quarter   党员大会每季度一次
    party_lesson       quarter   党课每季度一次

A period is missing when it has ended (the current month or quarter is never missing yet), the
branch existed on its last day, and the branch held no meeting of that kind in it. Periods are
written `YYYY-MM` and `YYYY-Qn`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

import msgspec

Cadence = Literal["month", "quarter"]

CADENCE: dict[str, Cadence] = {
    "committee_meeting": "month",
    "group_meeting": "month",
    "theme_day": "month",
    "member_meeting": "quarter",
    "party_lesson": "quarter",
}


class MissingMeeting(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    kind: str
    period: str
    period_ends_on: date


def period_of(day: date, cadence: Cadence) -> str:
    if cadence == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def _periods(year: int, cadence: Cadence) -> list[tuple[str, date, date]]:
    """The year's periods: (name, first day, last day)."""
    out = []
    step = 1 if cadence == "month" else 3
    for month in range(1, 13, step):
        first = date(year, month, 1)
        after = date(year + 1, 1, 1) if month + step > 12 else date(year, month + step, 1)
        out.append((period_of(first, cadence), first, date.fromordinal(after.toordinal() - 1)))
    return out


def missing_meetings(branch_id: str, established_on: date, dissolved_on: date | None,
                     held: Iterable[tuple[str, date]], year: int, as_of: date) -> list[MissingMeeting]:
    """The periods of `year` ended by `as_of` in which the branch held no meeting of a kind (see the
    module doc), by kind in the table's order, then by period."""
    held_periods = {(kind, period_of(day, CADENCE[kind])) for kind, day in held if kind in CADENCE}
    out: list[MissingMeeting] = []
    for kind, cadence in CADENCE.items():
        for name, _first, last in _periods(year, cadence):
            if last >= as_of or established_on > last:
                continue
            if dissolved_on is not None and dissolved_on <= last:
                continue
            if (kind, name) not in held_periods:
                out.append(MissingMeeting(branch_id=branch_id, kind=kind, period=name, period_ends_on=last))
    return out

"""Dues (党费): each member's monthly amount and the months paid (党费收缴登记).

One stream per member (`dues-<member_id>`), apart from the member's stream so that the ledger of
many years does not load with every branch move. It owns "paid once per month". Facts from
other streams come in the command, filled in by the application layer:
- `member_known` (SetDuesRate): the member is registered and still in the park.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import DuesPaid, DuesRateSet
from redpark_platform.calendar import effective_date, months_from_to, parse_month
from redpark_platform.decider import Decider, NotFound

from .errors import ERRORS


def stream_id(member_id: str) -> str:
    return f"dues-{member_id}"


class SetDuesRate(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    monthly_amount_fen: int
    effective_from: str
    member_known: bool
    now: datetime
    effective_on: date | None = None


class PayDues(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    month: str
    amount_fen: int
    now: datetime
    effective_on: date | None = None


DuesCommand = SetDuesRate | PayDues
DuesEvent = DuesRateSet | DuesPaid


class Rate(msgspec.Struct, frozen=True):
    effective_from: str
    monthly_amount_fen: int


class DuesAccount(msgspec.Struct, frozen=True):
    # Rates sorted by month; a later rate from the same month replaces the earlier one.
    rates: tuple[Rate, ...] = ()
    paid: tuple[tuple[str, int], ...] = ()  # (month, amount), in payment order

    def rate_for(self, month: str) -> int | None:
        amount = None
        for rate in self.rates:
            if rate.effective_from <= month:  # YYYY-MM compares correctly as text
                amount = rate.monthly_amount_fen
        return amount

    def paid_months(self) -> set[str]:
        return {m for m, _ in self.paid}


def decide(command: DuesCommand, state: DuesAccount) -> list[DuesEvent]:
    match command:
        case SetDuesRate():
            if not command.member_known:
                raise NotFound("member.unknown", f"member {command.member_id} is not a member in the park",
                               detail_zh="党员不存在", field="member_id")
            parse_month(command.effective_from, "effective_from")
            on = effective_date(command.effective_on, command.now)
            if command.monthly_amount_fen < 0:
                raise ERRORS.error("dues.amount_negative", field="monthly_amount_fen")
            later_paid = sorted(m for m in state.paid_months() if m >= command.effective_from)
            if later_paid:
                raise ERRORS.error("dues.month_already_paid", field="effective_from", value=later_paid[0])
            return [DuesRateSet(member_id=command.member_id, monthly_amount_fen=command.monthly_amount_fen,
                                effective_from=command.effective_from, set_on=on)]
        case PayDues():
            parse_month(command.month)
            on = effective_date(command.effective_on, command.now)
            rate = state.rate_for(command.month)
            if rate is None:
                raise ERRORS.error("dues.no_rate_for_month", field="month", member_id=command.member_id,
                                   month=command.month)
            if command.month in state.paid_months():
                raise ERRORS.error("dues.already_paid", field="month", member_id=command.member_id, month=command.month)
            if command.amount_fen != rate:
                raise ERRORS.error("dues.amount_mismatch", field="amount_fen", month=command.month, rate=rate,
                                   amount_fen=command.amount_fen)
            return [DuesPaid(member_id=command.member_id, month=command.month, amount_fen=command.amount_fen,
                             paid_on=on)]
        case _:
            assert_never(command)


def evolve(state: DuesAccount, event: DuesEvent) -> DuesAccount:
    match event:
        case DuesRateSet():
            kept = [r for r in state.rates if r.effective_from != event.effective_from]
            rates = sorted([*kept, Rate(event.effective_from, event.monthly_amount_fen)],
                           key=lambda r: r.effective_from)
            return msgspec.structs.replace(state, rates=tuple(rates))
        case DuesPaid():
            return msgspec.structs.replace(state, paid=(*state.paid, (event.month, event.amount_fen)))
        case _:
            assert_never(event)


class Arrears(msgspec.Struct, frozen=True, kw_only=True):
    months: list[str]
    amount_fen: int


def arrears(account: DuesAccount, through_month: str) -> Arrears:
    """Months owed from the first rate up to `through_month` included; months at zero owe nothing."""
    if not account.rates:
        return Arrears(months=[], amount_fen=0)
    paid = account.paid_months()
    owed: list[str] = []
    total = 0
    for month in months_from_to(account.rates[0].effective_from, through_month):
        due = account.rate_for(month) or 0
        if due > 0 and month not in paid:
            owed.append(month)
            total += due
    return Arrears(months=owed, amount_fen=total)


decider: Decider[DuesCommand, DuesAccount, DuesEvent] = Decider(initial=DuesAccount(), decide=decide, evolve=evolve)

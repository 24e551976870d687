"""Dues (党费): each member's monthly amount and the months paid (党费收缴登记).

One stream per member (`dues-<member_id>`), apart from the member's stream so that the ledger of
many years does not load with every branch move. It owns "paid once per month". Facts from
other streams come in the command, filled in by the application layer:
- `member_known` (SetDuesRate, AssessDues): the member is registered and still in the park.

The amount follows the standard (`dues_standard.py`: by income brackets, by category, or set by the
branch with a reason): `AssessDues` records it. Dues are paid month by month or for several months in
advance (`PayDuesMonths`, at most 12 consecutive months, none beyond a year ahead). Arrears are flagged at 3
and 6 consecutive unpaid months (`arrears_flag`): six months without a proper reason is the Party
Constitution's trigger (党章第三十八条: 连续六个月不交纳党费，就被认为是自行脱党), which the branch then
examines. `statement` is a member's yearly statement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import DuesAssessed, DuesPaid, DuesRateSet
from redpark_platform.calendar import effective_date, months_from_to, park_date, parse_month
from redpark_platform.decider import Decider, NotFound

from .dues_standard import standard
from .errors import ERRORS

MAX_MONTHS_PER_PAYMENT = 12


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


class AssessDues(msgspec.Struct, frozen=True, kw_only=True):
    """核定党费 from `effective_from` on: `category`, the declared monthly income after tax (salaried) or
    pension (retiree) in fen, or for `branch_set` the amount and its reason."""

    member_id: str
    category: str
    effective_from: str
    monthly_income_fen: int | None = None
    monthly_amount_fen: int | None = None
    reason: str = ""
    member_known: bool
    now: datetime
    effective_on: date | None = None


class PayDuesMonths(msgspec.Struct, frozen=True, kw_only=True):
    """Dues for consecutive months paid at once (the current month, arrears, or in advance)."""

    member_id: str
    months: list[str]
    amount_fen: int  # the total, which must be the months' standard amounts together
    now: datetime
    effective_on: date | None = None


DuesCommand = SetDuesRate | PayDues | AssessDues | PayDuesMonths
DuesEvent = DuesRateSet | DuesPaid | DuesAssessed


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
        case AssessDues():
            if not command.member_known:
                raise NotFound("member.unknown", f"member {command.member_id} is not a member in the park",
                               detail_zh="党员不存在", field="member_id")
            parse_month(command.effective_from, "effective_from")
            on = effective_date(command.effective_on, command.now)
            found = standard(command.category, income_fen=command.monthly_income_fen,
                             amount_fen=command.monthly_amount_fen, reason=command.reason)
            later_paid = sorted(m for m in state.paid_months() if m >= command.effective_from)
            if later_paid:
                raise ERRORS.error("dues.month_already_paid", field="effective_from", value=later_paid[0])
            return [DuesAssessed(member_id=command.member_id, category=found.category,
                                 basis_points=found.basis_points, monthly_amount_fen=found.monthly_amount_fen,
                                 effective_from=command.effective_from, rule=found.rule,
                                 reason=command.reason.strip() if found.category == "branch_set" else "",
                                 assessed_on=on),
                    DuesRateSet(member_id=command.member_id, monthly_amount_fen=found.monthly_amount_fen,
                                effective_from=command.effective_from, set_on=on)]
        case PayDuesMonths():
            return _pay_months(command, state)
        case _:
            assert_never(command)


def _add_months(month: str, n: int) -> str:
    y, m = parse_month(month)
    index = y * 12 + (m - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _pay_months(command: PayDuesMonths, state: DuesAccount) -> list[DuesEvent]:
    if not command.months:
        raise ERRORS.error("dues.months_missing", field="months")
    if len(command.months) > MAX_MONTHS_PER_PAYMENT:
        raise ERRORS.error("dues.too_many_months", field="months", value=MAX_MONTHS_PER_PAYMENT)
    for month in command.months:
        parse_month(month, "months")
    months = sorted(command.months)
    if months != months_from_to(months[0], months[-1]):
        raise ERRORS.error("dues.months_not_consecutive", field="months")
    on = effective_date(command.effective_on, command.now)
    today = park_date(command.now)
    horizon = _add_months(f"{today.year:04d}-{today.month:02d}", MAX_MONTHS_PER_PAYMENT - 1)
    if months[-1] > horizon:
        raise ERRORS.error("dues.paid_too_far_ahead", field="months", month=months[-1], value=MAX_MONTHS_PER_PAYMENT)
    total = 0
    for month in months:
        rate = state.rate_for(month)
        if rate is None:
            raise ERRORS.error("dues.no_rate_for_month", field="months", member_id=command.member_id, month=month)
        if month in state.paid_months():
            raise ERRORS.error("dues.already_paid", field="months", member_id=command.member_id, month=month)
        total += rate
    if command.amount_fen != total:
        raise ERRORS.error("dues.amount_mismatch", field="amount_fen", month=f"{months[0]}..{months[-1]}",
                           rate=total, amount_fen=command.amount_fen)
    return [DuesPaid(member_id=command.member_id, month=month, amount_fen=state.rate_for(month) or 0, paid_on=on)
            for month in months]


def evolve(state: DuesAccount, event: DuesEvent) -> DuesAccount:
    match event:
        case DuesRateSet():
            kept = [r for r in state.rates if r.effective_from != event.effective_from]
            rates = sorted([*kept, Rate(event.effective_from, event.monthly_amount_fen)],
                           key=lambda r: r.effective_from)
            return msgspec.structs.replace(state, rates=tuple(rates))
        case DuesPaid():
            return msgspec.structs.replace(state, paid=(*state.paid, (event.month, event.amount_fen)))
        case DuesAssessed():
            return state  # the amount arrives in the dues.rate_set that follows
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


# --- arrears flags and the yearly statement --------------------------------------------------------

ArrearsFlag = str  # "" | "three_months" | "six_months"


def consecutive_unpaid(owed_months: list[str]) -> int:
    """The longest run of consecutive months among those owed."""
    longest = run = 0
    previous: str | None = None
    for month in sorted(owed_months):
        run = run + 1 if previous is not None and _add_months(previous, 1) == month else 1
        longest = max(longest, run)
        previous = month
    return longest


def arrears_flag(owed_months: list[str]) -> ArrearsFlag:
    """`six_months` at six consecutive unpaid months (党章第三十八条: without a proper reason, treated as having
    left the Party; the branch examines it), `three_months` at three (the branch reminds the member), else ""."""
    run = consecutive_unpaid(owed_months)
    return "six_months" if run >= 6 else "three_months" if run >= 3 else ""


class StatementMonth(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    due_fen: int  # the standard amount of the month (0 before any standard)
    paid_fen: int | None  # None: not paid
    paid_on: date | None


class YearlyStatement(msgspec.Struct, frozen=True, kw_only=True):
    """党费交纳年度明细: every month of the year, what was due and what was paid, and the totals."""

    member_id: str
    year: int
    months: list[StatementMonth]
    due_fen: int  # months of the year up to `through_month`
    paid_fen: int  # paid for months of the year (in advance included)
    owed_fen: int
    through_month: str


def statement(member_id: str, account: DuesAccount, paid_on: dict[str, date], year: int,
              through_month: str) -> YearlyStatement:
    """The year's months; due counts the months up to `through_month` (a later month is not yet owed, but
    shows what was paid for it in advance)."""
    paid = dict(account.paid)
    lines: list[StatementMonth] = []
    due = owed = 0
    for month in months_from_to(f"{year:04d}-01", f"{year:04d}-12"):
        rate = account.rate_for(month) or 0
        lines.append(StatementMonth(month=month, due_fen=rate, paid_fen=paid.get(month),
                                    paid_on=paid_on.get(month)))
        if month <= through_month:
            due += rate
            if month not in paid:
                owed += rate
    return YearlyStatement(member_id=member_id, year=year, months=lines, due_fen=due,
                           paid_fen=sum(p for m, p in paid.items() if m.startswith(f"{year:04d}-")),
                           owed_fen=owed, through_month=through_month)

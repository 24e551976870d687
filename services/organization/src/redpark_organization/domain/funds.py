"""Party-building funds (经费): the park's yearly special fund (党建专项资金) and each branch's own,
enterprise-funded budget, with their spending entries. Amounts are integer fen.

One stream per budget and year (`funds-<year>`, `branch-funds-<branch>-<year>`), so the balance a
spending entry is checked against is every entry of that budget. A spending entry beyond the
remaining balance is refused whole; a budget may be set again (revised) but never below what is
already spent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization_facilities import (
    BranchFundsBudgetSet,
    BranchFundsSpent,
    FundsBudgetSet,
    FundsSpent,
    SpendingFor,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(year: int) -> str:
    return f"funds-{year}"


def branch_stream_id(branch_id: str, year: int) -> str:
    return f"branch-funds-{branch_id}-{year}"


class SetBudget(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    amount_fen: int
    branch_id: str | None = None  # None: the park's special fund
    branch_active: bool = True  # from the branch's stream when branch_id is given
    now: datetime
    effective_on: date | None = None


class Spend(msgspec.Struct, frozen=True, kw_only=True):
    spending_id: str
    year: int
    amount_fen: int
    note: str = ""
    spent_for: SpendingFor = "activity"
    target_id: str = ""
    branch_id: str | None = None
    now: datetime
    effective_on: date | None = None


FundsCommand = SetBudget | Spend
FundsEvent = FundsBudgetSet | FundsSpent | BranchFundsBudgetSet | BranchFundsSpent


class Budget(msgspec.Struct, frozen=True):
    budget_fen: int | None = None
    spent_fen: int = 0
    spending_ids: frozenset[str] = frozenset()

    @property
    def remaining_fen(self) -> int:
        return (self.budget_fen or 0) - self.spent_fen


def _fen(amount: int) -> None:
    if amount <= 0:
        raise ERRORS.error("funds.amount_not_positive", field="amount_fen")


def _in_year(on: date, year: int) -> None:
    if on.year != year:
        raise ERRORS.error("funds.wrong_year", field="effective_on", on=on.isoformat(), year=year)


def decide(command: FundsCommand, state: Budget) -> list[FundsEvent]:
    match command:
        case SetBudget():
            _fen(command.amount_fen)
            if command.branch_id is not None and not command.branch_active:
                raise ERRORS.error("funds.branch_not_active", field="branch_id", branch_id=command.branch_id)
            if command.amount_fen < state.spent_fen:
                raise ERRORS.error("funds.budget_below_spent", field="amount_fen", spent_fen=state.spent_fen)
            on = effective_date(command.effective_on, command.now)
            if command.branch_id is None:
                return [FundsBudgetSet(year=command.year, amount_fen=command.amount_fen, set_on=on)]
            return [BranchFundsBudgetSet(branch_id=command.branch_id, year=command.year,
                                         amount_fen=command.amount_fen, set_on=on)]
        case Spend():
            _fen(command.amount_fen)
            on = effective_date(command.effective_on, command.now)
            _in_year(on, command.year)
            if state.budget_fen is None:
                raise ERRORS.error("funds.no_budget", field="year", year=command.year)
            if command.spending_id in state.spending_ids:
                raise ERRORS.error("funds.spending_exists", field="spending_id", spending_id=command.spending_id)
            if command.amount_fen > state.remaining_fen:
                raise ERRORS.error("funds.overspent", field="amount_fen", amount_fen=command.amount_fen,
                                   remaining_fen=state.remaining_fen, value=state.remaining_fen / 100)
            if command.branch_id is None:
                if not command.target_id.strip():
                    raise ERRORS.error("funds.target_missing", field="target_id")
                return [FundsSpent(spending_id=command.spending_id, year=command.year, amount_fen=command.amount_fen,
                                   spent_on=on, spent_for=command.spent_for, target_id=command.target_id.strip(),
                                   note=command.note)]
            return [BranchFundsSpent(spending_id=command.spending_id, branch_id=command.branch_id, year=command.year,
                                     amount_fen=command.amount_fen, spent_on=on, note=command.note)]
        case _:
            assert_never(command)


def evolve(state: Budget, event: FundsEvent) -> Budget:
    match event:
        case FundsBudgetSet() | BranchFundsBudgetSet():
            return msgspec.structs.replace(state, budget_fen=event.amount_fen)
        case FundsSpent() | BranchFundsSpent():
            return Budget(budget_fen=state.budget_fen, spent_fen=state.spent_fen + event.amount_fen,
                          spending_ids=state.spending_ids | {event.spending_id})
        case _:
            assert_never(event)


decider: Decider[FundsCommand, Budget, FundsEvent] = Decider(initial=Budget, decide=decide, evolve=evolve)

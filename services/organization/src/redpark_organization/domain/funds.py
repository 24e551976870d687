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
from redpark_platform.decider import Decider, DomainError, InvalidCommand

from .park_calendar import effective_date


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
        raise InvalidCommand("funds.amount_not_positive", "amount_fen must be a positive number of fen",
                             detail_zh="金额须大于零", field="amount_fen")


def _in_year(on: date, year: int) -> None:
    if on.year != year:
        raise InvalidCommand("funds.wrong_year", f"{on.isoformat()} is not in {year}",
                             detail_zh="日期须在预算年度内", field="effective_on")


def decide(command: FundsCommand, state: Budget) -> list[FundsEvent]:
    match command:
        case SetBudget():
            _fen(command.amount_fen)
            if command.branch_id is not None and not command.branch_active:
                raise DomainError("funds.branch_not_active", f"branch {command.branch_id} is not active",
                                  detail_zh="支部不存在或已撤销", field="branch_id", status=404)
            if command.amount_fen < state.spent_fen:
                raise DomainError("funds.budget_below_spent",
                                  f"{state.spent_fen} fen are already spent; the budget cannot be lower",
                                  detail_zh="预算不能低于已支出金额", field="amount_fen")
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
                raise DomainError("funds.no_budget", f"no budget is set for {command.year}",
                                  detail_zh="本年度尚未设定预算", field="year")
            if command.spending_id in state.spending_ids:
                raise DomainError("funds.spending_exists", f"spending {command.spending_id} exists",
                                  detail_zh="支出编号已存在", field="spending_id")
            if command.amount_fen > state.remaining_fen:
                raise DomainError("funds.overspent",
                                  f"{command.amount_fen} fen exceed the remaining {state.remaining_fen} fen",
                                  detail_zh=f"超出预算：剩余{state.remaining_fen / 100:.2f}元", field="amount_fen")
            if command.branch_id is None:
                if not command.target_id.strip():
                    raise InvalidCommand("funds.target_missing", "the venue or activity is required",
                                         detail_zh="请填写支出用于的阵地或活动", field="target_id")
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

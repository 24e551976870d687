"""Dues: arrears per member and per branch (with the 3/6-month flags), a member's yearly statement."""

from __future__ import annotations

from datetime import date

import msgspec

from ..domain.dues import DuesAccount, Rate, YearlyStatement, arrears, arrears_flag, consecutive_unpaid, statement
from . import Db


class MemberArrears(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    months: list[str]
    amount_fen: int
    consecutive_months: int  # the longest run of consecutive unpaid months
    flag: str  # "" | three_months | six_months (党章第三十八条: six without a proper reason)


class BranchArrears(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str | None
    members_in_arrears: int
    amount_fen: int
    members: list[MemberArrears]


async def dues_arrears(db: Db, through_month: str, branch_id: str | None = None) -> list[BranchArrears]:
    rates = await db.fetch("SELECT member_id, effective_from, monthly_amount_fen FROM org_dues_rates"
                           " ORDER BY member_id, effective_from")
    paid = await db.fetch("SELECT member_id, month, amount_fen FROM org_dues_paid")
    people = await db.fetch("SELECT member_id, branch_id FROM org_dues_members WHERE in_park"
                            " AND ($1::text IS NULL OR branch_id = $1)", branch_id)
    rates_of: dict[str, list[Rate]] = {}
    for r in rates:
        rates_of.setdefault(r["member_id"], []).append(Rate(r["effective_from"], r["monthly_amount_fen"]))
    paid_of: dict[str, list[tuple[str, int]]] = {}
    for p in paid:
        paid_of.setdefault(p["member_id"], []).append((p["month"], p["amount_fen"]))
    per_branch: dict[str | None, list[MemberArrears]] = {}
    for person in people:
        account = DuesAccount(rates=tuple(rates_of.get(person["member_id"], ())),
                              paid=tuple(paid_of.get(person["member_id"], ())))
        owed = arrears(account, through_month)
        per_branch.setdefault(person["branch_id"], [])
        if owed.months:
            per_branch[person["branch_id"]].append(
                MemberArrears(member_id=person["member_id"], months=owed.months, amount_fen=owed.amount_fen,
                              consecutive_months=consecutive_unpaid(owed.months), flag=arrears_flag(owed.months)))
    return [BranchArrears(branch_id=b, members_in_arrears=len(ms), amount_fen=sum(m.amount_fen for m in ms),
                          members=sorted(ms, key=lambda m: m.member_id))
            for b, ms in sorted(per_branch.items(), key=lambda kv: kv[0] or "")]


class BranchArrearsTotal(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str | None
    members_in_arrears: int
    amount_fen: int


class ArrearsLine(msgspec.Struct, frozen=True, kw_only=True):
    """A member in arrears, with the branch the member is in (None: not yet in a branch)."""

    branch_id: str | None
    member_id: str
    months: list[str]
    amount_fen: int
    consecutive_months: int
    flag: str  # "" | three_months | six_months


def arrears_lines(per_branch: list[BranchArrears]) -> tuple[list[BranchArrearsTotal], list[ArrearsLine]]:
    """The branches' totals and one line per member in arrears, by branch then member."""
    totals = [BranchArrearsTotal(branch_id=b.branch_id, members_in_arrears=b.members_in_arrears,
                                 amount_fen=b.amount_fen) for b in per_branch]
    lines = [ArrearsLine(branch_id=b.branch_id, member_id=m.member_id, months=m.months, amount_fen=m.amount_fen,
                         consecutive_months=m.consecutive_months, flag=m.flag)
             for b in per_branch for m in b.members]
    return totals, lines


class StandardLine(msgspec.Struct, frozen=True, kw_only=True):
    effective_from: str
    category: str
    basis_points: int | None
    monthly_amount_fen: int
    rule: str
    reason: str
    assessed_on: date


class MemberDues(msgspec.Struct, frozen=True, kw_only=True):
    """A member's yearly statement with the standards (核定) behind the amounts and the arrears flag."""

    statement: YearlyStatement
    standards: list[StandardLine]
    arrears_months: list[str]
    consecutive_months: int
    flag: str


async def member_dues(db: Db, member_id: str, year: int, through_month: str) -> MemberDues:
    rates = await db.fetch("SELECT effective_from, monthly_amount_fen FROM org_dues_rates WHERE member_id = $1"
                           " ORDER BY effective_from", member_id)
    paid = await db.fetch("SELECT month, amount_fen, paid_on FROM org_dues_paid WHERE member_id = $1"
                          " ORDER BY month", member_id)
    account = DuesAccount(rates=tuple(Rate(r["effective_from"], r["monthly_amount_fen"]) for r in rates),
                          paid=tuple((p["month"], p["amount_fen"]) for p in paid))
    owed = arrears(account, through_month)
    standards = [StandardLine(**dict(r)) for r in await db.fetch(
        "SELECT effective_from, category, basis_points, monthly_amount_fen, rule, reason, assessed_on"
        " FROM org_dues_standards WHERE member_id = $1 ORDER BY effective_from", member_id)]
    return MemberDues(statement=statement(member_id, account, {p["month"]: p["paid_on"] for p in paid}, year,
                                          through_month),
                      standards=standards, arrears_months=owed.months,
                      consecutive_months=consecutive_unpaid(owed.months), flag=arrears_flag(owed.months))

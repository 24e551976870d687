"""Dues by income (党费按收入比例): the standard from the category and the declared income, the assessment
decider, paying several months at once, arrears flagged at 3 and 6 months, the yearly statement. Given /
When / Then, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from redpark_contracts.organization import DuesAssessed, DuesPaid, DuesRateSet
from redpark_organization.domain import dues
from redpark_organization.domain.dues_standard import standard
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(dues.decider)
YUAN = 100


@pytest.mark.parametrize(("income_yuan", "basis_points", "amount_fen"), [
    (2_000, 50, 1_000), (3_000, 50, 1_500),            # up to 3,000 included: 0.5%
    (3_000.01, 100, 3_000), (5_000, 100, 5_000),       # 3,000–5,000: 1%
    (8_000, 150, 12_000), (10_000, 150, 15_000),       # 5,000–10,000: 1.5%
    (12_345.67, 200, 24_691),                          # above 10,000: 2%, half up to the fen
])
def test_salaried_members_pay_by_the_bracket_of_their_income_after_tax(
        income_yuan: float, basis_points: int, amount_fen: int) -> None:
    found = standard("salaried", income_fen=round(income_yuan * YUAN))
    assert (found.basis_points, found.monthly_amount_fen) == (basis_points, amount_fen)
    assert found.rule == "《党费规定》第三条"


def test_retirees_students_the_unemployed_and_branch_set_amounts_follow_their_own_rules() -> None:
    assert standard("retiree", income_fen=5_000 * YUAN).monthly_amount_fen == 2_500  # 0.5% up to 5,000
    assert standard("retiree", income_fen=6_000 * YUAN).monthly_amount_fen == 6_000  # 1% above
    assert standard("student").monthly_amount_fen == 20  # 0.2 yuan
    assert standard("unemployed").monthly_amount_fen == 20
    special = standard("branch_set", amount_fen=100, reason="长期患病，经支部研究减交")
    assert (special.monthly_amount_fen, special.basis_points) == (100, None)


@pytest.mark.parametrize(("category", "kwargs", "code", "field"), [
    ("salaried", {}, "dues.income_missing", "monthly_income_fen"),
    ("retiree", {"income_fen": -1}, "dues.income_out_of_range", "monthly_income_fen"),
    ("branch_set", {"amount_fen": 100, "reason": "  "}, "dues.reason_missing", "reason"),
    ("branch_set", {"reason": "困难"}, "dues.amount_missing", "monthly_amount_fen"),
    ("farmer", {}, "dues.category_unknown", "category"),
])
def test_a_standard_without_what_its_category_needs_is_refused_naming_the_field(
        category: str, kwargs: dict[str, object], code: str, field: str) -> None:
    with pytest.raises(InvalidCommand) as caught:
        standard(category, **kwargs)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.field) == (code, field)


def assess(**over: object) -> dues.AssessDues:
    fields: dict[str, object] = {"member_id": "m1", "category": "salaried", "effective_from": "2025-01",
                                 "monthly_income_fen": 8_000 * YUAN, "member_known": True, "now": NOW}
    fields.update(over)
    return dues.AssessDues(**fields)  # type: ignore[arg-type]


def test_assessing_dues_records_the_standard_then_the_amount() -> None:
    spec.given([]).when(assess()).then([
        DuesAssessed(member_id="m1", category="salaried", basis_points=150, monthly_amount_fen=12_000,
                     effective_from="2025-01", rule="《党费规定》第三条", reason="", assessed_on=TODAY),
        DuesRateSet(member_id="m1", monthly_amount_fen=12_000, effective_from="2025-01", set_on=TODAY)])
    spec.given([]).when(assess(member_known=False)).then_raises(NotFound, code="member.unknown", field="member_id")
    paid = DuesPaid(member_id="m1", month="2025-03", amount_fen=100, paid_on=date(2025, 3, 1))
    spec.given([paid]).when(assess(effective_from="2025-02")).then_raises(
        DomainError, code="dues.month_already_paid", field="effective_from")


RATE = DuesRateSet(member_id="m1", monthly_amount_fen=1_500, effective_from="2025-01", set_on=date(2025, 1, 2))


def pay(months: list[str], amount: int) -> dues.PayDuesMonths:
    return dues.PayDuesMonths(member_id="m1", months=months, amount_fen=amount, now=NOW)


def test_months_are_paid_one_by_one_or_several_in_advance() -> None:
    spec.given([RATE]).when(pay(["2025-06", "2025-07", "2025-08"], 4_500)).then([
        DuesPaid(member_id="m1", month=m, amount_fen=1_500, paid_on=TODAY) for m in ("2025-06", "2025-07", "2025-08")])
    spec.given([RATE]).when(pay(["2025-06", "2025-08"], 3_000)).then_raises(
        InvalidCommand, code="dues.months_not_consecutive", field="months")
    spec.given([RATE]).when(pay(["2025-06", "2025-07"], 1_500)).then_raises(
        InvalidCommand, code="dues.amount_mismatch", field="amount_fen")
    spec.given([RATE]).when(pay([], 0)).then_raises(InvalidCommand, code="dues.months_missing", field="months")
    spec.given([RATE]).when(pay(["2026-06"], 1_500)).then_raises(
        InvalidCommand, code="dues.paid_too_far_ahead", field="months")  # a year ahead is the limit
    spec.given([RATE, DuesPaid(member_id="m1", month="2025-07", amount_fen=1_500, paid_on=TODAY)]).when(
        pay(["2025-06", "2025-07"], 3_000)).then_raises(DomainError, code="dues.already_paid", field="months")
    spec.given([]).when(pay(["2025-06"], 0)).then_raises(DomainError, code="dues.no_rate_for_month")


def test_arrears_are_flagged_at_three_and_six_consecutive_unpaid_months() -> None:
    assert dues.arrears_flag(["2025-01", "2025-02"]) == ""
    assert dues.arrears_flag(["2025-01", "2025-02", "2025-04", "2025-05"]) == ""  # a paid month breaks the run
    assert dues.arrears_flag(["2024-11", "2024-12", "2025-01", "2025-02"]) == "three_months"  # across the year
    assert dues.arrears_flag([f"2025-{m:02d}" for m in range(1, 7)]) == "six_months"


def test_the_yearly_statement_shows_each_month_due_and_paid() -> None:
    account = dues.evolve(dues.evolve(dues.DuesAccount(), RATE), DuesPaid(
        member_id="m1", month="2025-01", amount_fen=1_500, paid_on=date(2025, 1, 20)))
    account = dues.evolve(account, DuesPaid(member_id="m1", month="2025-09", amount_fen=1_500,
                                            paid_on=date(2025, 6, 1)))  # in advance
    s = dues.statement("m1", account, {"2025-01": date(2025, 1, 20), "2025-09": date(2025, 6, 1)}, 2025, "2025-06")
    assert [m.month for m in s.months] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert (s.months[0].paid_fen, s.months[0].paid_on, s.months[1].paid_fen) == (1_500, date(2025, 1, 20), None)
    assert (s.due_fen, s.paid_fen, s.owed_fen) == (9_000, 3_000, 7_500)

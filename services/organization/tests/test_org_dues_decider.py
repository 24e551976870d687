"""Dues: a monthly amount per member, each month paid once, arrears counted."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import DuesPaid, DuesRateSet
from redpark_organization.domain import dues
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(dues.decider)

RATE = DuesRateSet(member_id="m1", monthly_amount_fen=2000, effective_from="2025-01", set_on=date(2025, 1, 2))
PAID_JAN = DuesPaid(member_id="m1", month="2025-01", amount_fen=2000, paid_on=date(2025, 1, 20))


def pay(month: str = "2025-02", amount: int = 2000) -> dues.PayDues:
    return dues.PayDues(member_id="m1", month=month, amount_fen=amount, now=NOW)


def test_a_monthly_amount_is_set_for_a_known_member() -> None:
    cmd = dues.SetDuesRate(member_id="m1", monthly_amount_fen=2000, effective_from="2025-01", member_known=True,
                           now=NOW)
    spec.given([]).when(cmd).then([DuesRateSet(member_id="m1", monthly_amount_fen=2000, effective_from="2025-01",
                                               set_on=TODAY)])
    unknown = dues.SetDuesRate(member_id="m1", monthly_amount_fen=2000, effective_from="2025-01",
                               member_known=False, now=NOW)
    spec.given([]).when(unknown).then_raises(NotFound, code="member.unknown")


def test_a_month_is_written_yyyy_mm() -> None:
    spec.given([RATE]).when(pay("2025-13")).then_raises(InvalidCommand, code="month.malformed", field="month")
    bad_rate = dues.SetDuesRate(member_id="m1", monthly_amount_fen=2000, effective_from="2025/01", member_known=True,
                                now=NOW)
    spec.given([]).when(bad_rate).then_raises(InvalidCommand, code="month.malformed", field="effective_from")


def test_dues_are_paid_for_a_month_at_its_amount() -> None:
    spec.given([RATE]).when(pay()).then([DuesPaid(member_id="m1", month="2025-02", amount_fen=2000, paid_on=TODAY)])


def test_dues_are_never_paid_twice_for_one_month() -> None:
    spec.given([RATE, PAID_JAN]).when(pay("2025-01")).then_raises(DomainError, code="dues.already_paid",
                                                                  field="month")


def test_a_payment_must_match_the_amount_set_for_the_month() -> None:
    spec.given([RATE]).when(pay(amount=1500)).then_raises(InvalidCommand, code="dues.amount_mismatch",
                                                          field="amount_fen")


def test_no_payment_for_a_month_without_an_amount() -> None:
    spec.given([RATE]).when(pay("2024-12")).then_raises(DomainError, code="dues.no_rate_for_month")


def test_a_new_amount_applies_from_its_month_on() -> None:
    raised = DuesRateSet(member_id="m1", monthly_amount_fen=3000, effective_from="2025-04", set_on=date(2025, 4, 1))
    spec.given([RATE, raised]).when(pay("2025-03", 2000)).then(
        [DuesPaid(member_id="m1", month="2025-03", amount_fen=2000, paid_on=TODAY)])
    spec.given([RATE, raised]).when(pay("2025-05", 3000)).then(
        [DuesPaid(member_id="m1", month="2025-05", amount_fen=3000, paid_on=TODAY)])


def test_a_new_amount_cannot_rewrite_a_month_already_paid() -> None:
    cmd = dues.SetDuesRate(member_id="m1", monthly_amount_fen=3000, effective_from="2025-01", member_known=True,
                           now=NOW)
    spec.given([RATE, PAID_JAN]).when(cmd).then_raises(DomainError, code="dues.month_already_paid")


def test_arrears_are_the_unpaid_months_up_to_the_given_month() -> None:
    account = dues.decider.fold([RATE, PAID_JAN,
                                 DuesPaid(member_id="m1", month="2025-03", amount_fen=2000, paid_on=TODAY)])
    owed = dues.arrears(account, "2025-05")
    assert owed.months == ["2025-02", "2025-04", "2025-05"]
    assert owed.amount_fen == 6000
    assert dues.arrears(dues.DuesAccount(), "2025-05").months == []


def test_months_at_zero_owe_nothing() -> None:
    waived = DuesRateSet(member_id="m1", monthly_amount_fen=0, effective_from="2025-02", set_on=date(2025, 2, 1))
    account = dues.decider.fold([RATE, PAID_JAN, waived])
    assert dues.arrears(account, "2025-06").months == []

"""Letters of transfer: number, other organization, validity of at most three months, the return slip,
and the status on a day (open, overdue, returned). Given / When / Then, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import TransferLetterIssued, TransferLetterReturned
from redpark_organization.domain import transfer_letter as tl
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
spec = DeciderSpec(tl.decider)
ISSUED = TransferLetterIssued(transfer_id="t1", member_id="m1", direction="out", letter_no="园党转〔2026〕1号",
                              organization="某区机关工委", issued_on=TODAY, valid_until=date(2026, 4, 1))


def issue(**over: object) -> tl.IssueLetter:
    fields: dict[str, object] = {"transfer_id": "t1", "member_id": "m1", "direction": "out",
                                 "letter_no": " 园党转〔2026〕1号 ", "organization": "某区机关工委",
                                 "valid_until": date(2026, 4, 1), "member_known": True, "now": NOW}
    fields.update(over)
    return tl.IssueLetter(**fields)  # type: ignore[arg-type]


def test_a_letter_is_recorded_with_its_number_organization_and_deadline() -> None:
    spec.given([]).when(issue()).then([ISSUED])
    spec.given([ISSUED]).when(issue()).then_raises(DomainError, code="transfer.already_issued")


def test_a_letter_without_what_it_needs_is_refused_naming_the_field() -> None:
    spec.given([]).when(issue(member_known=False)).then_raises(NotFound, code="member.unknown", field="member_id")
    spec.given([]).when(issue(letter_no=" ")).then_raises(InvalidCommand, code="transfer.letter_no_missing",
                                                          field="letter_no")
    spec.given([]).when(issue(organization="")).then_raises(
        InvalidCommand, code="transfer.other_organization_missing", field="organization")
    spec.given([]).when(issue(valid_until=TODAY)).then_raises(
        InvalidCommand, code="transfer.deadline_not_after_issue", field="valid_until")
    spec.given([]).when(issue(valid_until=date(2026, 6, 3))).then_raises(  # beyond three months
        InvalidCommand, code="transfer.deadline_too_long", field="valid_until")


def test_the_return_slip_closes_the_letter_once() -> None:
    slip = tl.RecordReturnSlip(transfer_id="t1", now=NOW)
    spec.given([ISSUED]).when(slip).then([TransferLetterReturned(transfer_id="t1", returned_on=TODAY)])
    spec.given([]).when(slip).then_raises(NotFound, code="transfer.unknown", field="transfer_id")
    spec.given([ISSUED, TransferLetterReturned(transfer_id="t1", returned_on=TODAY)]).when(slip).then_raises(
        DomainError, code="transfer.already_returned")
    spec.given([ISSUED]).when(tl.RecordReturnSlip(transfer_id="t1", now=NOW, effective_on=date(2026, 3, 1))
                              ).then_raises(InvalidCommand, code="transfer.returned_before_issue")


def test_a_letter_is_overdue_the_day_after_its_deadline_without_a_return_slip() -> None:
    deadline = date(2026, 4, 1)
    assert tl.status(deadline, None, deadline) == "open"
    assert tl.status(deadline, None, date(2026, 4, 2)) == "overdue"
    assert tl.status(deadline, date(2026, 4, 20), date(2026, 5, 1)) == "returned"

"""Letters of transfer (组织关系介绍信): the paperwork of a transfer, on its own stream (`transfer-<id>`).

A letter has a number, the other organization, and a validity (the deadline): the member must report
with it before `valid_until`, and the return slip (回执) closes it. A letter whose deadline has passed
without its return slip is overdue, and listed. Source: 《中国共产党党员组织关系介绍信》的使用规定 (中组部,
党员组织关系转接): the letter is valid for at most three months (`MAX_VALIDITY_DAYS`), the receiving
organization returns the slip. The member's relationship itself moves with `member.transferred_out` /
`transferred_in` on the member's stream, as before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal, assert_never

import msgspec

from redpark_contracts.organization import TransferDirection, TransferLetterIssued, TransferLetterReturned
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider, NotFound

from .errors import ERRORS

MAX_VALIDITY_DAYS = 92  # three months
LetterStatus = Literal["open", "overdue", "returned"]


def stream_id(transfer_id: str) -> str:
    return f"transfer-{transfer_id}"


class IssueLetter(msgspec.Struct, frozen=True, kw_only=True):
    transfer_id: str
    member_id: str
    direction: TransferDirection
    letter_no: str
    organization: str
    valid_until: date
    member_known: bool  # out: the park holds the member's relationship; in: the member is registered
    now: datetime
    effective_on: date | None = None  # the day issued (out) or received (in); today when None


class RecordReturnSlip(msgspec.Struct, frozen=True, kw_only=True):
    transfer_id: str
    now: datetime
    effective_on: date | None = None


LetterCommand = IssueLetter | RecordReturnSlip
LetterEvent = TransferLetterIssued | TransferLetterReturned


class NoLetter(msgspec.Struct, frozen=True, tag=True):
    pass


class Letter(msgspec.Struct, frozen=True, tag=True):
    issued: TransferLetterIssued
    returned_on: date | None = None


LetterState = NoLetter | Letter


def status(issued_valid_until: date, returned_on: date | None, today: date) -> LetterStatus:
    """Returned once the slip came back; overdue the day after the deadline without it; else open."""
    if returned_on is not None:
        return "returned"
    return "overdue" if today > issued_valid_until else "open"


def decide(command: LetterCommand, state: LetterState) -> list[LetterEvent]:
    match command:
        case IssueLetter():
            if isinstance(state, Letter):
                raise ERRORS.error("transfer.already_issued", field="transfer_id", transfer_id=command.transfer_id)
            if not command.member_known:
                raise NotFound("member.unknown", f"member {command.member_id} cannot transfer {command.direction}",
                               detail_zh="党员不存在，或组织关系不在园区（转出）", field="member_id")
            letter_no, organization = command.letter_no.strip(), command.organization.strip()
            if not letter_no:
                raise ERRORS.error("transfer.letter_no_missing", field="letter_no")
            if not organization:
                raise ERRORS.error("transfer.other_organization_missing", field="organization")
            on = effective_date(command.effective_on, command.now)
            if command.valid_until <= on:
                raise ERRORS.error("transfer.deadline_not_after_issue", field="valid_until")
            if command.valid_until > on + timedelta(days=MAX_VALIDITY_DAYS):
                raise ERRORS.error("transfer.deadline_too_long", field="valid_until", value=MAX_VALIDITY_DAYS)
            return [TransferLetterIssued(transfer_id=command.transfer_id, member_id=command.member_id,
                                         direction=command.direction, letter_no=letter_no,
                                         organization=organization, issued_on=on, valid_until=command.valid_until)]
        case RecordReturnSlip():
            if not isinstance(state, Letter):
                raise ERRORS.error("transfer.unknown", field="transfer_id", transfer_id=command.transfer_id)
            if state.returned_on is not None:
                raise ERRORS.error("transfer.already_returned", field="transfer_id",
                                   returned_on=state.returned_on.isoformat())
            on = effective_date(command.effective_on, command.now)
            if on < state.issued.issued_on:
                raise ERRORS.error("transfer.returned_before_issue", field="effective_on")
            return [TransferLetterReturned(transfer_id=command.transfer_id, returned_on=on)]
        case _:
            assert_never(command)


def evolve(state: LetterState, event: LetterEvent) -> LetterState:
    match event:
        case TransferLetterIssued():
            return Letter(issued=event)
        case TransferLetterReturned():
            assert isinstance(state, Letter)
            return msgspec.structs.replace(state, returned_on=event.returned_on)
        case _:
            assert_never(event)


decider: Decider[LetterCommand, LetterState, LetterEvent] = Decider(initial=NoLetter(), decide=decide, evolve=evolve)

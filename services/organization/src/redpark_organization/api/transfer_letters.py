"""Letters of transfer (组织关系介绍信): record a letter issued (out) or received (in) with its number,
the other organization and its validity; record its return slip (回执); list letters by status, the
overdue ones with their days overdue. Writes: park_admin; reads: park_admin, auditor."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Query

from redpark_contracts.organization import TransferDirection
from redpark_platform.clock import new_id
from redpark_platform.web import Body, Idempotent, MsgspecResponse, Principal, require_roles, response_schema
from redpark_platform.web.bounded import Day, Id
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page_of

from ..projections.transfer_letters import NAME as LETTERS
from ..queries import transfer_letters as letters_reads
from .deps import Admin, Org

router = APIRouter(tags=["transfers"])
ParkReader = Annotated[Principal, require_roles("park_admin", "auditor")]


class NewLetter(msgspec.Struct, frozen=True, kw_only=True):
    member_id: Id
    direction: TransferDirection
    letter_no: Annotated[str, msgspec.Meta(max_length=64)]
    organization: Annotated[str, msgspec.Meta(max_length=200)]
    valid_until: date
    effective_on: date | None = None
    transfer_id: Id | None = None


class ReturnSlip(msgspec.Struct, frozen=True, kw_only=True):
    effective_on: date | None = None


@router.post("/transfer-letters", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Record a letter of transfer issued (out) or received (in)")
async def issue(body: Annotated[NewLetter, Body(NewLetter, example=NewLetter(
        member_id="m1", direction="out", letter_no="园党转字〔2026〕第018号", organization="某区机关工委",
        valid_until=date(2026, 3, 31)))], org: Org, who: Admin) -> MsgspecResponse:
    transfer_id = body.transfer_id or new_id()
    return accepted(await org.issue_transfer_letter(
        transfer_id=transfer_id, member_id=body.member_id, direction=body.direction, letter_no=body.letter_no,
        organization=body.organization, valid_until=body.valid_until, on=body.effective_on), transfer_id, 201)


@router.post("/transfer-letters/{transfer_id}/return-slip", responses=response_schema(Accepted),
             summary="Record the return slip (回执) of a letter")
async def return_slip(transfer_id: Id, body: Annotated[ReturnSlip, Body(ReturnSlip)], org: Org,
                      who: Admin) -> MsgspecResponse:
    return accepted(await org.record_return_slip(transfer_id, body.effective_on), transfer_id)


@router.get("/transfer-letters", responses=response_schema(Page[letters_reads.LetterLine]),
            summary="Letters of transfer by deadline with their status on a day; ?status=overdue lists the overdue",
            dependencies=[ReadYourWrites(LETTERS)])
async def list_letters(org: Org, who: ParkReader, paging: Paging,
                       status: Literal["open", "overdue", "returned"] | None = None,
                       as_of: Annotated[Day | None, Query(description="the day judged; today when omitted")] = None,
                       member_id: Id | None = None) -> MsgspecResponse:
    rows = await letters_reads.letters(org.runtime.pool, as_of or org.today(), status, member_id)
    return MsgspecResponse(page_of(rows, paging))

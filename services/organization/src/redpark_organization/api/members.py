"""Members, transfers and dues (党员、组织关系转接、党费)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Query

from redpark_contracts.organization import MemberStatus, Relationship
from redpark_platform.clock import new_id
from redpark_platform.decider import NotFound
from redpark_platform.web import (
    Body,
    Idempotent,
    MsgspecResponse,
    Principal,
    ensure_branch,
    readable_branch,
    response_schema,
)
from redpark_platform.web.bounded import Fen, Id, Phone
from redpark_platform.web.edge import Accepted, Dated, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page, page_of

from ..application.organization import Organization
from ..domain import member
from ..projections.dues import NAME as DUES
from ..projections.rosters import NAME as ROSTERS
from ..queries import dues as dues_reads
from ..queries import rosters as rosters_reads
from ..queries.personal import Personal, full_view, member_contacts, shown
from .deps import Admin, BranchStaff, Org, Reader

router = APIRouter(tags=["members"])


class NewMember(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    enterprise_id: Id | None = None
    status: MemberStatus
    joined_party_on: date
    relationship: Relationship
    relationship_held_by: str = ""
    phone: Phone
    id_number: str
    member_id: Id | None = None
    effective_on: date | None = None


class Transfer(msgspec.Struct, frozen=True, kw_only=True):
    organization: str
    effective_on: date | None = None


class Placement(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: Id
    effective_on: date | None = None


class Employer(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: Id | None
    effective_on: date | None = None


class DuesRateBody(msgspec.Struct, frozen=True, kw_only=True):
    monthly_amount_fen: Fen
    effective_from: str


class DuesPayment(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    amount_fen: Fen
    effective_on: date | None = None


class DuesStandardBody(msgspec.Struct, frozen=True, kw_only=True):
    """核定党费: salaried and retirees by their declared monthly income after tax (pension) in fen;
    students and the unemployed need nothing more; `branch_set` an amount and its reason."""

    category: Annotated[str, msgspec.Meta(max_length=20)]
    effective_from: Annotated[str, msgspec.Meta(max_length=7)]
    monthly_income_fen: Fen | None = None
    monthly_amount_fen: Fen | None = None
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class DuesMonthsPayment(msgspec.Struct, frozen=True, kw_only=True):
    months: Annotated[list[Annotated[str, msgspec.Meta(max_length=7)]], msgspec.Meta(max_length=24)]
    amount_fen: Fen
    effective_on: date | None = None


ACCEPTED = response_schema(Accepted)


@router.post("/members", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Register a member in the census")
async def register(body: Annotated[NewMember, Body(NewMember, example=NewMember(
        name="王五", enterprise_id="e1", status="full", joined_party_on=date(2010, 7, 1), relationship="elsewhere",
        relationship_held_by="某大学党委", phone="13800000000", id_number="11010519491231002X"))],
        org: Org, who: Admin) -> MsgspecResponse:
    member_id = body.member_id or new_id()
    fields = msgspec.structs.asdict(body)
    fields["member_id"] = member_id
    return accepted(await org.register_member(fields), member_id, 201)


@router.post("/members/{member_id}/transfers-in", responses=ACCEPTED,
             summary="The member's relationship is transferred into the park")
async def transfer_in(member_id: Id, body: Annotated[Transfer, Body(Transfer)], org: Org,
                      who: Admin) -> MsgspecResponse:
    return accepted(await org.member_command(member_id, member.TransferIn(
        member_id=member_id, from_organization=body.organization, now=org.now(), effective_on=body.effective_on)),
        member_id)


@router.post("/members/{member_id}/transfers-out", responses=ACCEPTED,
             summary="The member's relationship is transferred out of the park")
async def transfer_out(member_id: Id, body: Annotated[Transfer, Body(Transfer)], org: Org,
                       who: Admin) -> MsgspecResponse:
    return accepted(await org.member_command(member_id, member.TransferOut(
        member_id=member_id, to_organization=body.organization, now=org.now(), effective_on=body.effective_on)),
        member_id)


@router.put("/members/{member_id}/branch", responses=ACCEPTED, summary="Place the member in a branch (or move)")
async def place(member_id: Id, body: Annotated[Placement, Body(Placement)], org: Org,
                who: Admin) -> MsgspecResponse:
    return accepted(await org.place_member(member_id, body.branch_id, body.effective_on), member_id)


@router.put("/members/{member_id}/enterprise", responses=ACCEPTED, summary="The member works for another tenant")
async def change_enterprise(member_id: Id, body: Annotated[Employer, Body(Employer)], org: Org,
                            who: Admin) -> MsgspecResponse:
    return accepted(await org.change_enterprise(member_id, body.enterprise_id, body.effective_on), member_id)


@router.post("/members/{member_id}/full-membership", responses=ACCEPTED,
             summary="A probationary member becomes a full member (转正)")
async def confirm_full(member_id: Id, body: Annotated[Dated, Body(Dated)], org: Org, who: Admin) -> MsgspecResponse:
    return accepted(await org.member_command(member_id, member.ConfirmFullMembership(
        member_id=member_id, now=org.now(), effective_on=body.effective_on)), member_id)


@router.put("/members/{member_id}/dues-rate", responses=ACCEPTED, summary="Set the member's monthly dues")
async def set_dues_rate(member_id: Id, body: Annotated[DuesRateBody, Body(DuesRateBody)], org: Org,
                        who: Admin) -> MsgspecResponse:
    return accepted(await org.set_dues_rate(member_id, body.monthly_amount_fen, body.effective_from), member_id)


async def _for_own_member(org: Organization, who: Principal, member_id: str) -> None:
    """A branch secretary acts only for members of its branch."""
    if "park_admin" not in who.roles:
        branch_id = await org.member_branch(member_id)
        if branch_id is None:
            raise NotFound("member.unknown", f"member {member_id} is in no branch", detail_zh="党员不存在",
                           field="member_id")
        ensure_branch(who, branch_id)


@router.put("/members/{member_id}/dues-standard", responses=ACCEPTED,
            summary="Assess the member's dues (核定党费) from its category and declared income")
async def assess_dues(member_id: Id, body: Annotated[DuesStandardBody, Body(DuesStandardBody, example=DuesStandardBody(
        category="salaried", effective_from="2026-01", monthly_income_fen=800000))], org: Org,
        who: BranchStaff) -> MsgspecResponse:
    await _for_own_member(org, who, member_id)
    return accepted(await org.assess_dues(member_id, category=body.category, effective_from=body.effective_from,
                                          monthly_income_fen=body.monthly_income_fen,
                                          monthly_amount_fen=body.monthly_amount_fen, reason=body.reason), member_id)


@router.post("/members/{member_id}/dues-payments/months", status_code=201,
             responses=response_schema(Accepted, status=201), dependencies=[Idempotent],
             summary="Record dues for consecutive months paid at once (arrears or in advance)")
async def pay_dues_months(member_id: Id, body: Annotated[DuesMonthsPayment, Body(
        DuesMonthsPayment, example=DuesMonthsPayment(months=["2026-01", "2026-02", "2026-03"], amount_fen=36000))],
        org: Org, who: BranchStaff) -> MsgspecResponse:
    await _for_own_member(org, who, member_id)
    return accepted(await org.pay_dues_months(member_id, body.months, body.amount_fen, body.effective_on),
                    member_id, 201)


@router.get("/members/{member_id}/dues", responses=response_schema(dues_reads.MemberDues),
            summary="The member's yearly dues statement, the standards behind it and the arrears flag",
            dependencies=[ReadYourWrites(DUES)])
async def member_dues(member_id: Id, org: Org, who: Reader,
                      year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> MsgspecResponse:
    if not {"park_admin", "auditor"} & set(who.roles):
        await _for_own_member(org, who, member_id)
    today = org.today()
    this_month = f"{today.year:04d}-{today.month:02d}"
    year = year or today.year
    through = min(this_month, f"{year:04d}-12")
    return MsgspecResponse(await dues_reads.member_dues(org.runtime.pool, member_id, year, through))


@router.post("/members/{member_id}/dues-payments", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Record a month's dues as paid")
async def pay_dues(member_id: Id, body: Annotated[DuesPayment, Body(DuesPayment, example=DuesPayment(
        month="2025-06", amount_fen=2000))], org: Org, who: BranchStaff) -> MsgspecResponse:
    if "park_admin" not in who.roles:
        branch_id = await org.member_branch(member_id)
        if branch_id is None:
            raise NotFound("member.unknown", f"member {member_id} is in no branch", detail_zh="党员不存在",
                           field="member_id")
        ensure_branch(who, branch_id)
    return accepted(await org.pay_dues(member_id, body.month, body.amount_fen, body.effective_on), member_id, 201)


class RosterLine(rosters_reads.MemberRow, frozen=True, kw_only=True):
    """A roster line; phone and ID number masked unless a park administrator asks for them in full."""

    phone: str
    id_number: str


async def roster_lines(org: Organization, branch_id: Id | None, full: bool, limit: int | None = None,
                       offset: int = 0) -> list[RosterLine]:
    # Personal data is opened from the store for these rows only: a page costs a page of reads.
    rows = await rosters_reads.members(org.runtime.pool, branch_id, limit=limit, offset=offset)
    contacts = await member_contacts(org.runtime.store, [r.member_id for r in rows])
    lines = []
    for r in rows:
        c = shown(contacts.get(r.member_id), full)
        lines.append(RosterLine(**msgspec.structs.asdict(r), phone=c.phone, id_number=c.id_number))
    return lines


@router.get("/members", responses=response_schema(Page[RosterLine]),
            summary="Roster by member id, paged (phone and ID number masked; in full for park_admin with "
                    "personal=full)", dependencies=[ReadYourWrites(ROSTERS)])
async def roster(org: Org, who: Reader, paging: Paging, branch_id: Id | None = None,
                 personal: Personal = "masked") -> MsgspecResponse:
    # a branch secretary sees its own branch's roster only
    branch_id = readable_branch(who, branch_id)
    full = full_view(who, personal)
    lines = await roster_lines(org, branch_id, full, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(lines, await rosters_reads.count_members(org.runtime.pool, branch_id), paging))


@router.get("/members/{member_id}/transfers", responses=response_schema(Page[rosters_reads.TransferRow]),
            summary="The member's transfer record, oldest first, paged", dependencies=[ReadYourWrites(ROSTERS)])
async def transfer_record(member_id: Id, org: Org, who: Reader, paging: Paging) -> MsgspecResponse:
    pool = org.runtime.pool
    # A transfer names the organization a member came from or went to: a branch secretary's to
    # read for its own branch's members only.
    ensure_branch(who, await rosters_reads.member_branch(pool, member_id))
    rows = await rosters_reads.transfers(pool, member_id, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, await rosters_reads.count_transfers(pool, member_id), paging))


class ArrearsReport(msgspec.Struct, frozen=True, kw_only=True):
    """Dues in arrears through a month: every branch's totals, and the members in arrears paged
    (by branch, then member)."""

    through_month: str
    branches: list[dues_reads.BranchArrearsTotal]
    members: Page[dues_reads.ArrearsLine]


@router.get("/dues/arrears", responses=response_schema(ArrearsReport),
            summary="Dues in arrears per branch through a month; members in arrears paged",
            dependencies=[ReadYourWrites(DUES)])
async def dues_arrears(org: Org, who: Reader, paging: Paging,
                       month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")],
                       branch_id: Id | None = None,
                       flag: Annotated[str | None, Query(pattern="^(three_months|six_months)$",
                                                         description="only members flagged at least so")] = None,
                       ) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    # Arrears are computed from every rate and payment, so the whole list is built and then cut.
    totals, lines = dues_reads.arrears_lines(await dues_reads.dues_arrears(org.runtime.pool, month, branch_id))
    if flag is not None:
        wanted = {"three_months": ("three_months", "six_months"), "six_months": ("six_months",)}[flag]
        lines = [line for line in lines if line.flag in wanted]
    return MsgspecResponse(ArrearsReport(through_month=month, branches=totals, members=page_of(lines, paging)))

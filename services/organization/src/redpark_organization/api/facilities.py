"""Facilities (section 四(二)): the venue registry (阵地), bookings of the bookable rooms with no double
booking, the park's special fund and the branches' own budgets (经费), and their XLSX export.

park_admin registers venues and keeps the special fund and the branches' budgets; a branch secretary
books rooms, cancels bookings and records its own branch's spending. Lists: park_admin, auditor,
branch secretaries (a secretary sees its own branch's funds)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path, Query, Response

from redpark_contracts.organization_facilities import SpendingFor, VenueGroup, VenueKind
from redpark_platform.clock import new_id
from redpark_platform.exports import Sheet, xlsx_openapi, xlsx_sheets_response
from redpark_platform.web import (
    Body,
    Idempotent,
    MsgspecResponse,
    bounded,
    ensure_branch,
    readable_branch,
    response_schema,
)
from redpark_platform.web.bounded import Fen, Id, Instant, OptionalId
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page_of

from ..domain.venue import KIND_ZH
from ..projections.facilities import NAME as FACILITIES
from ..projections.facilities import PARK
from ..queries import facilities as fq
from ..queries.facilities import BookingLine, BudgetLine, SpendingLine, VenueLine
from .deps import Admin, BranchStaff, Fac, Reader

router = APIRouter(tags=["facilities"])


Day = Annotated[bounded.Day | None, Query(description="a calendar day of the park: bookings touching it")]
Year = Annotated[int, Query(ge=2000, le=2100)]
YearPath = Annotated[int, Path(ge=2000, le=2100, description="calendar year")]
CREATED = response_schema(Accepted, status=201)
ACCEPTED = response_schema(Accepted)
GROUP_ZH = {"institute": "一所", "platforms": "两平台", "corridors": "三长廊", "rooms": "四室", "other": "其他"}
FOR_ZH = {"venue": "阵地", "activity": "活动", "branch": "支部"}


def _yuan(fen: int) -> float:
    return fen / 100


# --- venues and bookings ------------------------------------------------------------------------------


class NewVenue(msgspec.Struct, frozen=True, kw_only=True):
    venue_id: Id
    name: str
    kind: VenueKind
    group: VenueGroup
    location: str
    bookable: bool = False


@router.post("/venues", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Register a venue (阵地) with its kind and location; bookable rooms may be booked")
async def register_venue(body: Annotated[NewVenue, Body(NewVenue, example=NewVenue(
        venue_id="lecture-hall", name="新时代\"三新\"讲习所", kind="lecture_hall", group="institute",
        location="一号楼三楼多功能厅", bookable=True))], app: Fac, who: Admin) -> MsgspecResponse:
    return accepted(await app.register_venue(venue_id=body.venue_id, name=body.name, kind=body.kind,
                                             group=body.group, location=body.location, bookable=body.bookable),
                    body.venue_id, 201)


@router.get("/venues", responses=response_schema(Page[VenueLine]), summary="The venue registry, paged",
            dependencies=[ReadYourWrites(FACILITIES)])
async def venues(app: Fac, who: Reader, paging: Paging, kind: VenueKind | None = None,
                 bookable: bool | None = None) -> MsgspecResponse:
    return MsgspecResponse(page_of(await fq.venues(app.pool, kind=kind, bookable=bookable), paging))


class NewBooking(msgspec.Struct, frozen=True, kw_only=True):
    starts_at: Instant
    ends_at: Instant
    purpose: str
    booking_id: Id | None = None


@router.post("/venues/{venue_id}/bookings", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Book a bookable venue; a time range overlapping a live booking of the venue is refused")
async def book(venue_id: Id, body: Annotated[NewBooking, Body(NewBooking, example=NewBooking(
        starts_at=datetime.fromisoformat("2026-06-01T14:00:00+08:00"),
        ends_at=datetime.fromisoformat("2026-06-01T16:00:00+08:00"), purpose="主题党日"))], app: Fac,
        who: BranchStaff) -> MsgspecResponse:
    booking_id = body.booking_id or new_id()
    return accepted(await app.book(booking_id=booking_id, venue_id=venue_id, starts_at=body.starts_at,
                                   ends_at=body.ends_at, purpose=body.purpose, by=who.subject),
                    booking_id, 201)


class Cancellation(msgspec.Struct, frozen=True, kw_only=True):
    reason: str = ""


@router.post("/venues/{venue_id}/bookings/{booking_id}/cancellation", responses=ACCEPTED,
             summary="Cancel a booking (a branch secretary its own only); its time is free again")
async def cancel_booking(venue_id: Id, booking_id: Id, body: Annotated[Cancellation, Body(Cancellation)],
                         app: Fac, who: BranchStaff) -> MsgspecResponse:
    return accepted(await app.cancel_booking(venue_id=venue_id, booking_id=booking_id, reason=body.reason,
                                             by=who.subject, any_booking="park_admin" in who.roles), booking_id)


@router.get("/venues/{venue_id}/bookings", responses=response_schema(Page[BookingLine]),
            summary="A venue's bookings by start, paged; day= keeps one day", dependencies=[ReadYourWrites(FACILITIES)])
async def venue_bookings(venue_id: Id, app: Fac, who: Reader, paging: Paging, day: Day = None,
                         cancelled: bool = False) -> MsgspecResponse:
    listed = await fq.bookings(app.pool, app.runtime.settings.zone, venue_id=venue_id, day=day,
                               include_cancelled=cancelled)
    return MsgspecResponse(page_of(listed, paging))


@router.get("/bookings", responses=response_schema(Page[BookingLine]),
            summary="Bookings of every venue by start, paged; day= keeps one day",
            dependencies=[ReadYourWrites(FACILITIES)])
async def bookings(app: Fac, who: Reader, paging: Paging, day: Day = None,
                   cancelled: bool = False) -> MsgspecResponse:
    listed = await fq.bookings(app.pool, app.runtime.settings.zone, venue_id=None, day=day, include_cancelled=cancelled)
    return MsgspecResponse(page_of(listed, paging))


# --- funds ---------------------------------------------------------------------------------------------


class NewBudget(msgspec.Struct, frozen=True, kw_only=True):
    amount_fen: Fen
    effective_on: date | None = None


class NewSpending(msgspec.Struct, frozen=True, kw_only=True):
    amount_fen: Fen
    note: str = ""
    spent_for: SpendingFor = "activity"
    target_id: OptionalId = ""  # the venue id or the activity (required for the special fund)
    effective_on: date | None = None
    spending_id: Id | None = None


@router.put("/funds/{year}/budget", responses=ACCEPTED,
            summary="Set (or revise) the year's special fund (党建专项资金)")
async def set_budget(year: YearPath, body: Annotated[NewBudget, Body(NewBudget, example=NewBudget(
        amount_fen=50_000_000))], app: Fac, who: Admin) -> MsgspecResponse:
    return accepted(await app.set_budget(year=year, amount_fen=body.amount_fen, branch_id=None,
                                         effective_on=body.effective_on), str(year))


@router.post("/funds/{year}/spending", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Spend from the special fund on a venue or an activity; beyond the balance is refused")
async def spend(year: YearPath, body: Annotated[NewSpending, Body(NewSpending, example=NewSpending(
        amount_fen=1_200_000, spent_for="venue", target_id="lecture-hall", note="讲习所音响"))], app: Fac,
        who: Admin) -> MsgspecResponse:
    spending_id = body.spending_id or new_id()
    return accepted(await app.spend(spending_id=spending_id, year=year, amount_fen=body.amount_fen, note=body.note,
                                    spent_for=body.spent_for, target_id=body.target_id, branch_id=None,
                                    effective_on=body.effective_on), spending_id, 201)


@router.get("/funds", responses=response_schema(Page[BudgetLine]),
            summary="The year's budgets, spent and remaining: the special fund first, then each branch's own",
            dependencies=[ReadYourWrites(FACILITIES)])
async def budgets(year: Year, app: Fac, who: Reader, paging: Paging,
                  branch_id: Id | None = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    return MsgspecResponse(page_of(await fq.budgets(app.pool, year, branch_id, include_park=branch_id is None), paging))


@router.get("/funds/{year}/spending", responses=response_schema(Page[SpendingLine]),
            summary="The special fund's spending entries of the year by date, paged",
            dependencies=[ReadYourWrites(FACILITIES)])
async def spending(year: YearPath, app: Fac, who: Reader, paging: Paging) -> MsgspecResponse:
    return MsgspecResponse(page_of(await fq.spending(app.pool, year), paging))


@router.put("/branches/{branch_id}/funds/{year}/budget", responses=ACCEPTED,
            summary="Set (or revise) a branch's own, enterprise-funded budget for the year")
async def set_branch_budget(branch_id: Id, year: YearPath, body: Annotated[NewBudget, Body(NewBudget)], app: Fac,
                            who: Admin) -> MsgspecResponse:
    return accepted(await app.set_budget(year=year, amount_fen=body.amount_fen, branch_id=branch_id,
                                         effective_on=body.effective_on), branch_id)


@router.post("/branches/{branch_id}/funds/{year}/spending", status_code=201, responses=CREATED,
             dependencies=[Idempotent], summary="Spend from the branch's own budget; beyond the balance is refused")
async def branch_spend(branch_id: Id, year: YearPath, body: Annotated[NewSpending, Body(NewSpending)], app: Fac,
                       who: BranchStaff) -> MsgspecResponse:
    ensure_branch(who, branch_id)
    spending_id = body.spending_id or new_id()
    return accepted(await app.spend(spending_id=spending_id, year=year, amount_fen=body.amount_fen, note=body.note,
                                    spent_for="activity", target_id=branch_id, branch_id=branch_id,
                                    effective_on=body.effective_on), spending_id, 201)


@router.get("/branches/{branch_id}/funds/{year}/spending", responses=response_schema(Page[SpendingLine]),
            summary="A branch's spending entries of the year by date, paged", dependencies=[ReadYourWrites(FACILITIES)])
async def branch_spending(branch_id: Id, year: YearPath, app: Fac, who: Reader, paging: Paging) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id) or branch_id
    return MsgspecResponse(page_of(await fq.spending(app.pool, year, branch_id), paging))


# --- export ------------------------------------------------------------------------------------------


@router.get("/exports/facilities.xlsx", response_class=Response, summary="Venues, bookings and funds as a workbook",
            responses=xlsx_openapi("阵地、预约、经费预算、支出明细"), dependencies=[ReadYourWrites(FACILITIES)])
async def facilities_export(year: Year, app: Fac, who: Reader) -> Response:
    branch_id = readable_branch(who, None)
    budgets = await fq.budgets(app.pool, year, branch_id, include_park=branch_id is None)
    entries = [s for b in budgets for s in await fq.spending(app.pool, year, b.scope)]
    return xlsx_sheets_response([
        Sheet("阵地", ["编号", "名称", "类别", "分组", "位置", "可预约"],
              [[v.venue_id, v.name, KIND_ZH[v.kind], GROUP_ZH[v.group], v.location, "是" if v.bookable else "否"]
               for v in await fq.venues(app.pool)]),
        Sheet("预约", ["预约编号", "阵地", "开始", "结束", "用途", "预约人", "已取消", "取消原因"],
              [[b.booking_id, b.venue_name, b.starts_at.replace(tzinfo=None), b.ends_at.replace(tzinfo=None),
                b.purpose, b.booked_by, "是" if b.cancelled else "否", b.cancel_reason]
               for b in await fq.bookings(app.pool, app.runtime.settings.zone, venue_id=None, day=None,
                                          include_cancelled=True)
               if b.starts_at.year == year]),
        Sheet(f"经费预算（{year}）", ["预算", "预算（元）", "已支出（元）", "余额（元）"],
              [[b.scope_name, _yuan(b.budget_fen), _yuan(b.spent_fen), _yuan(b.remaining_fen)] for b in budgets]),
        Sheet(f"支出明细（{year}）", ["支出编号", "预算", "日期", "金额（元）", "用于", "对象", "说明"],
              [[s.spending_id, "党建专项资金" if s.scope == PARK else s.scope, s.spent_on, _yuan(s.amount_fen),
                FOR_ZH.get(s.spent_for, s.spent_for), s.target_id, s.note] for s in entries]),
    ], f"facilities-{year}.xlsx")

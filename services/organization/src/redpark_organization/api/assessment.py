"""The quarterly assessment (季度考核): rules, scorecards per quarter, closing a quarter, departments,
award eligibility and the XLSX export. Writes: park_admin. Reads: park_admin, auditor; a branch
secretary reads its own branch's card only."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path, Query, Response

from redpark_contracts.organization_assessment import (
    DepartmentItem,
    DepartmentItemScore,
    ItemScore,
    ScoringItem,
    UnitKind,
    VetoCondition,
)
from redpark_platform.clock import new_id
from redpark_platform.exports import Sheet, xlsx_openapi, xlsx_sheets_response
from redpark_platform.web import Body, Idempotent, MsgspecResponse, Principal, ensure_branch, response_schema
from redpark_platform.web.bounded import Id, Score
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page, page_of

from ..domain.assessment import normalize_quarter
from ..projections.assessment_facts import NAME as FACTS
from ..projections.park import NAME as PARK
from ..projections.rosters import NAME as ROSTERS
from ..queries import assessment as aq
from .deps import Admin, Assess, Reader

router = APIRouter(tags=["assessment"])


Quarter = Annotated[str, Query(description="YYYY-Qn; the current quarter when omitted")]
KIND = {"branch": "党支部", "general_branch": "党总支", "department": "园区部门"}


# A card reads the rosters and the park (who belongs where) as well as the facts.
READS = (FACTS, ROSTERS, PARK)


def _own(who: Principal) -> str | None:
    """None for park-wide readers; a branch secretary sees its own branch only."""
    if {"park_admin", "auditor"} & set(who.roles):
        return None
    return who.branch_id or ""


class RulesBody(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ScoringItem]
    veto: list[VetoCondition] = []
    department_items: list[DepartmentItem] = []
    award_threshold: Score


class RulesView(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    is_default: bool
    items: list[ScoringItem]
    veto: list[VetoCondition]
    department_items: list[DepartmentItem]
    award_threshold: float


class CardRow(msgspec.Struct, frozen=True, kw_only=True):
    unit_kind: UnitKind
    unit_id: str
    name: str
    score: float
    possible: float
    vetoed: bool
    veto_reasons: list[str]
    facts_as_of: date | None  # the day whose rosters and coverage the card was counted on


class QuarterCards(msgspec.Struct, frozen=True, kw_only=True):
    quarter: str
    status: str
    closed_on: date | None
    award_threshold: float
    scorecards: Page[CardRow]


class CardView(msgspec.Struct, frozen=True, kw_only=True):
    """One unit's card with every item: the fact, the target, points earned and possible, the rule."""

    quarter: str
    status: str
    closed_on: date | None
    unit_kind: UnitKind
    unit_id: str
    name: str
    score: float
    possible: float
    vetoed: bool
    veto_reasons: list[str]
    facts_as_of: date | None  # the day whose rosters and coverage the card was counted on
    items: list[ItemScore]


class NewDepartment(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    head: str
    department_id: Id | None = None


class DepartmentScores(msgspec.Struct, frozen=True, kw_only=True):
    items: list[DepartmentItemScore]
    vetoed: bool = False
    veto_reason: str = ""


class Eligibility(msgspec.Struct, frozen=True, kw_only=True):
    unit_id: str
    year: int
    eligible: bool
    reason: str


# --- rules ---------------------------------------------------------------------------------------


@router.get("/assessment/rules/{year}", responses=response_schema(RulesView),
            summary="The scoring rules of a year (the documented defaults until the park sets its own)",
            dependencies=[ReadYourWrites(*READS)])
async def get_rules(year: Annotated[int, Path(ge=2000, le=2100)], app: Assess, who: Reader) -> MsgspecResponse:
    r = await app.rules(year)
    return MsgspecResponse(RulesView(year=year, is_default=r.is_default, items=r.items, veto=r.veto,
                                     department_items=r.department_items, award_threshold=r.award_threshold))


@router.put("/assessment/rules/{year}", responses=response_schema(Accepted),
            summary="Set the year's items, weights, targets, veto conditions and award threshold")
async def put_rules(year: Annotated[int, Path(ge=2000, le=2100)], body: Annotated[RulesBody, Body(RulesBody)],
                    app: Assess,
                    who: Admin) -> MsgspecResponse:
    result = await app.set_rules(year=year, items=body.items, veto=body.veto,
                                 department_items=body.department_items, award_threshold=body.award_threshold,
                                 by=who.subject)
    return accepted(result, str(year))


# --- scorecards ----------------------------------------------------------------------------------


@router.get("/assessment/scorecards", responses=response_schema(QuarterCards),
            summary="Every unit's score in a quarter: live until closed, the closed snapshot after",
            dependencies=[ReadYourWrites(*READS)])
async def list_cards(app: Assess, who: Reader, paging: Paging, quarter: Quarter = "",
                     kind: UnitKind | None = None) -> MsgspecResponse:
    view = await app.quarter(quarter or app.current_quarter())
    own = _own(who)
    rows = [CardRow(unit_kind=c.unit_kind, unit_id=c.unit_id, name=c.name, score=c.score, possible=c.possible,
                    vetoed=c.vetoed, veto_reasons=c.veto_reasons, facts_as_of=c.facts_as_of)
            for c in view.scorecards
            if kind in (None, c.unit_kind) and own in (None, c.unit_id)]
    return MsgspecResponse(QuarterCards(quarter=view.quarter, status=view.status, closed_on=view.closed_on,
                                        award_threshold=view.award_threshold,
                                        scorecards=page_of(rows, paging)))


@router.get("/assessment/scorecards/{unit_id}", responses=response_schema(CardView),
            summary="One branch's (or the general branch's, or a department's) card with its items",
            dependencies=[ReadYourWrites(*READS)])
async def one_card(unit_id: Id, app: Assess, who: Reader, quarter: Quarter = "") -> MsgspecResponse:
    if _own(who) is not None:
        ensure_branch(who, unit_id)
    view, c = await app.card(quarter or app.current_quarter(), unit_id)
    return MsgspecResponse(CardView(quarter=view.quarter, status=view.status, closed_on=view.closed_on,
                                    unit_kind=c.unit_kind, unit_id=c.unit_id, name=c.name, score=c.score,
                                    possible=c.possible, vetoed=c.vetoed, veto_reasons=c.veto_reasons,
                                    facts_as_of=c.facts_as_of, items=c.items))


@router.post("/assessment/quarters/{quarter}/close", status_code=201,
             responses=response_schema(Accepted, status=201), dependencies=[Idempotent],
             summary="Close an ended quarter: its scorecards are stored and never change")
async def close(quarter: str, app: Assess, who: Admin) -> MsgspecResponse:
    result = await app.close_quarter(quarter, who.subject)
    return accepted(result, normalize_quarter(quarter), 201)


@router.get("/assessment/eligibility/{unit_id}", responses=response_schema(Eligibility),
            summary="Award eligibility of a branch or department for a year (closed quarters only)",
            dependencies=[ReadYourWrites(*READS)])
async def eligibility(unit_id: Id, app: Assess, who: Reader,
                      year: Annotated[int, Query(ge=2000, le=2100)]) -> MsgspecResponse:
    if _own(who) is not None:
        ensure_branch(who, unit_id)
    ok, reason = await app.award_eligibility(unit_id, year)
    return MsgspecResponse(Eligibility(unit_id=unit_id, year=year, eligible=ok, reason=reason))


@router.get("/exports/assessment.xlsx", response_class=Response,
            summary="A quarter's scorecards as a workbook",
            responses=xlsx_openapi("季度考核：汇总与明细（含一票否决）"), dependencies=[ReadYourWrites(*READS)])
async def export(app: Assess, who: Reader, quarter: Quarter = "") -> Response:
    view = await app.quarter(quarter or app.current_quarter())
    own = _own(who)
    cards = [c for c in view.scorecards if own in (None, c.unit_id)]
    status = "已关账" if view.status == "closed" else "实时"
    summary = [[view.quarter, status, KIND.get(c.unit_kind, c.unit_kind), c.unit_id, c.name, c.score,
                c.possible, "是" if c.vetoed else "否", "；".join(c.veto_reasons), c.facts_as_of] for c in cards]
    detail = [[KIND.get(c.unit_kind, c.unit_kind), c.unit_id, c.name, i.label, i.fact, i.target,
               i.points_earned, i.points_possible, i.rule_text] for c in cards for i in c.items]
    return xlsx_sheets_response([
        Sheet("考核汇总", ["季度", "状态", "类型", "单位编号", "单位名称", "得分", "满分", "一票否决", "否决原因",
                       "名册与覆盖截至"],
              summary),
        Sheet("考核明细", ["类型", "单位编号", "单位名称", "考核项目", "实际", "目标", "得分", "分值", "考核细则"],
              detail),
    ], f"assessment-{view.quarter}.xlsx")


# --- departments -----------------------------------------------------------------------------------


@router.post("/departments", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Register a park department (assessed by the general branch)")
async def register_department(body: Annotated[NewDepartment, Body(NewDepartment, example=NewDepartment(
        name="招商服务部", head="王五"))], app: Assess, who: Admin) -> MsgspecResponse:
    department_id = body.department_id or new_id()
    return accepted(await app.register_department(department_id, body.name, body.head), department_id, 201)


@router.get("/departments", responses=response_schema(Page[aq.DepartmentRow]),
            summary="The park's departments, by id, paged", dependencies=[ReadYourWrites(*READS)])
async def list_departments(app: Assess, who: Reader, paging: Paging) -> MsgspecResponse:
    pool = app.runtime.pool
    rows = await aq.departments(pool, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, await aq.count_departments(pool), paging))


@router.put("/departments/{department_id}/scores/{quarter}", responses=response_schema(Accepted),
            summary="The general branch's inspection scores of a department for a quarter (and its veto)")
async def score_department(department_id: Id, quarter: str,
                           body: Annotated[DepartmentScores, Body(DepartmentScores)], app: Assess,
                           who: Admin) -> MsgspecResponse:
    result = await app.score_department(department_id, quarter, body.items, body.vetoed, body.veto_reason,
                                        who.subject)
    return accepted(result, department_id)


"""Governance (section 三(三)): the rulebook and its posting, inspections → rectification → organizational
handling, the branches' meetings (三会一课、主题党日), missing meetings, the branch record books, and
their XLSX exports. Writes: park_admin; a branch secretary records its own branch's meetings. Reads:
park_admin, auditor, and a branch secretary for its own branch."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Query, Response

from redpark_contracts.organization_governance import MeetingKind
from redpark_platform.clock import new_id
from redpark_platform.exports import Sheet, xlsx_openapi, xlsx_sheets_response
from redpark_platform.web import (
    Body,
    Idempotent,
    MsgspecResponse,
    Principal,
    bounded,
    ensure_branch,
    readable_branch,
    response_schema,
)
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, Dated, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page, page_of

from ..domain.branch_meeting import KIND_ZH
from ..domain.rulebook import GENERAL
from ..projections.development import NAME as DEVELOPMENT
from ..projections.dues import NAME as DUES
from ..projections.governance import NAME as GOVERNANCE
from ..projections.park import NAME as PARK
from ..projections.rosters import NAME as ROSTERS
from ..queries import governance as gq
from ..queries.governance import (
    ActivityLine,
    DevelopmentBookLine,
    DuesBookLine,
    InspectionLine,
    MeetingLine,
    MissingLine,
    OverdueInspection,
    RecordBook,
    RectificationLine,
    RectificationStatus,
    RuleLine,
    TransferBookLine,
)
from .deps import Admin, BranchStaff, Gov, Reader

router = APIRouter(tags=["governance"])
# Every governance list names branches and members: the rosters as well as its own read model.
READS = (GOVERNANCE, ROSTERS)

Year = Annotated[int | None, Query(ge=2000, le=2100, description="calendar year; all years when omitted")]
AsOf = Annotated[bounded.Day | None, Query(description="the day to judge on; today in the park when omitted")]
ACCEPTED = response_schema(Accepted)
CREATED = response_schema(Accepted, status=201)
OUTCOME = {"passed": "合格", "failed": "不合格", "rectification": "不合格（限期整改）",
           "handling": "不合格（组织处理）"}
REASON = {"half_year_missed": "上一个半年度未检查", "none_in_six_months": "近六个月未检查"}
DIRECTION = {"in": "转入", "out": "转出"}


def _reader_branch(who: Principal, branch_id: str) -> None:
    # park-wide readers read any branch; a branch secretary its own only
    if not {"park_admin", "auditor"} & set(who.roles):
        ensure_branch(who, branch_id)


# --- rulebook ---------------------------------------------------------------------------------------


class RuleText(msgspec.Struct, frozen=True, kw_only=True):
    text: str
    title: str = ""  # the plan's title when empty
    effective_on: date | None = None


@router.get("/rulebook", responses=response_schema(Page[RuleLine]),
            summary="The rules each holder must keep (general branch: 10, branch: 7), defined and posted or not",
            dependencies=[ReadYourWrites(*READS)])
async def rulebook(app: Gov, who: Reader, paging: Paging,
                   holder_id: Id | None = None) -> MsgspecResponse:
    if holder_id != GENERAL:
        holder_id = readable_branch(who, holder_id)
    return MsgspecResponse(page_of(await gq.rules(app.pool, holder_id), paging))


@router.put("/rulebook/{holder_id}/{rule_key}", responses=ACCEPTED,
            summary="Define (or amend) a rule's text; holder_id is 'general' or a branch id")
async def define_rule(holder_id: Id, rule_key: str, body: Annotated[RuleText, Body(RuleText, example=RuleText(
        text="支部委员会每月召开一次，党员大会每季度召开一次。"))], app: Gov, who: Admin) -> MsgspecResponse:
    return accepted(await app.define_rule(holder_id, rule_key, body.title, body.text, body.effective_on), rule_key)


@router.post("/rulebook/{holder_id}/{rule_key}/posting", responses=ACCEPTED, summary="The rule is posted (上墙)")
async def post_rule(holder_id: Id, rule_key: str, body: Annotated[Dated, Body(Dated)], app: Gov,
                    who: Admin) -> MsgspecResponse:
    return accepted(await app.post_rule(holder_id, rule_key, body.effective_on), rule_key)


@router.post("/rulebook/{holder_id}/{rule_key}/unposting", responses=ACCEPTED, summary="The rule came off the wall")
async def unpost_rule(holder_id: Id, rule_key: str, body: Annotated[Dated, Body(Dated)], app: Gov,
                      who: Admin) -> MsgspecResponse:
    return accepted(await app.unpost_rule(holder_id, rule_key, body.effective_on), rule_key)


# --- inspections and rectifications ---------------------------------------------------------------


class NewInspection(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: Id
    inspected_on: date
    passed: bool
    findings: str = ""
    rectification_deadline: date | None = None  # 30 days after the inspection when omitted
    inspection_id: Id | None = None


@router.post("/inspections", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Record an inspection of a branch; a first failure in the year opens a rectification, "
                     "a second flags organizational handling")
async def record_inspection(body: Annotated[NewInspection, Body(NewInspection, example=NewInspection(
        branch_id="br1", inspected_on=date(2025, 6, 1), passed=False, findings="会议记录不全"))], app: Gov,
        who: Admin) -> MsgspecResponse:
    inspection_id = body.inspection_id or new_id()
    return accepted(await app.record_inspection(
        inspection_id=inspection_id, branch_id=body.branch_id, inspected_on=body.inspected_on, passed=body.passed,
        findings=body.findings, rectification_deadline=body.rectification_deadline, by=who.subject), inspection_id, 201)


@router.get("/inspections", responses=response_schema(Page[InspectionLine]),
            summary="Inspections by date, paged, with their outcome", dependencies=[ReadYourWrites(*READS)])
async def inspections(app: Gov, who: Reader, paging: Paging, branch_id: Id | None = None,
                      year: Year = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    rows, total = await gq.inspections(app.pool, branch_id, year, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, total, paging))


@router.get("/inspections/overdue", responses=response_schema(Page[OverdueInspection]),
            summary="Branches whose inspections are overdue (a half-year missed, or none in six months)",
            dependencies=[ReadYourWrites(*READS)])
async def overdue_inspections(app: Gov, who: Reader, paging: Paging,
                              branch_id: Id | None = None, as_of: AsOf = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    return MsgspecResponse(page_of(await gq.overdue_inspections(app.pool, as_of or app.today(), branch_id), paging))


@router.get("/rectifications", responses=response_schema(Page[RectificationLine]),
            summary="Rectifications by deadline, paged; status=overdue lists those past their deadline",
            dependencies=[ReadYourWrites(*READS)])
async def rectifications(app: Gov, who: Reader, paging: Paging, branch_id: Id | None = None,
                         status: RectificationStatus | None = None, as_of: AsOf = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    return MsgspecResponse(page_of(await gq.rectifications(app.pool, branch_id, status, as_of or app.today()), paging))


@router.post("/branches/{branch_id}/rectifications/{rectification_id}/completion", responses=ACCEPTED,
             summary="The branch completed a rectification")
async def complete_rectification(branch_id: Id, rectification_id: Id, body: Annotated[Dated, Body(Dated)],
                                 app: Gov, who: Admin) -> MsgspecResponse:
    return accepted(await app.complete_rectification(branch_id, rectification_id, body.effective_on),
                    rectification_id)


# --- meetings (三会一课、主题党日) ------------------------------------------------------------------


class NewMeeting(msgspec.Struct, frozen=True, kw_only=True):
    kind: MeetingKind
    held_on: date
    topic: str
    attendee_ids: list[Id]
    minutes: str
    meeting_id: Id | None = None


@router.post("/branches/{branch_id}/meetings", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Record a meeting the branch held; attendees must be on its roster that day")
async def hold_meeting(branch_id: Id, body: Annotated[NewMeeting, Body(NewMeeting, example=NewMeeting(
        kind="theme_day", held_on=date(2025, 6, 1), topic="学习党章", attendee_ids=["m1", "m2"],
        minutes="书记领学党章第一章。"))], app: Gov, who: BranchStaff) -> MsgspecResponse:
    ensure_branch(who, branch_id)
    meeting_id = body.meeting_id or new_id()
    return accepted(await app.hold_meeting(
        meeting_id=meeting_id, branch_id=branch_id, kind=body.kind, held_on=body.held_on, topic=body.topic,
        attendee_ids=body.attendee_ids, minutes=body.minutes, by=who.subject), meeting_id, 201)


@router.get("/branches/{branch_id}/meetings", responses=response_schema(Page[MeetingLine]),
            summary="The branch's meetings by date, paged", dependencies=[ReadYourWrites(*READS)])
async def branch_meetings(branch_id: Id, app: Gov, who: Reader, paging: Paging,
                          kind: MeetingKind | None = None, year: Year = None) -> MsgspecResponse:
    _reader_branch(who, branch_id)
    rows, total = await gq.meetings(app.pool, branch_id, kind, year, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, total, paging))


@router.get("/meetings/missing", responses=response_schema(Page[MissingLine]),
            summary="Meetings missing per branch per month or quarter of a year (ended periods only)",
            dependencies=[ReadYourWrites(*READS)])
async def missing_meetings(app: Gov, who: Reader, paging: Paging,
                           branch_id: Id | None = None, year: Year = None, as_of: AsOf = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    day = as_of or app.today()
    return MsgspecResponse(page_of(await gq.missing_meetings(app.pool, year or day.year, day, branch_id), paging))


def _record_book_route(book: RecordBook, row: type, title: str) -> None:
    async def route(branch_id: Id, app: Gov, who: Reader, paging: Paging) -> MsgspecResponse:
        _reader_branch(who, branch_id)
        return MsgspecResponse(page_of(await gq.record_book(app.pool, branch_id, book), paging))

    route.__name__ = f"record_book_{book}"
    router.get(f"/branches/{{branch_id}}/record-books/{book}", responses=response_schema(Page[row]),  # type: ignore[valid-type]
               summary=f"The branch's {title}, oldest first, paged",
               dependencies=[ReadYourWrites(*READS, DUES, DEVELOPMENT, PARK)])(route)


for _book, _row, _title in (("study", MeetingLine, "study record (学习记录本): party lessons and theme days"),
                            ("activities", ActivityLine, "activity record (党员活动记录本): a line per attendee"),
                            ("transfers", TransferBookLine, "transfer record (党员转接记录本)"),
                            ("dues", DuesBookLine, "dues register (党费收缴登记本) of its current members"),
                            ("development", DevelopmentBookLine,
                             "development files (党员发展档案) of its enterprises' people")):
    _record_book_route(_book, _row, _title)  # type: ignore[arg-type]


# --- exports ----------------------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return "是" if value else "否"


@router.get("/exports/governance.xlsx", response_class=Response, summary="Governance ledgers as a workbook",
            responses=xlsx_openapi("制度建设、检查记录、整改、检查逾期、三会一课、缺会情况"),
            dependencies=[ReadYourWrites(*READS)])
async def governance_export(app: Gov, who: Reader, year: Year = None,
                            as_of: AsOf = None) -> Response:
    branch_id = readable_branch(who, None)
    day = as_of or app.today()
    year = year or day.year
    rules = [r for r in await gq.rules(app.pool) if branch_id is None or r.holder_id in (branch_id, GENERAL)]
    inspections, _ = await gq.inspections(app.pool, branch_id, year)
    meetings, _ = await gq.meetings(app.pool, branch_id, None, year)
    return xlsx_sheets_response([
        Sheet("制度建设", ["组织", "制度", "已建立", "建立日期", "已上墙", "上墙日期", "制度内容"],
              [[r.holder_name, r.title, _yes(r.defined), r.defined_on, _yes(r.posted), r.posted_on, r.text]
               for r in rules]),
        Sheet(f"检查记录（{year}）", ["检查编号", "支部", "检查日期", "结论", "检查发现"],
              [[i.inspection_id, i.branch_name, i.inspected_on, OUTCOME.get(i.outcome, i.outcome), i.findings]
               for i in inspections]),
        Sheet("整改", ["整改编号", "支部", "检查编号", "开始日期", "整改期限", "完成日期", "已逾期"],
              [[r.rectification_id, r.branch_name, r.inspection_id, r.opened_on, r.deadline, r.completed_on,
                _yes(r.overdue)] for r in await gq.rectifications(app.pool, branch_id, None, day)]),
        Sheet("检查逾期", ["支部编号", "支部", "成立日期", "最近检查日期", "本年检查次数", "原因"],
              [[o.branch_id, o.branch_name, o.established_on, o.last_inspected_on, o.inspections_this_year,
                "、".join(REASON.get(x, x) for x in o.reasons)]
               for o in await gq.overdue_inspections(app.pool, day, branch_id)]),
        Sheet(f"三会一课（{year}）",
              ["会议编号", "支部编号", "类型", "日期", "主题", "参会人数", "参会人员", "会议记录"],
              [[m.meeting_id, m.branch_id, KIND_ZH.get(m.kind, m.kind), m.held_on, m.topic, len(m.attendee_ids),
                "、".join(m.attendee_names), m.minutes] for m in meetings]),
        Sheet(f"缺会情况（{year}）", ["支部编号", "支部", "会议类型", "期间", "期间截止"],
              [[m.branch_id, m.branch_name, KIND_ZH.get(m.kind, m.kind), m.period, m.period_ends_on]
               for m in await gq.missing_meetings(app.pool, year, day, branch_id)]),
    ], f"governance-{year}.xlsx")


@router.get("/exports/branches/{branch_id}/record-books.xlsx", response_class=Response,
            summary="The branch's record books as a workbook",
            responses=xlsx_openapi("学习记录本、党员活动记录本、党员转接记录本、党费收缴登记本、党员发展档案"),
            dependencies=[ReadYourWrites(*READS, DUES, DEVELOPMENT, PARK)])
async def record_books_export(branch_id: Id, app: Gov, who: Reader) -> Response:
    _reader_branch(who, branch_id)
    books: dict[str, list[Any]] = {b: await gq.record_book(app.pool, branch_id, b)
                                   for b in ("study", "activities", "transfers", "dues", "development")}
    return xlsx_sheets_response([
        Sheet("学习记录本", ["日期", "类型", "主题", "参会人员", "记录"],
              [[m.held_on, KIND_ZH.get(m.kind, m.kind), m.topic, "、".join(m.attendee_names), m.minutes]
               for m in books["study"]]),
        Sheet("党员活动记录本", ["日期", "类型", "主题", "党员编号", "姓名"],
              [[a.held_on, KIND_ZH.get(a.kind, a.kind), a.topic, a.member_id, a.member_name]
               for a in books["activities"]]),
        Sheet("党员转接记录本", ["党员编号", "姓名", "转接", "对方组织", "日期"],
              [[t.member_id, t.member_name, DIRECTION.get(t.direction, t.direction), t.organization,
                t.transferred_on] for t in books["transfers"]]),
        Sheet("党费收缴登记本", ["党员编号", "姓名", "月份", "金额(元)", "缴纳日期"],
              [[d.member_id, d.member_name, d.month, d.amount_fen / 100, d.paid_on] for d in books["dues"]]),
        Sheet("党员发展档案", ["人员编号", "姓名", "所在企业编号", "当前阶段", "申请入党日期", "确定积极分子日期",
                         "确定发展对象日期", "接收预备党员日期", "转正日期"],
              [[p.person_id, p.name, p.enterprise_id or "", p.stage,
                *(p.reached.get(s) for s in ("applicant", "activist", "candidate", "probationary", "full"))]
               for p in books["development"]]),
    ], f"record-books-{branch_id}.xlsx")

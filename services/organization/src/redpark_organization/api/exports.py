"""The ledgers (管理台账) as XLSX workbooks with Chinese headers: census, coverage, branch rosters,
dues arrears, development pipeline. Phone and ID numbers are masked unless a park administrator
asks for them in full (`personal=full`); a branch secretary exports its own branch only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from redpark_platform.calendar import park_date
from redpark_platform.exports import Sheet, xlsx_openapi, xlsx_sheets_response
from redpark_platform.web import readable_branch
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import ReadYourWrites

from ..domain.census import classify
from ..domain.coverage import coverage
from ..projections.census import NAME as CENSUS
from ..projections.development import NAME as DEVELOPMENT
from ..projections.dues import NAME as DUES
from ..projections.park import NAME as PARK
from ..projections.rosters import NAME as ROSTERS
from ..queries import census as census_reads
from ..queries import development as development_reads
from ..queries import dues as dues_reads
from ..queries import park as park_reads
from ..queries.personal import Personal, full_view
from .deps import Org, Reader
from .members import roster_lines

router = APIRouter(tags=["exports"], prefix="/exports")

STATUS = {"full": "正式党员", "probationary": "预备党员"}
RELATIONSHIP = {"in_park": "已转入园区", "elsewhere": "未转入（在外单位）"}
KIND = {"enterprise": "独立党支部", "joint": "联合党支部"}
STAGE = {"applicant": "入党申请人", "activist": "入党积极分子", "candidate": "发展对象", "probationary": "预备党员",
         "full": "正式党员"}
PRIORITY = {"legal_representative": "企业法人", "tech_talent": "科技人才", "technical_backbone": "技术骨干"}
CATEGORY = {"democratic_party_member": "民主党派成员", "foreign_national": "外籍人士",
            "non_member_legal_representative": "非党员企业法人", "tech_talent": "非党员科技人才"}
UNCOVERED = {"members_not_organized": "有党员未建立组织", "no_members_no_liaison": "无党员且未派指导员"}
MEMBER_HEADERS = ["党员编号", "姓名", "所在企业", "所在支部", "党员类别", "入党日期", "组织关系", "组织关系所在单位",
                  "手机号码", "身份证号码"]


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


async def _member_rows(org: Org, branch_id: str | None, full: bool,
                       names: dict[str, dict[str, str]]) -> list[list[Any]]:
    return [[m.member_id, m.name, names["enterprise"].get(m.enterprise_id or "", ""),
             names["branch"].get(m.branch_id or "", ""), STATUS.get(m.status, m.status), m.joined_party_on,
             RELATIONSHIP.get(m.relationship, m.relationship), m.relationship_held_by, m.phone, m.id_number]
            for m in await roster_lines(org, branch_id, full)]


@router.get("/census.xlsx", response_class=Response, summary="The census ledger (四个底数) as a workbook",
            responses=xlsx_openapi("党员、企业、统战对象三张表（手机号、身份证号默认脱敏）"),
            dependencies=[ReadYourWrites(PARK, ROSTERS, CENSUS)])
async def census(org: Org, who: Reader, personal: Personal = "masked") -> Response:
    branch_id = readable_branch(who, None)  # None for park-wide readers; a branch secretary's own branch
    full = full_view(who, personal)
    pool = org.runtime.pool
    names = await park_reads.names(pool)
    snapshot = {e.enterprise_id: e for e in (await census_reads.census_snapshot(pool)).enterprises}
    enterprises = [[e.enterprise_id, e.name, names["building"].get(e.building_id, e.building_id), e.floor, e.headcount,
                    _yes(e.is_tech_enterprise), e.legal_representative, e.moved_in_on,
                    snapshot[e.enterprise_id].full_members if e.enterprise_id in snapshot else 0,
                    snapshot[e.enterprise_id].probationary_members if e.enterprise_id in snapshot else 0,
                    snapshot[e.enterprise_id].members_elsewhere if e.enterprise_id in snapshot else 0,
                    _yes(e.enterprise_id in snapshot and classify(snapshot[e.enterprise_id]) == "can_form_own_branch"),
                    names["branch"].get(e.branch_id or "", ""), names["member"].get(e.liaison_instructor_id or "", "")]
                   for e in await park_reads.enterprises(pool, in_park_only=True)]
    contacts = [[c.person_id, c.name, names["enterprise"].get(c.enterprise_id or "", ""),
                 "、".join(CATEGORY.get(x, x) for x in c.categories)] for c in await census_reads.contacts(pool)]
    return xlsx_sheets_response([
        Sheet("党员", MEMBER_HEADERS, await _member_rows(org, branch_id, full, names)),
        Sheet("企业", ["企业编号", "企业名称", "楼栋", "楼层", "员工人数", "科技型企业", "法定代表人", "入驻日期",
                     "正式党员数", "预备党员数", "组织关系未转入党员数", "可单独建支部", "所在支部", "联络指导员"],
              enterprises),
        Sheet("统战对象与人才", ["人员编号", "姓名", "所在企业", "类别"], contacts),
    ], "census.xlsx")


@router.get("/coverage.xlsx", response_class=Response, summary="Coverage by zone and building as a workbook",
            responses=xlsx_openapi("覆盖率：按分区、按楼栋、未覆盖企业"), dependencies=[ReadYourWrites(PARK, ROSTERS)])
async def coverage_export(org: Org, who: Reader) -> Response:
    pool = org.runtime.pool
    names = await park_reads.names(pool)
    cov = coverage(await census_reads.census_snapshot(pool))
    return xlsx_sheets_response([
        Sheet("按分区", ["分区编号", "分区名称", "企业总数", "已覆盖企业", "覆盖率(%)"],
              [[z.zone_id, names["zone"].get(z.zone_id, z.zone_id), z.total, z.covered, _percent(z.rate)]
               for z in cov.by_zone]
              + [["合计", "全园区", cov.overall.total, cov.overall.covered, _percent(cov.overall.rate)]]),
        Sheet("按楼栋", ["楼栋编号", "楼栋名称", "分区", "企业总数", "已覆盖企业", "覆盖率(%)"],
              [[b.building_id, names["building"].get(b.building_id, b.building_id),
                names["zone"].get(b.zone_id, b.zone_id), b.total, b.covered, _percent(b.rate)]
               for b in cov.by_building]),
        Sheet("未覆盖企业", ["企业编号", "企业名称", "楼栋", "分区", "原因"],
              [[u.enterprise_id, names["enterprise"].get(u.enterprise_id, u.enterprise_id),
                names["building"].get(u.building_id, u.building_id), names["zone"].get(u.zone_id, u.zone_id),
                UNCOVERED.get(u.reason, u.reason)] for u in cov.uncovered]),
    ], "coverage.xlsx")


@router.get("/branch-rosters.xlsx", response_class=Response, summary="Branches and their rosters as a workbook",
            responses=xlsx_openapi("支部一览与支部党员名册（手机号、身份证号默认脱敏）"),
            dependencies=[ReadYourWrites(ROSTERS)])
async def branch_rosters(org: Org, who: Reader, branch_id: Id | None = None,
                         personal: Personal = "masked") -> Response:
    branch_id = readable_branch(who, branch_id)
    full = full_view(who, personal)
    pool = org.runtime.pool
    names = await park_reads.names(pool)
    branches = [b for b in await park_reads.branches(pool) if b.active and branch_id in (None, b.branch_id)]
    member = names["member"]
    overview = [[b.branch_id, b.name, KIND.get(b.kind, b.kind), b.established_on, member.get(b.secretary_id or "", ""),
                 member.get(b.deputy_secretary_id or "", ""),
                 "、".join(member.get(m, m) for m in b.committee_member_ids),
                 b.members, b.full_members, "、".join(names["building"].get(x, x) for x in b.buildings)]
                for b in branches]
    rows = [r for r in await _member_rows(org, branch_id, full, names) if r[3]]
    rows.sort(key=lambda r: (r[3], r[0]))
    return xlsx_sheets_response([
        Sheet("支部一览", ["支部编号", "支部名称", "类型", "成立日期", "书记", "副书记", "委员", "党员数", "正式党员数",
                       "负责楼栋"], overview),
        Sheet("支部党员名册", MEMBER_HEADERS, rows),
    ], "branch-rosters.xlsx")


FLAG_ZH = {"three_months": "连续3个月未交，应提醒", "six_months": "连续6个月未交，支部应审查（党章第三十八条）"}


@router.get("/dues-arrears.xlsx", response_class=Response, summary="Dues in arrears as a workbook",
            responses=xlsx_openapi("党费欠缴明细（按支部）"), dependencies=[ReadYourWrites(DUES, ROSTERS)])
async def arrears_export(org: Org, who: Reader,
                         month: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                                            description="through YYYY-MM; this month when omitted")]
                         = None, branch_id: Id | None = None) -> Response:
    branch_id = readable_branch(who, branch_id)
    through = month or park_date(org.now()).strftime("%Y-%m")
    pool = org.runtime.pool
    names = await park_reads.names(pool)
    rows = [[names["branch"].get(b.branch_id or "", "未编入支部"), m.member_id, names["member"].get(m.member_id, ""),
             "、".join(m.months), len(m.months), m.amount_fen / 100, m.consecutive_months, FLAG_ZH.get(m.flag, "")]
            for b in await dues_reads.dues_arrears(pool, through, branch_id) for m in b.members]
    return xlsx_sheets_response([Sheet(f"党费欠缴（截至{through}）",
                                       ["所在支部", "党员编号", "姓名", "欠缴月份", "欠缴月数", "欠缴金额(元)",
                                        "连续欠缴月数", "提示"], rows)],
                                f"dues-arrears-{through}.xlsx")


@router.get("/development-pipeline.xlsx", response_class=Response,
            summary="The development pipeline as a workbook", responses=xlsx_openapi("发展党员台账"),
            dependencies=[ReadYourWrites(DEVELOPMENT)])
async def pipeline_export(org: Org, who: Reader) -> Response:
    pool = org.runtime.pool
    names = await park_reads.names(pool)

    def on(reached: dict[str, date], stage: str) -> date | None:
        return reached.get(stage)

    rows = [[p.person_id, p.name, names["enterprise"].get(p.enterprise_id or "", ""), STAGE.get(p.stage, p.stage),
             "、".join(PRIORITY.get(g, g) for g in p.priority_groups),
             *(on(p.reached, s) for s in ("applicant", "activist", "candidate", "probationary", "full"))]
            for p in await development_reads.pipeline(pool)]
    return xlsx_sheets_response([Sheet("发展党员", ["人员编号", "姓名", "所在企业", "当前阶段", "重点培养对象",
                                                "申请入党日期", "确定积极分子日期", "确定发展对象日期",
                                                "接收预备党员日期", "转正日期"], rows)],
                                "development-pipeline.xlsx")

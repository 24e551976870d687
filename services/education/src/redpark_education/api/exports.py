"""Every compliance list as an XLSX workbook with Chinese headers. Names only, no personal data;
a branch secretary exports its own branch."""

from __future__ import annotations

from fastapi import APIRouter, Response

from redpark_platform.exports import Sheet, xlsx_openapi, xlsx_sheets_response
from redpark_platform.web import readable_branch
from redpark_platform.web.bounded import Id

from .. import queries
from .deps import Edu, Fresh, Period, Reader, Year

router = APIRouter(tags=["exports"], prefix="/exports")

LESSON = {"attended": "已参加", "missing": "缺课", "none_held": "本季度未举办", "not_expected": "不适用"}
STUDY = {"filed": "已完成", "missing": "缺失", "due": "进行中", "not_expected": "不适用"}
GUARANTEE = {"lesson": "大党课", "self_study": "专题自学", "weekly_study": "周学习"}


@router.get("/compliance.xlsx", response_class=Response, summary="The three guarantees of a period as a workbook",
            responses=xlsx_openapi("党员三个保证、支部汇总、迟交与缺失自学记录、未开展周学习"))
async def compliance(period: Period, edu: Edu, who: Reader, fresh: Fresh,
                     branch_id: Id | None = None) -> Response:
    branch_id = readable_branch(who, branch_id)
    result = await edu.compliance(period, branch_id)
    names = await queries.branch_names(edu.pool)
    members = [[m.member_id, m.name, names.get(m.branch_id, m.branch_id), LESSON[m.lesson], STUDY[m.self_study],
                STUDY[m.weekly_study], "、".join(GUARANTEE[g] for g in m.missing)] for m in result.members]
    branches = [[b.branch_id, b.name, b.members, b.members_missing_lesson, b.members_missing_self_study,
                 b.weeks_expected, b.weeks_held, "、".join(b.missing_weeks), b.members_fully_compliant]
                for b in result.branches]
    studies = [[m.member_id, m.name, names.get(m.branch_id, m.branch_id), month, "缺失"]
               for m in result.members for month in m.missing_months]
    studies += [[m.member_id, m.name, names.get(m.branch_id, m.branch_id), month, "迟交"]
                for m in result.members for month in m.late_months]
    weeks = [[b.branch_id, b.name, week] for b in result.branches for week in b.missing_weeks]
    return xlsx_sheets_response([
        Sheet("党员三个保证", ["党员编号", "姓名", "所在支部", "大党课", "专题自学", "周学习", "缺项"], members),
        Sheet("支部汇总", ["支部编号", "支部名称", "党员数", "大党课缺课人数", "自学缺失人数", "应开展周数",
                       "已开展周数",
                       "未开展周", "三个保证全部完成人数"], branches),
        Sheet("自学记录迟交与缺失", ["党员编号", "姓名", "所在支部", "月份", "情况"], studies),
        Sheet("未开展周学习", ["支部编号", "支部名称", "周次"], weeks),
    ], f"compliance-{period}.xlsx")


@router.get("/lessons.xlsx", response_class=Response, summary="The year's park lessons and attendance as a workbook",
            responses=xlsx_openapi("大党课一览与出勤"))
async def lessons(year: Year, edu: Edu, who: Reader, fresh: Fresh) -> Response:
    rows = await queries.lessons(edu.pool, year)
    return xlsx_sheets_response([Sheet("大党课", [
        "编号", "标题", "专题", "讲师", "地点", "计划日期", "季度", "举行日期", "应到人数", "实到人数", "补课人数",
        "已取消"],
        [[r.lesson_id, r.title, r.topic, r.lecturer_id, r.venue, r.scheduled_on, r.quarter, r.held_on,
          r.expected_members, r.attended, r.made_up, "是" if r.cancelled else "否"] for r in rows])],
        f"lessons-{year}.xlsx")

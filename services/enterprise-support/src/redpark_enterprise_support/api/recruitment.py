"""人才服务平台, recruitment: hires, talent-fair participations and internship placements as staff lists
(paged, and as XLSX). They are written by the recruitment system's webhooks
(`integrations/recruitment.py`). No list shows a person's phone or political status: a hire shows only
whether the organization was told of a party member (`member_followup`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from redpark_platform.exports import xlsx_openapi, xlsx_response
from redpark_platform.web import MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.paging import Page, Paging

from ..queries.recruitment import (
    FairParticipationRow,
    HireRow,
    PlacementRow,
    hires,
    participations,
    placements,
)
from .deps import FreshRecruitment, Reader, Support

router = APIRouter(tags=["recruitment"])

EnterpriseFilter = Annotated[Id | None, Query(description="only this enterprise")]
BaseFilter = Annotated[Id | None, Query(description="only this internship base")]


@router.get("/hires", responses=response_schema(Page[HireRow]),
            summary="Hires made by enterprises of the park")
async def list_hires(support: Support, who: Reader, fresh: FreshRecruitment, paging: Paging,
                     enterprise_id: EnterpriseFilter = None) -> MsgspecResponse:
    return MsgspecResponse(await hires(support.pool, enterprise_id, paging))


@router.get("/hires.xlsx", response_class=Response, responses=xlsx_openapi("招聘录用台账"),
            summary="Hires as a workbook")
async def export_hires(support: Support, who: Reader, enterprise_id: EnterpriseFilter = None) -> Response:
    rows = (await hires(support.pool, enterprise_id, None)).items
    return xlsx_response("招聘录用", ["录用编号", "企业编号", "企业名称", "岗位", "入职日期", "党员转接跟进"],
                         ([r.hire_id, r.enterprise_id, r.enterprise_name or "", r.position, r.hired_on,
                           "是" if r.member_followup else "否"] for r in rows), "hires.xlsx")


@router.get("/talent-fairs/participations", responses=response_schema(Page[FairParticipationRow]),
            summary="Talent fairs enterprises of the park took part in")
async def list_participations(support: Support, who: Reader, fresh: FreshRecruitment, paging: Paging,
                              enterprise_id: EnterpriseFilter = None) -> MsgspecResponse:
    return MsgspecResponse(await participations(support.pool, enterprise_id, paging))


@router.get("/talent-fairs/participations.xlsx", response_class=Response, responses=xlsx_openapi("招聘会参会台账"),
            summary="Talent-fair participations as a workbook")
async def export_participations(support: Support, who: Reader, enterprise_id: EnterpriseFilter = None) -> Response:
    rows = (await participations(support.pool, enterprise_id, None)).items
    return xlsx_response("招聘会参会", ["参会编号", "企业编号", "企业名称", "招聘会", "日期", "提供岗位数",
                                   "收到简历数"],
                         ([r.participation_id, r.enterprise_id, r.enterprise_name or "", r.fair_name, r.fair_on,
                           r.positions_offered, r.resumes_received] for r in rows), "talent-fair-participations.xlsx")


@router.get("/internship-placements", responses=response_schema(Page[PlacementRow]),
            summary="Students placed at the park's internship bases")
async def list_placements(support: Support, who: Reader, fresh: FreshRecruitment, paging: Paging,
                          base_id: BaseFilter = None) -> MsgspecResponse:
    return MsgspecResponse(await placements(support.pool, base_id, paging))


@router.get("/internship-placements.xlsx", response_class=Response, responses=xlsx_openapi("实习安排台账"),
            summary="Internship placements as a workbook")
async def export_placements(support: Support, who: Reader, base_id: BaseFilter = None) -> Response:
    rows = (await placements(support.pool, base_id, None)).items
    return xlsx_response("实习安排", ["安排编号", "实训基地", "承接企业", "学生", "高校", "专业", "开始日期",
                                  "结束日期"],
                         ([r.placement_id, r.base_id, r.host_enterprise_id or "", r.student_name, r.university,
                           r.major, r.starts_on, r.ends_on] for r in rows), "internship-placements.xlsx")

"""The service's ledgers as XLSX workbooks with Chinese headers (redpark_platform.exports).
No personal field is exported: the phone of whoever raised a need is not in any list."""

from __future__ import annotations

from fastapi import APIRouter, Response

from redpark_platform.calendar import quarter_of
from redpark_platform.exports import Sheet, xlsx_openapi, xlsx_sheets_response

from .. import queries
from .deps import FreshLedger, Reader, Support, Year

router = APIRouter(tags=["exports"], prefix="/exports")

CONTACT_KIND = {"committee_member": "党总支成员", "branch": "党支部"}
CATEGORY = {"any_enterprise": "全部企业", "tech_enterprise": "科技型企业", "non_tech_enterprise": "非科技型企业",
            "small_enterprise": "小微企业"}
HELP = {"leading": "龙头企业", "growing": "成长型企业", "startup": "初创企业"}
NEED_CATEGORY = {"funding": "资金", "talent": "人才", "technology": "技术", "premises": "场地", "policy": "政策",
                 "market": "市场", "other": "其他", "environment": "园区环境", "property": "物业服务"}
URGENCY = {"urgent": "紧急", "high": "较急", "normal": "一般"}
NEED_STATUS = {"raised": "待受理", "accepted": "办理中", "resolved": "已解决", "closed": "已关闭"}
PLATFORM = {"technical": "技术服务平台", "talent": "人才服务平台", "finance": "金融服务平台",
            "resource_sharing": "资源共享平台"}
REQUEST_STATUS = {"submitted": "待受理", "accepted": "办理中", "completed": "已完成", "declined": "不予受理"}
APPLICATION_KIND = {"seed_fund": "科技创业种子资金", "government_fund": "政府扶持资金",
                    "guaranteed_loan": "小额担保贷款"}
APPLICATION_STATUS = {"submitted": "已申请", "reviewed": "已评审", "approved": "已批准", "rejected": "未批准"}
ACTIVITY = {"talent_fair": "人才博览会", "matchmaking": "专题对接会", "summit": "高峰论坛", "roadshow": "项目路演",
            "founder_salon": "创业者主题沙龙", "angel_meeting": "天使面对面"}
QUARTERLY = {"enterprise_symposium": "企业座谈会", "project_negotiation": "项目洽谈会", "team_building": "团建活动",
             "tech_exchange_forum": "科技成果交流和科技创新论坛会"}


def _yuan(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


@router.get("/support-ledger.xlsx", response_class=Response,
            summary="The enterprise-support ledger as a workbook",
            responses=xlsx_openapi("联系点、走访、帮扶计划、困难问题、平台服务、资金申请、实习基地、平台活动、政策宣讲、四个一"))
async def support_ledger(support: Support, who: Reader, fresh: FreshLedger, year: Year = None) -> Response:
    pool = support.pool
    year = year or support.today().year
    names = await queries.enterprise_names(pool)
    enterprises = (await queries.enterprises(pool)).items
    not_visited = {r.enterprise_id for r in (await queries.not_visited(pool, year)).items}
    quarters = [f"{year}-Q{n}" for n in range(1, 5) if f"{year}-Q{n}" <= quarter_of(support.today())]
    quarterlies = [await queries.quarter(pool, q) for q in quarters]
    return xlsx_sheets_response(([
        Sheet("企业与联系点", ["企业编号", "企业名称", "企业类别", "入驻日期", "联系点类型", "联系点",
                         f"{year}年已走访"],
              [[e.enterprise_id, e.name, "、".join(CATEGORY.get(c, c) for c in e.categories if c != "any_enterprise"),
                e.moved_in_on, CONTACT_KIND.get(e.contact_kind or "", ""), e.contact_name or "无",
                "否" if e.enterprise_id in not_visited else "是"] for e in enterprises]),
        Sheet("走访记录", ["走访编号", "企业名称", "走访日期", "走访人", "走访情况"],
              [[v.visit_id, v.enterprise_name, v.visited_on, "、".join(v.visitors), v.findings]
               for v in (await queries.visits(pool, year)).items]),
        Sheet("帮扶计划", ["企业名称", "年度", "企业分类", "帮扶措施", "制订日期", "修订日期"],
              [[names.get(p.enterprise_id, p.enterprise_id), p.year, HELP.get(p.category, p.category),
                "；".join(p.measures), p.adopted_on, p.revised_on]
               for p in (await queries.help_plans(pool, year)).items]),
        Sheet("困难问题", ["问题编号", "企业名称", "类别", "紧急程度", "问题描述", "反映人", "反映日期", "办结时限",
                       "状态", "承办人", "已用天数", "是否超期", "办理结果"],
              [[n.need_id, names.get(n.enterprise_id, n.enterprise_id), NEED_CATEGORY.get(n.category, n.category),
                URGENCY.get(n.urgency, n.urgency), n.description, n.raised_by_name, n.raised_on, n.due_on,
                NEED_STATUS.get(n.status, n.status), n.assignee or "", n.age_days, "是" if n.overdue else "否",
                n.resolution or n.close_reason or ""] for n in (await queries.needs(pool, support.today())).items]),
        Sheet("平台服务目录", ["服务编号", "平台", "服务名称", "提供方", "上线日期", "在架"],
              [[s.service_id, PLATFORM.get(s.platform, s.platform), s.name, s.provider_name, s.listed_on,
                "是" if s.active else "否"] for s in (await queries.services(pool)).items]),
        Sheet("服务申请", ["申请编号", "平台", "服务编号", "企业名称", "状态", "提交日期", "办结日期", "结果"],
              [[r.request_id, PLATFORM.get(r.platform, r.platform), r.service_id,
                names.get(r.enterprise_id, r.enterprise_id), REQUEST_STATUS.get(r.status, r.status), r.submitted_on,
                r.finished_on, r.outcome or ""] for r in (await queries.requests(pool)).items]),
        Sheet("资金申请", ["申请编号", "类型", "企业名称", "批次", "申请金额(元)", "状态", "评审意见", "批准金额(元)",
                       "决定日期"],
              [[a.application_id, APPLICATION_KIND.get(a.kind, a.kind), names.get(a.enterprise_id, a.enterprise_id),
                a.round, _yuan(a.amount_requested_fen), APPLICATION_STATUS.get(a.status, a.status), a.opinion or "",
                _yuan(a.amount_granted_fen), a.decided_on] for a in (await queries.applications(pool)).items]),
        Sheet("实习基地", ["基地编号", "合作高校", "承接企业", "实习岗位数", "建立日期", "关闭日期"],
              [[b.base_id, b.university, names.get(b.host_enterprise_id or "", b.host_enterprise_id or "园区"),
                b.places, b.established_on, b.closed_on] for b in (await queries.internship_bases(pool)).items]),
        Sheet("平台活动", ["活动编号", "类型", "活动名称", "计划日期", "状态", "举办日期", "参加企业数",
                       "其他参加人数", "成果"],
              [[a.activity_id, ACTIVITY.get(a.kind, a.kind), a.title, a.planned_on, a.status, a.held_on,
                len(a.participant_enterprise_ids), a.outside_participants, a.outcomes]
               for a in (await queries.activities(pool)).items]),
        Sheet("政策宣讲", ["企业名称", "政策", "是否已宣讲", "宣讲日期", "方式"],
              [[b.enterprise_name, b.policy_title, "是" if b.delivered else "否", b.delivered_on, b.channel or ""]
               for b in (await queries.briefings(pool)).items]),
        Sheet("四个一", ["季度", "活动", "状态", "名称", "举办日期", "参加企业数", "成果"],
              [[r.quarter, QUARTERLY.get(k, k), "已举办" if held else "未举办", held.title if held else "",
                held.held_on if held else None, len(held.participant_enterprise_ids) if held else 0,
                held.outcomes if held else ""]
               for r in quarterlies for k in QUARTERLY
               for held in [next((q for q in r.quarterlies if q.kind == k and q.status == "held"), None)]]),
    ]), f"support-ledger-{year}.xlsx")

"""The enterprise-support staff console: home with the figures, the needs board (a need moved on
by the existing commands), visits and the enterprises not visited, funding applications, and the
four quarterlies of the year. Pages call the application layer and read models directly."""

from __future__ import annotations

from pathlib import Path

from redpark_platform.console import Console, add_phrases

console = Console("enterprise-support", Path(__file__).resolve().parent.parent / "templates")

add_phrases({
    "服务企业概览": "Enterprise support overview",
    "困难问题": "Needs",
    "困难问题看板": "Needs board",
    "走访": "Visits",
    "资金申请": "Funding applications",
    "四个一": "Four quarterlies",
    "待受理": "Raised",
    "已受理": "Accepted",
    "办理中": "In work",
    "已办结": "Resolved",
    "已关闭": "Closed",
    "逾期": "Overdue",
    "天": "days",
    "受理": "Accept",
    "承办人": "Assignee",
    "记录办理": "Record work",
    "办理情况": "Work done",
    "办结": "Resolve",
    "办结情况": "Resolution",
    "企业": "Enterprise",
    "类别": "Category",
    "紧急程度": "Urgency",
    "提出日期": "Raised on",
    "办理期限": "Due on",
    "问题描述": "Description",
    "该问题不存在": "No such need",
    "已保存": "Saved",
    "年度": "Year",
    "走访记录": "Visits",
    "走访日期": "Visited on",
    "走访人": "Visitors",
    "走访发现": "Findings",
    "本年未走访的企业": "Enterprises not visited this year",
    "最近走访": "Last visited",
    "从未走访": "Never visited",
    "类型": "Kind",
    "批次": "Round",
    "申请金额(元)": "Requested (yuan)",
    "申请日期": "Submitted on",
    "状态": "Status",
    "评审意见": "Review opinion",
    "批准金额(元)": "Granted (yuan)",
    "决定日期": "Decided on",
    "理由": "Reason",
    "季度": "Quarter",
    "已开展": "Held",
    "已计划": "Planned",
    "未开展": "Missing",
    "参与企业": "Enterprises taking part",
    "未落实联系点企业": "Enterprises without a contact point",
})

# What a need's history calls each event.
HISTORY_LABELS = {
    "need.raised": "登记问题",
    "need.accepted": "受理",
    "need.worked": "记录办理",
    "need.resolved": "办结",
    "need.closed": "关闭",
}

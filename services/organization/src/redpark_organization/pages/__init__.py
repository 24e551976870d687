"""The organization's staff console: home with the figures, the building grid as a map (with the
uncovered enterprises, liaison assignment and the proposed grid), branches, a member and an
enterprise, each with its history. Pages call the application layer (`Organization`) and the read
models directly, never HTTP."""

from __future__ import annotations

from pathlib import Path

from redpark_platform.console import Console, add_phrases

console = Console("organization", Path(__file__).resolve().parent.parent / "templates")

# What a history calls each event (`<aggregate>.<name>`).
HISTORY_LABELS = {
    "zone.defined": "设立园区片区",
    "building.registered": "登记楼栋",
    "building.assigned": "楼栋分包给支部",
    "building.released": "楼栋解除分包",
    "building.instructor_appointed": "委派楼栋指导员",
    "building.instructor_withdrawn": "撤回楼栋指导员",
    "enterprise.moved_in": "企业入驻",
    "enterprise.profile_updated": "更新企业信息",
    "enterprise.moved_out": "企业迁出",
    "enterprise.relocated": "企业搬迁",
    "enterprise.joined_branch": "企业纳入支部",
    "enterprise.left_branch": "企业离开支部",
    "enterprise.liaison_instructor_assigned": "选派联络指导员",
    "enterprise.liaison_instructor_withdrawn": "撤回联络指导员",
    "general_branch.established": "成立党总支",
    "general_branch.committee_elected": "党总支换届选举",
    "branch.established": "成立党支部",
    "branch.committee_elected": "支部委员会选举",
    "branch.dissolved": "撤销党支部",
    "member.registered": "党员登记",
    "member.contact_updated": "更新联系方式",
    "member.enterprise_changed": "变更工作单位",
    "member.transferred_in": "组织关系转入",
    "member.transferred_out": "组织关系转出",
    "member.joined_branch": "编入支部",
    "member.left_branch": "离开支部",
    "member.status_changed": "预备党员转正",
    "dues.rate_set": "核定党费标准",
    "dues.paid": "缴纳党费",
    "development.application_received": "递交入党申请",
    "development.stage_advanced": "发展阶段推进",
    "development.quota_set": "下达发展指标",
    "contact.registered": "登记统战对象",
    "contact.updated": "更新统战对象",
    "contact.removed": "移除统战对象",
    "grid.plan_adopted": "采纳网格方案",
}

STATUS = {"full": "正式党员", "probationary": "预备党员"}
RELATIONSHIP = {"in_park": "已转入园区", "elsewhere": "未转入（在园区外）"}
KIND = {"enterprise": "独立支部", "joint": "联合支部"}
STAGE = {"applicant": "入党申请人", "activist": "入党积极分子", "candidate": "发展对象", "probationary": "预备党员",
         "full": "正式党员"}
REASON = {"members_not_organized": "有党员但未建支部", "no_members_no_liaison": "无党员且未派指导员"}
COVER = {"all": "全部覆盖", "some": "部分未覆盖", "none": "均未覆盖", "empty": "暂无企业"}

add_phrases({
    "组织概览": "Organization overview",
    "楼栋网格": "Building grid",
    "党支部": "Branches",
    "组织覆盖率": "Coverage",
    "未覆盖企业": "Enterprises not covered",
    "指派指导员": "Assign instructor",
    "指导员": "Instructor",
    "选派单位": "Sent by",
    "党总支": "General branch",
    "楼栋": "Building",
    "企业": "Enterprise",
    "原因": "Reason",
    "责任支部": "Responsible branch",
    "楼栋指导员": "Building instructor",
    "未分包": "Not assigned",
    "未委派": "None",
    "全部覆盖": "All covered",
    "部分未覆盖": "Some not covered",
    "均未覆盖": "None covered",
    "暂无企业": "No enterprises",
    "建议网格方案": "Proposed grid",
    "采纳方案": "Adopt the plan",
    "拟成立支部": "Branches to form",
    "企业纳入支部": "Enterprises to attach",
    "楼栋分包": "Buildings to assign",
    "需派指导员": "Liaisons needed",
    "暂不能解决": "Unresolved",
    "缺楼栋指导员": "Buildings without an instructor",
    "方案无需调整": "Nothing to change",
    "网格方案已采纳": "Grid plan adopted",
    "指导员已指派": "Instructor assigned",
    "党员": "Member",
    "姓名": "Name",
    "状态": "Status",
    "支部": "Branch",
    "组织关系": "Relationship",
    "转接记录": "Transfers",
    "党费": "Dues",
    "已缴月份": "Months paid",
    "欠缴月份": "Months owed",
    "欠缴金额": "Amount owed",
    "发展阶段": "Development stage",
    "手机号码": "Phone",
    "身份证号码": "ID number",
    "花名册": "Roster",
    "类型": "Kind",
    "成立日期": "Established",
    "书记": "Secretary",
    "党员数": "Members",
    "企业数": "Enterprises",
    "已覆盖": "Covered",
    "未覆盖": "Not covered",
    "覆盖方式": "Covered by",
    "联络指导员": "Liaison instructor",
    "楼层": "Floor",
    "入驻日期": "Moved in",
    "在园": "In the park",
    "已迁出": "Moved out",
    "组织关系未转入": "Transfers pending",
    "党费欠缴": "Dues in arrears",
    "覆盖率趋势": "Coverage trend",
    "无": "None",
    "查看": "Show",
})

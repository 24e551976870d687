"""Every refusal of enterprise-support: code -> kind, English, Chinese. Deciders raise by code
(`raise ERRORS.error("need.unknown", field="need_id", need_id=...)`) and never name an HTTP status;
the web edge answers each kind with its status (conflict 409, not_found 404, invalid 422).
The codes, fields and sentences are what the API has always answered: clients match on them."""

from __future__ import annotations

from redpark_platform.errors import ErrorCatalogue

ERRORS = ErrorCatalogue({
    "activity.exists": ("conflict", "activity {activity_id} already exists", "该活动已存在"),
    "activity.finished": ("conflict", "activity {activity_id} was already held or cancelled", "该活动已举办或已取消"),
    "activity.held_before_planned_day": (
        "invalid", "held {on}, before the planned {planned_on}", "举办日期不能早于计划日期"),
    "activity.no_participants": ("invalid", "record who took part", "请登记参加人员"),
    "activity.title_missing": ("invalid", "an activity needs a title", "请填写活动名称"),
    "activity.unknown": ("not_found", "activity {activity_id} was never planned", "该活动不存在"),
    "application.already_decided": ("conflict", "application {application_id} is already decided", "该申请已有决定"),
    "application.already_reviewed": ("conflict", "application {application_id} is reviewed", "该申请已评审"),
    "application.amount_not_positive": ("invalid", "the amount requested must be above zero", "申请金额必须大于零"),
    "application.approved_without_amount": (
        "invalid", "an approval grants an amount above zero", "批准须填写大于零的金额"),
    "application.date_before_previous_step": (
        "invalid", "{on} is before the previous step ({last_on})",
        "日期不能早于上一步办理日期"),
    "application.duplicate": (
        "conflict", "enterprise {enterprise_id} already applied ({kind}, round {round})",
        "该企业本轮已提交过同类申请"),
    "application.enterprise_not_in_park": (
        "conflict", "enterprise {enterprise_id} is not in the park", "该企业不在园区内"),
    "application.grant_above_request": (
        "conflict", "{granted} fen granted is above the {amount_requested_fen} fen requested",
        "批准金额不能高于申请金额"),
    "application.not_reviewed": (
        "conflict", "application {application_id} must be reviewed before it is decided",
        "申请须先评审再决定"),
    "application.rejected_with_amount": ("invalid", "a rejection grants nothing", "未批准的申请金额应为零"),
    "application.review_incomplete": (
        "invalid", "a review names its reviewer and opinion", "评审须填写评审人和评审意见"),
    "application.round_missing": ("invalid", "name the round (e.g. the year)", "请填写申报批次"),
    "application.unknown": ("not_found", "application {application_id} does not exist", "该申请不存在"),
    "briefing.already_delivered": ("conflict", "the briefing was delivered on {delivered_on}", "该政策已向该企业宣讲"),
    "briefing.not_applicable": (
        "conflict", "policy {policy_id} does not apply to enterprise {enterprise_id} (or it is not in the park)",
        "该政策不适用于该企业，或企业不在园区内"),
    "briefing.policy_not_in_force": ("conflict", "policy {policy_id} is not in force", "该政策不存在或已废止"),
    "contact_point.branch_not_active": ("conflict", "branch {contact_id} is not active", "该支部不存在或已撤销"),
    "contact_point.contact_missing": ("invalid", "name the committee member or branch", "请填写联系人或联系支部"),
    "contact_point.enterprise_not_in_park": (
        "conflict", "enterprise {enterprise_id} is not in the park", "该企业不在园区内"),
    "contact_point.none": ("not_found", "enterprise {enterprise_id} has no contact point", "该企业尚无联系点"),
    "enterprise.unknown": ("not_found", "enterprise {enterprise_id} is not known here", "企业不存在"),
    "help_plan.enterprise_not_in_park": (
        "conflict", "enterprise {enterprise_id} is not in the park", "该企业不在园区内"),
    "help_plan.measures_missing": ("invalid", "a help plan lists at least one measure", "帮扶计划至少包含一项措施"),
    "help_plan.not_visited": (
        "conflict", "visit enterprise {enterprise_id} this year before planning its help",
        "帮扶计划须在当年走访的基础上制订，请先走访该企业"),
    "help_plan.wrong_year": ("invalid", "a plan for {year} is made in {year}", "只能制订当年的帮扶计划"),
    "hire.exists": ("conflict", "hire {hire_id} is already recorded", "该录用记录已存在"),
    "hire.member_name_missing": ("invalid", "{field} is required", "请填写党员姓名"),
    "hire.position_missing": ("invalid", "{field} is required", "请填写录用岗位"),
    "hire.relationship_holder_missing": ("invalid", "{field} is required", "请填写组织关系所在党组织"),
    "internship.base_full": ("conflict", "internship base {base_id} has no place left", "该实训基地名额已满"),
    "internship.base_not_open": ("conflict", "internship base {base_id} is not open", "该实训基地不存在或已关闭"),
    "internship.ends_before_start": ("invalid", "ends_on is before starts_on", "结束日期不能早于开始日期"),
    "internship.placement_exists": ("conflict", "placement {placement_id} is already recorded", "该实习安排已存在"),
    "internship.student_missing": ("invalid", "{field} is required", "请填写学生姓名"),
    "internship.university_missing": ("invalid", "{field} is required", "请填写所在高校"),
    "internship_base.exists": ("conflict", "internship base {base_id} already exists", "该实训基地已存在"),
    "internship_base.host_not_in_park": ("conflict", "the host enterprise is not in the park", "承接企业不在园区内"),
    "internship_base.no_places": ("invalid", "a base offers at least one place", "实训名额必须大于零"),
    "internship_base.not_open": ("not_found", "internship base {base_id} is not open", "该实训基地不存在或已关闭"),
    "internship_base.university_missing": ("invalid", "name the partner university", "请填写合作高校"),
    "need.already_accepted": ("conflict", "need {need_id} is already with {assignee}", "该问题已受理"),
    "need.already_finished": ("conflict", "need {need_id} is already {outcome}", "该问题已办结或已关闭"),
    "need.already_raised": ("conflict", "need {need_id} already exists", "该问题已登记"),
    "need.assignee_missing": ("invalid", "an assignee is required", "请填写承办人"),
    "need.date_before_previous_step": (
        "invalid", "{on} is before the need's previous step ({last_on})",
        "日期不能早于上一步办理日期"),
    "need.description_missing": ("invalid", "a description is required", "请填写问题描述"),
    "need.enterprise_not_in_park": ("conflict", "enterprise {enterprise_id} is not in the park", "该企业不在园区内"),
    "need.not_accepted": ("conflict", "need {need_id} has not been accepted yet", "该问题尚未受理"),
    "need.note_missing": ("invalid", "a note is required", "请填写办理情况"),
    "need.reason_missing": ("invalid", "the reason is required", "请填写关闭原因"),
    "need.resolution_missing": ("invalid", "the resolution is required", "请填写解决情况"),
    "need.unknown": ("not_found", "need {need_id} was never raised", "该问题不存在"),
    "need.unknown_step": ("invalid", "unknown step {action!r}", "无法识别的办理步骤"),
    "participants.not_in_park": ("conflict", "not in the park: {value}", "参加企业中有不在园区内的企业"),
    "policy.audience_missing": ("invalid", "say which enterprises the policy applies to", "请选择适用的企业类别"),
    "policy.exists": ("conflict", "policy {policy_id} was already published", "该政策已发布"),
    "policy.not_in_force": ("not_found", "policy {policy_id} is not in force", "该政策不存在或已废止"),
    "policy.title_missing": ("invalid", "a policy needs a title", "请填写政策名称"),
    # The API's spelling of a quarter, the contract's (the calendar's own refusal says `YYYY-Qn`).
    "quarter.malformed": (
        "invalid", "{field} must be written YYYYQn (n 1-4, year 1900-2199), got {text!r}",
        "季度格式应为 YYYYQn，如 2025Q3"),
    "quarterly.already_held": ("conflict", "the {kind} of {label} was held on {held_on}", "本季度该活动已举办"),
    "quarterly.exists": ("conflict", "the {kind} of {label} is already planned", "本季度该活动已安排"),
    "quarterly.no_participants": ("invalid", "record the enterprises that took part", "请登记参加企业"),
    "quarterly.outside_quarter": ("invalid", "{on} is not in {label}", "举办日期不在该季度内"),
    "quarterly.quarter_over": ("invalid", "{label} is over", "该季度已结束"),
    "quarterly.title_missing": ("invalid", "a quarterly needs a title", "请填写活动名称"),
    "recruitment.enterprise_not_in_park": (
        "conflict", "enterprise {enterprise_id} is not in the park", "该企业不在园区内"),
    "request.already_accepted": ("conflict", "request {request_id} is already accepted", "该服务申请已受理"),
    "request.already_submitted": ("conflict", "request {request_id} already exists", "该服务申请已提交"),
    "request.date_before_previous_step": ("invalid", "{on} is before {last}", "日期不能早于上一步办理日期"),
    "request.duplicate": (
        "conflict", "enterprise {enterprise_id} already has an open request for this service",
        "该企业对此服务已有未办结的申请"),
    "request.enterprise_not_in_park": ("conflict", "enterprise {enterprise_id} is not in the park", "该企业不在园区内"),
    "request.finished": ("conflict", "request {request_id} is already {outcome}", "该服务申请已办结"),
    "request.not_accepted": ("conflict", "request {request_id} has not been accepted", "该服务申请尚未受理"),
    "request.outcome_missing": ("invalid", "record the outcome", "请填写服务结果"),
    "request.reason_missing": ("invalid", "say why the request is declined", "请填写不予受理的原因"),
    "request.unknown": ("not_found", "request {request_id} does not exist", "该服务申请不存在"),
    "service.already_listed": ("conflict", "service {service_id} is already in the catalogue", "该服务已在目录中"),
    "service.name_missing": ("invalid", "a service needs a name", "请填写服务名称"),
    "service.provider_missing": ("invalid", "name the provider of the service", "请填写服务提供方"),
    "service.unknown": ("not_found", "service {service_id} is not in the catalogue", "该服务不存在"),
    "service.withdrawn": ("conflict", "service {service_id} is already withdrawn", "该服务已下架"),
    "talent_fair.name_missing": ("invalid", "{field} is required", "请填写招聘会名称"),
    "talent_fair.negative_count": ("invalid", "{field_value} cannot be negative", "数量不能为负数"),
    "talent_fair.participation_exists": (
        "conflict", "participation {participation_id} is already recorded",
        "该招聘会参会记录已存在"),
    "visit.already_recorded": ("conflict", "visit {visit_id} is already recorded", "该走访已登记"),
    "visit.before_move_in": (
        "invalid", "{on} is before the enterprise moved in ({in_park_since})", "走访日期早于企业入驻日期"),
    "visit.enterprise_not_in_park": (
        "conflict", "enterprise {enterprise_id} is not in the park (never moved in, or left)",
        "该企业不在园区内（未入驻或已迁出），不能登记走访"),
    "visit.findings_missing": ("invalid", "record what the visit found", "请填写走访情况"),
    "visit.visitors_missing": ("invalid", "say who made the visit", "请填写走访人"),
})

# Two codes are worded after the step that was refused (the API answers them so): the second wording.
SECOND_WORDING = ErrorCatalogue({
    "need.not_accepted": (
        "conflict", "need {need_id} cannot be resolved before it was accepted", "问题未受理，不能办结"),
    "service.withdrawn": ("conflict", "service {service_id} is no longer offered", "该服务已下架"),
})

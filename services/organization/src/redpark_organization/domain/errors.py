"""The organization service's refusals, once each: code -> (kind, English, Chinese).

Deciders raise by code (`raise ERRORS.error("building.unknown", field="building_id", building_id=b)`);
the HTTP edge answers the kind's status (conflict 409, not_found 404, invalid 422). Sentences keep
`{name}` placeholders filled from the keywords of `error`."""

from __future__ import annotations

from redpark_platform.errors import ErrorCatalogue

ERRORS = ErrorCatalogue({
    "assessment.quarter_not_ended": (
        "conflict",
        "{quarter} ends on {last}; it can be closed from the next day",
        "季度尚未结束，不能关账"),
    "assessment.quarter_not_started": ("invalid", "{quarter} has not started", "季度尚未开始，不能评分"),
    "awards.already_decided": ("conflict", "nomination {nomination_id} is already decided", "该推荐已作出决定"),
    "awards.already_nominated": (
        "conflict",
        "{nominee_id} is already nominated for {category}",
        "已推荐过该对象参评{value}"),
    "awards.branch_ineligible": (
        "conflict",
        "branch {nominee_id} is not eligible by its assessment: {ineligible_reason}",
        "该支部考核不符合评优条件：{ineligible_reason}"),
    "awards.nomination_exists": ("conflict", "nomination {nomination_id} exists", "推荐编号已存在"),
    "awards.nomination_unknown": ("not_found", "no nomination {nomination_id} in {year}", "推荐记录不存在"),
    "awards.nominee_rated_poor": (
        "conflict",
        "{nominee_id} is rated poor in the {year} review",
        "该党员本年度三评议结果为不合格，不能推荐为先进个人或典型"),
    "awards.nominee_unknown": ("not_found", "{value} {nominee_id} is not known", "被推荐对象不存在"),
    "awards.nominee_warned": (
        "conflict",
        "{nominee_id} received a warning talk in {year}",
        "该党员本年度受到警示谈话，不能推荐为先进个人或典型"),
    "awards.pending_nominations": (
        "conflict",
        "{count} nomination(s) still await a decision: {ids}",
        "尚有{count}项推荐未作决定"),
    "awards.published": ("conflict", "the {year} list is published and closed", "{year}年度名单已公布，不能再变更"),
    "awards.reason_missing": ("invalid", "a nomination needs its reason", "请填写推荐理由"),
    "awards.rejection_reason_missing": ("invalid", "a rejection needs its reason", "不予通过须说明理由"),
    "booking.ends_before_start": ("invalid", "ends_at must be after starts_at", "结束时间须晚于开始时间"),
    "booking.exists": ("conflict", "booking {booking_id} exists", "预约编号已存在"),
    "booking.in_past": ("invalid", "a booking cannot start in the past", "不能预约过去的时间"),
    "booking.overlaps": (
        "conflict",
        "{name} is booked from {starts_at} to {ends_at} (booking {clash})",
        "{name}该时段已被预约"),
    "booking.purpose_missing": ("invalid", "the purpose is required", "请填写用途"),
    "booking.too_long": ("invalid", "a booking lasts at most 24 hours", "单次预约不超过24小时"),
    "booking.not_yours": ("forbidden", "booking {booking_id} was made by someone else", "只能取消本人的预约"),
    "booking.unknown": ("not_found", "no live booking {booking_id} of {venue_id}", "预约不存在或已取消"),
    "branch.already_established": ("conflict", "branch {branch_id} already exists", "该支部已存在"),
    "branch.dissolved": ("conflict", "branch {branch_id} was dissolved on {dissolved_on}", "该支部已撤销"),
    "branch.dissolved_before_established": (
        "invalid",
        "dissolution cannot precede establishment",
        "撤销日期不能早于成立日期"),
    "branch.enterprise_branch_needs_one_enterprise": (
        "invalid",
        "an enterprise branch (独立支部) is formed for exactly one enterprise",
        "独立支部只对应一家企业"),
    "branch.enterprise_listed_twice": ("invalid", "an enterprise is listed twice", "企业重复"),
    "branch.enterprise_not_in_park": (
        "conflict",
        "enterprise(s) {value} are not in the park (moved out or never moved in)",
        "不能为已迁出或未入驻的企业建立支部"),
    "branch.joint_branch_needs_enterprises": (
        "invalid",
        "a joint branch is formed for the enterprises it will organize",
        "联合支部须列明所覆盖的企业"),
    "branch.name_missing": ("invalid", "a branch needs a name", "支部名称不能为空"),
    "branch.not_active": ("conflict", "branch {branch_id} is not an active branch", "支部不存在或已撤销"),
    "branch.not_empty": (
        "conflict",
        "branch {branch_id} still has {what}; move them first",
        "支部仍有党员、楼栋或企业，须先转出后方可撤销"),
    "branch.too_few_full_members": (
        "conflict",
        "a branch needs at least {FULL_MEMBERS_FOR_BRANCH} full members, found {full}{hint}",
        "正式党员3人以上方可成立党支部；不足3人的应与邻近单位成立联合党支部"),
    "building.already_registered": ("conflict", "building {building_id} is already registered", "该楼栋已登记"),
    "building.assigned_to_another_branch": (
        "conflict",
        "building {building_id} is already the responsibility of branch {branch_id}; release it first",
        "该楼栋已由其他支部分包，一栋楼只能由一个支部负责，请先解除"),
    "building.floors_invalid": ("invalid", "a building has at least one floor", "楼层数至少为1"),
    "building.instructor_already_appointed": (
        "conflict",
        "building {building_id} already has instructor {instructor_id}",
        "该楼栋已有楼栋指导员"),
    "building.name_missing": ("invalid", "a building needs a name", "楼栋名称不能为空"),
    "building.no_instructor": ("conflict", "building {building_id} has no instructor", "该楼栋没有楼栋指导员"),
    "building.unknown": ("not_found", "building {building_id} is not registered", "楼栋不存在"),
    "committee.deputy_is_secretary": (
        "invalid",
        "the deputy secretary cannot be the secretary",
        "副书记与书记不能为同一人"),
    "committee.not_allowed_below_seven": (
        "invalid",
        "a unit with fewer than {FULL_MEMBERS_FOR_COMMITTEE} full members elects a secretary (and a deputy if "
        "needed), not a committee",
        "正式党员不足7人的只设书记，必要时设副书记，不设委员会"),
    "committee.officer_not_in_committee": (
        "invalid",
        "the secretary and deputy secretary sit on the committee",
        "书记、副书记应为委员会成员"),
    "committee.size": (
        "invalid",
        "a committee has {COMMITTEE_MIN_SIZE} to {COMMITTEE_MAX_SIZE} members, got {value}",
        "委员会由3至5人组成，一般不超过7人"),
    "contact.already_registered": ("conflict", "{person_id} is already on the ledger", "该人员已登记"),
    "contact.category_missing": (
        "invalid",
        "say why the person is on the ledger (at least one category)",
        "至少选择一个类别"),
    "contact.is_member": (
        "conflict",
        "this person is a Party member: not a non-member legal representative or tech talent",
        "该人员是党员，不属于非党员法人或科技人才"),
    "contact.name_missing": ("invalid", "a contact needs a name", "姓名不能为空"),
    "contact.nationality_missing": ("invalid", "a foreign national's nationality is recorded", "外籍人士须登记国籍"),
    "contact.unknown": ("not_found", "{person_id} is not on the ledger", "该人员未登记"),
    "department.already_registered": ("conflict", "department {department_id} is registered", "该部门已登记"),
    "department.head_missing": ("invalid", "the department needs its head", "部门负责人不能为空"),
    "department.item_repeated": ("invalid", "items[{n}].key {key!r} is given twice", "考核项目重复"),
    "department.item_unknown": ("invalid", "items[{n}].key {key!r} is not a department item", "考核项目不存在"),
    "department.name_missing": ("invalid", "the department needs a name", "部门名称不能为空"),
    "department.points_out_of_range": ("invalid", "items[{n}].points must be 0 to {value:g}", "得分超出该项分值范围"),
    "department.unknown": ("not_found", "no department {department_id}", "部门不存在"),
    "department.veto_reason_missing": ("invalid", "a veto needs its reason", "一票否决须写明理由"),
    "development.activist_period_too_short": (
        "conflict",
        "an activist is observed for a year before becoming a candidate (from {ready})",
        "入党积极分子须经过一年以上培养考察方可列为发展对象"),
    "development.already_applied": ("conflict", "{person_id} already applied", "该人员已递交入党申请"),
    "development.date_before_previous_stage": (
        "invalid",
        "{to_stage} cannot be reached on {on} before {stage} ({previous_on})",
        "本阶段日期不能早于上一阶段"),
    "development.name_missing": ("invalid", "an applicant needs a name", "姓名不能为空"),
    "development.probation_not_over": (
        "conflict",
        "the one-year probation runs until {ready}",
        "预备期为一年，预备期未满不能转正"),
    "development.quota_negative": ("invalid", "a quota cannot be negative", "发展指标不能为负"),
    "development.quota_year_closed": (
        "conflict",
        "the quota of {year} can no longer be changed",
        "往年发展指标不能再修改"),
    "development.stage_reversed": (
        "conflict",
        "{person_id} is already {stage}; stages never go back to {to_stage}",
        "发展阶段不能倒退"),
    "development.stage_skipped": (
        "conflict",
        "from {stage} the next stage is {value}, not {to_stage}",
        "发展阶段不能跳过"),
    "development.unknown": ("not_found", "{person_id} has not applied to join the Party", "该人员尚未递交入党申请"),
    "dues.category_unknown": ("invalid", "category must be one of: {value}", "党费类别不正确"),
    "dues.income_missing": ("invalid", "the monthly income after tax is needed for this category",
                            "请填写每月税后工资收入（或离退休费）"),
    "dues.income_out_of_range": ("invalid", "the monthly income is not a plausible amount", "月收入金额不正确"),
    "dues.amount_missing": ("invalid", "a branch-set amount needs monthly_amount_fen (0 or more)",
                            "党支部确定的党费须填写每月金额"),
    "dues.reason_missing": ("invalid", "a branch-set amount needs its reason", "党支部确定党费须写明理由"),
    "dues.months_missing": ("invalid", "name at least one month to pay", "请选择要交纳的月份"),
    "dues.too_many_months": ("invalid", "at most {value} months in one payment", "一次最多预交{value}个月"),
    "dues.months_not_consecutive": ("invalid", "the months of one payment follow each other without a gap",
                                    "一次交纳的月份须连续"),
    "dues.paid_too_far_ahead": ("invalid", "{month} is more than {value} months ahead", "预交月份过远"),
    "dues.already_paid": (
        "conflict",
        "dues of member {member_id} for {month} are already paid",
        "该党员本月党费已缴纳，不能重复登记"),
    "dues.amount_mismatch": ("invalid", "dues for {month} are {rate} fen, not {amount_fen}", "缴纳金额与核定标准不符"),
    "dues.amount_negative": ("invalid", "dues cannot be negative", "党费金额不能为负"),
    "dues.month_already_paid": (
        "conflict",
        "{value} is already paid at the old amount; a new amount starts after the last paid month",
        "新标准不能覆盖已缴纳的月份"),
    "dues.no_rate_for_month": (
        "conflict",
        "no dues amount is set for member {member_id} in {month}",
        "该月份尚未核定党费标准"),
    "enterprise.already_in_branch": (
        "conflict",
        "enterprise {enterprise_id} is already organized in branch {branch_id}",
        "该企业已纳入其他支部"),
    "enterprise.already_in_park": ("conflict", "enterprise {enterprise_id} is already in the park", "该企业已入驻"),
    "enterprise.floor_out_of_range": (
        "invalid",
        "floor {floor} is not in building {building_id} (floors 1 to {building_floors})",
        "楼层超出该楼栋范围"),
    "enterprise.headcount_negative": ("invalid", "headcount cannot be negative", "员工人数不能为负"),
    "enterprise.joined_before_moving_in": (
        "invalid",
        "it moved in on {moved_in_on}; it cannot join a branch earlier",
        "纳入支部的日期不能早于入驻日期"),
    "enterprise.moved_in_before_moving_out": (
        "invalid",
        "it moved out on {moved_out_on}; moving back in must be later",
        "重新入驻日期不能早于迁出日期"),
    "enterprise.moved_out": ("conflict", "enterprise {enterprise_id} moved out on {moved_out_on}", "该企业已迁出园区"),
    "enterprise.moved_out_before_moving_in": (
        "invalid",
        "it moved in on {moved_in_on}; it cannot move out earlier",
        "迁出日期不能早于入驻日期"),
    "enterprise.name_missing": ("invalid", "an enterprise needs a name", "企业名称不能为空"),
    "enterprise.not_in_branch": ("conflict", "enterprise {enterprise_id} is in no branch", "该企业未纳入任何支部"),
    "enterprise.not_in_park": ("conflict", "enterprise {enterprise_id} is not in the park", "该企业不在园区"),
    "enterprise.relocated_before_moving_in": (
        "invalid",
        "it moved in on {moved_in_on}; it cannot move earlier",
        "搬迁日期不能早于入驻日期"),
    "enterprise.relocation_unchanged": (
        "conflict",
        "enterprise {enterprise_id} is already on floor {floor} of building {building_id}",
        "企业已在该楼栋楼层"),
    "enterprise.unknown": ("not_found", "enterprise {enterprise_id} never moved in", "企业不存在"),
    "followup.closed": ("conflict", "follow-up {followup_id} is already closed", "该跟进事项已办结"),
    "followup.closed_before_hire": ("invalid", "closed before the day of the hire", "办结日期不能早于入职日期"),
    "followup.member_not_registered": (
        "conflict",
        "member {member_id} is not in the park's census",
        "该党员尚未登记或已转出"),
    "followup.reason_missing": ("invalid", "say why the follow-up is dismissed", "请填写不再跟进的原因"),
    "followup.unknown": ("not_found", "no follow-up {followup_id}", "该跟进事项不存在"),
    "funds.amount_not_positive": ("invalid", "amount_fen must be a positive number of fen", "金额须大于零"),
    "funds.branch_not_active": ("not_found", "branch {branch_id} is not active", "支部不存在或已撤销"),
    "funds.budget_below_spent": (
        "conflict",
        "{spent_fen} fen are already spent; the budget cannot be lower",
        "预算不能低于已支出金额"),
    "funds.no_budget": ("conflict", "no budget is set for {year}", "本年度尚未设定预算"),
    "funds.overspent": (
        "conflict",
        "{amount_fen} fen exceed the remaining {remaining_fen} fen",
        "超出预算：剩余{value:.2f}元"),
    "funds.spending_exists": ("conflict", "spending {spending_id} exists", "支出编号已存在"),
    "funds.target_missing": ("invalid", "the venue or activity is required", "请填写支出用于的阵地或活动"),
    "funds.wrong_year": ("invalid", "{on} is not in {year}", "日期须在预算年度内"),
    "general_branch.already_established": (
        "conflict",
        "the park already has its general branch ({general_branch_id}); there is only one",
        "园区只设一个党总支，已经成立"),
    "general_branch.name_missing": ("invalid", "the general branch needs a name", "党总支名称不能为空"),
    "general_branch.not_established": ("not_found", "the park has no general branch yet", "尚未成立党总支"),
    "grid.building_given_twice": (
        "conflict",
        "building(s) {value} given to more than one branch",
        "一栋楼只能由一个支部分包"),
    "grid.enterprise_branch_needs_one_enterprise": (
        "invalid",
        "{ref}: an enterprise branch is formed for exactly one enterprise",
        "独立支部只对应一家企业"),
    "grid.enterprise_listed_twice": (
        "conflict",
        "enterprise(s) {value} are organized or covered twice",
        "一家企业只能纳入一个支部或由一名指导员联系"),
    "grid.plan_already_adopted": ("conflict", "plan {plan_id} is already adopted", "该网格方案已通过"),
    "grid.planned_branch_ref_invalid": (
        "invalid",
        "planned branches need distinct refs starting with {PLANNED_PREFIX!r}",
        "拟建支部编号须唯一"),
    "grid.too_few_full_members": (
        "conflict",
        "{ref}: a branch needs at least {FULL_MEMBERS_FOR_BRANCH} full members",
        "正式党员3人以上方可成立党支部"),
    "grid.unknown_planned_branch": ("invalid", "{value} are not among the planned branches", "引用了不存在的拟建支部"),
    "inspection.already_recorded": ("conflict", "inspection {inspection_id} is already recorded", "该检查记录已存在"),
    "inspection.findings_missing": (
        "invalid",
        "a failed inspection must say what was found",
        "检查不合格时必须填写检查发现的问题"),
    "instructor.not_in_responsible_branch": (
        "conflict",
        "the building instructor is sent by the responsible branch {branch_id}; member {member_id} is not in it",
        "楼栋指导员须由分包该楼栋的支部派出"),
    "liaison.already_assigned": (
        "conflict",
        "enterprise {enterprise_id} already has liaison instructor {liaison_instructor_id}",
        "该企业已有指导员"),
    "liaison.enterprise_has_members": (
        "conflict",
        "enterprise {enterprise_id} has {enterprise_member_count} member(s); liaison instructors are for enterprises "
        "with none",
        "该企业已有党员，应纳入支部而非派指导员"),
    "liaison.enterprise_in_branch": (
        "conflict",
        "enterprise {enterprise_id} is already covered by branch {branch_id}",
        "该企业已纳入支部"),
    "liaison.no_general_branch": (
        "conflict",
        "no branch sends the instructor and the park has no general branch yet",
        "尚未成立党总支，须由相邻支部派出指导员"),
    "liaison.none": ("conflict", "enterprise {enterprise_id} has no liaison instructor", "该企业没有指导员"),
    "liaison.sender_not_neighbour": (
        "conflict",
        "branch {sent_by_branch_id} does not answer for the enterprise's building or a neighbouring one; the general "
        "branch or a neighbouring branch sends",
        "指导员须由党总支或相邻支部派出"),
    "meeting.already_recorded": ("conflict", "meeting {meeting_id} is already recorded", "该会议记录已存在"),
    "meeting.attendee_not_on_roster": (
        "invalid",
        "not on the roster of branch {branch_id} on {on}: {value}",
        "参会人员不在本支部当日名册中：{value2}"),
    "meeting.attendee_twice": ("invalid", "an attendee is listed twice", "参会人员重复"),
    "meeting.kind_unknown": ("invalid", "kind must be one of {value}", "会议类型不正确"),
    "meeting.minutes_missing": ("invalid", "a meeting's record needs its minutes", "会议记录不能为空"),
    "meeting.no_attendees": ("invalid", "a meeting needs at least one attendee", "参会人员不能为空"),
    "meeting.topic_missing": ("invalid", "a meeting needs its topic", "会议主题不能为空"),
    "member.already_full": ("conflict", "member {member_id} is already a full member", "该党员已是正式党员"),
    "member.already_registered": ("conflict", "member {member_id} is already registered", "该党员已登记"),
    "member.id_number_malformed": (
        "invalid",
        "the ID number must be 17 digits and a check character",
        "身份证号码格式不正确"),
    "member.joined_party_in_future": (
        "invalid",
        "the date of joining the Party is in the future",
        "入党日期不能晚于今天"),
    "member.name_missing": ("invalid", "a member needs a name", "姓名不能为空"),
    "member.not_in_branch": ("conflict", "member {member_id} is in no branch; join one", "该党员尚未编入支部"),
    "member.probation_not_over": (
        "conflict",
        "the one-year probation runs until {probation_ends}",
        "预备期为一年，预备期未满不能转正"),
    "member.relationship_already_in_park": (
        "conflict",
        "the relationship of member {member_id} is already held by the park",
        "该党员组织关系已在园区"),
    "member.relationship_holder_missing": (
        "invalid",
        "name the organization that still holds the member's relationship",
        "组织关系未转入的，须注明组织关系所在单位"),
    "member.relationship_not_in_park": (
        "conflict",
        "the park does not hold the relationship of member {member_id}",
        "该党员组织关系不在园区，无法转出"),
    "member.transferred_out": (
        "conflict",
        "member {member_id} transferred out of the park on {transferred_on}",
        "该党员组织关系已转出园区"),
    "post.exists": ("conflict", "post {post_id} exists", "岗位编号已存在"),
    "post.kind_held": ("conflict", "the member already holds a {kind} post", "该党员已有{value}"),
    "post.member_without_enterprise": (
        "conflict",
        "member {member_id} works for no enterprise in the park",
        "该党员不在园区企业，不能设岗"),
    "post.not_held": ("not_found", "member {member_id} holds no post {post_id}", "该党员没有此岗位"),
    "post.title_missing": ("invalid", "the post's title is required", "请填写岗位名称"),
    "post.withdrawn_before_assigned": ("invalid", "withdrawal precedes the assignment", "撤岗日期不能早于设岗日期"),
    "quarter.malformed": (
        "invalid",
        "{field_value} must be written YYYY-Qn, got {text!r}",
        "季度格式应为 YYYY-Qn，例如 2026-Q1"),
    "rectification.already_completed": (
        "conflict",
        "rectification {rectification_id} is already completed",
        "该整改已完成"),
    "rectification.completed_before_opened": (
        "invalid",
        "a rectification cannot be completed before it was opened",
        "整改完成日期不能早于整改开始日期"),
    "rectification.deadline_not_after_inspection": (
        "invalid",
        "the rectification's deadline must come after the inspection",
        "整改期限必须晚于检查日期"),
    "rectification.unknown": (
        "not_found",
        "branch {branch_id} has no rectification {rectification_id}",
        "该支部没有此整改事项"),
    "review.already_rated": ("conflict", "{rater} already rated {member_id} for {year}", "{value}已评议，不能重复评议"),
    "review.member_not_in_park": ("not_found", "member {member_id} is not in the park", "该党员不在园区，不能评议"),
    "review.talk_already_recorded": ("conflict", "the warning talk was recorded on {talked_on}", "警示谈话已记录"),
    "review.talk_before_year": ("invalid", "the talk cannot precede the review's year", "谈话日期不能早于评议年度"),
    "review.talk_not_required": (
        "conflict",
        "{member_id} is not rated poor overall for {year}; no warning talk is due",
        "该党员本年度评议结果不是不合格，无需警示谈话"),
    "review.talked_by_missing": ("invalid", "who held the talk is required", "请填写谈话人"),
    "review.wrong_year": ("invalid", "a rating for {year} must be given in {year}", "评议日期须在评议年度内"),
    "rule.already_posted": ("conflict", "rule {rule_key} has been on the wall since {posted_on}", "该制度已上墙"),
    "rule.holder_unknown": (
        "not_found",
        "{holder_id} is not an established general branch or an active branch",
        "党组织不存在或已撤销"),
    "rule.not_defined": ("not_found", "rule {rule_key} of {holder_id} has no text yet", "该制度尚未建立"),
    "rule.not_posted": ("conflict", "rule {rule_key} is not on the wall", "该制度尚未上墙"),
    "rule.posted_before_defined": (
        "invalid",
        "a rule cannot be posted before its text was defined",
        "上墙日期不能早于制度建立日期"),
    "rule.text_missing": ("invalid", "a rule needs its text", "制度内容不能为空"),
    "rule.unknown_key": (
        "invalid",
        "{rule_key!r} is not one of the rules a {value} keeps: {value2}",
        "不是该组织应建立的制度"),
    "rule.unposted_before_posted": (
        "invalid",
        "a rule cannot come off the wall before it went up",
        "撤下日期不能早于上墙日期"),
    "transfer.already_issued": ("conflict", "letter {transfer_id} is already recorded", "该介绍信已登记"),
    "transfer.already_returned": ("conflict", "its return slip came back on {returned_on}", "回执已登记"),
    "transfer.deadline_not_after_issue": ("invalid", "valid_until must be after the day of issue",
                                          "有效期须晚于开具日期"),
    "transfer.deadline_too_long": ("invalid", "a letter is valid for at most {value} days",
                                   "介绍信有效期一般不超过三个月"),
    "transfer.letter_no_missing": ("invalid", "the letter's number is required", "请填写介绍信编号"),
    "transfer.other_organization_missing": ("invalid", "name the other organization", "请填写对方党组织名称"),
    "transfer.returned_before_issue": ("invalid", "a return slip cannot come back before the letter was issued",
                                       "回执日期不能早于开具日期"),
    "transfer.unknown": ("not_found", "no letter {transfer_id}", "介绍信不存在"),
    "venue.exists": ("conflict", "venue {venue_id} is registered", "阵地已登记"),
    "venue.field_missing": ("invalid", "{field_value} is required", "请填写完整"),
    "venue.not_bookable": ("conflict", "{name} is not a bookable room", "{name}不可预约"),
    "venue.unknown": ("not_found", "no venue {venue_id}", "阵地不存在"),
    "zone.already_defined": ("conflict", "zone {zone_id} is already defined", "该分区已存在"),
    "zone.name_missing": ("invalid", "a zone needs a name", "分区名称不能为空"),
    "zone.phase_invalid": ("invalid", "phase counts from 1", "分期从1开始"),
    "zone.unknown": ("not_found", "zone {zone_id} is not defined", "分区不存在"),
})

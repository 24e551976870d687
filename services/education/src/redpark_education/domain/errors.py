"""Education's refusals, listed once: code -> (kind, English, Chinese). Deciders raise by code
(`raise ERRORS.error("lesson.not_held", field="lesson_id", lesson_id=...)`) and never name an HTTP
status: the web edge answers with the kind's. The codes, fields and sentences are what the API has
always answered; clients and the staff pages show the Chinese.
"""

from __future__ import annotations

from redpark_platform.errors import ErrorCatalogue

ERRORS = ErrorCatalogue({
    # plan
    "plan.year_out_of_range": ("invalid", "year {year} is out of range", "年份超出范围"),
    "plan.lecturers_too_few": ("invalid", "the lecturer corps needs at least one lecturer", "讲师团人数至少为 1"),
    "plan.lessons_below_quarterly": (
        "invalid", "park lessons are held at least once a quarter: the yearly minimum is 4 or more",
        "大党课每季度至少一次，全年不少于 4 次"),
    "plan.minutes_out_of_range": ("invalid", "weekly study minutes must be 1 to 480",
                                  "周学习时长应在 1 至 480 分钟之间"),
    # lecturers
    "lecturer.no_topics": ("invalid", "a lecturer teaches at least one topic", "讲师至少要有一个授课专题"),
    "lecturer.retired": ("conflict", "lecturer {lecturer_id} has retired from the corps", "该讲师已退出讲师团"),
    "lecturer.unknown": ("not_found", "lecturer {lecturer_id} is not in the corps", "讲师不存在"),
    "lecturer.already_appointed": ("conflict", "lecturer {lecturer_id} is already appointed", "该讲师已聘任"),
    "lecturer.name_missing": ("invalid", "the lecturer needs a name", "讲师姓名不能为空"),
    # park lessons and attendance
    "lesson.unknown": ("not_found", "lesson {lesson_id} is not scheduled", "大党课不存在"),
    "lesson.not_held": ("conflict", "lesson {lesson_id} has not been held", "大党课尚未举行，不能登记出勤"),
    "lesson.already_scheduled": ("conflict", "lesson {lesson_id} already exists", "大党课已存在"),
    "lesson.title_missing": ("invalid", "a park lesson needs a {field}", "大党课须有标题、专题和地点"),
    "lesson.topic_missing": ("invalid", "a park lesson needs a {field}", "大党课须有标题、专题和地点"),
    "lesson.venue_missing": ("invalid", "a park lesson needs a {field}", "大党课须有标题、专题和地点"),
    "lesson.already_held": ("conflict", "lesson {lesson_id} was already held", "大党课已举行"),
    "lesson.cancelled": ("conflict", "lesson {lesson_id} was cancelled", "大党课已取消"),
    "lesson.date_required": ("invalid", "a lesson that took place needs the date it was held", "请填写大党课举行日期"),
    "lesson.not_cancellable": ("conflict", "lesson {lesson_id} was held or cancelled",
                               "已举行或已取消的大党课不能取消"),
    "attendance.not_in_roster": ("conflict", "not on the roster on {day}: {members}",
                                 "党员不在该日期的学习名册中"),
    "attendance.empty": ("invalid", "name at least one member present", "请至少登记一名出席党员"),
    "attendance.already_attended": ("conflict", "member {member_id} already attended lesson {lesson_id}",
                                    "该党员已参加本次大党课，无需补课"),
    "attendance.makeup_before_lesson": ("invalid", "a make-up comes after the lesson", "补课日期不能早于大党课日期"),
    # monthly topics and self-study
    "topic.already_published": ("conflict", "{month} already has its topic", "本月专题已发布，一月只有一个专题"),
    "topic.incomplete": ("invalid", "a monthly topic needs a title and study material", "专题须有标题和学习材料"),
    "member.not_in_roster": ("not_found", "member {member_id} is not on the study roster", "该党员不在学习名册中"),
    "self_study.month_in_future": ("invalid", "{month} has not begun", "不能提交未来月份的自学记录"),
    "self_study.no_topic": ("conflict", "{month} has no monthly topic yet", "本月专题尚未发布"),
    "self_study.already_filed": ("conflict", "member {member_id} already filed the record for {month}",
                                 "该党员本月自学记录已提交，不能重复提交"),
    "self_study.date_outside_month": ("invalid", "studied_on {studied_on} is not in {month}", "学习日期须在该月份内"),
    "self_study.incomplete": ("invalid", "say what was studied and write a reflection", "请填写学习内容和心得体会"),
    # weekly branch study
    "branch.not_tracked": ("not_found", "branch {branch_id} is not an active branch", "支部不存在或已撤销"),
    "weekly_study.week_already_recorded": ("conflict", "branch {branch_id} already recorded its study for {week}",
                                           "本周学习已登记"),
    "weekly_study.minutes_out_of_range": ("invalid", "minutes must be 1 to 480", "学习时长应在 1 至 480 分钟之间"),
    "weekly_study.no_attendees": ("invalid", "name the members who took part", "请登记参加学习的党员"),
    # annual themes
    "theme.already_defined": ("conflict", "theme {theme_id} already exists", "该主题已存在"),
    "theme.too_many": ("conflict", "{year} already has {most} themes", "每年教育主题不超过五个"),
    "theme.title_missing": ("invalid", "a theme needs a title", "主题名称不能为空"),
    "theme.unknown": ("not_found", "{year} has no theme {theme_id}", "主题不存在"),
    "theme.other_year": ("invalid", "{kind} {ref} is not in {year}", "只能关联本年度的专题或大党课"),
    # forums and the joint conference
    "forum.already_recorded": ("conflict", "session {session_id} is already recorded", "该场次已登记"),
    "forum.no_participants": ("invalid", "a session has participants", "请登记参加人员"),
    "forum.title_missing": ("invalid", "a session needs a title", "请填写主题"),
    "forum.unknown": ("not_found", "session {session_id} is not recorded", "场次不存在"),
    "forum.outcome_empty": ("invalid", "an outcome is written text", "成果内容不能为空"),
    # the three guarantees
    "compliance.quarter_not_ended": ("conflict", "{quarter} ends on {last}", "季度尚未结束，不能结算"),
    "compliance.quarter_already_closed": ("conflict", "{quarter} is already closed", "该季度已结算"),
    "compliance.nothing_to_close": ("invalid", "no branch was tracked in {quarter}", "该季度没有需要结算的支部"),
})

# A few codes are worded for where they are met, as the API has always answered them: the same
# code, another sentence. One catalogue holds a code once, so each wording has its own.
SCHEDULING_ERRORS = ErrorCatalogue({
    "lecturer.unknown": ("not_found", "lecturer {lecturer_id} is not in the corps", "讲师不在讲师团中"),
})
BRANCH_STUDY_ERRORS = ErrorCatalogue({
    "attendance.not_in_roster": ("conflict", "not members of branch {branch_id}: {members}", "参加人员不是本支部党员"),
})
THEME_LINK_ERRORS = ErrorCatalogue({
    "topic.unknown": ("not_found", "no topic {ref}", "专题或大党课不存在"),
    "lesson.unknown": ("not_found", "no lesson {ref}", "专题或大党课不存在"),
})

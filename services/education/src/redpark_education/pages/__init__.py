"""The education staff console: home with the figures, the three-guarantees matrix, the year's
park lessons and a lesson's attendance sheet with its history. Pages call the application layer
(`Education`) and the read models directly, never HTTP."""

from __future__ import annotations

from pathlib import Path

from redpark_platform.console import Console, add_phrases

console = Console("education", Path(__file__).resolve().parent.parent / "templates")

add_phrases({
    "学习教育概览": "Education overview",
    "三个保证": "Three guarantees",
    "三个保证矩阵": "Three-guarantees matrix",
    "大党课": "Park lessons",
    "期间": "Period",
    "支部": "Branch",
    "全部支部": "All branches",
    "党员": "Member",
    "查看": "Show",
    "自学": "Self-study",
    "大党课出勤": "Lesson attendance",
    "周学习": "Weekly study",
    "已提交": "Filed",
    "逾期提交": "Filed late",
    "未提交": "Missing",
    "本月进行中": "Due this month",
    "不要求": "Not expected",
    "未举行": "None held",
    "已出席": "Attended",
    "缺席": "Absent",
    "周": "weeks",
    "缺周学习": "Weeks without study",
    "年度": "Year",
    "标题": "Title",
    "专题": "Topic",
    "讲师": "Lecturer",
    "地点": "Venue",
    "计划日期": "Scheduled on",
    "举行日期": "Held on",
    "状态": "Status",
    "应到": "Expected",
    "出席": "Present",
    "补课": "Made up",
    "已举行": "Held",
    "已安排": "Scheduled",
    "已取消": "Cancelled",
    "最低要求": "Minimum",
    "未开大党课的季度": "Quarters without a lesson",
    "出勤登记": "Attendance",
    "保存出勤": "Save attendance",
    "出勤已保存": "Attendance saved",
    "当日学习名册": "Roster on the lesson's day",
    "已登记的出勤不能在此撤销。": "Attendance already recorded cannot be undone here.",
    "大党课尚未举行，举行后才能登记出勤。": "The lesson has not been held yet: attendance is taken after it.",
    "大党课不存在": "No such lesson",
    "姓名": "Name",
    "达标": "Met",
})

# What a lesson's history calls each event.
HISTORY_LABELS = {
    "lesson.scheduled": "安排大党课",
    "lesson.held": "大党课举行",
    "lesson.attendance_recorded": "登记出勤",
    "lesson.makeup_recorded": "登记补课",
    "lesson.cancelled": "取消大党课",
}

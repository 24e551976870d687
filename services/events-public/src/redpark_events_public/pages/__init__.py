"""The service's pages: the public's (no sign-in) and the staff's, on the console's shared look.

Public (`public.py`): the event list at `/`, an event's sessions, the registration form, the
ticket with its QR code or waiting-list place, cancellation. Staff (`staff.py`): sessions with live
counts, a session's registrations and history, the check-in screen, and `GET /dashboard`.
Open-base visits (`open_base.py`): the public's request form and its answer, the staff's days ahead
and a day's bookings with confirm and decline.
Both call the application layer (`EventsPublic`) and the read models directly, never HTTP.
"""

from __future__ import annotations

from pathlib import Path

from redpark_platform.console import Console, add_phrases

from ..domain.open_base import LAPSE_NOTICE, LAPSE_NOTICE_EN

console = Console("events-public", Path(__file__).resolve().parent.parent / "templates")

KIND_TITLES = {
    "youth_science_course": "青少年科普培训",
    "family_tech_tour": "科技亲子游",
    "science_carnival": "科技嘉年华周",
    "tech_garden_tour": "科技游园",
    "achievement_exhibition": "科技成果展示",
    "science_experience": "科普知识体验",
    "knowledge_contest": "科技知识竞赛",
    "performance": "文艺表演",
    "food_tasting": "美食品尝",
}

add_phrases({
    "公众活动报名": "Public events: sign up",
    "近期活动": "Upcoming events",
    "暂无可报名的活动": "No events open for registration",
    "场次": "Sessions",
    "剩余名额": "Seats left",
    "已满，可候补": "Full: join the waiting list",
    "报名": "Sign up",
    "查看场次": "See the sessions",
    "地点": "Place",
    "时间": "Time",
    "主办": "Organizer",
    "路线": "Route",
    "适合年龄": "Ages",
    "报名时间": "Registration",
    "每人每天限报": "Registrations per phone per day",
    "姓名": "Name",
    "手机号": "Mobile number",
    "成人人数": "Adults",
    "儿童年龄": "Children's ages",
    "多个孩子用逗号分隔，如 7, 10；没有孩子请留空": "Separate with commas, e.g. 7, 10; leave empty without children",
    "我已阅读并同意隐私告知：姓名和手机号仅用于本次活动的报名与通知。":
        "I have read and agree to the privacy notice: name and number serve only this registration.",
    "提交报名": "Register",
    "报名成功": "You are registered",
    "已进入候补": "You are on the waiting list",
    "候补位置": "Waiting-list position",
    "票号": "Ticket code",
    "入场时出示此二维码": "Show this QR code at the entrance",
    "保存为图片": "Save as image",
    "取消报名": "Cancel the registration",
    "确认取消": "Confirm the cancellation",
    "报名已取消": "Registration cancelled",
    "已取消": "Cancelled",
    "已签到": "Checked in",
    "人数": "People",
    "请保存票号，取消报名时需要票号和手机号。": "Keep the ticket code: cancelling needs it and the phone number.",
    "有名额空出时将按顺序自动转为正式报名。": "When seats free up you move up automatically, in order.",
    "场次与报名": "Sessions and registrations",
    "签到": "Check-in",
    "签到成功": "Checked in",
    "已签到过": "Already checked in",
    "无此票": "No such ticket",
    "不是本场次": "Not this session",
    "不能签到": "Cannot check in",
    "扫码签到": "Scan to check in",
    "输入票号": "Type the ticket code",
    "开始扫码": "Start scanning",
    "停止扫码": "Stop scanning",
    "容量": "Capacity",
    "已确认": "Confirmed",
    "候补": "Waiting",
    "报名记录": "Registrations",
    "状态": "Status",
    "报名时间点": "Registered at",
    "签到时间": "Checked in at",
    "儿童": "Children",
    "成人": "Adults",
    "返回活动列表": "Back to the events",
    "活动": "Event",
    "人": "",
    "短信验证码": "Code sent by SMS",
    "获取验证码": "Send me a code",
    "本活动需验证手机号：先填写手机号并获取验证码，6 位数字，5 分钟内有效":
        "This event checks the phone: enter your number, ask for a code (6 digits, valid 5 minutes) and type it here",
    "报名校验": "Registration checks",
    "公众报名本活动各场次时须通过的校验，防止他人用虚构号码抢占名额。":
        "What a registration for this event's sessions must pass, so nobody takes the seats with "
        "invented numbers.",
    "浏览器安全校验（工作量证明，嘉年华活动默认开启）":
        "Browser check (proof of work; on by default for carnival events)",
    "短信验证码验证手机号": "Check the phone with a code sent by SMS",
    "短信服务尚未开通：开启短信验证后，本活动将暂时无法在线报名。":
        "No SMS service yet: with the SMS check on, this event cannot take registrations online for now.",
    "保存": "Save",
    "正在进行安全校验，请稍候…": "Checking your browser, one moment…",
    "安全校验失败，请检查网络后重试。": "The check failed; check your connection and try again.",
    "报名需要进行安全校验，请在浏览器中启用 JavaScript。":
        "Registering needs a quick browser check: please enable JavaScript.",
    # open-base visits
    "开放式党组织生活基地": "Open base for party activities",
    "开放基地参观": "Open-base visits",
    "参观预约": "Book a group visit",
    "党组织参观预约": "Group visits by party organizations",
    "外单位党组织可预约到园区开放式党组织生活基地开展参观学习，工作人员确认后预约生效。":
        "Party organizations may book a group visit to the park's open base; a booking stands once staff "
        "confirm it.",
    "参观日期": "Day of the visit",
    "来访党组织": "Visiting party organization",
    "联系人姓名": "Contact person",
    "联系人手机号": "Contact's mobile number",
    "来访人数": "Visitors",
    "提交预约": "Send the request",
    "联系人姓名和手机号仅用于本次参观的联系。": "The contact's name and number serve only to arrange this visit.",
    "请选择参观日期（如 2026-07-01）。": "Choose the day of the visit (e.g. 2026-07-01).",
    "来访人数请填写整数。": "Enter the number of visitors as a whole number.",
    "内容过长，最多 %d 个字。": "Too long: at most %d characters.",
    "预约已提交": "Request received",
    "预约已确认": "Visit confirmed",
    "预约未能安排": "The visit cannot be arranged",
    "预约已失效": "The request has lapsed",
    "预约不存在": "No such request",
    "未找到该预约，请核对链接。": "No request at this address: check the link.",
    "请稍后再试": "Please try again later",
    "工作人员确认前，名额为您保留至": "Until staff confirm, the places are held for you until",
    "工作人员将尽快确认，确认结果请以此页面为准，可收藏此页面查看。":
        "Staff will confirm soon: this page shows the answer; bookmark it to come back.",
    "请按预约日期准时到访。": "Please come on the booked day.",
    "可换一天重新预约。": "You may book another day.",
    "重新预约": "Book again",
    "待确认": "Awaiting confirmation",
    "已婉拒": "Declined",
    "已失效": "Lapsed",
    "保留至": "Held until",
    "已占用": "Held",
    "剩余": "Left",
    "日期": "Day",
    "预约": "Requests",
    "处理时间": "Decided at",
    "提交时间": "Requested at",
    "原因": "Reason",
    "确认": "Confirm",
    "婉拒": "Decline",
    "婉拒原因": "Reason for declining",
    "查看": "Open",
    "查看日期": "Go to a day",
    "近期参观预约": "Visits ahead",
    "暂无参观预约": "No visit requests",
    "最早保留至": "First hold ends",
    "已确认该预约": "The visit is confirmed",
    "已婉拒该预约": "The visit is declined",
    "日期无效": "Not a date",
    "请使用 2026-07-01 这样的日期。": "Use a date like 2026-07-01.",
    "联系人信息不在此显示。": "Contacts' names and numbers are not shown here.",
    "保留期已过，等待系统记录失效": "Its hold is over; the lapse is being recorded",
    "每批最多": "At most per group",
    "可预约日期": "Days open for booking",
    "明天起 %d 天内": "from tomorrow, up to %d days ahead",
    "%d 人": "%d people",
    "名额保留": "Places held",
    "每日容量": "Daily capacity",
    "%d 小时": "%d hours",
    "提交后保留 %d 小时，工作人员确认后生效": "%d hours after the request; the visit stands once staff confirm it",
    LAPSE_NOTICE: LAPSE_NOTICE_EN,
})

# What the session page's history calls each event.
HISTORY_LABELS = {
    "session.scheduled": "安排场次",
    "session.registration_confirmed": "报名成功",
    "session.registration_waitlisted": "进入候补",
    "session.registration_cancelled": "取消报名",
    "session.registration_promoted": "候补转正",
    "session.checked_in": "签到",
    "session.no_shows_counted": "统计未到场",
}

# What an open-base day's history calls each event.
OPEN_BASE_HISTORY_LABELS = {
    "open_base_visit.requested": "参观预约",
    "open_base_visit.confirmed": "确认参观",
    "open_base_visit.declined": "婉拒参观",
    "open_base_visit.lapsed": "预约失效",
}

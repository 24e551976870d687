"""The service's pages: the public's (no sign-in) and the staff's, on the console's shared look.

Public (`public.py`): the event list at `/`, an event's sessions, the registration form, the
ticket with its QR code or waiting-list place, cancellation. Staff (`staff.py`): sessions with live
counts, a session's registrations and history, the check-in screen, and `GET /dashboard`.
Both call the application layer (`EventsPublic`) and the read models directly, never HTTP.
"""

from __future__ import annotations

from pathlib import Path

from redpark_platform.console import Console, add_phrases

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

"""The public's messages, in Chinese and English. All but the day-before reminder are service
messages (they answer the person's own registration or visit request), so none is opted out of; a
ticket and a promotion go out at any hour. The reminder can be opted out of and waits out quiet hours."""

from __future__ import annotations

from redpark_platform.notifications import Template, TemplateCatalogue

REGISTRATION_CONFIRMED = Template(
    code="ep.registration_confirmed", urgent=True,
    zh="${park}：${name}您好，您已报名「${activity}」（${starts}，${place}），票号 ${ticket}，入场时出示：${link}",
    en="${park}: Dear ${name}, you are registered for \"${activity}\" (${starts}, ${place}). Ticket ${ticket}, "
       "show it at the door: ${link}",
    title_zh="报名成功", title_en="Registration confirmed")
REGISTRATION_WAITLISTED = Template(
    code="ep.registration_waitlisted",
    zh="${park}：${name}您好，「${activity}」（${starts}）已满，您在候补名单第 ${position} 位；有空位时会短信通知您。",
    en="${park}: Dear ${name}, \"${activity}\" (${starts}) is full; you are number ${position} on the waiting "
       "list. We will text you when a seat frees up.",
    title_zh="已进入候补", title_en="On the waiting list")
REGISTRATION_PROMOTED = Template(
    code="ep.registration_promoted", urgent=True,
    zh="${park}：${name}您好，「${activity}」（${starts}，${place}）有空位了，您已由候补转为报名成功，票号 ${ticket}，"
       "入场时出示：${link}",
    en="${park}: Dear ${name}, a seat freed up for \"${activity}\" (${starts}, ${place}): you are registered. "
       "Ticket ${ticket}, show it at the door: ${link}",
    title_zh="候补转正", title_en="You have a seat")

SESSION_REMINDER = Template(
    code="ep.session_reminder", kind="reminder",
    zh="${park}提醒：${name}您好，您报名的「${activity}」将于 ${starts} 在 ${place} 举行，票号 ${ticket}，请准时参加；"
       "如不能参加，请提前取消报名，把名额留给候补的朋友。",
    en="${park} reminder: Dear ${name}, \"${activity}\" is at ${starts}, ${place}. Ticket ${ticket}. If you cannot "
       "come, please cancel so that someone on the waiting list gets your seat.",
    title_zh="活动提醒", title_en="Reminder")
OPEN_BASE_CONFIRMED = Template(
    code="ep.open_base_confirmed",
    zh="${park}：${name}您好，「${organization}」${day} 的开放式党组织生活基地参观（${people} 人）已确认，"
       "欢迎届时到访。",
    en="${park}: Dear ${name}, the open-base visit of \"${organization}\" on ${day} (${people} people) is confirmed. "
       "We look forward to welcoming you.",
    title_zh="参观预约已确认", title_en="Visit confirmed")
OPEN_BASE_DECLINED = Template(
    code="ep.open_base_declined",
    zh="${park}：${name}您好，很抱歉，「${organization}」${day} 的开放式党组织生活基地参观预约未能安排，"
       "原因：${reason}。欢迎改期重新预约。",
    en="${park}: Dear ${name}, we are sorry: the open-base visit of \"${organization}\" on ${day} cannot take place "
       "(${reason}). You are welcome to book another day.",
    title_zh="参观预约未能安排", title_en="Visit declined")
OPEN_BASE_LAPSED = Template(
    code="ep.open_base_lapsed",
    zh="${park}：${name}您好，「${organization}」${day} 的开放式党组织生活基地参观预约未在规定时间内得到确认，"
       "已自动失效，名额已释放；如仍需参观，请重新预约。",
    en="${park}: Dear ${name}, the open-base visit request of \"${organization}\" on ${day} was not confirmed in time "
       "and has lapsed; its places are free again. Please book again if you still wish to visit.",
    title_zh="参观预约已失效", title_en="Visit request lapsed")

CATALOGUE = TemplateCatalogue([REGISTRATION_CONFIRMED, REGISTRATION_WAITLISTED, REGISTRATION_PROMOTED,
                               SESSION_REMINDER, OPEN_BASE_CONFIRMED, OPEN_BASE_DECLINED, OPEN_BASE_LAPSED])

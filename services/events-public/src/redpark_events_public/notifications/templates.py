"""The public's messages, in Chinese and English. Every one is a service message (it answers the
person's own registration), so none is opted out of; a ticket and a promotion go out at any hour."""

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

CATALOGUE = TemplateCatalogue([REGISTRATION_CONFIRMED, REGISTRATION_WAITLISTED, REGISTRATION_PROMOTED])

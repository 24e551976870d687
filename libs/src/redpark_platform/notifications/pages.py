"""The staff pages of a service's notifications: the log (filters, masked recipients, today's figures,
re-send a failed one) and a person's preferences, zh-CN first, English with `?lang=en`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, Response

from ..console.i18n import add_phrases
from ..console.pages import Console, page_roles
from ..errors import InvalidCommand
from ..web.auth import Principal
from . import outbox
from .templates import TemplateCatalogue

PAGE_SIZE = 50
STATUS_ZH = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "失败", "skipped": "已跳过"}
CHANNEL_ZH = {"sms": "短信", "email": "电子邮件", "wecom": "企业微信"}
MOBILE = re.compile(r"^1[3-9]\d{9}$")

add_phrases({
    "通知记录": "Notifications", "通知偏好": "Notification preferences", "今日已发送": "Sent today",
    "今日失败": "Failed today", "待发送": "Pending", "发送中": "Sending", "已发送": "Sent", "失败": "Failed",
    "已跳过": "Skipped", "状态": "Status", "渠道": "Channel", "模板": "Template", "全部": "All", "筛选": "Filter",
    "收件人": "Recipient", "尝试次数": "Attempts", "原因": "Reason", "重发": "Send again", "短信": "SMS",
    "电子邮件": "E-mail", "企业微信": "WeCom", "收件人已脱敏": "Recipients are masked",
    "手机号或邮箱": "Mobile number or e-mail address", "退订提醒类通知": "No reminders or alerts",
    "语言": "Language", "已重新排队发送": "Queued to be sent again", "已保存": "Saved",
    "只有发送失败或被跳过的通知可以重发": "Only a failed or skipped notification can be sent again",
    "应本人要求记录：退订提醒类通知（服务类通知如票号、验证码仍会发送），或改用英文。":
        "Recorded at the person's request: no reminders or alerts (service messages such as a ticket or a code "
        "still go), or English.",
})


def normal_address(channel: str, address: str) -> str:
    """The address as stored and keyed: a mainland mobile's 11 digits, an e-mail address as typed; else
    a refusal naming the field."""
    text = address.strip()
    if channel == "sms":
        digits = re.sub(r"[\s-]", "", text)
        digits = digits[3:] if digits.startswith("+86") else digits
        if not MOBILE.match(digits):
            raise InvalidCommand("notification.address_invalid", "address must be a mainland mobile number",
                                 detail_zh="请填写有效的手机号码", field="address")
        return digits
    local, _, domain = text.partition("@")
    if not local or "." not in domain or len(text) > 254 or any(c.isspace() for c in text):
        raise InvalidCommand("notification.address_invalid", "address must be an e-mail address",
                             detail_zh="请填写有效的电子邮箱", field="address")
    return text


def page_router(service: str, catalogue: TemplateCatalogue, read_roles: Sequence[str],
                resend_roles: Sequence[str]) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    console = Console(service)
    # Defaults, not Annotated aliases: postponed annotations could not see these locals.
    reader = page_roles(*read_roles)
    sender = page_roles(*resend_roles)
    resenders = set(resend_roles)

    async def log_page(request: Request, who: Principal, *, status: str | None, channel: str | None,
                       template: str | None, offset: int, flash: str = "", code: int = 200) -> HTMLResponse:
        runtime = request.app.state.runtime
        rows, total = await outbox.listing(runtime.pool, status=status, channel=channel, template=template,
                                           limit=PAGE_SIZE, offset=offset)
        today = await outbox.today_figures(runtime.pool, runtime.clock.now(), runtime.settings.zone)
        return console.render(
            request, "console/notifications.html", status=code, rows=rows, total=total, today=today,
            status_zh=STATUS_ZH, channel_zh=CHANNEL_ZH, statuses=list(STATUS_ZH), channels=list(CHANNEL_ZH),
            templates=sorted(catalogue.by_code), filter_status=status, channel=channel, filter_template=template,
            next_offset=offset + PAGE_SIZE if offset + PAGE_SIZE < total else None,
            can_resend=not resenders.isdisjoint(who.roles), flash=flash)

    @router.get("/ui/notifications", response_class=HTMLResponse)
    async def notifications(request: Request, who: Principal = reader,
                            status: Annotated[str | None, Query(max_length=20)] = None,
                            channel: Annotated[str | None, Query(max_length=20)] = None,
                            template: Annotated[str | None, Query(max_length=80)] = None,
                            offset: Annotated[int, Query(ge=0, le=10**6)] = 0) -> HTMLResponse:
        return await log_page(request, who, status=status if status in STATUS_ZH else None,
                              channel=channel if channel in CHANNEL_ZH else None,
                              template=template if template in catalogue else None, offset=offset)

    @router.post("/ui/notifications/{notification_id}/resend", response_class=HTMLResponse)
    async def resend(request: Request, notification_id: str, who: Principal = sender) -> Response:
        runtime = request.app.state.runtime
        hub: Any = runtime.extras.get("notifications")
        more = hub.settings.max_attempts if hub is not None else 6
        done = await outbox.resend(runtime.pool, notification_id[:60], runtime.clock.now(), more)
        if done and hub is not None:
            hub.worker.wake()
        flash = "已重新排队发送" if done else "只有发送失败或被跳过的通知可以重发"
        return await log_page(request, who, status=None, channel=None, template=None, offset=0,
                              flash=console.context(request)["t"](flash), code=200 if done else 409)

    def preferences_page(request: Request, form: dict[str, Any], errors: dict[str, str], flash: str = "",
                         code: int = 200) -> HTMLResponse:
        return console.render(request, "console/notification_preferences.html", status=code, form=form,
                              errors=errors, flash=flash)

    @router.get("/ui/notifications/preferences", response_class=HTMLResponse)
    async def preferences(request: Request, who: Principal = sender) -> HTMLResponse:
        return preferences_page(request, {"channel": "sms", "address": "", "opted_out": False, "lang": "zh"}, {})

    @router.post("/ui/notifications/preferences", response_class=HTMLResponse)
    async def save_preferences(request: Request, who: Principal = sender) -> HTMLResponse:
        raw = await request.form()
        channel = "email" if raw.get("channel") == "email" else "sms"
        typed = str(raw.get("address") or "")[:254]
        opted_out = bool(raw.get("opted_out"))
        lang = "en" if raw.get("lang") == "en" else "zh"
        form: dict[str, Any] = {"channel": channel, "address": typed, "opted_out": opted_out, "lang": lang}
        try:
            address = normal_address(channel, typed)
        except InvalidCommand as refused:
            return preferences_page(request, form, {"address": refused.detail_zh or refused.detail}, code=422)
        runtime = request.app.state.runtime
        async with runtime.pool.acquire() as conn:
            await outbox.set_preference(conn, channel, address, opted_out=opted_out, lang=lang,
                                        now=runtime.clock.now())
        t = console.context(request)["t"]
        return preferences_page(request, {**form, "address": ""}, {},
                                flash=f"{t('已保存')}: {outbox.mask_address(channel, address)}")

    return router

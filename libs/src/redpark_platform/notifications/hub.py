"""The notification piece of a service: its rules, its sender, its staff routes.

    NOTIFY = Notifications("events-public", CATALOGUE, [RegistrationNotices()],
                           read_roles=("park_admin", "events_officer", "auditor"),
                           resend_roles=("park_admin", "events_officer"))
    ServiceSpec(..., projections=(*ALL, *NOTIFY.rules), routers=(*ROUTERS, NOTIFY.router),
                on_start=(..., NOTIFY.start), on_stop=(NOTIFY.stop,))

Settings come from the environment (`NotifySettings.from_env`) unless given. On start the service
writes its SMS templates to `<data dir>/sms-templates/<service>.json`, what one registers with a
provider; the local SMS gateway reads them to write each message's text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import asyncpg
import msgspec
from fastapi import APIRouter, Path, Query, Request, Response

from ..console.dashboard import Tile
from ..errors import DomainError, NotFound
from ..web.auth import require_roles
from ..web.bodies import Body, MsgspecResponse, response_schema
from ..web.paging import Page, Paging, page
from . import alerts, outbox
from .channels import Channel, NotifySettings
from .email import SmtpEmail
from .pages import normal_address, page_router
from .rules import EXTRAS_KEY, NotificationRule
from .schedules import Scheduled, run_due
from .sms import sms_channel
from .templates import TemplateCatalogue
from .verification import VERIFICATION_CODE
from .wecom import WeComRobot
from .worker import NotificationWorker

if TYPE_CHECKING:
    from ..runtime import Runtime


def channels_for(settings: NotifySettings) -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    if settings.sms is not None:
        channels["sms"] = sms_channel(settings.sms)
    if settings.smtp is not None:
        channels["email"] = SmtpEmail(settings.smtp)
    if settings.wecom:
        # httpx logs each request's address at INFO, and a robot's address holds its key.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        channels["wecom"] = WeComRobot(settings.wecom)
    return channels


@dataclass
class Hub:
    """What one running service holds: its settings, catalogue and worker (in `runtime.extras`)."""

    catalogue: TemplateCatalogue
    settings: NotifySettings
    worker: NotificationWorker
    schedules: Sequence[Scheduled] = ()
    zone: Any = None
    _task: asyncio.Task[None] | None = None

    async def run_schedules(self) -> int:
        """Run the checks due now (by the worker's clock); also what the background loop calls."""
        worker = self.worker
        queued = await run_due(worker.pool, self.schedules, worker.clock.now(), self.zone, self.catalogue,
                               self.settings.max_attempts)
        if queued:
            worker.wake()
        return queued

    async def _schedule_loop(self, interval: float) -> None:
        while True:
            try:
                await self.run_schedules()
            except asyncio.CancelledError:
                raise
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logging.getLogger("redpark.notifications").warning("scheduled checks: %s; next round",
                                                                    type(exc).__name__)
            await asyncio.sleep(interval)

    def start(self, interval: float) -> None:
        self.worker.start()
        if self.schedules:
            self._task = asyncio.create_task(self._schedule_loop(interval), name="notification-schedules")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.worker.stop()

    def wake_soon(self) -> None:
        # The rule's transaction commits right after it returns: look a moment later.
        try:
            asyncio.get_running_loop().call_later(0.05, self.worker.wake)
        except RuntimeError:
            pass


class PreferenceBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A person's choice, recorded by staff at their request: no more reminders, or English."""

    channel: Literal["sms", "email"]
    address: Annotated[str, msgspec.Meta(min_length=3, max_length=254)]
    opted_out: bool = False
    lang: Literal["zh", "en"] = "zh"


class PreferenceSaved(msgspec.Struct, frozen=True, kw_only=True):
    recipient: str  # masked
    opted_out: bool
    lang: str


class ResendRefused(DomainError):
    status = 409


class Notifications:
    def __init__(self, service: str, catalogue: TemplateCatalogue, rules: Sequence[NotificationRule] = (), *,
                 schedules: Sequence[Scheduled] = (), schedule_interval: float = 60.0,
                 settings: NotifySettings | None = None,
                 channels: Callable[[NotifySettings], dict[str, Channel]] = channels_for,
                 read_roles: Sequence[str] = ("park_admin", "auditor"), resend_roles: Sequence[str] = ("park_admin",),
                 poll_interval: float = 0.5, lease_seconds: float = 60.0) -> None:
        self.service = service
        # The platform's staff alerts go with every service's own templates.
        self.catalogue = TemplateCatalogue([*catalogue, *alerts.TEMPLATES, VERIFICATION_CODE])
        self.rules = list(rules)
        self.schedules = list(schedules)
        self.schedule_interval = schedule_interval
        for rule in self.rules:
            rule.hub_factory = self
        self.given_settings = settings
        self.channel_factory = channels
        self.poll_interval = poll_interval
        self.lease_seconds = lease_seconds
        self.router = APIRouter()
        self.router.include_router(self._router(list(read_roles), list(resend_roles)))
        self.router.include_router(page_router(service, self.catalogue, list(read_roles), list(resend_roles)))

    def prepare(self, runtime: Runtime) -> Hub:
        hub = runtime.extras.get(EXTRAS_KEY)
        if isinstance(hub, Hub):
            return hub
        settings = self.given_settings or NotifySettings.from_env()
        worker = NotificationWorker(runtime.pool, self.catalogue, self.channel_factory(settings), settings,
                                    runtime.clock, runtime.settings.zone, lease_seconds=self.lease_seconds,
                                    poll_interval=self.poll_interval)
        schedules = list(self.schedules)
        if alerts.STAFF_GROUP in settings.wecom:
            schedules += alerts.staff_alerts(self.service, runtime)
        hub = Hub(self.catalogue, settings, worker, schedules, runtime.settings.zone)
        runtime.extras[EXTRAS_KEY] = hub
        return hub

    async def start(self, runtime: Runtime) -> None:
        hub = self.prepare(runtime)
        folder = runtime.settings.data_dir / "sms-templates"
        folder.mkdir(parents=True, exist_ok=True)
        codes = hub.settings.sms.template_codes if hub.settings.sms else {}
        target = folder / f"{self.service}.json"
        partial = target.with_suffix(".tmp")
        partial.write_text(self.catalogue.provider_registrations_json(codes), encoding="utf-8")
        partial.replace(target)
        hub.start(self.schedule_interval)

    async def stop(self, runtime: Runtime) -> None:
        hub = runtime.extras.pop(EXTRAS_KEY, None)
        if isinstance(hub, Hub):
            await hub.stop()

    def _router(self, read_roles: list[str], resend_roles: list[str]) -> APIRouter:
        router = APIRouter(prefix="/notifications", tags=["notifications"])

        @router.get("", responses=response_schema(Page[outbox.NotificationView]),
                    dependencies=[require_roles(*read_roles)], summary="Notifications sent or queued, newest first")
        async def listing(
            request: Request, paging: Paging,
            status: Annotated[outbox.Status | None, Query(description="e.g. `failed`")] = None,
            channel: Annotated[outbox.ChannelName | None, Query()] = None,
            template: Annotated[str | None, Query(max_length=80, description="a template's code")] = None,
        ) -> Response:
            rows, total = await outbox.listing(request.app.state.pool, status=status, channel=channel,
                                               template=template, limit=paging.limit, offset=paging.offset)
            return MsgspecResponse(page(rows, total, paging))

        @router.get("/today", responses=response_schema(outbox.DayFigures), dependencies=[require_roles(*read_roles)],
                    summary="Sent and failed today (park time), pending now")
        async def today(request: Request) -> Response:
            runtime = request.app.state.runtime
            return MsgspecResponse(await outbox.today_figures(request.app.state.pool, runtime.clock.now(),
                                                              runtime.settings.zone))

        async def one(pool: asyncpg.Pool, notification_id: str) -> outbox.NotificationView:
            found = await outbox.one(pool, notification_id)
            if found is None:
                raise NotFound("notification.unknown", f"no notification {notification_id}",
                               detail_zh="通知不存在", field="notification_id")
            return found

        @router.get("/{notification_id}", responses=response_schema(outbox.NotificationView),
                    dependencies=[require_roles(*read_roles)], summary="One notification with every attempt")
        async def detail(request: Request, notification_id: Annotated[str, Path(max_length=60)]) -> Response:
            return MsgspecResponse(await one(request.app.state.pool, notification_id))

        @router.post("/{notification_id}/resend", responses=response_schema(outbox.NotificationView),
                     dependencies=[require_roles(*resend_roles)], summary="Send a failed or skipped notification again")
        async def resend(request: Request, notification_id: Annotated[str, Path(max_length=60)]) -> Response:
            pool = request.app.state.pool
            runtime = request.app.state.runtime
            hub = runtime.extras.get(EXTRAS_KEY)
            more = hub.settings.max_attempts if isinstance(hub, Hub) else 6
            if not await outbox.resend(pool, notification_id, runtime.clock.now(), more):
                current = await one(pool, notification_id)
                raise ResendRefused("notification.not_resendable", f"notification {notification_id} is "
                                    f"{current.status}; only failed or skipped ones are sent again",
                                    detail_zh="只有发送失败或被跳过的通知可以重发", field="notification_id")
            if isinstance(hub, Hub):
                hub.worker.wake()
            return MsgspecResponse(await one(pool, notification_id))

        example = PreferenceBody(channel="sms", address="13800138000", opted_out=True)

        @router.put("/preferences", responses=response_schema(PreferenceSaved),
                    dependencies=[require_roles(*resend_roles)],
                    summary="Record a person's choice: opt out of reminders, or the language")
        async def set_preference(request: Request,
                                 body: PreferenceBody = Body(PreferenceBody, example=example)) -> Response:  # noqa: B008
            runtime = request.app.state.runtime
            address = normal_address(body.channel, body.address)
            async with request.app.state.pool.acquire() as conn:
                await outbox.set_preference(conn, body.channel, address, opted_out=body.opted_out, lang=body.lang,
                                            now=runtime.clock.now())
            return MsgspecResponse(PreferenceSaved(recipient=outbox.mask_address(body.channel, address),
                                                   opted_out=body.opted_out, lang=body.lang))

        return router


def hub_of(runtime: Any) -> Hub | None:
    hub = runtime.extras.get(EXTRAS_KEY)
    return hub if isinstance(hub, Hub) else None


async def dashboard_tile(runtime: Any) -> Tile:
    """The dashboard's "notifications today" tile: sent this park day, with failed and pending."""
    day = await outbox.today_figures(runtime.pool, runtime.clock.now(), runtime.settings.zone)
    return Tile(key="notifications_today", label="今日通知", label_en="Notifications today", value=str(day.sent),
                note=f"失败 {day.failed} · 待发送 {day.pending}", tone="warn" if day.failed else "",
                href="/ui/notifications")

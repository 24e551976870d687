"""A small service for the notification tests: visitors book a hall; each booking is told by SMS
(a service message), reminded (a reminder) and, for a VIP, e-mailed; a broken boiler alerts the staff
group on WeCom."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
from fastapi import FastAPI

from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.notifications import (
    Notice,
    NotificationRule,
    Notifications,
    NotifySettings,
    Template,
    TemplateCatalogue,
)
from redpark_platform.runtime import ServiceSpec, create_service_app
from redpark_platform.settings import Settings

registry = EventRegistry("hall")


@registry.register("visit", "booked", personal=("name", "phone", "email"), subject="visitor_id")
class VisitBooked(Event, frozen=True, kw_only=True):
    visitor_id: str
    name: str
    phone: str
    email: str = ""
    code: str


@registry.register("visit", "reminder_due", personal=("phone",), subject="visitor_id")
class ReminderDue(Event, frozen=True, kw_only=True):
    visitor_id: str
    phone: str
    at: str


@registry.register("boiler", "broken")
class BoilerBroken(Event, frozen=True, kw_only=True):
    what: str


CATALOGUE = TemplateCatalogue([
    Template(code="hall.booked", zh="${park}：${name}您好，您的预约码 ${code}。",
             en="${park}: Dear ${name}, your booking code is ${code}.", title_zh="预约成功", title_en="Booked"),
    Template(code="hall.reminder", kind="reminder", zh="${park}提醒您：明天 ${at} 参观。",
             en="${park} reminds you: your visit is tomorrow at ${at}."),
    Template(code="hall.alert", kind="alert", zh="${park}值班提醒：${what}", en="${park} on duty: ${what}"),
])


class HallNotices(NotificationRule):
    name = "hall-notices"
    sources = ("hall",)
    registries = {"hall": registry}

    async def notices(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> Sequence[Notice]:
        match event:
            case VisitBooked():
                out = [Notice(template="hall.booked", channel="sms", address=event.phone, subject_id=event.visitor_id,
                              params={"name": event.name, "code": event.code})]
                if event.email:
                    out.append(Notice(template="hall.booked", channel="email", address=event.email,
                                      subject_id=event.visitor_id, params={"name": event.name, "code": event.code}))
                return out
            case ReminderDue():
                return [Notice(template="hall.reminder", channel="sms", address=event.phone,
                               subject_id=event.visitor_id, params={"at": event.at})]
            case BoilerBroken():
                return [Notice(template="hall.alert", channel="wecom", address="staff", params={"what": event.what})]
        return []


def hall_app(notify: NotifySettings, **options: Any) -> Any:
    def create_app(settings: Settings) -> FastAPI:
        hub = Notifications("hall", CATALOGUE, [HallNotices()], settings=notify, poll_interval=0.05, **options)
        spec = ServiceSpec(name="hall", title="Hall", registry=registry, projections=hub.rules,
                           routers=[hub.router], on_start=(hub.start,), on_stop=(hub.stop,))
        return create_service_app(spec, settings)

    return create_app

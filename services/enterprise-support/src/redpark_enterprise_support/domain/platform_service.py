"""四个平台: the catalogue of services each platform offers, with its provider (stream
`platform-service-<service_id>`): technical services with partner companies and research
institutes, the mentor and advisor corps, university talent services, finance and resource sharing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.enterprise_support import (
    Platform,
    PlatformServiceListed,
    PlatformServiceWithdrawn,
    ProviderKind,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(service_id: str) -> str:
    return f"platform-service-{service_id}"


class ListService(msgspec.Struct, frozen=True, kw_only=True):
    service_id: str
    platform: Platform
    name: str
    description: str
    provider_name: str
    provider_kind: ProviderKind
    now: datetime
    effective_on: date | None = None


class WithdrawService(msgspec.Struct, frozen=True, kw_only=True):
    service_id: str
    now: datetime
    effective_on: date | None = None


ServiceCommand = ListService | WithdrawService
ServiceEvent = PlatformServiceListed | PlatformServiceWithdrawn


class NoService(msgspec.Struct, frozen=True, tag=True):
    pass


class Offered(msgspec.Struct, frozen=True, tag=True):
    platform: Platform


class Withdrawn(msgspec.Struct, frozen=True, tag=True):
    platform: Platform


ServiceState = NoService | Offered | Withdrawn


def decide(command: ServiceCommand, state: ServiceState) -> list[ServiceEvent]:
    match command:
        case ListService():
            if not isinstance(state, NoService):
                raise ERRORS.error("service.already_listed", field="service_id", service_id=command.service_id)
            if not command.name.strip():
                raise ERRORS.error("service.name_missing", field="name")
            if not command.provider_name.strip():
                raise ERRORS.error("service.provider_missing", field="provider_name")
            return [PlatformServiceListed(
                service_id=command.service_id, platform=command.platform, name=command.name.strip(),
                description=command.description.strip(), provider_name=command.provider_name.strip(),
                provider_kind=command.provider_kind, listed_on=effective_date(command.effective_on, command.now))]
        case WithdrawService():
            if isinstance(state, NoService):
                raise ERRORS.error("service.unknown", field="service_id", service_id=command.service_id)
            if isinstance(state, Withdrawn):
                raise ERRORS.error("service.withdrawn", field="service_id", service_id=command.service_id)
            return [PlatformServiceWithdrawn(service_id=command.service_id,
                                             withdrawn_on=effective_date(command.effective_on, command.now))]
        case _:
            assert_never(command)


def evolve(state: ServiceState, event: ServiceEvent) -> ServiceState:
    match event:
        case PlatformServiceListed():
            return Offered(platform=event.platform)
        case PlatformServiceWithdrawn():
            assert not isinstance(state, NoService)
            return Withdrawn(platform=state.platform)
        case _:
            assert_never(event)


decider: Decider[ServiceCommand, ServiceState, ServiceEvent] = Decider(initial=NoService(), decide=decide,
                                                                       evolve=evolve)

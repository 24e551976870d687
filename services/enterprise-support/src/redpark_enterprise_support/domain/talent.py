"""人才服务平台: university internship bases (stream `internship-base-<base_id>`).
Talent fairs are platform activities (`platform_activity`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec
from redpark_contracts.enterprise_support import InternshipBaseClosed, InternshipBaseEstablished
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date


def stream_id(base_id: str) -> str:
    return f"internship-base-{base_id}"


class EstablishBase(msgspec.Struct, frozen=True, kw_only=True):
    base_id: str
    university: str
    host_enterprise_id: str | None
    places: int
    host_in_park: bool  # True when hosted by the park itself
    now: datetime
    effective_on: date | None = None


class CloseBase(msgspec.Struct, frozen=True, kw_only=True):
    base_id: str
    reason: str
    now: datetime
    effective_on: date | None = None


BaseCommand = EstablishBase | CloseBase
BaseEvent = InternshipBaseEstablished | InternshipBaseClosed


class NoBase(msgspec.Struct, frozen=True, tag=True):
    pass


class OpenBase(msgspec.Struct, frozen=True, tag=True):
    established_on: date


class ClosedBase(msgspec.Struct, frozen=True, tag=True):
    pass


BaseState = NoBase | OpenBase | ClosedBase


def decide(command: BaseCommand, state: BaseState) -> list[BaseEvent]:
    match command:
        case EstablishBase():
            if not isinstance(state, NoBase):
                raise DomainError("internship_base.exists", f"internship base {command.base_id} already exists",
                                  detail_zh="该实训基地已存在", field="base_id")
            if not command.university.strip():
                raise InvalidCommand("internship_base.university_missing", "name the partner university",
                                     detail_zh="请填写合作高校", field="university")
            if command.places <= 0:
                raise InvalidCommand("internship_base.no_places", "a base offers at least one place",
                                     detail_zh="实训名额必须大于零", field="places")
            if not command.host_in_park:
                raise DomainError("internship_base.host_not_in_park", "the host enterprise is not in the park",
                                  detail_zh="承接企业不在园区内", field="host_enterprise_id")
            return [InternshipBaseEstablished(base_id=command.base_id, university=command.university.strip(),
                                              host_enterprise_id=command.host_enterprise_id, places=command.places,
                                              established_on=effective_date(command.effective_on, command.now))]
        case CloseBase():
            if not isinstance(state, OpenBase):
                raise NotFound("internship_base.not_open", f"internship base {command.base_id} is not open",
                               detail_zh="该实训基地不存在或已关闭", field="base_id")
            return [InternshipBaseClosed(base_id=command.base_id, reason=command.reason.strip(),
                                         closed_on=effective_date(command.effective_on, command.now))]
        case _:
            assert_never(command)


def evolve(state: BaseState, event: BaseEvent) -> BaseState:
    match event:
        case InternshipBaseEstablished():
            return OpenBase(established_on=event.established_on)
        case InternshipBaseClosed():
            return ClosedBase()
        case _:
            assert_never(event)


decider: Decider[BaseCommand, BaseState, BaseEvent] = Decider(initial=NoBase(), decide=decide, evolve=evolve)

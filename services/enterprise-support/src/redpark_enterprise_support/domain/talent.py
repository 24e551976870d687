"""人才服务平台: university internship bases (stream `internship-base-<base_id>`).
Talent fairs are platform activities (`platform_activity`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.enterprise_support import InternshipBaseClosed, InternshipBaseEstablished
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


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
                raise ERRORS.error("internship_base.exists", field="base_id", base_id=command.base_id)
            if not command.university.strip():
                raise ERRORS.error("internship_base.university_missing", field="university")
            if command.places <= 0:
                raise ERRORS.error("internship_base.no_places", field="places")
            if not command.host_in_park:
                raise ERRORS.error("internship_base.host_not_in_park", field="host_enterprise_id")
            return [InternshipBaseEstablished(base_id=command.base_id, university=command.university.strip(),
                                              host_enterprise_id=command.host_enterprise_id, places=command.places,
                                              established_on=effective_date(command.effective_on, command.now))]
        case CloseBase():
            if not isinstance(state, OpenBase):
                raise ERRORS.error("internship_base.not_open", field="base_id", base_id=command.base_id)
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

"""Zone (A区 / B区): the park's phases, which group its buildings."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import ZoneDefined
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(zone_id: str) -> str:
    return f"zone-{zone_id}"


class DefineZone(msgspec.Struct, frozen=True, kw_only=True):
    zone_id: str
    name: str
    phase: int
    now: datetime


ZoneCommand = DefineZone
ZoneEvent = ZoneDefined


class NoZone(msgspec.Struct, frozen=True, tag=True):
    pass


class Zone(msgspec.Struct, frozen=True, tag=True):
    zone_id: str
    name: str
    phase: int


ZoneState = NoZone | Zone


def decide(command: ZoneCommand, state: ZoneState) -> list[ZoneEvent]:
    match command:
        case DefineZone():
            if isinstance(state, Zone):
                raise ERRORS.error("zone.already_defined", field="zone_id", zone_id=command.zone_id)
            if not command.name.strip():
                raise ERRORS.error("zone.name_missing", field="name")
            if command.phase < 1:
                raise ERRORS.error("zone.phase_invalid", field="phase")
            return [ZoneDefined(zone_id=command.zone_id, name=command.name.strip(), phase=command.phase)]
        case _:
            assert_never(command)


def evolve(state: ZoneState, event: ZoneEvent) -> ZoneState:
    match event:
        case ZoneDefined():
            return Zone(zone_id=event.zone_id, name=event.name, phase=event.phase)
        case _:
            assert_never(event)


decider: Decider[ZoneCommand, ZoneState, ZoneEvent] = Decider(initial=NoZone(), decide=decide, evolve=evolve)

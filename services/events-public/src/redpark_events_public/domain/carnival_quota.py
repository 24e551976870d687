"""The carnival's per-phone daily limit: how many carnival registrations one phone holds a day.

The limit spans every session of the carnival, so no session stream can enforce it. Each phone
gets its own small stream per carnival (keyed by the phone's hash, never the number): the
registration takes a quota slot there first, then goes to its session's writer; if the session
refuses it, or it is cancelled later, the slot is released. Taking and releasing are idempotent
per registration, so a retried or repeated compensation changes nothing. The day is the
session's day in park time, not the day the registration was made: the limit is about how many
activities one family occupies on a carnival day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.events_public import CarnivalQuotaEvent, CarnivalQuotaReleased, CarnivalQuotaTaken
from redpark_platform.decider import Decider

from .errors import ERRORS


class TakeCarnivalQuota(msgspec.Struct, frozen=True, kw_only=True):
    carnival_id: str
    phone_hash: str
    day: date
    registration_id: str
    session_id: str
    daily_limit: int | None  # the carnival's `daily_limit_per_phone`; None = no limit
    now: datetime


class ReleaseCarnivalQuota(msgspec.Struct, frozen=True, kw_only=True):
    carnival_id: str
    phone_hash: str
    registration_id: str
    now: datetime


CarnivalQuotaCommand = TakeCarnivalQuota | ReleaseCarnivalQuota


class CarnivalQuota(msgspec.Struct, frozen=True, kw_only=True):
    held: dict[str, date] = {}  # registration id -> carnival day

    def used_on(self, day: date) -> int:
        return sum(1 for d in self.held.values() if d == day)


def carnival_quota_stream(carnival_id: str, phone_hash: str) -> str:
    return f"carnival-quota-{carnival_id}-{phone_hash}"


def decide_quota(command: CarnivalQuotaCommand, state: CarnivalQuota) -> list[CarnivalQuotaEvent]:
    match command:
        case TakeCarnivalQuota():
            if command.registration_id in state.held:
                return []
            limit = command.daily_limit
            if limit is not None and state.used_on(command.day) >= limit:
                raise ERRORS.error("registration.daily_limit_reached", field="phone", limit=limit, day=command.day)
            return [
                CarnivalQuotaTaken(
                    carnival_id=command.carnival_id,
                    phone_hash=command.phone_hash,
                    day=command.day,
                    registration_id=command.registration_id,
                    session_id=command.session_id,
                    taken_at=command.now,
                )
            ]
        case ReleaseCarnivalQuota():
            day = state.held.get(command.registration_id)
            if day is None:
                return []
            return [
                CarnivalQuotaReleased(
                    carnival_id=command.carnival_id,
                    phone_hash=command.phone_hash,
                    day=day,
                    registration_id=command.registration_id,
                    released_at=command.now,
                )
            ]
        case _:
            assert_never(command)


def evolve_quota(state: CarnivalQuota, event: CarnivalQuotaEvent) -> CarnivalQuota:
    match event:
        case CarnivalQuotaTaken():
            return CarnivalQuota(held={**state.held, event.registration_id: event.day})
        case CarnivalQuotaReleased():
            return CarnivalQuota(held={r: d for r, d in state.held.items() if r != event.registration_id})
        case _:
            assert_never(event)


carnival_quota_decider: Decider[CarnivalQuotaCommand, CarnivalQuota, CarnivalQuotaEvent] = Decider(
    initial=CarnivalQuota, decide=decide_quota, evolve=evolve_quota
)

"""The commands of the session aggregate (decided in `session.py`). Time and fresh ids come in
with the command, so every rule is judged against the values it is given."""

from __future__ import annotations

from datetime import datetime

import msgspec

from redpark_contracts.events_public import ActivityKind


class ScheduleSession(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    activity_id: str
    activity_kind: ActivityKind
    carnival_id: str | None = None
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    min_age: int | None = None
    max_age: int | None = None
    registration_opens_at: datetime
    registration_closes_at: datetime
    max_party_size: int = 5
    waitlist_limit: int | None = None
    now: datetime


class Register(msgspec.Struct, frozen=True, kw_only=True):
    """One public registration. `phone` is already normalised and `phone_hash` computed with the
    service's secret; `registration_id`, `registrant_id` and `ticket_code` are minted outside."""

    session_id: str
    registration_id: str
    registrant_id: str
    name: str
    phone: str
    phone_hash: str
    adults: int
    children_ages: list[int] = []
    consent: bool
    ticket_code: str
    now: datetime  # when this registration arrived: the window and the order are judged by it


class RegisterBatch(msgspec.Struct, frozen=True, kw_only=True):
    registrations: list[Register]  # in arrival order


class CancelRegistration(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    ticket_code: str
    phone_hash: str  # the phone proves it is the registrant cancelling
    now: datetime


class CheckIn(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str  # the session at whose door the ticket is shown
    ticket_code: str
    now: datetime


class CountNoShows(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    now: datetime


SessionCommand = ScheduleSession | Register | RegisterBatch | CancelRegistration | CheckIn | CountNoShows

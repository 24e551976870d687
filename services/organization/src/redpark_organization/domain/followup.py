"""Pending transfer-in follow-ups (stream `transfer-followup-<followup_id>`): a party member hired by an
enterprise of the park, as enterprise-support heard it from the recruitment system, whose
organizational relationship is still held elsewhere. Staff resolve it once the person is in the
census as a member (registered, or transferred in) or dismiss it with a reason.

Opening is asked again whenever the hire's event is delivered again (a redelivery, a rebuild of
the reaction): a follow-up that exists, in any state, is left as it is, so no event is repeated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization_followups import (
    TransferFollowupDismissed,
    TransferFollowupOpened,
    TransferFollowupResolved,
)
from redpark_platform.calendar import effective_date, park_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(followup_id: str) -> str:
    return f"transfer-followup-{followup_id}"


class OpenFollowup(msgspec.Struct, frozen=True, kw_only=True):
    followup_id: str
    enterprise_id: str
    name: str
    relationship_held_by: str
    since: date
    now: datetime


class ResolveFollowup(msgspec.Struct, frozen=True, kw_only=True):
    followup_id: str
    member_id: str
    member_in_park: bool  # the member's own stream: registered or transferred in, not gone
    now: datetime
    effective_on: date | None = None


class DismissFollowup(msgspec.Struct, frozen=True, kw_only=True):
    followup_id: str
    reason: str
    now: datetime
    effective_on: date | None = None


FollowupCommand = OpenFollowup | ResolveFollowup | DismissFollowup
FollowupEvent = TransferFollowupOpened | TransferFollowupResolved | TransferFollowupDismissed


class NoFollowup(msgspec.Struct, frozen=True, tag=True):
    pass


class Pending(msgspec.Struct, frozen=True, tag=True):
    since: date


class Closed(msgspec.Struct, frozen=True, tag=True):
    pass


FollowupState = NoFollowup | Pending | Closed


def _pending(state: FollowupState, followup_id: str) -> Pending:
    if isinstance(state, NoFollowup):
        raise ERRORS.error("followup.unknown", field="followup_id", followup_id=followup_id)
    if isinstance(state, Closed):
        raise ERRORS.error("followup.closed", field="followup_id", followup_id=followup_id)
    return state


def decide(command: FollowupCommand, state: FollowupState) -> list[FollowupEvent]:
    match command:
        case OpenFollowup():
            if not isinstance(state, NoFollowup):
                return []
            return [TransferFollowupOpened(
                followup_id=command.followup_id, enterprise_id=command.enterprise_id, name=command.name.strip(),
                relationship_held_by=command.relationship_held_by.strip(), since=command.since,
                opened_on=park_date(command.now))]
        case ResolveFollowup():
            pending = _pending(state, command.followup_id)
            if not command.member_in_park:
                raise ERRORS.error("followup.member_not_registered", field="member_id", member_id=command.member_id)
            on = effective_date(command.effective_on, command.now)
            if on < pending.since:
                raise ERRORS.error("followup.closed_before_hire", field="effective_on")
            return [TransferFollowupResolved(followup_id=command.followup_id, member_id=command.member_id,
                                             resolved_on=on)]
        case DismissFollowup():
            pending = _pending(state, command.followup_id)
            if not command.reason.strip():
                raise ERRORS.error("followup.reason_missing", field="reason")
            on = effective_date(command.effective_on, command.now)
            if on < pending.since:
                raise ERRORS.error("followup.closed_before_hire", field="effective_on")
            return [TransferFollowupDismissed(followup_id=command.followup_id, reason=command.reason.strip(),
                                              dismissed_on=on)]
        case _:
            assert_never(command)


def evolve(state: FollowupState, event: FollowupEvent) -> FollowupState:
    match event:
        case TransferFollowupOpened():
            return Pending(since=event.since)
        case TransferFollowupResolved() | TransferFollowupDismissed():
            return Closed()
        case _:
            assert_never(event)


decider: Decider[FollowupCommand, FollowupState, FollowupEvent] = Decider(initial=NoFollowup(), decide=decide,
                                                                          evolve=evolve)

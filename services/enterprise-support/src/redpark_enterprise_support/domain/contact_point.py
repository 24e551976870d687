"""联系点: a committee member of the general branch, or a branch, answers for each enterprise.

Stream `contact-point-<enterprise_id>`. Facts from elsewhere come in the command, filled in by
the application layer from the read models: `in_park_since` (the day of the organization's
move-in, None when the enterprise is not in the park) and, for a branch, `branch_active`.
A contact point assigned before the enterprise's latest move-in ended with its earlier stay.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.enterprise_support import ContactKind, ContactPointAssigned, ContactPointReleased
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(enterprise_id: str) -> str:
    return f"contact-point-{enterprise_id}"


class AssignContactPoint(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    contact_kind: ContactKind
    contact_id: str
    contact_name: str
    in_park_since: date | None
    branch_active: bool  # only read for a branch
    now: datetime
    effective_on: date | None = None


class ReleaseContactPoint(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    reason: str
    now: datetime
    effective_on: date | None = None


ContactPointCommand = AssignContactPoint | ReleaseContactPoint
ContactPointEvent = ContactPointAssigned | ContactPointReleased


class NoContactPoint(msgspec.Struct, frozen=True, tag=True):
    pass


class HasContactPoint(msgspec.Struct, frozen=True, tag=True):
    contact_id: str
    assigned_on: date


ContactPointState = NoContactPoint | HasContactPoint


def decide(command: ContactPointCommand, state: ContactPointState) -> list[ContactPointEvent]:
    match command:
        case AssignContactPoint():
            on = effective_date(command.effective_on, command.now)
            if not command.contact_id.strip() or not command.contact_name.strip():
                raise ERRORS.error("contact_point.contact_missing", field="contact_id")
            if command.in_park_since is None:
                raise ERRORS.error("contact_point.enterprise_not_in_park", field="enterprise_id",
                                   enterprise_id=command.enterprise_id)
            if command.contact_kind == "branch" and not command.branch_active:
                raise ERRORS.error("contact_point.branch_not_active", field="contact_id", contact_id=command.contact_id)
            replaced = None
            if isinstance(state, HasContactPoint) and state.assigned_on >= command.in_park_since:
                if state.contact_id == command.contact_id.strip():
                    return []  # already so: a repeated PUT changes nothing
                replaced = state.contact_id
            return [ContactPointAssigned(
                enterprise_id=command.enterprise_id, contact_kind=command.contact_kind,
                contact_id=command.contact_id.strip(), contact_name=command.contact_name.strip(),
                replaced_contact_id=replaced, assigned_on=on)]
        case ReleaseContactPoint():
            if not isinstance(state, HasContactPoint):
                raise ERRORS.error("contact_point.none", field="enterprise_id", enterprise_id=command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            return [ContactPointReleased(enterprise_id=command.enterprise_id, contact_id=state.contact_id,
                                         released_on=on, reason=command.reason)]
        case _:
            assert_never(command)


def evolve(state: ContactPointState, event: ContactPointEvent) -> ContactPointState:
    match event:
        case ContactPointAssigned():
            return HasContactPoint(contact_id=event.contact_id, assigned_on=event.assigned_on)
        case ContactPointReleased():
            return NoContactPoint()
        case _:
            assert_never(event)


decider: Decider[ContactPointCommand, ContactPointState, ContactPointEvent] = Decider(
    initial=NoContactPoint(), decide=decide, evolve=evolve)

"""United-front contacts (统战对象) and non-member talent: census baselines (3) and (4).

One stream per person (`contact-<person_id>`). Facts from other streams come in the command,
filled in by the application layer:
- `person_is_member` (Register/Update): the person is a registered Party member; then they are
  not a *non-member* legal representative or tech talent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import (
    ContactCategory,
    UnitedFrontContactRegistered,
    UnitedFrontContactRemoved,
    UnitedFrontContactUpdated,
    categories_text,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS

_NON_MEMBER_ONLY: frozenset[ContactCategory] = frozenset({"non_member_legal_representative", "tech_talent"})


def stream_id(person_id: str) -> str:
    return f"contact-{person_id}"


class _ContactDetails(msgspec.Struct, frozen=True, kw_only=True):
    """Who a contact is, as registering states it and an update restates it."""

    person_id: str
    name: str
    enterprise_id: str | None
    categories: list[ContactCategory]
    political_status: str
    nationality: str = ""
    phone: str = ""
    person_is_member: bool
    now: datetime
    effective_on: date | None = None


class RegisterContact(_ContactDetails, frozen=True, kw_only=True):
    pass


class UpdateContact(_ContactDetails, frozen=True, kw_only=True):
    pass


class RemoveContact(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    reason: str
    now: datetime
    effective_on: date | None = None


ContactCommand = RegisterContact | UpdateContact | RemoveContact
ContactEvent = UnitedFrontContactRegistered | UnitedFrontContactUpdated | UnitedFrontContactRemoved


class NoContact(msgspec.Struct, frozen=True, tag=True):
    pass


class Contact(msgspec.Struct, frozen=True, tag=True):
    person_id: str


class RemovedContact(msgspec.Struct, frozen=True, tag=True):
    person_id: str


ContactState = NoContact | Contact | RemovedContact


def _check(command: RegisterContact | UpdateContact) -> list[ContactCategory]:
    categories = list(dict.fromkeys(command.categories))
    if not command.name.strip():
        raise ERRORS.error("contact.name_missing", field="name")
    if not categories:
        raise ERRORS.error("contact.category_missing", field="categories")
    if "foreign_national" in categories and not command.nationality.strip():
        raise ERRORS.error("contact.nationality_missing", field="nationality")
    if command.person_is_member and _NON_MEMBER_ONLY.intersection(categories):
        raise ERRORS.error("contact.is_member", field="categories")
    return categories


def decide(command: ContactCommand, state: ContactState) -> list[ContactEvent]:
    match command:
        case RegisterContact():
            if isinstance(state, Contact):
                raise ERRORS.error("contact.already_registered", field="person_id", person_id=command.person_id)
            categories = _check(command)
            on = effective_date(command.effective_on, command.now)
            return [UnitedFrontContactRegistered(
                person_id=command.person_id, name=command.name.strip(), enterprise_id=command.enterprise_id,
                categories=categories_text(categories), political_status=command.political_status.strip(),
                nationality=command.nationality.strip(), phone=command.phone.strip(), registered_on=on,
            )]
        case UpdateContact():
            if not isinstance(state, Contact):
                raise ERRORS.error("contact.unknown", field="person_id", person_id=command.person_id)
            categories = _check(command)
            on = effective_date(command.effective_on, command.now)
            return [UnitedFrontContactUpdated(
                person_id=command.person_id, name=command.name.strip(), enterprise_id=command.enterprise_id,
                categories=categories_text(categories), political_status=command.political_status.strip(),
                nationality=command.nationality.strip(), phone=command.phone.strip(), updated_on=on,
            )]
        case RemoveContact():
            if not isinstance(state, Contact):
                raise ERRORS.error("contact.unknown", field="person_id", person_id=command.person_id)
            on = effective_date(command.effective_on, command.now)
            return [UnitedFrontContactRemoved(person_id=command.person_id, removed_on=on, reason=command.reason)]
        case _:
            assert_never(command)


def evolve(state: ContactState, event: ContactEvent) -> ContactState:
    match event:
        case UnitedFrontContactRegistered() | UnitedFrontContactUpdated():
            return Contact(person_id=event.person_id)
        case UnitedFrontContactRemoved():
            return RemovedContact(person_id=event.person_id)
        case _:
            assert_never(event)


decider: Decider[ContactCommand, ContactState, ContactEvent] = Decider(
    initial=NoContact(), decide=decide, evolve=evolve)

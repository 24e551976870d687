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
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date

_NON_MEMBER_ONLY: frozenset[ContactCategory] = frozenset({"non_member_legal_representative", "tech_talent"})


def stream_id(person_id: str) -> str:
    return f"contact-{person_id}"


class RegisterContact(msgspec.Struct, frozen=True, kw_only=True):
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


class UpdateContact(msgspec.Struct, frozen=True, kw_only=True):
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
        raise InvalidCommand("contact.name_missing", "a contact needs a name", detail_zh="姓名不能为空", field="name")
    if not categories:
        raise InvalidCommand("contact.category_missing", "say why the person is on the ledger (at least one category)",
                             detail_zh="至少选择一个类别", field="categories")
    if "foreign_national" in categories and not command.nationality.strip():
        raise InvalidCommand("contact.nationality_missing", "a foreign national's nationality is recorded",
                             detail_zh="外籍人士须登记国籍", field="nationality")
    if command.person_is_member and _NON_MEMBER_ONLY.intersection(categories):
        raise DomainError("contact.is_member",
                          "this person is a Party member: not a non-member legal representative or tech talent",
                          detail_zh="该人员是党员，不属于非党员法人或科技人才", field="categories")
    return categories


def decide(command: ContactCommand, state: ContactState) -> list[ContactEvent]:
    match command:
        case RegisterContact():
            if isinstance(state, Contact):
                raise DomainError("contact.already_registered", f"{command.person_id} is already on the ledger",
                                  detail_zh="该人员已登记", field="person_id")
            categories = _check(command)
            on = effective_date(command.effective_on, command.now)
            return [UnitedFrontContactRegistered(
                person_id=command.person_id, name=command.name.strip(), enterprise_id=command.enterprise_id,
                categories=categories, political_status=command.political_status.strip(),
                nationality=command.nationality.strip(), phone=command.phone.strip(), registered_on=on,
            )]
        case UpdateContact():
            if not isinstance(state, Contact):
                raise NotFound("contact.unknown", f"{command.person_id} is not on the ledger", detail_zh="该人员未登记",
                               field="person_id")
            categories = _check(command)
            on = effective_date(command.effective_on, command.now)
            return [UnitedFrontContactUpdated(
                person_id=command.person_id, name=command.name.strip(), enterprise_id=command.enterprise_id,
                categories=categories, political_status=command.political_status.strip(),
                nationality=command.nationality.strip(), phone=command.phone.strip(), updated_on=on,
            )]
        case RemoveContact():
            if not isinstance(state, Contact):
                raise NotFound("contact.unknown", f"{command.person_id} is not on the ledger", detail_zh="该人员未登记",
                               field="person_id")
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


decider: Decider[ContactCommand, ContactState, ContactEvent] = Decider(initial=NoContact(), decide=decide, evolve=evolve)

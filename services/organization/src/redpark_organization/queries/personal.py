"""Personal data (phone, ID number) as lists and exports show it: masked unless the caller needs it.

The read models hold no personal field (README); the values are read from the store, where they
are sealed per person, so a forgotten person shows "已删除" here too. Only `park_admin` may ask for
the full values (`personal=full`); every other caller, and every list by default, sees them masked:
138****8000, 110***********1234.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

import msgspec
from fastapi import Query

from redpark_contracts.organization import MemberContactUpdated, MemberRegistered, registry
from redpark_platform.events import RecordedEvent
from redpark_platform.masking import mask_id_number, mask_phone
from redpark_platform.store import EventStore
from redpark_platform.web import Principal
from redpark_platform.web.auth import Forbidden

from ..domain import member

PersonalView = Literal["masked", "full"]
Personal = Annotated[PersonalView, Query(
    description="`masked` (default) or `full`; only park_admin may see phone and ID numbers in full")]

ROLES_SEEING_FULL = frozenset({"park_admin"})
_TYPES = [registry.type_of(MemberRegistered).key, registry.type_of(MemberContactUpdated).key]


class MemberContact(msgspec.Struct, frozen=True, kw_only=True):
    phone: str = ""
    id_number: str = ""


def full_view(who: Principal, view: PersonalView) -> bool:
    """Whether the caller gets full values; asking for them without the role is refused."""
    if view == "masked":
        return False
    if not ROLES_SEEING_FULL & set(who.roles):
        raise Forbidden("only a park administrator may see phone and ID numbers in full",
                        "仅园区管理员可查看完整的手机号码和身份证号码")
    return True


def shown(contact: MemberContact | None, full: bool) -> MemberContact:
    if contact is None:
        return MemberContact()
    if full:
        return contact
    return MemberContact(phone=mask_phone(contact.phone), id_number=mask_id_number(contact.id_number))


async def member_contacts(store: EventStore, member_ids: Sequence[str]) -> dict[str, MemberContact]:
    """The members' current phone and ID number, opened from the store (one query for all)."""
    if not member_ids:
        return {}
    streams = [member.stream_id(m) for m in member_ids]
    rows = await store.pool.fetch(
        "SELECT position, id, stream_id, version, type, type_version, data::text AS data, recorded_at, traceparent"
        " FROM events WHERE stream_id = ANY($1::text[]) AND type = ANY($2::text[]) ORDER BY position",
        streams, _TYPES)
    records = [RecordedEvent(id=r["id"], stream_id=r["stream_id"], version=r["version"], position=r["position"],
                             type=r["type"], type_version=r["type_version"], data=r["data"].encode(),
                             recorded_at=r["recorded_at"], traceparent=r["traceparent"]) for r in rows]
    out: dict[str, MemberContact] = {}
    for event in await store.decode_all(records):
        match event:
            case MemberRegistered():
                out[event.member_id] = MemberContact(phone=event.phone, id_number=event.id_number)
            case MemberContactUpdated():
                before = out.get(event.member_id, MemberContact())
                out[event.member_id] = MemberContact(phone=event.phone, id_number=before.id_number)
            case _:
                pass
    return out

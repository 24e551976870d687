"""The recruitment part of the published contract: subjects, and a party member's phone sealed under the
hire and erased on request while the hire itself stays."""

from __future__ import annotations

from datetime import date

import asyncpg

from redpark_contracts.enterprise_support import (
    HireRecorded,
    InternshipPlaced,
    PartyMemberHireDeclared,
    TalentFairParticipated,
    registry,
)
from redpark_platform.personal import ERASED
from redpark_platform.store import EventStore

DECLARED = PartyMemberHireDeclared(hire_id="h1", enterprise_id="e1", name="李明", relationship_held_by="某大学党委",
                                   hired_on=date(2025, 7, 1), phone="13800001234")


def test_the_recruitment_events_have_their_subjects_and_the_phone_and_the_interns_name_are_personal() -> None:
    subjects = {cls.__name__: registry.type_of(cls).subject
                for cls in (HireRecorded, PartyMemberHireDeclared, TalentFairParticipated, InternshipPlaced)}
    assert subjects == {"HireRecorded": "enterprise-support.hire.recorded",
                        "PartyMemberHireDeclared": "enterprise-support.hire.party_member_declared",
                        "TalentFairParticipated": "enterprise-support.talent_fair.participated",
                        "InternshipPlaced": "enterprise-support.internship.placed"}
    assert (PartyMemberHireDeclared.personal_fields, PartyMemberHireDeclared.personal_subject) == (("phone",), "hire_id")
    assert HireRecorded.personal_fields == ()
    assert (InternshipPlaced.personal_fields, InternshipPlaced.personal_subject) == (("student_name",), "placement_id")


async def test_the_phone_is_stored_sealed_and_erased_with_the_hire_kept(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    hired = HireRecorded(hire_id="h1", enterprise_id="e1", position="工程师", hired_on=date(2025, 7, 1))
    await store.append("hire-h1", [hired, DECLARED], expected_version=0)
    raw = await pg_pool.fetchval("SELECT data::text FROM events WHERE type = 'hire.party_member_declared'")
    assert "13800001234" not in raw and "李明" in raw
    assert [e.event for e in (await store.read_stream("hire-h1")).events] == [hired, DECLARED]
    await store.forget_person("h1")
    first, second = (await store.read_stream("hire-h1")).events
    assert first.event == hired and second.event.phone == ERASED and second.event.name == "李明"

"""The published contract: subjects, round trips, and personal fields sealed in the store."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime

import asyncpg

from redpark_contracts import organization as contract
from redpark_contracts.organization import MemberRegistered, registry
from redpark_platform.personal import ERASED
from redpark_platform.store import EventStore

AGGREGATES = {
    "zone", "building", "enterprise", "branch", "general_branch", "member", "dues", "development", "contact", "grid",
    "rule", "inspection", "rectification", "handling", "branch_meeting", "assessment", "department",
    "three_way_review", "warning_talk", "post", "award", "award_list", "venue", "funds", "branch_funds",
    "transfer_followup", "transfer_letter",
    "person",  # person: the erasure every service publishes (redpark_contracts.privacy)
}


def test_every_event_has_a_subject_organization_aggregate_name() -> None:
    types = registry.types()
    assert len(types) >= 30
    for et in types:
        service, aggregate, name = et.subject.split(".")
        assert service == "organization" and aggregate in AGGREGATES
        assert name == name.lower() and " " not in name
        # contact.registered/updated are v2: their categories sealed with the name (v1 upcast on load).
        version = 2 if et.subject in ("organization.contact.registered", "organization.contact.updated") else 1
        assert et.ce_type == f"redpark.{et.subject}.v{version}"
    assert registry.type_of(contract.EnterpriseMovedIn).subject == "organization.enterprise.moved_in"


def test_the_events_named_in_the_issue_are_all_published() -> None:
    subjects = {et.subject for et in registry.types()}
    assert {
        "organization.enterprise.moved_in", "organization.enterprise.moved_out", "organization.branch.established",
        "organization.branch.dissolved", "organization.building.assigned", "organization.member.joined_branch",
        "organization.member.left_branch", "organization.member.status_changed",
    } <= subjects


def test_personal_fields_are_declared_with_a_subject_and_typed_as_text() -> None:
    personal = {et.cls.__name__: (et.cls.personal_fields, et.cls.personal_subject) for et in registry.types()
                if et.cls.personal_fields}
    assert personal["MemberRegistered"] == (("name", "phone", "id_number"), "member_id")
    assert personal["UnitedFrontContactRegistered"] == (("name", "categories", "political_status", "nationality",
                                                         "phone"), "person_id")
    for et in registry.types():
        hints = typing.get_type_hints(et.cls)
        for field in et.cls.personal_fields:
            # a sealed or erased value is a string, so a personal field must accept one
            assert hints[field] is str, f"{et.cls.__name__}.{field} must be str"


def test_every_event_round_trips_through_json() -> None:
    sample = MemberRegistered(member_id="m1", name="王五", enterprise_id=None, status="full",
                              joined_party_on=date(2010, 7, 1), relationship="in_park", relationship_held_by="",
                              phone="13800000000", id_number="11010519491231002X", registered_on=date(2025, 1, 5))
    key = registry.type_of(sample).key
    assert registry.decode(key, 1, registry.encode(sample)) == sample
    plan = contract.GridPlan(branches_to_form=[contract.PlannedBranch(
        ref="planned:1", kind="joint", enterprise_ids=["e1"], building_ids=["a1"], full_members=3)])
    adopted = contract.GridPlanAdopted(plan_id="g1", plan=plan, amended=False, adopted_by="admin",
                                       adopted_at=datetime(2025, 6, 15, 2, 0, tzinfo=UTC))
    assert registry.decode("grid.plan_adopted", 1, registry.encode(adopted)) == adopted


async def test_a_members_name_phone_and_id_number_are_stored_sealed_and_erased_on_request(
        pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    event = MemberRegistered(member_id="m1", name="王五", enterprise_id=None, status="full",
                             joined_party_on=date(2010, 7, 1), relationship="in_park", relationship_held_by="",
                             phone="13800000000", id_number="11010519491231002X", registered_on=date(2025, 1, 5))
    await store.append("member-m1", [event], expected_version=0)
    raw = await pg_pool.fetchval("SELECT data::text FROM events WHERE stream_id = 'member-m1'")
    assert "13800000000" not in raw and "11010519491231002X" not in raw and "王五" not in raw
    [loaded] = (await store.read_stream("member-m1")).events
    assert loaded.event == event
    await store.forget_person("m1")
    [forgotten] = (await store.read_stream("member-m1")).events
    assert (forgotten.event.name, forgotten.event.phone, forgotten.event.id_number) == (ERASED, ERASED, ERASED)

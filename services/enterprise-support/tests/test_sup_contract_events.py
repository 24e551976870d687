"""The published contract: subjects, the events others read, round trips, and the need raiser's
phone sealed in the store and erased on request."""

from __future__ import annotations

import typing
from datetime import date

import asyncpg

from redpark_contracts import enterprise_support as contract
from redpark_contracts.enterprise_support import NeedRaised, registry
from redpark_platform.personal import ERASED
from redpark_platform.store import EventStore

AGGREGATES = {"contact_point", "visit", "help_plan", "need", "platform_service", "service_request", "application",
              "internship_base", "platform_activity", "policy", "briefing", "quarterly", "hire", "talent_fair",
              "internship", "person"}  # person: the erasure every service publishes (redpark_contracts.privacy)
RAISED = NeedRaised(need_id="n1", enterprise_id="e1", category="talent", urgency="high", description="缺工程师",
                    raised_by_id="p-n1", raised_by_name="张经理", raised_by_phone="13800138000",
                    raised_on=date(2025, 6, 1), due_on=date(2025, 6, 11))


def test_every_event_has_a_subject_enterprise_support_aggregate_name() -> None:
    types = registry.types()
    assert len(types) == 34
    for et in types:
        service, aggregate, name = et.subject.split(".")
        assert service == "enterprise-support" and aggregate in AGGREGATES
        assert name == name.lower() and " " not in name
        assert et.ce_type == f"redpark.{et.subject}.v1"


def test_the_events_the_assessment_reads_are_published() -> None:
    subjects = {et.subject for et in registry.types()}
    assert {"enterprise-support.visit.made", "enterprise-support.need.resolved", "enterprise-support.quarterly.held",
            "enterprise-support.application.decided"} <= subjects


def test_names_and_phones_are_personal_and_they_are_text() -> None:
    personal = {et.cls.__name__: (et.cls.personal_fields, et.cls.personal_subject) for et in registry.types()
                if et.cls.personal_fields}
    assert personal == {"NeedRaised": (("raised_by_name", "raised_by_phone"), "raised_by_id"),
                        "PartyMemberHireDeclared": (("phone",), "hire_id"),
                        "ContactPointAssigned": (("contact_name",), "contact_id"),
                        "InternshipPlaced": (("student_name",), "placement_id")}
    assert typing.get_type_hints(NeedRaised)["raised_by_phone"] is str


def test_events_round_trip_through_json() -> None:
    held = contract.QuarterlyHeld(kind="tech_exchange_forum", quarter="2025Q3", title="论坛", held_on=date(2025, 9, 1),
                                  participant_enterprise_ids=["e1"], outcomes="成果3项")
    for event in (RAISED, held):
        assert registry.decode(registry.type_of(event).key, 1, registry.encode(event)) == event


async def test_the_raisers_name_and_phone_are_stored_sealed_and_erased_on_request(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    await store.append("need-n1", [RAISED], expected_version=0)
    raw = await pg_pool.fetchval("SELECT data::text FROM events WHERE stream_id = 'need-n1'")
    assert "13800138000" not in raw and "张经理" not in raw
    [loaded] = (await store.read_stream("need-n1")).events
    assert loaded.event == RAISED
    await store.forget_person("p-n1")
    [forgotten] = (await store.read_stream("need-n1")).events
    assert forgotten.event.raised_by_phone == ERASED and forgotten.event.raised_by_name == ERASED
    assert forgotten.event.description == "缺工程师"

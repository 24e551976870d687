"""The published contract: subjects, CloudEvents types, personal fields, round trips."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from redpark_contracts.events_public import (
    ActivityPublished,
    OpenBaseVisitRequested,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    RouteStop,
    registry,
)
from redpark_platform.bus import stream_name

NOW = datetime(2026, 5, 3, 8, tzinfo=UTC)


def test_subjects_and_stream_name() -> None:
    et = registry.type_of(RegistrationConfirmed)
    assert et.subject == "events-public.session.registration_confirmed"
    assert et.ce_type == "redpark.events-public.session.registration_confirmed.v1"
    assert stream_name(registry.service) == "EVENTS_PUBLIC"
    assert all("." not in t.aggregate and "." not in t.name for t in registry.types())
    names = {t.key for t in registry.types()}
    assert {
        "session.registration_confirmed",
        "session.registration_waitlisted",
        "session.registration_cancelled",
        "session.registration_promoted",
        "session.checked_in",
        "volunteer_activity.hours_recorded",
    } <= names


def test_personal_fields_are_sealed_per_registrant_or_contact() -> None:
    for cls in (RegistrationConfirmed, RegistrationWaitlisted, RegistrationPromoted):
        assert set(cls.personal_fields) == {"name", "phone"} and cls.personal_subject == "registrant_id"
        assert "phone_hash" not in cls.personal_fields
    assert set(OpenBaseVisitRequested.personal_fields) == {"contact_name", "contact_phone"}
    assert OpenBaseVisitRequested.personal_subject == "contact_id"


def test_events_round_trip_through_the_registry() -> None:
    events = [
        RegistrationConfirmed(
            session_id="s1",
            registration_id="r1",
            registrant_id="p1",
            name="李雷",
            phone="13800138000",
            phone_hash="h",
            adults=1,
            children_ages=[9],
            seats=2,
            ticket_code="ACDEFGHJ",
            registered_at=NOW,
        ),
        ActivityPublished(
            activity_id="a1",
            kind="family_tech_tour",
            title="Tour",
            published_at=NOW,
            route=[RouteStop(name="Lab", place="A1"), RouteStop(name="Hall", place="B2", minutes=20)],
        ),
    ]
    for e in events:
        et = registry.type_of(e)
        assert registry.decode(et.key, et.version, registry.encode(e)) == e
        assert isinstance(msgspec.json.decode(registry.encode(e)), dict)

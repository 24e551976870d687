"""The census ledger of non-members: united-front contacts, non-member legal representatives, tech talent."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import (
    UnitedFrontContactRegistered,
    UnitedFrontContactRemoved,
    UnitedFrontContactUpdated,
)
from redpark_organization.domain import contact as ct
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(ct.decider)

REGISTERED = UnitedFrontContactRegistered(person_id="p1", name="孙七", enterprise_id="e1",
                                          categories="democratic_party_member", political_status="民盟盟员",
                                          nationality="", phone="", registered_on=date(2025, 1, 1))


def register(**kw: object) -> ct.RegisterContact:
    base: dict[str, object] = dict(person_id="p1", name="孙七", enterprise_id="e1",
                                   categories=["democratic_party_member"], political_status="民盟盟员",
                                   person_is_member=False, now=NOW)
    base.update(kw)
    return ct.RegisterContact(**base)  # type: ignore[arg-type]


def test_a_democratic_party_member_is_registered_as_a_united_front_contact() -> None:
    spec.given([]).when(register()).then([UnitedFrontContactRegistered(
        person_id="p1", name="孙七", enterprise_id="e1", categories="democratic_party_member",
        political_status="民盟盟员", nationality="", phone="", registered_on=TODAY)])
    spec.given([REGISTERED]).when(register()).then_raises(DomainError, code="contact.already_registered")


def test_a_foreign_national_is_registered_with_a_nationality() -> None:
    spec.given([]).when(register(categories=["foreign_national"], political_status="")).then_raises(
        InvalidCommand, code="contact.nationality_missing", field="nationality")
    [event] = spec.given([]).when(register(categories=["foreign_national"], political_status="",
                                           nationality="德国")).then([UnitedFrontContactRegistered(
        person_id="p1", name="孙七", enterprise_id="e1", categories="foreign_national", political_status="",
        nationality="德国", phone="", registered_on=TODAY)])
    assert event.nationality == "德国"


def test_a_party_member_is_not_recorded_as_non_member_legal_representative_or_tech_talent() -> None:
    for category in ("non_member_legal_representative", "tech_talent"):
        spec.given([]).when(register(categories=[category], person_is_member=True)).then_raises(
            DomainError, code="contact.is_member", field="categories")


def test_a_contact_needs_a_category() -> None:
    spec.given([]).when(register(categories=[])).then_raises(InvalidCommand, code="contact.category_missing")


def test_a_contact_is_updated_and_removed_when_they_leave() -> None:
    upd = ct.UpdateContact(person_id="p1", name="孙七", enterprise_id="e2",
                           categories=["democratic_party_member", "tech_talent"], political_status="民盟盟员",
                           person_is_member=False, now=NOW)
    spec.given([REGISTERED]).when(upd).then([UnitedFrontContactUpdated(
        person_id="p1", name="孙七", enterprise_id="e2", categories="democratic_party_member,tech_talent",
        political_status="民盟盟员", nationality="", phone="", updated_on=TODAY)])
    spec.given([]).when(upd).then_raises(NotFound, code="contact.unknown")
    rm = ct.RemoveContact(person_id="p1", reason="离开园区", now=NOW)
    removed = UnitedFrontContactRemoved(person_id="p1", removed_on=TODAY, reason="离开园区")
    spec.given([REGISTERED]).when(rm).then([removed])
    spec.given([REGISTERED, removed]).when(upd).then_raises(NotFound, code="contact.unknown")


def test_a_contacts_categories_travel_as_one_sealable_text_and_an_old_list_is_upcast() -> None:
    """v2 seals the categories with the name; a v1 event (a list, in clear) still loads."""
    from redpark_contracts.organization import categories_of, registry

    [event] = spec.given([]).when(register(categories=["democratic_party_member", "tech_talent",
                                                       "democratic_party_member"])).then([
        UnitedFrontContactRegistered(person_id="p1", name="孙七", enterprise_id="e1",
                                     categories="democratic_party_member,tech_talent", political_status="民盟盟员",
                                     nationality="", phone="", registered_on=TODAY)])
    assert categories_of(event.categories) == ["democratic_party_member", "tech_talent"]
    assert categories_of("已删除") == [] and categories_of("") == []
    assert "categories" in UnitedFrontContactRegistered.personal_fields
    old = {"person_id": "p1", "name": "孙七", "enterprise_id": None, "categories": ["foreign_national"],
           "political_status": "", "nationality": "德国", "phone": "", "registered_on": "2025-01-01"}
    loaded = registry.decode("contact.registered", 1, old)
    assert isinstance(loaded, UnitedFrontContactRegistered) and loaded.categories == "foreign_national"

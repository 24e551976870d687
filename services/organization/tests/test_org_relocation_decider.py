"""An enterprise moving to another building or floor (enterprise.relocated): Given/When/Then."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import (
    EnterpriseJoinedBranch,
    EnterpriseMovedIn,
    EnterpriseMovedOut,
    EnterpriseProfileUpdated,
)
from redpark_contracts.organization_tenancy import EnterpriseRelocated
from redpark_organization.domain import enterprise as ent
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
spec = DeciderSpec(ent.decider)
MOVED_IN = EnterpriseMovedIn(enterprise_id="e1", name="爱科技", building_id="b1", floor=3, headcount=40,
                             is_tech_enterprise=True, legal_representative="张三", moved_in_on=date(2025, 1, 10))


def relocate(**kw: object) -> ent.Relocate:
    base: dict[str, object] = {"enterprise_id": "e1", "building_id": "b2", "floor": 5, "building_floors": 8,
                               "now": NOW, "effective_on": date(2025, 6, 1)}
    base.update(kw)
    return ent.Relocate(**base)  # type: ignore[arg-type]


def test_a_tenant_moves_to_another_building_keeping_its_branch() -> None:
    joined = EnterpriseJoinedBranch(enterprise_id="e1", branch_id="br1", joined_on=date(2025, 2, 1))
    spec.given([MOVED_IN, joined]).when(relocate()).then([EnterpriseRelocated(
        enterprise_id="e1", building_id="b2", floor=5, relocated_on=date(2025, 6, 1))])
    state = spec.given([MOVED_IN, joined]).when(relocate()).then_state(building_id="b2", floor=5, branch_id="br1")
    assert isinstance(state, ent.InPark)


def test_another_floor_of_the_same_building_is_a_relocation_too() -> None:
    spec.given([MOVED_IN]).when(relocate(building_id="b1", floor=4, building_floors=12)).then([EnterpriseRelocated(
        enterprise_id="e1", building_id="b1", floor=4, relocated_on=date(2025, 6, 1))])


def test_the_same_place_again_is_refused_so_a_repeat_adds_nothing() -> None:
    spec.given([MOVED_IN]).when(relocate(building_id="b1", floor=3, building_floors=12)).then_raises(
        DomainError, code="enterprise.relocation_unchanged", field="floor")
    updated = EnterpriseProfileUpdated(enterprise_id="e1", name="爱科技", building_id="b2", floor=5, headcount=40,
                                       is_tech_enterprise=True, legal_representative="张三", updated_on=date(2025, 3, 1))
    spec.given([MOVED_IN, updated]).when(relocate()).then_raises(DomainError, code="enterprise.relocation_unchanged")


def test_an_unknown_building_a_floor_out_of_range_or_a_date_before_moving_in_is_refused() -> None:
    spec.given([MOVED_IN]).when(relocate(building_floors=None)).then_raises(NotFound, code="building.unknown",
                                                                            field="building_id")
    spec.given([MOVED_IN]).when(relocate(floor=9)).then_raises(InvalidCommand, code="enterprise.floor_out_of_range",
                                                               field="floor")
    spec.given([MOVED_IN]).when(relocate(effective_on=date(2025, 1, 1))).then_raises(
        InvalidCommand, code="enterprise.relocated_before_moving_in", field="effective_on")


def test_only_an_enterprise_in_the_park_relocates() -> None:
    spec.given([]).when(relocate()).then_raises(NotFound, code="enterprise.unknown")
    out = EnterpriseMovedOut(enterprise_id="e1", moved_out_on=date(2025, 5, 1))
    spec.given([MOVED_IN, out]).when(relocate()).then_raises(DomainError, code="enterprise.moved_out")

"""Coverage figures and the general branch's readiness to become a party committee."""

from __future__ import annotations

from redpark_organization.domain import party_rules
from redpark_organization.domain.census import BuildingFacts, CensusSnapshot, EnterpriseFacts, ZoneFacts
from redpark_organization.domain.coverage import (
    BuildingCoverage,
    Rate,
    UncoveredEnterprise,
    ZoneCoverage,
    coverage,
    party_committee_readiness,
)

PARK = CensusSnapshot(
    zones=[ZoneFacts(zone_id="A"), ZoneFacts(zone_id="B")],
    buildings=[BuildingFacts(building_id="a1", zone_id="A", sequence_in_zone=1),
               BuildingFacts(building_id="a2", zone_id="A", sequence_in_zone=2),
               BuildingFacts(building_id="b1", zone_id="B", sequence_in_zone=1)],
    enterprises=[
        EnterpriseFacts(enterprise_id="e1", building_id="a1", full_members=4, branch_id="br1"),
        EnterpriseFacts(enterprise_id="e2", building_id="a1", liaison_instructor_id="m1"),
        EnterpriseFacts(enterprise_id="e3", building_id="a2", full_members=1),
        EnterpriseFacts(enterprise_id="e4", building_id="b1"),
    ],
)


def test_coverage_is_covered_over_all_enterprises_in_the_park() -> None:
    assert coverage(PARK).overall == Rate(covered=2, total=4, rate=0.5)


def test_coverage_by_zone_and_by_building() -> None:
    figures = coverage(PARK)
    assert figures.by_zone == [ZoneCoverage(zone_id="A", covered=2, total=3, rate=2 / 3),
                               ZoneCoverage(zone_id="B", covered=0, total=1, rate=0.0)]
    assert figures.by_building == [
        BuildingCoverage(building_id="a1", zone_id="A", covered=2, total=2, rate=1.0),
        BuildingCoverage(building_id="a2", zone_id="A", covered=0, total=1, rate=0.0),
        BuildingCoverage(building_id="b1", zone_id="B", covered=0, total=1, rate=0.0),
    ]


def test_uncovered_enterprises_are_listed_with_the_reason() -> None:
    assert coverage(PARK).uncovered == [
        UncoveredEnterprise(enterprise_id="e3", building_id="a2", zone_id="A", reason="members_not_organized"),
        UncoveredEnterprise(enterprise_id="e4", building_id="b1", zone_id="B", reason="no_members_no_liaison"),
    ]


def test_a_park_without_enterprises_has_no_coverage_rate_rather_than_a_perfect_one() -> None:
    assert coverage(CensusSnapshot()).overall == Rate(covered=0, total=0, rate=None)


def test_the_general_branch_is_ready_to_become_a_party_committee_at_one_hundred_members() -> None:
    def park(full: int, prob: int, elsewhere: int = 0) -> CensusSnapshot:
        return CensusSnapshot(enterprises=[EnterpriseFacts(enterprise_id="e1", building_id="a1", full_members=full,
                                                           probationary_members=prob, members_elsewhere=elsewhere)])

    below = party_committee_readiness(park(90, 9, elsewhere=20))
    assert (below.members, below.ready, below.short_by, below.members_elsewhere) == (99, False, 1, 20)
    assert below.level_allowed == "general_branch"
    at = party_committee_readiness(park(90, 10))
    assert (at.ready, at.short_by, at.level_allowed) == (True, 0, "party_committee")


def test_park_staff_members_count_towards_the_park_membership() -> None:
    snapshot = CensusSnapshot(unattached_full_members=60, unattached_probationary_members=40)
    assert party_committee_readiness(snapshot).ready


def test_the_organization_levels_follow_the_party_thresholds() -> None:
    assert party_rules.organization_level(members=100, full_members=80) == "party_committee"
    assert party_rules.organization_level(members=50, full_members=45) == "general_branch"
    assert party_rules.organization_level(members=49, full_members=3) == "branch"
    assert party_rules.organization_level(members=5, full_members=2) == "joint_branch_only"

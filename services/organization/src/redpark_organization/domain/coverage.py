"""Coverage (全覆盖) and the general branch's readiness to become a party committee (党委).

An enterprise is covered when it is organized in a branch or has a liaison instructor. Coverage
rate = covered / enterprises in the park; with no enterprise there is no rate (None), not 100%.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from . import party_rules
from .census import CensusSnapshot, EnterpriseFacts

UncoveredReason = Literal["members_not_organized", "no_members_no_liaison"]


class Rate(msgspec.Struct, frozen=True, kw_only=True):
    covered: int
    total: int
    rate: float | None


class ZoneCoverage(msgspec.Struct, frozen=True, kw_only=True):
    zone_id: str
    covered: int
    total: int
    rate: float | None


class BuildingCoverage(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    zone_id: str
    covered: int
    total: int
    rate: float | None


class UncoveredEnterprise(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    building_id: str
    zone_id: str
    reason: UncoveredReason


class Coverage(msgspec.Struct, frozen=True, kw_only=True):
    overall: Rate
    by_zone: list[ZoneCoverage]
    by_building: list[BuildingCoverage]
    uncovered: list[UncoveredEnterprise]


def _rate(covered: int, total: int) -> float | None:
    return None if total == 0 else covered / total


def is_covered(enterprise: EnterpriseFacts) -> bool:
    return enterprise.branch_id is not None or enterprise.liaison_instructor_id is not None


def coverage(snapshot: CensusSnapshot) -> Coverage:
    zone_of = {b.building_id: b.zone_id for b in snapshot.buildings}
    per_building: dict[str, list[int]] = {b.building_id: [0, 0] for b in snapshot.buildings}
    per_zone: dict[str, list[int]] = {z.zone_id: [0, 0] for z in snapshot.zones}
    uncovered: list[UncoveredEnterprise] = []
    covered_total = 0
    for e in sorted(snapshot.enterprises, key=lambda e: e.enterprise_id):
        zone_id = zone_of.get(e.building_id, "")
        counts_b = per_building.setdefault(e.building_id, [0, 0])
        counts_z = per_zone.setdefault(zone_id, [0, 0])
        counts_b[1] += 1
        counts_z[1] += 1
        if is_covered(e):
            covered_total += 1
            counts_b[0] += 1
            counts_z[0] += 1
        else:
            reason: UncoveredReason = "members_not_organized" if e.members > 0 else "no_members_no_liaison"
            uncovered.append(UncoveredEnterprise(enterprise_id=e.enterprise_id, building_id=e.building_id,
                                                 zone_id=zone_id, reason=reason))
    return Coverage(
        overall=Rate(covered=covered_total, total=len(snapshot.enterprises),
                     rate=_rate(covered_total, len(snapshot.enterprises))),
        by_zone=[ZoneCoverage(zone_id=z, covered=c, total=t, rate=_rate(c, t))
                 for z, (c, t) in sorted(per_zone.items())],
        by_building=[BuildingCoverage(building_id=b, zone_id=zone_of.get(b, ""), covered=c, total=t, rate=_rate(c, t))
                     for b, (c, t) in sorted(per_building.items())],
        uncovered=uncovered,
    )


class UpgradeReadiness(msgspec.Struct, frozen=True, kw_only=True):
    """Whether membership allows the general branch to be upgraded to a party committee. The
    upgrade itself needs the higher committee's approval (报请上级党工委批准)."""

    members: int  # relationship held by the park, probationary included
    full_members: int
    members_elsewhere: int  # would count once their relationships are transferred in
    threshold: int
    ready: bool
    short_by: int
    level_allowed: party_rules.OrganizationLevel


def party_committee_readiness(snapshot: CensusSnapshot) -> UpgradeReadiness:
    full = sum(e.full_members for e in snapshot.enterprises) + snapshot.unattached_full_members
    members = (full + sum(e.probationary_members for e in snapshot.enterprises)
               + snapshot.unattached_probationary_members)
    elsewhere = sum(e.members_elsewhere for e in snapshot.enterprises)
    threshold = party_rules.MEMBERS_FOR_PARTY_COMMITTEE
    return UpgradeReadiness(
        members=members, full_members=full, members_elsewhere=elsewhere, threshold=threshold,
        ready=members >= threshold, short_by=max(threshold - members, 0),
        level_allowed=party_rules.organization_level(members, full),
    )

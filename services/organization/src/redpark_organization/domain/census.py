"""The census snapshot (普查摸底): plain facts read from the ledger, input of the grid proposal
and of the coverage figures. Built by the application layer from read models; pure data here.

Member counts are of members whose relationship the park holds (`in_park`): only they count
towards forming a branch or upgrading the general branch. Members still held elsewhere are counted
apart (`members_elsewhere`), as the census asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import msgspec

from redpark_contracts.organization import BranchKind

from . import party_rules


class ZoneFacts(msgspec.Struct, frozen=True, kw_only=True):
    zone_id: str
    name: str = ""


class BuildingFacts(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    zone_id: str
    sequence_in_zone: int
    responsible_branch_id: str | None = None
    has_instructor: bool = False


class EnterpriseFacts(msgspec.Struct, frozen=True, kw_only=True):
    """An enterprise in the park (moved-out ones are not in the snapshot)."""

    enterprise_id: str
    building_id: str
    full_members: int = 0
    probationary_members: int = 0
    members_elsewhere: int = 0
    branch_id: str | None = None
    liaison_instructor_id: str | None = None

    @property
    def members(self) -> int:
        return self.full_members + self.probationary_members


class BranchFacts(msgspec.Struct, frozen=True, kw_only=True):
    """An active branch."""

    branch_id: str
    kind: BranchKind


class CensusSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    zones: list[ZoneFacts] = []
    buildings: list[BuildingFacts] = []
    enterprises: list[EnterpriseFacts] = []
    branches: list[BranchFacts] = []
    # Members in the park working for no tenant (e.g. park staff): they count towards the park's
    # membership but belong to no enterprise.
    unattached_full_members: int = 0
    unattached_probationary_members: int = 0
    unattached_members_elsewhere: int = 0


EnterpriseClass = Literal["can_form_own_branch", "joins_joint_branch", "no_members"]


def classify(enterprise: EnterpriseFacts) -> EnterpriseClass:
    """Baseline (2): whether the enterprise can form its own branch."""
    if enterprise.full_members >= party_rules.FULL_MEMBERS_FOR_BRANCH:
        return "can_form_own_branch"
    if enterprise.members > 0:
        return "joins_joint_branch"
    return "no_members"


class MemberBaseline(msgspec.Struct, frozen=True, kw_only=True):
    """Baseline (1): members working in the park, by status and by where their relationship is."""

    total: int
    full: int  # relationship held by the park
    probationary: int  # relationship held by the park
    relationship_in_park: int
    relationship_elsewhere: int  # 组织关系未转入: to be transferred in


class EnterpriseBaseline(msgspec.Struct, frozen=True, kw_only=True):
    """Baseline (2): enterprises in the park, by whether they can form their own branch."""

    total: int
    can_form_own_branch: int
    joins_joint_branch: int
    no_members: int


class PeopleBaseline(msgspec.Struct, frozen=True, kw_only=True):
    """Baselines (3) non-member legal representatives and tech talent, and (4) united-front
    contacts. A person in two categories is counted in each."""

    non_member_legal_representatives: int
    tech_talent: int
    democratic_party_members: int
    foreign_nationals: int


class CensusFigures(msgspec.Struct, frozen=True, kw_only=True):
    """The four baselines (四个底数) of the census."""

    members: MemberBaseline
    enterprises: EnterpriseBaseline
    people: PeopleBaseline


def census_figures(snapshot: CensusSnapshot, contact_categories: Iterable[Iterable[str]]) -> CensusFigures:
    """The four baselines from the snapshot and each current contact's categories."""
    full = sum(e.full_members for e in snapshot.enterprises) + snapshot.unattached_full_members
    probationary = (sum(e.probationary_members for e in snapshot.enterprises)
                    + snapshot.unattached_probationary_members)
    elsewhere = sum(e.members_elsewhere for e in snapshot.enterprises) + snapshot.unattached_members_elsewhere
    classes = [classify(e) for e in snapshot.enterprises]
    counts: dict[str, int] = {}
    for categories in contact_categories:
        for category in set(categories):
            counts[category] = counts.get(category, 0) + 1
    return CensusFigures(
        members=MemberBaseline(total=full + probationary + elsewhere, full=full, probationary=probationary,
                               relationship_in_park=full + probationary, relationship_elsewhere=elsewhere),
        enterprises=EnterpriseBaseline(total=len(classes), can_form_own_branch=classes.count("can_form_own_branch"),
                                       joins_joint_branch=classes.count("joins_joint_branch"),
                                       no_members=classes.count("no_members")),
        people=PeopleBaseline(non_member_legal_representatives=counts.get("non_member_legal_representative", 0),
                              tech_talent=counts.get("tech_talent", 0),
                              democratic_party_members=counts.get("democratic_party_member", 0),
                              foreign_nationals=counts.get("foreign_national", 0)),
    )

"""The census snapshot (普查摸底): plain facts read from the ledger, input of the grid proposal
and of the coverage figures. Built by the application layer from read models; pure data here.

Member counts are of members whose relationship the park holds (`in_park`): only they count
towards forming a branch or upgrading the general branch. Members still held elsewhere are counted
apart (`members_elsewhere`), as the census asks.
"""

from __future__ import annotations

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


EnterpriseClass = Literal["can_form_own_branch", "joins_joint_branch", "no_members"]


def classify(enterprise: EnterpriseFacts) -> EnterpriseClass:
    """Baseline (2): whether the enterprise can form its own branch."""
    if enterprise.full_members >= party_rules.FULL_MEMBERS_FOR_BRANCH:
        return "can_form_own_branch"
    if enterprise.members > 0:
        return "joins_joint_branch"
    return "no_members"

"""Thresholds set by the Party's regulations, in one place (sources in the service README).

- 《中国共产党支部工作条例(试行)》 ch. 2 (art. 4): a unit with 3 or more full members forms a
  branch; units with fewer join neighbours in a joint branch (联合党支部), which generally covers
  no more than 5 units. Ch. 6: a branch with 7 or more full members elects a branch committee of
  3 to 5 (generally no more than 7); below 7 it has a secretary and, if needed, one deputy; a
  committee's term is generally 3 years outside villages and communities.
- Party Constitution and 《中国共产党基层组织选举工作条例》, as applied to basic-level units:
  100 or more members → a basic-level committee (党委); 50 to 100 → a general branch (党总支);
  3 or more full members → a branch.
- Party Constitution art. 7: the probationary period is one year.
- 《中国共产党发展党员工作细则》: an activist is trained and observed for more than one year
  before being listed as a development candidate.
"""

from __future__ import annotations

from typing import Literal

FULL_MEMBERS_FOR_BRANCH = 3
FULL_MEMBERS_FOR_COMMITTEE = 7
COMMITTEE_MIN_SIZE = 3
COMMITTEE_MAX_SIZE = 7
COMMITTEE_TERM_YEARS = 3
MEMBERS_FOR_GENERAL_BRANCH = 50
MEMBERS_FOR_PARTY_COMMITTEE = 100
PROBATION_YEARS = 1
ACTIVIST_YEARS_BEFORE_CANDIDATE = 1

OrganizationLevel = Literal["party_committee", "general_branch", "branch", "joint_branch_only"]


def organization_level(members: int, full_members: int) -> OrganizationLevel:
    """The form of organization a unit's membership allows (members counts probationary ones)."""
    if members >= MEMBERS_FOR_PARTY_COMMITTEE:
        return "party_committee"
    if members >= MEMBERS_FOR_GENERAL_BRANCH:
        return "general_branch"
    if full_members >= FULL_MEMBERS_FOR_BRANCH:
        return "branch"
    return "joint_branch_only"

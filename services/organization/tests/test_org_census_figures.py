"""The census's four baselines (四个底数) from a snapshot: Given the census facts, When counted,
Then each baseline."""

from __future__ import annotations

from redpark_organization.domain.census import (
    CensusSnapshot,
    EnterpriseBaseline,
    EnterpriseFacts,
    MemberBaseline,
    PeopleBaseline,
    census_figures,
    classify,
)

SNAPSHOT = CensusSnapshot(
    enterprises=[
        EnterpriseFacts(enterprise_id="e1", building_id="a1", full_members=3, probationary_members=1),
        EnterpriseFacts(enterprise_id="e2", building_id="a1", full_members=2, members_elsewhere=2),
        EnterpriseFacts(enterprise_id="e3", building_id="a2", probationary_members=1),
        EnterpriseFacts(enterprise_id="e4", building_id="a2", members_elsewhere=1),
        EnterpriseFacts(enterprise_id="e5", building_id="a2"),
    ],
    unattached_full_members=1, unattached_probationary_members=0, unattached_members_elsewhere=1,
)


def test_members_are_counted_by_status_and_where_their_relationship_is_held() -> None:
    figures = census_figures(SNAPSHOT, [])
    assert figures.members == MemberBaseline(total=12, full=6, probationary=2, relationship_in_park=8,
                                             relationship_elsewhere=4)


def test_enterprises_are_classified_by_whether_they_can_form_their_own_branch() -> None:
    # e4's only member is still held elsewhere: until the relationship is transferred in, e4 has no
    # member the park's organization can count.
    assert [classify(e) for e in SNAPSHOT.enterprises] == [
        "can_form_own_branch", "joins_joint_branch", "joins_joint_branch", "no_members", "no_members"]
    assert census_figures(SNAPSHOT, []).enterprises == EnterpriseBaseline(
        total=5, can_form_own_branch=1, joins_joint_branch=2, no_members=2)


def test_talent_and_united_front_contacts_are_counted_in_each_of_their_categories() -> None:
    contacts = [["non_member_legal_representative", "tech_talent"], ["tech_talent"], ["foreign_national"],
                ["democratic_party_member", "democratic_party_member"]]
    assert census_figures(SNAPSHOT, contacts).people == PeopleBaseline(
        non_member_legal_representatives=1, tech_talent=2, democratic_party_members=1, foreign_nationals=1)


def test_an_empty_park_has_zero_in_every_baseline() -> None:
    figures = census_figures(CensusSnapshot(), [])
    assert figures.members.total == 0 and figures.enterprises.total == 0
    assert figures.people == PeopleBaseline(non_member_legal_representatives=0, tech_talent=0,
                                            democratic_party_members=0, foreign_nationals=0)

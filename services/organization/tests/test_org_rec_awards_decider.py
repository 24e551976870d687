"""Awards: nominations (poor-rated or warned members and ineligible branches refused), decisions, publication."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from redpark_contracts.organization_recognition import AwardDecided, AwardListPublished, AwardNominated
from redpark_organization.domain import awards
from redpark_organization.domain.awards import Decide, Nominate, Nominee, Publish
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit.gwt import DeciderSpec

spec = DeciderSpec(awards.decider)
NOW = datetime(2025, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY = date(2025, 12, 10)
MEMBER = Nominee(exists=True, name="党员m1")


def nominate(nomination_id: str = "n1", category: Any = "advanced_individual", nominee_id: str = "m1",
             nominee: Nominee = MEMBER, reason: str = "带头攻关") -> Nominate:
    return Nominate(nomination_id=nomination_id, year=2025, category=category, nominee_id=nominee_id,
                    reason=reason, nominee=nominee, now=NOW)


NOMINATED = AwardNominated(nomination_id="n1", year=2025, category="advanced_individual", nominee_id="m1",
                           nominee_name="党员m1", reason="带头攻关", nominated_on=DAY)
APPROVED = AwardDecided(nomination_id="n1", year=2025, approved=True, reason="", decided_on=DAY)


def test_a_member_in_good_standing_is_nominated() -> None:
    spec.given([]).when(nominate()).then([NOMINATED])


def test_a_member_rated_poor_this_year_is_refused() -> None:
    spec.given([]).when(nominate(nominee=Nominee(exists=True, name="x", rated_poor=True))).then_raises(
        DomainError, code="awards.nominee_rated_poor", field="nominee_id")


def test_a_member_who_received_a_warning_talk_is_refused() -> None:
    spec.given([]).when(nominate(category="exemplar_member", nominee=Nominee(exists=True, name="x", warned=True))
                        ).then_raises(DomainError, code="awards.nominee_warned", field="nominee_id")


def test_a_branch_ineligible_by_its_assessment_is_refused_and_an_eligible_one_nominated() -> None:
    spec.given([]).when(nominate(category="featured_branch", nominee_id="br1", nominee=Nominee(
        exists=True, name="支部", eligible=False, ineligible_reason="一票否决"))).then_raises(
        DomainError, code="awards.branch_ineligible", field="nominee_id")
    # a poor rating concerns people, not branches
    spec.given([]).when(nominate(category="featured_branch", nominee_id="br1", nominee=Nominee(
        exists=True, name="支部", rated_poor=True))).then([AwardNominated(
            nomination_id="n1", year=2025, category="featured_branch", nominee_id="br1", nominee_name="支部",
            reason="带头攻关", nominated_on=DAY)])


def test_unknown_nominees_duplicates_and_empty_reasons_are_refused() -> None:
    spec.given([]).when(nominate(nominee=Nominee(exists=False, name="m9"))).then_raises(NotFound)
    spec.given([NOMINATED]).when(nominate("n2")).then_raises(DomainError, code="awards.already_nominated")
    spec.given([]).when(nominate(reason=" ")).then_raises(InvalidCommand, field="reason")


def test_a_rejection_needs_a_reason_and_a_decision_is_final() -> None:
    spec.given([NOMINATED]).when(Decide(nomination_id="n1", year=2025, approved=False, now=NOW)).then_raises(
        InvalidCommand, code="awards.rejection_reason_missing", field="reason")
    spec.given([NOMINATED]).when(Decide(nomination_id="n1", year=2025, approved=False, reason="材料不全",
                                        now=NOW)).then(
        [AwardDecided(nomination_id="n1", year=2025, approved=False, reason="材料不全", decided_on=DAY)])
    spec.given([NOMINATED, APPROVED]).when(Decide(nomination_id="n1", year=2025, approved=False, reason="x",
                                                  now=NOW)).then_raises(DomainError, code="awards.already_decided")


def test_publication_waits_for_every_decision_then_closes_the_year() -> None:
    spec.given([NOMINATED]).when(Publish(year=2025, now=NOW)).then_raises(DomainError,
                                                                          code="awards.pending_nominations")
    published = AwardListPublished(year=2025, published_on=DAY, awarded_ids=["n1"])
    spec.given([NOMINATED, APPROVED]).when(Publish(year=2025, now=NOW)).then([published])
    spec.given([NOMINATED, APPROVED, published]).when(nominate("n2", "exemplar_member")).then_raises(
        DomainError, code="awards.published", field="year")
    spec.given([NOMINATED, APPROVED, published]).when(Publish(year=2025, now=NOW)).then_raises(
        DomainError, code="awards.published")

"""Policies, briefings and the four quarterlies — Given/When/Then, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.enterprise_support import (
    BriefingDelivered,
    PolicyPublished,
    PolicyRetired,
    QuarterlyHeld,
    QuarterlyPlanned,
)
from redpark_enterprise_support.domain import policy, quarterly
from redpark_enterprise_support.domain.categories import applies
from redpark_platform.calendar import compact_quarter, quarter_bounds, quarter_from_compact, quarter_of
from redpark_platform.errors import InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 8, 20, 2, 0, tzinfo=UTC)
TODAY = date(2025, 8, 20)
policies = DeciderSpec(policy.policy_decider)
briefings = DeciderSpec(policy.briefing_decider)
quarterlies = DeciderSpec(quarterly.decider)
PUBLISHED = PolicyPublished(policy_id="p1", title="高企认定奖励", summary="", issuer="市科技局",
                            applies_to=["tech_enterprise"], published_on=TODAY)


def test_a_policy_is_published_once_for_the_categories_it_applies_to() -> None:
    publish = policy.PublishPolicy(policy_id="p1", title="高企认定奖励", summary="", issuer="市科技局",
                                   applies_to=["tech_enterprise", "tech_enterprise"], now=NOW)
    policies.given([]).when(publish).then([PUBLISHED])
    policies.given([PUBLISHED]).when(publish).then_raises(code="policy.exists")
    nobody = policy.PublishPolicy(policy_id="p1", title="x", summary="", issuer="", applies_to=[], now=NOW)
    policies.given([]).when(nobody).then_raises(InvalidCommand, code="policy.audience_missing", field="applies_to")


def test_a_policy_is_retired_once() -> None:
    retire = policy.RetirePolicy(policy_id="p1", now=NOW)
    retired = PolicyRetired(policy_id="p1", retired_on=TODAY)
    policies.given([PUBLISHED]).when(retire).then([retired])
    policies.given([PUBLISHED, retired]).when(retire).then_raises(NotFound, code="policy.not_in_force")


def deliver(**kw: object) -> policy.DeliverBriefing:
    base: dict[str, object] = {"policy_id": "p1", "enterprise_id": "e1", "channel": "visit", "delivered_by": "staff-1",
                                   "policy_in_force": True, "owed": True, "now": NOW}
    base.update(kw)
    return policy.DeliverBriefing(**base)  # type: ignore[arg-type]


def test_a_briefing_owed_to_an_enterprise_is_delivered_once() -> None:
    delivered = BriefingDelivered(policy_id="p1", enterprise_id="e1", channel="visit", delivered_by="staff-1",
                                  delivered_on=TODAY)
    briefings.given([]).when(deliver()).then([delivered])
    briefings.given([delivered]).when(deliver()).then_raises(code="briefing.already_delivered")


def test_a_briefing_is_delivered_only_where_the_policy_applies_and_while_it_is_in_force() -> None:
    briefings.given([]).when(deliver(owed=False)).then_raises(code="briefing.not_applicable", field="enterprise_id")
    briefings.given([]).when(deliver(policy_in_force=False)).then_raises(code="briefing.policy_not_in_force")


def test_a_policy_applies_to_an_enterprise_sharing_one_of_its_categories() -> None:
    assert applies(["tech_enterprise"], ["any_enterprise", "tech_enterprise"])
    assert not applies(["tech_enterprise", "small_enterprise"], ["any_enterprise", "non_tech_enterprise"])


def hold(**kw: object) -> quarterly.HoldQuarterly:
    base: dict[str, object] = {"kind": "enterprise_symposium", "quarter": "2025-Q3", "title": "", "outcomes": "诉求5条",
                                   "participant_enterprise_ids": ["e1", "e2"], "participants_in_park": ["e1", "e2"],
                                   "now": NOW, "held_on": date(2025, 8, 1)}
    base.update(kw)
    return quarterly.HoldQuarterly(**base)  # type: ignore[arg-type]


PLANNED = QuarterlyPlanned(kind="enterprise_symposium", quarter="2025Q3", title="三季度企业座谈会", planned_on=TODAY)


def test_a_quarterly_is_planned_once_per_kind_and_quarter_and_not_once_the_quarter_is_over() -> None:
    plan = quarterly.PlanQuarterly(kind="enterprise_symposium", quarter="2025-Q3", title="三季度企业座谈会", now=NOW)
    quarterlies.given([]).when(plan).then([PLANNED])
    quarterlies.given([PLANNED]).when(plan).then_raises(code="quarterly.exists")
    past = quarterly.PlanQuarterly(kind="team_building", quarter="2025-Q2", title="团建", now=NOW)
    quarterlies.given([]).when(past).then_raises(InvalidCommand, code="quarterly.quarter_over")
    bad = quarterly.PlanQuarterly(kind="team_building", quarter="2025-Q5", title="团建", now=NOW)
    quarterlies.given([]).when(bad).then_raises(InvalidCommand, code="quarter.malformed")
    year_zero = quarterly.PlanQuarterly(kind="team_building", quarter="0000-Q1", title="团建", now=NOW)
    quarterlies.given([]).when(year_zero).then_raises(InvalidCommand, code="quarter.malformed", field="quarter")


def test_a_quarterly_is_held_inside_its_quarter_with_participants_and_keeps_its_planned_title() -> None:
    quarterlies.given([PLANNED]).when(hold()).then([QuarterlyHeld(
        kind="enterprise_symposium", quarter="2025Q3", title="三季度企业座谈会", held_on=date(2025, 8, 1),
        participant_enterprise_ids=["e1", "e2"], outcomes="诉求5条")])
    quarterlies.given([PLANNED]).when(hold(held_on=date(2025, 6, 30))).then_raises(
        InvalidCommand, code="quarterly.outside_quarter")
    quarterlies.given([PLANNED]).when(hold(participant_enterprise_ids=[])).then_raises(
        InvalidCommand, code="quarterly.no_participants")
    quarterlies.given([PLANNED]).when(hold(participants_in_park=["e1"])).then_raises(code="participants.not_in_park")
    quarterlies.given([]).when(hold()).then_raises(InvalidCommand, code="quarterly.title_missing")


def test_a_quarterly_is_held_once() -> None:
    held = QuarterlyHeld(kind="enterprise_symposium", quarter="2025Q3", title="t", held_on=date(2025, 8, 1),
                         participant_enterprise_ids=["e1"], outcomes="")
    quarterlies.given([held]).when(hold(title="again")).then_raises(code="quarterly.already_held")


def test_the_missing_quarterlies_are_the_four_less_those_held() -> None:
    assert quarterly.missing_quarterlies(set()) == ["enterprise_symposium", "project_negotiation", "team_building",
                                                     "tech_exchange_forum"]
    assert quarterly.missing_quarterlies({"team_building", "enterprise_symposium"}) == [
        "project_negotiation", "tech_exchange_forum"]


def test_quarters_follow_the_calendar_and_the_contract_keeps_its_compact_spelling() -> None:
    assert quarter_of(date(2025, 12, 31)) == "2025-Q4" and quarter_of(date(2025, 4, 1)) == "2025-Q2"
    assert quarter_bounds(quarter_from_compact("2025Q4")) == (date(2025, 10, 1), date(2025, 12, 31))
    assert quarter_bounds(quarter_from_compact("2024Q1")) == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarterly.stream_id("team_building", "2025-Q3") == "quarterly-team_building-2025Q3"
    assert compact_quarter("2025-Q3") == "2025Q3"

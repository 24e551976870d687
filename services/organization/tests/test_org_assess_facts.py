"""The assessment's facts read model against real PostgreSQL: events of education, enterprise-support and
events-public (as their contracts publish them) applied by the projection's handler, then the facts of a
quarter per branch. The bus is covered by tests/test_system_assessment.py; here every rule of counting."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest

import redpark_organization
from redpark_contracts import education as edu
from redpark_contracts import enterprise_support as sup
from redpark_contracts import events_public as pub
from redpark_contracts import organization as org
from redpark_organization.projections.assessment_facts import AssessmentFactsProjection
from redpark_organization.projections.park import ParkProjection
from redpark_organization.projections.rosters import RostersProjection
from redpark_organization.queries.assessment import facts, live_scorecards
from redpark_platform.db import migrate
from redpark_platform.events import Event, EventRegistry, IncomingEvent

SQL = Path(redpark_organization.__file__).parent / "sql"
REGISTRIES: dict[str, EventRegistry] = {"organization": org.registry, "education": edu.registry,
                                        "enterprise-support": sup.registry, "events-public": pub.registry}
TODAY = date(2026, 4, 15)  # Q1 2026 has ended
Q1 = "2026-Q1"


@pytest.fixture
async def pool(pg_pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Pool]:
    await migrate(pg_pool, SQL, prefix="organization")
    yield pg_pool


class Feed:
    """Applies events the way the runner does: each in a transaction, through the projections that read it."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.sequence = 0
        self.facts = AssessmentFactsProjection()
        self.others = (ParkProjection(), RostersProjection())

    async def __call__(self, service: str, events: Sequence[Event]) -> None:
        registry = REGISTRIES[service]
        for event in events:
            self.sequence += 1
            et = registry.type_of(event)
            meta = IncomingEvent(id=str(uuid.uuid4()), source=registry.source, service=service, key=et.key,
                                 version=et.version, subject=et.subject, time="2026-04-15T01:00:00Z",
                                 sequence=self.sequence, data=msgspec.Raw(registry.encode(event)))
            async with self.pool.acquire() as conn, conn.transaction():
                await self.facts.handle(conn, event, meta)
                if service == "organization":
                    for projection in self.others:
                        await projection.handle(conn, event, meta)


async def branch_of_three(feed: Feed) -> None:
    """e1 (branch br1, members m1–m3) and e2 (uncovered) in building a1, answered for by br1."""
    day = date(2026, 1, 5)
    await feed("organization", [
        org.ZoneDefined(zone_id="A", name="A区", phase=1),
        org.BuildingRegistered(building_id="a1", zone_id="A", name="1号楼", floors=10, sequence_in_zone=1),
        *[org.EnterpriseMovedIn(enterprise_id=e, name=e, building_id="a1", floor=2, headcount=20,
                                is_tech_enterprise=True, legal_representative="张三", moved_in_on=day)
          for e in ("e1", "e2")],
        org.BranchEstablished(branch_id="br1", name="一支部", kind="enterprise", enterprise_ids=["e1"],
                              full_members_at_founding=3, established_on=day),
        org.EnterpriseJoinedBranch(enterprise_id="e1", branch_id="br1", joined_on=day),
        org.BuildingAssigned(building_id="a1", branch_id="br1", assigned_on=day),
        *[org.MemberRegistered(member_id=m, name=m, enterprise_id="e1", status="full",
                               joined_party_on=date(2010, 7, 1), relationship="in_park", relationship_held_by="",
                               phone="13800000000", id_number="11010519491231002X", registered_on=day)
          for m in ("m1", "m2", "m3")],
        *[org.MemberJoinedBranch(member_id=m, branch_id="br1", joined_on=day) for m in ("m1", "m2", "m3")],
    ])


async def facts_of(pool: asyncpg.Pool, unit: str = "br1", quarter: str = Q1) -> dict[str, Any]:
    return (await facts(pool, quarter, TODAY, "Asia/Shanghai")).get(unit, {})


async def test_education_counts_attendance_makeups_self_study_and_weekly_study(pool: asyncpg.Pool) -> None:
    feed = Feed(pool)
    await branch_of_three(feed)
    assert (await facts_of(pool))["coverage_rate"] == 0.5
    await feed("education", [
        edu.ParkLessonHeld(lesson_id="L1", held_on=date(2026, 2, 1), quarter=Q1, expected_members=3),
        edu.LessonAttendanceRecorded(lesson_id="L1", held_on=date(2026, 2, 1), quarter=Q1, member_ids=["m1"],
                                     recorded_at=datetime(2026, 2, 1, 8, tzinfo=UTC)),
        edu.LessonMakeupRecorded(lesson_id="L1", quarter=Q1, member_id="m2", made_up_on=date(2026, 2, 9)),
        # a cancelled lesson's attendance does not count
        edu.ParkLessonHeld(lesson_id="L2", held_on=date(2026, 3, 1), quarter=Q1, expected_members=3),
        edu.LessonAttendanceRecorded(lesson_id="L2", held_on=date(2026, 3, 1), quarter=Q1, member_ids=["m3"],
                                     recorded_at=datetime(2026, 3, 1, 8, tzinfo=UTC)),
        edu.ParkLessonCancelled(lesson_id="L2", reason="改期", cancelled_on=date(2026, 3, 2)),
        *[edu.SelfStudyFiled(member_id="m1", branch_id="br1", month=month, studied_on=date(2026, 3, 1),
                             content="学习", reflection="心得", filed_on=date(2026, 3, 1), late=False)
          for month in ("2026-01", "2026-02", "2026-03")],
        edu.SelfStudyFiled(member_id="m2", branch_id="br1", month="2026-01", studied_on=date(2026, 1, 9),
                           content="学习", reflection="心得", filed_on=date(2026, 1, 9), late=False),
        *[edu.WeeklyStudyHeld(branch_id="br1", week=w, held_on=d, minutes=m, topic="t", attendee_member_ids=["m1"],
                              meets_minimum=m >= 30)
          for w, d, m in (("2026-W02", date(2026, 1, 9), 40), ("2026-W03", date(2026, 1, 16), 45),
                          ("2026-W04", date(2026, 1, 23), 10), ("2026-W15", date(2026, 4, 10), 40))],
    ])
    # the same attendance delivered again changes nothing
    await feed("education", [edu.LessonAttendanceRecorded(
        lesson_id="L1", held_on=date(2026, 2, 1), quarter="2026Q1", member_ids=["m1"],
        recorded_at=datetime(2026, 2, 1, 9, tzinfo=UTC))])
    f = await facts_of(pool)
    assert f["lesson_attendance_rate"] == pytest.approx(2 / 3)
    assert f["self_study_rate"] == pytest.approx(4 / 9)
    assert f["weekly_study_weeks"] == 2  # the short one and the one in Q2 do not count

    # once education closes the quarter, its figures are the facts
    await feed("education", [edu.QuarterComplianceClosed(
        quarter=Q1, branch_id="br1", members_expected=3, members_attended_lesson=3, members_filed_every_month=1,
        weeks_in_quarter=13, weeks_with_study=10, members_fully_compliant=1, closed_on=date(2026, 4, 1))])
    f = await facts_of(pool)
    assert (f["lesson_attendance_rate"], f["self_study_rate"], f["weekly_study_weeks"]) == (1.0, pytest.approx(1 / 3),
                                                                                          10)


async def test_support_and_volunteering_count_in_the_park_calendar(pool: asyncpg.Pool) -> None:
    feed = Feed(pool)
    await branch_of_three(feed)
    await feed("enterprise-support", [
        sup.VisitMade(visit_id="v1", enterprise_id="e1", visited_on=date(2026, 3, 31), visitors=["王"], findings="",
                      recorded_by="s"),
        sup.VisitMade(visit_id="v2", enterprise_id="e1", visited_on=date(2026, 4, 1), visitors=["王"], findings="",
                      recorded_by="s"),
        sup.VisitMade(visit_id="v3", enterprise_id="e2", visited_on=date(2026, 3, 1), visitors=["王"], findings="",
                      recorded_by="s"),
        sup.QuarterlyHeld(kind="enterprise_symposium", quarter="2026Q1", title="座谈会", held_on=date(2026, 3, 3),
                          participant_enterprise_ids=["e1", "e2"], outcomes=""),
        sup.QuarterlyHeld(kind="tech_exchange_forum", quarter="2026Q1", title="论坛", held_on=date(2026, 3, 9),
                          participant_enterprise_ids=["e2"], outcomes=""),
    ])
    # 31 March 18:00 UTC is 1 April in the park: that activity and its hours belong to Q2
    await feed("events-public", [
        pub.VolunteerActivityScheduled(activity_id="va1", kind="volunteer_service", title="植树",
                                       organizer_branch_id="br1", place="东门",
                                       starts_at=datetime(2026, 3, 31, 2, tzinfo=UTC),
                                       ends_at=datetime(2026, 3, 31, 4, tzinfo=UTC),
                                       scheduled_at=datetime(2026, 3, 1, tzinfo=UTC)),
        pub.VolunteerActivityScheduled(activity_id="va2", kind="tech_poverty_relief", title="助农",
                                       organizer_branch_id="br1", place="X村",
                                       starts_at=datetime(2026, 3, 31, 18, tzinfo=UTC),
                                       ends_at=datetime(2026, 3, 31, 20, tzinfo=UTC),
                                       scheduled_at=datetime(2026, 3, 1, tzinfo=UTC)),
        pub.VolunteerHoursRecorded(activity_id="va1", member_id="m1", hours=2.0, recorded_by="s",
                                   recorded_at=datetime(2026, 4, 2, tzinfo=UTC)),
        pub.VolunteerHoursRecorded(activity_id="va1", member_id="m2", hours=1.5, recorded_by="s",
                                   recorded_at=datetime(2026, 4, 2, tzinfo=UTC)),
        pub.VolunteerHoursRecorded(activity_id="va2", member_id="m3", hours=2.0, recorded_by="s",
                                   recorded_at=datetime(2026, 4, 2, tzinfo=UTC)),
    ])
    f = await facts_of(pool)
    assert f["support_visits"] == 1  # v2 is in Q2; e2 is not the branch's enterprise
    assert f["quarterly_participations"] == 1 and f["quarterlies_held"] == 2
    assert f["volunteer_hours"] == 3.5 and f["volunteer_activities"] == 1
    q2 = await facts_of(pool, quarter="2026-Q2")
    assert (q2["volunteer_hours"], q2["volunteer_activities"], q2["support_visits"]) == (2.0, 1, 1)

    cards = {c.unit_id: c for c in await live_scorecards(pool, Q1, TODAY, "Asia/Shanghai")}
    visits = next(i for i in cards["br1"].items if i.key == "visits")
    assert (visits.fact, visits.points_earned) == (1, pytest.approx(10 / 3, abs=0.01))
    volunteer = next(i for i in cards["br1"].items if i.key == "volunteer")
    assert volunteer.points_earned == pytest.approx(5 * 3.5 / 20, abs=0.01)


async def test_governance_records_count_and_organizational_handling_vetoes(pool: asyncpg.Pool) -> None:
    from redpark_contracts import organization_governance as gov

    feed = Feed(pool)
    await branch_of_three(feed)
    await feed("organization", [
        org.GeneralBranchEstablished(general_branch_id="gb", name="党总支", established_on=date(2026, 1, 2)),
        *[gov.RulePosted(holder_id="br1", rule_key=k, posted_on=date(2026, 1, 10)) for k in ("meeting", "lesson")],
        gov.RuleUnposted(holder_id="br1", rule_key="lesson", unposted_on=date(2026, 2, 1)),
        *[gov.RulePosted(holder_id="general", rule_key=k, posted_on=date(2026, 1, 10)) for k in ("a", "b", "c")],
        gov.InspectionRecorded(inspection_id="i1", branch_id="br1", inspected_on=date(2026, 2, 1), passed=False,
                               findings="台账不全"),
        gov.RectificationOpened(rectification_id="r1", branch_id="br1", inspection_id="i1",
                                deadline=date(2026, 3, 1), opened_on=date(2026, 2, 1)),
        gov.InspectionRecorded(inspection_id="i2", branch_id="br1", inspected_on=date(2026, 3, 1), passed=True,
                               findings=""),
        gov.InspectionRecorded(inspection_id="i3", branch_id="br1", inspected_on=date(2026, 4, 2), passed=True,
                               findings=""),
        *[gov.BranchMeetingHeld(meeting_id=f"mt{n}", branch_id="br1", kind=kind, held_on=date(2026, 1 + n % 3, 8),
                                topic="t", attendee_ids=["m1"], minutes="")
          for n, kind in enumerate(["committee_meeting", "committee_meeting", "party_lesson", "theme_day"])],
        gov.BranchMeetingHeld(meeting_id="gm1", branch_id="general", kind="committee_meeting",
                              held_on=date(2026, 2, 8), topic="t", attendee_ids=[], minutes=""),
    ])
    f = await facts_of(pool)
    assert f["rules_posted"] == 1
    assert (f["inspections_passed"], f["inspections_failed"], f["rectifications_opened"]) == (1, 1, 1)
    assert f["inspection_half_year"] == 1.0  # failed, then passed within the quarter
    assert (await facts_of(pool, quarter="2026-Q2"))["inspection_half_year"] == 1.0  # passed on 04-02
    assert (f["committee_meetings"], f["party_lessons"], f["theme_days"]) == (2, 1, 1)
    assert "member_meetings" not in f and "organizational_handlings" not in f

    cards = {c.unit_id: c for c in await live_scorecards(pool, Q1, TODAY, "Asia/Shanghai")}
    assert not cards["br1"].vetoed  # a party lesson was held, nothing flagged
    gb_rules = next(i for i in cards["gb"].items if i.key == "gb_rules")
    gb_committee = next(i for i in cards["gb"].items if i.key == "gb_committee")
    assert (gb_rules.fact, gb_committee.fact) == (3, 1)  # holder "general" is the general branch

    await feed("organization", [gov.OrganizationalHandlingFlagged(branch_id="br1", inspection_id="i2",
                                                                   flagged_on=date(2026, 3, 2))])
    card = {c.unit_id: c for c in await live_scorecards(pool, Q1, TODAY, "Asia/Shanghai")}["br1"]
    assert card.vetoed and card.veto_reasons == ["本季度被组织处置的，党建考核一票否决"]
    assert card.score == cards["br1"].score  # shown with its score


async def test_a_quarter_is_scored_on_its_own_rosters_and_coverage_not_todays(pool: asyncpg.Pool) -> None:
    feed = Feed(pool)
    await branch_of_three(feed)
    await feed("events-public", [
        pub.VolunteerActivityScheduled(activity_id="va1", kind="volunteer_service", title="植树",
                                       organizer_branch_id="br1", place="东门",
                                       starts_at=datetime(2026, 3, 10, 2, tzinfo=UTC),
                                       ends_at=datetime(2026, 3, 10, 4, tzinfo=UTC),
                                       scheduled_at=datetime(2026, 3, 1, tzinfo=UTC)),
        pub.VolunteerHoursRecorded(activity_id="va1", member_id="m3", hours=2.0, recorded_by="s",
                                   recorded_at=datetime(2026, 4, 12, tzinfo=UTC)),
    ])
    await feed("education", [
        edu.SelfStudyFiled(member_id=m, branch_id="br1", month=month, studied_on=date(2026, 3, 1), content="学",
                           reflection="心得", filed_on=date(2026, 3, 1), late=False)
        for m in ("m1", "m2", "m3") for month in ("2026-01", "2026-02", "2026-03")])
    # after the quarter (still before it is closed): m3 moves to br2, e2 gets a liaison, a1 is released
    await feed("organization", [
        org.BranchEstablished(branch_id="br2", name="二支部", kind="joint", enterprise_ids=[],
                              full_members_at_founding=3, established_on=date(2026, 4, 3)),
        org.MemberLeftBranch(member_id="m3", branch_id="br1", left_on=date(2026, 4, 5), reason="moved"),
        org.MemberJoinedBranch(member_id="m3", branch_id="br2", joined_on=date(2026, 4, 5)),
        org.LiaisonInstructorAssigned(enterprise_id="e2", member_id="m1", sent_by_branch_id="br1",
                                      assigned_on=date(2026, 4, 10)),
    ])
    f = await facts_of(pool)
    assert f["coverage_rate"] == 0.5  # e2 was not covered in Q1
    assert f["self_study_rate"] == 1.0  # three members all quarter, each filed three months
    assert f["volunteer_hours"] == 2.0  # m3 was br1's on the activity's day
    assert "volunteer_hours" not in await facts_of(pool, unit="br2")
    q2 = await facts_of(pool, quarter="2026-Q2")  # live, as of today (15 April)
    assert q2["coverage_rate"] == 1.0
    assert (await facts_of(pool, unit="br2", quarter="2026-Q2"))["self_study_rate"] == 0.0  # m3: none for April

    card = {c.unit_id: c for c in await live_scorecards(pool, Q1, TODAY, "Asia/Shanghai")}["br1"]
    assert card.facts_as_of == date(2026, 3, 31)
    live = {c.unit_id: c for c in await live_scorecards(pool, "2026-Q2", TODAY, "Asia/Shanghai")}["br1"]
    assert live.facts_as_of == TODAY

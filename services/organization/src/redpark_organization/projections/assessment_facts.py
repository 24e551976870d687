"""The assessment's facts, per branch per quarter, from four services' events, plus the assessment's own
records (rules per year, closed quarters, departments and their inspection scores).

Facts are kept as their events name them (a member, an enterprise, a branch); which branch a member
or an enterprise belonged to, which buildings a branch answered for and what was covered are kept here as
dated spans (event time, `sql/0010_assessment_event_time.sql`), so a card is computed with the rosters and
coverage of its quarter (`queries/assessment.py`), not today's.
The governance events (rules posted, inspections, rectifications, organizational handling, branch
meetings) are the organization's own; they are matched by their type key so this read model does not
depend on their classes being present in every version of the contract.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg
import msgspec

from redpark_contracts import education as edu
from redpark_contracts import enterprise_support as sup
from redpark_contracts import events_public as pub
from redpark_contracts.organization import (
    BuildingAssigned,
    BuildingReleased,
    EnterpriseJoinedBranch,
    EnterpriseLeftBranch,
    EnterpriseMovedIn,
    EnterpriseMovedOut,
    EnterpriseProfileUpdated,
    LiaisonInstructorAssigned,
    LiaisonInstructorWithdrawn,
    MemberJoinedBranch,
    MemberLeftBranch,
)
from redpark_contracts.organization import registry as org_registry
from redpark_contracts.organization_assessment import (
    AssessmentQuarterClosed,
    AssessmentRulesSet,
    DepartmentRegistered,
    DepartmentScored,
)
from redpark_contracts.organization_tenancy import EnterpriseRelocated
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

from ..domain.assessment import normalize_quarter

NAME = "org_assessment"

RULE_POSTED = "rule.posted"
RULE_UNPOSTED = "rule.unposted"
INSPECTION_RECORDED = "inspection.recorded"
RECTIFICATION_OPENED = "rectification.opened"
HANDLING_FLAGGED = "handling.flagged"
MEETING_HELD = "branch_meeting.held"

_encode = msgspec.json.encode


def _day(event: Event, *names: str, meta: IncomingEvent) -> date:
    """The event's business date: the first of `names` it carries, else the day it was recorded."""
    for name in names:
        value = getattr(event, name, None)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
    return datetime.fromisoformat(meta.time.replace("Z", "+00:00")).date()


class AssessmentFactsProjection(Projection):
    name = NAME
    sources = ("organization", "education", "enterprise-support", "events-public")
    registries = {"organization": org_registry, "education": edu.registry,
                  "enterprise-support": sup.registry, "events-public": pub.registry}
    tables = ("org_assess_rules", "org_assess_closed", "org_assess_closed_cards", "org_departments",
              "org_department_scores", "org_assess_rules_posted", "org_assess_inspections",
              "org_assess_flags", "org_assess_meetings", "org_assess_lessons",
              "org_assess_lesson_attendance", "org_assess_self_study", "org_assess_weekly_study",
              "org_assess_edu_closed", "org_assess_visits", "org_assess_quarterlies",
              "org_assess_volunteer_activities", "org_assess_volunteer_hours", "org_assess_member_spans",
              "org_assess_building_spans", "org_assess_enterprise_spans", "org_assess_cover_spans")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        if meta.service == "organization":
            await self._organization(conn, event, meta)
        else:
            await self._elsewhere(conn, event)

    async def _organization(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case AssessmentRulesSet():
                await conn.execute(
                    "INSERT INTO org_assess_rules (year, rules, set_on) VALUES ($1, $2::text::jsonb, $3)"
                    " ON CONFLICT (year) DO UPDATE SET rules = excluded.rules, set_on = excluded.set_on",
                    event.year, _encode(event).decode(), event.set_on)
                return
            case AssessmentQuarterClosed():
                await conn.execute(
                    "INSERT INTO org_assess_closed"
                    " (quarter, award_threshold, closed_by, closed_on, scorecards)"
                    " VALUES ($1, $2, $3, $4, $5::text::jsonb) ON CONFLICT DO NOTHING",
                    event.quarter, event.award_threshold, event.closed_by, event.closed_on,
                    _encode(event.scorecards).decode())
                await conn.executemany(
                    "INSERT INTO org_assess_closed_cards"
                    " (quarter, unit_kind, unit_id, name, score, possible, vetoed)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    [(event.quarter, c.unit_kind, c.unit_id, c.name, c.score, c.possible, c.vetoed)
                     for c in event.scorecards])
                return
            case DepartmentRegistered():
                await conn.execute(
                    "INSERT INTO org_departments (department_id, name, head, registered_on)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    event.department_id, event.name, event.head, event.registered_on)
                return
            case DepartmentScored():
                await conn.execute(
                    "INSERT INTO org_department_scores"
                    " (department_id, quarter, items, vetoed, veto_reason, scored_by, scored_on)"
                    " VALUES ($1, $2, $3::text::jsonb, $4, $5, $6, $7)"
                    " ON CONFLICT (department_id, quarter) DO UPDATE SET items = excluded.items,"
                    " vetoed = excluded.vetoed, veto_reason = excluded.veto_reason,"
                    " scored_by = excluded.scored_by, scored_on = excluded.scored_on",
                    event.department_id, event.quarter, _encode(event.items).decode(), event.vetoed,
                    event.veto_reason, event.scored_by, event.scored_on)
                return
            case _:
                pass
        if await self._spans(conn, event):
            return
        await self._governance(conn, event, meta)

    async def _spans(self, conn: asyncpg.Connection, event: Event) -> bool:
        """Who was where, dated: returns whether the event was one of the rosters' or coverage's."""
        match event:
            case MemberJoinedBranch():
                await conn.execute(
                    "INSERT INTO org_assess_member_spans (member_id, branch_id, joined_on) VALUES ($1, $2, $3)"
                    " ON CONFLICT DO NOTHING", event.member_id, event.branch_id, event.joined_on)
            case MemberLeftBranch():
                await conn.execute(
                    "UPDATE org_assess_member_spans SET left_on = $3"
                    " WHERE member_id = $1 AND branch_id = $2 AND left_on IS NULL",
                    event.member_id, event.branch_id, event.left_on)
            case BuildingAssigned():
                await conn.execute(
                    "INSERT INTO org_assess_building_spans (building_id, branch_id, assigned_on) VALUES ($1, $2, $3)"
                    " ON CONFLICT (building_id, assigned_on) DO UPDATE SET branch_id = excluded.branch_id,"
                    " released_on = NULL", event.building_id, event.branch_id, event.assigned_on)
            case BuildingReleased():
                await conn.execute(
                    "UPDATE org_assess_building_spans SET released_on = $3"
                    " WHERE building_id = $1 AND branch_id = $2 AND released_on IS NULL",
                    event.building_id, event.branch_id, event.released_on)
            case EnterpriseMovedIn():
                await self._place(conn, event.enterprise_id, event.building_id, event.moved_in_on)
            case EnterpriseProfileUpdated():
                await self._place(conn, event.enterprise_id, event.building_id, event.updated_on)
            case EnterpriseRelocated():
                await self._place(conn, event.enterprise_id, event.building_id, event.relocated_on)
            case EnterpriseMovedOut():
                for table in ("org_assess_enterprise_spans", "org_assess_cover_spans"):
                    await conn.execute(f"UPDATE {table} SET until_on = $2 WHERE enterprise_id = $1"
                                       " AND until_on IS NULL", event.enterprise_id, event.moved_out_on)
            case EnterpriseJoinedBranch():
                await self._cover(conn, event.enterprise_id, "branch", event.branch_id, event.joined_on)
            case EnterpriseLeftBranch():
                await self._uncover(conn, event.enterprise_id, "branch", event.left_on)
            case LiaisonInstructorAssigned():
                await self._cover(conn, event.enterprise_id, "liaison",
                                  event.sent_by_branch_id or event.sent_by_general_branch_id, event.assigned_on)
            case LiaisonInstructorWithdrawn():
                await self._uncover(conn, event.enterprise_id, "liaison", event.withdrawn_on)
            case _:
                return False
        return True

    @staticmethod
    async def _place(conn: asyncpg.Connection, enterprise_id: str, building_id: str, on: date) -> None:
        # A profile update that keeps the building changes nothing here.
        await conn.execute(
            "UPDATE org_assess_enterprise_spans SET until_on = $3"
            " WHERE enterprise_id = $1 AND until_on IS NULL AND building_id <> $2", enterprise_id, building_id, on)
        await conn.execute(
            "INSERT INTO org_assess_enterprise_spans (enterprise_id, building_id, from_on)"
            " SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM org_assess_enterprise_spans"
            " WHERE enterprise_id = $1 AND until_on IS NULL)"
            " ON CONFLICT (enterprise_id, from_on) DO UPDATE SET building_id = excluded.building_id,"
            " until_on = NULL", enterprise_id, building_id, on)

    @staticmethod
    async def _cover(conn: asyncpg.Connection, enterprise_id: str, kind: str, unit_id: str | None,
                     on: date) -> None:
        await conn.execute(
            "INSERT INTO org_assess_cover_spans (enterprise_id, kind, unit_id, from_on) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (enterprise_id, kind, from_on) DO UPDATE SET unit_id = excluded.unit_id,"
            " until_on = NULL", enterprise_id, kind, unit_id, on)

    @staticmethod
    async def _uncover(conn: asyncpg.Connection, enterprise_id: str, kind: str, on: date) -> None:
        await conn.execute("UPDATE org_assess_cover_spans SET until_on = $3"
                           " WHERE enterprise_id = $1 AND kind = $2 AND until_on IS NULL", enterprise_id, kind, on)

    async def _governance(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        get: Any = getattr
        key = meta.key
        if key == RULE_POSTED:
            await conn.execute(
                "INSERT INTO org_assess_rules_posted (holder_id, rule_key, posted_on) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING", get(event, "holder_id"), get(event, "rule_key"),
                _day(event, "posted_on", meta=meta))
        elif key == RULE_UNPOSTED:
            await conn.execute("DELETE FROM org_assess_rules_posted WHERE holder_id = $1 AND rule_key = $2",
                               get(event, "holder_id"), get(event, "rule_key"))
        elif key == INSPECTION_RECORDED:
            await conn.execute(
                "INSERT INTO org_assess_inspections (inspection_id, branch_id, inspected_on, passed)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (inspection_id) DO UPDATE SET passed = excluded.passed,"
                " inspected_on = excluded.inspected_on",
                get(event, "inspection_id"), get(event, "branch_id"), _day(event, "inspected_on", meta=meta),
                bool(get(event, "passed")))
        elif key in (RECTIFICATION_OPENED, HANDLING_FLAGGED):
            branch_id = get(event, "branch_id", None)
            if branch_id:
                kind = "rectification" if key == RECTIFICATION_OPENED else "handling"
                await conn.execute(
                    "INSERT INTO org_assess_flags (position, kind, branch_id, on_day) VALUES ($1, $2, $3, $4)"
                    " ON CONFLICT DO NOTHING", meta.sequence, kind, branch_id,
                    _day(event, "opened_on", "flagged_on", "recorded_on", "on", meta=meta))
        elif key == MEETING_HELD:
            await conn.execute(
                "INSERT INTO org_assess_meetings (meeting_id, branch_id, kind, held_on)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                get(event, "meeting_id"), get(event, "branch_id"), get(event, "kind"),
                _day(event, "held_on", meta=meta))

    async def _elsewhere(self, conn: asyncpg.Connection, event: Event) -> None:
        match event:
            # education
            case edu.ParkLessonHeld():
                await conn.execute(
                    "INSERT INTO org_assess_lessons (lesson_id, quarter, held_on) VALUES ($1, $2, $3)"
                    " ON CONFLICT (lesson_id) DO UPDATE SET quarter = excluded.quarter,"
                    " held_on = excluded.held_on",
                    event.lesson_id, normalize_quarter(event.quarter), event.held_on)
            case edu.ParkLessonCancelled():
                await conn.execute("UPDATE org_assess_lessons SET cancelled = true WHERE lesson_id = $1",
                                   event.lesson_id)
            case edu.LessonAttendanceRecorded():
                await conn.executemany(
                    "INSERT INTO org_assess_lesson_attendance (lesson_id, member_id, quarter)"
                    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    [(event.lesson_id, m, normalize_quarter(event.quarter)) for m in event.member_ids])
            case edu.LessonMakeupRecorded():
                await conn.execute(
                    "INSERT INTO org_assess_lesson_attendance (lesson_id, member_id, quarter)"
                    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    event.lesson_id, event.member_id, normalize_quarter(event.quarter))
            case edu.SelfStudyFiled():
                # The reflection (sealed, personal) is not kept: the record's existence is the fact.
                await conn.execute(
                    "INSERT INTO org_assess_self_study (member_id, month, branch_id) VALUES ($1, $2, $3)"
                    " ON CONFLICT DO NOTHING", event.member_id, event.month, event.branch_id)
            case edu.WeeklyStudyHeld():
                await conn.execute(
                    "INSERT INTO org_assess_weekly_study (branch_id, week, held_on, meets_minimum)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT (branch_id, week) DO UPDATE SET"
                    " meets_minimum = org_assess_weekly_study.meets_minimum OR excluded.meets_minimum",
                    event.branch_id, event.week, event.held_on, event.meets_minimum)
            case edu.QuarterComplianceClosed():
                await conn.execute(
                    "INSERT INTO org_assess_edu_closed (branch_id, quarter, members_expected,"
                    " members_attended_lesson, members_filed_every_month, weeks_in_quarter, weeks_with_study)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    event.branch_id, normalize_quarter(event.quarter), event.members_expected,
                    event.members_attended_lesson, event.members_filed_every_month, event.weeks_in_quarter,
                    event.weeks_with_study)
            # enterprise-support
            case sup.VisitMade():
                await conn.execute(
                    "INSERT INTO org_assess_visits (visit_id, enterprise_id, visited_on) VALUES ($1, $2, $3)"
                    " ON CONFLICT DO NOTHING", event.visit_id, event.enterprise_id, event.visited_on)
            case sup.QuarterlyHeld():
                await conn.execute(
                    "INSERT INTO org_assess_quarterlies (kind, quarter, held_on, participant_enterprise_ids)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT (kind, quarter) DO UPDATE SET"
                    " held_on = excluded.held_on,"
                    " participant_enterprise_ids = excluded.participant_enterprise_ids",
                    event.kind, normalize_quarter(event.quarter), event.held_on,
                    event.participant_enterprise_ids)
            # events-public
            case pub.VolunteerActivityScheduled():
                await conn.execute(
                    "INSERT INTO org_assess_volunteer_activities"
                    " (activity_id, organizer_branch_id, starts_at)"
                    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    event.activity_id, event.organizer_branch_id, event.starts_at)
            case pub.VolunteerHoursRecorded():
                await conn.execute(
                    "INSERT INTO org_assess_volunteer_hours (activity_id, member_id, hours, recorded_at)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT (activity_id, member_id) DO UPDATE SET"
                    " hours = excluded.hours, recorded_at = excluded.recorded_at",
                    event.activity_id, event.member_id, event.hours, event.recorded_at)
            case _:
                pass

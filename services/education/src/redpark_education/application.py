"""The application layer: gather the facts a command needs (the roster from the read model, the
state of other streams), run the decider, store the events.

The roster trails the organization's store by the time its events take to arrive: a member placed
in a branch a moment ago may not be on it yet, and is refused as not on the roster until then.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from redpark_contracts.education import ForumKind, LecturerCategory, ThemeLinkKind
from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from . import queries
from .domain import forum, guarantees, lecturer, lesson, plan, self_study, theme, topic, weekly_study
from .domain.park_calendar import park_date, quarter_bounds

EXTRA_KEY = "education"


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass
class Education(ApplicationLayer):
    """What the routes use, kept in `runtime.extras["education"]`."""

    extras_key = EXTRA_KEY

    def today(self) -> date:
        return park_date(self.now())

    async def targets(self, year: int) -> plan.PlanTargets:
        state: plan.Plan = await self._state(plan.stream_id(year), plan.decider)
        return state.targets

    # --- plan and lecturers -----------------------------------------------------------------

    async def set_plan(self, year: int, lecturers_min: int, lessons_min: int, minutes: int) -> AppendResult:
        return await self._execute(plan.stream_id(year), plan.decider, plan.SetPlan(
            year=year, lecturer_corps_minimum=lecturers_min, park_lessons_minimum=lessons_min,
            weekly_study_minutes=minutes, now=self.now()))

    async def lecturer_command(self, lecturer_id: str, command: lecturer.LecturerCommand) -> AppendResult:
        return await self._execute(lecturer.stream_id(lecturer_id), lecturer.decider, command)

    async def appoint_lecturer(self, lecturer_id: str, name: str, category: LecturerCategory, affiliation: str,
                               topics: list[str]) -> AppendResult:
        return await self.lecturer_command(lecturer_id, lecturer.AppointLecturer(
            lecturer_id=lecturer_id, name=name, category=category, affiliation=affiliation, topics=topics,
            now=self.now()))

    # --- lessons ----------------------------------------------------------------------------

    async def schedule_lesson(self, *, lesson_id: str, title: str, topic_: str, lecturer_id: str, venue: str,
                              scheduled_on: date) -> AppendResult:
        state = await self._state(lecturer.stream_id(lecturer_id), lecturer.decider)
        return await self._execute(lesson.stream_id(lesson_id), lesson.decider, lesson.ScheduleLesson(
            lesson_id=lesson_id, title=title, topic=topic_, lecturer_id=lecturer_id, venue=venue,
            scheduled_on=scheduled_on, lecturer_active=isinstance(state, lecturer.ActiveLecturer), now=self.now()))

    async def _held_on(self, lesson_id: str) -> date:
        state = await self._state(lesson.stream_id(lesson_id), lesson.decider)
        return state.held_on if isinstance(state, lesson.Held) else self.today()

    async def hold_lesson(self, lesson_id: str, held_on: date | None) -> AppendResult:
        roster = await queries.roster_on(self.pool, held_on) if held_on else frozenset()
        return await self._execute(lesson.stream_id(lesson_id), lesson.decider, lesson.HoldLesson(
            lesson_id=lesson_id, held_on=held_on, roster_size=len(roster), now=self.now()))

    async def record_attendance(self, lesson_id: str, member_ids: list[str]) -> AppendResult:
        roster = await queries.roster_on(self.pool, await self._held_on(lesson_id))
        return await self._execute(lesson.stream_id(lesson_id), lesson.decider, lesson.RecordAttendance(
            lesson_id=lesson_id, member_ids=member_ids, roster=roster, now=self.now()))

    async def record_makeup(self, lesson_id: str, member_id: str, made_up_on: date) -> AppendResult:
        roster = await queries.roster_on(self.pool, await self._held_on(lesson_id))
        return await self._execute(lesson.stream_id(lesson_id), lesson.decider, lesson.RecordMakeup(
            lesson_id=lesson_id, member_id=member_id, made_up_on=made_up_on, roster=roster, now=self.now()))

    async def cancel_lesson(self, lesson_id: str, reason: str) -> AppendResult:
        return await self._execute(lesson.stream_id(lesson_id), lesson.decider,
                                   lesson.CancelLesson(lesson_id=lesson_id, reason=reason, now=self.now()))

    # --- topics, self-study, weekly study -------------------------------------------------------

    async def publish_topic(self, month: str, title: str, material: str) -> AppendResult:
        return await self._execute(topic.stream_id(month), topic.decider, topic.PublishTopic(
            month=month, title=title, material=material, now=self.now()))

    async def file_self_study(self, *, member_id: str, month: str, studied_on: date, content: str,
                              reflection: str) -> AppendResult:
        published = (await self._state(topic.stream_id(month), topic.decider)).published
        branch_id = await queries.member_branch_on(self.pool, member_id, self.today())
        return await self._execute(self_study.stream_id(member_id), self_study.decider, self_study.FileSelfStudy(
            member_id=member_id, month=month, studied_on=studied_on, content=content, reflection=reflection,
            branch_id=branch_id, topic_published=published, now=self.now()))

    async def record_weekly_study(self, *, branch_id: str, held_on: date, minutes: int, topic_: str,
                                  attendee_member_ids: list[str]) -> AppendResult:
        active = await queries.branch_active_on(self.pool, branch_id, held_on)
        members = await queries.roster_on(self.pool, held_on, branch_id) if active else None
        targets = await self.targets(held_on.year)
        return await self._execute(weekly_study.stream_id(branch_id), weekly_study.decider,
                                   weekly_study.RecordWeeklyStudy(
                                       branch_id=branch_id, held_on=held_on, minutes=minutes, topic=topic_,
                                       attendee_member_ids=attendee_member_ids, branch_members=members,
                                       minimum_minutes=targets.weekly_study_minutes, now=self.now()))

    # --- themes and forums --------------------------------------------------------------------

    async def define_theme(self, year: int, theme_id: str, title: str, description: str) -> AppendResult:
        return await self._execute(theme.stream_id(year), theme.decider, theme.DefineTheme(
            year=year, theme_id=theme_id, title=title, description=description, now=self.now()))

    async def link_theme(self, year: int, theme_id: str, kind: ThemeLinkKind, ref: str) -> AppendResult:
        ref_year: int | None
        if kind == "topic":
            published = (await self._state(topic.stream_id(ref), topic.decider)).published
            ref_year = int(ref[:4]) if published else None
        else:
            state = await self._state(lesson.stream_id(ref), lesson.decider)
            ref_year = (state.held_on.year if isinstance(state, lesson.Held)
                        else state.scheduled_on.year if isinstance(state, lesson.Scheduled) else None)
        return await self._execute(theme.stream_id(year), theme.decider, theme.LinkToTheme(
            year=year, theme_id=theme_id, kind=kind, ref=ref, ref_year=ref_year, now=self.now()))

    async def forum_command(self, session_id: str, command: forum.ForumCommand) -> AppendResult:
        return await self._execute(forum.stream_id(session_id), forum.decider, command)

    async def record_forum(self, *, session_id: str, kind: ForumKind, title: str, held_on: date,
                           participants: list[str], outcomes: list[str]) -> AppendResult:
        return await self.forum_command(session_id, forum.RecordSession(
            session_id=session_id, forum=kind, title=title, held_on=held_on, participants=participants,
            outcomes=outcomes, now=self.now()))

    # --- three guarantees ---------------------------------------------------------------------

    async def compliance(self, period: str, branch_id: str | None = None,
                         as_of: date | None = None) -> guarantees.Compliance:
        return guarantees.compliance(period, as_of or self.today(), await queries.facts(self.pool, branch_id))

    async def close_quarter(self, quarter: str) -> AppendResult:
        _, last = quarter_bounds(quarter)
        result = await self.compliance(quarter, as_of=last)
        return await self._execute(guarantees.quarter_stream_id(quarter), guarantees.close_decider,
                                   guarantees.CloseQuarter(quarter=quarter, result=result, now=self.now()))

    async def issue_reminders(self, period: str) -> AppendResult:
        missing = guarantees.missing_of(await self.compliance(period))
        return await self._execute(guarantees.reminders_stream_id(period), guarantees.reminders_decider,
                                   guarantees.IssueReminders(period=period, missing=missing, now=self.now()))

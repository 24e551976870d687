"""Commands of the programme: the year's plan, lecturers, park lessons and their attendance,
annual themes and forums."""

from __future__ import annotations

from datetime import date

from redpark_contracts.education import ForumKind, LecturerCategory, ThemeLinkKind
from redpark_platform.store import AppendResult

from .. import queries
from ..domain import forum, lecturer, lesson, plan, theme, topic
from .layer import EducationLayer


class ProgrammeCommands(EducationLayer):
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

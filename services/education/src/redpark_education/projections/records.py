"""The education records: plans, lecturers, lessons and attendance, topics, self-study (without
the reflection), weekly study, themes, forums, closed quarters and reminders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts.education import (
    AnnualThemeDefined,
    EducationPlanSet,
    ForumOutcomeAdded,
    ForumSessionHeld,
    LecturerAppointed,
    LecturerRetired,
    LecturerTopicsUpdated,
    LessonAttendanceRecorded,
    LessonMakeupRecorded,
    MonthlyTopicPublished,
    ParkLessonCancelled,
    ParkLessonHeld,
    ParkLessonScheduled,
    QuarterComplianceClosed,
    ReminderIssued,
    SelfStudyFiled,
    ThemeLinked,
    WeeklyStudyHeld,
    registry,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "edu_records"
SOURCE = "education"


class RecordsProjection(Projection):
    name = NAME
    sources = (SOURCE,)
    registries: ClassVar[Mapping[str, EventRegistry]] = {SOURCE: registry}
    tables = ("edu_plans", "edu_lecturers", "edu_lessons", "edu_attendance", "edu_topics", "edu_self_study",
              "edu_weekly_study", "edu_themes", "edu_theme_links", "edu_forum_sessions", "edu_quarters_closed",
              "edu_reminders")

    opens = frozenset({"name"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "education":
            return 0
        return await blank_person(conn, "edu_lecturers", ("name",), "lecturer_id", subject_id)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        x = conn.execute
        match event:
            case EducationPlanSet():
                await x("INSERT INTO edu_plans VALUES ($1, $2, $3, $4) ON CONFLICT (year) DO UPDATE SET"
                        " lecturer_corps_minimum = $2, park_lessons_minimum = $3, weekly_study_minutes = $4",
                        event.year, event.lecturer_corps_minimum, event.park_lessons_minimum,
                        event.weekly_study_minutes)
            case LecturerAppointed():
                await x("INSERT INTO edu_lecturers VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                        event.lecturer_id, event.name, event.category, event.affiliation, event.topics,
                        event.appointed_on)
            case LecturerTopicsUpdated():
                await x("UPDATE edu_lecturers SET topics = $2 WHERE lecturer_id = $1", event.lecturer_id, event.topics)
            case LecturerRetired():
                await x("UPDATE edu_lecturers SET retired_on = $2 WHERE lecturer_id = $1",
                        event.lecturer_id, event.retired_on)
            case ParkLessonScheduled():
                await x("INSERT INTO edu_lessons (lesson_id, title, topic, lecturer_id, venue, scheduled_on, quarter)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", event.lesson_id, event.title,
                        event.topic, event.lecturer_id, event.venue, event.scheduled_on, event.quarter)
            case ParkLessonHeld():
                await x("UPDATE edu_lessons SET held_on = $2, quarter = $3, expected_members = $4"
                        " WHERE lesson_id = $1", event.lesson_id, event.held_on, event.quarter,
                        event.expected_members)
            case ParkLessonCancelled():
                await x("UPDATE edu_lessons SET cancelled = true WHERE lesson_id = $1", event.lesson_id)
            case LessonAttendanceRecorded():
                await x("INSERT INTO edu_attendance (lesson_id, member_id) SELECT $1, unnest($2::text[])"
                        " ON CONFLICT DO NOTHING", event.lesson_id, event.member_ids)
            case LessonMakeupRecorded():
                await x("INSERT INTO edu_attendance VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        event.lesson_id, event.member_id, event.made_up_on)
            case MonthlyTopicPublished():
                await x("INSERT INTO edu_topics VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        event.month, event.title, event.material, event.published_on)
            case SelfStudyFiled():
                await x("INSERT INTO edu_self_study VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                        event.member_id, event.month, event.branch_id, event.studied_on, event.filed_on, event.late)
            case WeeklyStudyHeld():
                await x("INSERT INTO edu_weekly_study VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                        event.branch_id, event.week, event.held_on, event.minutes, event.topic,
                        len(event.attendee_member_ids), event.meets_minimum)
            case AnnualThemeDefined():
                await x("INSERT INTO edu_themes VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        event.year, event.theme_id, event.title, event.description)
            case ThemeLinked():
                await x("INSERT INTO edu_theme_links VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        event.year, event.theme_id, event.kind, event.ref)
            case ForumSessionHeld():
                await x("INSERT INTO edu_forum_sessions VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                        event.session_id, event.forum, event.title, event.held_on, event.participants, event.outcomes)
            case ForumOutcomeAdded():
                await x("UPDATE edu_forum_sessions SET outcomes = outcomes || $2 WHERE session_id = $1",
                        event.session_id, event.outcome)
            case QuarterComplianceClosed():
                await x("INSERT INTO edu_quarters_closed VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                        event.quarter, event.branch_id, event.members_expected, event.members_fully_compliant,
                        event.closed_on)
            case ReminderIssued():
                await x("INSERT INTO edu_reminders VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                        meta.sequence, event.guarantee, event.period, event.branch_id, event.member_id,
                        event.issued_on)
            case _:
                pass

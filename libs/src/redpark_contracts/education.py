"""Events of the education service: the lecturer corps, park lessons, monthly topics, self-study,
weekly branch study, annual themes, forums and the three guarantees (红色思想、三个保证).

Subjects are `education.<aggregate>.<event_name>`; CloudEvents types
`redpark.education.<aggregate>.<event_name>.v<N>`. Ids are strings, calendar dates are
`datetime.date` in the park's calendar (Asia/Shanghai), instants are UTC `datetime`s. A month is
written `YYYY-MM`, a quarter `YYYY-Qn`, a week as ISO `YYYY-Www`.

Who must study is not decided here: the education roster is a projection of the organization
service's member and branch events. The organization's assessment reads `lesson.held`,
`lesson.attendance_recorded`, `self_study.filed`, `weekly_study.held` and
`compliance.quarter_closed`.

A self-study reflection is the member's own writing: it is sealed per member (`personal=`), so it
travels sealed on the bus and reads "已删除" once the member is forgotten.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from redpark_contracts.privacy import register_erasure
from redpark_platform.events import Event, EventRegistry

registry = EventRegistry("education")
register_erasure(registry)  # person.erased: see redpark_contracts.privacy

LecturerCategory = Literal["veteran_member", "model_figure", "expert", "tech_leader"]  # 老党员、模范人物、专家、科技精英
ForumKind = Literal["party_building", "innovation", "development", "joint_conference"]  # 三个论坛、联席会
ThemeLinkKind = Literal["topic", "lesson"]
Guarantee = Literal["lesson", "self_study", "weekly_study"]  # 三个保证

# --- the year's plan (the plan's minimums, × in the text, set per year) -------------------------


@registry.register("plan", "set")
class EducationPlanSet(Event, frozen=True, kw_only=True):
    """The year's targets: lecturer corps size, park lessons, minutes of weekly study."""

    year: int
    lecturer_corps_minimum: int
    park_lessons_minimum: int
    weekly_study_minutes: int
    set_on: date


# --- lecturer corps (红色讲师团) ------------------------------------------------------------------


@registry.register("lecturer", "appointed", personal=("name",), subject="lecturer_id")
class LecturerAppointed(Event, frozen=True, kw_only=True):
    lecturer_id: str
    name: str
    category: LecturerCategory
    affiliation: str
    topics: list[str]
    appointed_on: date


@registry.register("lecturer", "topics_updated")
class LecturerTopicsUpdated(Event, frozen=True, kw_only=True):
    lecturer_id: str
    topics: list[str]
    updated_on: date


@registry.register("lecturer", "retired")
class LecturerRetired(Event, frozen=True, kw_only=True):
    lecturer_id: str
    retired_on: date


# --- park lessons (大党课) ------------------------------------------------------------------------


@registry.register("lesson", "scheduled")
class ParkLessonScheduled(Event, frozen=True, kw_only=True):
    """A park lesson planned at a venue, with lecturer and topic; `quarter` it counts for."""

    lesson_id: str
    title: str
    topic: str
    lecturer_id: str
    venue: str
    scheduled_on: date
    quarter: str


@registry.register("lesson", "held")
class ParkLessonHeld(Event, frozen=True, kw_only=True):
    """The lesson took place; `expected_members` is the roster on that day (members in a branch)."""

    lesson_id: str
    held_on: date
    quarter: str
    expected_members: int


@registry.register("lesson", "attendance_recorded")
class LessonAttendanceRecorded(Event, frozen=True, kw_only=True):
    """Members present at the lesson (a second record adds members, never removes)."""

    lesson_id: str
    held_on: date
    quarter: str
    member_ids: list[str]
    recorded_at: datetime


@registry.register("lesson", "makeup_recorded")
class LessonMakeupRecorded(Event, frozen=True, kw_only=True):
    """补课: a member who missed the lesson studied it afterwards; counts as attended."""

    lesson_id: str
    quarter: str
    member_id: str
    made_up_on: date


@registry.register("lesson", "cancelled")
class ParkLessonCancelled(Event, frozen=True, kw_only=True):
    lesson_id: str
    reason: str
    cancelled_on: date


# --- monthly topic and self-study (一月一专题、自学记录) ------------------------------------------


@registry.register("topic", "published")
class MonthlyTopicPublished(Event, frozen=True, kw_only=True):
    month: str
    title: str
    material: str
    published_on: date


@registry.register("self_study", "filed", personal=("reflection",), subject="member_id")
class SelfStudyFiled(Event, frozen=True, kw_only=True):
    """A member's self-study record for a month; `late` when filed after the month ended."""

    member_id: str
    branch_id: str
    month: str
    studied_on: date
    content: str
    reflection: str
    filed_on: date
    late: bool


# --- weekly branch study (周学习) -----------------------------------------------------------------


@registry.register("weekly_study", "held")
class WeeklyStudyHeld(Event, frozen=True, kw_only=True):
    """The branch's study after the enterprise weekly meeting; `meets_minimum` against the year's
    minutes (a shorter study is recorded, and does not count)."""

    branch_id: str
    week: str
    held_on: date
    minutes: int
    topic: str
    attendee_member_ids: list[str]
    meets_minimum: bool


# --- annual themes (五个教育主题) -----------------------------------------------------------------


@registry.register("theme", "defined")
class AnnualThemeDefined(Event, frozen=True, kw_only=True):
    year: int
    theme_id: str
    title: str
    description: str


@registry.register("theme", "linked")
class ThemeLinked(Event, frozen=True, kw_only=True):
    """A monthly topic (`ref` = its month) or a lesson (`ref` = its id) serves the theme."""

    year: int
    theme_id: str
    kind: ThemeLinkKind
    ref: str


# --- forums and the joint conference (三个论坛、联席会) -------------------------------------------


@registry.register("forum", "session_held")
class ForumSessionHeld(Event, frozen=True, kw_only=True):
    session_id: str
    forum: ForumKind
    title: str
    held_on: date
    participants: list[str]
    outcomes: list[str]


@registry.register("forum", "outcome_added")
class ForumOutcomeAdded(Event, frozen=True, kw_only=True):
    session_id: str
    outcome: str
    added_on: date


# --- three guarantees (三个保证) ------------------------------------------------------------------


@registry.register("compliance", "quarter_closed")
class QuarterComplianceClosed(Event, frozen=True, kw_only=True):
    """A branch's education compliance for an ended quarter, for the organization's assessment."""

    quarter: str
    branch_id: str
    members_expected: int
    members_attended_lesson: int
    members_filed_every_month: int
    weeks_in_quarter: int
    weeks_with_study: int
    members_fully_compliant: int
    closed_on: date


@registry.register("reminder", "issued")
class ReminderIssued(Event, frozen=True, kw_only=True):
    """Someone is missing a guarantee for a period; a notification channel may send it later.
    `member_id` is None for a branch's missing weekly study."""

    guarantee: Guarantee
    period: str
    branch_id: str
    member_id: str | None
    issued_on: date

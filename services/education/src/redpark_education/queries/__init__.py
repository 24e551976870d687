"""Reads of the education read models, one module per area (`roster`, `guarantees`, `programme`,
`study`); the edges and the application layer call them by these names."""

from .guarantees import facts
from .programme import (
    ForumRow,
    LecturerRow,
    LessonRow,
    ThemeLink,
    ThemeRow,
    attendance,
    forums,
    lecturer_name,
    lecturers,
    lesson,
    lesson_quarter,
    lesson_year,
    lessons,
    themes,
)
from .roster import branch_active_on, branch_names, member_branch_on, roster_on, roster_sheet
from .study import ReminderRow, TopicRow, WeeklyRow, reminders, topics, weekly

__all__ = [
    "ForumRow", "LecturerRow", "LessonRow", "ReminderRow", "ThemeLink", "ThemeRow", "TopicRow", "WeeklyRow",
    "attendance", "branch_active_on", "branch_names", "facts", "forums", "lecturers", "lesson_quarter",
    "lecturer_name", "lesson", "lesson_year", "lessons", "member_branch_on", "reminders", "roster_on",
    "roster_sheet", "themes", "topics", "weekly",
]

"""Park lessons (大党课): scheduled with lecturer, topic and venue, held, attendance taken.

One stream per lesson. Who may be marked present comes in the command: `roster` is the set of
members on the education roster on the day the lesson was held (from the organization's events),
so a member who joined after the lesson is neither expected nor accepted as present.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import (
    LessonAttendanceRecorded,
    LessonMakeupRecorded,
    ParkLessonCancelled,
    ParkLessonHeld,
    ParkLessonScheduled,
)
from redpark_platform.calendar import not_in_future, park_date, quarter_of
from redpark_platform.decider import Decider
from redpark_platform.errors import DomainError

from .errors import ERRORS, SCHEDULING_ERRORS


def stream_id(lesson_id: str) -> str:
    return f"lesson-{lesson_id}"


class ScheduleLesson(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    title: str
    topic: str
    lecturer_id: str
    venue: str
    scheduled_on: date
    lecturer_active: bool
    now: datetime


class HoldLesson(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    held_on: date | None
    roster_size: int
    now: datetime


class RecordAttendance(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    member_ids: list[str]
    roster: frozenset[str]
    now: datetime


class RecordMakeup(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    member_id: str
    made_up_on: date
    roster: frozenset[str]
    now: datetime


class CancelLesson(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    reason: str
    now: datetime


LessonCommand = ScheduleLesson | HoldLesson | RecordAttendance | RecordMakeup | CancelLesson
LessonEvent = (ParkLessonScheduled | ParkLessonHeld | LessonAttendanceRecorded | LessonMakeupRecorded
               | ParkLessonCancelled)


class NoLesson(msgspec.Struct, frozen=True, tag="none"):
    pass


class Scheduled(msgspec.Struct, frozen=True, tag="scheduled"):
    scheduled_on: date


class Held(msgspec.Struct, frozen=True, tag="held"):
    held_on: date
    quarter: str
    attended: frozenset[str] = frozenset()


class Cancelled(msgspec.Struct, frozen=True, tag="cancelled"):
    pass


LessonState = NoLesson | Scheduled | Held | Cancelled


def _unknown(lesson_id: str) -> DomainError:
    return ERRORS.error("lesson.unknown", field="lesson_id", lesson_id=lesson_id)


def _held(state: LessonState, lesson_id: str) -> Held:
    match state:
        case Held():
            return state
        case NoLesson():
            raise _unknown(lesson_id)
        case Scheduled() | Cancelled():
            raise ERRORS.error("lesson.not_held", field="lesson_id", lesson_id=lesson_id)
        case _:
            assert_never(state)


def _in_roster(member_ids: list[str], roster: frozenset[str], held_on: date) -> None:
    outside = [m for m in member_ids if m not in roster]
    if outside:
        raise ERRORS.error("attendance.not_in_roster", field="member_ids", day=held_on.isoformat(),
                           members=", ".join(sorted(outside)))


def decide(command: LessonCommand, state: LessonState) -> list[LessonEvent]:
    match command:
        case ScheduleLesson():
            if not isinstance(state, NoLesson):
                raise ERRORS.error("lesson.already_scheduled", field="lesson_id", lesson_id=command.lesson_id)
            # A past date is fine: a lesson already given is recorded by scheduling it on its date and
            # holding it; what is never accepted is a held lesson without its date (HoldLesson).
            for name in ("title", "topic", "venue"):
                if not getattr(command, name).strip():
                    raise ERRORS.error(f"lesson.{name}_missing", field=name)
            if not command.lecturer_active:
                raise SCHEDULING_ERRORS.error("lecturer.unknown", field="lecturer_id", lecturer_id=command.lecturer_id)
            return [ParkLessonScheduled(lesson_id=command.lesson_id, title=command.title.strip(),
                                        topic=command.topic.strip(), lecturer_id=command.lecturer_id,
                                        venue=command.venue.strip(), scheduled_on=command.scheduled_on,
                                        quarter=quarter_of(command.scheduled_on))]
        case HoldLesson():
            match state:
                case NoLesson():
                    raise _unknown(command.lesson_id)
                case Held():
                    raise ERRORS.error("lesson.already_held", field="lesson_id", lesson_id=command.lesson_id)
                case Cancelled():
                    raise ERRORS.error("lesson.cancelled", field="lesson_id", lesson_id=command.lesson_id)
                case Scheduled():
                    pass
                case _:
                    assert_never(state)
            if command.held_on is None:
                # The roster, the quarter and everyone's compliance hang on this date: never guess it.
                raise ERRORS.error("lesson.date_required", field="held_on")
            held_on = not_in_future(command.held_on, park_date(command.now), "held_on")
            return [ParkLessonHeld(lesson_id=command.lesson_id, held_on=held_on, quarter=quarter_of(held_on),
                                   expected_members=command.roster_size)]
        case RecordAttendance():
            held = _held(state, command.lesson_id)
            if not command.member_ids:
                raise ERRORS.error("attendance.empty", field="member_ids")
            _in_roster(command.member_ids, command.roster, held.held_on)
            new = [m for m in dict.fromkeys(command.member_ids) if m not in held.attended]
            if not new:
                return []  # a repeated sheet changes nothing
            return [LessonAttendanceRecorded(lesson_id=command.lesson_id, held_on=held.held_on, quarter=held.quarter,
                                             member_ids=new, recorded_at=command.now)]
        case RecordMakeup():
            held = _held(state, command.lesson_id)
            _in_roster([command.member_id], command.roster, held.held_on)
            if command.member_id in held.attended:
                raise ERRORS.error("attendance.already_attended", field="member_id", member_id=command.member_id,
                                   lesson_id=command.lesson_id)
            made_up = not_in_future(command.made_up_on, park_date(command.now), "made_up_on")
            if made_up < held.held_on:
                raise ERRORS.error("attendance.makeup_before_lesson", field="made_up_on")
            return [LessonMakeupRecorded(lesson_id=command.lesson_id, quarter=held.quarter,
                                         member_id=command.member_id, made_up_on=made_up)]
        case CancelLesson():
            match state:
                case Scheduled():
                    return [ParkLessonCancelled(lesson_id=command.lesson_id, reason=command.reason,
                                                cancelled_on=park_date(command.now))]
                case NoLesson():
                    raise _unknown(command.lesson_id)
                case Held() | Cancelled():
                    raise ERRORS.error("lesson.not_cancellable", field="lesson_id", lesson_id=command.lesson_id)
                case _:
                    assert_never(state)
        case _:
            assert_never(command)


def evolve(state: LessonState, event: LessonEvent) -> LessonState:
    match event:
        case ParkLessonScheduled():
            return Scheduled(scheduled_on=event.scheduled_on)
        case ParkLessonHeld():
            return Held(held_on=event.held_on, quarter=event.quarter)
        case LessonAttendanceRecorded():
            assert isinstance(state, Held)
            return msgspec.structs.replace(state, attended=state.attended | set(event.member_ids))
        case LessonMakeupRecorded():
            assert isinstance(state, Held)
            return msgspec.structs.replace(state, attended=state.attended | {event.member_id})
        case ParkLessonCancelled():
            return Cancelled()
        case _:
            assert_never(event)


decider: Decider[LessonCommand, LessonState, LessonEvent] = Decider(initial=NoLesson(), decide=decide, evolve=evolve)

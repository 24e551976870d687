"""The lecturer corps (红色讲师团): lecturers with their topics. One stream per lecturer."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import (
    LecturerAppointed,
    LecturerCategory,
    LecturerRetired,
    LecturerTopicsUpdated,
)
from redpark_platform.calendar import park_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(lecturer_id: str) -> str:
    return f"lecturer-{lecturer_id}"


class AppointLecturer(msgspec.Struct, frozen=True, kw_only=True):
    lecturer_id: str
    name: str
    category: LecturerCategory
    affiliation: str
    topics: list[str]
    now: datetime


class UpdateTopics(msgspec.Struct, frozen=True, kw_only=True):
    lecturer_id: str
    topics: list[str]
    now: datetime


class RetireLecturer(msgspec.Struct, frozen=True, kw_only=True):
    lecturer_id: str
    now: datetime


LecturerCommand = AppointLecturer | UpdateTopics | RetireLecturer
LecturerEvent = LecturerAppointed | LecturerTopicsUpdated | LecturerRetired


class NoLecturer(msgspec.Struct, frozen=True, tag="none"):
    pass


class ActiveLecturer(msgspec.Struct, frozen=True, tag="active"):
    topics: tuple[str, ...]


class RetiredLecturer(msgspec.Struct, frozen=True, tag="retired"):
    pass


LecturerState = NoLecturer | ActiveLecturer | RetiredLecturer


def _topics(topics: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(t.strip() for t in topics if t.strip()))
    if not cleaned:
        raise ERRORS.error("lecturer.no_topics", field="topics")
    return cleaned


def _active(state: LecturerState, lecturer_id: str) -> ActiveLecturer:
    if isinstance(state, ActiveLecturer):
        return state
    if isinstance(state, RetiredLecturer):
        raise ERRORS.error("lecturer.retired", field="lecturer_id", lecturer_id=lecturer_id)
    raise ERRORS.error("lecturer.unknown", field="lecturer_id", lecturer_id=lecturer_id)


def decide(command: LecturerCommand, state: LecturerState) -> list[LecturerEvent]:
    match command:
        case AppointLecturer():
            if not isinstance(state, NoLecturer):
                raise ERRORS.error("lecturer.already_appointed", field="lecturer_id", lecturer_id=command.lecturer_id)
            if not command.name.strip():
                raise ERRORS.error("lecturer.name_missing", field="name")
            return [LecturerAppointed(lecturer_id=command.lecturer_id, name=command.name.strip(),
                                      category=command.category, affiliation=command.affiliation.strip(),
                                      topics=_topics(command.topics), appointed_on=park_date(command.now))]
        case UpdateTopics():
            _active(state, command.lecturer_id)
            return [LecturerTopicsUpdated(lecturer_id=command.lecturer_id, topics=_topics(command.topics),
                                          updated_on=park_date(command.now))]
        case RetireLecturer():
            _active(state, command.lecturer_id)
            return [LecturerRetired(lecturer_id=command.lecturer_id, retired_on=park_date(command.now))]
        case _:
            assert_never(command)


def evolve(state: LecturerState, event: LecturerEvent) -> LecturerState:
    match event:
        case LecturerAppointed():
            return ActiveLecturer(topics=tuple(event.topics))
        case LecturerTopicsUpdated():
            return ActiveLecturer(topics=tuple(event.topics))
        case LecturerRetired():
            return RetiredLecturer()
        case _:
            assert_never(event)


decider: Decider[LecturerCommand, LecturerState, LecturerEvent] = Decider(
    initial=NoLecturer(), decide=decide, evolve=evolve)

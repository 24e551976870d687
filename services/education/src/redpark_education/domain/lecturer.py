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
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound


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
        raise InvalidCommand("lecturer.no_topics", "a lecturer teaches at least one topic",
                             detail_zh="讲师至少要有一个授课专题", field="topics")
    return cleaned


def _active(state: LecturerState, lecturer_id: str) -> ActiveLecturer:
    if isinstance(state, ActiveLecturer):
        return state
    if isinstance(state, RetiredLecturer):
        raise DomainError("lecturer.retired", f"lecturer {lecturer_id} has retired from the corps",
                          detail_zh="该讲师已退出讲师团", field="lecturer_id")
    raise NotFound("lecturer.unknown", f"lecturer {lecturer_id} is not in the corps", detail_zh="讲师不存在",
                   field="lecturer_id")


def decide(command: LecturerCommand, state: LecturerState) -> list[LecturerEvent]:
    match command:
        case AppointLecturer():
            if not isinstance(state, NoLecturer):
                raise DomainError("lecturer.already_appointed", f"lecturer {command.lecturer_id} is already appointed",
                                  detail_zh="该讲师已聘任", field="lecturer_id")
            if not command.name.strip():
                raise InvalidCommand("lecturer.name_missing", "the lecturer needs a name", detail_zh="讲师姓名不能为空",
                                     field="name")
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

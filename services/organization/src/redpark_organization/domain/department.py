"""Park departments (园区各部门) and their quarterly scores by the general branch's inspection.

A department is registered once (name, head) on `department-<id>`. Each quarter the general
branch's inspection enters points per item of the year's department items, and may veto the
department (一票否决: shown with its score, it may not be rated 综合先进). A later inspection of
the same quarter replaces the earlier one until the quarter is closed; the application layer says
whether it is (`quarter_closed`) and which items the year's rules have.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization_assessment import (
    DepartmentItem,
    DepartmentItemScore,
    DepartmentRegistered,
    DepartmentScored,
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .assessment import normalize_quarter, quarter_bounds
from .park_calendar import park_date


def stream_id(department_id: str) -> str:
    return f"department-{department_id}"


class RegisterDepartment(msgspec.Struct, frozen=True, kw_only=True):
    department_id: str
    name: str
    head: str
    now: datetime


class ScoreDepartment(msgspec.Struct, frozen=True, kw_only=True):
    department_id: str
    quarter: str
    items: list[DepartmentItemScore]
    vetoed: bool
    veto_reason: str
    scored_by: str
    department_items: list[DepartmentItem]  # the year's rules
    quarter_closed: bool
    now: datetime


DepartmentCommand = RegisterDepartment | ScoreDepartment
DepartmentEvent = DepartmentRegistered | DepartmentScored


class NoDepartment(msgspec.Struct, frozen=True, tag=True):
    pass


class Department(msgspec.Struct, frozen=True, tag=True):
    department_id: str
    name: str


DepartmentState = NoDepartment | Department


def _register(command: RegisterDepartment, state: DepartmentState) -> list[DepartmentEvent]:
    if isinstance(state, Department):
        raise DomainError("department.already_registered",
                          f"department {command.department_id} is registered",
                          detail_zh="该部门已登记", field="department_id")
    if not command.name.strip():
        raise InvalidCommand("department.name_missing", "the department needs a name", detail_zh="部门名称不能为空",
                             field="name")
    if not command.head.strip():
        raise InvalidCommand("department.head_missing", "the department needs its head",
                             detail_zh="部门负责人不能为空", field="head")
    return [DepartmentRegistered(department_id=command.department_id, name=command.name.strip(),
                                 head=command.head.strip(), registered_on=park_date(command.now))]


def _score(command: ScoreDepartment, state: DepartmentState) -> list[DepartmentEvent]:
    if not isinstance(state, Department):
        raise NotFound("department.unknown", f"no department {command.department_id}", detail_zh="部门不存在",
                       field="department_id")
    quarter = normalize_quarter(command.quarter)
    if command.quarter_closed:
        raise DomainError("assessment.quarter_already_closed",
                          f"{quarter} is closed; its scores no longer change",
                          detail_zh="该季度考核已关账，分数不再变动", field="quarter")
    today = park_date(command.now)
    if quarter_bounds(quarter)[0] > today:
        raise InvalidCommand("assessment.quarter_not_started", f"{quarter} has not started",
                             detail_zh="季度尚未开始，不能评分", field="quarter")
    possible = {i.key: i.points for i in command.department_items}
    seen: set[str] = set()
    for n, item in enumerate(command.items):
        if item.key not in possible:
            raise InvalidCommand("department.item_unknown",
                                 f"items[{n}].key {item.key!r} is not a department item",
                                 detail_zh="考核项目不存在", field=f"items[{n}].key")
        if item.key in seen:
            raise InvalidCommand("department.item_repeated", f"items[{n}].key {item.key!r} is given twice",
                                 detail_zh="考核项目重复", field=f"items[{n}].key")
        seen.add(item.key)
        if not math.isfinite(item.points) or not 0 <= item.points <= possible[item.key]:
            raise InvalidCommand("department.points_out_of_range",
                                 f"items[{n}].points must be 0 to {possible[item.key]:g}",
                                 detail_zh="得分超出该项分值范围", field=f"items[{n}].points")
    if command.vetoed and not command.veto_reason.strip():
        raise InvalidCommand("department.veto_reason_missing", "a veto needs its reason",
                             detail_zh="一票否决须写明理由", field="veto_reason")
    return [DepartmentScored(department_id=state.department_id, quarter=quarter, items=command.items,
                             vetoed=command.vetoed,
                             veto_reason=command.veto_reason.strip() if command.vetoed else "",
                             scored_by=command.scored_by, scored_on=today)]


def decide(command: DepartmentCommand, state: DepartmentState) -> list[DepartmentEvent]:
    match command:
        case RegisterDepartment():
            return _register(command, state)
        case ScoreDepartment():
            return _score(command, state)
        case _:
            assert_never(command)


def evolve(state: DepartmentState, event: DepartmentEvent) -> DepartmentState:
    match event:
        case DepartmentRegistered():
            return Department(department_id=event.department_id, name=event.name)
        case DepartmentScored():
            return state
        case _:
            assert_never(event)


decider: Decider[DepartmentCommand, DepartmentState, DepartmentEvent] = Decider(
    initial=NoDepartment(), decide=decide, evolve=evolve)

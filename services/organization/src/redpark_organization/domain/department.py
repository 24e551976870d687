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
from redpark_platform.calendar import park_date
from redpark_platform.decider import Decider, DomainError

from .assessment import normalize_quarter, quarter_bounds
from .errors import ERRORS


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
        raise ERRORS.error("department.already_registered", field="department_id", department_id=command.department_id)
    if not command.name.strip():
        raise ERRORS.error("department.name_missing", field="name")
    if not command.head.strip():
        raise ERRORS.error("department.head_missing", field="head")
    return [DepartmentRegistered(department_id=command.department_id, name=command.name.strip(),
                                 head=command.head.strip(), registered_on=park_date(command.now))]


def _score(command: ScoreDepartment, state: DepartmentState) -> list[DepartmentEvent]:
    if not isinstance(state, Department):
        raise ERRORS.error("department.unknown", field="department_id", department_id=command.department_id)
    quarter = normalize_quarter(command.quarter)
    if command.quarter_closed:
        raise DomainError("assessment.quarter_already_closed",
                          f"{quarter} is closed; its scores no longer change",
                          detail_zh="该季度考核已关账，分数不再变动", field="quarter")
    today = park_date(command.now)
    if quarter_bounds(quarter)[0] > today:
        raise ERRORS.error("assessment.quarter_not_started", field="quarter", quarter=quarter)
    possible = {i.key: i.points for i in command.department_items}
    seen: set[str] = set()
    for n, item in enumerate(command.items):
        if item.key not in possible:
            raise ERRORS.error("department.item_unknown", field=f"items[{n}].key", n=n, key=item.key)
        if item.key in seen:
            raise ERRORS.error("department.item_repeated", field=f"items[{n}].key", n=n, key=item.key)
        seen.add(item.key)
        if not math.isfinite(item.points) or not 0 <= item.points <= possible[item.key]:
            raise ERRORS.error("department.points_out_of_range", field=f"items[{n}].points", n=n,
                               value=possible[item.key])
    if command.vetoed and not command.veto_reason.strip():
        raise ERRORS.error("department.veto_reason_missing", field="veto_reason")
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

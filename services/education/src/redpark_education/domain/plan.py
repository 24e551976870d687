"""The year's education plan: the plan's minimums (written × in the plan text) set per year.

One stream per year (`plan-<year>`); a later setting replaces the earlier one. Park lessons are
held at least once a quarter, so the yearly minimum is never below four.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import EducationPlanSet
from redpark_platform.calendar import park_date
from redpark_platform.decider import Decider

from .errors import ERRORS

QUARTERS_A_YEAR = 4


def stream_id(year: int) -> str:
    return f"plan-{year}"


class PlanTargets(msgspec.Struct, frozen=True, kw_only=True):
    lecturer_corps_minimum: int = 10
    park_lessons_minimum: int = QUARTERS_A_YEAR
    weekly_study_minutes: int = 30


DEFAULT_TARGETS = PlanTargets()


class SetPlan(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    lecturer_corps_minimum: int
    park_lessons_minimum: int
    weekly_study_minutes: int
    now: datetime


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    targets: PlanTargets = DEFAULT_TARGETS
    set: bool = False


def decide(command: SetPlan, state: Plan) -> list[EducationPlanSet]:
    match command:
        case SetPlan():
            if not 2000 <= command.year <= 2200:
                raise ERRORS.error("plan.year_out_of_range", field="year", year=command.year)
            if command.lecturer_corps_minimum < 1:
                raise ERRORS.error("plan.lecturers_too_few", field="lecturer_corps_minimum")
            if command.park_lessons_minimum < QUARTERS_A_YEAR:
                raise ERRORS.error("plan.lessons_below_quarterly", field="park_lessons_minimum")
            if not 1 <= command.weekly_study_minutes <= 480:
                raise ERRORS.error("plan.minutes_out_of_range", field="weekly_study_minutes")
            return [EducationPlanSet(year=command.year, lecturer_corps_minimum=command.lecturer_corps_minimum,
                                     park_lessons_minimum=command.park_lessons_minimum,
                                     weekly_study_minutes=command.weekly_study_minutes,
                                     set_on=park_date(command.now))]
        case _:
            assert_never(command)


def evolve(state: Plan, event: EducationPlanSet) -> Plan:
    return Plan(targets=PlanTargets(lecturer_corps_minimum=event.lecturer_corps_minimum,
                                    park_lessons_minimum=event.park_lessons_minimum,
                                    weekly_study_minutes=event.weekly_study_minutes), set=True)


decider: Decider[SetPlan, Plan, EducationPlanSet] = Decider(initial=Plan(), decide=decide, evolve=evolve)

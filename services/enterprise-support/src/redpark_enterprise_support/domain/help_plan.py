"""帮扶计划: the year's help plan of one enterprise, by its category (stream
`help-plan-<enterprise_id>-<year>`).

The plan says plans are made 在逐个企业走访的基础上: the enterprise must have been visited in
that year first (`visits_this_year` from the read model), and be in the park.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.enterprise_support import HelpCategory, HelpPlanAdopted, HelpPlanRevised
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(enterprise_id: str, year: int) -> str:
    return f"help-plan-{enterprise_id}-{year}"


class AdoptHelpPlan(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    year: int
    category: HelpCategory
    measures: list[str]
    enterprise_in_park: bool
    visits_this_year: int
    now: datetime
    effective_on: date | None = None


HelpPlanCommand = AdoptHelpPlan
HelpPlanEvent = HelpPlanAdopted | HelpPlanRevised


class NoPlan(msgspec.Struct, frozen=True, tag=True):
    pass


class Planned(msgspec.Struct, frozen=True, tag=True):
    category: HelpCategory
    measures: list[str]


HelpPlanState = NoPlan | Planned


def decide(command: HelpPlanCommand, state: HelpPlanState) -> list[HelpPlanEvent]:
    match command:
        case AdoptHelpPlan():
            on = effective_date(command.effective_on, command.now)
            if command.year != on.year:
                raise ERRORS.error("help_plan.wrong_year", field="year", year=command.year)
            measures = [m.strip() for m in command.measures if m.strip()]
            if not measures:
                raise ERRORS.error("help_plan.measures_missing", field="measures")
            if not command.enterprise_in_park:
                raise ERRORS.error("help_plan.enterprise_not_in_park", field="enterprise_id",
                                   enterprise_id=command.enterprise_id)
            if command.visits_this_year == 0:
                raise ERRORS.error("help_plan.not_visited", field="enterprise_id", enterprise_id=command.enterprise_id)
            if isinstance(state, Planned):
                if state.category == command.category and state.measures == measures:
                    return []  # the same plan again: nothing changed
                return [HelpPlanRevised(enterprise_id=command.enterprise_id, year=command.year,
                                        category=command.category, measures=measures, revised_on=on)]
            return [HelpPlanAdopted(enterprise_id=command.enterprise_id, year=command.year, category=command.category,
                                    measures=measures, adopted_on=on)]
        case _:
            assert_never(command)


def evolve(state: HelpPlanState, event: HelpPlanEvent) -> HelpPlanState:
    match event:
        case HelpPlanAdopted() | HelpPlanRevised():
            return Planned(category=event.category, measures=list(event.measures))
        case _:
            assert_never(event)


decider: Decider[HelpPlanCommand, HelpPlanState, HelpPlanEvent] = Decider(initial=NoPlan(), decide=decide,
                                                                          evolve=evolve)

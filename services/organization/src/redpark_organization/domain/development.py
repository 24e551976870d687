"""Member development (发展党员): applicant → activist → candidate → probationary → full.

One stream per person (`development-<person_id>`). A stage is reached only from the one before
it, never skipped or reversed, on a date not before the previous stage's; an activist is observed
for a year before becoming a candidate and a probationary member waits a year before becoming
full (party_rules). A person admitted as `probationary` is registered as a member by staff under
the same id (member id = person id), with the personal details the census needs; reaching `full`
here then also records the member's status change (application layer).

The year's quota (发展指标) has its own stream per year (`development-quota-<year>`); figures of
the year against it come from `year_figures`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import (
    DevelopmentApplicationReceived,
    DevelopmentQuotaSet,
    DevelopmentStage,
    DevelopmentStageAdvanced,
    PriorityGroup,
)
from redpark_platform.calendar import effective_date, years_after
from redpark_platform.decider import Decider

from . import party_rules
from .errors import ERRORS

STAGES: tuple[DevelopmentStage, ...] = ("applicant", "activist", "candidate", "probationary", "full")


def stream_id(person_id: str) -> str:
    return f"development-{person_id}"


def quota_stream_id(year: int) -> str:
    return f"development-quota-{year}"


class ReceiveApplication(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    name: str
    enterprise_id: str | None
    priority_groups: list[PriorityGroup] = []
    phone: str
    now: datetime
    effective_on: date | None = None


class AdvanceStage(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    to_stage: DevelopmentStage
    now: datetime
    effective_on: date | None = None


DevelopmentCommand = ReceiveApplication | AdvanceStage
DevelopmentEvent = DevelopmentApplicationReceived | DevelopmentStageAdvanced


class NotApplied(msgspec.Struct, frozen=True, tag=True):
    pass


class InPipeline(msgspec.Struct, frozen=True, tag=True):
    person_id: str
    stage: DevelopmentStage
    reached: tuple[tuple[DevelopmentStage, date], ...]  # every stage reached, in order

    def reached_on(self, stage: DevelopmentStage) -> date | None:
        return next((d for s, d in self.reached if s == stage), None)


DevelopmentState = NotApplied | InPipeline


def _advance(command: AdvanceStage, state: DevelopmentState) -> list[DevelopmentEvent]:
    if not isinstance(state, InPipeline):
        raise ERRORS.error("development.unknown", field="person_id", person_id=command.person_id)
    on = effective_date(command.effective_on, command.now)
    current = STAGES.index(state.stage)
    target = STAGES.index(command.to_stage)
    if target <= current:
        raise ERRORS.error("development.stage_reversed", field="to_stage", person_id=command.person_id,
                           stage=state.stage, to_stage=command.to_stage)
    if target > current + 1:
        raise ERRORS.error("development.stage_skipped", field="to_stage", stage=state.stage, value=STAGES[current + 1],
                           to_stage=command.to_stage)
    previous_on = state.reached[-1][1]
    if on < previous_on:
        raise ERRORS.error("development.date_before_previous_stage", field="effective_on", to_stage=command.to_stage,
                           on=on, stage=state.stage, previous_on=previous_on)
    if command.to_stage == "candidate":
        ready = years_after(previous_on, party_rules.ACTIVIST_YEARS_BEFORE_CANDIDATE)
        if on < ready:
            raise ERRORS.error("development.activist_period_too_short", field="effective_on", ready=ready)
    if command.to_stage == "full":
        ready = years_after(previous_on, party_rules.PROBATION_YEARS)
        if on < ready:
            raise ERRORS.error("development.probation_not_over", field="effective_on", ready=ready)
    return [DevelopmentStageAdvanced(person_id=command.person_id, from_stage=state.stage, to_stage=command.to_stage,
                                     reached_on=on)]


def decide(command: DevelopmentCommand, state: DevelopmentState) -> list[DevelopmentEvent]:
    match command:
        case ReceiveApplication():
            if isinstance(state, InPipeline):
                raise ERRORS.error("development.already_applied", field="person_id", person_id=command.person_id)
            if not command.name.strip():
                raise ERRORS.error("development.name_missing", field="name")
            on = effective_date(command.effective_on, command.now)
            return [DevelopmentApplicationReceived(
                person_id=command.person_id, name=command.name.strip(), enterprise_id=command.enterprise_id,
                priority_groups=list(dict.fromkeys(command.priority_groups)), applied_on=on,
                phone=command.phone.strip(),
            )]
        case AdvanceStage():
            return _advance(command, state)
        case _:
            assert_never(command)


def evolve(state: DevelopmentState, event: DevelopmentEvent) -> DevelopmentState:
    match event:
        case DevelopmentApplicationReceived():
            return InPipeline(person_id=event.person_id, stage="applicant", reached=(("applicant", event.applied_on),))
        case DevelopmentStageAdvanced():
            if not isinstance(state, InPipeline):
                raise ValueError("stage advanced before an application")
            return InPipeline(person_id=state.person_id, stage=event.to_stage,
                              reached=(*state.reached, (event.to_stage, event.reached_on)))
        case _:
            assert_never(event)


decider: Decider[DevelopmentCommand, DevelopmentState, DevelopmentEvent] = Decider(
    initial=NotApplied(), decide=decide, evolve=evolve)


# --- the year's quota -------------------------------------------------------------------------


class SetQuota(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    quota: int
    now: datetime
    effective_on: date | None = None


class Quota(msgspec.Struct, frozen=True, kw_only=True):
    year: int | None = None
    quota: int | None = None


def decide_quota(command: SetQuota, state: Quota) -> list[DevelopmentQuotaSet]:
    on = effective_date(command.effective_on, command.now)
    if command.quota < 0:
        raise ERRORS.error("development.quota_negative", field="quota")
    if command.year < on.year - 1:
        # Quotas steer the year's work; rewriting one long past would only rewrite history.
        raise ERRORS.error("development.quota_year_closed", field="year", year=command.year)
    if state.quota == command.quota:
        return []
    return [DevelopmentQuotaSet(year=command.year, quota=command.quota, set_on=on)]


def evolve_quota(state: Quota, event: DevelopmentQuotaSet) -> Quota:
    return Quota(year=event.year, quota=event.quota)


quota_decider: Decider[SetQuota, Quota, DevelopmentQuotaSet] = Decider(
    initial=Quota(), decide=decide_quota, evolve=evolve_quota)


class PipelineEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One person as read models hold them: current stage, when each stage was reached, groups."""

    person_id: str
    stage: DevelopmentStage
    reached: dict[str, date]
    priority_groups: list[PriorityGroup] = []


class YearFigures(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    quota: int | None
    admitted: int  # reached probationary in the year: what the quota counts
    remaining: int | None
    by_stage: dict[str, int]  # people now at each stage
    admitted_from_priority_groups: int


def year_figures(year: int, quota: int | None, pipeline: list[PipelineEntry]) -> YearFigures:
    admitted = [p for p in pipeline if (d := p.reached.get("probationary")) is not None and d.year == year]
    by_stage: dict[str, int] = {s: sum(1 for p in pipeline if p.stage == s) for s in STAGES}
    return YearFigures(
        year=year, quota=quota, admitted=len(admitted),
        remaining=None if quota is None else max(quota - len(admitted), 0),
        by_stage=by_stage, admitted_from_priority_groups=sum(1 for p in admitted if p.priority_groups),
    )

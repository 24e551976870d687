"""The quarterly assessment's application layer, attached to the runtime by type.

Before a quarter is closed its scorecards are live: computed on each read from the read models. Closing
computes them once more and stores them in `assessment.quarter_closed`; from then on the snapshot is
what every read (and award eligibility) sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import msgspec

from redpark_contracts.organization_assessment import (
    DepartmentItem,
    DepartmentItemScore,
    Scorecard,
    ScoringItem,
    VetoCondition,
)
from redpark_platform.calendar import park_date
from redpark_platform.decider import NotFound
from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from ..domain import assessment, department
from ..queries import assessment as aq


class QuarterView(msgspec.Struct, frozen=True, kw_only=True):
    """A quarter's cards: `status` live (computed now) or closed (the stored snapshot)."""

    quarter: str
    status: str  # live | closed
    closed_on: date | None
    award_threshold: float
    scorecards: list[Scorecard]


@dataclass
class Assessment(ApplicationLayer):
    def current_quarter(self) -> str:
        return assessment.quarter_of(park_date(self.now()))

    async def rules(self, year: int) -> assessment.Rules:
        return await aq.rules_for(self.runtime.pool, year)

    async def set_rules(self, *, year: int, items: list[ScoringItem], veto: list[VetoCondition],
                        department_items: list[DepartmentItem], award_threshold: float,
                        by: str) -> AppendResult:
        command = assessment.SetRules(year=year, items=items, veto=veto, department_items=department_items,
                                      award_threshold=award_threshold, set_by=by, now=self.now())
        return await self.runtime.execute(assessment.rules_stream_id(year), assessment.rules_decider, command)

    async def quarter(self, quarter: str) -> QuarterView:
        quarter = assessment.normalize_quarter(quarter)
        closed = await aq.closed_quarter(self.runtime.pool, quarter)
        if closed is not None:
            return QuarterView(quarter=quarter, status="closed", closed_on=closed.closed_on,
                               award_threshold=closed.award_threshold, scorecards=closed.scorecards)
        year, _q = assessment.parse_quarter(quarter)
        rules = await self.rules(year)
        cards = await aq.live_scorecards(self.runtime.pool, quarter, park_date(self.now()),
                                         self.runtime.settings.timezone)
        return QuarterView(quarter=quarter, status="live", closed_on=None,
                           award_threshold=rules.award_threshold, scorecards=cards)

    async def card(self, quarter: str, unit_id: str) -> tuple[QuarterView, Scorecard]:
        view = await self.quarter(quarter)
        for c in view.scorecards:
            if c.unit_id == unit_id:
                return view, c
        raise NotFound("assessment.unit_unknown", f"no scorecard for {unit_id} in {view.quarter}",
                       detail_zh="该季度没有此单位的考核", field="unit_id")

    async def close_quarter(self, quarter: str, by: str) -> AppendResult:
        quarter = assessment.normalize_quarter(quarter)
        year, _q = assessment.parse_quarter(quarter)
        rules = await self.rules(year)
        cards = await aq.live_scorecards(self.runtime.pool, quarter, park_date(self.now()),
                                         self.runtime.settings.timezone)
        return await self.runtime.execute(assessment.quarter_stream_id(quarter), assessment.quarter_decider,
                                          assessment.CloseQuarter(quarter=quarter, scorecards=cards,
                                                                  award_threshold=rules.award_threshold,
                                                                  closed_by=by, now=self.now()))

    async def register_department(self, department_id: str, name: str, head: str) -> AppendResult:
        command = department.RegisterDepartment(department_id=department_id, name=name, head=head,
                                                now=self.now())
        return await self.runtime.execute(department.stream_id(department_id), department.decider, command)

    async def score_department(self, department_id: str, quarter: str, items: list[DepartmentItemScore],
                               vetoed: bool, veto_reason: str, by: str) -> AppendResult:
        quarter = assessment.normalize_quarter(quarter)
        year, _q = assessment.parse_quarter(quarter)
        rules = await self.rules(year)
        closed = await self.runtime.store.read_stream(assessment.quarter_stream_id(quarter))
        return await self.runtime.execute(department.stream_id(department_id), department.decider,
                                          department.ScoreDepartment(
                                              department_id=department_id, quarter=quarter, items=items,
                                              vetoed=vetoed, veto_reason=veto_reason, scored_by=by,
                                              department_items=rules.department_items,
                                              quarter_closed=bool(closed.events), now=self.now()))

    async def award_eligibility(self, unit_id: str, year: int) -> tuple[bool, str]:
        return await aq.award_eligibility(self.runtime.pool, unit_id, year)


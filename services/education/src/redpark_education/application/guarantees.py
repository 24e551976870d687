"""The three guarantees: the compliance view, closing a quarter, reminders."""

from __future__ import annotations

from datetime import date

from redpark_platform.calendar import quarter_bounds
from redpark_platform.store import AppendResult

from .. import queries
from ..domain import guarantees
from .layer import EducationLayer


class GuaranteeCommands(EducationLayer):
    async def compliance(self, period: str, branch_id: str | None = None,
                         as_of: date | None = None) -> guarantees.Compliance:
        return guarantees.compliance(period, as_of or self.today(), await queries.facts(self.pool, branch_id))

    async def close_quarter(self, quarter: str) -> AppendResult:
        _, last = quarter_bounds(quarter)
        result = await self.compliance(quarter, as_of=last)
        return await self._execute(guarantees.quarter_stream_id(quarter), guarantees.close_decider,
                                   guarantees.CloseQuarter(quarter=quarter, result=result, now=self.now()))

    async def remind_before_month_end(self) -> AppendResult | None:
        """From 14 days before the month's end, remind who is behind on self-study or weekly study
        (organization texts them on `reminder.issued`); a later run reminds only who is new."""
        period = guarantees.month_end_reminder_period(self.today())
        if period is None:
            return None
        behind = guarantees.behind_before_month_end(await self.compliance(period))
        return await self._execute(guarantees.reminders_stream_id(period), guarantees.reminders_decider,
                                   guarantees.IssueReminders(period=period, missing=behind, now=self.now()))

    async def issue_reminders(self, period: str) -> AppendResult:
        missing = guarantees.missing_of(await self.compliance(period))
        return await self._execute(guarantees.reminders_stream_id(period), guarantees.reminders_decider,
                                   guarantees.IssueReminders(period=period, missing=missing, now=self.now()))

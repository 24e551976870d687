"""Governance's application layer, kept in `runtime.extras["governance"]`: the rulebook, inspections
and rectifications, the branches' meetings, and the reads over them (overdue inspections and
rectifications, missing meetings, the branch record books).

Facts a command needs come from the streams that own them (is the branch active, was an attendee on
the branch's roster on the day: each attendee's member stream), so a refusal never rests on a read
model that trails the store. Lists read the read models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import msgspec

from redpark_contracts.organization_governance import MeetingKind
from redpark_platform.decider import InvalidCommand
from redpark_platform.runtime import ApplicationLayer, Runtime
from redpark_platform.store import AppendResult

from .organization import new_id
from ..domain import branch, general_branch, member
from ..domain import branch_meeting as meetings
from ..domain import inspection, meeting_cadence, rulebook
from ..domain.park_calendar import park_date

EXTRA_KEY = "governance"

RectificationStatus = Literal["open", "overdue", "completed"]
RecordBook = Literal["study", "activities", "transfers", "dues", "development"]
# 学习记录本 holds the branch's study sessions: its party lessons and theme days.
STUDY_KINDS = ("party_lesson", "theme_day")


# --- rows the API returns --------------------------------------------------------------------


class RuleLine(msgspec.Struct, frozen=True, kw_only=True):
    """A rule the holder must keep: defined (with its text) or not yet, posted (上墙) or not."""

    holder_id: str
    holder_name: str
    rule_key: str
    title: str
    defined: bool
    text: str
    defined_on: date | None
    posted: bool
    posted_on: date | None


class InspectionLine(msgspec.Struct, frozen=True, kw_only=True):
    inspection_id: str
    branch_id: str
    branch_name: str
    inspected_on: date
    passed: bool
    findings: str
    outcome: str  # passed | rectification | handling


class RectificationLine(msgspec.Struct, frozen=True, kw_only=True):
    rectification_id: str
    branch_id: str
    branch_name: str
    inspection_id: str
    opened_on: date | None
    deadline: date
    completed_on: date | None
    overdue: bool


class OverdueInspection(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    branch_name: str
    established_on: date
    last_inspected_on: date | None
    inspections_this_year: int
    reasons: list[str]


class MeetingLine(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: str
    branch_id: str
    kind: str
    held_on: date
    topic: str
    attendee_ids: list[str]
    attendee_names: list[str]
    minutes: str


class MissingLine(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    branch_name: str
    kind: str
    period: str
    period_ends_on: date


class ActivityLine(msgspec.Struct, frozen=True, kw_only=True):
    """党员活动记录本: one line per member per meeting attended."""

    held_on: date
    meeting_id: str
    kind: str
    topic: str
    member_id: str
    member_name: str


class TransferBookLine(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    member_name: str
    direction: str  # in | out
    organization: str
    transferred_on: date


class DuesBookLine(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    member_name: str
    month: str
    amount_fen: int
    paid_on: date


class DevelopmentBookLine(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    name: str
    enterprise_id: str | None
    stage: str
    reached: dict[str, date]


@dataclass
class Governance(ApplicationLayer):
    extras_key = EXTRA_KEY

    def today(self) -> date:
        return park_date(self.now())

    async def _branch_active(self, branch_id: str) -> bool:
        return isinstance(await self._state(branch.stream_id(branch_id), branch.decider), branch.ActiveBranch)

    async def _holder_exists(self, holder_id: str) -> bool:
        if rulebook.holder_kind(holder_id) == "general":
            state = await self._state(general_branch.STREAM_ID, general_branch.decider)
            return isinstance(state, general_branch.GeneralBranch)
        return await self._branch_active(holder_id)

    # --- commands -----------------------------------------------------------------------------

    async def define_rule(self, holder_id: str, rule_key: str, title: str, text: str,
                          on: date | None) -> AppendResult:
        return await self.runtime.execute(rulebook.stream_id(holder_id, rule_key), rulebook.decider, rulebook.DefineRule(
            holder_id=holder_id, rule_key=rule_key, title=title, text=text,
            holder_exists=await self._holder_exists(holder_id), now=self.now(), effective_on=on))

    async def post_rule(self, holder_id: str, rule_key: str, on: date | None) -> AppendResult:
        return await self.runtime.execute(rulebook.stream_id(holder_id, rule_key), rulebook.decider, rulebook.PostRule(
            holder_id=holder_id, rule_key=rule_key, now=self.now(), effective_on=on))

    async def unpost_rule(self, holder_id: str, rule_key: str, on: date | None) -> AppendResult:
        return await self.runtime.execute(rulebook.stream_id(holder_id, rule_key), rulebook.decider,
                                          rulebook.UnpostRule(holder_id=holder_id, rule_key=rule_key, now=self.now(),
                                                              effective_on=on))

    async def record_inspection(self, *, inspection_id: str, branch_id: str, inspected_on: date, passed: bool,
                                findings: str, rectification_deadline: date | None, by: str) -> AppendResult:
        return await self.runtime.execute(inspection.stream_id(branch_id), inspection.decider,
                                          inspection.RecordInspection(
                                              inspection_id=inspection_id, branch_id=branch_id,
                                              inspected_on=inspected_on, passed=passed, findings=findings,
                                              rectification_id=new_id(),
                                              rectification_deadline=rectification_deadline,
                                              branch_active=await self._branch_active(branch_id), recorded_by=by,
                                              now=self.now()))

    async def complete_rectification(self, branch_id: str, rectification_id: str, on: date | None) -> AppendResult:
        return await self.runtime.execute(inspection.stream_id(branch_id), inspection.decider,
                                          inspection.CompleteRectification(branch_id=branch_id,
                                                                           rectification_id=rectification_id,
                                                                           now=self.now(), effective_on=on))

    async def hold_meeting(self, *, meeting_id: str, branch_id: str, kind: MeetingKind, held_on: date, topic: str,
                           attendee_ids: list[str], minutes: str, by: str) -> AppendResult:
        if len(attendee_ids) > 500:
            raise InvalidCommand("meeting.too_many_attendees", "at most 500 attendees per meeting",
                                 detail_zh="参会人员过多", field="attendee_ids")
        on_roster = set()
        for member_id in set(attendee_ids):
            read = await self.runtime.store.read_stream(member.stream_id(member_id))
            if meetings.on_roster([e.event for e in read.events], branch_id, held_on):
                on_roster.add(member_id)
        return await self.runtime.execute(meetings.stream_id(meeting_id), meetings.decider, meetings.HoldMeeting(
            meeting_id=meeting_id, branch_id=branch_id, kind=kind, held_on=held_on, topic=topic,
            attendee_ids=attendee_ids, minutes=minutes, on_roster_ids=frozenset(on_roster),
            branch_active=await self._branch_active(branch_id), recorded_by=by, now=self.now()))

    # --- reads ----------------------------------------------------------------------------------

    async def _branch_names(self) -> dict[str, str]:
        return {r["branch_id"]: r["name"] for r in await self.pool.fetch("SELECT branch_id, name FROM org_branches")}

    async def _member_names(self) -> dict[str, str]:
        return {r["member_id"]: r["name"] for r in await self.pool.fetch("SELECT member_id, name FROM org_members")}

    async def rules(self, holder_id: str | None = None) -> list[RuleLine]:
        """Every rule each holder must keep (the general branch, when established, then the active
        branches by id), defined or not, in the plan's order."""
        holders: list[tuple[str, str]] = []
        general = await self.pool.fetchrow("SELECT name FROM org_general_branch LIMIT 1")
        if general is not None:
            holders.append((rulebook.GENERAL, general["name"]))
        holders += [(r["branch_id"], r["name"]) for r in await self.pool.fetch(
            "SELECT branch_id, name FROM org_branches WHERE active ORDER BY branch_id")]
        if holder_id is not None:
            holders = [h for h in holders if h[0] == holder_id]
        stored = {(r["holder_id"], r["rule_key"]): r for r in await self.pool.fetch("SELECT * FROM org_gov_rules")}
        lines = []
        for hid, name in holders:
            for key, title in rulebook.catalog(hid).items():
                r = stored.get((hid, key))
                lines.append(RuleLine(holder_id=hid, holder_name=name, rule_key=key,
                                      title=r["title"] if r else title, defined=r is not None,
                                      text=r["text"] if r else "", defined_on=r["defined_on"] if r else None,
                                      posted=bool(r and r["posted_on"]), posted_on=r["posted_on"] if r else None))
        return lines

    async def inspections(self, branch_id: str | None, year: int | None, limit: int | None = None,
                          offset: int = 0) -> tuple[list[InspectionLine], int]:
        where = "($1::text IS NULL OR branch_id = $1) AND ($2::int IS NULL OR extract(year FROM inspected_on) = $2)"
        rows = await self.pool.fetch(
            f"SELECT * FROM org_gov_inspections WHERE {where} ORDER BY inspected_on, inspection_id"
            " LIMIT $3 OFFSET $4", branch_id, year, limit, offset)
        total = await self.pool.fetchval(f"SELECT count(*) FROM org_gov_inspections WHERE {where}", branch_id, year)
        names = await self._branch_names()
        return [InspectionLine(inspection_id=r["inspection_id"], branch_id=r["branch_id"],
                               branch_name=names.get(r["branch_id"], ""), inspected_on=r["inspected_on"],
                               passed=r["passed"], findings=r["findings"], outcome=r["outcome"]) for r in rows], total

    async def rectifications(self, branch_id: str | None, status: RectificationStatus | None,
                             as_of: date) -> list[RectificationLine]:
        rows = await self.pool.fetch(
            "SELECT * FROM org_gov_rectifications WHERE ($1::text IS NULL OR branch_id = $1)"
            " ORDER BY deadline, rectification_id", branch_id)
        names = await self._branch_names()
        lines = [RectificationLine(rectification_id=r["rectification_id"], branch_id=r["branch_id"],
                                   branch_name=names.get(r["branch_id"], ""), inspection_id=r["inspection_id"],
                                   opened_on=r["opened_on"], deadline=r["deadline"], completed_on=r["completed_on"],
                                   overdue=r["completed_on"] is None and r["deadline"] < as_of) for r in rows]
        if status == "open":
            return [x for x in lines if x.completed_on is None]
        if status == "overdue":
            return [x for x in lines if x.overdue]
        if status == "completed":
            return [x for x in lines if x.completed_on is not None]
        return lines

    async def overdue_inspections(self, as_of: date, branch_id: str | None = None) -> list[OverdueInspection]:
        branches = await self.pool.fetch(
            "SELECT branch_id, name, established_on FROM org_branches WHERE active AND ($1::text IS NULL OR"
            " branch_id = $1) ORDER BY branch_id", branch_id)
        dates: dict[str, list[date]] = {}
        for r in await self.pool.fetch("SELECT branch_id, inspected_on FROM org_gov_inspections"):
            dates.setdefault(r["branch_id"], []).append(r["inspected_on"])
        out = []
        for b in branches:
            seen = [d for d in dates.get(b["branch_id"], []) if d <= as_of]
            reasons = inspection.overdue_reasons(b["established_on"], seen, as_of)
            if reasons:
                out.append(OverdueInspection(branch_id=b["branch_id"], branch_name=b["name"],
                                             established_on=b["established_on"],
                                             last_inspected_on=max(seen) if seen else None,
                                             inspections_this_year=sum(1 for d in seen if d.year == as_of.year),
                                             reasons=list(reasons)))
        return out

    async def meetings(self, branch_id: str | None, kind: str | None, year: int | None, limit: int | None = None,
                       offset: int = 0) -> tuple[list[MeetingLine], int]:
        where = ("($1::text IS NULL OR branch_id = $1) AND ($2::text IS NULL OR kind = $2)"
                 " AND ($3::int IS NULL OR extract(year FROM held_on) = $3)")
        rows = await self.pool.fetch(f"SELECT * FROM org_gov_meetings WHERE {where} ORDER BY held_on, meeting_id"
                                     " LIMIT $4 OFFSET $5", branch_id, kind, year, limit, offset)
        total = await self.pool.fetchval(f"SELECT count(*) FROM org_gov_meetings WHERE {where}", branch_id, kind, year)
        names = await self._member_names()
        return [MeetingLine(meeting_id=r["meeting_id"], branch_id=r["branch_id"], kind=r["kind"],
                            held_on=r["held_on"], topic=r["topic"], attendee_ids=list(r["attendee_ids"]),
                            attendee_names=[names.get(a, "") for a in r["attendee_ids"]], minutes=r["minutes"])
                for r in rows], total

    async def missing_meetings(self, year: int, as_of: date, branch_id: str | None = None) -> list[MissingLine]:
        branches = await self.pool.fetch(
            "SELECT branch_id, name, established_on, dissolved_on FROM org_branches WHERE ($1::text IS NULL OR"
            " branch_id = $1) AND (active OR dissolved_on >= make_date($2, 1, 1)) ORDER BY branch_id",
            branch_id, year)
        held: dict[str, list[tuple[str, date]]] = {}
        for r in await self.pool.fetch("SELECT branch_id, kind, held_on FROM org_gov_meetings"
                                       " WHERE extract(year FROM held_on) = $1", year):
            held.setdefault(r["branch_id"], []).append((r["kind"], r["held_on"]))
        out = []
        for b in branches:
            for m in meeting_cadence.missing_meetings(b["branch_id"], b["established_on"], b["dissolved_on"],
                                                      held.get(b["branch_id"], []), year, as_of):
                out.append(MissingLine(branch_id=m.branch_id, branch_name=b["name"], kind=m.kind, period=m.period,
                                       period_ends_on=m.period_ends_on))
        return out

    async def record_book(self, branch_id: str, book: RecordBook) -> list[Any]:
        """The branch's record book, oldest first: a view over events the service already keeps."""
        names = await self._member_names()
        if book == "study":
            lines, _ = await self.meetings(branch_id, None, None)
            return [m for m in lines if m.kind in STUDY_KINDS]
        if book == "activities":
            lines, _ = await self.meetings(branch_id, None, None)
            return [ActivityLine(held_on=m.held_on, meeting_id=m.meeting_id, kind=m.kind, topic=m.topic,
                                 member_id=a, member_name=names.get(a, "")) for m in lines for a in m.attendee_ids]
        if book == "transfers":
            rows = await self.pool.fetch("SELECT * FROM org_gov_transfers WHERE branch_id = $1 ORDER BY sequence",
                                         branch_id)
            return [TransferBookLine(member_id=r["member_id"], member_name=names.get(r["member_id"], ""),
                                     direction=r["direction"], organization=r["organization"],
                                     transferred_on=r["transferred_on"]) for r in rows]
        if book == "dues":
            # the dues of the branch's current members (a member moved keeps the payment history with it)
            rows = await self.pool.fetch(
                "SELECT p.member_id, p.month, p.amount_fen, p.paid_on FROM org_dues_paid p JOIN org_dues_members m"
                " USING (member_id) WHERE m.branch_id = $1 ORDER BY p.paid_on, p.member_id, p.month", branch_id)
            return [DuesBookLine(member_id=r["member_id"], member_name=names.get(r["member_id"], ""),
                                 month=r["month"], amount_fen=r["amount_fen"], paid_on=r["paid_on"]) for r in rows]
        if book == "development":
            # the people in the pipeline who work for an enterprise of the branch
            rows = await self.pool.fetch(
                "SELECT d.person_id, d.name, d.enterprise_id, d.stage, d.reached::text AS reached"
                " FROM org_development d JOIN org_enterprises e USING (enterprise_id) WHERE e.branch_id = $1"
                " ORDER BY d.person_id", branch_id)
            return [DevelopmentBookLine(person_id=r["person_id"], name=r["name"], enterprise_id=r["enterprise_id"],
                                        stage=r["stage"],
                                        reached=msgspec.json.decode(r["reached"], type=dict[str, date]))
                    for r in rows]
        raise InvalidCommand("record_book.unknown", f"no record book {book!r}", detail_zh="没有该记录本",
                             field="book")


async def attach(runtime: Runtime) -> None:
    Governance.attach(runtime)

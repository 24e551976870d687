"""Governance's reads: the rulebook each holder must keep, inspections and rectifications (and which
are overdue), the branches' meetings (and which are missing), and the five branch record books. The
judgements over dates (overdue, missing) are the pure functions of `domain/`; this module only reads
the read models they need."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import msgspec

from redpark_platform.decider import InvalidCommand

from ..domain import inspection, meeting_cadence, rulebook
from . import Db

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


async def _branch_names(db: Db) -> dict[str, str]:
    return {r["branch_id"]: r["name"] for r in await db.fetch("SELECT branch_id, name FROM org_branches")}


async def _member_names(db: Db) -> dict[str, str]:
    return {r["member_id"]: r["name"] for r in await db.fetch("SELECT member_id, name FROM org_members")}


async def rules(db: Db, holder_id: str | None = None) -> list[RuleLine]:
    """Every rule each holder must keep (the general branch, when established, then the active
    branches by id), defined or not, in the plan's order."""
    holders: list[tuple[str, str]] = []
    general = await db.fetchrow("SELECT name FROM org_general_branch LIMIT 1")
    if general is not None:
        holders.append((rulebook.GENERAL, general["name"]))
    holders += [(r["branch_id"], r["name"]) for r in await db.fetch(
        "SELECT branch_id, name FROM org_branches WHERE active ORDER BY branch_id")]
    if holder_id is not None:
        holders = [h for h in holders if h[0] == holder_id]
    stored = {(r["holder_id"], r["rule_key"]): r for r in await db.fetch("SELECT * FROM org_gov_rules")}
    lines = []
    for hid, name in holders:
        for key, title in rulebook.catalog(hid).items():
            r = stored.get((hid, key))
            lines.append(RuleLine(holder_id=hid, holder_name=name, rule_key=key,
                                  title=r["title"] if r else title, defined=r is not None,
                                  text=r["text"] if r else "", defined_on=r["defined_on"] if r else None,
                                  posted=bool(r and r["posted_on"]), posted_on=r["posted_on"] if r else None))
    return lines


async def inspections(db: Db, branch_id: str | None, year: int | None, limit: int | None = None,
                      offset: int = 0) -> tuple[list[InspectionLine], int]:
    where = "($1::text IS NULL OR branch_id = $1) AND ($2::int IS NULL OR extract(year FROM inspected_on) = $2)"
    rows = await db.fetch(
        f"SELECT * FROM org_gov_inspections WHERE {where} ORDER BY inspected_on, inspection_id"
        " LIMIT $3 OFFSET $4", branch_id, year, limit, offset)
    total = await db.fetchval(f"SELECT count(*) FROM org_gov_inspections WHERE {where}", branch_id, year)
    names = await _branch_names(db)
    return [InspectionLine(inspection_id=r["inspection_id"], branch_id=r["branch_id"],
                           branch_name=names.get(r["branch_id"], ""), inspected_on=r["inspected_on"],
                           passed=r["passed"], findings=r["findings"], outcome=r["outcome"]) for r in rows], total


async def rectifications(db: Db, branch_id: str | None, status: RectificationStatus | None,
                         as_of: date) -> list[RectificationLine]:
    rows = await db.fetch(
        "SELECT * FROM org_gov_rectifications WHERE ($1::text IS NULL OR branch_id = $1)"
        " ORDER BY deadline, rectification_id", branch_id)
    names = await _branch_names(db)
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


async def overdue_inspections(db: Db, as_of: date, branch_id: str | None = None) -> list[OverdueInspection]:
    branches = await db.fetch(
        "SELECT branch_id, name, established_on FROM org_branches WHERE active AND ($1::text IS NULL OR"
        " branch_id = $1) ORDER BY branch_id", branch_id)
    dates: dict[str, list[date]] = {}
    for r in await db.fetch("SELECT branch_id, inspected_on FROM org_gov_inspections"):
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


async def meetings(db: Db, branch_id: str | None, kind: str | None, year: int | None, limit: int | None = None,
                   offset: int = 0) -> tuple[list[MeetingLine], int]:
    where = ("($1::text IS NULL OR branch_id = $1) AND ($2::text IS NULL OR kind = $2)"
             " AND ($3::int IS NULL OR extract(year FROM held_on) = $3)")
    rows = await db.fetch(f"SELECT * FROM org_gov_meetings WHERE {where} ORDER BY held_on, meeting_id"
                                 " LIMIT $4 OFFSET $5", branch_id, kind, year, limit, offset)
    total = await db.fetchval(f"SELECT count(*) FROM org_gov_meetings WHERE {where}", branch_id, kind, year)
    names = await _member_names(db)
    return [MeetingLine(meeting_id=r["meeting_id"], branch_id=r["branch_id"], kind=r["kind"],
                        held_on=r["held_on"], topic=r["topic"], attendee_ids=list(r["attendee_ids"]),
                        attendee_names=[names.get(a, "") for a in r["attendee_ids"]], minutes=r["minutes"])
            for r in rows], total


async def missing_meetings(db: Db, year: int, as_of: date, branch_id: str | None = None) -> list[MissingLine]:
    branches = await db.fetch(
        "SELECT branch_id, name, established_on, dissolved_on FROM org_branches WHERE ($1::text IS NULL OR"
        " branch_id = $1) AND (active OR dissolved_on >= make_date($2, 1, 1)) ORDER BY branch_id",
        branch_id, year)
    held: dict[str, list[tuple[str, date]]] = {}
    for r in await db.fetch("SELECT branch_id, kind, held_on FROM org_gov_meetings"
                                   " WHERE extract(year FROM held_on) = $1", year):
        held.setdefault(r["branch_id"], []).append((r["kind"], r["held_on"]))
    out = []
    for b in branches:
        for m in meeting_cadence.missing_meetings(b["branch_id"], b["established_on"], b["dissolved_on"],
                                                  held.get(b["branch_id"], []), year, as_of):
            out.append(MissingLine(branch_id=m.branch_id, branch_name=b["name"], kind=m.kind, period=m.period,
                                   period_ends_on=m.period_ends_on))
    return out


async def record_book(db: Db, branch_id: str, book: RecordBook) -> list[Any]:
    """The branch's record book, oldest first: a view over events the service already keeps."""
    names = await _member_names(db)
    if book == "study":
        lines, _ = await meetings(db, branch_id, None, None)
        return [m for m in lines if m.kind in STUDY_KINDS]
    if book == "activities":
        lines, _ = await meetings(db, branch_id, None, None)
        return [ActivityLine(held_on=m.held_on, meeting_id=m.meeting_id, kind=m.kind, topic=m.topic,
                             member_id=a, member_name=names.get(a, "")) for m in lines for a in m.attendee_ids]
    if book == "transfers":
        rows = await db.fetch("SELECT * FROM org_gov_transfers WHERE branch_id = $1 ORDER BY sequence",
                                     branch_id)
        return [TransferBookLine(member_id=r["member_id"], member_name=names.get(r["member_id"], ""),
                                 direction=r["direction"], organization=r["organization"],
                                 transferred_on=r["transferred_on"]) for r in rows]
    if book == "dues":
        # the dues of the branch's current members (a member moved keeps the payment history with it)
        rows = await db.fetch(
            "SELECT p.member_id, p.month, p.amount_fen, p.paid_on FROM org_dues_paid p JOIN org_dues_members m"
            " USING (member_id) WHERE m.branch_id = $1 ORDER BY p.paid_on, p.member_id, p.month", branch_id)
        return [DuesBookLine(member_id=r["member_id"], member_name=names.get(r["member_id"], ""),
                             month=r["month"], amount_fen=r["amount_fen"], paid_on=r["paid_on"]) for r in rows]
    if book == "development":
        # the people in the pipeline who work for an enterprise of the branch
        rows = await db.fetch(
            "SELECT d.person_id, d.name, d.enterprise_id, d.stage, d.reached::text AS reached"
            " FROM org_development d JOIN org_enterprises e USING (enterprise_id) WHERE e.branch_id = $1"
            " ORDER BY d.person_id", branch_id)
        return [DevelopmentBookLine(person_id=r["person_id"], name=r["name"], enterprise_id=r["enterprise_id"],
                                    stage=r["stage"],
                                    reached=msgspec.json.decode(r["reached"], type=dict[str, date]))
                for r in rows]
    raise InvalidCommand("record_book.unknown", f"no record book {book!r}", detail_zh="没有该记录本",
                         field="book")


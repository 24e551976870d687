"""Recognition's reads: the three-way reviews (per member, counts, warning talks, unreviewed), the
pioneer and model posts, and the award nominations. Ratings are sensitive: the edges decide who sees
them (README)."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from redpark_contracts.organization_recognition import AwardCategory, PostKind, Rating

from . import Db


class ReviewLine(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    member_name: str
    branch_id: str | None
    year: int
    leadership: Rating | None
    employees: Rating | None
    branch: Rating | None
    overall: Rating | None
    talked_on: date | None


class ReviewCounts(msgspec.Struct, frozen=True, kw_only=True):
    """What an auditor sees: how many members fall in each overall rating, and who is outstanding."""

    year: int
    members: int
    excellent: int
    good: int
    fair: int
    poor: int
    unreviewed: int
    poor_without_talk: int


class TalkLine(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    member_name: str
    branch_id: str | None
    year: int
    talked_on: date | None
    talked_by: str | None
    notes: str | None


class PendingMember(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    member_name: str
    branch_id: str | None
    enterprise_id: str | None
    raters_done: list[str]


class PostLine(msgspec.Struct, frozen=True, kw_only=True):
    post_id: str
    kind: PostKind
    member_id: str
    member_name: str
    enterprise_id: str
    enterprise_name: str
    title: str
    assigned_on: date
    withdrawn_on: date | None


class NominationLine(msgspec.Struct, frozen=True, kw_only=True):
    nomination_id: str
    year: int
    category: AwardCategory
    nominee_id: str
    nominee_name: str
    reason: str
    nominated_on: date
    status: str  # pending | approved | rejected
    decision_reason: str | None
    decided_on: date | None
    published_on: date | None


_review_line = """
SELECT m.member_id, m.name AS member_name, m.branch_id, $1::int AS year,
       (SELECT rating FROM org_rec_ratings r WHERE r.member_id = m.member_id AND r.year = $1
        AND rater = 'leadership') AS leadership,
       (SELECT rating FROM org_rec_ratings r WHERE r.member_id = m.member_id AND r.year = $1
        AND rater = 'employees') AS employees,
       (SELECT rating FROM org_rec_ratings r WHERE r.member_id = m.member_id AND r.year = $1
        AND rater = 'branch') AS branch,
       v.overall, t.talked_on
FROM org_members m
LEFT JOIN org_rec_reviews v ON v.member_id = m.member_id AND v.year = $1
LEFT JOIN org_rec_talks t ON t.member_id = m.member_id AND t.year = $1
WHERE (m.in_park OR v.member_id IS NOT NULL) AND ($2::text IS NULL OR m.branch_id = $2)
"""


def _rows(cls: type[Any], records: list[Any]) -> list[Any]:
    return [cls(**dict(r)) for r in records]


async def reviews(db: Db, year: int, branch_id: str | None, *, limit: int | None = None,
                  offset: int = 0) -> tuple[list[ReviewLine], int]:
    total = await db.fetchval(f"SELECT count(*) FROM ({_review_line}) x", year, branch_id)
    rows = await db.fetch(f"{_review_line} ORDER BY m.member_id LIMIT $3 OFFSET $4", year, branch_id,
                                 limit, offset)
    return _rows(ReviewLine, rows), int(total)


async def review_counts(db: Db, year: int, branch_id: str | None) -> ReviewCounts:
    lines, _ = await reviews(db, year, branch_id)
    overall = [x.overall for x in lines]
    return ReviewCounts(year=year, members=len(lines), excellent=overall.count("excellent"),
                        good=overall.count("good"), fair=overall.count("fair"), poor=overall.count("poor"),
                        unreviewed=overall.count(None),
                        poor_without_talk=sum(1 for x in lines if x.overall == "poor" and x.talked_on is None))


async def talks(db: Db, year: int, branch_id: str | None, *, due_only: bool) -> list[TalkLine]:
    """Members rated poor in the year with their talk (or none yet); `due_only`: the talk is missing."""
    rows = await db.fetch(
        "SELECT v.member_id, coalesce(m.name, v.member_id) AS member_name, v.branch_id, v.year, t.talked_on,"
        " t.talked_by, t.notes FROM org_rec_reviews v LEFT JOIN org_members m USING (member_id)"
        " LEFT JOIN org_rec_talks t ON t.member_id = v.member_id AND t.year = v.year"
        " WHERE v.year = $1 AND v.overall = 'poor' AND ($2::text IS NULL OR v.branch_id = $2)"
        " AND (NOT $3 OR t.member_id IS NULL) ORDER BY v.member_id", year, branch_id, due_only)
    return _rows(TalkLine, rows)


async def unreviewed(db: Db, year: int, branch_id: str | None) -> list[PendingMember]:
    rows = await db.fetch(
        "SELECT m.member_id, m.name AS member_name, m.branch_id, m.enterprise_id,"
        " coalesce(array(SELECT rater FROM org_rec_ratings r WHERE r.member_id = m.member_id AND r.year = $1"
        " ORDER BY rater), '{}') AS raters_done FROM org_members m"
        " WHERE m.in_park AND ($2::text IS NULL OR m.branch_id = $2) AND NOT EXISTS"
        " (SELECT 1 FROM org_rec_reviews v WHERE v.member_id = m.member_id AND v.year = $1)"
        " ORDER BY m.member_id", year, branch_id)
    return _rows(PendingMember, rows)


async def posts(db: Db, *, enterprise_id: str | None, kind: str | None, held_only: bool,
                branch_id: str | None = None) -> list[PostLine]:
    rows = await db.fetch(
        "SELECT p.post_id, p.kind, p.member_id, coalesce(m.name, p.member_id) AS member_name, p.enterprise_id,"
        " coalesce(e.name, p.enterprise_id) AS enterprise_name, p.title, p.assigned_on, p.withdrawn_on"
        " FROM org_rec_posts p LEFT JOIN org_members m USING (member_id)"
        " LEFT JOIN org_enterprises e ON e.enterprise_id = p.enterprise_id"
        " WHERE ($1::text IS NULL OR p.enterprise_id = $1) AND ($2::text IS NULL OR p.kind = $2)"
        " AND (NOT $3 OR p.withdrawn_on IS NULL) AND ($4::text IS NULL OR m.branch_id = $4)"
        " ORDER BY p.enterprise_id, p.kind, p.assigned_on, p.post_id", enterprise_id, kind, held_only, branch_id)
    return _rows(PostLine, rows)


async def nominations(db: Db, year: int, category: str | None, *, published_only: bool = False
                      ) -> list[NominationLine]:
    rows = await db.fetch(
        "SELECT n.nomination_id, n.year, n.category, n.nominee_id, n.nominee_name, n.reason, n.nominated_on,"
        " CASE WHEN n.approved IS NULL THEN 'pending' WHEN n.approved THEN 'approved' ELSE 'rejected' END"
        " AS status, n.decision_reason, n.decided_on, y.published_on FROM org_rec_nominations n"
        " LEFT JOIN org_rec_award_years y USING (year) WHERE n.year = $1 AND ($2::text IS NULL OR n.category = $2)"
        " AND (NOT $3 OR (y.year IS NOT NULL AND n.approved)) ORDER BY n.category, n.nominated_on,"
        " n.nomination_id", year, category, published_only)
    return _rows(NominationLine, rows)


async def member_name(db: Db, member_id: str) -> str:
    name: str | None = await db.fetchval("SELECT name FROM org_members WHERE member_id = $1", member_id)
    return name or member_id


async def branch_name(db: Db, branch_id: str) -> str:
    name: str | None = await db.fetchval("SELECT name FROM org_branches WHERE branch_id = $1", branch_id)
    return name or branch_id

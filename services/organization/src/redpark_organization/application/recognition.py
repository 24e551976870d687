"""Recognition's application layer, kept in `runtime.extras["recognition"]`: the three-way review
(三评议) and warning talks, pioneer and model posts (先锋岗、标兵岗), yearly awards (争先创优), and the
reads over them.

Facts a command needs come from the streams that own them (is the member in the park, its branch and
enterprise; was it rated poor or warned this year), so a refusal never rests on a read model that
trails the store. Display names come from the rosters.

Branch eligibility for awards is the quarterly assessment's: `assessment_queries.award_eligibility
(pool, branch_id, year) -> (eligible, reason)`. The import is guarded so the awards work before (or
without) the assessment; without it every active branch is eligible.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec

from redpark_contracts.organization_recognition import AwardCategory, PostKind, Rater, Rating
from redpark_platform.runtime import ApplicationLayer, Runtime
from redpark_platform.store import AppendResult

from ..domain import awards, branch, member, posts, review
from ..domain.park_calendar import park_date

EXTRA_KEY = "recognition"

try:  # the seam to the quarterly assessment (see the module docstring)
    from ..queries.assessment import award_eligibility as _award_eligibility
except ImportError:  # pragma: no cover - only when the assessment is absent
    _award_eligibility = None

AwardEligibility = Callable[[Any, str, int], Awaitable[tuple[bool, str]]]


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


@dataclass
class Recognition(ApplicationLayer):
    award_eligibility: AwardEligibility | None = _award_eligibility

    def today(self) -> date:
        return park_date(self.now())

    async def _member(self, member_id: str) -> member.InPark | None:
        state = await self._state(member.stream_id(member_id), member.decider)
        return state if isinstance(state, member.InPark) else None

    async def _name(self, sql: str, key: str) -> str:
        name: str | None = await self.pool.fetchval(sql, key)
        return name or key

    # --- three-way review ------------------------------------------------------------------------

    async def rate(self, *, member_id: str, year: int, rater: Rater, rating: Rating, by: str,
                   effective_on: date | None) -> AppendResult:
        in_park = await self._member(member_id)
        return await self.runtime.execute(review.stream_id(member_id, year), review.decider, review.RateMember(
            member_id=member_id, year=year, rater=rater, rating=rating, member_in_park=in_park is not None,
            branch_id=in_park.branch_id if in_park else None, rated_by=by, now=self.now(),
            effective_on=effective_on))

    async def record_talk(self, *, member_id: str, year: int, talked_on: date, talked_by: str, notes: str,
                          by: str) -> AppendResult:
        return await self.runtime.execute(review.stream_id(member_id, year), review.decider, review.RecordWarningTalk(
            member_id=member_id, year=year, talked_on=talked_on, talked_by=talked_by, notes=notes, recorded_by=by,
            now=self.now()))

    async def member_branch(self, member_id: str) -> str | None:
        """The member's branch now, to let a branch secretary act on its own members only."""
        in_park = await self._member(member_id)
        return in_park.branch_id if in_park else None

    async def reviews(self, year: int, branch_id: str | None, *, limit: int | None = None,
                      offset: int = 0) -> tuple[list[ReviewLine], int]:
        total = await self.pool.fetchval(f"SELECT count(*) FROM ({_review_line}) x", year, branch_id)
        rows = await self.pool.fetch(f"{_review_line} ORDER BY m.member_id LIMIT $3 OFFSET $4", year, branch_id,
                                     limit, offset)
        return _rows(ReviewLine, rows), int(total)

    async def review_counts(self, year: int, branch_id: str | None) -> ReviewCounts:
        lines, _ = await self.reviews(year, branch_id)
        overall = [x.overall for x in lines]
        return ReviewCounts(year=year, members=len(lines), excellent=overall.count("excellent"),
                            good=overall.count("good"), fair=overall.count("fair"), poor=overall.count("poor"),
                            unreviewed=overall.count(None),
                            poor_without_talk=sum(1 for x in lines if x.overall == "poor" and x.talked_on is None))

    async def talks(self, year: int, branch_id: str | None, *, due_only: bool) -> list[TalkLine]:
        """Members rated poor in the year with their talk (or none yet); `due_only`: the talk is missing."""
        rows = await self.pool.fetch(
            "SELECT v.member_id, coalesce(m.name, v.member_id) AS member_name, v.branch_id, v.year, t.talked_on,"
            " t.talked_by, t.notes FROM org_rec_reviews v LEFT JOIN org_members m USING (member_id)"
            " LEFT JOIN org_rec_talks t ON t.member_id = v.member_id AND t.year = v.year"
            " WHERE v.year = $1 AND v.overall = 'poor' AND ($2::text IS NULL OR v.branch_id = $2)"
            " AND (NOT $3 OR t.member_id IS NULL) ORDER BY v.member_id", year, branch_id, due_only)
        return _rows(TalkLine, rows)

    async def unreviewed(self, year: int, branch_id: str | None) -> list[PendingMember]:
        rows = await self.pool.fetch(
            "SELECT m.member_id, m.name AS member_name, m.branch_id, m.enterprise_id,"
            " coalesce(array(SELECT rater FROM org_rec_ratings r WHERE r.member_id = m.member_id AND r.year = $1"
            " ORDER BY rater), '{}') AS raters_done FROM org_members m"
            " WHERE m.in_park AND ($2::text IS NULL OR m.branch_id = $2) AND NOT EXISTS"
            " (SELECT 1 FROM org_rec_reviews v WHERE v.member_id = m.member_id AND v.year = $1)"
            " ORDER BY m.member_id", year, branch_id)
        return _rows(PendingMember, rows)

    # --- posts -------------------------------------------------------------------------------------

    async def assign_post(self, *, post_id: str, kind: PostKind, member_id: str, title: str,
                          effective_on: date | None) -> AppendResult:
        in_park = await self._member(member_id)
        return await self.runtime.execute(posts.stream_id(member_id), posts.decider, posts.AssignPost(
            post_id=post_id, kind=kind, member_id=member_id, title=title,
            member_enterprise_id=in_park.enterprise_id if in_park else None, now=self.now(),
            effective_on=effective_on))

    async def withdraw_post(self, *, member_id: str, post_id: str, reason: str,
                            effective_on: date | None) -> AppendResult:
        return await self.runtime.execute(posts.stream_id(member_id), posts.decider, posts.WithdrawPost(
            post_id=post_id, member_id=member_id, reason=reason, now=self.now(), effective_on=effective_on))

    async def posts(self, *, enterprise_id: str | None, kind: str | None, held_only: bool,
                    branch_id: str | None = None) -> list[PostLine]:
        rows = await self.pool.fetch(
            "SELECT p.post_id, p.kind, p.member_id, coalesce(m.name, p.member_id) AS member_name, p.enterprise_id,"
            " coalesce(e.name, p.enterprise_id) AS enterprise_name, p.title, p.assigned_on, p.withdrawn_on"
            " FROM org_rec_posts p LEFT JOIN org_members m USING (member_id)"
            " LEFT JOIN org_enterprises e ON e.enterprise_id = p.enterprise_id"
            " WHERE ($1::text IS NULL OR p.enterprise_id = $1) AND ($2::text IS NULL OR p.kind = $2)"
            " AND (NOT $3 OR p.withdrawn_on IS NULL) AND ($4::text IS NULL OR m.branch_id = $4)"
            " ORDER BY p.enterprise_id, p.kind, p.assigned_on, p.post_id", enterprise_id, kind, held_only, branch_id)
        return _rows(PostLine, rows)

    # --- awards ------------------------------------------------------------------------------------

    async def _nominee(self, category: AwardCategory, nominee_id: str, year: int) -> awards.Nominee:
        if category in awards.INDIVIDUAL:
            if await self._member(nominee_id) is None:
                return awards.Nominee(exists=False, name=nominee_id)
            rated = await self._state(review.stream_id(nominee_id, year), review.decider)
            return awards.Nominee(exists=True, name=await self._name(
                "SELECT name FROM org_members WHERE member_id = $1", nominee_id),
                rated_poor=rated.overall == "poor", warned=rated.talked_on is not None)
        state = await self._state(branch.stream_id(nominee_id), branch.decider)
        if not isinstance(state, branch.ActiveBranch):
            return awards.Nominee(exists=False, name=nominee_id)
        eligible, reason = True, ""
        if self.award_eligibility is not None:
            eligible, reason = await self.award_eligibility(self.pool, nominee_id, year)
        return awards.Nominee(exists=True, name=await self._name(
            "SELECT name FROM org_branches WHERE branch_id = $1", nominee_id), eligible=eligible,
            ineligible_reason=reason)

    async def nominate(self, *, nomination_id: str, year: int, category: AwardCategory, nominee_id: str, reason: str,
                       by: str) -> AppendResult:
        return await self.runtime.execute(awards.stream_id(year), awards.decider, awards.Nominate(
            nomination_id=nomination_id, year=year, category=category, nominee_id=nominee_id, reason=reason,
            nominee=await self._nominee(category, nominee_id, year), nominated_by=by, now=self.now()))

    async def decide_award(self, *, year: int, nomination_id: str, approved: bool, reason: str,
                           by: str) -> AppendResult:
        return await self.runtime.execute(awards.stream_id(year), awards.decider, awards.Decide(
            nomination_id=nomination_id, year=year, approved=approved, reason=reason, decided_by=by, now=self.now()))

    async def publish(self, year: int) -> AppendResult:
        return await self.runtime.execute(awards.stream_id(year), awards.decider,
                                          awards.Publish(year=year, now=self.now()))

    async def nominations(self, year: int, category: str | None, *, published_only: bool = False
                          ) -> list[NominationLine]:
        rows = await self.pool.fetch(
            "SELECT n.nomination_id, n.year, n.category, n.nominee_id, n.nominee_name, n.reason, n.nominated_on,"
            " CASE WHEN n.approved IS NULL THEN 'pending' WHEN n.approved THEN 'approved' ELSE 'rejected' END"
            " AS status, n.decision_reason, n.decided_on, y.published_on FROM org_rec_nominations n"
            " LEFT JOIN org_rec_award_years y USING (year) WHERE n.year = $1 AND ($2::text IS NULL OR n.category = $2)"
            " AND (NOT $3 OR (y.year IS NOT NULL AND n.approved)) ORDER BY n.category, n.nominated_on,"
            " n.nomination_id", year, category, published_only)
        return _rows(NominationLine, rows)


async def attach(runtime: Runtime) -> None:
    runtime.extras[EXTRA_KEY] = Recognition(runtime=runtime)

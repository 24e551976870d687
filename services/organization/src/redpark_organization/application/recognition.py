"""Recognition's application layer, attached to the runtime by type: the three-way review
(三评议) and warning talks, pioneer and model posts (先锋岗、标兵岗), yearly awards (争先创优). The reads
over them are `queries.recognition`.

Facts a command needs come from the streams that own them (is the member in the park, its branch and
enterprise; was it rated poor or warned this year), so a refusal never rests on a read model that
trails the store. Display names come from the rosters.

Branch eligibility for awards is the quarterly assessment's: `queries.assessment.award_eligibility
(pool, branch_id, year) -> (eligible, reason)`. The import is guarded so the awards work before (or
without) the assessment; without it every active branch is eligible.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from redpark_contracts.organization_recognition import AwardCategory, PostKind, Rater, Rating
from redpark_platform.calendar import park_date
from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from ..domain import awards, branch, member, posts, review
from ..queries import recognition as rq

try:  # the seam to the quarterly assessment (see the module docstring)
    from ..queries.assessment import award_eligibility as _award_eligibility
except ImportError:  # pragma: no cover - only when the assessment is absent
    _award_eligibility = None

AwardEligibility = Callable[[Any, str, int], Awaitable[tuple[bool, str]]]


@dataclass
class Recognition(ApplicationLayer):
    award_eligibility: AwardEligibility | None = _award_eligibility

    def today(self) -> date:
        return park_date(self.now())

    async def _member(self, member_id: str) -> member.InPark | None:
        state = await self._state(member.stream_id(member_id), member.decider)
        return state if isinstance(state, member.InPark) else None

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

    # --- awards ------------------------------------------------------------------------------------

    async def _nominee(self, category: AwardCategory, nominee_id: str, year: int) -> awards.Nominee:
        if category in awards.INDIVIDUAL:
            if await self._member(nominee_id) is None:
                return awards.Nominee(exists=False, name=nominee_id)
            rated = await self._state(review.stream_id(nominee_id, year), review.decider)
            return awards.Nominee(exists=True, name=await rq.member_name(self.pool, nominee_id),
                                  rated_poor=rated.overall == "poor", warned=rated.talked_on is not None)
        state = await self._state(branch.stream_id(nominee_id), branch.decider)
        if not isinstance(state, branch.ActiveBranch):
            return awards.Nominee(exists=False, name=nominee_id)
        eligible, reason = True, ""
        if self.award_eligibility is not None:
            eligible, reason = await self.award_eligibility(self.pool, nominee_id, year)
        return awards.Nominee(exists=True, name=await rq.branch_name(self.pool, nominee_id), eligible=eligible,
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


"""Yearly awards (争先创优): nominations, decisions, and the published list that closes the year.

One stream per year, so "the list is published, the year is closed" and "one nomination per nominee
and category" are decided against every nomination of the year at once.

Facts from elsewhere come with the command:
  - an individual (先进个人、典型党员) must not be rated poor overall this year nor have received a
    warning talk (from the member's review stream);
  - a branch (特色党支部、典型支部) must be eligible by the quarterly assessment; the application asks
    `queries.assessment.award_eligibility` when that seam exists, and treats the branch as eligible
    otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization_recognition import (
    AwardCategory,
    AwardDecided,
    AwardListPublished,
    AwardNominated,
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date

INDIVIDUAL: frozenset[str] = frozenset({"advanced_individual", "exemplar_member"})
CATEGORY_ZH = {"featured_branch": "特色党支部", "advanced_individual": "先进个人",
               "exemplar_branch": "典型（支部）", "exemplar_member": "典型（党员）"}


def stream_id(year: int) -> str:
    return f"awards-{year}"


class Nominee(msgspec.Struct, frozen=True, kw_only=True):
    """What the nominee's own streams say, gathered by the application before deciding."""

    exists: bool
    name: str
    rated_poor: bool = False
    warned: bool = False
    eligible: bool = True
    ineligible_reason: str = ""


class Nominate(msgspec.Struct, frozen=True, kw_only=True):
    nomination_id: str
    year: int
    category: AwardCategory
    nominee_id: str
    reason: str
    nominee: Nominee
    nominated_by: str = ""
    now: datetime


class Decide(msgspec.Struct, frozen=True, kw_only=True):
    nomination_id: str
    year: int
    approved: bool
    reason: str = ""
    decided_by: str = ""
    now: datetime


class Publish(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    now: datetime


AwardCommand = Nominate | Decide | Publish
AwardEvent = AwardNominated | AwardDecided | AwardListPublished


class Nomination(msgspec.Struct, frozen=True):
    category: str
    nominee_id: str
    approved: bool | None = None


class Awards(msgspec.Struct, frozen=True):
    nominations: dict[str, Nomination] = {}
    published: bool = False


def _open(state: Awards, year: int) -> None:
    if state.published:
        raise DomainError("awards.published", f"the {year} list is published and closed",
                          detail_zh=f"{year}年度名单已公布，不能再变更", field="year")


def _nominate(c: Nominate, s: Awards) -> list[AwardEvent]:
    _open(s, c.year)
    n = c.nominee
    is_individual = c.category in INDIVIDUAL
    if not n.exists:
        raise NotFound("awards.nominee_unknown", f"{'member' if is_individual else 'branch'} {c.nominee_id} "
                       "is not known", detail_zh="被推荐对象不存在", field="nominee_id")
    if is_individual and n.rated_poor:
        raise DomainError("awards.nominee_rated_poor", f"{c.nominee_id} is rated poor in the {c.year} review",
                          detail_zh="该党员本年度三评议结果为不合格，不能推荐为先进个人或典型", field="nominee_id")
    if is_individual and n.warned:
        raise DomainError("awards.nominee_warned", f"{c.nominee_id} received a warning talk in {c.year}",
                          detail_zh="该党员本年度受到警示谈话，不能推荐为先进个人或典型", field="nominee_id")
    if not is_individual and not n.eligible:
        raise DomainError("awards.branch_ineligible",
                          f"branch {c.nominee_id} is not eligible by its assessment: {n.ineligible_reason}",
                          detail_zh=f"该支部考核不符合评优条件：{n.ineligible_reason}", field="nominee_id")
    if not c.reason.strip():
        raise InvalidCommand("awards.reason_missing", "a nomination needs its reason",
                             detail_zh="请填写推荐理由", field="reason")
    if c.nomination_id in s.nominations:
        raise DomainError("awards.nomination_exists", f"nomination {c.nomination_id} exists",
                          detail_zh="推荐编号已存在", field="nomination_id")
    if any(x.category == c.category and x.nominee_id == c.nominee_id for x in s.nominations.values()):
        raise DomainError("awards.already_nominated", f"{c.nominee_id} is already nominated for {c.category}",
                          detail_zh=f"已推荐过该对象参评{CATEGORY_ZH[c.category]}", field="nominee_id")
    on = effective_date(None, c.now)
    return [AwardNominated(nomination_id=c.nomination_id, year=c.year, category=c.category,
                           nominee_id=c.nominee_id, nominee_name=n.name, reason=c.reason.strip(),
                           nominated_on=on, nominated_by=c.nominated_by)]


def _decide(c: Decide, s: Awards) -> list[AwardEvent]:
    _open(s, c.year)
    nomination = s.nominations.get(c.nomination_id)
    if nomination is None:
        raise NotFound("awards.nomination_unknown", f"no nomination {c.nomination_id} in {c.year}",
                       detail_zh="推荐记录不存在", field="nomination_id")
    if nomination.approved is not None:
        raise DomainError("awards.already_decided", f"nomination {c.nomination_id} is already decided",
                          detail_zh="该推荐已作出决定", field="nomination_id")
    if not c.approved and not c.reason.strip():
        raise InvalidCommand("awards.rejection_reason_missing", "a rejection needs its reason",
                             detail_zh="不予通过须说明理由", field="reason")
    return [AwardDecided(nomination_id=c.nomination_id, year=c.year, approved=c.approved, reason=c.reason.strip(),
                         decided_on=effective_date(None, c.now), decided_by=c.decided_by)]


def _publish(c: Publish, s: Awards) -> list[AwardEvent]:
    _open(s, c.year)
    pending = sorted(k for k, v in s.nominations.items() if v.approved is None)
    if pending:
        raise DomainError("awards.pending_nominations", f"{len(pending)} nomination(s) still await a decision: "
                          + ", ".join(pending), detail_zh=f"尚有{len(pending)}项推荐未作决定", field="year")
    return [AwardListPublished(year=c.year, published_on=effective_date(None, c.now),
                               awarded_ids=sorted(k for k, v in s.nominations.items() if v.approved))]


def decide(command: AwardCommand, state: Awards) -> list[AwardEvent]:
    match command:
        case Nominate():
            return _nominate(command, state)
        case Decide():
            return _decide(command, state)
        case Publish():
            return _publish(command, state)
        case _:
            assert_never(command)


def evolve(state: Awards, event: AwardEvent) -> Awards:
    match event:
        case AwardNominated():
            return Awards(nominations={**state.nominations,
                                       event.nomination_id: Nomination(event.category, event.nominee_id)},
                          published=state.published)
        case AwardDecided():
            old = state.nominations[event.nomination_id]
            return Awards(nominations={**state.nominations, event.nomination_id: Nomination(
                old.category, old.nominee_id, event.approved)}, published=state.published)
        case AwardListPublished():
            return Awards(nominations=state.nominations, published=True)
        case _:
            assert_never(event)


decider: Decider[AwardCommand, Awards, AwardEvent] = Decider(initial=Awards, decide=decide, evolve=evolve)

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
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS

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
        raise ERRORS.error("awards.published", field="year", year=year)


def _nominate(c: Nominate, s: Awards) -> list[AwardEvent]:
    _open(s, c.year)
    n = c.nominee
    is_individual = c.category in INDIVIDUAL
    if not n.exists:
        raise ERRORS.error("awards.nominee_unknown", field="nominee_id", value='member' if is_individual else 'branch',
                           nominee_id=c.nominee_id)
    if is_individual and n.rated_poor:
        raise ERRORS.error("awards.nominee_rated_poor", field="nominee_id", nominee_id=c.nominee_id, year=c.year)
    if is_individual and n.warned:
        raise ERRORS.error("awards.nominee_warned", field="nominee_id", nominee_id=c.nominee_id, year=c.year)
    if not is_individual and not n.eligible:
        raise ERRORS.error("awards.branch_ineligible", field="nominee_id", nominee_id=c.nominee_id,
                           ineligible_reason=n.ineligible_reason)
    if not c.reason.strip():
        raise ERRORS.error("awards.reason_missing", field="reason")
    if c.nomination_id in s.nominations:
        raise ERRORS.error("awards.nomination_exists", field="nomination_id", nomination_id=c.nomination_id)
    if any(x.category == c.category and x.nominee_id == c.nominee_id for x in s.nominations.values()):
        raise ERRORS.error("awards.already_nominated", field="nominee_id", nominee_id=c.nominee_id, category=c.category,
                           value=CATEGORY_ZH[c.category])
    on = effective_date(None, c.now)
    return [AwardNominated(nomination_id=c.nomination_id, year=c.year, category=c.category,
                           nominee_id=c.nominee_id, nominee_name=n.name, reason=c.reason.strip(),
                           nominated_on=on, nominated_by=c.nominated_by)]


def _decide(c: Decide, s: Awards) -> list[AwardEvent]:
    _open(s, c.year)
    nomination = s.nominations.get(c.nomination_id)
    if nomination is None:
        raise ERRORS.error("awards.nomination_unknown", field="nomination_id", nomination_id=c.nomination_id,
                           year=c.year)
    if nomination.approved is not None:
        raise ERRORS.error("awards.already_decided", field="nomination_id", nomination_id=c.nomination_id)
    if not c.approved and not c.reason.strip():
        raise ERRORS.error("awards.rejection_reason_missing", field="reason")
    return [AwardDecided(nomination_id=c.nomination_id, year=c.year, approved=c.approved, reason=c.reason.strip(),
                         decided_on=effective_date(None, c.now), decided_by=c.decided_by)]


def _publish(c: Publish, s: Awards) -> list[AwardEvent]:
    _open(s, c.year)
    pending = sorted(k for k, v in s.nominations.items() if v.approved is None)
    if pending:
        raise ERRORS.error("awards.pending_nominations", field="year", count=len(pending), ids=", ".join(pending))
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

"""The yearly three-way review (三评议) of a member and the warning talk (警示谈话) it may require.

Every member is rated once a year by three raters: enterprise leadership (企业领导评议), employees
(企业职工评议) and the branch (党支部评议), each on 优秀 / 合格 / 基本合格 / 不合格. When the third
rating is in, the overall rating follows by this rule (documented in the service README):

  1. 不合格 (poor) when the branch rates poor, or when two or more raters rate poor: the branch
     answers for its members, and a majority of poor ratings outweighs the rest;
  2. otherwise 优秀 (excellent) when two or more rate excellent and none rates below 合格;
  3. otherwise 基本合格 (fair) when any rater rates poor or fair;
  4. otherwise 合格 (good).

A poor overall rating requires a warning talk, recorded once (date, by whom, notes). One stream per
member and year, so the three ratings and the talk are decided together. A rater rates once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization_recognition import (
    Rater,
    Rating,
    ThreeWayReviewConcluded,
    ThreeWayReviewRated,
    WarningTalkRecorded,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS

RATERS: tuple[Rater, ...] = ("leadership", "employees", "branch")
RATER_ZH = {"leadership": "企业领导评议", "employees": "企业职工评议", "branch": "党支部评议"}
RATING_ZH = {"excellent": "优秀", "good": "合格", "fair": "基本合格", "poor": "不合格"}


def stream_id(member_id: str, year: int) -> str:
    return f"review-{member_id}-{year}"


def overall_rating(leadership: Rating, employees: Rating, branch: Rating) -> Rating:
    ratings = (leadership, employees, branch)
    if branch == "poor" or ratings.count("poor") >= 2:
        return "poor"
    if ratings.count("excellent") >= 2 and not {"fair", "poor"} & set(ratings):
        return "excellent"
    if {"fair", "poor"} & set(ratings):
        return "fair"
    return "good"


class RateMember(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    year: int
    rater: Rater
    rating: Rating
    member_in_park: bool  # from the member's own stream
    branch_id: str | None = None  # the member's branch, from its stream
    rated_by: str = ""
    now: datetime
    effective_on: date | None = None


class RecordWarningTalk(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    year: int
    talked_on: date
    talked_by: str
    notes: str
    recorded_by: str = ""
    now: datetime


ReviewCommand = RateMember | RecordWarningTalk
ReviewEvent = ThreeWayReviewRated | ThreeWayReviewConcluded | WarningTalkRecorded


class Review(msgspec.Struct, frozen=True):
    ratings: dict[str, Rating] = {}
    overall: Rating | None = None
    talked_on: date | None = None


def _rate(c: RateMember, s: Review) -> list[ReviewEvent]:
    if not c.member_in_park:
        raise ERRORS.error("review.member_not_in_park", field="member_id", member_id=c.member_id)
    on = effective_date(c.effective_on, c.now)
    if on.year != c.year:
        raise ERRORS.error("review.wrong_year", field="effective_on", year=c.year)
    if c.rater in s.ratings:
        raise ERRORS.error("review.already_rated", field="rater", rater=c.rater, member_id=c.member_id, year=c.year,
                           value=RATER_ZH[c.rater])
    events: list[ReviewEvent] = [ThreeWayReviewRated(member_id=c.member_id, year=c.year, rater=c.rater,
                                                     rating=c.rating, rated_on=on, rated_by=c.rated_by)]
    ratings = {**s.ratings, c.rater: c.rating}
    if len(ratings) == len(RATERS):
        events.append(ThreeWayReviewConcluded(
            member_id=c.member_id, year=c.year, leadership=ratings["leadership"], employees=ratings["employees"],
            branch=ratings["branch"], overall=overall_rating(ratings["leadership"], ratings["employees"],
                                                             ratings["branch"]),
            branch_id=c.branch_id, concluded_on=on))
    return events


def _talk(c: RecordWarningTalk, s: Review) -> list[ReviewEvent]:
    if s.overall != "poor":
        raise ERRORS.error("review.talk_not_required", field="member_id", member_id=c.member_id, year=c.year)
    if s.talked_on is not None:
        raise ERRORS.error("review.talk_already_recorded", field="talked_on", talked_on=s.talked_on)
    effective_date(c.talked_on, c.now, "talked_on")
    if c.talked_on.year < c.year:
        raise ERRORS.error("review.talk_before_year", field="talked_on")
    if not c.talked_by.strip():
        raise ERRORS.error("review.talked_by_missing", field="talked_by")
    return [WarningTalkRecorded(member_id=c.member_id, year=c.year, talked_on=c.talked_on,
                                talked_by=c.talked_by.strip(), notes=c.notes, recorded_by=c.recorded_by)]


def decide(command: ReviewCommand, state: Review) -> list[ReviewEvent]:
    match command:
        case RateMember():
            return _rate(command, state)
        case RecordWarningTalk():
            return _talk(command, state)
        case _:
            assert_never(command)


def evolve(state: Review, event: ReviewEvent) -> Review:
    match event:
        case ThreeWayReviewRated():
            return msgspec.structs.replace(state, ratings={**state.ratings, event.rater: event.rating})
        case ThreeWayReviewConcluded():
            return msgspec.structs.replace(state, overall=event.overall)
        case WarningTalkRecorded():
            return msgspec.structs.replace(state, talked_on=event.talked_on)
        case _:
            assert_never(event)


decider: Decider[ReviewCommand, Review, ReviewEvent] = Decider(initial=Review, decide=decide, evolve=evolve)

"""The catalogue: activities the public can join, and the rules a session plan must meet.

An activity is one catalogue entry (a youth science course, a family tech tour with its route, the
science carnival week and its parts). Its dated sessions are separate aggregates (session.py),
because registrations contend on a session, never on the catalogue.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.events_public import (
    ActivityEvent,
    ActivityKind,
    ActivityPublished,
    ActivityRegistrationChecksSet,
    ActivityWithdrawn,
    RouteStop,
)
from redpark_platform.decider import Decider

from .errors import ERRORS

CARNIVAL_PARTS: frozenset[str] = frozenset(
    {
        "tech_garden_tour",
        "achievement_exhibition",
        "science_experience",
        "knowledge_contest",
        "performance",
        "food_tasting",
    }
)
ADULT_AGE = 18  # a party member younger than this is a child
MAX_AGE = 120


# --- commands -----------------------------------------------------------------------------------


class PublishActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    kind: ActivityKind
    title: str
    summary: str = ""
    place: str = ""
    organizer: str = ""
    carnival_id: str | None = None
    route: list[RouteStop] = []
    daily_limit_per_phone: int | None = None
    proof_of_work: bool | None = None  # None: the kind's default (on for a carnival part)
    phone_verification: bool = False
    now: datetime


class SetRegistrationChecks(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    proof_of_work: bool
    phone_verification: bool
    by: str
    now: datetime


class WithdrawActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    reason: str
    now: datetime


ActivityCommand = PublishActivity | SetRegistrationChecks | WithdrawActivity


def proof_of_work_by_default(kind: ActivityKind) -> bool:
    """A carnival part's sessions draw the crowds one address could fill with invented numbers."""
    return kind in CARNIVAL_PARTS


# --- state ----------------------------------------------------------------------------------------


class NoActivity(msgspec.Struct, frozen=True, tag="none"):
    pass


class Activity(msgspec.Struct, frozen=True, kw_only=True, tag="activity"):
    activity_id: str
    kind: ActivityKind
    title: str
    carnival_id: str | None
    daily_limit_per_phone: int | None
    proof_of_work: bool = False
    phone_verification: bool = False
    withdrawn: bool = False


ActivityState = NoActivity | Activity


def decide_activity(command: ActivityCommand, state: ActivityState) -> list[ActivityEvent]:
    match command:
        case PublishActivity():
            if isinstance(state, Activity):
                raise ERRORS.error("activity.already_published", field="activity_id")
            _check_publication(command)
            return [
                ActivityPublished(
                    activity_id=command.activity_id,
                    kind=command.kind,
                    title=command.title.strip(),
                    summary=command.summary,
                    place=command.place,
                    organizer=command.organizer,
                    carnival_id=command.carnival_id,
                    route=list(command.route),
                    daily_limit_per_phone=command.daily_limit_per_phone,
                    proof_of_work=(proof_of_work_by_default(command.kind) if command.proof_of_work is None
                                   else command.proof_of_work),
                    phone_verification=command.phone_verification,
                    published_at=command.now,
                )
            ]
        case SetRegistrationChecks():
            if not isinstance(state, Activity):
                raise ERRORS.error("activity.not_found", field="activity_id")
            if state.withdrawn:
                raise ERRORS.error("activity.withdrawn", field="activity_id")
            if (state.proof_of_work, state.phone_verification) == (command.proof_of_work, command.phone_verification):
                return []  # already so: setting it again changes nothing
            return [
                ActivityRegistrationChecksSet(
                    activity_id=command.activity_id,
                    proof_of_work=command.proof_of_work,
                    phone_verification=command.phone_verification,
                    set_by=command.by,
                    set_at=command.now,
                )
            ]
        case WithdrawActivity():
            if not isinstance(state, Activity):
                raise ERRORS.error("activity.not_found", field="activity_id")
            if state.withdrawn:
                raise ERRORS.error("activity.already_withdrawn")
            if not command.reason.strip():
                raise ERRORS.error("activity.reason_required", field="reason")
            return [
                ActivityWithdrawn(
                    activity_id=command.activity_id, reason=command.reason.strip(), withdrawn_at=command.now
                )
            ]
        case _:
            assert_never(command)


def _check_publication(c: PublishActivity) -> None:
    if not c.title.strip():
        raise ERRORS.error("activity.title_required", field="title")
    if c.kind in CARNIVAL_PARTS and not c.carnival_id:
        raise ERRORS.error("activity.carnival_required", field="carnival_id")
    if c.kind not in CARNIVAL_PARTS and c.carnival_id:
        raise ERRORS.error("activity.carnival_not_allowed", field="carnival_id")
    if c.kind == "family_tech_tour":
        if len(c.route) < 2:
            raise ERRORS.error("activity.route_too_short", field="route")
        names = [s.name.strip() for s in c.route]
        if any(not n for n in names):
            raise ERRORS.error("activity.route_stop_unnamed", field="route")
        if len(set(names)) != len(names):
            raise ERRORS.error("activity.route_repeats_stop", field="route")
    elif c.route:
        raise ERRORS.error("activity.route_not_allowed", field="route")
    if c.daily_limit_per_phone is not None:
        if c.kind != "science_carnival":
            raise ERRORS.error("activity.daily_limit_not_allowed", field="daily_limit_per_phone")
        if c.daily_limit_per_phone < 1:
            raise ERRORS.error("activity.daily_limit_invalid", field="daily_limit_per_phone")


def evolve_activity(state: ActivityState, event: ActivityEvent) -> ActivityState:
    match event:
        case ActivityPublished():
            return Activity(
                activity_id=event.activity_id,
                kind=event.kind,
                title=event.title,
                carnival_id=event.carnival_id,
                daily_limit_per_phone=event.daily_limit_per_phone,
                proof_of_work=(proof_of_work_by_default(event.kind) if event.proof_of_work is None
                               else event.proof_of_work),
                phone_verification=event.phone_verification,
            )
        case ActivityRegistrationChecksSet():
            assert isinstance(state, Activity)
            return msgspec.structs.replace(state, proof_of_work=event.proof_of_work,
                                           phone_verification=event.phone_verification)
        case ActivityWithdrawn():
            assert isinstance(state, Activity)
            return msgspec.structs.replace(state, withdrawn=True)
        case _:
            assert_never(event)


activity_decider: Decider[ActivityCommand, ActivityState, ActivityEvent] = Decider(
    initial=NoActivity(), decide=decide_activity, evolve=evolve_activity
)


def activity_stream(activity_id: str) -> str:
    return f"activity-{activity_id}"


# --- session plans --------------------------------------------------------------------------------


def check_session_plan(
    *,
    activity_kind: ActivityKind,
    carnival_id: str | None,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    capacity: int,
    min_age: int | None,
    max_age: int | None,
    registration_opens_at: datetime,
    registration_closes_at: datetime,
    max_party_size: int,
    waitlist_limit: int | None,
) -> None:
    """The rules every session of the catalogue meets before anyone can register for it."""
    if activity_kind == "science_carnival":
        raise ERRORS.error("session.carnival_week_has_no_sessions", field="activity_id")
    if activity_kind in CARNIVAL_PARTS and not carnival_id:
        raise ERRORS.error("session.carnival_required", field="carnival_id")
    if not place.strip():
        raise ERRORS.error("session.place_required", field="place")
    if capacity < 1:
        raise ERRORS.error("session.capacity_invalid", field="capacity")
    if ends_at <= starts_at:
        raise ERRORS.error("session.ends_before_start", field="ends_at")
    if registration_closes_at <= registration_opens_at:
        raise ERRORS.error("session.window_invalid", field="registration_closes_at")
    if registration_closes_at > starts_at:
        raise ERRORS.error("session.window_after_start", field="registration_closes_at")
    for name, age in (("min_age", min_age), ("max_age", max_age)):
        if age is not None and not 0 <= age <= MAX_AGE:
            raise ERRORS.error("session.age_limit_invalid", field=name, max_age=MAX_AGE)
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ERRORS.error("session.age_limits_reversed", field="min_age")
    if max_party_size < 1:
        raise ERRORS.error("session.party_size_invalid", field="max_party_size")
    if waitlist_limit is not None and waitlist_limit < 0:
        raise ERRORS.error("session.waitlist_limit_invalid", field="waitlist_limit")

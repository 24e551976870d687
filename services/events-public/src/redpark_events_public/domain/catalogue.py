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
    ActivityWithdrawn,
    RouteStop,
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

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
    now: datetime


class WithdrawActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    reason: str
    now: datetime


ActivityCommand = PublishActivity | WithdrawActivity


# --- state ----------------------------------------------------------------------------------------


class NoActivity(msgspec.Struct, frozen=True, tag="none"):
    pass


class Activity(msgspec.Struct, frozen=True, kw_only=True, tag="activity"):
    activity_id: str
    kind: ActivityKind
    title: str
    carnival_id: str | None
    daily_limit_per_phone: int | None
    withdrawn: bool = False


ActivityState = NoActivity | Activity


def decide_activity(command: ActivityCommand, state: ActivityState) -> list[ActivityEvent]:
    match command:
        case PublishActivity():
            if isinstance(state, Activity):
                raise DomainError(
                    "activity.already_published",
                    "This activity is already in the catalogue.",
                    detail_zh="该活动已发布，不能重复发布。",
                    field="activity_id",
                )
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
                    published_at=command.now,
                )
            ]
        case WithdrawActivity():
            if not isinstance(state, Activity):
                raise NotFound(
                    "activity.not_found", "No such activity.", detail_zh="活动不存在。", field="activity_id"
                )
            if state.withdrawn:
                raise DomainError(
                    "activity.already_withdrawn",
                    "The activity was already withdrawn.",
                    detail_zh="该活动已撤下。",
                )
            if not command.reason.strip():
                raise InvalidCommand(
                    "activity.reason_required",
                    "Say why the activity is withdrawn.",
                    detail_zh="请填写撤下活动的原因。",
                    field="reason",
                )
            return [
                ActivityWithdrawn(
                    activity_id=command.activity_id, reason=command.reason.strip(), withdrawn_at=command.now
                )
            ]
        case _:
            assert_never(command)


def _check_publication(c: PublishActivity) -> None:
    if not c.title.strip():
        raise InvalidCommand(
            "activity.title_required",
            "An activity needs a title.",
            detail_zh="请填写活动名称。",
            field="title",
        )
    if c.kind in CARNIVAL_PARTS and not c.carnival_id:
        raise InvalidCommand(
            "activity.carnival_required",
            "A carnival activity must name its carnival week.",
            detail_zh="嘉年华子活动必须指明所属的科技嘉年华周。",
            field="carnival_id",
        )
    if c.kind not in CARNIVAL_PARTS and c.carnival_id:
        raise InvalidCommand(
            "activity.carnival_not_allowed",
            "Only the parts of a carnival week belong to one.",
            detail_zh="只有嘉年华子活动可以归属科技嘉年华周。",
            field="carnival_id",
        )
    if c.kind == "family_tech_tour":
        if len(c.route) < 2:
            raise InvalidCommand(
                "activity.route_too_short",
                "A family tech tour visits at least two sites, in order.",
                detail_zh="科技亲子游路线至少包含两个参观点。",
                field="route",
            )
        names = [s.name.strip() for s in c.route]
        if any(not n for n in names):
            raise InvalidCommand(
                "activity.route_stop_unnamed",
                "Every stop of the route needs a name.",
                detail_zh="路线中的每个参观点都需要名称。",
                field="route",
            )
        if len(set(names)) != len(names):
            raise InvalidCommand(
                "activity.route_repeats_stop",
                "A route visits each site once.",
                detail_zh="路线中的参观点不能重复。",
                field="route",
            )
    elif c.route:
        raise InvalidCommand(
            "activity.route_not_allowed",
            "Only a family tech tour has a route.",
            detail_zh="只有科技亲子游可以设置参观路线。",
            field="route",
        )
    if c.daily_limit_per_phone is not None:
        if c.kind != "science_carnival":
            raise InvalidCommand(
                "activity.daily_limit_not_allowed",
                "A per-phone daily limit is set on the science carnival week.",
                detail_zh="每个手机号每日报名上限只能在科技嘉年华周上设置。",
                field="daily_limit_per_phone",
            )
        if c.daily_limit_per_phone < 1:
            raise InvalidCommand(
                "activity.daily_limit_invalid",
                "The daily limit is at least 1.",
                detail_zh="每日报名上限至少为1。",
                field="daily_limit_per_phone",
            )


def evolve_activity(state: ActivityState, event: ActivityEvent) -> ActivityState:
    match event:
        case ActivityPublished():
            return Activity(
                activity_id=event.activity_id,
                kind=event.kind,
                title=event.title,
                carnival_id=event.carnival_id,
                daily_limit_per_phone=event.daily_limit_per_phone,
            )
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
        raise InvalidCommand(
            "session.carnival_week_has_no_sessions",
            "The carnival week itself has no sessions; schedule them on its activities.",
            detail_zh="科技嘉年华周本身不设场次，请在其子活动下安排场次。",
            field="activity_id",
        )
    if activity_kind in CARNIVAL_PARTS and not carnival_id:
        raise InvalidCommand(
            "session.carnival_required",
            "A carnival session must name its carnival week.",
            detail_zh="嘉年华场次必须指明所属的科技嘉年华周。",
            field="carnival_id",
        )
    if not place.strip():
        raise InvalidCommand(
            "session.place_required", "A session needs a place.", detail_zh="请填写场次地点。", field="place"
        )
    if capacity < 1:
        raise InvalidCommand(
            "session.capacity_invalid",
            "Capacity is at least one seat.",
            detail_zh="名额至少为1。",
            field="capacity",
        )
    if ends_at <= starts_at:
        raise InvalidCommand(
            "session.ends_before_start",
            "A session ends after it starts.",
            detail_zh="场次结束时间必须晚于开始时间。",
            field="ends_at",
        )
    if registration_closes_at <= registration_opens_at:
        raise InvalidCommand(
            "session.window_invalid",
            "Registration closes after it opens.",
            detail_zh="报名截止时间必须晚于报名开始时间。",
            field="registration_closes_at",
        )
    if registration_closes_at > starts_at:
        raise InvalidCommand(
            "session.window_after_start",
            "Registration closes by the time the session starts.",
            detail_zh="报名截止时间不能晚于场次开始时间。",
            field="registration_closes_at",
        )
    for name, age in (("min_age", min_age), ("max_age", max_age)):
        if age is not None and not 0 <= age <= MAX_AGE:
            raise InvalidCommand(
                "session.age_limit_invalid",
                f"An age limit is between 0 and {MAX_AGE}.",
                detail_zh=f"年龄限制应在0至{MAX_AGE}岁之间。",
                field=name,
            )
    if min_age is not None and max_age is not None and min_age > max_age:
        raise InvalidCommand(
            "session.age_limits_reversed",
            "The minimum age is not above the maximum.",
            detail_zh="最小年龄不能大于最大年龄。",
            field="min_age",
        )
    if max_party_size < 1:
        raise InvalidCommand(
            "session.party_size_invalid",
            "A party may hold at least one person.",
            detail_zh="每份报名人数上限至少为1。",
            field="max_party_size",
        )
    if waitlist_limit is not None and waitlist_limit < 0:
        raise InvalidCommand(
            "session.waitlist_limit_invalid",
            "The waiting-list limit cannot be negative.",
            detail_zh="候补名额不能为负数。",
            field="waitlist_limit",
        )

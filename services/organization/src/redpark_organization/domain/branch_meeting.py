"""The branch's life as its record book keeps it: 三会一课 (党员大会、支委会、党小组会、党课) and 主题党日.

A meeting is recorded once, on its own stream, after it was held: its date, topic, attendees and
minutes. Attendees must have been on the branch's roster on the day: who was on it is decided from
each attendee's own member stream (`on_roster`), which carries the dated joins and departures, so a
meeting recorded late is checked against the roster of its day and not against today's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import assert_never, get_args

import msgspec

from redpark_contracts.organization import MemberJoinedBranch, MemberLeftBranch
from redpark_contracts.organization_governance import BranchMeetingHeld, MeetingKind
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date

KINDS: tuple[str, ...] = get_args(MeetingKind)
KIND_ZH = {"member_meeting": "党员大会", "committee_meeting": "支委会", "group_meeting": "党小组会",
           "party_lesson": "党课", "theme_day": "主题党日"}


def stream_id(meeting_id: str) -> str:
    return f"branch-meeting-{meeting_id}"


def on_roster(member_events: Iterable[object], branch_id: str, day: date) -> bool:
    """Whether the member's stream puts the member in `branch_id` on `day`: joined on or before it and
    not left by then (a member who left on the day is counted in the branch joined that day)."""
    joined: date | None = None
    for event in member_events:
        if isinstance(event, MemberJoinedBranch) and event.branch_id == branch_id and event.joined_on <= day:
            joined = event.joined_on
        elif (isinstance(event, MemberLeftBranch) and event.branch_id == branch_id and joined is not None
              and event.left_on <= day):
            joined = None
    return joined is not None


class HoldMeeting(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    held_on: date
    topic: str
    attendee_ids: list[str]
    minutes: str
    on_roster_ids: frozenset[str]  # the attendees who were on the branch's roster on `held_on`
    branch_active: bool
    recorded_by: str = ""
    now: datetime


class NoMeeting(msgspec.Struct, frozen=True, tag=True):
    pass


class Meeting(msgspec.Struct, frozen=True, tag=True):
    meeting_id: str
    branch_id: str


MeetingState = NoMeeting | Meeting


def decide(command: HoldMeeting, state: MeetingState) -> list[BranchMeetingHeld]:
    match command:
        case HoldMeeting():
            pass
        case _:
            assert_never(command)
    if isinstance(state, Meeting):
        raise DomainError("meeting.already_recorded", f"meeting {command.meeting_id} is already recorded",
                          detail_zh="该会议记录已存在", field="meeting_id")
    if not command.branch_active:
        raise NotFound("branch.unknown", f"branch {command.branch_id} is not an active branch",
                       detail_zh="党支部不存在或已撤销", field="branch_id")
    if command.kind not in KINDS:
        raise InvalidCommand("meeting.kind_unknown", f"kind must be one of {', '.join(KINDS)}",
                             detail_zh="会议类型不正确", field="kind")
    on = effective_date(command.held_on, command.now, field="held_on")
    topic, minutes = command.topic.strip(), command.minutes.strip()
    if not topic:
        raise InvalidCommand("meeting.topic_missing", "a meeting needs its topic", detail_zh="会议主题不能为空",
                             field="topic")
    if not minutes:
        raise InvalidCommand("meeting.minutes_missing", "a meeting's record needs its minutes",
                             detail_zh="会议记录不能为空", field="minutes")
    if not command.attendee_ids:
        raise InvalidCommand("meeting.no_attendees", "a meeting needs at least one attendee",
                             detail_zh="参会人员不能为空", field="attendee_ids")
    if len(set(command.attendee_ids)) != len(command.attendee_ids):
        raise InvalidCommand("meeting.attendee_twice", "an attendee is listed twice",
                             detail_zh="参会人员重复", field="attendee_ids")
    strangers = [a for a in command.attendee_ids if a not in command.on_roster_ids]
    if strangers:
        raise InvalidCommand("meeting.attendee_not_on_roster",
                             f"not on the roster of branch {command.branch_id} on {on.isoformat()}: "
                             f"{', '.join(strangers)}",
                             detail_zh=f"参会人员不在本支部当日名册中：{'、'.join(strangers)}", field="attendee_ids")
    return [BranchMeetingHeld(meeting_id=command.meeting_id, branch_id=command.branch_id, kind=command.kind,
                              held_on=on, topic=topic, attendee_ids=list(command.attendee_ids), minutes=minutes,
                              recorded_by=command.recorded_by)]


def evolve(state: MeetingState, event: BranchMeetingHeld) -> MeetingState:
    return Meeting(meeting_id=event.meeting_id, branch_id=event.branch_id)


decider: Decider[HoldMeeting, MeetingState, BranchMeetingHeld] = Decider(
    initial=NoMeeting(), decide=decide, evolve=evolve)

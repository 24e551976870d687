"""The branch's life as its record book keeps it: 三会一课 (党员大会、支委会、党小组会、党课) and 主题党日.

A meeting is recorded once, on its own stream, after it was held: its date, topic, attendees and
minutes. Attendees must have been on the branch's roster on the day: who was on it is decided from
each attendee's own member stream (`on_roster`), which carries the dated joins and departures, so a
meeting recorded late is checked against the roster of its day and not against today's.

The general branch keeps the same record book under the holder id `general` (as its rules do): its
总支委员会, 党员大会 and 党课 count on its own scorecard. Its roster on a day is every member whose
relationship the park held that day (`relationship_in_park_on`), since it leads them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import assert_never, get_args

import msgspec

from redpark_contracts.organization import (
    MemberJoinedBranch,
    MemberLeftBranch,
    MemberRegistered,
    MemberTransferredIn,
    MemberTransferredOut,
)
from redpark_contracts.organization_governance import BranchMeetingHeld, MeetingKind
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider, NotFound

from .errors import ERRORS

# The general branch's holder id, as in the rulebook and the assessment's facts.
GENERAL = "general"

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


def relationship_in_park_on(member_events: Iterable[object], day: date) -> bool:
    """Whether the park held the member's organizational relationship on `day`. A member registered with
    it held here had it before the census recorded them (the date it moved in is not recorded, as a
    branch join may be dated before the registration), so from any day; one registered while it was held
    elsewhere from the day it transferred in; nobody after transferring out."""
    held: date | None = None
    for event in member_events:
        if isinstance(event, MemberRegistered) and event.relationship == "in_park":
            held = date.min
        elif isinstance(event, MemberTransferredIn) and event.transferred_on <= day:
            held = event.transferred_on
        elif isinstance(event, MemberTransferredOut) and event.transferred_on <= day:
            held = None
    return held is not None


class HoldMeeting(msgspec.Struct, frozen=True, kw_only=True):
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    held_on: date
    topic: str
    attendee_ids: list[str]
    minutes: str
    on_roster_ids: frozenset[str]  # the attendees who were on the branch's roster on `held_on`
    branch_active: bool  # for `general`: the general branch is established
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
        raise ERRORS.error("meeting.already_recorded", field="meeting_id", meeting_id=command.meeting_id)
    if not command.branch_active and command.branch_id == GENERAL:
        raise ERRORS.error("general_branch.not_established", field="branch_id")
    if not command.branch_active:
        raise NotFound("branch.unknown", f"branch {command.branch_id} is not an active branch",
                       detail_zh="党支部不存在或已撤销", field="branch_id")
    if command.kind not in KINDS:
        raise ERRORS.error("meeting.kind_unknown", field="kind", value=', '.join(KINDS))
    on = effective_date(command.held_on, command.now, field="held_on")
    topic, minutes = command.topic.strip(), command.minutes.strip()
    if not topic:
        raise ERRORS.error("meeting.topic_missing", field="topic")
    if not minutes:
        raise ERRORS.error("meeting.minutes_missing", field="minutes")
    if not command.attendee_ids:
        raise ERRORS.error("meeting.no_attendees", field="attendee_ids")
    if len(set(command.attendee_ids)) != len(command.attendee_ids):
        raise ERRORS.error("meeting.attendee_twice", field="attendee_ids")
    strangers = [a for a in command.attendee_ids if a not in command.on_roster_ids]
    if strangers:
        raise ERRORS.error("meeting.attendee_not_on_roster", field="attendee_ids", branch_id=command.branch_id,
                           on=on.isoformat(), value=', '.join(strangers), value2='、'.join(strangers))
    return [BranchMeetingHeld(meeting_id=command.meeting_id, branch_id=command.branch_id, kind=command.kind,
                              held_on=on, topic=topic, attendee_ids=list(command.attendee_ids), minutes=minutes,
                              recorded_by=command.recorded_by)]


def evolve(state: MeetingState, event: BranchMeetingHeld) -> MeetingState:
    return Meeting(meeting_id=event.meeting_id, branch_id=event.branch_id)


decider: Decider[HoldMeeting, MeetingState, BranchMeetingHeld] = Decider(
    initial=NoMeeting(), decide=decide, evolve=evolve)

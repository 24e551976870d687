"""Organization events: rulebook, inspections and rectifications, branch life records (三会一课, 主题党日) — section 三(三) of the plan.

Registered on the organization service's one registry (`redpark_contracts.organization.registry`),
so subjects and CloudEvents types follow the same rules; kept in their own module so each area of
the service reads on its own.
"""

from __future__ import annotations

from redpark_contracts.organization import registry  # noqa: F401  (types below register on it)

from datetime import date
from typing import Literal

from redpark_platform.events import Event

RuleHolder = str  # "general" (the general branch, 党总支) or a branch id
MeetingKind = Literal["member_meeting",  # 党员大会
                      "committee_meeting",  # 支委会
                      "group_meeting",  # 党小组会
                      "party_lesson",  # 党课
                      "theme_day"]  # 主题党日

# --- rulebook (制度建设、制度上墙) -------------------------------------------------------------


@registry.register("rule", "defined")
class RuleDefined(Event, frozen=True, kw_only=True):
    """A rule of the general branch (`holder_id` "general", ten rules) or of a branch (its id, seven
    rules), with its text; defined again when the text is amended (the latest text holds)."""

    holder_id: str
    rule_key: str
    title: str
    text: str
    defined_on: date | None = None


@registry.register("rule", "posted")
class RulePosted(Event, frozen=True, kw_only=True):
    """制度上墙: the rule's text is on the wall of the holder's activity room."""

    holder_id: str
    rule_key: str
    posted_on: date


@registry.register("rule", "unposted")
class RuleUnposted(Event, frozen=True, kw_only=True):
    """The rule came off the wall (the room moved, the text is being amended)."""

    holder_id: str
    rule_key: str
    unposted_on: date


# --- inspections, rectifications, organizational handling (检查、整改、组织处理) -------------


@registry.register("inspection", "recorded")
class InspectionRecorded(Event, frozen=True, kw_only=True):
    """The general branch inspected a branch (at least twice a year) and wrote down what it found."""

    inspection_id: str
    branch_id: str
    inspected_on: date
    passed: bool
    findings: str
    recorded_by: str = ""


@registry.register("rectification", "opened")
class RectificationOpened(Event, frozen=True, kw_only=True):
    """整改: the branch's first failed inspection of the year; to be completed by `deadline`."""

    rectification_id: str
    branch_id: str
    inspection_id: str
    deadline: date
    opened_on: date | None = None


@registry.register("rectification", "completed")
class RectificationCompleted(Event, frozen=True, kw_only=True):
    rectification_id: str
    branch_id: str
    completed_on: date


@registry.register("handling", "flagged")
class OrganizationalHandlingFlagged(Event, frozen=True, kw_only=True):
    """组织处理: a second failed inspection of the branch in the same calendar year."""

    branch_id: str
    inspection_id: str
    flagged_on: date
    year: int | None = None


# --- branch life (三会一课、主题党日) ----------------------------------------------------------


@registry.register("branch_meeting", "held")
class BranchMeetingHeld(Event, frozen=True, kw_only=True):
    """A meeting of the branch's life as its record book keeps it: attendees were on the branch's
    roster on `held_on`. Attendees are member ids (names are read from the rosters)."""

    meeting_id: str
    branch_id: str
    kind: MeetingKind
    held_on: date
    topic: str
    attendee_ids: list[str]
    minutes: str
    recorded_by: str = ""

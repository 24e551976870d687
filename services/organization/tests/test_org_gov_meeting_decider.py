"""Branch meetings: recorded once, attendees on the roster of the day; the cadence table and missing meetings."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import msgspec

from redpark_contracts.organization import MemberJoinedBranch, MemberLeftBranch
from redpark_contracts.organization_governance import BranchMeetingHeld
from redpark_organization.domain import branch_meeting
from redpark_organization.domain.branch_meeting import HoldMeeting, on_roster
from redpark_organization.domain.meeting_cadence import CADENCE, missing_meetings
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit.gwt import DeciderSpec

spec = DeciderSpec(branch_meeting.decider)
NOW = datetime(2025, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def hold(**overrides: object) -> HoldMeeting:
    fields: dict[str, object] = {
        "meeting_id": "mt1", "branch_id": "br1", "kind": "theme_day", "held_on": date(2025, 6, 1),
        "topic": " 学习党章 ", "attendee_ids": ["m1", "m2"], "minutes": "书记领学。",
        "on_roster_ids": frozenset({"m1", "m2"}), "branch_active": True, "now": NOW}
    fields.update(overrides)
    return HoldMeeting(**fields)  # type: ignore[arg-type]


HELD = BranchMeetingHeld(meeting_id="mt1", branch_id="br1", kind="theme_day", held_on=date(2025, 6, 1),
                         topic="学习党章", attendee_ids=["m1", "m2"], minutes="书记领学。")


def test_a_meeting_is_recorded_once() -> None:
    spec.given([]).when(hold()).then([HELD])
    spec.given([HELD]).when(hold()).then_raises(DomainError, code="meeting.already_recorded", field="meeting_id")


def test_an_attendee_not_on_the_roster_that_day_is_refused_by_name() -> None:
    exc = spec.given([]).when(hold(attendee_ids=["m1", "m9"])).then_raises(
        InvalidCommand, code="meeting.attendee_not_on_roster", field="attendee_ids")
    assert "m9" in str(exc) and "m1," not in str(exc)


def test_refusals_name_their_field() -> None:
    spec.given([]).when(hold(topic=" ")).then_raises(InvalidCommand, code="meeting.topic_missing", field="topic")
    spec.given([]).when(hold(minutes="")).then_raises(InvalidCommand, code="meeting.minutes_missing",
                                                       field="minutes")
    spec.given([]).when(hold(attendee_ids=[])).then_raises(InvalidCommand, code="meeting.no_attendees",
                                                           field="attendee_ids")
    spec.given([]).when(hold(attendee_ids=["m1", "m1"])).then_raises(InvalidCommand, code="meeting.attendee_twice")
    spec.given([]).when(hold(held_on=date(2025, 6, 11))).then_raises(InvalidCommand, code="date.in_future",
                                                                     field="held_on")
    spec.given([]).when(hold(branch_active=False)).then_raises(NotFound, code="branch.unknown", field="branch_id")


def test_the_roster_of_the_day_follows_dated_joins_and_departures() -> None:
    events = [MemberJoinedBranch(member_id="m1", branch_id="br1", joined_on=date(2025, 3, 1)),
              MemberLeftBranch(member_id="m1", branch_id="br1", left_on=date(2025, 5, 1), reason="moved"),
              MemberJoinedBranch(member_id="m1", branch_id="br2", joined_on=date(2025, 5, 1))]
    assert not on_roster(events, "br1", date(2025, 2, 28))
    assert on_roster(events, "br1", date(2025, 3, 1)) and on_roster(events, "br1", date(2025, 4, 30))
    assert not on_roster(events, "br1", date(2025, 5, 1))
    assert on_roster(events, "br2", date(2025, 5, 1))


def test_the_cadence_table_holds_the_plans_rules_of_thumb() -> None:
    assert CADENCE == {"committee_meeting": "month", "group_meeting": "month", "theme_day": "month",
                       "member_meeting": "quarter", "party_lesson": "quarter"}


def test_missing_meetings_are_the_ended_periods_without_one() -> None:
    held = [("theme_day", date(2025, 1, 5)), ("committee_meeting", date(2025, 1, 8)),
            ("committee_meeting", date(2025, 2, 8)), ("committee_meeting", date(2025, 3, 8)),
            ("group_meeting", date(2025, 2, 2)), ("member_meeting", date(2025, 3, 30))]
    missing = missing_meetings("br1", date(2024, 1, 1), None, held, 2025, date(2025, 4, 2))
    assert [(m.kind, m.period) for m in missing] == [
        ("group_meeting", "2025-01"), ("group_meeting", "2025-03"), ("theme_day", "2025-02"),
        ("theme_day", "2025-03"), ("party_lesson", "2025-Q1")]


def test_a_branch_founded_mid_year_owes_nothing_before_its_founding_and_the_current_period_is_not_missing() -> None:
    missing = missing_meetings("br1", date(2025, 2, 15), None, [], 2025, date(2025, 4, 2))
    assert {m.period for m in missing if m.kind == "theme_day"} == {"2025-02", "2025-03"}
    assert all(m.period not in ("2025-01", "2025-04", "2025-Q2") for m in missing)
    dissolved = missing_meetings("br1", date(2024, 1, 1), date(2025, 2, 10), [], 2025, date(2025, 4, 2))
    assert {m.period for m in dissolved} == {"2025-01"}


def test_the_general_branch_records_its_own_meetings_under_its_holder_id() -> None:
    held = BranchMeetingHeld(meeting_id="mt1", branch_id="general", kind="committee_meeting",
                             held_on=date(2025, 6, 1), topic="学习党章", attendee_ids=["m1", "m2"], minutes="书记领学。")
    spec.given([]).when(hold(branch_id="general", kind="committee_meeting")).then([held])
    spec.given([]).when(hold(branch_id="general", branch_active=False)).then_raises(
        NotFound, code="general_branch.not_established", field="branch_id")


def test_the_general_branchs_roster_of_the_day_is_every_member_the_park_holds() -> None:
    from redpark_contracts.organization import MemberRegistered, MemberTransferredIn, MemberTransferredOut
    from redpark_organization.domain.branch_meeting import relationship_in_park_on

    registered = MemberRegistered(member_id="m1", name="甲", enterprise_id=None, status="full",
                                  joined_party_on=date(2010, 7, 1), relationship="elsewhere",
                                  relationship_held_by="某区委", phone="", id_number="",
                                  registered_on=date(2025, 1, 5))
    events = [registered,
              MemberTransferredIn(member_id="m1", from_organization="某区委", transferred_on=date(2025, 3, 1)),
              MemberTransferredOut(member_id="m1", to_organization="某市委", transferred_on=date(2025, 9, 1))]
    assert not relationship_in_park_on(events, date(2025, 2, 1))  # registered, held elsewhere
    assert relationship_in_park_on(events, date(2025, 3, 1))
    assert not relationship_in_park_on(events, date(2025, 9, 1))
    held_here = msgspec.structs.replace(registered, relationship="in_park", relationship_held_by="")
    # held here when registered: since before the census recorded it (as a dated branch join may be)
    assert relationship_in_park_on([held_here], date(2024, 7, 1))

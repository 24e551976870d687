"""Enterprises moving in and out, and how each is covered: Given/When/Then on the enterprise decider."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from redpark_contracts.organization import (
    EnterpriseJoinedBranch,
    EnterpriseLeftBranch,
    EnterpriseMovedIn,
    EnterpriseMovedOut,
    EnterpriseProfileUpdated,
    LiaisonInstructorAssigned,
    LiaisonInstructorWithdrawn,
)
from redpark_organization.domain import enterprise as ent
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(ent.decider)

MOVED_IN = EnterpriseMovedIn(enterprise_id="e1", name="爱科技", building_id="b1", floor=3, headcount=40,
                             is_tech_enterprise=True, legal_representative="张三", moved_in_on=date(2025, 1, 10))
JOINED = EnterpriseJoinedBranch(enterprise_id="e1", branch_id="br1", joined_on=date(2025, 2, 1))
LIAISON = LiaisonInstructorAssigned(enterprise_id="e1", member_id="m9", sent_by_branch_id=None,
                                    assigned_on=date(2025, 2, 1))


def move_in(**kw: object) -> ent.MoveIn:
    base: dict[str, object] = dict(enterprise_id="e1", name=" 爱科技 ", building_id="b1", floor=3, headcount=40,
                                   is_tech_enterprise=True, legal_representative="张三", building_floors=12, now=NOW)
    base.update(kw)
    return ent.MoveIn(**base)  # type: ignore[arg-type]


def liaison(**kw: object) -> ent.AssignLiaisonInstructor:
    base: dict[str, object] = dict(enterprise_id="e1", member_id="m9", sent_by_branch_id=None,
                                   enterprise_member_count=0, instructor_in_park=True, sender_is_neighbour=False,
                                   general_branch_id="gb", now=NOW)
    base.update(kw)
    return ent.AssignLiaisonInstructor(**base)  # type: ignore[arg-type]


def test_an_enterprise_moves_in_with_its_profile_dated_today_in_the_park() -> None:
    spec.given([]).when(move_in()).then([EnterpriseMovedIn(
        enterprise_id="e1", name="爱科技", building_id="b1", floor=3, headcount=40, is_tech_enterprise=True,
        legal_representative="张三", moved_in_on=TODAY)])


def test_the_date_is_read_in_the_park_time_zone_that_now_carries() -> None:
    # The service's clock gives `now` in the park's zone (Settings.timezone); the rule holds no zone.
    instant = datetime(2025, 6, 15, 17, 0, tzinfo=UTC)  # 01:00 on the 16th in Shanghai, 13:00 on the 15th in New York
    for zone, day in (("Asia/Shanghai", date(2025, 6, 16)), ("America/New_York", date(2025, 6, 15))):
        [event] = spec.given([]).when(move_in(now=instant.astimezone(ZoneInfo(zone)))).then([EnterpriseMovedIn(
            enterprise_id="e1", name="爱科技", building_id="b1", floor=3, headcount=40, is_tech_enterprise=True,
            legal_representative="张三", moved_in_on=day)])
        assert event.moved_in_on == day


def test_tomorrow_is_judged_on_the_park_clock_given_with_now() -> None:
    instant = datetime(2025, 6, 15, 17, 0, tzinfo=UTC)
    sixteenth = date(2025, 6, 16)
    spec.given([]).when(move_in(now=instant.astimezone(ZoneInfo("Asia/Shanghai")), effective_on=sixteenth)).then(
        [EnterpriseMovedIn(enterprise_id="e1", name="爱科技", building_id="b1", floor=3, headcount=40,
                           is_tech_enterprise=True, legal_representative="张三", moved_in_on=sixteenth)])
    spec.given([]).when(move_in(now=instant.astimezone(ZoneInfo("America/New_York")), effective_on=sixteenth)
                        ).then_raises(InvalidCommand, code="date.in_future", field="effective_on")


def test_a_date_in_the_future_is_refused() -> None:
    spec.given([]).when(move_in(effective_on=date(2025, 6, 16))).then_raises(
        InvalidCommand, code="date.in_future", field="effective_on")


def test_a_naive_now_is_refused() -> None:
    spec.given([]).when(move_in(now=datetime(2025, 6, 15, 10, 0))).then_raises(InvalidCommand, code="time.naive")


def test_moving_into_an_unregistered_building_is_refused() -> None:
    spec.given([]).when(move_in(building_floors=None)).then_raises(NotFound, code="building.unknown",
                                                                    field="building_id")


def test_the_floor_must_exist_in_the_building() -> None:
    spec.given([]).when(move_in(floor=13)).then_raises(InvalidCommand, code="enterprise.floor_out_of_range",
                                                        field="floor")


def test_an_enterprise_already_in_the_park_cannot_move_in_again() -> None:
    spec.given([MOVED_IN]).when(move_in()).then_raises(DomainError, code="enterprise.already_in_park")


def test_a_new_enterprise_is_uncovered_the_moment_it_moves_in() -> None:
    state = spec.given([]).when(move_in()).then_state(branch_id=None, liaison_instructor_id=None)
    assert isinstance(state, ent.InPark)


def test_the_profile_can_be_updated_including_a_move_to_another_building() -> None:
    cmd = ent.UpdateProfile(enterprise_id="e1", name="爱科技", building_id="b2", floor=5, headcount=55,
                            is_tech_enterprise=True, legal_representative="李四", building_floors=8, now=NOW)
    spec.given([MOVED_IN]).when(cmd).then([EnterpriseProfileUpdated(
        enterprise_id="e1", name="爱科技", building_id="b2", floor=5, headcount=55, is_tech_enterprise=True,
        legal_representative="李四", updated_on=TODAY)])
    spec.given([MOVED_IN]).when(cmd).then_state(building_id="b2")


def test_moving_out_ends_its_branch_membership_and_liaison_instructor() -> None:
    spec.given([MOVED_IN, JOINED]).when(ent.MoveOut(enterprise_id="e1", now=NOW)).then([
        EnterpriseLeftBranch(enterprise_id="e1", branch_id="br1", left_on=TODAY, reason="moved_out"),
        EnterpriseMovedOut(enterprise_id="e1", moved_out_on=TODAY),
    ])
    spec.given([MOVED_IN, LIAISON]).when(ent.MoveOut(enterprise_id="e1", now=NOW)).then([
        LiaisonInstructorWithdrawn(enterprise_id="e1", member_id="m9", withdrawn_on=TODAY),
        EnterpriseMovedOut(enterprise_id="e1", moved_out_on=TODAY),
    ])


def test_moving_out_before_moving_in_is_refused() -> None:
    spec.given([MOVED_IN]).when(ent.MoveOut(enterprise_id="e1", now=NOW, effective_on=date(2025, 1, 9))).then_raises(
        InvalidCommand, code="enterprise.moved_out_before_moving_in")


def test_an_enterprise_that_moved_out_cannot_move_out_again_or_join_a_branch() -> None:
    gone = [MOVED_IN, EnterpriseMovedOut(enterprise_id="e1", moved_out_on=date(2025, 3, 1))]
    spec.given(gone).when(ent.MoveOut(enterprise_id="e1", now=NOW)).then_raises(DomainError,
                                                                              code="enterprise.moved_out")
    spec.given(gone).when(ent.JoinBranch(enterprise_id="e1", branch_id="br1", branch_active=True, now=NOW)).then_raises(
        DomainError, code="enterprise.moved_out")


def test_an_enterprise_that_moved_out_may_move_back_in_later() -> None:
    gone = [MOVED_IN, EnterpriseMovedOut(enterprise_id="e1", moved_out_on=date(2025, 3, 1))]
    spec.given(gone).when(move_in()).then_state(moved_in_on=TODAY, branch_id=None)
    spec.given(gone).when(move_in(effective_on=date(2025, 2, 1))).then_raises(
        InvalidCommand, code="enterprise.moved_in_before_moving_out")


def test_an_unknown_enterprise_is_not_found() -> None:
    spec.given([]).when(ent.MoveOut(enterprise_id="e1", now=NOW)).then_raises(NotFound, code="enterprise.unknown")


def test_an_enterprise_joins_an_active_branch_and_is_then_covered() -> None:
    cmd = ent.JoinBranch(enterprise_id="e1", branch_id="br1", branch_active=True, now=NOW)
    spec.given([MOVED_IN]).when(cmd).then([EnterpriseJoinedBranch(enterprise_id="e1", branch_id="br1",
                                                                  joined_on=TODAY)])


def test_an_enterprise_cannot_join_a_branch_that_is_not_active() -> None:
    cmd = ent.JoinBranch(enterprise_id="e1", branch_id="br1", branch_active=False, now=NOW)
    spec.given([MOVED_IN]).when(cmd).then_raises(DomainError, code="branch.not_active", field="branch_id")


def test_an_enterprise_is_never_in_two_branches() -> None:
    cmd = ent.JoinBranch(enterprise_id="e1", branch_id="br2", branch_active=True, now=NOW)
    spec.given([MOVED_IN, JOINED]).when(cmd).then_raises(DomainError, code="enterprise.already_in_branch")


def test_an_enterprise_cannot_join_a_branch_before_it_moved_in() -> None:
    early = ent.JoinBranch(enterprise_id="e1", branch_id="br1", branch_active=True, now=NOW,
                           effective_on=date(2025, 1, 9))
    spec.given([MOVED_IN]).when(early).then_raises(InvalidCommand, code="enterprise.joined_before_moving_in",
                                                  field="effective_on")
    same_day = ent.JoinBranch(enterprise_id="e1", branch_id="br1", branch_active=True, now=NOW,
                              effective_on=date(2025, 1, 10))
    spec.given([MOVED_IN]).when(same_day).then([EnterpriseJoinedBranch(enterprise_id="e1", branch_id="br1",
                                                                       joined_on=date(2025, 1, 10))])


def test_leaving_a_branch_on_reorganization_then_joining_another() -> None:
    left = EnterpriseLeftBranch(enterprise_id="e1", branch_id="br1", left_on=TODAY, reason="reorganized")
    spec.given([MOVED_IN, JOINED]).when(ent.LeaveBranch(enterprise_id="e1", now=NOW)).then([left])
    spec.given([MOVED_IN, JOINED, left]).when(
        ent.JoinBranch(enterprise_id="e1", branch_id="br2", branch_active=True, now=NOW)).then(
        [EnterpriseJoinedBranch(enterprise_id="e1", branch_id="br2", joined_on=TODAY)])


def test_the_general_branch_sends_a_liaison_instructor_to_an_enterprise_without_members() -> None:
    spec.given([MOVED_IN]).when(liaison()).then([LiaisonInstructorAssigned(
        enterprise_id="e1", member_id="m9", sent_by_branch_id=None, assigned_on=TODAY,
        sent_by_general_branch_id="gb")])


def test_no_liaison_instructor_comes_from_a_general_branch_the_park_does_not_have() -> None:
    spec.given([MOVED_IN]).when(liaison(general_branch_id=None)).then_raises(
        DomainError, code="liaison.no_general_branch", field="sent_by_branch_id")


def test_a_branch_sending_the_instructor_does_not_name_the_general_branch() -> None:
    spec.given([MOVED_IN]).when(liaison(sent_by_branch_id="br2", sender_is_neighbour=True)).then(
        [LiaisonInstructorAssigned(enterprise_id="e1", member_id="m9", sent_by_branch_id="br2", assigned_on=TODAY,
                                   sent_by_general_branch_id=None)])


def test_a_neighbouring_branch_may_send_the_liaison_instructor() -> None:
    spec.given([MOVED_IN]).when(liaison(sent_by_branch_id="br2", sender_is_neighbour=True)).then(
        [LiaisonInstructorAssigned(enterprise_id="e1", member_id="m9", sent_by_branch_id="br2", assigned_on=TODAY)])


def test_a_branch_that_is_not_a_neighbour_cannot_send_the_liaison_instructor() -> None:
    spec.given([MOVED_IN]).when(liaison(sent_by_branch_id="br7", sender_is_neighbour=False)).then_raises(
        DomainError, code="liaison.sender_not_neighbour", field="sent_by_branch_id")


def test_an_enterprise_with_members_gets_no_liaison_instructor() -> None:
    spec.given([MOVED_IN]).when(liaison(enterprise_member_count=2)).then_raises(
        DomainError, code="liaison.enterprise_has_members")


def test_an_enterprise_already_in_a_branch_gets_no_liaison_instructor() -> None:
    spec.given([MOVED_IN, JOINED]).when(liaison()).then_raises(DomainError, code="liaison.enterprise_in_branch")


def test_one_liaison_instructor_at_a_time() -> None:
    spec.given([MOVED_IN, LIAISON]).when(liaison(member_id="m8")).then_raises(DomainError,
                                                                            code="liaison.already_assigned")


def test_the_liaison_instructor_must_be_a_member_in_the_park() -> None:
    spec.given([MOVED_IN]).when(liaison(instructor_in_park=False)).then_raises(NotFound, code="member.unknown",
                                                                               field="member_id")


def test_withdrawing_the_liaison_instructor_leaves_the_enterprise_uncovered() -> None:
    cmd = ent.WithdrawLiaisonInstructor(enterprise_id="e1", now=NOW)
    spec.given([MOVED_IN, LIAISON]).when(cmd).then(
        [LiaisonInstructorWithdrawn(enterprise_id="e1", member_id="m9", withdrawn_on=TODAY)])
    spec.given([MOVED_IN, LIAISON]).when(cmd).then_state(liaison_instructor_id=None)
    spec.given([MOVED_IN]).when(cmd).then_raises(DomainError, code="liaison.none")

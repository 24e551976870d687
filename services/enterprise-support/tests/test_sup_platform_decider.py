"""The four platforms: catalogue, requests, applications, internship bases, activities —
Given/When/Then, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.enterprise_support import (
    ApplicationDecided,
    ApplicationReviewed,
    ApplicationSubmitted,
    InternshipBaseEstablished,
    PlatformActivityHeld,
    PlatformActivityPlanned,
    PlatformServiceListed,
    PlatformServiceWithdrawn,
    ServiceRequestAccepted,
    ServiceRequestCompleted,
    ServiceRequestDeclined,
    ServiceRequestSubmitted,
)
from redpark_enterprise_support.domain import (
    funding,
    platform_activity,
    platform_service,
    service_request,
    talent,
)
from redpark_platform.errors import InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 20, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 20)
catalogue = DeciderSpec(platform_service.decider)
requests = DeciderSpec(service_request.decider)
applications = DeciderSpec(funding.decider)
bases = DeciderSpec(talent.decider)
activities = DeciderSpec(platform_activity.decider)

LISTED = PlatformServiceListed(service_id="s1", platform="technical", name="云计算平台", description="",
                               provider_name="上海浦东软件园", provider_kind="partner_company", listed_on=TODAY)


def test_a_service_is_listed_with_its_provider_once_and_withdrawn_once() -> None:
    cmd = platform_service.ListService(service_id="s1", platform="technical", name=" 云计算平台 ", description="",
                                       provider_name="上海浦东软件园", provider_kind="partner_company", now=NOW)
    catalogue.given([]).when(cmd).then([LISTED])
    catalogue.given([LISTED]).when(cmd).then_raises(code="service.already_listed")
    no_provider = platform_service.ListService(service_id="s1", platform="talent", name="x", description="",
                                               provider_name=" ", provider_kind="university", now=NOW)
    catalogue.given([]).when(no_provider).then_raises(InvalidCommand, code="service.provider_missing")
    withdraw = platform_service.WithdrawService(service_id="s1", now=NOW)
    withdrawn = PlatformServiceWithdrawn(service_id="s1", withdrawn_on=TODAY)
    catalogue.given([LISTED]).when(withdraw).then([withdrawn])
    catalogue.given([LISTED, withdrawn]).when(withdraw).then_raises(code="service.withdrawn")
    catalogue.given([]).when(withdraw).then_raises(NotFound, code="service.unknown")


def submit(**kw: object) -> service_request.SubmitRequest:
    base: dict[str, object] = {"request_id": "r1", "service_id": "s1", "enterprise_id": "e1", "description": "联合攻关",
                                   "platform": "technical", "service_offered": True, "enterprise_in_park": True,
                                   "open_request_exists": False, "now": NOW}
    base.update(kw)
    return service_request.SubmitRequest(**base)  # type: ignore[arg-type]


SUBMITTED = ServiceRequestSubmitted(request_id="r1", service_id="s1", platform="technical", enterprise_id="e1",
                                    description="联合攻关", submitted_on=TODAY)
IN_HAND = ServiceRequestAccepted(request_id="r1", accepted_on=TODAY)


def test_a_request_is_for_an_offered_service_by_an_enterprise_in_the_park_once_at_a_time() -> None:
    requests.given([]).when(submit()).then([SUBMITTED])
    requests.given([]).when(submit(platform=None, service_offered=False)).then_raises(NotFound, code="service.unknown")
    requests.given([]).when(submit(service_offered=False)).then_raises(code="service.withdrawn")
    requests.given([]).when(submit(enterprise_in_park=False)).then_raises(code="request.enterprise_not_in_park")
    requests.given([]).when(submit(open_request_exists=True)).then_raises(code="request.duplicate")


def test_a_request_is_accepted_then_completed_or_declined() -> None:
    accept = service_request.AcceptRequest(request_id="r1", now=NOW)
    complete = service_request.CompleteRequest(request_id="r1", outcome="效率提升30%", now=NOW)
    requests.given([SUBMITTED]).when(accept).then([IN_HAND])
    requests.given([SUBMITTED]).when(complete).then_raises(code="request.not_accepted")
    requests.given([SUBMITTED, IN_HAND]).when(complete).then(
        [ServiceRequestCompleted(request_id="r1", outcome="效率提升30%", completed_on=TODAY)])
    declined = ServiceRequestDeclined(request_id="r1", reason="超出范围", declined_on=TODAY)
    requests.given([SUBMITTED]).when(service_request.DeclineRequest(request_id="r1", reason="超出范围", now=NOW)).then(
        [declined])
    requests.given([SUBMITTED, declined]).when(accept).then_raises(code="request.finished")
    requests.given([SUBMITTED, IN_HAND]).when(accept).then_raises(code="request.already_accepted")


def apply(**kw: object) -> funding.SubmitApplication:
    base: dict[str, object] = {"kind": "seed_fund", "enterprise_id": "e1", "round": "2025", "amount_requested_fen": 500_000,
                                   "purpose": "样机", "enterprise_in_park": True, "now": NOW, "effective_on": date(2025, 6, 1)}
    base.update(kw)
    return funding.SubmitApplication(**base)  # type: ignore[arg-type]


APPLIED = ApplicationSubmitted(application_id="seed_fund-e1-2025", kind="seed_fund", enterprise_id="e1", round="2025",
                               amount_requested_fen=500_000, purpose="样机", submitted_on=date(2025, 6, 1))
REVIEWED = ApplicationReviewed(application_id="seed_fund-e1-2025", reviewer="评审委员会", opinion="建议支持",
                               recommended=True, reviewed_on=date(2025, 6, 10))


def decide(approved: bool = True, granted: int = 300_000) -> funding.DecideApplication:
    return funding.DecideApplication(application_id="seed_fund-e1-2025", approved=approved,
                                     amount_granted_fen=granted, reason="", now=NOW)


def test_an_enterprise_applies_once_per_kind_and_round() -> None:
    applications.given([]).when(apply()).then([APPLIED])
    applications.given([APPLIED]).when(apply()).then_raises(code="application.duplicate", field="round")
    applications.given([]).when(apply(amount_requested_fen=0)).then_raises(
        InvalidCommand, code="application.amount_not_positive")
    applications.given([]).when(apply(enterprise_in_park=False)).then_raises(code="application.enterprise_not_in_park")


def test_an_application_is_reviewed_before_it_is_decided() -> None:
    review = funding.ReviewApplication(application_id="seed_fund-e1-2025", reviewer="评审委员会", opinion="建议支持",
                                       recommended=True, now=NOW, effective_on=date(2025, 6, 10))
    applications.given([APPLIED]).when(review).then([REVIEWED])
    applications.given([APPLIED, REVIEWED]).when(review).then_raises(code="application.already_reviewed")
    applications.given([APPLIED]).when(decide()).then_raises(code="application.not_reviewed")


def test_nothing_is_granted_above_the_request() -> None:
    applications.given([APPLIED, REVIEWED]).when(decide(granted=600_000)).then_raises(
        code="application.grant_above_request", field="amount_granted_fen")
    applications.given([APPLIED, REVIEWED]).when(decide()).then([ApplicationDecided(
        application_id="seed_fund-e1-2025", kind="seed_fund", enterprise_id="e1", approved=True,
        amount_requested_fen=500_000, amount_granted_fen=300_000, reason="", decided_on=TODAY)])


def test_an_approval_grants_something_a_rejection_nothing_and_a_decision_is_final() -> None:
    applications.given([APPLIED, REVIEWED]).when(decide(granted=0)).then_raises(
        InvalidCommand, code="application.approved_without_amount")
    applications.given([APPLIED, REVIEWED]).when(decide(approved=False, granted=10)).then_raises(
        InvalidCommand, code="application.rejected_with_amount")
    rejected = applications.given([APPLIED, REVIEWED]).when(decide(approved=False, granted=0)).then([
        ApplicationDecided(application_id="seed_fund-e1-2025", kind="seed_fund", enterprise_id="e1", approved=False,
                           amount_requested_fen=500_000, amount_granted_fen=0, reason="", decided_on=TODAY)])
    applications.given([APPLIED, REVIEWED, *rejected]).when(decide()).then_raises(code="application.already_decided")


def test_an_internship_base_has_a_university_places_and_a_host_in_the_park() -> None:
    est = talent.EstablishBase(base_id="b1", university="河南科技大学", host_enterprise_id="e1", places=20,
                               host_in_park=True, now=NOW)
    established = InternshipBaseEstablished(base_id="b1", university="河南科技大学", host_enterprise_id="e1",
                                            places=20, established_on=TODAY)
    bases.given([]).when(est).then([established])
    bases.given([established]).when(est).then_raises(code="internship_base.exists")
    bad = talent.EstablishBase(base_id="b1", university="x", host_enterprise_id="e9", places=0, host_in_park=True,
                               now=NOW)
    bases.given([]).when(bad).then_raises(InvalidCommand, code="internship_base.no_places")
    gone = talent.EstablishBase(base_id="b1", university="x", host_enterprise_id="e9", places=5, host_in_park=False,
                                now=NOW)
    bases.given([]).when(gone).then_raises(code="internship_base.host_not_in_park")
    bases.given([]).when(talent.CloseBase(base_id="b1", reason="", now=NOW)).then_raises(
        NotFound, code="internship_base.not_open")


PLANNED = PlatformActivityPlanned(activity_id="a1", kind="roadshow", title="项目路演", planned_on=date(2025, 6, 15),
                                  partners=["某创投"])


def hold(**kw: object) -> platform_activity.HoldActivity:
    base: dict[str, object] = {"activity_id": "a1", "participant_enterprise_ids": ["e1", "e2", "e1"],
                                   "participants_in_park": ["e1", "e2"], "outside_participants": 12, "outcomes": "意向2项",
                                   "now": NOW, "held_on": date(2025, 6, 15)}
    base.update(kw)
    return platform_activity.HoldActivity(**base)  # type: ignore[arg-type]


def test_an_activity_is_planned_then_held_with_participants_on_or_after_its_day() -> None:
    activities.given([]).when(platform_activity.PlanActivity(
        activity_id="a1", kind="roadshow", title="项目路演", planned_on=date(2025, 6, 15), partners=["某创投", " "],
        now=NOW)).then([PLANNED])
    activities.given([PLANNED]).when(hold()).then([PlatformActivityHeld(
        activity_id="a1", kind="roadshow", held_on=date(2025, 6, 15), participant_enterprise_ids=["e1", "e2"],
        outside_participants=12, outcomes="意向2项")])
    activities.given([PLANNED]).when(hold(held_on=date(2025, 6, 14))).then_raises(
        InvalidCommand, code="activity.held_before_planned_day")


def test_participants_must_be_in_the_park_and_someone_must_take_part() -> None:
    activities.given([PLANNED]).when(hold(participants_in_park=["e1"])).then_raises(
        code="participants.not_in_park", field="participant_enterprise_ids")
    activities.given([PLANNED]).when(hold(participant_enterprise_ids=[], outside_participants=0)).then_raises(
        InvalidCommand, code="activity.no_participants")


def test_a_cancelled_activity_cannot_be_held_and_unknown_ones_are_not_found() -> None:
    cancelled = activities.given([PLANNED]).when(platform_activity.CancelActivity(
        activity_id="a1", reason="场地冲突", now=NOW)).then([platform_activity.PlatformActivityCancelled(
            activity_id="a1", reason="场地冲突", cancelled_on=TODAY)])
    activities.given([PLANNED, *cancelled]).when(hold()).then_raises(code="activity.finished")
    activities.given([]).when(hold()).then_raises(NotFound, code="activity.unknown")


def test_a_request_or_an_application_never_submitted_cannot_be_worked_on() -> None:
    requests.given([]).when(service_request.AcceptRequest(request_id="r9", now=NOW)).then_raises(
        NotFound, code="request.unknown", field="request_id")
    applications.given([]).when(funding.ReviewApplication(
        application_id="x9", reviewer="评审会", opinion="支持", recommended=True, now=NOW)).then_raises(
        NotFound, code="application.unknown", field="application_id")


def test_a_command_whose_time_has_no_zone_is_refused_rather_than_read_in_some_zone() -> None:
    naive = datetime(2025, 6, 20, 2, 0)
    requests.given([SUBMITTED]).when(service_request.AcceptRequest(request_id="r1", now=naive)).then_raises(
        InvalidCommand, code="time.naive", field="now")

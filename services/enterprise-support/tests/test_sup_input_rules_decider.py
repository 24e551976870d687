"""The remaining rules about the input itself and the order of steps, one Given/When/Then each."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.enterprise_support import (
    ApplicationSubmitted,
    InternshipBaseClosed,
    InternshipBaseEstablished,
    PlatformActivityPlanned,
    ServiceRequestAccepted,
    ServiceRequestSubmitted,
)
from redpark_enterprise_support.domain import (
    funding,
    platform_activity,
    platform_service,
    policy,
    quarterly,
    service_request,
    talent,
)
from redpark_platform.errors import InvalidCommand
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 20, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 20)
SUBMITTED = ServiceRequestSubmitted(request_id="r1", service_id="s1", platform="technical", enterprise_id="e1",
                                    description="", submitted_on=date(2025, 6, 10))
APPLIED = ApplicationSubmitted(application_id="seed_fund-e1-2025", kind="seed_fund", enterprise_id="e1",
                               round="2025", amount_requested_fen=100, purpose="", submitted_on=date(2025, 6, 10))


def test_a_service_needs_a_name() -> None:
    DeciderSpec(platform_service.decider).given([]).when(platform_service.ListService(
        service_id="s1", platform="finance", name=" ", description="", provider_name="园区", provider_kind="park",
        now=NOW)).then_raises(InvalidCommand, code="service.name_missing", field="name")


def test_a_request_is_submitted_once() -> None:
    DeciderSpec(service_request.decider).given([SUBMITTED]).when(service_request.SubmitRequest(
        request_id="r1", service_id="s1", enterprise_id="e1", description="", platform="technical",
        service_offered=True, enterprise_in_park=True, open_request_exists=False, now=NOW)).then_raises(
        code="request.already_submitted")


def test_a_request_is_completed_with_an_outcome_declined_with_a_reason_and_never_backdated() -> None:
    spec = DeciderSpec(service_request.decider)
    accepted = ServiceRequestAccepted(request_id="r1", accepted_on=date(2025, 6, 12))
    spec.given([SUBMITTED, accepted]).when(service_request.CompleteRequest(
        request_id="r1", outcome=" ", now=NOW)).then_raises(InvalidCommand, code="request.outcome_missing")
    spec.given([SUBMITTED]).when(service_request.DeclineRequest(request_id="r1", reason="", now=NOW)).then_raises(
        InvalidCommand, code="request.reason_missing")
    spec.given([SUBMITTED]).when(service_request.AcceptRequest(
        request_id="r1", now=NOW, effective_on=date(2025, 6, 9))).then_raises(
        InvalidCommand, code="request.date_before_previous_step")


def test_an_application_names_its_round_and_a_review_its_reviewer_and_opinion() -> None:
    spec = DeciderSpec(funding.decider)
    spec.given([]).when(funding.SubmitApplication(
        kind="guaranteed_loan", enterprise_id="e1", round=" ", amount_requested_fen=100, purpose="",
        enterprise_in_park=True, now=NOW)).then_raises(InvalidCommand, code="application.round_missing")
    spec.given([APPLIED]).when(funding.ReviewApplication(
        application_id="seed_fund-e1-2025", reviewer="", opinion="", recommended=True, now=NOW)).then_raises(
        InvalidCommand, code="application.review_incomplete")
    spec.given([APPLIED]).when(funding.ReviewApplication(
        application_id="seed_fund-e1-2025", reviewer="评审会", opinion="支持", recommended=True, now=NOW,
        effective_on=date(2025, 6, 1))).then_raises(InvalidCommand, code="application.date_before_previous_step")


def test_an_internship_base_names_its_university_and_closes_once() -> None:
    spec = DeciderSpec(talent.decider)
    spec.given([]).when(talent.EstablishBase(base_id="b1", university=" ", host_enterprise_id=None, places=5,
                                             host_in_park=True, now=NOW)).then_raises(
        InvalidCommand, code="internship_base.university_missing")
    established = InternshipBaseEstablished(base_id="b1", university="河南科技大学", host_enterprise_id=None, places=5,
                                            established_on=date(2025, 1, 1))
    close = talent.CloseBase(base_id="b1", reason="合作期满", now=NOW)
    closed = InternshipBaseClosed(base_id="b1", closed_on=TODAY, reason="合作期满")
    spec.given([established]).when(close).then([closed])
    spec.given([established, closed]).when(close).then_raises(code="internship_base.not_open")


def test_an_activity_is_planned_once_with_a_title() -> None:
    spec = DeciderSpec(platform_activity.decider)
    plan = platform_activity.PlanActivity(activity_id="a1", kind="summit", title=" ", planned_on=TODAY, partners=[],
                                          now=NOW)
    spec.given([]).when(plan).then_raises(InvalidCommand, code="activity.title_missing")
    planned = PlatformActivityPlanned(activity_id="a1", kind="summit", title="峰会", planned_on=TODAY, partners=[])
    spec.given([planned]).when(plan).then_raises(code="activity.exists")


def test_a_policy_and_a_quarterly_need_a_title() -> None:
    DeciderSpec(policy.policy_decider).given([]).when(policy.PublishPolicy(
        policy_id="p1", title="", summary="", issuer="", applies_to=["any_enterprise"], now=NOW)).then_raises(
        InvalidCommand, code="policy.title_missing")
    DeciderSpec(quarterly.decider).given([]).when(quarterly.PlanQuarterly(
        kind="team_building", quarter="2025-Q2", title=" ", now=NOW)).then_raises(
        InvalidCommand, code="quarterly.title_missing")

"""四个平台: the catalogue of services (technical, talent, finance, resource sharing) and requests
for them; seed-fund, government-funding and guaranteed-loan applications; internship bases;
talent fairs and resource-sharing meetings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Query

from redpark_contracts.enterprise_support import ActivityKind, ApplicationKind, Platform, ProviderKind
from redpark_platform.clock import new_id
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, Dated, accepted
from redpark_platform.web.paging import Page, Paging

from .. import queries
from ..domain import funding, service_request
from .deps import FreshSupport, Reader, Reason, Staff, Support

router = APIRouter(tags=["platforms"])


class NewService(msgspec.Struct, frozen=True, kw_only=True):
    platform: Platform
    name: str
    provider_name: str
    provider_kind: ProviderKind
    description: str = ""
    service_id: Id | None = None
    effective_on: date | None = None


class NewRequest(msgspec.Struct, frozen=True, kw_only=True):
    service_id: Id
    enterprise_id: Id
    description: str = ""
    request_id: Id | None = None
    effective_on: date | None = None


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    outcome: str
    effective_on: date | None = None


class NewApplication(msgspec.Struct, frozen=True, kw_only=True):
    kind: ApplicationKind
    enterprise_id: Id
    round: str
    amount_requested_fen: Annotated[int, msgspec.Meta(ge=0, le=10**12)]
    purpose: str = ""
    effective_on: date | None = None


class Review(msgspec.Struct, frozen=True, kw_only=True):
    reviewer: str
    opinion: str
    recommended: bool
    effective_on: date | None = None


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    approved: bool
    amount_granted_fen: Annotated[int, msgspec.Meta(ge=0, le=10**12)]
    reason: str = ""
    effective_on: date | None = None


class NewInternshipBase(msgspec.Struct, frozen=True, kw_only=True):
    university: str
    places: Annotated[int, msgspec.Meta(ge=0, le=100000)]
    host_enterprise_id: Id | None = None
    base_id: Id | None = None
    effective_on: date | None = None


class NewActivity(msgspec.Struct, frozen=True, kw_only=True):
    kind: ActivityKind
    title: str
    planned_on: date
    partners: list[str] = []
    activity_id: Id | None = None


class Held(msgspec.Struct, frozen=True, kw_only=True):
    participant_enterprise_ids: list[Id]
    outside_participants: Annotated[int, msgspec.Meta(ge=0, le=100000)] = 0
    outcomes: str = ""
    held_on: date | None = None


# --- catalogue and requests -----------------------------------------------------------------


@router.post("/services", status_code=201, responses=response_schema(Accepted, status=201), dependencies=[Idempotent],
             summary="List a service of one of the four platforms, with its provider")
async def list_service(body: Annotated[NewService, Body(NewService, example=NewService(
        platform="technical", name="云计算公共技术服务平台", provider_name="上海浦东软件园",
        provider_kind="partner_company"))],
        support: Support, who: Staff) -> MsgspecResponse:
    service_id = body.service_id or new_id()
    return accepted(await support.list_service(
        service_id=service_id, platform=body.platform, name=body.name, description=body.description,
        provider_name=body.provider_name, provider_kind=body.provider_kind, on=body.effective_on), service_id, 201)


@router.post("/services/{service_id}/withdrawal", responses=response_schema(Accepted),
             summary="Withdraw a service from the catalogue")
async def withdraw_service(service_id: Id, body: Annotated[Dated, Body(Dated, example=Dated())], support: Support,
                           who: Staff) -> MsgspecResponse:
    return accepted(await support.withdraw_service(service_id, body.effective_on), service_id)


@router.get("/services", responses=response_schema(Page[queries.ServiceRow]),
            summary="The platforms' catalogue")
async def catalogue(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                    platform: Annotated[Platform | None, Query()] = None) -> MsgspecResponse:
    return MsgspecResponse(await queries.services(support.pool, platform, paging=paging))


@router.post("/service-requests", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="An enterprise requests a platform service")
async def submit_request(body: Annotated[NewRequest, Body(NewRequest, example=NewRequest(
        service_id="s1", enterprise_id="e1", description="运动控制算法联合攻关"))], support: Support,
        who: Staff) -> MsgspecResponse:
    request_id = body.request_id or new_id()
    return accepted(await support.submit_request(request_id=request_id, service_id=body.service_id,
                                                 enterprise_id=body.enterprise_id, description=body.description,
                                                 on=body.effective_on), request_id, 201)


@router.post("/service-requests/{request_id}/acceptance", responses=response_schema(Accepted),
             summary="Accept a service request")
async def accept_request(request_id: Id, body: Annotated[Dated, Body(Dated, example=Dated())], support: Support,
                         who: Staff) -> MsgspecResponse:
    return accepted(await support.request_command(request_id, service_request.AcceptRequest(
        request_id=request_id, now=support.now(), effective_on=body.effective_on)), request_id)


@router.post("/service-requests/{request_id}/completion", responses=response_schema(Accepted),
             summary="Complete a service request with its outcome")
async def complete_request(request_id: Id, body: Annotated[Outcome, Body(Outcome, example=Outcome(
        outcome="完成算法优化，效率提升30%"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.request_command(request_id, service_request.CompleteRequest(
        request_id=request_id, outcome=body.outcome, now=support.now(), effective_on=body.effective_on)), request_id)


@router.post("/service-requests/{request_id}/decline", responses=response_schema(Accepted),
             summary="Decline a service request with the reason")
async def decline_request(request_id: Id, body: Annotated[Reason, Body(Reason, example=Reason(
        reason="超出平台服务范围"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.request_command(request_id, service_request.DeclineRequest(
        request_id=request_id, reason=body.reason, now=support.now(), effective_on=body.effective_on)), request_id)


@router.get("/service-requests", responses=response_schema(Page[queries.RequestRow]), summary="Service requests")
async def list_requests(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                        status: Annotated[Literal["submitted", "accepted", "completed", "declined"] | None,
                                          Query()] = None) -> MsgspecResponse:
    return MsgspecResponse(await queries.requests(support.pool, status, paging=paging))


# --- finance: applications ------------------------------------------------------------------


@router.post("/applications", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent],
             summary="A seed-fund application, or help with a government-funding or guaranteed-loan application")
async def submit_application(body: Annotated[NewApplication, Body(NewApplication, example=NewApplication(
        kind="seed_fund", enterprise_id="e1", round="2025", amount_requested_fen=50_000_000,
        purpose="智能装备样机研制"))], support: Support, who: Staff) -> MsgspecResponse:
    application_id, result = await support.submit_application(
        kind=body.kind, enterprise_id=body.enterprise_id, round_=body.round,
        amount_requested_fen=body.amount_requested_fen, purpose=body.purpose, on=body.effective_on)
    return accepted(result, application_id, 201)


@router.post("/applications/{application_id}/review", responses=response_schema(Accepted),
             summary="Review an application")
async def review_application(application_id: Id, body: Annotated[Review, Body(Review, example=Review(
        reviewer="种子资金评审委员会", opinion="技术路线清晰，建议支持", recommended=True))], support: Support,
        who: Staff) -> MsgspecResponse:
    return accepted(await support.application_command(application_id, funding.ReviewApplication(
        application_id=application_id, reviewer=body.reviewer, opinion=body.opinion, recommended=body.recommended,
        now=support.now(), effective_on=body.effective_on)), application_id)


@router.post("/applications/{application_id}/decision", responses=response_schema(Accepted),
             summary="Decide an application (never above the amount requested)")
async def decide_application(application_id: Id, body: Annotated[Decision, Body(Decision, example=Decision(
        approved=True, amount_granted_fen=30_000_000, reason="按评审意见支持"))], support: Support,
        who: Staff) -> MsgspecResponse:
    return accepted(await support.application_command(application_id, funding.DecideApplication(
        application_id=application_id, approved=body.approved, amount_granted_fen=body.amount_granted_fen,
        reason=body.reason, now=support.now(), effective_on=body.effective_on)), application_id)


@router.get("/applications", responses=response_schema(Page[queries.ApplicationRow]), summary="Applications")
async def list_applications(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                            kind: Annotated[ApplicationKind | None, Query()] = None) -> MsgspecResponse:
    return MsgspecResponse(await queries.applications(support.pool, kind, paging=paging))


# --- talent: internship bases; talent fairs and resource sharing: activities ---------------


@router.post("/internship-bases", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent], summary="Establish a university internship base")
async def establish_base(body: Annotated[NewInternshipBase, Body(NewInternshipBase, example=NewInternshipBase(
        university="河南科技大学", places=20))], support: Support, who: Staff) -> MsgspecResponse:
    base_id = body.base_id or new_id()
    return accepted(await support.establish_internship_base(
        base_id=base_id, university=body.university, host_enterprise_id=body.host_enterprise_id, places=body.places,
        on=body.effective_on), base_id, 201)


@router.post("/internship-bases/{base_id}/closure", responses=response_schema(Accepted),
             summary="Close an internship base")
async def close_base(base_id: Id, body: Annotated[Reason, Body(Reason, example=Reason(reason="合作期满"))],
                     support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.close_internship_base(base_id, body.reason, body.effective_on), base_id)


@router.get("/internship-bases", responses=response_schema(Page[queries.InternshipBaseRow]),
            summary="Internship bases")
async def list_bases(support: Support, who: Reader, fresh: FreshSupport, paging: Paging) -> MsgspecResponse:
    return MsgspecResponse(await queries.internship_bases(support.pool, paging=paging))


@router.post("/activities", status_code=201, responses=response_schema(Accepted, status=201),
             dependencies=[Idempotent],
             summary="Plan a talent fair, matchmaking, summit, roadshow, founder salon or angel meeting")
async def plan_activity(body: Annotated[NewActivity, Body(NewActivity, example=NewActivity(
        kind="roadshow", title="智能制造项目路演", planned_on=date(2025, 9, 20), partners=["某创投基金"]))],
        support: Support, who: Staff) -> MsgspecResponse:
    activity_id = body.activity_id or new_id()
    return accepted(await support.plan_activity(activity_id=activity_id, kind=body.kind, title=body.title,
                                                planned_on=body.planned_on, partners=body.partners), activity_id, 201)


@router.post("/activities/{activity_id}/held", responses=response_schema(Accepted),
             summary="Record an activity as held, with participants and outcomes")
async def hold_activity(activity_id: Id, body: Annotated[Held, Body(Held, example=Held(
        participant_enterprise_ids=["e1", "e2"], outside_participants=12, outcomes="达成投资意向2项"))],
        support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.hold_activity(
        activity_id=activity_id, participant_enterprise_ids=body.participant_enterprise_ids,
        outside_participants=body.outside_participants, outcomes=body.outcomes, on=body.held_on), activity_id)


@router.post("/activities/{activity_id}/cancellation", responses=response_schema(Accepted),
             summary="Cancel a planned activity")
async def cancel_activity(activity_id: Id, body: Annotated[Reason, Body(Reason, example=Reason(reason="场地冲突"))],
                          support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.cancel_activity(activity_id, body.reason), activity_id)


@router.get("/activities", responses=response_schema(Page[queries.ActivityRow]), summary="Platform activities")
async def list_activities(support: Support, who: Reader, fresh: FreshSupport, paging: Paging,
                          kind: Annotated[ActivityKind | None, Query()] = None) -> MsgspecResponse:
    return MsgspecResponse(await queries.activities(support.pool, kind, paging=paging))

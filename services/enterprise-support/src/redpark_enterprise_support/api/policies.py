"""老任说: policies and the briefings every enterprise in the park is owed, delivered or not."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Query

from redpark_contracts.enterprise_support import BriefingChannel, EnterpriseCategory
from redpark_platform.clock import new_id
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, Dated, accepted
from redpark_platform.web.paging import Page, Paging

from .. import queries
from .deps import FreshBriefings, Reader, Staff, Support

router = APIRouter(tags=["policy briefings"])


class NewPolicy(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    applies_to: list[EnterpriseCategory]
    summary: str = ""
    issuer: str = ""
    policy_id: Id | None = None
    effective_on: date | None = None


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    channel: BriefingChannel
    effective_on: date | None = None


@router.post("/policies", status_code=201, responses=response_schema(Accepted, status=201), dependencies=[Idempotent],
             summary="Publish a policy: every enterprise in the park of its categories is owed a briefing")
async def publish_policy(body: Annotated[NewPolicy, Body(NewPolicy, example=NewPolicy(
        title="高新技术企业认定奖励", applies_to=["tech_enterprise"], summary="首次认定奖励20万元",
        issuer="市科技局"))],
        support: Support, who: Staff) -> MsgspecResponse:
    policy_id = body.policy_id or new_id()
    return accepted(await support.publish_policy(policy_id=policy_id, title=body.title, summary=body.summary,
                                                 issuer=body.issuer, applies_to=body.applies_to,
                                                 on=body.effective_on), policy_id, 201)


@router.post("/policies/{policy_id}/retirement", responses=response_schema(Accepted),
             summary="Retire a policy: its undelivered briefings are no longer owed")
async def retire_policy(policy_id: Id, body: Annotated[Dated, Body(Dated, example=Dated())], support: Support,
                        who: Staff) -> MsgspecResponse:
    return accepted(await support.retire_policy(policy_id, body.effective_on), policy_id)


@router.get("/policies", responses=response_schema(Page[queries.PolicyRow]),
            summary="Policies with how many briefings are owed and delivered")
async def list_policies(support: Support, who: Reader, fresh: FreshBriefings, paging: Paging) -> MsgspecResponse:
    return MsgspecResponse(await queries.policies(support.pool, paging=paging))


@router.get("/briefings", responses=response_schema(Page[queries.BriefingRow]),
            summary="Briefings owed to enterprises in the park, delivered or not")
async def list_briefings(support: Support, who: Reader, fresh: FreshBriefings, paging: Paging,
                         enterprise_id: Id | None = None,
                         policy_id: Id | None = None, pending: Annotated[bool, Query()] = False) -> MsgspecResponse:
    return MsgspecResponse(await queries.briefings(support.pool, paging=paging,
                                                   enterprise_id=enterprise_id, policy_id=policy_id,
                                                   pending_only=pending))


@router.post("/policies/{policy_id}/briefings/{enterprise_id}", responses=response_schema(Accepted),
             summary="Record a briefing as delivered to the enterprise")
async def deliver_briefing(policy_id: Id, enterprise_id: Id, body: Annotated[Delivery, Body(
        Delivery, example=Delivery(channel="visit"))], support: Support, who: Staff) -> MsgspecResponse:
    return accepted(await support.deliver_briefing(policy_id=policy_id, enterprise_id=enterprise_id,
                                                   channel=body.channel, delivered_by=who.subject,
                                                   on=body.effective_on), f"{policy_id}/{enterprise_id}")



"""The application layer: gather the facts a command needs, run the decider, store the events.

Facts owned by this service's other streams are read from those streams (strongly consistent).
Facts about the park (is the enterprise in it, since when, is a branch active) come from the
read model of the organization's published events: this service never calls the organization
service. That model trails the organization by the time its events take to arrive, so an
enterprise that moved in a moment ago may still be refused as "not in the park"; a retry a
moment later succeeds. Counts over many streams (visits this year, open requests) come from
this service's read models and trail its own store by milliseconds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from redpark_contracts.enterprise_support import (
    ActivityKind,
    ApplicationKind,
    BriefingChannel,
    ContactKind,
    EnterpriseCategory,
    HelpCategory,
    NeedCategory,
    Platform,
    PlatformServiceListed,
    ProviderKind,
    QuarterlyKind,
    Urgency,
)
from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from . import queries
from .domain import (
    contact_point,
    funding,
    help_plan,
    need,
    platform_activity,
    platform_service,
    policy,
    quarterly,
    service_request,
    talent,
    visit,
)

EXTRA_KEY = "enterprise_support"


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass
class EnterpriseSupport(ApplicationLayer):
    """What the routes use, kept in `runtime.extras["enterprise_support"]`."""

    extras_key = EXTRA_KEY

    async def _in_park(self, enterprise_id: str) -> bool:
        return await queries.in_park_since(self.pool, enterprise_id) is not None

    # --- contact points, visits, help plans --------------------------------------------------

    async def assign_contact_point(self, *, enterprise_id: str, contact_kind: ContactKind, contact_id: str,
                                   contact_name: str, on: date | None) -> AppendResult:
        active = contact_kind == "branch" and await queries.branch_active(self.pool, contact_id.strip())
        return await self._execute(contact_point.stream_id(enterprise_id), contact_point.decider,
                                   contact_point.AssignContactPoint(
                                       enterprise_id=enterprise_id, contact_kind=contact_kind, contact_id=contact_id,
                                       contact_name=contact_name,
                                       in_park_since=await queries.in_park_since(self.pool, enterprise_id),
                                       branch_active=active, now=utcnow(), effective_on=on))

    async def release_contact_point(self, enterprise_id: str, reason: str, on: date | None) -> AppendResult:
        return await self._execute(contact_point.stream_id(enterprise_id), contact_point.decider,
                                   contact_point.ReleaseContactPoint(enterprise_id=enterprise_id, reason=reason,
                                                                     now=utcnow(), effective_on=on))

    async def record_visit(self, *, visit_id: str, enterprise_id: str, visitors: list[str], findings: str,
                           recorded_by: str, on: date | None) -> AppendResult:
        return await self._execute(visit.stream_id(visit_id), visit.decider, visit.RecordVisit(
            visit_id=visit_id, enterprise_id=enterprise_id, visitors=visitors, findings=findings,
            recorded_by=recorded_by, in_park_since=await queries.in_park_since(self.pool, enterprise_id),
            now=utcnow(), visited_on=on))

    async def adopt_help_plan(self, *, enterprise_id: str, year: int, category: HelpCategory, measures: list[str],
                              on: date | None) -> AppendResult:
        return await self._execute(help_plan.stream_id(enterprise_id, year), help_plan.decider, help_plan.AdoptHelpPlan(
            enterprise_id=enterprise_id, year=year, category=category, measures=measures,
            enterprise_in_park=await self._in_park(enterprise_id),
            visits_this_year=await queries.visits_in_year(self.pool, enterprise_id, year), now=utcnow(),
            effective_on=on))

    # --- needs -------------------------------------------------------------------------------

    async def raise_need(self, *, need_id: str, enterprise_id: str, category: NeedCategory, urgency: Urgency,
                         description: str, raised_by_name: str, raised_by_phone: str, on: date | None) -> AppendResult:
        return await self._execute(need.stream_id(need_id), need.decider, need.RaiseNeed(
            need_id=need_id, enterprise_id=enterprise_id, category=category, urgency=urgency, description=description,
            raised_by_id=new_id(), raised_by_name=raised_by_name, raised_by_phone=raised_by_phone,
            enterprise_in_park=await self._in_park(enterprise_id), now=utcnow(), effective_on=on))

    async def need_command(self, need_id: str, command: need.NeedCommand) -> AppendResult:
        return await self._execute(need.stream_id(need_id), need.decider, command)

    async def need_contact_phone(self, need_id: str) -> str | None:
        """The phone of whoever raised the need, opened from the store (sealed there; 已删除 once
        the person is forgotten); None when the need does not exist."""
        read = await self.runtime.store.read_stream(need.stream_id(need_id))
        for rec in read.events:
            if isinstance(rec.event, need.NeedRaised):
                phone: str = rec.event.raised_by_phone
                return phone
        return None

    # --- the four platforms ------------------------------------------------------------------

    async def list_service(self, *, service_id: str, platform: Platform, name: str, description: str,
                           provider_name: str, provider_kind: ProviderKind, on: date | None) -> AppendResult:
        return await self._execute(platform_service.stream_id(service_id), platform_service.decider,
                                   platform_service.ListService(
                                       service_id=service_id, platform=platform, name=name, description=description,
                                       provider_name=provider_name, provider_kind=provider_kind, now=utcnow(),
                                       effective_on=on))

    async def withdraw_service(self, service_id: str, on: date | None) -> AppendResult:
        return await self._execute(platform_service.stream_id(service_id), platform_service.decider,
                                   platform_service.WithdrawService(service_id=service_id, now=utcnow(),
                                                                    effective_on=on))

    async def submit_request(self, *, request_id: str, service_id: str, enterprise_id: str, description: str,
                             on: date | None) -> AppendResult:
        read = await self.runtime.store.read_stream(platform_service.stream_id(service_id))
        state = platform_service.decider.fold([e.event for e in read.events])
        listed = next((e.event for e in read.events if isinstance(e.event, PlatformServiceListed)), None)
        return await self._execute(service_request.stream_id(request_id), service_request.decider,
                                   service_request.SubmitRequest(
                                       request_id=request_id, service_id=service_id, enterprise_id=enterprise_id,
                                       description=description, platform=listed.platform if listed else None,
                                       service_offered=isinstance(state, platform_service.Offered),
                                       enterprise_in_park=await self._in_park(enterprise_id),
                                       open_request_exists=await queries.open_request_exists(
                                           self.pool, enterprise_id, service_id),
                                       now=utcnow(), effective_on=on))

    async def request_command(self, request_id: str, command: service_request.RequestCommand) -> AppendResult:
        return await self._execute(service_request.stream_id(request_id), service_request.decider, command)

    async def submit_application(self, *, kind: ApplicationKind, enterprise_id: str, round_: str,
                                 amount_requested_fen: int, purpose: str, on: date | None) -> tuple[str, AppendResult]:
        application_id = funding.application_id(kind, enterprise_id, round_)
        result = await self._execute(funding.stream_id(application_id), funding.decider, funding.SubmitApplication(
            kind=kind, enterprise_id=enterprise_id, round=round_, amount_requested_fen=amount_requested_fen,
            purpose=purpose, enterprise_in_park=await self._in_park(enterprise_id), now=utcnow(), effective_on=on))
        return application_id, result

    async def application_command(self, application_id: str, command: funding.ApplicationCommand) -> AppendResult:
        return await self._execute(funding.stream_id(application_id), funding.decider, command)

    async def establish_internship_base(self, *, base_id: str, university: str, host_enterprise_id: str | None,
                                        places: int, on: date | None) -> AppendResult:
        host_ok = host_enterprise_id is None or await self._in_park(host_enterprise_id)
        return await self._execute(talent.stream_id(base_id), talent.decider, talent.EstablishBase(
            base_id=base_id, university=university, host_enterprise_id=host_enterprise_id, places=places,
            host_in_park=host_ok, now=utcnow(), effective_on=on))

    async def close_internship_base(self, base_id: str, reason: str, on: date | None) -> AppendResult:
        return await self._execute(talent.stream_id(base_id), talent.decider,
                                   talent.CloseBase(base_id=base_id, reason=reason, now=utcnow(), effective_on=on))

    async def plan_activity(self, *, activity_id: str, kind: ActivityKind, title: str, planned_on: date,
                            partners: list[str]) -> AppendResult:
        return await self._execute(platform_activity.stream_id(activity_id), platform_activity.decider,
                                   platform_activity.PlanActivity(activity_id=activity_id, kind=kind, title=title,
                                                                  planned_on=planned_on, partners=partners,
                                                                  now=utcnow()))

    async def hold_activity(self, *, activity_id: str, participant_enterprise_ids: list[str],
                            outside_participants: int, outcomes: str, on: date | None) -> AppendResult:
        return await self._execute(platform_activity.stream_id(activity_id), platform_activity.decider,
                                   platform_activity.HoldActivity(
                                       activity_id=activity_id, participant_enterprise_ids=participant_enterprise_ids,
                                       participants_in_park=await queries.in_park_among(
                                           self.pool, participant_enterprise_ids),
                                       outside_participants=outside_participants, outcomes=outcomes, now=utcnow(),
                                       held_on=on))

    async def cancel_activity(self, activity_id: str, reason: str) -> AppendResult:
        return await self._execute(platform_activity.stream_id(activity_id), platform_activity.decider,
                                   platform_activity.CancelActivity(activity_id=activity_id, reason=reason,
                                                                    now=utcnow()))

    # --- policy briefings --------------------------------------------------------------------

    async def publish_policy(self, *, policy_id: str, title: str, summary: str, issuer: str,
                             applies_to: list[EnterpriseCategory], on: date | None) -> AppendResult:
        return await self._execute(policy.stream_id(policy_id), policy.policy_decider, policy.PublishPolicy(
            policy_id=policy_id, title=title, summary=summary, issuer=issuer, applies_to=applies_to, now=utcnow(),
            effective_on=on))

    async def retire_policy(self, policy_id: str, on: date | None) -> AppendResult:
        return await self._execute(policy.stream_id(policy_id), policy.policy_decider,
                                   policy.RetirePolicy(policy_id=policy_id, now=utcnow(), effective_on=on))

    async def deliver_briefing(self, *, policy_id: str, enterprise_id: str, channel: BriefingChannel,
                               delivered_by: str, on: date | None) -> AppendResult:
        in_force = isinstance(await self._state(policy.stream_id(policy_id), policy.policy_decider), policy.InForce)
        return await self._execute(policy.briefing_stream_id(policy_id, enterprise_id), policy.briefing_decider,
                                   policy.DeliverBriefing(
                                       policy_id=policy_id, enterprise_id=enterprise_id, channel=channel,
                                       delivered_by=delivered_by, policy_in_force=in_force,
                                       owed=await queries.briefing_owed(self.pool, policy_id, enterprise_id),
                                       now=utcnow(), effective_on=on))

    # --- the four quarterlies ----------------------------------------------------------------

    async def plan_quarterly(self, kind: QuarterlyKind, quarter: str, title: str) -> AppendResult:
        return await self._execute(quarterly.stream_id(kind, quarter), quarterly.decider, quarterly.PlanQuarterly(
            kind=kind, quarter=quarter, title=title, now=utcnow()))

    async def hold_quarterly(self, *, kind: QuarterlyKind, quarter: str, title: str,
                             participant_enterprise_ids: list[str], outcomes: str, on: date | None) -> AppendResult:
        return await self._execute(quarterly.stream_id(kind, quarter), quarterly.decider, quarterly.HoldQuarterly(
            kind=kind, quarter=quarter, title=title, participant_enterprise_ids=participant_enterprise_ids,
            participants_in_park=await queries.in_park_among(self.pool, participant_enterprise_ids),
            outcomes=outcomes, now=utcnow(), held_on=on))

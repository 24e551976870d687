"""Commands of the four service platforms: services and requests, funding applications,
internship bases, activities."""

from __future__ import annotations

from datetime import date

from redpark_contracts.enterprise_support import (
    ActivityKind,
    ApplicationKind,
    Platform,
    PlatformServiceListed,
    ProviderKind,
)
from redpark_platform.store import AppendResult

from .. import queries
from ..domain import (
    funding,
    platform_activity,
    platform_service,
    service_request,
    talent,
)
from .layer import SupportLayer


class PlatformCommands(SupportLayer):
    async def list_service(self, *, service_id: str, platform: Platform, name: str, description: str,
                           provider_name: str, provider_kind: ProviderKind, on: date | None) -> AppendResult:
        return await self._execute(platform_service.stream_id(service_id), platform_service.decider,
                                   platform_service.ListService(
                                       service_id=service_id, platform=platform, name=name, description=description,
                                       provider_name=provider_name, provider_kind=provider_kind, now=self.now(),
                                       effective_on=on))

    async def withdraw_service(self, service_id: str, on: date | None) -> AppendResult:
        return await self._execute(platform_service.stream_id(service_id), platform_service.decider,
                                   platform_service.WithdrawService(service_id=service_id, now=self.now(),
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
                                       now=self.now(), effective_on=on))

    async def request_command(self, request_id: str, command: service_request.RequestCommand) -> AppendResult:
        return await self._execute(service_request.stream_id(request_id), service_request.decider, command)

    async def submit_application(self, *, kind: ApplicationKind, enterprise_id: str, round_: str,
                                 amount_requested_fen: int, purpose: str, on: date | None) -> tuple[str, AppendResult]:
        application_id = funding.application_id(kind, enterprise_id, round_)
        result = await self._execute(funding.stream_id(application_id), funding.decider, funding.SubmitApplication(
            kind=kind, enterprise_id=enterprise_id, round=round_, amount_requested_fen=amount_requested_fen,
            purpose=purpose, enterprise_in_park=await self._in_park(enterprise_id), now=self.now(), effective_on=on))
        return application_id, result

    async def application_command(self, application_id: str, command: funding.ApplicationCommand) -> AppendResult:
        return await self._execute(funding.stream_id(application_id), funding.decider, command)

    async def establish_internship_base(self, *, base_id: str, university: str, host_enterprise_id: str | None,
                                        places: int, on: date | None) -> AppendResult:
        host_ok = host_enterprise_id is None or await self._in_park(host_enterprise_id)
        return await self._execute(talent.stream_id(base_id), talent.decider, talent.EstablishBase(
            base_id=base_id, university=university, host_enterprise_id=host_enterprise_id, places=places,
            host_in_park=host_ok, now=self.now(), effective_on=on))

    async def close_internship_base(self, base_id: str, reason: str, on: date | None) -> AppendResult:
        return await self._execute(talent.stream_id(base_id), talent.decider,
                                   talent.CloseBase(base_id=base_id, reason=reason, now=self.now(), effective_on=on))

    async def plan_activity(self, *, activity_id: str, kind: ActivityKind, title: str, planned_on: date,
                            partners: list[str]) -> AppendResult:
        return await self._execute(platform_activity.stream_id(activity_id), platform_activity.decider,
                                   platform_activity.PlanActivity(activity_id=activity_id, kind=kind, title=title,
                                                                  planned_on=planned_on, partners=partners,
                                                                  now=self.now()))

    async def hold_activity(self, *, activity_id: str, participant_enterprise_ids: list[str],
                            outside_participants: int, outcomes: str, on: date | None) -> AppendResult:
        return await self._execute(platform_activity.stream_id(activity_id), platform_activity.decider,
                                   platform_activity.HoldActivity(
                                       activity_id=activity_id, participant_enterprise_ids=participant_enterprise_ids,
                                       participants_in_park=await queries.in_park_among(
                                           self.pool, participant_enterprise_ids),
                                       outside_participants=outside_participants, outcomes=outcomes, now=self.now(),
                                       held_on=on))

    async def cancel_activity(self, activity_id: str, reason: str) -> AppendResult:
        return await self._execute(platform_activity.stream_id(activity_id), platform_activity.decider,
                                   platform_activity.CancelActivity(activity_id=activity_id, reason=reason,
                                                                    now=self.now()))

"""Commands of policies and their briefings to the enterprises they apply to."""

from __future__ import annotations

from datetime import date

from redpark_contracts.enterprise_support import (
    BriefingChannel,
    EnterpriseCategory,
)
from redpark_platform.store import AppendResult

from .. import queries
from ..domain import (
    policy,
)
from .layer import SupportLayer


class PolicyCommands(SupportLayer):
    async def publish_policy(self, *, policy_id: str, title: str, summary: str, issuer: str,
                             applies_to: list[EnterpriseCategory], on: date | None) -> AppendResult:
        return await self._execute(policy.stream_id(policy_id), policy.policy_decider, policy.PublishPolicy(
            policy_id=policy_id, title=title, summary=summary, issuer=issuer, applies_to=applies_to, now=self.now(),
            effective_on=on))

    async def retire_policy(self, policy_id: str, on: date | None) -> AppendResult:
        return await self._execute(policy.stream_id(policy_id), policy.policy_decider,
                                   policy.RetirePolicy(policy_id=policy_id, now=self.now(), effective_on=on))

    async def deliver_briefing(self, *, policy_id: str, enterprise_id: str, channel: BriefingChannel,
                               delivered_by: str, on: date | None) -> AppendResult:
        in_force = isinstance(await self._state(policy.stream_id(policy_id), policy.policy_decider), policy.InForce)
        return await self._execute(policy.briefing_stream_id(policy_id, enterprise_id), policy.briefing_decider,
                                   policy.DeliverBriefing(
                                       policy_id=policy_id, enterprise_id=enterprise_id, channel=channel,
                                       delivered_by=delivered_by, policy_in_force=in_force,
                                       owed=await queries.briefing_owed(self.pool, policy_id, enterprise_id),
                                       now=self.now(), effective_on=on))

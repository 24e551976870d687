"""老任说: policies to brief enterprises on (stream `policy-<policy_id>`) and each briefing's
delivery (stream `briefing-<policy_id>-<enterprise_id>`).

Which enterprise is owed which briefing is a read model (projections/briefings): every enterprise
that moves in is owed the briefings of the published policies of its categories, and a newly
published policy is owed to every enterprise in the park of its categories. Delivering one is a
command whose facts come from that read model: `owed` (the enterprise is owed this policy's
briefing) and the policy's state from its stream.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec
from redpark_contracts.enterprise_support import (
    BriefingChannel,
    BriefingDelivered,
    EnterpriseCategory,
    PolicyPublished,
    PolicyRetired,
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date


def stream_id(policy_id: str) -> str:
    return f"policy-{policy_id}"


def briefing_stream_id(policy_id: str, enterprise_id: str) -> str:
    return f"briefing-{policy_id}-{enterprise_id}"


class PublishPolicy(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: str
    title: str
    summary: str
    issuer: str
    applies_to: list[EnterpriseCategory]
    now: datetime
    effective_on: date | None = None


class RetirePolicy(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: str
    now: datetime
    effective_on: date | None = None


PolicyCommand = PublishPolicy | RetirePolicy
PolicyEvent = PolicyPublished | PolicyRetired


class NoPolicy(msgspec.Struct, frozen=True, tag=True):
    pass


class InForce(msgspec.Struct, frozen=True, tag=True):
    published_on: date


class Retired(msgspec.Struct, frozen=True, tag=True):
    pass


PolicyState = NoPolicy | InForce | Retired


def decide_policy(command: PolicyCommand, state: PolicyState) -> list[PolicyEvent]:
    match command:
        case PublishPolicy():
            if not isinstance(state, NoPolicy):
                raise DomainError("policy.exists", f"policy {command.policy_id} was already published",
                                  detail_zh="该政策已发布", field="policy_id")
            if not command.title.strip():
                raise InvalidCommand("policy.title_missing", "a policy needs a title", detail_zh="请填写政策名称",
                                     field="title")
            applies_to = list(dict.fromkeys(command.applies_to))
            if not applies_to:
                raise InvalidCommand("policy.audience_missing", "say which enterprises the policy applies to",
                                     detail_zh="请选择适用的企业类别", field="applies_to")
            return [PolicyPublished(policy_id=command.policy_id, title=command.title.strip(),
                                    summary=command.summary.strip(), issuer=command.issuer.strip(),
                                    applies_to=applies_to,
                                    published_on=effective_date(command.effective_on, command.now))]
        case RetirePolicy():
            if not isinstance(state, InForce):
                raise NotFound("policy.not_in_force", f"policy {command.policy_id} is not in force",
                               detail_zh="该政策不存在或已废止", field="policy_id")
            return [PolicyRetired(policy_id=command.policy_id,
                                  retired_on=effective_date(command.effective_on, command.now))]
        case _:
            assert_never(command)


def evolve_policy(state: PolicyState, event: PolicyEvent) -> PolicyState:
    match event:
        case PolicyPublished():
            return InForce(published_on=event.published_on)
        case PolicyRetired():
            return Retired()
        case _:
            assert_never(event)


policy_decider: Decider[PolicyCommand, PolicyState, PolicyEvent] = Decider(
    initial=NoPolicy(), decide=decide_policy, evolve=evolve_policy)


class DeliverBriefing(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: str
    enterprise_id: str
    channel: BriefingChannel
    delivered_by: str
    policy_in_force: bool
    owed: bool
    now: datetime
    effective_on: date | None = None


BriefingCommand = DeliverBriefing
BriefingEvent = BriefingDelivered


class Undelivered(msgspec.Struct, frozen=True, tag=True):
    pass


class Delivered(msgspec.Struct, frozen=True, tag=True):
    delivered_on: date


BriefingState = Undelivered | Delivered


def decide_briefing(command: BriefingCommand, state: BriefingState) -> list[BriefingEvent]:
    match command:
        case DeliverBriefing():
            if isinstance(state, Delivered):
                raise DomainError("briefing.already_delivered",
                                  f"the briefing was delivered on {state.delivered_on.isoformat()}",
                                  detail_zh="该政策已向该企业宣讲", field="policy_id")
            if not command.policy_in_force:
                raise DomainError("briefing.policy_not_in_force", f"policy {command.policy_id} is not in force",
                                  detail_zh="该政策不存在或已废止", field="policy_id")
            if not command.owed:
                raise DomainError("briefing.not_applicable",
                                  f"policy {command.policy_id} does not apply to enterprise {command.enterprise_id} "
                                  "(or it is not in the park)", detail_zh="该政策不适用于该企业，或企业不在园区内",
                                  field="enterprise_id")
            return [BriefingDelivered(policy_id=command.policy_id, enterprise_id=command.enterprise_id,
                                      channel=command.channel, delivered_by=command.delivered_by,
                                      delivered_on=effective_date(command.effective_on, command.now))]
        case _:
            assert_never(command)


def evolve_briefing(state: BriefingState, event: BriefingEvent) -> BriefingState:
    match event:
        case BriefingDelivered():
            return Delivered(delivered_on=event.delivered_on)
        case _:
            assert_never(event)


briefing_decider: Decider[BriefingCommand, BriefingState, BriefingEvent] = Decider(
    initial=Undelivered(), decide=decide_briefing, evolve=evolve_briefing)

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
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


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
                raise ERRORS.error("policy.exists", field="policy_id", policy_id=command.policy_id)
            if not command.title.strip():
                raise ERRORS.error("policy.title_missing", field="title")
            applies_to = list(dict.fromkeys(command.applies_to))
            if not applies_to:
                raise ERRORS.error("policy.audience_missing", field="applies_to")
            return [PolicyPublished(policy_id=command.policy_id, title=command.title.strip(),
                                    summary=command.summary.strip(), issuer=command.issuer.strip(),
                                    applies_to=applies_to,
                                    published_on=effective_date(command.effective_on, command.now))]
        case RetirePolicy():
            if not isinstance(state, InForce):
                raise ERRORS.error("policy.not_in_force", field="policy_id", policy_id=command.policy_id)
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
                raise ERRORS.error("briefing.already_delivered", field="policy_id",
                                   delivered_on=state.delivered_on.isoformat())
            if not command.policy_in_force:
                raise ERRORS.error("briefing.policy_not_in_force", field="policy_id", policy_id=command.policy_id)
            if not command.owed:
                raise ERRORS.error("briefing.not_applicable", field="enterprise_id", policy_id=command.policy_id,
                                   enterprise_id=command.enterprise_id)
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

"""金融服务平台: a seed-fund application (科技创业种子资金), or the park's help with a
government-funding (大众创业扶持资金, 玉洛计划) or guaranteed-loan (小额担保贷款) application.

Stream `application-<kind>-<enterprise_id>-<round>`: one application per enterprise, kind and
round, so a duplicate is refused on its own stream. submitted → reviewed → decided; nothing is
granted above what was requested, and an approval grants something.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec
from redpark_contracts.enterprise_support import (
    ApplicationDecided,
    ApplicationKind,
    ApplicationReviewed,
    ApplicationSubmitted,
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date


def application_id(kind: ApplicationKind, enterprise_id: str, round_: str) -> str:
    return f"{kind}-{enterprise_id}-{round_}"


def stream_id(application_id_: str) -> str:
    return f"application-{application_id_}"


class SubmitApplication(msgspec.Struct, frozen=True, kw_only=True):
    kind: ApplicationKind
    enterprise_id: str
    round: str
    amount_requested_fen: int
    purpose: str
    enterprise_in_park: bool
    now: datetime
    effective_on: date | None = None


class ReviewApplication(msgspec.Struct, frozen=True, kw_only=True):
    application_id: str
    reviewer: str
    opinion: str
    recommended: bool
    now: datetime
    effective_on: date | None = None


class DecideApplication(msgspec.Struct, frozen=True, kw_only=True):
    application_id: str
    approved: bool
    amount_granted_fen: int
    reason: str
    now: datetime
    effective_on: date | None = None


ApplicationCommand = SubmitApplication | ReviewApplication | DecideApplication
ApplicationEvent = ApplicationSubmitted | ApplicationReviewed | ApplicationDecided


class NoApplication(msgspec.Struct, frozen=True, tag=True):
    pass


class Pending(msgspec.Struct, frozen=True, tag=True):
    kind: ApplicationKind
    enterprise_id: str
    amount_requested_fen: int
    last_on: date
    reviewed: bool


class Decided(msgspec.Struct, frozen=True, tag=True):
    approved: bool


ApplicationState = NoApplication | Pending | Decided


def _pending(state: ApplicationState, application_id: str) -> Pending:
    if isinstance(state, NoApplication):
        raise NotFound("application.unknown", f"application {application_id} does not exist",
                       detail_zh="该申请不存在", field="application_id")
    if isinstance(state, Decided):
        raise DomainError("application.already_decided", f"application {application_id} is already decided",
                          detail_zh="该申请已有决定", field="application_id")
    return state


def _on(state: Pending, given: date | None, now: datetime) -> date:
    on = effective_date(given, now)
    if on < state.last_on:
        raise InvalidCommand("application.date_before_previous_step",
                             f"{on.isoformat()} is before the previous step ({state.last_on.isoformat()})",
                             detail_zh="日期不能早于上一步办理日期", field="effective_on")
    return on


def decide(command: ApplicationCommand, state: ApplicationState) -> list[ApplicationEvent]:
    match command:
        case SubmitApplication():
            if not isinstance(state, NoApplication):
                raise DomainError("application.duplicate",
                                  f"enterprise {command.enterprise_id} already applied ({command.kind}, round "
                                  f"{command.round})", detail_zh="该企业本轮已提交过同类申请", field="round")
            on = effective_date(command.effective_on, command.now)
            if command.amount_requested_fen <= 0:
                raise InvalidCommand("application.amount_not_positive", "the amount requested must be above zero",
                                     detail_zh="申请金额必须大于零", field="amount_requested_fen")
            if not command.round.strip():
                raise InvalidCommand("application.round_missing", "name the round (e.g. the year)",
                                     detail_zh="请填写申报批次", field="round")
            if not command.enterprise_in_park:
                raise DomainError("application.enterprise_not_in_park",
                                  f"enterprise {command.enterprise_id} is not in the park",
                                  detail_zh="该企业不在园区内", field="enterprise_id")
            return [ApplicationSubmitted(
                application_id=application_id(command.kind, command.enterprise_id, command.round),
                kind=command.kind, enterprise_id=command.enterprise_id, round=command.round,
                amount_requested_fen=command.amount_requested_fen, purpose=command.purpose.strip(), submitted_on=on)]
        case ReviewApplication():
            pending = _pending(state, command.application_id)
            if pending.reviewed:
                raise DomainError("application.already_reviewed", f"application {command.application_id} is reviewed",
                                  detail_zh="该申请已评审", field="application_id")
            if not command.reviewer.strip() or not command.opinion.strip():
                raise InvalidCommand("application.review_incomplete", "a review names its reviewer and opinion",
                                     detail_zh="评审须填写评审人和评审意见", field="opinion")
            return [ApplicationReviewed(application_id=command.application_id, reviewer=command.reviewer.strip(),
                                        opinion=command.opinion.strip(), recommended=command.recommended,
                                        reviewed_on=_on(pending, command.effective_on, command.now))]
        case DecideApplication():
            pending = _pending(state, command.application_id)
            if not pending.reviewed:
                raise DomainError("application.not_reviewed",
                                  f"application {command.application_id} must be reviewed before it is decided",
                                  detail_zh="申请须先评审再决定", field="application_id")
            granted = command.amount_granted_fen
            if command.approved and granted <= 0:
                raise InvalidCommand("application.approved_without_amount", "an approval grants an amount above zero",
                                     detail_zh="批准须填写大于零的金额", field="amount_granted_fen")
            if not command.approved and granted != 0:
                raise InvalidCommand("application.rejected_with_amount", "a rejection grants nothing",
                                     detail_zh="未批准的申请金额应为零", field="amount_granted_fen")
            if granted > pending.amount_requested_fen:
                raise DomainError("application.grant_above_request",
                                  f"{granted} fen granted is above the {pending.amount_requested_fen} fen requested",
                                  detail_zh="批准金额不能高于申请金额", field="amount_granted_fen")
            return [ApplicationDecided(
                application_id=command.application_id, kind=pending.kind, enterprise_id=pending.enterprise_id,
                approved=command.approved, amount_requested_fen=pending.amount_requested_fen,
                amount_granted_fen=granted, reason=command.reason.strip(),
                decided_on=_on(pending, command.effective_on, command.now))]
        case _:
            assert_never(command)


def evolve(state: ApplicationState, event: ApplicationEvent) -> ApplicationState:
    match event:
        case ApplicationSubmitted():
            return Pending(kind=event.kind, enterprise_id=event.enterprise_id,
                           amount_requested_fen=event.amount_requested_fen, last_on=event.submitted_on, reviewed=False)
        case ApplicationReviewed():
            assert isinstance(state, Pending)
            return msgspec.structs.replace(state, reviewed=True, last_on=event.reviewed_on)
        case ApplicationDecided():
            return Decided(approved=event.approved)
        case _:
            assert_never(event)


decider: Decider[ApplicationCommand, ApplicationState, ApplicationEvent] = Decider(
    initial=NoApplication(), decide=decide, evolve=evolve)

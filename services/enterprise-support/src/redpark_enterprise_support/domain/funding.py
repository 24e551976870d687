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
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS


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
        raise ERRORS.error("application.unknown", field="application_id", application_id=application_id)
    if isinstance(state, Decided):
        raise ERRORS.error("application.already_decided", field="application_id", application_id=application_id)
    return state


def _on(state: Pending, given: date | None, now: datetime) -> date:
    on = effective_date(given, now)
    if on < state.last_on:
        raise ERRORS.error("application.date_before_previous_step", field="effective_on", on=on.isoformat(),
                           last_on=state.last_on.isoformat())
    return on


def decide(command: ApplicationCommand, state: ApplicationState) -> list[ApplicationEvent]:
    match command:
        case SubmitApplication():
            if not isinstance(state, NoApplication):
                raise ERRORS.error("application.duplicate", field="round", enterprise_id=command.enterprise_id,
                                   kind=command.kind, round=command.round)
            on = effective_date(command.effective_on, command.now)
            if command.amount_requested_fen <= 0:
                raise ERRORS.error("application.amount_not_positive", field="amount_requested_fen")
            if not command.round.strip():
                raise ERRORS.error("application.round_missing", field="round")
            if not command.enterprise_in_park:
                raise ERRORS.error("application.enterprise_not_in_park", field="enterprise_id",
                                   enterprise_id=command.enterprise_id)
            return [ApplicationSubmitted(
                application_id=application_id(command.kind, command.enterprise_id, command.round),
                kind=command.kind, enterprise_id=command.enterprise_id, round=command.round,
                amount_requested_fen=command.amount_requested_fen, purpose=command.purpose.strip(), submitted_on=on)]
        case ReviewApplication():
            pending = _pending(state, command.application_id)
            if pending.reviewed:
                raise ERRORS.error("application.already_reviewed", field="application_id",
                                   application_id=command.application_id)
            if not command.reviewer.strip() or not command.opinion.strip():
                raise ERRORS.error("application.review_incomplete", field="opinion")
            return [ApplicationReviewed(application_id=command.application_id, reviewer=command.reviewer.strip(),
                                        opinion=command.opinion.strip(), recommended=command.recommended,
                                        reviewed_on=_on(pending, command.effective_on, command.now))]
        case DecideApplication():
            pending = _pending(state, command.application_id)
            if not pending.reviewed:
                raise ERRORS.error("application.not_reviewed", field="application_id",
                                   application_id=command.application_id)
            granted = command.amount_granted_fen
            if command.approved and granted <= 0:
                raise ERRORS.error("application.approved_without_amount", field="amount_granted_fen")
            if not command.approved and granted != 0:
                raise ERRORS.error("application.rejected_with_amount", field="amount_granted_fen")
            if granted > pending.amount_requested_fen:
                raise ERRORS.error("application.grant_above_request", field="amount_granted_fen", granted=granted,
                                   amount_requested_fen=pending.amount_requested_fen)
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

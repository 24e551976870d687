"""An enterprise's request for a platform service (stream `service-request-<request_id>`):
submitted → accepted → completed, or declined while still open.

Facts in the command: the service's state (`service_offered`, its `platform`) read from its
stream, `enterprise_in_park` and `open_request_exists` (the same enterprise already has an open
request for the same service) from the read models.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec
from redpark_contracts.enterprise_support import (
    Platform,
    ServiceRequestAccepted,
    ServiceRequestCompleted,
    ServiceRequestDeclined,
    ServiceRequestSubmitted,
)
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date


def stream_id(request_id: str) -> str:
    return f"service-request-{request_id}"


class SubmitRequest(msgspec.Struct, frozen=True, kw_only=True):
    request_id: str
    service_id: str
    enterprise_id: str
    description: str
    platform: Platform | None  # None: no such service
    service_offered: bool
    enterprise_in_park: bool
    open_request_exists: bool
    now: datetime
    effective_on: date | None = None


class AcceptRequest(msgspec.Struct, frozen=True, kw_only=True):
    request_id: str
    now: datetime
    effective_on: date | None = None


class CompleteRequest(msgspec.Struct, frozen=True, kw_only=True):
    request_id: str
    outcome: str
    now: datetime
    effective_on: date | None = None


class DeclineRequest(msgspec.Struct, frozen=True, kw_only=True):
    request_id: str
    reason: str
    now: datetime
    effective_on: date | None = None


RequestCommand = SubmitRequest | AcceptRequest | CompleteRequest | DeclineRequest
RequestEvent = ServiceRequestSubmitted | ServiceRequestAccepted | ServiceRequestCompleted | ServiceRequestDeclined


class NoRequest(msgspec.Struct, frozen=True, tag=True):
    pass


class Submitted(msgspec.Struct, frozen=True, tag=True):
    submitted_on: date


class InHand(msgspec.Struct, frozen=True, tag=True):
    accepted_on: date


class Done(msgspec.Struct, frozen=True, tag=True):
    outcome: str  # "completed" or "declined"


RequestState = NoRequest | Submitted | InHand | Done


def _not_before(on: date, state: Submitted | InHand) -> date:
    last = state.submitted_on if isinstance(state, Submitted) else state.accepted_on
    if on < last:
        raise InvalidCommand("request.date_before_previous_step", f"{on.isoformat()} is before {last.isoformat()}",
                             detail_zh="日期不能早于上一步办理日期", field="effective_on")
    return on


def _live(state: RequestState, request_id: str) -> Submitted | InHand:
    if isinstance(state, NoRequest):
        raise NotFound("request.unknown", f"request {request_id} does not exist", detail_zh="该服务申请不存在",
                       field="request_id")
    if isinstance(state, Done):
        raise DomainError("request.finished", f"request {request_id} is already {state.outcome}",
                          detail_zh="该服务申请已办结", field="request_id")
    return state


def decide(command: RequestCommand, state: RequestState) -> list[RequestEvent]:
    match command:
        case SubmitRequest():
            if not isinstance(state, NoRequest):
                raise DomainError("request.already_submitted", f"request {command.request_id} already exists",
                                  detail_zh="该服务申请已提交", field="request_id")
            on = effective_date(command.effective_on, command.now)
            if command.platform is None:
                raise NotFound("service.unknown", f"service {command.service_id} is not in the catalogue",
                               detail_zh="该服务不存在", field="service_id")
            if not command.service_offered:
                raise DomainError("service.withdrawn", f"service {command.service_id} is no longer offered",
                                  detail_zh="该服务已下架", field="service_id")
            if not command.enterprise_in_park:
                raise DomainError("request.enterprise_not_in_park", f"enterprise {command.enterprise_id} is not in the park",
                                  detail_zh="该企业不在园区内", field="enterprise_id")
            if command.open_request_exists:
                raise DomainError("request.duplicate",
                                  f"enterprise {command.enterprise_id} already has an open request for this service",
                                  detail_zh="该企业对此服务已有未办结的申请", field="service_id")
            return [ServiceRequestSubmitted(request_id=command.request_id, service_id=command.service_id,
                                            platform=command.platform, enterprise_id=command.enterprise_id,
                                            description=command.description.strip(), submitted_on=on)]
        case AcceptRequest():
            live = _live(state, command.request_id)
            if isinstance(live, InHand):
                raise DomainError("request.already_accepted", f"request {command.request_id} is already accepted",
                                  detail_zh="该服务申请已受理", field="request_id")
            return [ServiceRequestAccepted(request_id=command.request_id, accepted_on=_not_before(
                effective_date(command.effective_on, command.now), live))]
        case CompleteRequest():
            live = _live(state, command.request_id)
            if isinstance(live, Submitted):
                raise DomainError("request.not_accepted", f"request {command.request_id} has not been accepted",
                                  detail_zh="该服务申请尚未受理", field="request_id")
            if not command.outcome.strip():
                raise InvalidCommand("request.outcome_missing", "record the outcome", detail_zh="请填写服务结果",
                                     field="outcome")
            return [ServiceRequestCompleted(request_id=command.request_id, outcome=command.outcome.strip(),
                                            completed_on=_not_before(
                                                effective_date(command.effective_on, command.now), live))]
        case DeclineRequest():
            live = _live(state, command.request_id)
            if not command.reason.strip():
                raise InvalidCommand("request.reason_missing", "say why the request is declined",
                                     detail_zh="请填写不予受理的原因", field="reason")
            return [ServiceRequestDeclined(request_id=command.request_id, reason=command.reason.strip(),
                                           declined_on=_not_before(
                                               effective_date(command.effective_on, command.now), live))]
        case _:
            assert_never(command)


def evolve(state: RequestState, event: RequestEvent) -> RequestState:
    match event:
        case ServiceRequestSubmitted():
            return Submitted(submitted_on=event.submitted_on)
        case ServiceRequestAccepted():
            return InHand(accepted_on=event.accepted_on)
        case ServiceRequestCompleted():
            return Done(outcome="completed")
        case ServiceRequestDeclined():
            return Done(outcome="declined")
        case _:
            assert_never(event)


decider: Decider[RequestCommand, RequestState, RequestEvent] = Decider(initial=NoRequest(), decide=decide,
                                                                       evolve=evolve)

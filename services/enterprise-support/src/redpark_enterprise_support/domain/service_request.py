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
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS, SECOND_WORDING


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
        raise ERRORS.error("request.date_before_previous_step", field="effective_on", on=on.isoformat(),
                           last=last.isoformat())
    return on


def _live(state: RequestState, request_id: str) -> Submitted | InHand:
    if isinstance(state, NoRequest):
        raise ERRORS.error("request.unknown", field="request_id", request_id=request_id)
    if isinstance(state, Done):
        raise ERRORS.error("request.finished", field="request_id", request_id=request_id, outcome=state.outcome)
    return state


def decide(command: RequestCommand, state: RequestState) -> list[RequestEvent]:
    match command:
        case SubmitRequest():
            if not isinstance(state, NoRequest):
                raise ERRORS.error("request.already_submitted", field="request_id", request_id=command.request_id)
            on = effective_date(command.effective_on, command.now)
            if command.platform is None:
                raise ERRORS.error("service.unknown", field="service_id", service_id=command.service_id)
            if not command.service_offered:
                raise SECOND_WORDING.error("service.withdrawn", field="service_id", service_id=command.service_id)
            if not command.enterprise_in_park:
                raise ERRORS.error("request.enterprise_not_in_park", field="enterprise_id",
                                   enterprise_id=command.enterprise_id)
            if command.open_request_exists:
                raise ERRORS.error("request.duplicate", field="service_id", enterprise_id=command.enterprise_id)
            return [ServiceRequestSubmitted(request_id=command.request_id, service_id=command.service_id,
                                            platform=command.platform, enterprise_id=command.enterprise_id,
                                            description=command.description.strip(), submitted_on=on)]
        case AcceptRequest():
            live = _live(state, command.request_id)
            if isinstance(live, InHand):
                raise ERRORS.error("request.already_accepted", field="request_id", request_id=command.request_id)
            return [ServiceRequestAccepted(request_id=command.request_id, accepted_on=_not_before(
                effective_date(command.effective_on, command.now), live))]
        case CompleteRequest():
            live = _live(state, command.request_id)
            if isinstance(live, Submitted):
                raise ERRORS.error("request.not_accepted", field="request_id", request_id=command.request_id)
            if not command.outcome.strip():
                raise ERRORS.error("request.outcome_missing", field="outcome")
            return [ServiceRequestCompleted(request_id=command.request_id, outcome=command.outcome.strip(),
                                            completed_on=_not_before(
                                                effective_date(command.effective_on, command.now), live))]
        case DeclineRequest():
            live = _live(state, command.request_id)
            if not command.reason.strip():
                raise ERRORS.error("request.reason_missing", field="reason")
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

"""Request and response bodies of the public-events API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from redpark_contracts.events_public import ActivityKind, RouteStop
from redpark_platform.web.bounded import Age, Count, Id, Instant, Phone, SmallCount

from ..queries.views import ActivityView

Text = Annotated[str, msgspec.Meta(max_length=200)]


class NewRegistration(msgspec.Struct, frozen=True, kw_only=True):
    """A public registration: no login, a mainland mobile number, the party and consent."""

    name: Annotated[str, msgspec.Meta(max_length=100)]
    phone: Phone
    adults: Annotated[int, msgspec.Meta(ge=0, le=20)] = 1
    children_ages: Annotated[
        list[Annotated[int, msgspec.Meta(ge=0, le=150)]], msgspec.Meta(max_length=20)
    ] = []
    consent: bool = False
    # A solved `GET /proof-of-work/challenge` (base64 of the ALTCHA JSON), when the activity asks for it.
    proof_of_work: Annotated[str, msgspec.Meta(max_length=1000)] | None = None
    # The code sent by `POST /sessions/{id}/phone-codes`, when the activity checks the phone, with
    # the `challenge_id` that answer gave.
    phone_code: Annotated[str, msgspec.Meta(max_length=12)] | None = None
    phone_challenge: Annotated[str, msgspec.Meta(max_length=64)] | None = None


class PhoneCodeRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Send a one-time code to this phone (sessions whose activity checks the phone)."""

    phone: Phone


class PhoneCodeSent(msgspec.Struct, frozen=True, kw_only=True):
    """A code is on its way: register with it and this `challenge_id` (as `phone_challenge`) before
    `expires_at`; another code may be asked for from `resend_after`."""

    challenge_id: str
    expires_at: datetime
    resend_after: datetime


class RegistrationAnswer(msgspec.Struct, frozen=True, kw_only=True):
    """Confirmed with a ticket code, or on the waiting list at a position."""

    position: int  # the event's position: pass it as `after` to read your own write
    session_id: str
    registration_id: str
    status: Literal["confirmed", "waitlisted"]
    ticket_code: str  # shown as ABCD-EFGH
    seats: int
    waitlist_position: int | None = None
    qr_url: str


class Cancellation(msgspec.Struct, frozen=True, kw_only=True):
    """Cancel with the ticket code and the phone number it was registered with."""

    ticket_code: Annotated[str, msgspec.Meta(max_length=20)]
    phone: Phone


class CancellationAnswer(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    registration_id: str
    promoted: int  # waiting parties that got the freed seats


class Catalogue(msgspec.Struct, frozen=True, kw_only=True):
    activities: list[ActivityView]


# --- staff -----------------------------------------------------------------------------------


class NewActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: Id
    kind: ActivityKind
    title: Text
    summary: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    place: Text = ""
    organizer: Text = ""
    carnival_id: Id | None = None
    route: Annotated[list[RouteStop], msgspec.Meta(max_length=30)] = []
    daily_limit_per_phone: SmallCount | None = None
    # What a registration must bring; proof_of_work unset: on for the parts of a carnival, off otherwise.
    proof_of_work: bool | None = None
    phone_verification: bool = False


class RegistrationChecks(msgspec.Struct, frozen=True, kw_only=True):
    """What a registration for the activity's sessions must bring from now on."""

    proof_of_work: bool
    phone_verification: bool


class NewSession(msgspec.Struct, frozen=True, kw_only=True):
    session_id: Id
    activity_id: Id
    starts_at: Instant
    ends_at: Instant
    place: Text
    capacity: Annotated[int, msgspec.Meta(ge=1, le=100_000)]
    min_age: Age | None = None
    max_age: Age | None = None
    registration_opens_at: Instant
    registration_closes_at: Instant
    max_party_size: Annotated[int, msgspec.Meta(ge=1, le=50)] = 5
    waitlist_limit: Count | None = None


class CheckInRequest(msgspec.Struct, frozen=True, kw_only=True):
    ticket_code: Annotated[str, msgspec.Meta(max_length=20)]


# --- volunteer activities ----------------------------------------------------------------------


class NewVolunteerActivity(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: Id
    kind: Literal["volunteer_service", "tech_poverty_relief"]
    title: Text
    organizer_branch_id: Id
    place: Text
    starts_at: Instant
    ends_at: Instant
    volunteer_slots: Annotated[int, msgspec.Meta(ge=1, le=10_000)] | None = None


class VolunteerMember(msgspec.Struct, frozen=True, kw_only=True):
    member_id: Id


class VolunteerHours(msgspec.Struct, frozen=True, kw_only=True):
    member_id: Id
    hours: Annotated[float, msgspec.Meta(gt=0, le=24)]


# --- open-base visits --------------------------------------------------------------------------


class NewOpenBaseVisit(msgspec.Struct, frozen=True, kw_only=True):
    """An outside party organization asks to visit the open base with a group."""

    day: date
    organization: Text
    contact_name: Annotated[str, msgspec.Meta(max_length=100)]
    contact_phone: Phone
    group_size: Annotated[int, msgspec.Meta(ge=1, le=10_000)]


class OpenBaseVisitAnswer(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    booking_id: str
    day: date
    status: Literal["requested"] = "requested"


class OpenBaseDecision(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""



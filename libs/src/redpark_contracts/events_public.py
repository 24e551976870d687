"""Published events of the public-events service (`services/events-public`).

Service name `events-public`: subjects are `events-public.<aggregate>.<event_name>`, the JetStream
stream is EVENTS_PUBLIC. Aggregates and their streams:

- `activity` (stream `activity-<activity_id>`): the catalogue entry of an activity.
- `session` (stream `session-<session_id>`): one dated session of an activity, with its
  capacity, registrations, waiting list and check-ins. Seats count people: adults + children.
- `carnival_quota` (stream `carnival-quota-<carnival_id>-<phone_hash>`): how many carnival
  registrations one phone holds per carnival day.
- `volunteer_activity` (stream `volunteer-<activity_id>`): members' volunteer and
  tech-poverty-relief activities, sign-ups and hours.
- `open_base_visit` (stream `open-base-<YYYY-MM-DD>`): group visits booked by outside party
  organizations, one stream per day because the base's capacity is per day. A request staff do not
  confirm in time lapses (`lapsed`), giving its places back.

Personal data (a registrant's name and phone, a visit contact's name and phone) is sealed per
person: `registrant_id` / `contact_id` is a UUID minted for each registration or booking, so one
person's data can be erased without touching anyone else's. A phone stays matchable through
`phone_hash`, a keyed HMAC-SHA256 of the normalised number computed by the service with its own
secret; it is not personal data on its own and never leaves the service as the number.
Children's ages travel in clear: without a name they identify nobody, and age limits need them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec
from redpark_contracts.privacy import register_erasure
from redpark_platform.events import Event, EventRegistry

registry = EventRegistry("events-public")
register_erasure(registry)  # person.erased: see redpark_contracts.privacy

ActivityKind = Literal[
    "youth_science_course",  # 青少年科普培训: recurring sessions
    "family_tech_tour",  # 科技亲子游: a route of visiting sites in order
    "science_carnival",  # 科技嘉年华周: the week itself; its parts below hold the sessions
    "tech_garden_tour",  # 科技游园
    "achievement_exhibition",  # 科技成果展示
    "science_experience",  # 科普知识体验
    "knowledge_contest",  # 科技知识竞赛
    "performance",  # 文艺表演
    "food_tasting",  # 美食品尝
]

RegistrationStatus = Literal["confirmed", "waitlisted"]
CancelledBy = Literal["registrant", "staff"]
VolunteerKind = Literal["volunteer_service", "tech_poverty_relief"]


class RouteStop(msgspec.Struct, frozen=True, kw_only=True):
    """One visiting site of a family tech tour; a route lists its stops in visiting order."""

    name: str
    place: str
    minutes: int = 0  # planned time at the stop


# --- activity (the catalogue) ---------------------------------------------------------------


@registry.register("activity", "published")
class ActivityPublished(Event, frozen=True, kw_only=True):
    activity_id: str
    kind: ActivityKind
    title: str
    summary: str = ""
    place: str = ""
    organizer: str = ""  # the branch or department running it, as shown to the public
    # A carnival part belongs to its carnival week; None for every other kind.
    carnival_id: str | None = None
    route: list[RouteStop] = msgspec.field(default_factory=list)  # family_tech_tour only, in visiting order
    # science_carnival only: registrations one phone may hold per carnival day (None = no limit).
    daily_limit_per_phone: int | None = None
    # What a public registration for its sessions must bring: a solved proof-of-work challenge (None
    # in events older than the switch: on for a carnival part, off otherwise), and a one-time code
    # sent to the phone by SMS.
    proof_of_work: bool | None = None
    phone_verification: bool = False
    published_at: datetime


@registry.register("activity", "registration_checks_set")
class ActivityRegistrationChecksSet(Event, frozen=True, kw_only=True):
    """Staff switched what a registration for the activity's sessions must bring."""

    activity_id: str
    proof_of_work: bool
    phone_verification: bool
    set_by: str
    set_at: datetime


@registry.register("activity", "withdrawn")
class ActivityWithdrawn(Event, frozen=True, kw_only=True):
    activity_id: str
    reason: str
    withdrawn_at: datetime


# --- session (registration, waiting list, check-in) -----------------------------------------


@registry.register("session", "scheduled")
class SessionScheduled(Event, frozen=True, kw_only=True):
    session_id: str
    activity_id: str
    activity_kind: ActivityKind
    carnival_id: str | None = None  # set for sessions of a carnival part (per-phone daily limit)
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int  # seats; a seat is one person, adult or child
    min_age: int | None = None  # applies to the children of a party
    max_age: int | None = None
    registration_opens_at: datetime
    registration_closes_at: datetime
    max_party_size: int = 5
    waitlist_limit: int | None = None  # None = the waiting list is unbounded
    scheduled_at: datetime


@registry.register("session", "registration_confirmed", personal=("name", "phone"), subject="registrant_id")
class RegistrationConfirmed(Event, frozen=True, kw_only=True):
    session_id: str
    registration_id: str
    registrant_id: str
    name: str
    phone: str  # normalised mainland mobile, sealed
    phone_hash: str
    adults: int
    children_ages: list[int] = msgspec.field(default_factory=list)
    seats: int  # adults + children
    ticket_code: str
    registered_at: datetime


@registry.register("session", "registration_waitlisted", personal=("name", "phone"), subject="registrant_id")
class RegistrationWaitlisted(Event, frozen=True, kw_only=True):
    session_id: str
    registration_id: str
    registrant_id: str
    name: str
    phone: str
    phone_hash: str
    adults: int
    children_ages: list[int] = msgspec.field(default_factory=list)
    seats: int
    ticket_code: str  # valid for check-in only once promoted
    position: int  # place on the waiting list when it joined, from 1
    registered_at: datetime


@registry.register("session", "registration_cancelled")
class RegistrationCancelled(Event, frozen=True, kw_only=True):
    session_id: str
    registration_id: str
    ticket_code: str
    was: RegistrationStatus
    seats: int
    cancelled_by: CancelledBy = "registrant"
    cancelled_at: datetime


@registry.register("session", "registration_promoted", personal=("name", "phone"), subject="registrant_id")
class RegistrationPromoted(Event, frozen=True, kw_only=True):
    """A waiting party got seats. Carries the contact so a notifier can tell them at once."""

    session_id: str
    registration_id: str
    registrant_id: str
    name: str
    phone: str
    ticket_code: str
    seats: int
    promoted_at: datetime


@registry.register("session", "checked_in")
class CheckedIn(Event, frozen=True, kw_only=True):
    session_id: str
    registration_id: str
    ticket_code: str
    seats: int
    checked_in_at: datetime


@registry.register("session", "no_shows_counted")
class NoShowsCounted(Event, frozen=True, kw_only=True):
    session_id: str
    confirmed_registrations: int
    checked_in_registrations: int
    no_show_registration_ids: list[str] = msgspec.field(default_factory=list)
    no_show_seats: int
    counted_at: datetime


# --- carnival_quota (per phone, per carnival day) ----------------------------------------------


@registry.register("carnival_quota", "taken")
class CarnivalQuotaTaken(Event, frozen=True, kw_only=True):
    carnival_id: str
    phone_hash: str
    day: date  # the session's day, park time
    registration_id: str
    session_id: str
    taken_at: datetime


@registry.register("carnival_quota", "released")
class CarnivalQuotaReleased(Event, frozen=True, kw_only=True):
    carnival_id: str
    phone_hash: str
    day: date
    registration_id: str
    released_at: datetime


# --- volunteer_activity --------------------------------------------------------------------------


@registry.register("volunteer_activity", "scheduled")
class VolunteerActivityScheduled(Event, frozen=True, kw_only=True):
    activity_id: str
    kind: VolunteerKind
    title: str
    organizer_branch_id: str  # the general branch or a branch: the plan counts per organizer
    place: str
    starts_at: datetime
    ends_at: datetime
    volunteer_slots: int | None = None  # None = as many as sign up
    scheduled_at: datetime


@registry.register("volunteer_activity", "signed_up")
class VolunteerSignedUp(Event, frozen=True, kw_only=True):
    activity_id: str
    member_id: str
    signed_up_at: datetime


@registry.register("volunteer_activity", "sign_up_withdrawn")
class VolunteerSignUpWithdrawn(Event, frozen=True, kw_only=True):
    activity_id: str
    member_id: str
    withdrawn_at: datetime


@registry.register("volunteer_activity", "hours_recorded")
class VolunteerHoursRecorded(Event, frozen=True, kw_only=True):
    activity_id: str
    member_id: str
    hours: float
    recorded_by: str
    recorded_at: datetime


# --- open_base_visit --------------------------------------------------------------------------------


@registry.register(
    "open_base_visit", "requested", personal=("contact_name", "contact_phone"), subject="contact_id"
)
class OpenBaseVisitRequested(Event, frozen=True, kw_only=True):
    booking_id: str
    day: date  # park time
    organization: str  # the visiting party organization's name
    contact_id: str
    contact_name: str
    contact_phone: str
    group_size: int
    requested_at: datetime


@registry.register("open_base_visit", "confirmed")
class OpenBaseVisitConfirmed(Event, frozen=True, kw_only=True):
    booking_id: str
    day: date
    confirmed_by: str
    confirmed_at: datetime


@registry.register("open_base_visit", "declined")
class OpenBaseVisitDeclined(Event, frozen=True, kw_only=True):
    booking_id: str
    day: date
    reason: str
    declined_by: str
    declined_at: datetime


OpenBaseLapseReason = Literal["not_confirmed_in_time"]


@registry.register("open_base_visit", "lapsed")
class OpenBaseVisitLapsed(Event, frozen=True, kw_only=True):
    """A request staff did not confirm while it held its places: the places are free again.

    `reason` is a code and `notice` / `notice_en` the sentences a notifier sends the contact as they
    are (the contact's name and phone are in the booking's `requested` event)."""

    booking_id: str
    day: date
    group_size: int
    reason: OpenBaseLapseReason
    notice: str  # Chinese first, as the park's notices are
    notice_en: str
    held_until: datetime  # requested_at + the hold the service allowed
    lapsed_at: datetime


SessionEvent = (
    SessionScheduled
    | RegistrationConfirmed
    | RegistrationWaitlisted
    | RegistrationCancelled
    | RegistrationPromoted
    | CheckedIn
    | NoShowsCounted
)
ActivityEvent = ActivityPublished | ActivityRegistrationChecksSet | ActivityWithdrawn
CarnivalQuotaEvent = CarnivalQuotaTaken | CarnivalQuotaReleased
VolunteerEvent = (
    VolunteerActivityScheduled | VolunteerSignedUp | VolunteerSignUpWithdrawn | VolunteerHoursRecorded
)
OpenBaseEvent = OpenBaseVisitRequested | OpenBaseVisitConfirmed | OpenBaseVisitDeclined | OpenBaseVisitLapsed

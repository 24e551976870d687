"""人才服务平台, recruitment: hires (stream `hire-<hire_id>`), talent-fair participations
(`talent-fair-participation-<participation_id>`) and internship placements
(`internship-placement-<placement_id>`).

A hire is recorded for an enterprise in the park. When the person declared party membership (full
or probationary), a second event tells it (`hire.party_member_declared`) so the organization can
follow up the transfer-in of their relationship; anyone else's political status is not recorded.
A placement needs an open internship base with a place left.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, assert_never

import msgspec

from redpark_contracts.enterprise_support import (
    HireRecorded,
    InternshipPlaced,
    PartyMemberHireDeclared,
    TalentFairParticipated,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider
from redpark_platform.errors import DomainError

from .errors import ERRORS

# What the person declared, in our words; `None` when they declared nothing.
PoliticalStatus = Literal["party_member", "probationary_party_member", "not_party_member"]
PARTY_MEMBERSHIP: frozenset[str] = frozenset({"party_member", "probationary_party_member"})


def hire_stream_id(hire_id: str) -> str:
    return f"hire-{hire_id}"


def participation_stream_id(participation_id: str) -> str:
    return f"talent-fair-participation-{participation_id}"


def placement_stream_id(placement_id: str) -> str:
    return f"internship-placement-{placement_id}"


def _not_in_park(enterprise_id: str) -> DomainError:
    return ERRORS.error("recruitment.enterprise_not_in_park", field="enterprise_id", enterprise_id=enterprise_id)


def _required(value: str, code: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise ERRORS.error(code, field=field)
    return text


# --- hires -------------------------------------------------------------------------------------

class RecordHire(msgspec.Struct, frozen=True, kw_only=True):
    hire_id: str
    enterprise_id: str
    position: str
    hired_on: date
    person_name: str
    political_status: PoliticalStatus | None
    relationship_held_by: str
    phone: str
    enterprise_in_park: bool
    now: datetime


class NoHire(msgspec.Struct, frozen=True, tag=True):
    pass


class Hired(msgspec.Struct, frozen=True, tag=True):
    enterprise_id: str


HireState = NoHire | Hired
HireEvent = HireRecorded | PartyMemberHireDeclared


def decide_hire(command: RecordHire, state: HireState) -> list[HireEvent]:
    if isinstance(state, Hired):
        raise ERRORS.error("hire.exists", field="hire_id", hire_id=command.hire_id)
    if not command.enterprise_in_park:
        raise _not_in_park(command.enterprise_id)
    position = _required(command.position, "hire.position_missing", "position")
    hired_on = effective_date(command.hired_on, command.now, "hired_on")
    events: list[HireEvent] = [HireRecorded(hire_id=command.hire_id, enterprise_id=command.enterprise_id,
                                            position=position, hired_on=hired_on)]
    if command.political_status in PARTY_MEMBERSHIP:
        # Without a name and the holder of the relationship there is nobody to follow up.
        name = _required(command.person_name, "hire.member_name_missing", "person_name")
        held_by = _required(command.relationship_held_by, "hire.relationship_holder_missing", "relationship_held_by")
        events.append(PartyMemberHireDeclared(hire_id=command.hire_id, enterprise_id=command.enterprise_id,
                                              name=name, relationship_held_by=held_by, hired_on=hired_on,
                                              phone=command.phone.strip()))
    return events


def evolve_hire(state: HireState, event: HireEvent) -> HireState:
    match event:
        case HireRecorded():
            return Hired(enterprise_id=event.enterprise_id)
        case PartyMemberHireDeclared():
            return state
        case _:
            assert_never(event)


hire_decider: Decider[RecordHire, HireState, HireEvent] = Decider(initial=NoHire(), decide=decide_hire,
                                                                  evolve=evolve_hire)


# --- talent fairs ------------------------------------------------------------------------------

class RecordParticipation(msgspec.Struct, frozen=True, kw_only=True):
    participation_id: str
    enterprise_id: str
    fair_name: str
    fair_on: date
    positions_offered: int
    resumes_received: int
    enterprise_in_park: bool
    now: datetime


class NoParticipation(msgspec.Struct, frozen=True, tag=True):
    pass


class Participated(msgspec.Struct, frozen=True, tag=True):
    pass


ParticipationState = NoParticipation | Participated


def decide_participation(command: RecordParticipation, state: ParticipationState) -> list[TalentFairParticipated]:
    if isinstance(state, Participated):
        raise ERRORS.error("talent_fair.participation_exists", field="participation_id",
                           participation_id=command.participation_id)
    if not command.enterprise_in_park:
        raise _not_in_park(command.enterprise_id)
    fair_name = _required(command.fair_name, "talent_fair.name_missing", "fair_name")
    if command.positions_offered < 0 or command.resumes_received < 0:
        field = "positions_offered" if command.positions_offered < 0 else "resumes_received"
        raise ERRORS.error("talent_fair.negative_count", field=field, field_value=field)
    return [TalentFairParticipated(participation_id=command.participation_id, enterprise_id=command.enterprise_id,
                                   fair_name=fair_name, fair_on=effective_date(command.fair_on, command.now, "fair_on"),
                                   positions_offered=command.positions_offered,
                                   resumes_received=command.resumes_received)]


def evolve_participation(state: ParticipationState, event: TalentFairParticipated) -> ParticipationState:
    return Participated()


participation_decider: Decider[RecordParticipation, ParticipationState, TalentFairParticipated] = Decider(
    initial=NoParticipation(), decide=decide_participation, evolve=evolve_participation)


# --- internship placements ---------------------------------------------------------------------

class PlaceIntern(msgspec.Struct, frozen=True, kw_only=True):
    placement_id: str
    base_id: str
    student_name: str
    university: str
    major: str
    starts_on: date
    ends_on: date | None
    # Facts: the base's places when it is open (None when unknown or closed), and how many
    # students it already has (the read model, so two placements racing may both pass).
    base_places: int | None
    base_host_enterprise_id: str | None
    placed_at_base: int
    now: datetime


class NoPlacement(msgspec.Struct, frozen=True, tag=True):
    pass


class Placed(msgspec.Struct, frozen=True, tag=True):
    pass


PlacementState = NoPlacement | Placed


def decide_placement(command: PlaceIntern, state: PlacementState) -> list[InternshipPlaced]:
    if isinstance(state, Placed):
        raise ERRORS.error("internship.placement_exists", field="placement_id", placement_id=command.placement_id)
    if command.base_places is None:
        raise ERRORS.error("internship.base_not_open", field="base_id", base_id=command.base_id)
    if command.placed_at_base >= command.base_places:
        raise ERRORS.error("internship.base_full", field="base_id", base_id=command.base_id)
    name = _required(command.student_name, "internship.student_missing", "student_name")
    university = _required(command.university, "internship.university_missing", "university")
    # A placement may be agreed before the internship starts, so a later start is fine.
    starts_on = command.starts_on
    if command.ends_on is not None and command.ends_on < starts_on:
        raise ERRORS.error("internship.ends_before_start", field="ends_on")
    return [InternshipPlaced(placement_id=command.placement_id, base_id=command.base_id,
                             host_enterprise_id=command.base_host_enterprise_id, student_name=name,
                             university=university, major=command.major.strip(), starts_on=starts_on,
                             ends_on=command.ends_on)]


def evolve_placement(state: PlacementState, event: InternshipPlaced) -> PlacementState:
    return Placed()


placement_decider: Decider[PlaceIntern, PlacementState, InternshipPlaced] = Decider(
    initial=NoPlacement(), decide=decide_placement, evolve=evolve_placement)

"""Forums and the joint conference (三个论坛、联席会): sessions with participants and written
outcomes. One stream per session."""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import ForumKind, ForumOutcomeAdded, ForumSessionHeld
from redpark_platform.calendar import not_in_future, park_date
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(session_id: str) -> str:
    return f"forum-{session_id}"


class RecordSession(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    forum: ForumKind
    title: str
    held_on: date
    participants: list[str]
    outcomes: list[str]
    now: datetime


class AddOutcome(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    outcome: str
    now: datetime


ForumCommand = RecordSession | AddOutcome
ForumEvent = ForumSessionHeld | ForumOutcomeAdded


class Session(msgspec.Struct, frozen=True, kw_only=True):
    held: bool = False


def decide(command: ForumCommand, state: Session) -> list[ForumEvent]:
    match command:
        case RecordSession():
            if state.held:
                raise ERRORS.error("forum.already_recorded", field="session_id", session_id=command.session_id)
            held_on = not_in_future(command.held_on, park_date(command.now), "held_on")
            participants = [p.strip() for p in command.participants if p.strip()]
            if not participants:
                raise ERRORS.error("forum.no_participants", field="participants")
            if not command.title.strip():
                raise ERRORS.error("forum.title_missing", field="title")
            return [ForumSessionHeld(session_id=command.session_id, forum=command.forum, title=command.title.strip(),
                                     held_on=held_on, participants=participants,
                                     outcomes=[o.strip() for o in command.outcomes if o.strip()])]
        case AddOutcome():
            if not state.held:
                raise ERRORS.error("forum.unknown", field="session_id", session_id=command.session_id)
            if not command.outcome.strip():
                raise ERRORS.error("forum.outcome_empty", field="outcome")
            return [ForumOutcomeAdded(session_id=command.session_id, outcome=command.outcome.strip(),
                                      added_on=park_date(command.now))]
        case _:
            assert_never(command)


def evolve(state: Session, event: ForumEvent) -> Session:
    return Session(held=True)


decider: Decider[ForumCommand, Session, ForumEvent] = Decider(initial=Session(), decide=decide, evolve=evolve)

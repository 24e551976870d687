"""The session aggregate's state and `evolve`: what its events leave behind.

Treated as immutable: `evolve` copies what an event changes, so a writer can keep the state after
one batch and decide the next on it.
"""

from __future__ import annotations

from typing import Literal, assert_never

import msgspec

from redpark_contracts.events_public import (
    CheckedIn,
    NoShowsCounted,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    SessionEvent,
    SessionScheduled,
)

from .errors import ERRORS

EntryStatus = Literal["confirmed", "waitlisted", "cancelled"]


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    registration_id: str
    registrant_id: str
    name: str
    phone: str
    phone_hash: str
    ticket_code: str
    seats: int
    status: EntryStatus
    checked_in: bool = False


class NoSession(msgspec.Struct, frozen=True, tag="none"):
    pass


class Session(msgspec.Struct, frozen=True, kw_only=True, tag="session"):
    """Treated as immutable: evolve copies what it changes."""

    plan: SessionScheduled
    entries: dict[str, Entry] = {}
    by_ticket: dict[str, str] = {}  # ticket code -> registration id
    active_phones: dict[str, str] = {}  # phone hash -> registration id, cancelled ones left out
    waitlist: tuple[str, ...] = ()  # registration ids in arrival order
    confirmed_seats: int = 0
    no_shows_counted: bool = False

    @property
    def free_seats(self) -> int:
        return self.plan.capacity - self.confirmed_seats

    def waitlist_position(self, registration_id: str) -> int | None:
        """Current place on the waiting list, from 1 (it moves up as others leave it)."""
        try:
            return self.waitlist.index(registration_id) + 1
        except ValueError:
            return None

    def entry_by_ticket(self, ticket_code: str) -> Entry | None:
        rid = self.by_ticket.get(ticket_code)
        return None if rid is None else self.entries[rid]


SessionState = NoSession | Session


def session_stream(session_id: str) -> str:
    return f"session-{session_id}"


def existing_session(state: SessionState) -> Session:
    if not isinstance(state, Session):
        raise ERRORS.error("session.not_found", field="session_id")
    return state


def evolve(state: SessionState, event: SessionEvent) -> SessionState:
    match event:
        case SessionScheduled():
            return Session(plan=event)
        case RegistrationConfirmed() | RegistrationWaitlisted():
            s = _as_session(state)
            waiting = isinstance(event, RegistrationWaitlisted)
            entry = Entry(
                registration_id=event.registration_id,
                registrant_id=event.registrant_id,
                name=event.name,
                phone=event.phone,
                phone_hash=event.phone_hash,
                ticket_code=event.ticket_code,
                seats=event.seats,
                status="waitlisted" if waiting else "confirmed",
            )
            return msgspec.structs.replace(
                s,
                entries={**s.entries, entry.registration_id: entry},
                by_ticket={**s.by_ticket, entry.ticket_code: entry.registration_id},
                active_phones={**s.active_phones, entry.phone_hash: entry.registration_id},
                waitlist=(*s.waitlist, entry.registration_id) if waiting else s.waitlist,
                confirmed_seats=s.confirmed_seats if waiting else s.confirmed_seats + entry.seats,
            )
        case RegistrationCancelled():
            s = _as_session(state)
            entry = s.entries[event.registration_id]
            phones = dict(s.active_phones)
            phones.pop(entry.phone_hash, None)
            was_confirmed = entry.status == "confirmed"
            return msgspec.structs.replace(
                s,
                entries={
                    **s.entries,
                    entry.registration_id: msgspec.structs.replace(entry, status="cancelled"),
                },
                active_phones=phones,
                waitlist=s.waitlist
                if was_confirmed
                else tuple(r for r in s.waitlist if r != entry.registration_id),
                confirmed_seats=s.confirmed_seats - entry.seats if was_confirmed else s.confirmed_seats,
            )
        case RegistrationPromoted():
            s = _as_session(state)
            entry = s.entries[event.registration_id]
            return msgspec.structs.replace(
                s,
                entries={
                    **s.entries,
                    entry.registration_id: msgspec.structs.replace(entry, status="confirmed"),
                },
                waitlist=tuple(r for r in s.waitlist if r != entry.registration_id),
                confirmed_seats=s.confirmed_seats + entry.seats,
            )
        case CheckedIn():
            s = _as_session(state)
            entry = s.entries[event.registration_id]
            return msgspec.structs.replace(
                s,
                entries={**s.entries, entry.registration_id: msgspec.structs.replace(entry, checked_in=True)},
            )
        case NoShowsCounted():
            return msgspec.structs.replace(_as_session(state), no_shows_counted=True)
        case _:
            assert_never(event)


def _as_session(state: SessionState) -> Session:
    assert isinstance(state, Session), "a session event before the session was scheduled"
    return state

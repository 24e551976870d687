"""The waiting list moves up: who is promoted when seats are freed.

Waiting-list rule (first fit, in arrival order): whenever seats are free, the waiting list is
walked from its head and every party that fits in the free seats is promoted, in order. A party
too large for the free seats keeps its place at the head and takes the first seats that suffice;
smaller parties behind it may go first meanwhile. The alternative, strict head-of-line waiting,
leaves seats empty on the day, which is the worse outcome for a free public event; with parties
of one (most registrations) both rules are the same. A new arrival is confirmed only if it fits
in the free seats; since the list is always promoted as far as it can be, nobody waiting fits
then, so a new arrival never takes seats a waiting party could have had.
"""

from __future__ import annotations

from datetime import datetime

from redpark_contracts.events_public import RegistrationPromoted

from .session_state import Session


def promotions(s: Session, now: datetime) -> list[RegistrationPromoted]:
    """First fit in arrival order (see the module's rule)."""
    free = s.free_seats
    out: list[RegistrationPromoted] = []
    for rid in s.waitlist:
        if free <= 0:
            break
        e = s.entries[rid]
        if e.seats <= free:
            free -= e.seats
            out.append(
                RegistrationPromoted(
                    session_id=s.plan.session_id,
                    registration_id=rid,
                    registrant_id=e.registrant_id,
                    name=e.name,
                    phone=e.phone,
                    ticket_code=e.ticket_code,
                    seats=e.seats,
                    promoted_at=now,
                )
            )
    return out

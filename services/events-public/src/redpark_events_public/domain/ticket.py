"""Ticket codes: short, read aloud at the door and typed by hand, so no look-alike characters.

A code is made outside the deciders (it is random) and passed in with the command; the session
decider only refuses one that is already taken in its session.
"""

from __future__ import annotations

import secrets

from .errors import ERRORS

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: the pairs people misread on a phone screen or paper.
ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
LENGTH = 8  # 23**8 ≈ 7.8e10 codes: a random guess of a valid code is hopeless


def new_ticket_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_ticket_code(raw: str, *, field: str = "ticket_code") -> str:
    code = (raw or "").strip().upper().replace("-", "").replace(" ", "")
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        raise ERRORS.error("ticket.invalid_code", field=field, length=LENGTH, alphabet=ALPHABET)
    return code


def format_ticket_code(code: str) -> str:
    """Shown as ABCD-EFGH: two groups are easier to read out."""
    return f"{code[:4]}-{code[4:]}"

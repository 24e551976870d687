"""The service's own settings, read from the environment once at startup."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from redpark_platform.settings import SettingsError
from redpark_platform.web.auth import load_or_create_key
from redpark_platform.web.proof_of_work import DEFAULT_MAX_NUMBER, DEFAULT_TTL, ProofOfWork
from redpark_platform.web.ratelimit import RateLimit, limits_from_env, storage

PHONE_SECRET_VARIABLE = "REDPARK_EVENTS_PUBLIC_PHONE_SECRET"
OPEN_BASE_CAPACITY_VARIABLE = "REDPARK_EVENTS_PUBLIC_OPEN_BASE_CAPACITY"
# The plan leaves the number as "×": a placeholder the park sets in its environment. (The volunteer
# target is not set here: it is the organization's assessment's, see domain/volunteer.py.)
DEFAULT_OPEN_BASE_CAPACITY = 100
# Anyone may request an open-base visit, so a request is bounded: a day's capacity cannot go to one
# group, a year cannot be booked out in advance, and an unconfirmed request holds places for a while.
OPEN_BASE_MAX_GROUP_VARIABLE = "REDPARK_EVENTS_PUBLIC_OPEN_BASE_MAX_GROUP"
OPEN_BASE_DAYS_AHEAD_VARIABLE = "REDPARK_EVENTS_PUBLIC_OPEN_BASE_DAYS_AHEAD"
OPEN_BASE_HOLD_HOURS_VARIABLE = "REDPARK_EVENTS_PUBLIC_OPEN_BASE_HOLD_HOURS"
DEFAULT_OPEN_BASE_MAX_GROUP = 60
DEFAULT_OPEN_BASE_DAYS_AHEAD = 60
DEFAULT_OPEN_BASE_HOLD_HOURS = 72
PHONE_KEY_FILE = "events-public-phone.key"
# The proof of work of public registrations (redpark_platform.web.proof_of_work): the key that signs
# its challenges, and how hard they are (the largest number tried; a phone does about a tenth of a
# million SHA-256 a second in the browser, so the default costs a person about a second).
PROOF_OF_WORK_SECRET_VARIABLE = "REDPARK_EVENTS_PUBLIC_POW_SECRET"
PROOF_OF_WORK_KEY_FILE = "events-public-pow.key"
PROOF_OF_WORK_MAX_NUMBER_VARIABLE = "REDPARK_EVENTS_PUBLIC_POW_MAX_NUMBER"
PROOF_OF_WORK_TTL_VARIABLE = "REDPARK_EVENTS_PUBLIC_POW_TTL_MINUTES"
# Rate limits of the public routes (the `limits` notation, "10/minute;100/hour"; "" for none).
# Per address generously (a school's or an estate's families share one address), per phone
# tightly (one registration per phone per session; the carnival limit is per day).
RATE_LIMIT_VARIABLES = {
    ("registration", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS", "60/minute;600/hour"),
    ("registration", "phone"): ("REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_PHONE", "10/minute;30/day"),
    ("cancellation", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_ADDRESS", "30/minute;300/hour"),
    ("cancellation", "phone"): ("REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_PHONE", "10/minute;30/day"),
    ("ticket", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_TICKET_PER_ADDRESS", "120/minute"),
    # A group visit is booked a few times a month, not a minute: tight, so nobody books out the base.
    ("open_base", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_ADDRESS", "10/hour;30/day"),
    ("open_base", "phone"): ("REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_PHONE", "3/day;10/month"),
    # Generous: a family refreshing the catalogue never meets it; a loop that would tie up the pool does.
    ("browsing", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_BROWSE_PER_ADDRESS", "300/minute;5000/hour"),
}
# memory:// counts per process; several processes need shared storage, e.g. redis://host:6379.
RATE_LIMIT_STORAGE_VARIABLE = "REDPARK_EVENTS_PUBLIC_RATE_LIMIT_STORAGE"


def phone_secret(data_dir: Path) -> bytes:
    secret = os.environ.get(PHONE_SECRET_VARIABLE) or load_or_create_key(data_dir / PHONE_KEY_FILE)
    return secret.encode()


def proof_of_work(data_dir: Path) -> ProofOfWork:
    secret = os.environ.get(PROOF_OF_WORK_SECRET_VARIABLE) or load_or_create_key(data_dir / PROOF_OF_WORK_KEY_FILE)
    return ProofOfWork(
        key=secret.encode(),
        max_number=_positive_int(PROOF_OF_WORK_MAX_NUMBER_VARIABLE, DEFAULT_MAX_NUMBER),
        ttl=timedelta(minutes=_positive_int(PROOF_OF_WORK_TTL_VARIABLE, int(DEFAULT_TTL.total_seconds()) // 60)),
    )


def open_base_capacity() -> int:
    return _positive_int(OPEN_BASE_CAPACITY_VARIABLE, DEFAULT_OPEN_BASE_CAPACITY)


@dataclass(frozen=True)
class OpenBaseLimits:
    daily_capacity: int
    max_group_size: int
    max_days_ahead: int
    hold_for: timedelta


def open_base_limits() -> OpenBaseLimits:
    return OpenBaseLimits(
        daily_capacity=open_base_capacity(),
        max_group_size=_positive_int(OPEN_BASE_MAX_GROUP_VARIABLE, DEFAULT_OPEN_BASE_MAX_GROUP),
        max_days_ahead=_positive_int(OPEN_BASE_DAYS_AHEAD_VARIABLE, DEFAULT_OPEN_BASE_DAYS_AHEAD),
        hold_for=timedelta(hours=_positive_int(OPEN_BASE_HOLD_HOURS_VARIABLE, DEFAULT_OPEN_BASE_HOLD_HOURS)),
    )


def rate_limits() -> dict[str, RateLimit]:
    counts = storage(os.environ.get(RATE_LIMIT_STORAGE_VARIABLE, "").strip() or "memory://")
    groups = {group for group, _ in RATE_LIMIT_VARIABLES}
    return {
        group: RateLimit.configure(
            f"events-public.{group}",
            per_address=limits_from_env(*RATE_LIMIT_VARIABLES[group, "address"]),
            per_key=limits_from_env(*RATE_LIMIT_VARIABLES.get((group, "phone"), ("", ""))),
            counts=counts,
        )
        for group in groups
    }


def _positive_int(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{variable}={raw!r} is not a positive whole number")
    return int(raw)

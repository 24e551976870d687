"""The proof that a registrant holds the phone: a one-time code sent by SMS, typed back.

The code itself is the platform's (`redpark_platform.notifications.PhoneVerification`: 6 digits,
5 minutes, 5 tries, per-number send limits, sent through this service's notification outbox). This
module binds it to a session: the purpose is `register:<session id>`, so a code asked for one
session proves nothing for another, and each proof lets one registration through.

With no SMS channel configured (`REDPARK_SMS_*` unset; `up` sets them to its stand-in) an activity
whose `phone_verification` switch is on cannot take registrations, and says so (503
`phone_verification.unavailable`, naming `phone_code`) instead of letting them through unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from redpark_platform.errors import DomainError
from redpark_platform.notifications import Challenge, PhoneVerification, hub_of

from ..domain.errors import ERRORS

# The platform names its own fields (`code`, `challenge_id`); a registrant typed these.
_OUR_FIELD = {"code": "phone_code", "challenge_id": "phone_challenge"}


class PhoneCodeChannel(Protocol):
    """Sends a one-time code to a normalised mainland mobile and checks the code typed back."""

    async def send_code(self, phone: str, purpose: str) -> Challenge: ...

    async def prove(self, phone: str, purpose: str, challenge_id: str, code: str) -> None:
        """Returns when `code` is the one of `challenge_id`, sent to `phone` for `purpose` and not yet
        used; else raises a DomainError naming `phone_code` (or `phone_challenge`)."""
        ...


@dataclass(frozen=True)
class SmsPhoneCodes:
    """The platform's one-time codes over this service's SMS channel."""

    runtime: Any
    codes: PhoneVerification = field(default_factory=PhoneVerification)

    async def send_code(self, phone: str, purpose: str) -> Challenge:
        return await self.codes.start(self.runtime, phone, purpose)

    async def prove(self, phone: str, purpose: str, challenge_id: str, code: str) -> None:
        try:
            await self.codes.confirm(self.runtime, challenge_id, code)
        except DomainError as refused:
            raise DomainError(refused.code, refused.detail, detail_zh=refused.detail_zh, kind=refused.kind,
                              field=_OUR_FIELD.get(refused.field or "", refused.field)) from None
        # Confirmed, but for this phone and this session, and only once.
        if not await self.codes.consume(self.runtime, challenge_id, phone, purpose):
            raise ERRORS.error("phone_verification.code_wrong", field="phone_code")


def sms_phone_codes(runtime: Any) -> SmsPhoneCodes | None:
    """The phone proof when the service's notifications hold an SMS channel, else None."""
    hub = hub_of(runtime)
    if hub is None or "sms" not in hub.worker.channels:
        return None
    return SmsPhoneCodes(runtime)


def channel_or_refuse(channel: PhoneCodeChannel | None) -> PhoneCodeChannel:
    if channel is None:
        raise ERRORS.error("phone_verification.unavailable", field="phone_code")
    return channel


def registration_purpose(session_id: str) -> str:
    return f"register:{session_id}"


async def check_phone_code(channel: PhoneCodeChannel | None, phone: str, session_id: str,
                           challenge_id: str | None, code: str | None) -> None:
    """Refuse unless `code` is the one sent to `phone` for this session (and not used before)."""
    sender = channel_or_refuse(channel)
    if not code or not code.strip():
        raise ERRORS.error("phone_verification.code_required", field="phone_code")
    if not challenge_id or not challenge_id.strip():
        raise ERRORS.error("phone_verification.challenge_required", field="phone_challenge")
    await sender.prove(phone, registration_purpose(session_id), challenge_id.strip(), code.strip())

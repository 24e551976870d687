"""The proof that a registrant holds the phone: a one-time code sent by SMS, typed back.

A hook for now: the park's SMS channel is built by the notification work. Until a channel is given
(`EventsPublic.phone_codes`), an activity whose `phone_verification` switch is on cannot take
registrations, and says so (503 `phone_verification.unavailable`, naming `phone_code`) instead of
letting them through unchecked. The switch is off by default.
"""

from __future__ import annotations

from typing import Protocol

from ..domain.errors import ERRORS


class PhoneCodeChannel(Protocol):
    """Sends a one-time code to a normalised mainland mobile and checks the code typed back."""

    async def send_code(self, phone: str) -> None: ...

    async def check_code(self, phone: str, code: str) -> bool: ...


def channel_or_refuse(channel: PhoneCodeChannel | None) -> PhoneCodeChannel:
    if channel is None:
        raise ERRORS.error("phone_verification.unavailable", field="phone_code")
    return channel


async def check_phone_code(channel: PhoneCodeChannel | None, phone: str, code: str | None) -> None:
    """Refuse unless `code` is the one sent to `phone` (the channel decides how long it lives)."""
    sender = channel_or_refuse(channel)
    if not code or not code.strip():
        raise ERRORS.error("phone_verification.code_required", field="phone_code")
    if not await sender.check_code(phone, code.strip()):
        raise ERRORS.error("phone_verification.code_wrong", field="phone_code")

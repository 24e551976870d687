"""Proof of a phone by a one-time code sent by SMS: 6 digits, valid 5 minutes, 5 tries, and limits on
how often one number is sent a code (one a minute, 5 an hour, 10 a day by default).

The interface a service calls (events-public's registration, when an activity asks for proof):

    codes = PhoneVerification()                       # the defaults above
    started = await codes.start(runtime, phone, purpose="register:s1")   # queues the SMS; 429 too often
    ... the person types the code they received ...
    await codes.confirm(runtime, started.challenge_id, code)            # raises a DomainError naming `code`
    if not await codes.consume(runtime, started.challenge_id, phone, "register:s1"):
        ...                                                            # not proven (or already used)

`start` answers a `Challenge` (challenge id, expiry, when another code may be asked for); the code
itself is never returned, stored or logged in clear (an HMAC keyed by the challenge). The SMS goes
through the service's notification outbox (template `platform.verification_code`, a service message:
no opt-out, any hour), sealed with a key of the challenge's own. `consume` is true once, for the same
phone and purpose, after a confirmed code and before it expired: a proof cannot be replayed.
Needs the service's `Notifications` started (it holds the SMS channel).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import msgspec

from ..errors import DomainError, ErrorCatalogue
from ..web.ratelimit import TooManyRequests
from .outbox import Notice, enqueue, recipient_key
from .pages import normal_address
from .templates import Template

VERIFICATION_CODE = Template(
    code="platform.verification_code", urgent=True,
    zh="${park}：您的验证码是 ${code}，${minutes} 分钟内有效。如非本人操作，请忽略本短信。",
    en="${park}: your verification code is ${code}, valid for ${minutes} minutes. If you did not ask for it, "
       "ignore this message.")

ERRORS = ErrorCatalogue({
    "verification.unknown": ("not_found", "no verification {challenge_id}", "验证请求不存在，请重新获取验证码"),
    "verification.expired": ("invalid", "the code has expired; ask for a new one", "验证码已过期，请重新获取"),
    "verification.wrong_code": ("invalid", "the code is not right; {left} tries left",
                                "验证码不正确，还可尝试 {left} 次"),
    "verification.too_many_tries": ("invalid", "too many wrong codes; ask for a new one",
                                    "错误次数过多，请重新获取验证码"),
    "verification.already_confirmed": ("conflict", "this code was already confirmed", "该验证码已验证"),
})


class Challenge(msgspec.Struct, frozen=True, kw_only=True):
    challenge_id: str
    expires_at: datetime
    resend_after: datetime


@dataclass(frozen=True, kw_only=True)
class PhoneVerification:
    digits: int = 6
    ttl: timedelta = timedelta(minutes=5)
    max_tries: int = 5
    # (how many codes, within how long) for one number, across purposes.
    send_limits: tuple[tuple[int, timedelta], ...] = field(default=(
        (1, timedelta(minutes=1)), (5, timedelta(hours=1)), (10, timedelta(days=1))))

    @staticmethod
    def _hash(challenge_id: str, code: str) -> str:
        return hmac.new(challenge_id.encode(), code.encode(), hashlib.sha256).hexdigest()

    async def start(self, runtime: Any, phone: str, purpose: str) -> Challenge:
        """Send a new code to `phone` for `purpose`; `TooManyRequests` (429, field `phone`) past the limits."""
        number = normal_address("sms", phone)  # InvalidCommand naming `address`: callers name their own field
        hub: Any = runtime.extras.get("notifications")
        if hub is None:
            raise RuntimeError("phone verification needs the service's Notifications started")
        now: datetime = runtime.clock.now()
        challenge_id = f"vc_{secrets.token_hex(12)}"
        code = f"{secrets.randbelow(10 ** self.digits):0{self.digits}d}"
        async with runtime.pool.acquire() as conn, conn.transaction():
            who = await recipient_key(conn, "sms", number)
            # Serialize per number, so two requests at once cannot both slip under a limit.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('redpark.verification:' || $1))", who)
            for count, window in self.send_limits:
                recent = await conn.fetch(
                    "SELECT created_at FROM verification_challenges WHERE recipient_key = $1 AND created_at > $2"
                    " ORDER BY created_at", who, now - window)
                if len(recent) >= count:
                    wait = max(1, int((recent[-count]["created_at"] + window - now).total_seconds()) + 1)
                    raise TooManyRequests("verification.too_often", f"a code was sent to this number recently; "
                                          f"ask again in {wait} s", detail_zh=f"验证码发送过于频繁，请 {wait} 秒后再试",
                                          field="phone", retry_after=wait)
            await conn.execute(
                "INSERT INTO verification_challenges (challenge_id, recipient_key, purpose, code_hash, created_at,"
                " expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                challenge_id, who, purpose, self._hash(challenge_id, code), now, now + self.ttl)
            await enqueue(conn, Notice(template=VERIFICATION_CODE.code, channel="sms", address=number,
                                       subject_id=challenge_id, personal=("code",),
                                       params={"code": code, "minutes": str(int(self.ttl.total_seconds() // 60))}),
                          event_id=challenge_id, catalogue=hub.catalogue, now=now, max_attempts=3)
        hub.worker.wake()
        first_limit = self.send_limits[0][1] if self.send_limits else timedelta(0)
        return Challenge(challenge_id=challenge_id, expires_at=now + self.ttl, resend_after=now + first_limit)

    async def confirm(self, runtime: Any, challenge_id: str, code: str) -> None:
        """The person typed `code`: returns when right; else a DomainError naming `code` (or `challenge_id`)."""
        now: datetime = runtime.clock.now()
        refusal: DomainError | None = None
        async with runtime.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow("SELECT * FROM verification_challenges WHERE challenge_id = $1 FOR UPDATE",
                                      challenge_id[:64])
            if row is None:
                refusal = ERRORS.error("verification.unknown", field="challenge_id", challenge_id=challenge_id[:64])
            elif row["verified_at"] is not None:
                refusal = ERRORS.error("verification.already_confirmed", field="code")
            elif now >= row["expires_at"]:
                refusal = ERRORS.error("verification.expired", field="code")
            elif row["tries"] >= self.max_tries:
                refusal = ERRORS.error("verification.too_many_tries", field="code")
            elif not hmac.compare_digest(self._hash(challenge_id, code.strip()), row["code_hash"]):
                # The wrong try is counted and committed before the refusal is raised.
                tries = row["tries"] + 1
                await conn.execute("UPDATE verification_challenges SET tries = $2 WHERE challenge_id = $1",
                                   challenge_id, tries)
                refusal = (ERRORS.error("verification.too_many_tries", field="code") if tries >= self.max_tries
                           else ERRORS.error("verification.wrong_code", field="code", left=self.max_tries - tries))
            else:
                await conn.execute("UPDATE verification_challenges SET verified_at = $2 WHERE challenge_id = $1",
                                   challenge_id, now)
        if refusal is not None:
            raise refusal

    async def consume(self, runtime: Any, challenge_id: str, phone: str, purpose: str) -> bool:
        """True once: the challenge was confirmed for this phone and purpose and has not expired or been used."""
        try:
            number = normal_address("sms", phone)
        except DomainError:
            return False
        now: datetime = runtime.clock.now()
        async with runtime.pool.acquire() as conn, conn.transaction():
            who = await recipient_key(conn, "sms", number)
            used = await conn.fetchval(
                "UPDATE verification_challenges SET consumed_at = $5 WHERE challenge_id = $1 AND recipient_key = $2"
                " AND purpose = $3 AND verified_at IS NOT NULL AND consumed_at IS NULL AND expires_at > $4"
                " RETURNING challenge_id", challenge_id[:64], who, purpose, now, now)
        return used is not None

"""Proof of work for public forms, ALTCHA-style, with no third-party service.

    POW = ProofOfWork(key=secret, max_number=100_000)
    challenge = POW.challenge(now)                        # GET: sent to the browser as JSON
    await POW.redeem(pool, body.proof_of_work, now)       # POST: raises a DomainError naming the field

A challenge is what ALTCHA's v1 protocol sends: `algorithm` SHA-256, a `salt` (a random nonce with
`?expires=<unix seconds>&` in it), `challenge` = hex SHA-256 of `salt + str(number)` for a secret
random `number` in 0..`maxnumber`, and `signature` = hex HMAC-SHA256 of `challenge` with the
server's key. The browser tries numbers from 0 up until the hash matches (`console/static/
proof-of-work.js`, `crypto.subtle`; about `maxnumber / 2` hashes on average), and sends back
base64(JSON `{algorithm, challenge, number, salt, signature}`), the payload an ALTCHA widget sends.

The server keeps no challenge: the signature proves it issued the challenge, and the challenge binds
the salt, so the expiry inside it cannot be changed. What it keeps is each challenge redeemed, until
it expires (table `proof_of_work_spent`, emptied by the runtime's housekeeping), so one solution
buys one request. Expiry is checked against the caller's `now` (the runtime's clock), which is why
this is a small verifier of our own and not the `altcha` package, whose check reads the system
clock and does not say why a payload failed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import parse_qs

import asyncpg
import msgspec

from ..errors import ErrorCatalogue

ALGORITHM = "SHA-256"
DEFAULT_MAX_NUMBER = 100_000
# Long enough to fill in a form after the challenge came; a solution is good for one request anyway.
DEFAULT_TTL = timedelta(minutes=10)
MAX_PAYLOAD_LENGTH = 1000  # base64 of ~300 bytes of JSON; anything longer is not ours

ERRORS = ErrorCatalogue({
    "proof_of_work.required": (
        "invalid", "This form needs a proof of work: let the page finish its check (it needs JavaScript), "
        "or fetch a challenge and solve it.", "请等待页面完成安全校验（需启用 JavaScript）后再提交。",
    ),
    "proof_of_work.malformed": (
        "invalid", "The proof of work is not a solved challenge of this service.",
        "安全校验数据无效，请刷新页面后重试。",
    ),
    "proof_of_work.invalid": (
        "invalid", "The proof of work does not solve a challenge of this service.",
        "安全校验未通过，请刷新页面后重试。",
    ),
    "proof_of_work.expired": (
        "invalid", "The proof of work has expired; solve a new challenge.", "安全校验已过期，请重新提交。",
    ),
    "proof_of_work.reused": (
        "conflict", "This proof of work was already used; each request needs a new one.",
        "该安全校验已使用过，请重新提交。",
    ),
})


class Challenge(msgspec.Struct, frozen=True, kw_only=True):
    """What the browser solves: find `number` with SHA-256(`salt` + number) == `challenge`."""

    algorithm: Literal["SHA-256"] = "SHA-256"
    challenge: str
    maxnumber: int
    salt: str
    signature: str


class Solution(msgspec.Struct, frozen=True, kw_only=True):
    """The payload, decoded: the challenge as issued plus the number found."""

    algorithm: str
    challenge: str
    number: int
    salt: str
    signature: str


_decode_solution = msgspec.json.Decoder(Solution)


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ProofOfWork:
    key: bytes
    max_number: int = DEFAULT_MAX_NUMBER
    ttl: timedelta = DEFAULT_TTL

    def _sign(self, challenge: str) -> str:
        return hmac.new(self.key, challenge.encode(), hashlib.sha256).hexdigest()

    def challenge(self, now: datetime) -> Challenge:
        expires = int((now + self.ttl).timestamp())
        # The trailing "&" keeps a number from being read as part of the salt's last parameter.
        salt = f"{secrets.token_hex(12)}?expires={expires}&"
        number = secrets.randbelow(self.max_number + 1)
        challenge = _sha256_hex(salt + str(number))
        return Challenge(challenge=challenge, maxnumber=self.max_number, salt=salt, signature=self._sign(challenge))

    def check(self, payload: str | None, now: datetime, *, field: str = "proof_of_work") -> tuple[Solution, datetime]:
        """The solution in `payload` and when it expires, or the refusal naming `field`."""
        if not payload:
            raise ERRORS.error("proof_of_work.required", field=field)
        try:
            if len(payload) > MAX_PAYLOAD_LENGTH:
                raise ValueError("too long")
            solution = _decode_solution.decode(base64.b64decode(payload, validate=True))
        except (ValueError, binascii.Error, msgspec.DecodeError):
            raise ERRORS.error("proof_of_work.malformed", field=field) from None
        if solution.algorithm != ALGORITHM or not hmac.compare_digest(
                solution.signature.encode(), self._sign(solution.challenge).encode()):
            raise ERRORS.error("proof_of_work.invalid", field=field)
        expires = _expiry(solution.salt)
        if expires is None:
            raise ERRORS.error("proof_of_work.invalid", field=field)
        if expires <= now:
            raise ERRORS.error("proof_of_work.expired", field=field)
        if not 0 <= solution.number <= self.max_number or not hmac.compare_digest(
                _sha256_hex(solution.salt + str(solution.number)).encode(), solution.challenge.encode()):
            raise ERRORS.error("proof_of_work.invalid", field=field)
        return solution, expires

    async def redeem(self, db: asyncpg.Pool | asyncpg.Connection, payload: str | None, now: datetime, *,
                     field: str = "proof_of_work") -> None:
        """Check the solution and mark its challenge used (until it expires): a second use is refused."""
        solution, expires = self.check(payload, now, field=field)
        fresh = await db.fetchval(
            "INSERT INTO proof_of_work_spent (challenge, expires_at) VALUES ($1, $2)"
            " ON CONFLICT (challenge) DO NOTHING RETURNING true", solution.challenge, expires)
        if not fresh:
            raise ERRORS.error("proof_of_work.reused", field=field)


def _expiry(salt: str) -> datetime | None:
    _, _, query = salt.partition("?")
    values = parse_qs(query).get("expires", [])
    if len(values) != 1 or not values[0].isdigit() or len(values[0]) > 12:
        return None
    return datetime.fromtimestamp(int(values[0]), UTC)


async def purge_spent(db: asyncpg.Pool | asyncpg.Connection, now: datetime) -> int:
    """Forget redeemed challenges that have expired (an expired one is refused as expired anyway)."""
    done = await db.execute("DELETE FROM proof_of_work_spent WHERE expires_at <= $1", now)
    return int(done.split()[-1])


def solve(challenge: Challenge | dict[str, object]) -> str:
    """Find the number and return the payload to send, as the browser's script does: for tests, the
    demo loader and the benchmark, which run with a low `maxnumber` so this is quick."""
    c = challenge if isinstance(challenge, Challenge) else msgspec.convert(challenge, Challenge)
    for number in range(c.maxnumber + 1):
        if _sha256_hex(c.salt + str(number)) == c.challenge:
            solution = Solution(algorithm=c.algorithm, challenge=c.challenge, number=number, salt=c.salt,
                                signature=c.signature)
            return base64.b64encode(msgspec.json.encode(solution)).decode()
    raise ValueError("the challenge has no solution up to its maxnumber")

"""The proof-of-work verifier without a server: what it accepts and why it refuses (the redeeming
and purging against PostgreSQL are tested through events-public's registrations)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from redpark_platform.errors import DomainError
from redpark_platform.web.proof_of_work import ProofOfWork, solve

NOW = datetime(2026, 7, 1, 8, tzinfo=UTC)
POW = ProofOfWork(key=b"k" * 32, max_number=500)


def test_a_solved_challenge_is_accepted_until_it_expires() -> None:
    challenge = POW.challenge(NOW)
    assert challenge.challenge == hashlib.sha256(challenge.salt.encode()
                                                 + str(json.loads(base64.b64decode(solve(challenge)))["number"])
                                                 .encode()).hexdigest()
    solution, expires = POW.check(solve(challenge), NOW + timedelta(minutes=9, seconds=59))
    assert expires == NOW + timedelta(minutes=10) and 0 <= solution.number <= 500
    with pytest.raises(DomainError) as refused:
        POW.check(solve(challenge), NOW + timedelta(minutes=10))
    assert (refused.value.code, refused.value.field) == ("proof_of_work.expired", "proof_of_work")


def edited(payload: str, **changes: object) -> str:
    return base64.b64encode(json.dumps({**json.loads(base64.b64decode(payload)), **changes}).encode()).decode()


def test_another_key_a_changed_salt_or_a_number_out_of_range_is_invalid() -> None:
    payload = solve(POW.challenge(NOW))
    other = ProofOfWork(key=b"x" * 32, max_number=500)
    salt = json.loads(base64.b64decode(payload))["salt"]
    for check, bad in ((other.check, payload),
                       (POW.check, edited(payload, salt=salt.replace("expires=", "expires=1"))),
                       (POW.check, edited(payload, number=-1)),
                       (POW.check, edited(payload, number=501))):
        with pytest.raises(DomainError) as refused:
            check(bad, NOW)
        assert refused.value.code == "proof_of_work.invalid"


@pytest.mark.parametrize("payload", [None, "", "%%%", base64.b64encode(b"{}").decode(), "e30=" * 300])
def test_a_missing_or_malformed_payload_is_refused_naming_the_field(payload: str | None) -> None:
    with pytest.raises(DomainError) as refused:
        POW.check(payload, NOW, field="proof")
    assert refused.value.code in ("proof_of_work.required", "proof_of_work.malformed")
    assert refused.value.field == "proof" and refused.value.status == 422

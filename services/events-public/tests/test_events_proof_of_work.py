"""Seat squatting (issue 16, item 9), against the real service: a carnival session asks each
registration for a solved proof-of-work challenge, and an activity may ask for a code sent to the
phone. Before, one address filled a 200-seat session in a minute with invented numbers."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from redpark_events_public.app import create_app
from redpark_events_public.application import EventsPublic
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, solved_challenge
from redpark_platform.web import mint_token

NOW = datetime.now(UTC).replace(microsecond=0)
# Every request comes from the test's one address: the per-address limits are not what is tested here.
HIGH_RATE_LIMITS = {
    "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_BROWSE_PER_ADDRESS": "100000/minute",
}


def staff() -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'officer-1', ['events_officer'])}"}


@pytest.fixture
async def started(service_client: Callable[..., Awaitable[ServiceClient]],
                  monkeypatch: pytest.MonkeyPatch) -> tuple[ServiceClient, FrozenClock]:
    for variable, value in HIGH_RATE_LIMITS.items():
        monkeypatch.setenv(variable, value)
    clock = FrozenClock(NOW)
    client = await service_client(create_app, clock=clock, log_level="WARNING")
    for body in ({"activity_id": "carnival", "kind": "science_carnival", "title": "科技嘉年华周"},
                 {"activity_id": "garden", "kind": "tech_garden_tour", "title": "科技游园", "carnival_id": "carnival"},
                 {"activity_id": "course", "kind": "youth_science_course", "title": "机器人课"}):
        r = await client.post("/staff/activities", json=body, headers=staff())
        assert r.status_code == 201, r.text
    for session_id, activity in (("g1", "garden"), ("c1", "course")):
        r = await client.post("/staff/sessions", headers=staff(), json={
            "session_id": session_id, "activity_id": activity, "place": "园区", "capacity": 200,
            "starts_at": (NOW + timedelta(days=3)).isoformat(),
            "ends_at": (NOW + timedelta(days=3, hours=2)).isoformat(),
            "registration_opens_at": (NOW - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (NOW + timedelta(days=2)).isoformat()})
        assert r.status_code == 201, r.text
    return client, clock


def person(i: int, **over: Any) -> dict[str, Any]:
    return {"name": f"访客{i}", "phone": f"137{i:08d}", "adults": 1, "consent": True, **over}


async def seats_taken(client: ServiceClient) -> int:
    count: int = await client.runtime.pool.fetchval(
        "SELECT count(*) FROM events"
        " WHERE type IN ('session.registration_confirmed', 'session.registration_waitlisted')")
    return count


def problem_of(answer: Any) -> tuple[int, str, str]:
    body = answer.json()
    return answer.status_code, body["code"], body["errors"][0]["field"]


async def test_200_invented_numbers_from_one_address_take_no_seat_without_proofs(started: Any) -> None:
    client, _ = started
    answers = [await client.post("/sessions/g1/registrations", json=person(i)) for i in range(200)]
    assert {problem_of(a) for a in answers} == {(422, "proof_of_work.required", "proof_of_work")}
    assert answers[0].headers["content-type"].startswith("application/problem+json")
    assert await seats_taken(client) == 0
    # The youth course does not ask for one (off by default but for carnival parts).
    assert (await client.post("/sessions/c1/registrations", json=person(1))).status_code == 201


def tampered(payload: str, **changes: Any) -> str:
    solution = json.loads(base64.b64decode(payload))
    return base64.b64encode(json.dumps({**solution, **changes}).encode()).decode()


async def test_every_bad_proof_is_a_4xx_naming_the_field_and_takes_no_seat(started: Any) -> None:
    client, _ = started
    good = await solved_challenge(client)
    solution = json.loads(base64.b64decode(good))
    far_future = solution["salt"].replace("expires=", "expires=9")  # a longer life, written in
    cases = {
        "": "proof_of_work.required",
        "not base64 !": "proof_of_work.malformed",
        base64.b64encode(b"[1, 2]").decode(): "proof_of_work.malformed",
        "A" * 5000: "request.invalid",  # longer than any payload: refused at the edge
        tampered(good, number=solution["number"] + 1): "proof_of_work.invalid",
        tampered(good, signature="0" * 64): "proof_of_work.invalid",
        tampered(good, salt=far_future): "proof_of_work.invalid",
        tampered(good, algorithm="SHA-1"): "proof_of_work.invalid",
    }
    for i, (payload, code) in enumerate(cases.items()):
        answer = await client.post("/sessions/g1/registrations", json=person(i, proof_of_work=payload))
        assert problem_of(answer) == (422, code, "proof_of_work"), (payload[:40], answer.text)
    assert await seats_taken(client) == 0
    # The untouched solution still works once, then never again.
    first = await client.post("/sessions/g1/registrations", json=person(100, proof_of_work=good))
    assert first.status_code == 201, first.text
    again = await client.post("/sessions/g1/registrations", json=person(101, proof_of_work=good))
    assert problem_of(again) == (409, "proof_of_work.reused", "proof_of_work")
    assert await seats_taken(client) == 1


async def test_a_proof_expires_and_spent_ones_are_purged_by_housekeeping(started: Any) -> None:
    client, clock = started
    late = await solved_challenge(client)
    used = await solved_challenge(client)
    assert (await client.post("/sessions/g1/registrations", json=person(1, proof_of_work=used))).status_code == 201
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM proof_of_work_spent") == 1
    clock.advance(minutes=10)
    expired = await client.post("/sessions/g1/registrations", json=person(2, proof_of_work=late))
    assert problem_of(expired) == (422, "proof_of_work.expired", "proof_of_work")
    await client.runtime.housekeep()
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM proof_of_work_spent") == 0
    # Purged, yet not reusable: an expired proof is refused as expired.
    reused = await client.post("/sessions/g1/registrations", json=person(3, proof_of_work=used))
    assert problem_of(reused) == (422, "proof_of_work.expired", "proof_of_work")


async def test_the_challenge_is_signed_short_lived_and_as_hard_as_configured(started: Any) -> None:
    client, _ = started
    r = await client.get("/proof-of-work/challenge")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    challenge = r.json()
    assert challenge["algorithm"] == "SHA-256" and challenge["maxnumber"] == 1000  # the tests' easy setting
    expires = int(challenge["salt"].split("expires=")[1].rstrip("&"))
    assert expires == int((NOW + timedelta(minutes=10)).timestamp())
    assert len(challenge["challenge"]) == 64 and len(challenge["signature"]) == 64


async def test_staff_switch_the_proof_off_for_an_activity_and_on_for_another(started: Any) -> None:
    client, _ = started
    off = await client.put("/staff/activities/garden/registration-checks",
                           json={"proof_of_work": False, "phone_verification": False}, headers=staff())
    assert off.status_code == 200, off.text
    assert (await client.post("/sessions/g1/registrations", json=person(1))).status_code == 201
    on = await client.put("/staff/activities/course/registration-checks",
                          json={"proof_of_work": True, "phone_verification": False}, headers=staff())
    assert on.status_code == 200
    refused = await client.post("/sessions/c1/registrations", json=person(2))
    assert problem_of(refused) == (422, "proof_of_work.required", "proof_of_work")
    catalogue = (await client.get("/catalogue", params={"after": on.json()["position"]})).json()
    checks = {a["activity_id"]: (a["proof_of_work"], a["phone_verification"]) for a in catalogue["activities"]}
    assert checks == {"carnival": (False, False), "garden": (False, False), "course": (True, False)}
    public = await client.put("/staff/activities/course/registration-checks",
                              json={"proof_of_work": False, "phone_verification": False})
    assert public.status_code == 401


async def test_a_phone_check_without_an_sms_channel_is_a_clear_503(started: Any) -> None:
    client, _ = started
    assert client.runtime.layer(EventsPublic).sessions.phone_codes is None  # no REDPARK_SMS_* here
    switched = await client.put("/staff/activities/course/registration-checks",
                                json={"proof_of_work": False, "phone_verification": True}, headers=staff())
    assert switched.status_code == 200, switched.text
    refused = await client.post("/sessions/c1/registrations", json=person(1, phone_code="123456"))
    assert problem_of(refused) == (503, "phone_verification.unavailable", "phone_code")
    assert "短信" in refused.json()["detail_zh"]
    no_code = await client.post("/sessions/c1/phone-codes", json={"phone": "13700000001"})
    assert problem_of(no_code) == (503, "phone_verification.unavailable", "phone_code")
    assert await seats_taken(client) == 0
    not_needed = await client.post("/sessions/g1/phone-codes", json={"phone": "13700000002"})
    assert not_needed.status_code == 409 and not_needed.json()["code"] == "phone_verification.not_needed"

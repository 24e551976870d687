"""Every input the public can send without a login, and what the real service answers to it.

Each case list below is the table of a route's public inputs: the hostile and the ordinary value,
and the answer the service gives (the status and, for a refusal, the field the problem names).
After every list the stream must still read back whole: no stored event that cannot be decoded,
no personal value that cannot be opened. A case that answers otherwise fails with the whole list
of differences, so the table stays true.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest

from redpark_events_public.app import create_app
from redpark_platform.masking import UNREADABLE
from redpark_platform.testkit import ServiceClient

NUL = "李\x00雷"
RTL = "\u202eRTL\u202c 李雷"  # a right-to-left override, as in filename-spoofing attacks
EMOJI = "李雷👨‍👩‍👧"
SQL = "'); DROP TABLE events; --"
TEN_KB = "名" * 10_000
# Raw JSON text for a lone surrogate: msgspec refuses it while decoding, so it never reaches a field.
LONE_SURROGATE = b'{"name": "\\ud800", "phone": "13800138000", "adults": 1, "consent": true}'


def registration(**changes: Any) -> dict[str, Any]:
    return {"name": "李雷", "phone": "13800138000", "adults": 1, "children_ages": [9], "consent": True} | changes


# (what is sent, the body, the status, the field a refusal names)
REGISTRATION_CASES: list[tuple[str, Any, int, str | None]] = [
    ("an ordinary registration", registration(), 201, None),
    ("the same phone again", registration(name="韩梅梅"), 409, None),
    ("NUL in the name", registration(name=NUL, phone="13800138001"), 422, "name"),
    ("a lone surrogate in the name (raw JSON)", LONE_SURROGATE, 400, None),
    ("a 10 kB name", registration(name=TEN_KB, phone="13800138002"), 422, "name"),
    ("a right-to-left override in the name", registration(name=RTL, phone="13800138003"), 201, None),
    ("emoji in the name", registration(name=EMOJI, phone="13800138004"), 201, None),
    ("SQL-looking text in the name", registration(name=SQL, phone="13800138005"), 201, None),
    ("a phone that looks sealed", registration(phone="sealed:v1:A"), 422, "phone"),
    ("a landline, not a mobile", registration(phone="010-12345678"), 422, "phone"),
    ("a phone with spaces and +86", registration(phone="+86 138 0013 8006"), 201, None),
    ("a 10 kB phone", registration(phone="1" * 10_000), 422, "phone"),
    ("adults 10^12", registration(adults=10**12, phone="13800138007"), 422, "adults"),
    ("a child aged -1", registration(children_ages=[-1], phone="13800138008"), 422, "children_ages[0]"),
    ("1,000 children", registration(children_ages=[5] * 1000, phone="13800138009"), 422, "children_ages"),
    ("no consent", registration(consent=False, phone="13800138010"), 422, "consent"),
    ("no name at all", {"phone": "13800138011", "consent": True}, 422, "name"),
    ("a string where a number goes", registration(adults="1", phone="13800138012"), 422, "adults"),
    ("not JSON", b"name=%E6%9D%8E", 400, None),
    ("a JSON array", b"[]", 422, None),
    ("300 KiB of JSON", registration(name="x" * 300 * 1024), 413, "body"),
]


def answer_of(r: Any) -> tuple[int, str | None]:
    if r.status_code < 400:
        return r.status_code, None
    assert r.headers["content-type"].startswith("application/problem+json"), r.text
    errors = r.json().get("errors") or []
    return r.status_code, errors[0].get("field") if errors else None


async def send(client: ServiceClient, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    if isinstance(body, bytes):
        return await client.post(path, content=body, headers={"content-type": "application/json", **(headers or {})})
    return await client.post(path, json=body, headers=headers)


def differences(cases: list[tuple[str, Any, int, str | None]], answers: list[tuple[int, str | None]]) -> list[str]:
    wrong = []
    for (what, _, status, field), (got_status, got_field) in zip(cases, answers, strict=True):
        if got_status != status or (field is not None and got_field != field):
            wrong.append(f"{what}: expected {status} {field or ''}, got {got_status} {got_field or ''}")
    return wrong


async def every_event_reads_back(client: ServiceClient) -> list[Any]:
    """Decode every stored event, opening every personal value: none may raise or stay unreadable."""
    store = client.runtime.store
    records = await store.read_all(-1, limit=10_000)
    events = await store.decode_all(records)
    assert len(events) == len(records)
    for event in events:
        assert UNREADABLE not in msgspec.json.encode(event).decode(), event
    return events


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]],
                 monkeypatch: pytest.MonkeyPatch) -> ServiceClient:
    # The table sends one contact phone many times: its answers are about the input, not the limit.
    monkeypatch.setenv("REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_PHONE", "")
    c = await service_client(create_app, roles=["events_officer"], log_level="WARNING")
    now = datetime.now(UTC)
    r = await c.post("/staff/activities", json={
        "activity_id": "a1", "kind": "youth_science_course", "title": "青少年机器人科普课", "place": "A3"})
    assert r.status_code == 201, r.text
    r = await c.post("/staff/sessions", json={
        "session_id": "s1", "activity_id": "a1", "place": "A3 报告厅", "capacity": 200,
        "starts_at": (now + timedelta(days=1)).isoformat(), "ends_at": (now + timedelta(days=1, hours=2)).isoformat(),
        "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (now + timedelta(hours=20)).isoformat()})
    assert r.status_code == 201, r.text
    return c


async def test_registration_inputs_get_the_answers_of_the_table(client: ServiceClient) -> None:
    path = "/sessions/s1/registrations"
    answers = [answer_of(await send(client, path, body)) for _, body, _, _ in REGISTRATION_CASES]
    assert differences(REGISTRATION_CASES, answers) == []
    events = await every_event_reads_back(client)
    names = {getattr(e, "name", None) for e in events}
    # What was accepted is stored exactly as typed, hostile characters included, and nothing refused is.
    assert {"李雷", RTL, EMOJI, SQL} <= names
    assert NUL not in names and TEN_KB not in names


async def test_a_repeated_idempotency_key_answers_the_first_registration_again(client: ServiceClient) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await send(client, "/sessions/s1/registrations", registration(), key)
    again = await send(client, "/sessions/s1/registrations", registration(), key)
    other_body = await send(client, "/sessions/s1/registrations", registration(name="韩梅梅"), key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert answer_of(other_body) == (422, "header.Idempotency-Key")
    events = await every_event_reads_back(client)
    assert sum(type(e).__name__ == "RegistrationConfirmed" for e in events) == 1


async def test_cancellation_and_ticket_inputs_get_the_answers_of_the_table(client: ServiceClient) -> None:
    made = await send(client, "/sessions/s1/registrations", registration())
    assert made.status_code == 201, made.text
    code = made.json()["ticket_code"]
    cancellations: list[tuple[str, Any, int, str | None]] = [
        ("NUL in the ticket code", {"ticket_code": "AB\x00C", "phone": "13800138000"}, 422, "ticket_code"),
        ("a 10 kB ticket code", {"ticket_code": "A" * 10_000, "phone": "13800138000"}, 422, "ticket_code"),
        ("SQL-looking ticket code", {"ticket_code": SQL, "phone": "13800138000"}, 422, "ticket_code"),
        ("a code that does not exist", {"ticket_code": "ACDE-FGHJ", "phone": "13800138000"}, 404, None),
        ("the right code, another phone", {"ticket_code": code, "phone": "13900139000"}, 404, None),
        ("the right code in lower case, phone with spaces",
         {"ticket_code": code.lower(), "phone": "138 0013 8000"}, 200, None),
        ("the same cancellation again", {"ticket_code": code, "phone": "13800138000"}, 409, None),
    ]
    responses = [await send(client, "/sessions/s1/cancellations", body) for _, body, _, _ in cancellations]
    assert differences(cancellations, [answer_of(r) for r in responses]) == []
    # Read the ticket as of the cancellation, so the read model has caught up with it.
    after = {"after": max(r.json()["position"] for r in responses if r.status_code == 200)}

    tickets = {
        "a 10 kB ticket code": ("A" * 10_000, 422),
        "a NUL in the path": ("AB%00C", 422),
        "SQL in the path": ("%27%3B%20DROP", 422),
        "a code that does not exist": ("ACDE-FGHJ", 404),
        "the real code": (code, 200),
    }
    for what, (path_code, status) in tickets.items():
        for suffix in ("", "/qr.png"):
            r = await client.get(f"/sessions/s1/tickets/{path_code}{suffix}", params=after)
            assert r.status_code == status, (what, suffix, r.status_code, r.text[:200])
    await every_event_reads_back(client)


OPEN_BASE_DAY = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()


def visit(**changes: Any) -> dict[str, Any]:
    return {"day": OPEN_BASE_DAY, "organization": "某区机关第三党支部", "contact_name": "王芳",
            "contact_phone": "13800138000", "group_size": 10} | changes


OPEN_BASE_CASES: list[tuple[str, Any, int, str | None]] = [
    ("an ordinary request", visit(), 201, None),
    ("NUL in the organization", visit(organization=NUL), 422, "organization"),
    ("a 10 kB contact name", visit(contact_name=TEN_KB), 422, "contact_name"),
    ("a right-to-left override and emoji", visit(contact_name=RTL, organization=EMOJI), 201, None),
    ("SQL-looking organization", visit(organization=SQL, contact_phone="13800138001"), 201, None),
    ("a phone that looks sealed", visit(contact_phone="sealed:v1:A"), 422, "contact_phone"),
    ("a date that is not a date", visit(day="0"), 422, "day"),
    ("a day in the past", visit(day="2020-01-01"), 422, "day"),
    ("a group of 0", visit(group_size=0), 422, "group_size"),
]


async def test_open_base_inputs_get_the_answers_of_the_table(client: ServiceClient) -> None:
    answers = [answer_of(await send(client, "/open-base/visits", body)) for _, body, _, _ in OPEN_BASE_CASES]
    assert differences(OPEN_BASE_CASES, answers) == []
    events = await every_event_reads_back(client)
    assert {getattr(e, "contact_name", None) for e in events} >= {"王芳", RTL}

"""Letters of transfer over HTTP against real PostgreSQL and NATS: a letter out for a member whose
relationship the park holds, a letter in for a registered member, the return slip, the overdue list on a
day; bad bodies refused naming the field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL
from redpark_platform.web import mint_token

AUDITOR = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'aud', ('auditor',), None, ttl=TEST_TOKEN_TTL)}"}
SECRETARY = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'sec', ('branch_secretary',), 'br1', ttl=TEST_TOKEN_TTL)}"}


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def refused(response: httpx.Response, status: int, code: str, field: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and [e["field"] for e in body["errors"]] == [field], body


async def test_letters_out_and_in_their_return_slips_and_the_overdue_list(client: httpx.AsyncClient) -> None:
    c = client
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    for m, relationship in (("m1", "in_park"), ("m2", "elsewhere"), ("m3", "in_park")):
        await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": None, "status": "full",
            "joined_party_on": "2010-07-01", "relationship": relationship,
            **({"relationship_held_by": "某县委组织部"} if relationship == "elsewhere" else {}),
            "phone": "13800000000", "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201)
    issued_on = date(2025, 3, 1)
    letter = {"member_id": "m1", "direction": "out", "letter_no": "园党转〔2025〕第3号", "organization": "某区机关工委",
              "valid_until": "2025-03-31", "effective_on": issued_on.isoformat(), "transfer_id": "t-out"}
    # m2's relationship is held elsewhere: the park cannot send it
    refused(await c.post("/transfer-letters", json={**letter, "member_id": "m2", "transfer_id": "t-x"}), 404,
            "member.unknown", "member_id")
    refused(await c.post("/transfer-letters", json={**letter, "letter_no": "  "}), 422,
            "transfer.letter_no_missing", "letter_no")
    refused(await c.post("/transfer-letters", json={**letter, "valid_until": "2025-07-01"}), 422,
            "transfer.deadline_too_long", "valid_until")
    refused(await c.post("/transfer-letters", json={**letter, "direction": "sideways"}), 422,
            "request.invalid", "direction")
    assert (await c.post("/transfer-letters", json=letter, headers=SECRETARY)).status_code == 403
    await ok(await c.post("/transfer-letters", json=letter), 201)
    # m2's letter in, received from the county; m3's letter out, returned
    await ok(await c.post("/transfer-letters", json={
        "member_id": "m2", "direction": "in", "letter_no": "县党转〔2025〕12号", "organization": "某县委组织部",
        "valid_until": "2025-05-01", "effective_on": "2025-04-02", "transfer_id": "t-in"}), 201)
    await ok(await c.post("/transfer-letters", json={**letter, "member_id": "m3", "transfer_id": "t-back"}), 201)
    back = await ok(await c.post("/transfer-letters/t-back/return-slip", json={"effective_on": "2025-03-20"}))
    refused(await c.post("/transfer-letters/t-back/return-slip", json={}), 409, "transfer.already_returned",
            "transfer_id")
    refused(await c.post("/transfer-letters/nope/return-slip", json={}), 404, "transfer.unknown", "transfer_id")

    judged = {"as_of": "2025-04-10", "after": back["position"]}
    overdue = await ok(await c.get("/transfer-letters", params={**judged, "status": "overdue"}, headers=AUDITOR))
    assert [(r["transfer_id"], r["letter_no"], r["days_overdue"]) for r in overdue["items"]] == [
        ("t-out", "园党转〔2025〕第3号", 10)]
    every = await ok(await c.get("/transfer-letters", params=judged))
    assert {r["transfer_id"]: r["status"] for r in every["items"]} == {
        "t-out": "overdue", "t-back": "returned", "t-in": "open"}
    assert (await c.get("/transfer-letters", headers=SECRETARY)).status_code == 403
    assert date.fromisoformat(every["items"][0]["valid_until"]) - issued_on == timedelta(days=30)

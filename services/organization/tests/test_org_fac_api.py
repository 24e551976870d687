"""Facilities over HTTP against real PostgreSQL and NATS: venues, a double booking refused (409 naming
the field), cancellation frees the slot, bookings per day; the special fund and a branch budget with
overspending refused; the XLSX export."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from openpyxl import load_workbook

from redpark_organization.demo.governance import load_venues
from redpark_platform.testkit import TEST_JWT_SECRET
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
SH = ZoneInfo("Asia/Shanghai")
TODAY = datetime.now(SH).date()
YEAR = TODAY.year


def bearer(role: str, branch: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, f'{role}-{branch}', (role,), branch)}"}


ADMIN = bearer("park_admin")


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def refused(response: httpx.Response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body


def at(days: int, hour: int) -> str:
    day = TODAY + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=SH).isoformat()


async def test_the_plans_venues_are_registered_and_a_room_is_never_double_booked(client: httpx.AsyncClient) -> None:
    c = client
    last = await load_venues(c)
    venues = await ok(await c.get("/venues", params={"after": last, "limit": 100}))
    names = {v["name"]: v for v in venues["items"]}
    assert names["党员活动室"]["location"] == "地下车库健身房" and names["党员活动室"]["bookable"]
    assert not names["党史教育长廊"]["bookable"]
    assert {v["group"] for v in venues["items"]} >= {"institute", "platforms", "corridors", "rooms"}
    hall = next(v["venue_id"] for v in venues["items"] if v["kind"] == "lecture_hall")
    corridor = next(v["venue_id"] for v in venues["items"] if v["kind"] == "corridor")

    secretary = bearer("branch_secretary", "br1")
    first = await ok(await c.post(f"/venues/{hall}/bookings", headers=secretary, json={
        "starts_at": at(3, 14), "ends_at": at(3, 16), "purpose": "主题党日"}), 201)
    refused(await c.post(f"/venues/{hall}/bookings", json={
        "starts_at": at(3, 15), "ends_at": at(3, 17), "purpose": "党课"}), 409, "booking.overlaps", "starts_at")
    refused(await c.post(f"/venues/{hall}/bookings", json={
        "starts_at": at(3, 17), "ends_at": at(3, 16), "purpose": "党课"}), 422, "booking.ends_before_start", "ends_at")
    refused(await c.post(f"/venues/{corridor}/bookings", json={
        "starts_at": at(3, 15), "ends_at": at(3, 17), "purpose": "党课"}), 409, "venue.not_bookable", "venue_id")
    back_to_back = await ok(await c.post(f"/venues/{hall}/bookings", json={
        "starts_at": at(3, 16), "ends_at": at(3, 18), "purpose": "党课"}), 201)

    refused(await c.post(f"/venues/{hall}/bookings/{first['id']}/cancellation", json={"reason": "改期"},
                         headers=bearer("branch_secretary", "br2")), 403, "booking.not_yours", "booking_id")
    await ok(await c.post(f"/venues/{hall}/bookings/{first['id']}/cancellation", json={"reason": "改期"},
                          headers=secretary))
    again = await ok(await c.post(f"/venues/{hall}/bookings", json={
        "starts_at": at(3, 15), "ends_at": at(3, 16), "purpose": "党课"}), 201)
    day = (TODAY + timedelta(days=3)).isoformat()
    listed = await ok(await c.get(f"/venues/{hall}/bookings", params={"day": day, "after": again["position"]}))
    assert [b["booking_id"] for b in listed["items"]] == [again["id"], back_to_back["id"]]
    assert (await ok(await c.get("/bookings", params={"day": day, "cancelled": True})))["total"] == 3
    other_day = (TODAY + timedelta(days=4)).isoformat()
    assert (await ok(await c.get("/bookings", params={"day": other_day})))["total"] == 0


async def test_spending_beyond_a_budget_is_refused_and_the_funds_export(client: httpx.AsyncClient) -> None:
    c = client
    first_of_year = f"{YEAR}-01-01"
    refused(await c.post(f"/funds/{YEAR}/spending", json={"amount_fen": 100, "target_id": "x",
                                                          "effective_on": first_of_year}), 409, "funds.no_budget",
            "year")
    await ok(await c.put(f"/funds/{YEAR}/budget", json={"amount_fen": 100_000, "effective_on": first_of_year}))
    await ok(await c.post(f"/funds/{YEAR}/spending", json={
        "amount_fen": 60_000, "spent_for": "venue", "target_id": "lecture-hall", "note": "音响",
        "effective_on": first_of_year}), 201)
    refused(await c.post(f"/funds/{YEAR}/spending", json={
        "amount_fen": 40_001, "spent_for": "activity", "target_id": "七一活动", "effective_on": first_of_year}),
        409, "funds.overspent", "amount_fen")
    refused(await c.post(f"/funds/{YEAR}/spending", json={"amount_fen": "many", "target_id": "x"}), 422,
            "request.invalid", "amount_fen")
    last = (await ok(await c.post(f"/funds/{YEAR}/spending", json={
        "amount_fen": 40_000, "spent_for": "activity", "target_id": "七一活动", "effective_on": first_of_year}),
        201))["position"]
    refused(await c.put("/branches/br9/funds/2025/budget", json={"amount_fen": 5}), 404, "funds.branch_not_active",
            "branch_id")
    budgets = await ok(await c.get("/funds", params={"year": YEAR, "after": last}))
    assert [(b["scope"], b["budget_fen"], b["spent_fen"], b["remaining_fen"]) for b in budgets["items"]] == [
        ("park", 100_000, 100_000, 0)]

    workbook = await c.get("/exports/facilities.xlsx", params={"year": YEAR})
    assert workbook.status_code == 200, workbook.text
    book = load_workbook(io.BytesIO(workbook.content))
    rows = list(book[f"支出明细（{YEAR}）"].iter_rows(min_row=2, values_only=True))
    assert sorted((r[3], r[5]) for r in rows) == [(400.0, "七一活动"), (600.0, "lecture-hall")]
    assert list(book[f"经费预算（{YEAR}）"].iter_rows(min_row=2, values_only=True)) == [
        ("党建专项资金", 1000.0, 1000.0, 0.0)]


async def test_the_facilities_read_model_equals_its_rebuild(client: httpx.AsyncClient) -> None:
    c = client
    await load_venues(c)
    assert await load_venues(c) == 0  # a second run of the demo writes nothing
    booking = await ok(await c.post("/venues/venue-activity-room/bookings", json={
        "starts_at": at(2, 9), "ends_at": at(2, 11), "purpose": "支部委员会"}), 201)
    await ok(await c.post(f"/venues/venue-activity-room/bookings/{booking['id']}/cancellation", json={}))
    await ok(await c.put(f"/funds/{YEAR}/budget", json={"amount_fen": 500, "effective_on": f"{YEAR}-01-01"}))
    last = await ok(await c.post(f"/funds/{YEAR}/spending", json={
        "amount_fen": 200, "spent_for": "venue", "target_id": "venue-city-study", "effective_on": f"{YEAR}-01-01"}),
        201)
    runtime = c._transport.app.state.runtime  # type: ignore[attr-defined]
    runner = runtime.runners["org_facilities"]
    assert await runtime.wait_for("org_facilities", last["position"], timeout=10)

    async def dump() -> dict[str, list[str]]:
        return {t: [r["row"] for r in await runtime.pool.fetch(f"SELECT t::text AS row FROM {t} t ORDER BY 1")]
                for t in runner.projection.tables}

    live = await dump()
    assert all(live.values()), live
    await runner.rebuild()
    assert await runtime.wait_for("org_facilities", last["position"], timeout=10)
    assert await dump() == live

"""The organization's `GET /dashboard` against real PostgreSQL and NATS: coverage with its tone, read
your own writes through `after`, members, transfers pending, this year's dues arrears, the pipeline,
and the coverage history read model (one line per event that can change coverage, equal to its
rebuild, drawn as the trend)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from redpark_organization.api.dashboard import coverage_trend
from redpark_organization.application.organization import Organization
from redpark_organization.projections.coverage_history import NAME as HISTORY
from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', ('park_admin',), None, ttl=TEST_TOKEN_TTL)}"}
AUDITOR = {"Authorization": f"Bearer {mint_token(SECRET, 'audit-1', ('auditor',), None, ttl=TEST_TOKEN_TTL)}"}
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def move_in(c: httpx.AsyncClient, eid: str) -> int:
    body = await ok(await c.post("/enterprises", json={
        "enterprise_id": eid, "name": f"企业{eid}", "building_id": "a1", "floor": 1, "headcount": 10,
        "is_tech_enterprise": False, "legal_representative": "李四"}), 201)
    return int(body["position"])


async def liaison(c: httpx.AsyncClient, eid: str) -> int:
    return int((await ok(await c.put(f"/enterprises/{eid}/liaison-instructor", json={"member_id": "m1"})))["position"])


async def board(c: httpx.AsyncClient, after: int, headers: dict[str, str] | None = None) -> dict[str, Any]:
    body = await ok(await c.get("/dashboard", params={"after": after}, headers=headers))
    return {"tiles": {t["key"]: t for t in body["tiles"]}, "charts": {ch["key"]: ch for ch in body["charts"]},
            "service": body["service"]}


async def test_the_dashboard_figures_follow_coverage_members_dues_and_the_pipeline(
        client: httpx.AsyncClient) -> None:
    c = client
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 9,
                                              "sequence_in_zone": 1}), 201)
    for eid in ("e1", "e2", "e3", "e4"):
        await move_in(c, eid)
    await ok(await c.post("/members", json={
        "member_id": "m1", "name": "党员甲", "enterprise_id": None, "status": "full", "joined_party_on": "2010-07-01",
        "relationship": "in_park", "phone": "13800000000", "id_number": "11010519491231002X"}), 201)
    await ok(await c.post("/members", json={
        "member_id": "m2", "name": "党员乙", "enterprise_id": None, "status": "probationary",
        "joined_party_on": f"{TODAY.year - 1}-07-01", "relationship": "elsewhere", "relationship_held_by": "某街道党工委",
        "phone": "13800000001", "id_number": "110105199001011234"}), 201)
    await ok(await c.put("/members/m1/dues-rate", json={"monthly_amount_fen": 1000, "effective_from": f"{TODAY.year}-01"}))
    await ok(await c.post("/development", json={"person_id": "p1", "name": "申请人", "enterprise_id": "e1"}), 201)
    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "园区党总支"}), 201)

    first = await board(c, await liaison(c, "e1"), AUDITOR)  # any staff role reads the dashboard
    assert first["service"] == "organization"
    cov = first["tiles"]["coverage"]
    assert (cov["value"], cov["note"], cov["tone"], cov["href"]) == ("25.0%", "1 / 4 家企业", "bad", "/ui/grid")
    assert first["tiles"]["assessment"]["value"] == "—" and first["charts"]["branch_scores"]["labels"] == []
    assert first["tiles"]["uncovered"]["value"] == "3"
    assert (first["tiles"]["members"]["value"], first["tiles"]["members"]["note"]) == ("2", "正式 1 / 预备 1")
    assert first["tiles"]["transfers_pending"]["value"] == "1"
    arrears = first["tiles"]["dues_arrears"]
    assert (arrears["value"], arrears["note"]) == ("1", f"共 ¥{TODAY.month * 10:,.2f}")
    assert first["tiles"]["pipeline"]["value"] == "1"
    assert first["charts"]["pipeline"]["series"][0]["data"] == [1.0, 0.0, 0.0, 0.0]

    await liaison(c, "e2")
    three = await board(c, await liaison(c, "e3"))
    assert (three["tiles"]["coverage"]["value"], three["tiles"]["coverage"]["tone"]) == ("75.0%", "warn")
    full = await board(c, await liaison(c, "e4"))
    assert (full["tiles"]["coverage"]["value"], full["tiles"]["coverage"]["tone"]) == ("100.0%", "ok")
    assert (full["tiles"]["uncovered"]["value"], full["tiles"]["uncovered"]["tone"]) == ("0", "ok")

    # A tenant moves in: the very next read shows the drop (read your own writes), then it leaves.
    dropped = await board(c, await move_in(c, "e5"))
    assert (dropped["tiles"]["coverage"]["value"], dropped["tiles"]["coverage"]["tone"]) == ("80.0%", "warn")
    trend = dropped["charts"]["coverage_trend"]  # a first day: one point per change
    assert trend["series"][0]["data"][-5:] == [25.0, 50.0, 75.0, 100.0, 80.0]
    assert len(trend["labels"]) == 9 and trend["labels"][-1].startswith(TODAY.strftime("%m-%d "))
    left = await ok(await c.post("/enterprises/e5/move-out", json={}))
    assert (await board(c, left["position"]))["tiles"]["coverage"]["value"] == "100.0%"

    unauthenticated = await c.get("/dashboard", headers={"Authorization": ""})
    assert unauthenticated.status_code == 401


async def test_the_coverage_history_records_each_change_and_equals_its_rebuild(client: httpx.AsyncClient) -> None:
    c = client
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 9,
                                              "sequence_in_zone": 1}), 201)
    for eid in ("e1", "e2"):
        await move_in(c, eid)
    for m in ("m1", "m2", "m3"):
        await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
            "id_number": "11010519491231002X"}), 201)
    runtime = c._transport.app.state.runtime  # type: ignore[attr-defined]
    assert await runtime.wait_for("org_rosters", await runtime.store.last_position(), timeout=10)
    await ok(await c.post("/branches", json={"branch_id": "br1", "name": "企业e1党支部", "kind": "enterprise",
                                             "enterprise_ids": ["e1"]}), 201)
    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "园区党总支"}), 201)
    await liaison(c, "e2")
    await ok(await c.post("/zones", json={"zone_id": "B", "name": "B区", "phase": 2}), 201)  # cannot change coverage
    last = await ok(await c.post("/enterprises/e1/move-out", json={}))
    assert await runtime.wait_for(HISTORY, last["position"], timeout=10)

    rows = await runtime.pool.fetch("SELECT event_type, enterprise_id, covered, total FROM org_coverage_history"
                                    " ORDER BY position")
    assert [(r["event_type"], r["enterprise_id"], r["covered"], r["total"]) for r in rows] == [
        ("enterprise.moved_in", "e1", 0, 1), ("enterprise.moved_in", "e2", 0, 2),
        ("enterprise.joined_branch", "e1", 1, 2), ("enterprise.liaison_instructor_assigned", "e2", 2, 2),
        ("enterprise.left_branch", "e1", 1, 2), ("enterprise.moved_out", "e1", 1, 1),
    ]
    dashboard = await board(c, last["position"])
    assert dashboard["tiles"]["coverage"]["value"] == "100.0%"
    assert dashboard["charts"]["coverage_trend"]["series"][0]["data"] == [0.0, 0.0, 50.0, 100.0, 50.0, 100.0]

    async def dump() -> list[list[str]]:
        return [[r["row"] for r in await runtime.pool.fetch(f"SELECT t::text AS row FROM {t} t ORDER BY 1")]
                for t in ("org_cov_enterprises", "org_coverage_history")]

    live = await dump()
    await runtime.runners[HISTORY].rebuild()
    assert await runtime.wait_for(HISTORY, last["position"], timeout=10)
    assert await dump() == live


async def test_the_trend_shows_coverage_at_the_end_of_each_park_day(client: httpx.AsyncClient) -> None:
    """Older history (written here as the projection would have, on days gone by): one point per day of
    the last 90, each the last figures recorded by the end of that day in the park."""
    runtime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    zone = ZoneInfo("Asia/Shanghai")

    def at(days_ago: int, hour: int) -> datetime:
        return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), zone)

    for position, (when, covered, total) in enumerate(
            ((at(100, 9), 1, 2), (at(5, 9), 1, 4), (at(5, 23), 2, 4), (at(2, 0), 3, 3)), start=1):
        await runtime.pool.execute("INSERT INTO org_coverage_history VALUES ($1, $2, 'test', 'e', $3, $4)",
                                   position, when, covered, total)
    trend = await coverage_trend(runtime.layer(Organization), TODAY)
    assert len(trend) == 90 and trend[0].label == (TODAY - timedelta(days=89)).isoformat()
    by_day = {p.label: p.rate for p in trend}
    assert by_day[(TODAY - timedelta(days=89)).isoformat()] == 0.5
    assert by_day[(TODAY - timedelta(days=6)).isoformat()] == 0.5
    assert by_day[(TODAY - timedelta(days=5)).isoformat()] == 0.5  # 2 of 4 at the end of that day
    assert by_day[(TODAY - timedelta(days=3)).isoformat()] == 0.5
    assert by_day[(TODAY - timedelta(days=2)).isoformat()] == 1.0 and trend[-1].rate == 1.0
    assert trend[-1].label == TODAY.isoformat()

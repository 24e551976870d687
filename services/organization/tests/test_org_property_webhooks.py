"""The property-management system's webhooks into the organization service, against real PostgreSQL
and NATS: a check-in appears in the census as an uncovered enterprise, a check-out that arrives first
waits for its check-in, relocations keep the newest, and the simulator's traffic all lands."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from redpark_organization.app import create_app
from redpark_organization.demo import simulate_property as sim
from redpark_organization.integrations.property import INBOX
from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL, ServiceClient, eventually
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
HOOK_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch) -> ServiceClient:
    # Quick retries, so a notice waiting for another is applied within the test's patience.
    monkeypatch.setattr(INBOX, "backoff_base", 0.1)
    monkeypatch.setattr(INBOX, "backoff_cap", 0.5)
    monkeypatch.setattr(INBOX, "poll_interval", 0.05)
    # ...and patient ones: on a loaded machine the notice it waits for may come seconds later.
    monkeypatch.setattr(INBOX, "max_attempts", 100)
    c = await service_client(create_app, webhook_secrets={"property": HOOK_SECRET})
    c.headers.update(ADMIN)
    return c


async def park(c: httpx.AsyncClient) -> None:
    assert (await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1})).status_code == 201
    assert (await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                             "sequence_in_zone": 1})).status_code == 201
    assert (await c.put("/integrations/property/buildings/HX-A01", json={"building_id": "a1"})).status_code == 200


async def enterprises(c: httpx.AsyncClient) -> list[dict[str, Any]]:
    r = await c.get("/enterprises", params={"limit": 500, "include_moved_out": "true"})
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def settled(c: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every delivery once none is pending any more."""
    async def check() -> list[dict[str, Any]] | None:
        rows: list[dict[str, Any]] = (await c.get("/webhooks/deliveries", params={"limit": 500})).json()["items"]
        return None if any(r["status"] == "pending" for r in rows) else rows
    rows: list[dict[str, Any]] = await eventually(check)
    return rows


async def test_a_check_in_appears_in_the_census_as_an_uncovered_enterprise_under_our_own_ids(
        client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    pms = sim.PropertySystem(c, "", HOOK_SECRET)
    sent = await pms.send("check in", sim.checked_in("T2025-0318", "洛阳智造科技有限公司", "HX-A01", 5, staff=36,
                                                      legal_rep="王立新"))
    assert sent.status == 202 and sent.body["status"] == "accepted"

    async def uncovered() -> list[dict[str, Any]]:
        return (await c.get("/coverage")).json()["uncovered"]["items"]
    [row] = await eventually(uncovered)
    assert row["building_id"] == "a1" and row["reason"] == "no_members_no_liaison"
    [ent] = await enterprises(c)
    assert ent["name"] == "洛阳智造科技有限公司" and ent["floor"] == 5 and ent["headcount"] == 36
    # Their tenant code is mapped, never used as our id.
    assert ent["enterprise_id"] != "T2025-0318" and "T2025" not in json.dumps(ent)
    assert (await settled(c))[0]["status"] == "applied"


async def test_a_check_in_for_an_unknown_building_waits_until_the_building_is_handed_over(
        client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    pms = sim.PropertySystem(c, "", HOOK_SECRET)
    await pms.send("check in", sim.checked_in("T-9", "新楼科技", "HX-B07", 3))

    async def waiting() -> bool:
        rows = (await c.get("/webhooks/deliveries")).json()["items"]
        return rows[0]["attempts"] >= 1 and rows[0]["last_error"] == "building HX-B07 is not known yet"
    await eventually(waiting)
    await pms.send("building handed over", sim.building_added("HX-B07", "7号楼", phase=1, floors=9))
    rows = await settled(c)
    assert [r["status"] for r in rows] == ["applied", "applied"]
    [ent] = await eventually(lambda: enterprises(c))  # applied; the list's read model may trail a moment
    assert ent["name"] == "新楼科技" and ent["building_id"] not in ("a1", "HX-B07")


async def test_a_check_out_arriving_before_its_check_in_waits_then_applies(client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    pms = sim.PropertySystem(c, "", HOOK_SECRET)
    early = await pms.send("check out first", sim.checked_out("T-7", "HX-A01", minutes_ago=1))

    async def retried() -> bool:
        rows = (await c.get("/webhooks/deliveries")).json()["items"]
        return rows[0]["attempts"] >= 2 and rows[0]["status"] == "pending"
    await eventually(retried)
    await pms.send("the late check-in", sim.checked_in("T-7", "迟到科技", "HX-A01", 2, minutes_ago=30))
    rows = await settled(c)
    assert {r["delivery_id"]: r["status"] for r in rows}[early.body["delivery_id"]] == "applied"

    async def gone() -> bool:
        return [e["in_park"] for e in await enterprises(c)] == [False]
    await eventually(gone)
    cov = (await c.get("/coverage")).json()
    assert cov["overall"]["total"] == 0 and cov["uncovered"]["items"] == []


async def test_an_older_change_of_floor_arriving_late_does_not_overwrite_the_newer(client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    pms = sim.PropertySystem(c, "", HOOK_SECRET)
    await pms.send("check in", sim.checked_in("T-5", "搬家科技", "HX-A01", 3, minutes_ago=60))
    await settled(c)
    await pms.send("newer: floor 9", sim.unit_changed("T-5", "HX-A01", 9, minutes_ago=2))
    await pms.send("older: floor 7", sim.unit_changed("T-5", "HX-A01", 7, minutes_ago=10))
    assert [r["status"] for r in await settled(c)] == ["applied"] * 3

    async def on_nine() -> bool:
        return [e["floor"] for e in await enterprises(c)] == [9]
    await eventually(on_nine)
    # Another building, through the same notice.
    await pms.send("building handed over", sim.building_added("HX-A02", "2号楼", floors=20))
    await pms.send("moves to the new building", sim.unit_changed("T-5", "HX-A02", 15, minutes_ago=1))
    await settled(c)

    async def moved() -> list[dict[str, Any]]:
        return [e for e in await enterprises(c) if e["floor"] == 15 and e["building_id"] != "a1"]
    await eventually(moved)


async def test_a_building_code_maps_to_one_registered_building_only(client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    unknown = await c.put("/integrations/property/buildings/HX-Z9", json={"building_id": "nope"})
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "building_id"
    twice = await c.put("/integrations/property/buildings/HX-OTHER", json={"building_id": "a1"})
    assert twice.status_code == 409
    listed = (await c.get("/integrations/property/buildings")).json()
    assert listed == [{"bldg_code": "HX-A01", "building_id": "a1"}]


async def test_the_simulator_s_demo_traffic_is_answered_as_a_real_sender_expects_and_all_applies(
        client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    sent = await sim.run_scenario(c, "", HOOK_SECRET, "demo", prefix="SIM")
    assert all(s.as_expected for s in sent), [(s.label, s.status, s.body) for s in sent]
    duplicate = next(s for s in sent if s.label.startswith("the same delivery"))
    assert duplicate.body == sent[1].body
    rows = await settled(c)
    assert [r["status"] for r in rows] == ["applied"] * 6  # 422 and 401 deliveries are not stored

    async def final() -> dict[str, Any] | None:
        ents = {e["name"]: e for e in await enterprises(c)}
        first, second = ents.get("洛阳SIM智能科技有限公司"), ents.get("SIM云数据有限公司")
        ok = first is not None and first["floor"] == 9 and second is not None and not second["in_park"]
        return ents if ok else None
    await eventually(final)


def test_the_simulator_reads_the_park_secrets_file_or_a_bare_secret(tmp_path: Path) -> None:
    park_file = tmp_path / "webhook-secrets.json"
    park_file.write_text(json.dumps({"property": "whsec_abc", "recruitment": "whsec_def"}))
    bare = tmp_path / "secret"
    bare.write_text("whsec_xyz\n")
    assert sim.read_secret(park_file) == "whsec_abc" and sim.read_secret(bare) == "whsec_xyz"


def test_the_simulator_command_line_sends_its_demo_to_a_running_service(
        pg_dsn: str, nats_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import dataclasses

    from redpark_platform.inbox import ensure_secrets_file
    from redpark_platform.testkit.fuzz import fuzz_settings, running

    secrets_file = tmp_path / "webhook-secrets.json"
    park_secrets = ensure_secrets_file(secrets_file)
    settings = dataclasses.replace(fuzz_settings("organization", pg_dsn, nats_url, tmp_path, SECRET),
                                   webhook_secrets=park_secrets)
    with running(create_app(settings), "organization") as url:
        code = sim.main(["--url", url, "--secret-file", str(secrets_file), "--scenario", "demo"])
        out = capsys.readouterr().out
        assert code == 0, out
        lines = [line for line in out.splitlines() if line.startswith(("ok ", "!! "))]
        assert len(lines) == 10 and all(line.startswith("ok ") for line in lines), out
        assert any(line.startswith("ok 401 (expected 401)  wrong secret") for line in lines)
        wrong = tmp_path / "wrong"
        wrong.write_text(sim.read_secret(secrets_file)[:-4] + "AAA=")
        assert sim.main(["--url", url, "--secret-file", str(wrong), "--scenario", "move-in"]) == 1


async def test_each_property_notice_is_documented_with_an_example_that_decodes(client: httpx.AsyncClient) -> None:
    import msgspec

    from redpark_organization.integrations.property import PropertyEvent

    doc = (await client.get("/openapi.json")).json()
    media = doc["paths"]["/webhooks/property"]["post"]["requestBody"]["content"]["application/json"]
    assert set(media["examples"]) == {"building.added", "tenant.checked_in", "tenant.checked_out",
                                      "tenant.unit_changed"}
    for name, example in media["examples"].items():
        notice = msgspec.convert(example["value"], PropertyEvent)
        assert example["value"]["event_type"] == name and type(notice).__name__ in doc["components"]["schemas"]

"""The general branch and grid plan progress over HTTP, against real PostgreSQL and NATS."""

from __future__ import annotations

from typing import Any

import httpx

from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', ('park_admin',), None, ttl=TEST_TOKEN_TTL)}"}


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def park(c: httpx.AsyncClient) -> int:
    """Zone A with buildings a1, a2; e1 (3 full members) in a1, e2 (no members) in a1."""
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    for n in (1, 2):
        await ok(await c.post("/buildings", json={"building_id": f"a{n}", "zone_id": "A", "name": f"{n}号楼",
                                                  "floors": 12, "sequence_in_zone": n}), 201)
    for eid in ("e1", "e2"):
        await ok(await c.post("/enterprises", json={
            "enterprise_id": eid, "name": f"企业{eid}", "building_id": "a1", "floor": 3, "headcount": 40,
            "is_tech_enterprise": True, "legal_representative": "张三"}), 201)
    last = 0
    for m in ("m1", "m2", "m3"):
        body = await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
            "id_number": "11010519491231002X"}), 201)
        last = int(body["position"])
    return last


async def test_the_general_branch_is_one_per_park_elects_its_secretary_and_sends_liaisons(
        client: httpx.AsyncClient) -> None:
    c = client
    last = await park(c)
    missing = await c.get("/general-branch", params={"after": last})
    assert missing.status_code == 404 and missing.json()["code"] == "general_branch.not_established"
    refused = await c.put("/enterprises/e2/liaison-instructor", json={"member_id": "m1"})
    assert refused.status_code == 409 and refused.json()["code"] == "liaison.no_general_branch"

    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "红色园区党总支"}), 201)
    twice = await c.post("/general-branch", json={"general_branch_id": "gb2", "name": "第二个党总支"})
    assert twice.status_code == 409 and twice.json()["code"] == "general_branch.already_established"

    too_big = await c.post("/general-branch/elections", json={
        "secretary_id": "m1", "committee_member_ids": ["m1", "m2", "m3"]})
    assert too_big.status_code == 422 and too_big.json()["code"] == "committee.not_allowed_below_seven"
    elected = await ok(await c.post("/general-branch/elections", json={"secretary_id": "m1",
                                                                      "deputy_secretary_id": "m2"}))
    view = await ok(await c.get("/general-branch", params={"after": elected["position"]}))
    assert view["general_branch_id"] == "gb" and view["name"] == "红色园区党总支"
    assert (view["secretary_id"], view["deputy_secretary_id"], view["committee_member_ids"]) == ("m1", "m2", [])
    assert view["member_count"] == 3 and view["full_member_count"] == 3
    assert view["readiness"]["ready"] is False and view["readiness"]["short_by"] == 97

    sent = await ok(await c.put("/enterprises/e2/liaison-instructor", json={"member_id": "m1"}))
    listed = await ok(await c.get("/enterprises", params={"after": sent["position"]}))
    e2 = next(e for e in listed["items"] if e["enterprise_id"] == "e2")
    assert e2["liaison_instructor_id"] == "m1" and e2["liaison_sent_by"] == "gb"


async def test_a_plan_item_carried_out_shows_done_and_the_others_pending(client: httpx.AsyncClient) -> None:
    c = client
    last = await park(c)
    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "红色园区党总支"}), 201)
    proposal = await ok(await c.get("/grid/proposal", params={"after": last}))
    assert proposal["plan"]["branches_to_form"][0]["enterprise_ids"] == ["e1"]
    adopted = await ok(await c.post("/grid/plans", json={"plan_id": "p1"}), 201)

    progress = await ok(await c.get("/grid/plans/p1/progress", params={"after": adopted["position"]}))
    kinds = sorted(i["kind"] for i in progress["items"])
    assert "branch_to_form" in kinds and "building_assignment" in kinds and "liaison" in kinds
    assert progress["done"] == 0 and progress["pending"] == len(progress["items"])

    # one item carried out: the planned branch is formed for e1 (forming it organizes e1, which is
    # the plan's attachment of e1 to that branch too); the buildings and the liaison stay pending
    formed = await ok(await c.post("/branches", json={"branch_id": "br1", "name": "企业e1党支部",
                                                      "kind": "enterprise", "enterprise_ids": ["e1"]}), 201)
    progress = await ok(await c.get("/grid/plans/p1/progress", params={"after": formed["position"]}))
    by_kind = {i["kind"]: i for i in progress["items"]}
    assert by_kind["branch_to_form"]["done"] is True
    assert by_kind["branch_to_form"]["fulfilled_by_branch_id"] == "br1"
    assert by_kind["branch_to_form"]["done_on"] is not None
    attach = [i for i in progress["items"] if i["kind"] == "enterprise_attachment"]
    assert [(i["subject_id"], i["done"], i["fulfilled_by_branch_id"]) for i in attach] == [("e1", True, "br1")]
    others = [i for i in progress["items"] if i["kind"] in ("building_assignment", "liaison")]
    assert {i["kind"] for i in others} == {"building_assignment", "liaison"}
    assert all(not i["done"] and i["done_on"] is None for i in others)
    assert progress["done"] == 2 and progress["pending"] == len(others)

    # the building given to the planned branch: done once br1 (which stands for it) is assigned a1
    assignment = next(i for i in others if i["kind"] == "building_assignment")
    assigned = await ok(await c.put(f"/buildings/{assignment['subject_id']}/branch", json={"branch_id": "br1"}))
    progress = await ok(await c.get("/grid/plans/p1/progress", params={"after": assigned["position"]}))
    done = {(i["kind"], i["subject_id"]) for i in progress["items"] if i["done"]}
    assert ("building_assignment", assignment["subject_id"]) in done and progress["done"] == 3

    unknown = await c.get("/grid/plans/nope/progress")
    assert unknown.status_code == 404 and unknown.json()["code"] == "grid.plan_unknown"

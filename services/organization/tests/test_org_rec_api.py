"""Recognition over HTTP against real PostgreSQL and NATS: review → poor → talk due → talk recorded;
a poor-rated member's nomination refused; ratings hidden from auditors; the XLSX export."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from openpyxl import load_workbook

from redpark_platform.testkit import TEST_JWT_SECRET
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
YEAR = datetime.now(ZoneInfo("Asia/Shanghai")).year


def bearer(role: str, branch: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, f'{role}-{branch}', (role,), branch)}"}


ADMIN = bearer("park_admin")
AUDITOR = bearer("auditor")


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def refused(response: httpx.Response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body


async def park(c: httpx.AsyncClient) -> int:
    """e1 with members m1..m3 on branch br1."""
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                              "sequence_in_zone": 1}), 201)
    await ok(await c.post("/enterprises", json={
        "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 3, "headcount": 40,
        "is_tech_enterprise": True, "legal_representative": "张三", "effective_on": "2024-01-01"}), 201)
    for m in ("m1", "m2", "m3"):
        registered = await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
            "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201)
    await ok(await c.get("/members", params={"after": registered["position"]}))
    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "红色园区党总支",
                                                   "effective_on": "2024-01-01"}), 201)
    await ok(await c.post("/branches", json={"branch_id": "br1", "name": "爱科技党支部", "kind": "enterprise",
                                             "enterprise_ids": ["e1"], "effective_on": "2024-06-01"}), 201)
    last = 0
    for m in ("m1", "m2", "m3"):
        last = int((await ok(await c.put(f"/members/{m}/branch", json={"branch_id": "br1",
                                                                        "effective_on": "2024-07-01"})))["position"])
    return last


async def rate_all(c: httpx.AsyncClient, member: str, leadership: str, employees: str, branch: str) -> int:
    last = 0
    for rater, rating in (("leadership", leadership), ("employees", employees), ("branch", branch)):
        last = int((await ok(await c.post(f"/reviews/{YEAR}/members/{member}/ratings",
                                          json={"rater": rater, "rating": rating}), 201))["position"])
    return last


async def test_a_poor_review_requires_a_warning_talk_until_it_is_recorded(client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    last = await rate_all(c, "m1", "poor", "good", "poor")
    await rate_all(c, "m2", "excellent", "excellent", "good")
    last = int((await ok(await c.post(f"/reviews/{YEAR}/members/m3/ratings",
                                      json={"rater": "branch", "rating": "good"}), 201))["position"])
    refused(await c.post(f"/reviews/{YEAR}/members/m3/ratings", json={"rater": "branch", "rating": "poor"}),
            409, "review.already_rated", "rater")
    refused(await c.post(f"/reviews/{YEAR}/members/m3/ratings", json={"rater": "boss", "rating": "poor"}),
            422, "request.invalid", "rater")

    reviews = {r["member_id"]: r for r in (await ok(await c.get("/reviews", params={"after": last})))["items"]}
    assert reviews["m1"]["overall"] == "poor" and reviews["m2"]["overall"] == "excellent"
    assert reviews["m3"]["overall"] is None and reviews["m3"]["branch"] == "good"
    due = await ok(await c.get("/reviews/warning-talks", params={"due": True}))
    assert [t["member_id"] for t in due["items"]] == ["m1"]
    pending = await ok(await c.get("/reviews/unreviewed"))
    assert [(p["member_id"], p["raters_done"]) for p in pending["items"]] == [("m3", ["branch"])]

    refused(await c.post(f"/reviews/{YEAR}/members/m2/warning-talk",
                         json={"talked_on": f"{YEAR}-01-01", "talked_by": "书记"}), 409, "review.talk_not_required",
            "member_id")
    talk = await ok(await c.post(f"/reviews/{YEAR}/members/m1/warning-talk", json={
        "talked_on": f"{YEAR}-01-01", "talked_by": "支部书记", "notes": "指出问题"}), 201)
    due = await ok(await c.get("/reviews/warning-talks", params={"due": True, "after": talk["position"]}))
    assert due["total"] == 0
    talks = await ok(await c.get("/reviews/warning-talks"))
    assert [(t["member_id"], t["talked_by"]) for t in talks["items"]] == [("m1", "支部书记")]

    # auditors see counts, not individual ratings
    refused(await c.get("/reviews", headers=AUDITOR), 403, "auth.forbidden")
    counts = await ok(await c.get("/reviews/summary", headers=AUDITOR))
    assert (counts["poor"], counts["excellent"], counts["unreviewed"], counts["poor_without_talk"]) == (1, 1, 1, 0)
    # br1's secretary reads its own branch's ratings, no other branch's
    own = await ok(await c.get("/reviews", headers=bearer("branch_secretary", "br1")))
    assert own["total"] == 3
    assert (await c.get("/reviews", params={"branch_id": "br9"},
                        headers=bearer("branch_secretary", "br1"))).status_code == 403
    # a secretary of another branch rates none of br1's members
    assert (await c.post(f"/reviews/{YEAR}/members/m3/ratings", json={"rater": "employees", "rating": "good"},
                         headers=bearer("branch_secretary", "br9"))).status_code == 403


async def test_a_poor_rated_member_cannot_be_nominated_and_the_published_list_closes_the_year(
        client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    await rate_all(c, "m1", "poor", "poor", "good")
    refused(await c.post(f"/awards/{YEAR}/nominations", json={
        "category": "advanced_individual", "nominee_id": "m1", "reason": "业绩突出"}), 409,
        "awards.nominee_rated_poor", "nominee_id")
    # without a closed quarterly assessment the branch is not eligible (the assessment's rule)
    refused(await c.post(f"/awards/{YEAR}/nominations", json={
        "category": "featured_branch", "nominee_id": "br1", "reason": "特色鲜明"}), 409, "awards.branch_ineligible",
        "nominee_id")
    n2 = await ok(await c.post(f"/awards/{YEAR}/nominations", json={
        "category": "advanced_individual", "nominee_id": "m2", "reason": "业绩突出"}), 201)
    n3 = await ok(await c.post(f"/awards/{YEAR}/nominations", json={
        "category": "exemplar_member", "nominee_id": "m3", "reason": "服务群众"}), 201)
    refused(await c.post(f"/awards/{YEAR}/publication", json={}), 409, "awards.pending_nominations")
    refused(await c.post(f"/awards/{YEAR}/nominations/{n3['id']}/decision", json={"approved": False}), 422,
            "awards.rejection_reason_missing", "reason")
    await ok(await c.post(f"/awards/{YEAR}/nominations/{n2['id']}/decision", json={"approved": True}))
    await ok(await c.post(f"/awards/{YEAR}/nominations/{n3['id']}/decision",
                          json={"approved": False, "reason": "材料不全"}))
    published = await ok(await c.post(f"/awards/{YEAR}/publication", json={}))
    listed = await ok(await c.get(f"/awards/{YEAR}/nominations", params={"published": True,
                                                                        "after": published["position"]}))
    assert [(n["nominee_name"], n["status"]) for n in listed["items"]] == [("党员m2", "approved")]
    refused(await c.post(f"/awards/{YEAR}/nominations", json={
        "category": "exemplar_member", "nominee_id": "m2", "reason": "x"}), 409, "awards.published", "year")

    post = await ok(await c.post("/posts", json={"kind": "pioneer", "member_id": "m2", "title": "研发先锋岗"}), 201)
    refused(await c.post("/posts", json={"kind": "pioneer", "member_id": "m2", "title": "又一岗"}), 409,
            "post.kind_held", "kind")
    posts = await ok(await c.get("/posts", params={"enterprise_id": "e1", "after": post["position"]}))
    assert [(p["member_name"], p["enterprise_name"]) for p in posts["items"]] == [("党员m2", "爱科技")]

    workbook = await c.get("/exports/recognition.xlsx", params={"year": YEAR})
    assert workbook.status_code == 200, workbook.text
    book = load_workbook(io.BytesIO(workbook.content))
    awards = book[f"争先创优（{YEAR}）"]
    assert sorted((r[2], r[5]) for r in awards.iter_rows(min_row=2, values_only=True)) == [
        ("党员m2", "通过"), ("党员m3", "不予通过")]
    assert [r[6] for r in book[f"三评议（{YEAR}）"].iter_rows(min_row=2, values_only=True)][0] == "不合格"
    audited = load_workbook(io.BytesIO((await c.get("/exports/recognition.xlsx", params={"year": YEAR},
                                                    headers=AUDITOR)).content))
    assert f"三评议（{YEAR}）" not in audited.sheetnames and f"三评议统计（{YEAR}）" in audited.sheetnames

"""Governance over HTTP against real PostgreSQL and NATS: rulebook, inspections → rectification →
organizational handling, overdue lists, meetings on the roster of their day, missing meetings,
record books, XLSX exports, and the read model equal to its rebuild."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import load_workbook

from redpark_platform.testkit import TEST_JWT_SECRET
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET


def bearer(role: str, branch: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, f'{role}-{branch}', (role,), branch)}"}


ADMIN = bearer("park_admin")


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
    """e1 with members m1..m4 (2024); the general branch; branch br1 for e1 from 2024-06-01 with m1..m3
    on its roster from 2024-07-01. m4 stays outside any branch."""
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                              "sequence_in_zone": 1}), 201)
    await ok(await c.post("/enterprises", json={
        "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 3, "headcount": 40,
        "is_tech_enterprise": True, "legal_representative": "张三", "effective_on": "2024-01-01"}), 201)
    last = 0
    for m in ("m1", "m2", "m3", "m4"):
        body = await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
            "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201)
        last = int(body["position"])
    await ok(await c.get("/members", params={"after": last}))
    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "红色园区党总支",
                                                   "effective_on": "2024-01-01"}), 201)
    await ok(await c.post("/branches", json={"branch_id": "br1", "name": "爱科技党支部", "kind": "enterprise",
                                             "enterprise_ids": ["e1"], "effective_on": "2024-06-01"}), 201)
    for m in ("m1", "m2", "m3"):
        last = int((await ok(await c.put(f"/members/{m}/branch", json={"branch_id": "br1",
                                                                        "effective_on": "2024-07-01"})))["position"])
    return last


async def test_rules_are_defined_posted_and_listed_for_every_holder(client: httpx.AsyncClient) -> None:
    c = client
    last = await park(c)
    listed = await ok(await c.get("/rulebook", params={"after": last, "limit": 100}))
    assert listed["total"] == 17  # the general branch's ten and br1's seven
    assert not any(r["defined"] or r["posted"] for r in listed["items"])

    refused(await c.put("/rulebook/br1/staff_conduct", json={"text": "文明守则"}), 422, "rule.unknown_key", "rule_key")
    refused(await c.put("/rulebook/nowhere/meetings", json={"text": "x"}), 404, "rule.holder_unknown", "holder_id")
    refused(await c.put("/rulebook/br1/meetings", json={"text": ""}), 422, "rule.text_missing", "text")
    refused(await c.post("/rulebook/br1/party_lessons/posting", json={}), 404, "rule.not_defined", "rule_key")
    refused(await c.put("/rulebook/br1/meetings", json={"text": "x"}, headers=bearer("auditor")), 403,
            "auth.forbidden")

    await ok(await c.put("/rulebook/br1/meetings", json={"text": "支委会每月一次。", "effective_on": "2025-01-02"}))
    await ok(await c.put("/rulebook/general/staff_conduct", json={"text": "文明办公。", "effective_on": "2025-01-02"}))
    posted = await ok(await c.post("/rulebook/br1/meetings/posting", json={"effective_on": "2025-01-03"}))
    refused(await c.post("/rulebook/br1/meetings/posting", json={}), 409, "rule.already_posted")

    br1 = await ok(await c.get("/rulebook", params={"after": posted["position"], "holder_id": "br1"},
                               headers=bearer("branch_secretary", "br1")))
    assert br1["total"] == 7
    meetings = next(r for r in br1["items"] if r["rule_key"] == "meetings")
    assert (meetings["title"], meetings["text"], meetings["posted"], meetings["posted_on"]) == (
        "会议制度", "支委会每月一次。", True, "2025-01-03")
    assert [r["rule_key"] for r in br1["items"] if r["defined"]] == ["meetings"]
    general = await ok(await c.get("/rulebook", params={"holder_id": "general"}))
    assert [(r["title"], r["posted"]) for r in general["items"] if r["defined"]] == [("员工文明管理制度", False)]
    refused(await c.get("/rulebook", params={"holder_id": "br1"}, headers=bearer("branch_secretary", "br2")), 403,
            "auth.forbidden")


async def test_inspections_open_a_rectification_then_flag_handling_and_overdue_is_listed(
        client: httpx.AsyncClient) -> None:
    c = client
    last = await park(c)
    await ok(await c.get("/inspections", params={"after": last}))
    overdue = await ok(await c.get("/inspections/overdue", params={"as_of": "2025-02-01"}))
    assert [(o["branch_id"], o["reasons"]) for o in overdue["items"]] == [
        ("br1", ["half_year_missed", "none_in_six_months"])]

    refused(await c.post("/inspections", json={"branch_id": "br1", "inspected_on": "2025-03-01", "passed": False}),
            422, "inspection.findings_missing", "findings")
    refused(await c.post("/inspections", json={"branch_id": "nope", "inspected_on": "2025-03-01", "passed": True}),
            404, "branch.unknown", "branch_id")
    refused(await c.post("/inspections", json={"branch_id": "br1", "inspected_on": "2025-03-01"}), 422,
            "request.invalid", "passed")
    first = await ok(await c.post("/inspections", json={
        "inspection_id": "i1", "branch_id": "br1", "inspected_on": "2025-03-01", "passed": False,
        "findings": "会议记录不全"}), 201)
    rects = await ok(await c.get("/rectifications", params={"after": first["position"], "as_of": "2025-04-10",
                                                            "status": "overdue"}))
    assert [(r["inspection_id"], r["deadline"], r["overdue"]) for r in rects["items"]] == [
        ("i1", "2025-03-31", True)]
    rectification_id = rects["items"][0]["rectification_id"]

    second = await ok(await c.post("/inspections", json={
        "inspection_id": "i2", "branch_id": "br1", "inspected_on": "2025-09-01", "passed": False,
        "findings": "整改不到位"}), 201)
    listed = await ok(await c.get("/inspections", params={"after": second["position"], "year": 2025}))
    assert [(i["inspection_id"], i["outcome"]) for i in listed["items"]] == [("i1", "rectification"),
                                                                          ("i2", "handling")]
    # the second failure flags handling and opens no second rectification
    assert (await ok(await c.get("/rectifications")))["total"] == 1
    assert (await ok(await c.get("/inspections/overdue", params={"as_of": "2025-11-25"})))["items"] == []

    done = await ok(await c.post(f"/branches/br1/rectifications/{rectification_id}/completion",
                                 json={"effective_on": "2025-04-05"}))
    refused(await c.post(f"/branches/br1/rectifications/{rectification_id}/completion", json={}), 409,
            "rectification.already_completed")
    refused(await c.post("/branches/br1/rectifications/nope/completion", json={}), 404, "rectification.unknown",
            "rectification_id")
    after = {"after": done["position"], "as_of": "2025-04-10"}
    assert (await ok(await c.get("/rectifications", params={**after, "status": "overdue"})))["items"] == []
    completed = await ok(await c.get("/rectifications", params={**after, "status": "completed"}))
    assert [r["completed_on"] for r in completed["items"]] == ["2025-04-05"]
    refused(await c.get("/rectifications", params={"status": "late"}), 422, "request.invalid")


async def test_meetings_need_the_roster_of_their_day_and_missing_ones_and_record_books_are_listed(
        client: httpx.AsyncClient) -> None:
    c = client
    last = await park(c)
    await ok(await c.get("/members", params={"after": last}))
    meeting = {"kind": "theme_day", "held_on": "2025-01-10", "topic": "学习党章", "minutes": "书记领学党章。"}
    refused(await c.post("/branches/br1/meetings", json={**meeting, "attendee_ids": ["m1", "m4"]}), 422,
            "meeting.attendee_not_on_roster", "attendee_ids")
    # m1 joined br1 on 2024-07-01: not on its roster a month before
    refused(await c.post("/branches/br1/meetings", json={**meeting, "held_on": "2024-06-15",
                                                          "attendee_ids": ["m1"]}), 422,
            "meeting.attendee_not_on_roster", "attendee_ids")
    refused(await c.post("/branches/br1/meetings", json={**meeting, "kind": "picnic", "attendee_ids": ["m1"]}),
            422, "request.invalid", "kind")
    refused(await c.post("/branches/br1/meetings", json={**meeting, "attendee_ids": ["m1"]},
                         headers=bearer("branch_secretary", "br2")), 403, "auth.forbidden")

    secretary = bearer("branch_secretary", "br1")
    key = {**secretary, "Idempotency-Key": "theme-day-2025-01"}
    held = await ok(await c.post("/branches/br1/meetings", json={**meeting, "attendee_ids": ["m1", "m2"]},
                                 headers=key), 201)
    again = await ok(await c.post("/branches/br1/meetings", json={**meeting, "attendee_ids": ["m1", "m2"]},
                                  headers=key), 201)
    assert again["id"] == held["id"]
    await ok(await c.post("/branches/br1/meetings", json={
        "kind": "party_lesson", "held_on": "2025-02-12", "topic": "党课：初心", "minutes": "书记讲党课。",
        "attendee_ids": ["m1", "m2", "m3"]}), 201)
    await ok(await c.post("/branches/br1/meetings", json={
        "kind": "committee_meeting", "held_on": "2025-01-20", "topic": "研究发展党员", "minutes": "议定名单。",
        "attendee_ids": ["m1"]}), 201)
    await ok(await c.put("/members/m2/dues-rate", json={"monthly_amount_fen": 500, "effective_from": "2025-01"}))
    await ok(await c.post("/members/m2/dues-payments", json={"month": "2025-01", "amount_fen": 500,
                                                             "effective_on": "2025-01-15"}), 201)
    await ok(await c.post("/development", json={"person_id": "p1", "name": "申请人", "enterprise_id": "e1",
                                                "effective_on": "2025-03-01"}), 201)
    out = await ok(await c.post("/members/m3/transfers-out", json={"organization": "某区委",
                                                                  "effective_on": "2025-05-01"}))

    listed = await ok(await c.get("/branches/br1/meetings", params={"after": out["position"], "year": 2025},
                                  headers=secretary))
    assert [(m["kind"], m["held_on"]) for m in listed["items"]] == [
        ("theme_day", "2025-01-10"), ("committee_meeting", "2025-01-20"), ("party_lesson", "2025-02-12")]
    assert listed["items"][0]["attendee_names"] == ["党员m1", "党员m2"]
    page = await ok(await c.get("/branches/br1/meetings", params={"limit": 2, "offset": 2}))
    assert page["total"] == 3 and len(page["items"]) == 1 and page["next_offset"] is None

    missing = await ok(await c.get("/meetings/missing", params={"year": 2025, "as_of": "2025-04-02",
                                                                "branch_id": "br1"}))
    assert sorted((m["kind"], m["period"]) for m in missing["items"]) == sorted([
        ("committee_meeting", "2025-02"), ("committee_meeting", "2025-03"), ("group_meeting", "2025-01"),
        ("group_meeting", "2025-02"), ("group_meeting", "2025-03"), ("theme_day", "2025-02"),
        ("theme_day", "2025-03"), ("member_meeting", "2025-Q1")])

    study = await ok(await c.get("/branches/br1/record-books/study"))
    assert [m["kind"] for m in study["items"]] == ["theme_day", "party_lesson"]
    activities = await ok(await c.get("/branches/br1/record-books/activities"))
    assert activities["total"] == 6
    transfers = await ok(await c.get("/branches/br1/record-books/transfers"))
    assert [(t["member_id"], t["direction"], t["organization"]) for t in transfers["items"]] == [
        ("m3", "out", "某区委")]
    dues = await ok(await c.get("/branches/br1/record-books/dues"))
    assert [(d["member_id"], d["month"], d["amount_fen"]) for d in dues["items"]] == [("m2", "2025-01", 500)]
    development = await ok(await c.get("/branches/br1/record-books/development",
                                       params={"after": out["position"]}))
    assert [(p["person_id"], p["stage"], p["reached"]) for p in development["items"]] == [
        ("p1", "applicant", {"applicant": "2025-03-01"})]
    assert (await c.get("/branches/br1/record-books/diary")).status_code == 404
    refused(await c.get("/branches/br1/record-books/dues", headers=bearer("branch_secretary", "br2")), 403,
            "auth.forbidden")

    xlsx = await c.get("/exports/governance.xlsx", params={"year": 2025, "as_of": "2025-04-02"})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["制度建设", "检查记录（2025）", "整改", "检查逾期", "三会一课（2025）", "缺会情况（2025）"]
    rows = list(book["三会一课（2025）"].iter_rows(values_only=True))
    assert rows[0][:3] == ("会议编号", "支部编号", "类型") and len(rows) == 4
    assert [r[2] for r in rows[1:]] == ["主题党日", "支委会", "党课"]
    assert len(list(book["缺会情况（2025）"].iter_rows(values_only=True))) == 1 + 8

    books = load_workbook(io.BytesIO((await c.get("/exports/branches/br1/record-books.xlsx")).content))
    assert books.sheetnames == ["学习记录本", "党员活动记录本", "党员转接记录本", "党费收缴登记本", "党员发展档案"]
    assert list(books["党费收缴登记本"].iter_rows(values_only=True))[1][:4] == ("m2", "党员m2", "2025-01", 5)


async def test_the_governance_read_model_equals_its_rebuild(client: httpx.AsyncClient) -> None:
    c = client
    await park(c)
    await ok(await c.put("/rulebook/br1/meetings", json={"text": "支委会每月一次。", "effective_on": "2025-01-02"}))
    await ok(await c.post("/rulebook/br1/meetings/posting", json={"effective_on": "2025-01-03"}))
    await ok(await c.post("/inspections", json={"branch_id": "br1", "inspected_on": "2025-03-01", "passed": False,
                                                "findings": "问题"}), 201)
    await ok(await c.post("/inspections", json={"branch_id": "br1", "inspected_on": "2025-09-01", "passed": False,
                                                "findings": "问题"}), 201)
    await ok(await c.post("/branches/br1/meetings", json={
        "kind": "theme_day", "held_on": "2025-01-10", "topic": "学习", "minutes": "记录", "attendee_ids": ["m1"]}), 201)
    last = await ok(await c.post("/members/m3/transfers-out", json={"organization": "某区委",
                                                                   "effective_on": "2025-05-01"}))
    runtime = c._transport.app.state.runtime  # type: ignore[attr-defined]
    runner = runtime.runners["org_governance"]
    assert await runtime.wait_for("org_governance", last["position"], timeout=10)
    tables = runner.projection.tables

    async def dump() -> dict[str, list[str]]:
        return {t: [r["row"] for r in await runtime.pool.fetch(f"SELECT t::text AS row FROM {t} t ORDER BY 1")]
                for t in tables}

    live = await dump()
    assert live["org_gov_rules"] and live["org_gov_handlings"] and live["org_gov_meetings"]
    assert live["org_gov_transfers"] and live["org_gov_rectifications"]
    await runner.rebuild()
    assert await runtime.wait_for("org_governance", last["position"], timeout=10)
    assert await dump() == live


async def test_the_general_branch_records_its_own_meetings_and_is_scored_on_them(
        client: httpx.AsyncClient) -> None:
    c = client
    meeting = {"kind": "committee_meeting", "held_on": "2025-01-10", "topic": "总支委员会：年度计划",
               "minutes": "议定全年党建计划。"}
    refused(await c.post("/branches/general/meetings", json={**meeting, "attendee_ids": ["m1"]}), 404,
            "general_branch.not_established", "branch_id")
    last = await park(c)
    await ok(await c.post("/members", json={
        "member_id": "m5", "name": "党员m5", "enterprise_id": "e1", "status": "full",
        "joined_party_on": "2010-07-01", "relationship": "elsewhere", "relationship_held_by": "某区委",
        "phone": "13800000000", "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201)
    # m5's relationship is held elsewhere: not on the general branch's roster
    refused(await c.post("/branches/general/meetings", json={**meeting, "attendee_ids": ["m1", "m5"]}), 422,
            "meeting.attendee_not_on_roster", "attendee_ids")
    refused(await c.post("/branches/general/meetings", json={**meeting, "attendee_ids": ["m1"]},
                         headers=bearer("branch_secretary", "br1")), 403, "auth.forbidden")
    # m4 is in no branch but the park holds its relationship: the general branch leads every such member
    held = await ok(await c.post("/branches/general/meetings", json={**meeting, "attendee_ids": ["m1", "m4"]}),
                    201)
    listed = await ok(await c.get("/branches/general/meetings", params={"after": held["position"]}))
    assert [(m["kind"], m["attendee_names"]) for m in listed["items"]] == [
        ("committee_meeting", ["党员m1", "党员m4"])]
    card = await ok(await c.get("/assessment/scorecards/gb", params={"quarter": "2025-Q1",
                                                                      "after": held["position"]}))
    committee = next(i for i in card["items"] if i["key"] == "gb_committee")
    assert (committee["fact"], committee["points_earned"]) == (1, round(20 / 3, 2))
    assert last > 0

"""Phone and ID numbers: masked in lists and exports unless a park administrator asks for them in
full; a branch secretary reads and exports its own branch only."""

from __future__ import annotations

import io

import httpx
import openpyxl

from redpark_organization.queries.personal import mask_id_number, mask_phone
from redpark_platform.personal import ERASED
from redpark_platform.testkit import TEST_JWT_SECRET
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET


def bearer(*roles: str, branch_id: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', roles, branch_id)}"}


ADMIN, AUDITOR = bearer("park_admin"), bearer("auditor")
SECRETARY_1 = bearer("branch_secretary", branch_id="br1")


def test_masks() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id_number("110105194912311234") == "110***********1234"
    assert mask_phone("") == "" and mask_phone(ERASED) == ERASED and mask_phone("123") == "***"


async def _park(c: httpx.AsyncClient) -> int:
    """Two enterprises with a branch each (br1, br2), three members in each."""
    assert (await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1})).status_code == 201
    assert (await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 9,
                                             "sequence_in_zone": 1})).status_code == 201
    last = 0
    for n in (1, 2):
        assert (await c.post("/enterprises", json={
            "enterprise_id": f"e{n}", "name": f"企业{n}", "building_id": "a1", "floor": n, "headcount": 20,
            "is_tech_enterprise": True, "legal_representative": "张三"})).status_code == 201
        for k in range(3):
            r = await c.post("/members", json={
                "member_id": f"m{n}{k}", "name": f"党员{n}{k}", "enterprise_id": f"e{n}", "status": "full",
                "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": f"1380013800{n}",
                "id_number": f"11010519491231{n}23{k}"})
            assert r.status_code == 201, r.text
            last = r.json()["position"]
    await c.get("/members", params={"after": last})
    for n in (1, 2):
        assert (await c.post("/branches", json={"branch_id": f"br{n}", "name": f"支部{n}", "kind": "enterprise",
                                                "enterprise_ids": [f"e{n}"]})).status_code == 201
        for k in range(3):
            last = (await c.put(f"/members/m{n}{k}/branch", json={"branch_id": f"br{n}"})).json()["position"]
    return int(last)


async def test_lists_mask_personal_data_and_only_the_park_admin_sees_it_in_full(client: httpx.AsyncClient) -> None:
    c = client
    last = await _park(c)
    masked = (await c.get("/members", params={"after": last})).json()["items"]
    line = next(m for m in masked if m["member_id"] == "m10")
    assert line["phone"] == "138****8001" and line["id_number"] == "110***********1230"
    full = (await c.get("/members", params={"after": last, "personal": "full"})).json()["items"]
    assert next(m for m in full if m["member_id"] == "m10")["phone"] == "13800138001"
    assert next(m for m in full if m["member_id"] == "m10")["id_number"] == "110105194912311230"
    for who in (AUDITOR, SECRETARY_1):
        refused = await c.get("/members", params={"personal": "full"}, headers=who)
        assert refused.status_code == 403 and refused.json()["code"] == "auth.forbidden"
    audited = (await c.get("/members", headers=AUDITOR)).json()["items"]
    assert "13800138001" not in str(audited) and "110***********1230" in str(audited)

    book = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/census.xlsx", headers=AUDITOR)).content))
    rows = list(book["党员"].iter_rows(values_only=True))
    assert len(rows) == 7 and {r[8] for r in rows[1:]} == {"138****8001", "138****8002"}
    book = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/census.xlsx",
                                                          params={"personal": "full"})).content))
    assert {r[8] for r in list(book["党员"].iter_rows(values_only=True))[1:]} == {"13800138001", "13800138002"}
    refused = await c.get("/exports/branch-rosters.xlsx", params={"personal": "full"}, headers=AUDITOR)
    assert refused.status_code == 403

    runtime = c._transport.app.state.runtime  # type: ignore[attr-defined]
    await runtime.store.forget_person("m10")
    forgotten = (await c.get("/members", params={"personal": "full"})).json()["items"]
    assert next(m for m in forgotten if m["member_id"] == "m10")["phone"] == ERASED


async def test_a_branch_secretary_reads_and_exports_its_own_branch_only(client: httpx.AsyncClient) -> None:
    c = client
    last = await _park(c)
    own = (await c.get("/members", params={"after": last}, headers=SECRETARY_1)).json()
    assert own["total"] == 3 and own["next_offset"] is None
    own = own["items"]
    assert {m["member_id"] for m in own} == {"m10", "m11", "m12"}
    assert all(m["phone"] == "138****8001" for m in own)
    other = await c.get("/members", params={"branch_id": "br2"}, headers=SECRETARY_1)
    assert other.status_code == 403
    assert (await c.get("/dues/arrears", params={"month": "2025-01", "branch_id": "br2"},
                        headers=SECRETARY_1)).status_code == 403
    assert (await c.get("/exports/branch-rosters.xlsx", params={"branch_id": "br2"},
                        headers=SECRETARY_1)).status_code == 403

    r = await c.get("/exports/branch-rosters.xlsx", headers=SECRETARY_1)
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert [row[1] for row in list(book["支部一览"].iter_rows(values_only=True))[1:]] == ["支部1"]
    roster = list(book["支部党员名册"].iter_rows(values_only=True))
    assert roster[0][-2:] == ("手机号码", "身份证号码")
    assert [row[0] for row in roster[1:]] == ["m10", "m11", "m12"] and {row[3] for row in roster[1:]} == {"支部1"}
    census = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/census.xlsx", headers=SECRETARY_1)).content))
    assert [row[0] for row in list(census["党员"].iter_rows(values_only=True))[1:]] == ["m10", "m11", "m12"]

    everyone = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/branch-rosters.xlsx")).content))
    assert everyone["支部党员名册"].max_row - 1 == 6

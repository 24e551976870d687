"""Erasure a park can run, and a person's own copy, in the organization (real PostgreSQL and NATS):
a member and a pending transfer-in follow-up are erased mid-process, every count and rule still
holds, nothing readable about them is left in any table, and every read model equals its rebuild."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg
import httpx
import openpyxl
import pytest

from redpark_organization.app import create_app
from redpark_organization.application.followups import Followups
from redpark_platform.masking import ERASED
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, eventually
from redpark_platform.verify import verify_read_models
from redpark_platform.web import mint_token

ADMIN = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'admin-1', ('park_admin',))}"}
AUDITOR = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'aud-1', ('auditor',))}"}
SECRETARY = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'sec-1', ('branch_secretary',), 'br1')}"}
NAME, PHONE, ID_NUMBER = "欧阳明轩", "13912345678", "41030219850612741X"
HIRE_NAME = "司马静怡"


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


@pytest.fixture
async def org(service_client: Callable[..., Awaitable[ServiceClient]]) -> ServiceClient:
    c = await service_client(create_app)
    c.headers.update(ADMIN)
    await ok(c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 9,
                                        "sequence_in_zone": 1}), 201)
    await ok(c.post("/enterprises", json={"enterprise_id": "e1", "name": "洛阳智造科技", "building_id": "a1",
                                          "floor": 2, "headcount": 30, "is_tech_enterprise": True,
                                          "legal_representative": "王立新"}), 201)
    people = [(NAME, PHONE, ID_NUMBER), ("张三", "13800000002", "110105194912310022"),
              ("李四", "13800000003", "110105194912310030")]
    last = 0
    for k, (name, phone, id_number) in enumerate(people):
        last = (await ok(c.post("/members", json={
            "member_id": f"m{k + 1}", "name": name, "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": phone, "id_number": id_number}),
            201))["position"]
    await ok(c.get("/members", params={"after": last}))
    await ok(c.post("/branches", json={"branch_id": "br1", "name": "支部1", "kind": "enterprise",
                                       "enterprise_ids": ["e1"]}), 201)
    for m in ("m1", "m2", "m3"):
        await ok(c.put(f"/members/{m}/branch", json={"branch_id": "br1"}))
    await c.app.state.runtime.layer(Followups).open(  # type: ignore[attr-defined]
        followup_id="h1", enterprise_id="e1", name=HIRE_NAME, relationship_held_by="洛阳理工学院学生党支部",
        since=date(2025, 7, 1))
    return c


async def every_table_text(runtime: Any) -> str:
    """Every row of every table of the service's database, as text: what a dump would show."""
    async with runtime.pool.acquire() as conn:
        tables = await conn.fetch("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS t"
                                  " FROM information_schema.tables WHERE table_schema = 'public'"
                                  " AND table_type = 'BASE TABLE'")
        out = []
        for row in tables:
            out += [r["x"] for r in await conn.fetch(f"SELECT t::text AS x FROM {row['t']} t")]
    return "\n".join(out)


async def test_a_member_and_a_pending_follow_up_are_erased_with_every_rule_intact(org: ServiceClient) -> None:
    c, runtime = org, org.app.state.runtime  # type: ignore[attr-defined]
    copy = await ok(c.get("/privacy/subjects/m1"))
    assert copy["erased"] is False and NAME in str(copy["events"]) and PHONE in str(copy["events"])
    assert any(r["table"] == "org_members" for r in copy["rows"])
    book = openpyxl.load_workbook(io.BytesIO((await c.get("/privacy/subjects/m1/copy.xlsx")).content))
    assert "事件" in book.sheetnames and NAME in str(list(book["事件"].iter_rows(values_only=True)))

    for who in (AUDITOR, SECRETARY):
        refused = await c.post("/privacy/erasures", json={"subject_id": "m1", "why": "person_request"}, headers=who)
        assert refused.status_code == 403
        assert (await c.get("/privacy/subjects/m1", headers=who)).status_code == 403
    bad = await c.post("/privacy/erasures", json={"subject_id": "m1", "phone": PHONE, "why": "person_request"})
    assert bad.status_code == 422 and bad.json()["code"] == "privacy.one_way_to_name"
    bad = await c.post("/privacy/erasures", json={"phone": PHONE, "why": "person_request"})
    assert bad.status_code == 422 and bad.json()["code"] == "privacy.phone_not_known_here"
    bad = await c.post("/privacy/erasures", json={"subject_id": "m1", "why": "because I said so"})
    assert bad.status_code == 422
    unknown = await c.post("/privacy/erasures", json={"subject_id": "nobody", "why": "person_request"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "privacy.unknown_person"

    report = await ok(c.post("/privacy/erasures", json={"subject_id": "m1", "why": "person_request"}))
    [person] = report["people"]
    assert person["subject_id"] == "m1" and person["already_erased"] is False
    assert {"where": "org_rosters", "rows": 1} in person["erased"]
    report = await ok(c.post("/privacy/erasures", json={"subject_id": "h1", "why": "left_the_park"}))
    assert {"where": "org_followups", "rows": 1} in report["people"][0]["erased"]

    members = await ok(c.get("/members", params={"after": report["position"], "personal": "full"}))
    assert members["total"] == 3
    erased = next(m for m in members["items"] if m["member_id"] == "m1")
    assert (erased["name"], erased["phone"], erased["id_number"], erased["branch_id"]) == (ERASED, ERASED, ERASED,
                                                                                           "br1")
    [pending] = (await ok(c.get("/followups/transfers-in")))["items"]
    assert (pending["followup_id"], pending["name"], pending["status"]) == ("h1", ERASED, "pending")
    # The follow-up's rules still run for a person who is now no one: it can be dismissed with a reason.
    await ok(c.post("/followups/transfers-in/h1/dismissal", json={"reason": "已离开园区"}))
    # The erased member's rules still run on their stream (decided from it as before, nothing crashes).
    again = await c.put("/members/m1/branch", json={"branch_id": "br1"})
    assert again.status_code == 409 and again.json()["code"] == "member.already_in_branch"

    audit = await runtime.pool.fetch("SELECT data::text AS d FROM events WHERE type = 'person.erased'")
    assert len(audit) == 2 and all('"erased_by": "admin-1"' in r["d"] for r in audit)
    assert any('"why": "person_request"' in r["d"] for r in audit)

    everything = await every_table_text(runtime)
    for value in (NAME, PHONE, ID_NUMBER, HIRE_NAME):
        assert value not in everything, value
    copy = await ok(c.get("/privacy/subjects/m1"))
    assert copy["erased"] is True and NAME not in str(copy) and PHONE not in str(copy)

    settings = runtime.settings

    async def verified() -> bool:
        report = await verify_read_models(runtime.spec.projections, settings.database_url, settings.nats_url,
                                          service="organization")
        return report.equal and not report.problems

    await eventually(verified, timeout=20)


async def test_an_erasure_is_idempotent_and_says_so(org: ServiceClient) -> None:
    c = org
    first = await ok(c.post("/privacy/erasures", json={"subject_id": "m2", "why": "consent_withdrawn"}))
    again = await ok(c.post("/privacy/erasures", json={"subject_id": "m2", "why": "consent_withdrawn"}))
    assert first["people"][0]["already_erased"] is False and again["people"][0] == {
        "subject_id": "m2", "already_erased": True, "erased": []}


async def test_an_applicant_in_development_is_erased_and_stays_at_their_stage(org: ServiceClient) -> None:
    c, runtime = org, org.app.state.runtime  # type: ignore[attr-defined]
    answered = await ok(c.post("/development", headers={"Idempotency-Key": "k-dev-1"}, json={
        "person_id": "p9", "name": "诸葛晓雯", "enterprise_id": "e1", "phone": "13711112222"}), 201)
    assert answered["id"] == "p9"
    await ok(c.post("/privacy/erasures", json={"subject_id": "p9", "why": "person_request"}))
    everything = await every_table_text(runtime)
    assert "诸葛晓雯" not in everything and "13711112222" not in everything
    conn: asyncpg.Connection
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT name, stage FROM org_development WHERE person_id = 'p9'")
        assert (row["name"], row["stage"]) == (ERASED, "applicant")


async def test_a_contacts_name_and_categories_are_sealed_and_gone_after_erasure(org: ServiceClient) -> None:
    c, runtime = org, org.app.state.runtime  # type: ignore[attr-defined]
    added = await ok(c.post("/contacts", json={
        "person_id": "c1", "name": "皇甫怀远", "enterprise_id": "e1", "categories": ["democratic_party_member"],
        "political_status": "民盟盟员", "phone": "13622223333"}), 201)
    async with runtime.pool.acquire() as conn:
        raw = await conn.fetchval("SELECT data::text FROM events WHERE type = 'contact.registered'")
    assert "democratic_party_member" not in raw and "皇甫怀远" not in raw and "民盟" not in raw
    [row] = (await ok(c.get("/contacts", params={"after": added["position"]})))["items"]
    assert (row["name"], row["categories"]) == ("皇甫怀远", ["democratic_party_member"])

    await ok(c.post("/privacy/erasures", json={"subject_id": "c1", "why": "person_request"}))
    [row] = (await ok(c.get("/contacts")))["items"]
    assert (row["name"], row["categories"]) == (ERASED, [])
    everything = await every_table_text(runtime)
    assert "皇甫怀远" not in everything and "13622223333" not in everything and "民盟盟员" not in everything

"""What the read models cannot hold is refused at the edge: the inputs of issue 16 item 13, each sent
to the real service, get a 422 problem naming the field, store no event and leave no dead letter.

Before the edge checked bounds, each of these was stored: the quota and the floors then failed the
read model's int4 column (dead-lettered), the ids could never be addressed again, the phone was a
ciphertext look-alike, and `as_of=0` read as 1 January 1970."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from redpark_platform.testkit import ServiceClient

BUILDING = {"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12, "sequence_in_zone": 1}
MEMBER = {"member_id": "m1", "name": "王五", "status": "full", "joined_party_on": "2010-07-01",
          "relationship": "in_park", "phone": "13800000000", "id_number": "11010519491231002X"}


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]], response.text


async def stored(client: ServiceClient, sql: str) -> int:
    conn = await asyncpg.connect(client.settings.database_url)
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


async def nothing_stored_and_no_dead_letter(client: ServiceClient) -> None:
    # A write that is accepted afterwards, read back through the read models: had any refused
    # request been stored, its event would have reached them first.
    zone = await client.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1})
    assert zone.status_code == 201, zone.text
    position = zone.json()["position"]
    assert await client.runtime.wait_for_all(list(client.runtime.runners), position, 10, strict=False)
    assert await stored(client, "SELECT count(*) FROM events") == 1
    assert await stored(client, "SELECT count(*) FROM projection_dead_letters") == 0


async def test_a_development_quota_of_three_billion_is_refused(client: ServiceClient) -> None:
    refused(await client.put("/development/quotas/2061", json={"quota": 3_000_000_000}), "quota")
    refused(await client.put("/development/quotas/2061", json={"quota": -1}), "quota")
    await nothing_stored_and_no_dead_letter(client)
    ok = await client.put("/development/quotas/2061", json={"quota": 12})
    assert ok.status_code == 200, ok.text


async def test_a_building_with_nine_billion_floors_or_an_empty_id_is_refused(client: ServiceClient) -> None:
    refused(await client.post("/buildings", json={**BUILDING, "floors": 9_245_090_786}), "floors")
    refused(await client.post("/buildings", json={**BUILDING, "building_id": ""}), "building_id")
    both = await client.post("/buildings", json={**BUILDING, "building_id": "", "floors": 9_245_090_786})
    assert both.status_code == 422 and both.json()["errors"][0]["field"] in ("building_id", "floors")
    await nothing_stored_and_no_dead_letter(client)


@pytest.mark.parametrize("member_id", ["a/b", " ", "x" * 10_240])
async def test_a_member_id_that_could_never_be_addressed_is_refused(client: ServiceClient, member_id: str) -> None:
    refused(await client.post("/members", json={**MEMBER, "member_id": member_id}), "member_id")
    await nothing_stored_and_no_dead_letter(client)


async def test_a_path_id_of_whitespace_or_ten_kilobytes_is_refused(client: ServiceClient) -> None:
    refused(await client.post("/members/%20/transfers-in", json={"organization": "某大学党委"}), "path.member_id")
    refused(await client.post("/members/" + "x" * 10_240 + "/transfers-in", json={"organization": "某大学党委"}),
            "path.member_id")
    await nothing_stored_and_no_dead_letter(client)


async def test_a_member_phone_that_looks_sealed_is_not_a_phone(client: ServiceClient) -> None:
    refused(await client.post("/members", json={**MEMBER, "phone": "sealed:v1:A"}), "phone")
    await nothing_stored_and_no_dead_letter(client)


@pytest.mark.parametrize("path", ["/inspections/overdue", "/rectifications", "/meetings/missing"])
async def test_a_date_query_parameter_of_zero_is_not_1970(client: ServiceClient, path: str) -> None:
    refused(await client.get(path, params={"as_of": "0"}), "query.as_of")
    assert (await client.get(path, params={"as_of": "2025-06-30"})).status_code == 200


async def test_a_bookings_day_of_zero_is_not_1970(client: ServiceClient) -> None:
    refused(await client.get("/bookings", params={"day": "0"}), "query.day")


async def test_a_body_date_beyond_the_calendar_is_refused(client: ServiceClient) -> None:
    refused(await client.post("/members", json={**MEMBER, "joined_party_on": "0001-01-01"}), "joined_party_on")
    refused(await client.post("/members", json={**MEMBER, "effective_on": "9999-12-31"}), "effective_on")
    await nothing_stored_and_no_dead_letter(client)

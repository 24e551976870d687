"""`verify_read_models`: a read model rebuilt into shadow tables equals the live one after a normal
run, and a tampered row shows as missing, extra or differing, table by table."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import asyncpg
import pytest
from nats import errors as nats_errors

from redpark_platform.credentials import with_user, without_password
from redpark_platform.testkit.services import run_service
from redpark_platform.verify import verify_read_models

sys.path.insert(0, str(Path(__file__).parent))
from test_version_skew import SentV2, _table, app_with, new, parcels  # noqa: E402


async def test_a_read_model_equals_its_rebuild_and_a_tampered_row_is_found(settings_for, contract_feed) -> None:  # type: ignore[no-untyped-def]
    settings = await settings_for("reader")
    await _table(settings)
    feed = await contract_feed(new)
    projection = parcels(new)()
    async with run_service(app_with(projection), settings) as reader:
        last = 0
        for i in range(40):
            last = (await feed.append(f"v-{i % 5}", [SentV2(parcel_id=f"v{i}", weight=i, grams=i % 2 == 0)])).position
        assert await reader.runtime.runners["parcels"].wait_for("skewsrc", last, timeout=20)

        report = await verify_read_models([projection], settings.database_url, settings.nats_url, service="reader")
        assert report.equal, report.lines()
        [table] = report.tables
        assert (table.table, table.live_rows, table.rebuilt_rows) == ("parcels", 40, 40)

        conn = await asyncpg.connect(settings.database_url)
        try:
            await conn.execute("UPDATE parcels SET kind = 'tampered' WHERE parcel_id = 'v3'")
            await conn.execute("DELETE FROM parcels WHERE parcel_id = 'v7'")
            await conn.execute("INSERT INTO parcels VALUES (999999, 'ghost', 'parcel.sent.v2')")
        finally:
            await conn.close()
        report = await verify_read_models([projection], settings.database_url, settings.nats_url, service="reader")
        assert not report.equal
        [table] = report.tables
        assert (table.missing, table.extra, table.differing) == (1, 1, 1), table
        assert "DIFFERS: 1 missing, 1 extra, 1 differing" in table.line()
    # The check wrote nothing: the live table is as the tampering left it, and no shadow remains.
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM parcels") == 40
        assert await conn.fetchval("SELECT kind FROM parcels WHERE parcel_id = 'v3'") == "tampered"
    finally:
        await conn.close()


async def test_wrong_nats_credentials_end_verify_with_an_error_not_a_hang(settings_for) -> None:  # type: ignore[no-untyped-def]
    settings = await settings_for("reader")
    wrong = with_user(without_password(settings.nats_url), "admin", "not-the-password")
    with pytest.raises(nats_errors.Error):
        await asyncio.wait_for(verify_read_models([], settings.database_url, wrong, service="reader"), 60)

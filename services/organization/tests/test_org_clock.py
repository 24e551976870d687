"""The park's time zone comes from the service's settings (REDPARK_TIMEZONE), not a constant: the
same moment is a different park date in a park 26 hours of offset apart. Real PostgreSQL and NATS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from redpark_organization.app import create_app
from redpark_platform.servers import NatsServer
from redpark_platform.settings import JwtSource, Settings
from redpark_platform.web import mint_token

SECRET = "s" * 32
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', ['park_admin'])}"}


async def _moved_in_on(timezone: str, database_url: str, nats_url: str, tmp_path: Path) -> tuple[date, set[date]]:
    settings = Settings(service="organization", nats_url=nats_url, database_url=database_url, timezone=timezone,
                        data_dir=tmp_path, jwt=JwtSource(secret=SECRET, key_file=tmp_path / "k"), log_level="INFO")
    app = create_app(settings)
    zone = ZoneInfo(timezone)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://org", headers=ADMIN) as c:
        assert (await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1})).status_code == 201
        assert (await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 5,
                                                 "sequence_in_zone": 1})).status_code == 201
        before = datetime.now(zone).date()
        r = await c.post("/enterprises", json={
            "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 1, "headcount": 5,
            "is_tech_enterprise": False, "legal_representative": "李四"})
        after = datetime.now(zone).date()
        assert r.status_code == 201, r.text
        listed = (await c.get("/enterprises", params={"after": r.json()["position"]})).json()["items"]
    return date.fromisoformat(listed[0]["moved_in_on"]), {before, after}


async def test_an_undated_move_in_is_dated_today_in_the_zone_the_settings_give(
        anew_database: Callable[[str], Any], nats_factory: Callable[[], NatsServer], tmp_path: Path) -> None:
    # UTC-12 and UTC+14: never the same calendar date, so a fixed zone would fail one of them.
    west, west_today = await _moved_in_on("Etc/GMT+12", await anew_database("orgwest"), nats_factory().url,
                                          tmp_path / "west")
    east, east_today = await _moved_in_on("Etc/GMT-14", await anew_database("orgeast"), nats_factory().url,
                                          tmp_path / "east")
    assert west in west_today and east in east_today
    assert west != east

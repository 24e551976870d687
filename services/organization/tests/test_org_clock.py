"""The park's time zone comes from the service's settings (REDPARK_TIMEZONE), not a constant: the
same moment is a different park date in a park 26 hours of offset apart. Real PostgreSQL and NATS;
the runtime's clock is frozen at one instant, so each park's date is known exactly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

import pytest

from redpark_organization.app import create_app
from redpark_platform.clock import FrozenClock
from redpark_platform.settings import Settings
from redpark_platform.testkit import ServiceClient

# 11:00 UTC on 1 March: 23:00 on 28 February at UTC-12, 01:00 on 2 March at UTC+14.
INSTANT = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)


# UTC-12 and UTC+14: never the same calendar date, so a fixed zone would fail one of them.
@pytest.mark.parametrize(("timezone", "park_date"), [("Etc/GMT+12", date(2026, 2, 28)),
                                                     ("Etc/GMT-14", date(2026, 3, 2))])
async def test_an_undated_move_in_is_dated_today_in_the_zone_the_settings_give(
        service_client: Callable[..., Awaitable[ServiceClient]], settings_for: Callable[..., Awaitable[Settings]],
        timezone: str, park_date: date) -> None:
    settings = await settings_for("organization", timezone=timezone)
    c = await service_client(create_app, roles=("park_admin",), settings=settings, clock=FrozenClock(INSTANT))
    assert (await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1})).status_code == 201
    assert (await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 5,
                                             "sequence_in_zone": 1})).status_code == 201
    r = await c.post("/enterprises", json={
        "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 1, "headcount": 5,
        "is_tech_enterprise": False, "legal_representative": "李四"})
    assert r.status_code == 201, r.text
    listed = (await c.get("/enterprises", params={"after": r.json()["position"]})).json()["items"]
    assert date.fromisoformat(listed[0]["moved_in_on"]) == park_date

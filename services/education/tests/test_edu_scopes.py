"""A branch secretary reads nothing of another branch's people, on every GET route of education.

Two branches (br1: m1 to m3, br2: m4 to m6) come from the organization's events; both have
self-study, weekly study and reminders of last month. Then every route of the OpenAPI document is
called as br2's secretary with br1's ids, and so is every console page (see `redpark_platform.testkit.scopes`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from redpark_education.app import create_app as create_education
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import ServiceClient
from redpark_platform.testkit.scopes import foreign_reads, page_routes

NOW = datetime(2025, 5, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LAST_MONTH = NOW.date().replace(day=1) - timedelta(days=1)
MONTH = f"{LAST_MONTH.year:04d}-{LAST_MONTH.month:02d}"
# Names as the conftest's organization registers them.
FOREIGN = {"br1", "m1", "m2", "m3", "党员m1", "党员m2", "党员m3"}
ALLOWED = {
    "/healthz": "liveness, no data",
    "/readyz": "readiness, no data",
}


async def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_secretary_reads_nothing_of_another_branch_on_any_route(
    service_client: Callable[..., Awaitable[ServiceClient]], organization: Any,
) -> None:
    edu = await service_client(create_education, roles=("education_officer",), clock=FrozenClock(NOW))
    last = await organization.two_branches(date(2024, 5, 1))
    assert await edu.runtime.runners["edu_roster"].wait_for("organization", last, timeout=20)
    await created(await edu.post("/topics", json={"month": MONTH, "title": "学党史", "material": "党史读本"}))
    for member in ("m1", "m4"):
        await created(await edu.post("/self-studies", json={
            "member_id": member, "month": MONTH, "studied_on": LAST_MONTH.isoformat(), "content": "学习党史",
            "reflection": "体会"}))
    for branch, attendees in (("br1", ["m1", "m2"]), ("br2", ["m4"])):
        last = (await created(await edu.post("/weekly-studies", json={
            "branch_id": branch, "held_on": LAST_MONTH.isoformat(), "minutes": 45, "topic": "学习新党章",
            "attendee_member_ids": attendees})))["position"]
    # Reminders are drawn from the records read model: let it apply everything above first.
    applied = await edu.get("/topics", params={"year": LAST_MONTH.year, "after": last})
    assert applied.status_code == 200, applied.text
    reminded = await created(await edu.post("/reminders", params={"period": MONTH}))
    everyone = await edu.get("/reminders", params={"period": MONTH, "after": reminded["position"]})
    assert {"m2", "m3", "m5", "m6"} <= {r["member_id"] for r in everyone.json()}

    secretary = edu.headers_for(["branch_secretary"], "br2")
    values = {"path_values": {"year": str(LAST_MONTH.year), "lesson_id": "none", "notification_id": "none",
                              "subject_id": "m1"},
              "query_values": {"year": str(LAST_MONTH.year), "period": MONTH},
              "foreign_branch": "br1", "foreign": FOREIGN, "allowed": ALLOWED}
    leaks, probed = await foreign_reads(edu, secretary, openapi=edu.app.openapi(), **values)

    assert len(probed) >= 14, probed
    page_leaks, pages = await foreign_reads(edu, secretary, openapi=page_routes(edu.app), **values)
    assert "/ui/lessons/{lesson_id}" in pages
    leaks += page_leaks
    assert leaks == [], "\n".join(f"{leak.url} -> {leak.found}" for leak in leaks)
    own = await edu.get("/reminders", params={"period": MONTH}, headers=secretary)
    assert {r["member_id"] for r in own.json() if r["member_id"]} == {"m5", "m6"}
    # The probe sees a leak where there is one: an education officer reads br1's people park-wide.
    officer_leaks, _ = await foreign_reads(edu, edu.headers_for(["education_officer"]), openapi=edu.app.openapi(),
                                           **values)
    assert {"/reminders", "/compliance"} <= {leak.route for leak in officer_leaks}

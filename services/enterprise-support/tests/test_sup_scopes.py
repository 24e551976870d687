"""A branch secretary reads nothing of the people enterprise-support holds, on every GET route.

Support work is the park's (a secretary has no role here but the dashboard's figures), so the probe
checks that every route refuses a secretary or answers without the people: a need's raiser and
the enterprise's legal representative (see `redpark_platform.testkit.scopes`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from redpark_enterprise_support.app import create_app as create_support_app
from redpark_platform.calendar import park_date, quarter_of
from redpark_platform.clock import utcnow
from redpark_platform.testkit import eventually
from redpark_platform.testkit.scopes import foreign_reads, page_routes

ALLOWED = {
    "/healthz": "liveness, no data",
    "/readyz": "readiness, no data",
}


async def test_a_secretary_reads_nothing_of_the_people_on_any_route(service_client: Any, organization: Any) -> None:
    c = await service_client(create_support_app, roles=("support_officer",))
    today = park_date(utcnow())
    await organization.move_in("e1", today - timedelta(days=60))
    await eventually(lambda: c.get("/enterprises"), lambda r: len(r.json()["items"]) == 1)
    raised = await c.post("/needs", json={"need_id": "n1", "enterprise_id": "e1", "category": "talent",
                                          "urgency": "high", "description": "急需工程师", "raised_by_name": "赵经理",
                                          "raised_by_phone": "13800138000"})
    assert raised.status_code == 201, raised.text
    await eventually(lambda: c.get("/needs/n1/contact"), lambda r: r.status_code == 200)
    foreign = {"赵经理", "13800138000", "张三"}
    values = {"path_values": {"need_id": "n1", "quarter": quarter_of(today), "delivery_id": "none",
                              "notification_id": "none", "subject_id": "n1"},
              "query_values": {}, "foreign_branch": "br1", "foreign": foreign, "allowed": ALLOWED}

    leaks, probed = await foreign_reads(c, c.headers_for(["branch_secretary"], "br2"), openapi=c.app.openapi(),
                                        **values)

    assert len(probed) >= 30, probed
    page_leaks, pages = await foreign_reads(c, c.headers_for(["branch_secretary"], "br2"),
                                            openapi=page_routes(c.app), **values)
    assert "/ui/needs/{need_id}" in pages
    leaks += page_leaks
    assert leaks == [], "\n".join(f"{leak.url} -> {leak.found}" for leak in leaks)
    # The probe sees the people where they are shown: the support officer reads the raiser's name.
    officer_leaks, _ = await foreign_reads(c, c.headers_for(["support_officer"]), openapi=c.app.openapi(), **values)
    assert "/needs" in {leak.route for leak in officer_leaks}

"""A branch secretary reads nothing of another branch's people, on every GET route of the service.

The demo park (dozens of branches with members, transfers, dues, development, meetings) is loaded
through the API; then every route of the OpenAPI document is called as the secretary of one branch
with the ids of another, and so is every console page (see `redpark_platform.testkit.scopes`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from redpark_organization.app import create_app
from redpark_organization.demo import park as demo
from redpark_platform.testkit import ServiceClient
from redpark_platform.testkit.scopes import foreign_reads, page_routes

# Park-wide by design: what a secretary reads here is the park's, not another branch's people.
ALLOWED = {
    "/healthz": "liveness, no data",
    "/readyz": "readiness, no data",
}
EVERYTHING = {"limit": 500}


async def _all(c: httpx.AsyncClient, url: str, **params: str) -> list[dict]:
    response = await c.get(url, params={**EVERYTHING, **params})
    assert response.status_code == 200, response.text
    items: list[dict] = response.json()["items"]
    return items


async def test_a_secretary_reads_nothing_of_another_branch_on_any_route(
    service_client: Callable[..., Awaitable[ServiceClient]],
) -> None:
    c = await service_client(create_app, roles=("park_admin",))
    loaded = await demo.load("http://organization", c.token(["park_admin"]), transport=httpx.ASGITransport(app=c.app))
    assert loaded is True
    runtime = c.runtime
    last = await runtime.store.last_position()
    for name in [n for n, r in runtime.runners.items() if "organization" in r.projection.sources]:
        assert await runtime.wait_for(name, last, timeout=30, strict=True), name
    members = await _all(c, "/members")
    by_branch: dict[str, list[dict]] = {}
    for m in members:
        if m["branch_id"]:
            by_branch.setdefault(m["branch_id"], []).append(m)
    # The two largest branches: the foreign one's people are the ones that must not show.
    foreign_branch, own_branch = sorted(by_branch, key=lambda b: -len(by_branch[b]))[:2]
    foreign_people = by_branch[foreign_branch]
    elsewhere_names = {m["name"] for m in members if m["branch_id"] != foreign_branch}
    foreign = {m["member_id"] for m in foreign_people} | {
        m["name"] for m in foreign_people if m["name"] not in elsewhere_names}
    # The demo moves no one in or out: one foreign member leaves the park, comes back and rejoins
    # the branch, so the foreign transfer record has lines to leak.
    moving = foreign_people[0]["member_id"]
    for url, method, body in [(f"/members/{moving}/transfers-out", "POST", {"organization": "海淀区人才服务中心党委"}),
                              (f"/members/{moving}/transfers-in", "POST", {"organization": "海淀区人才服务中心党委"}),
                              (f"/members/{moving}/branch", "PUT", {"branch_id": foreign_branch})]:
        answer = await c.request(method, url, json=body)
        assert answer.status_code == 200, answer.text
    assert await runtime.wait_for("org_rosters", await runtime.store.last_position(), timeout=30, strict=True)
    venues = await _all(c, "/venues")
    today = demo._park_today()
    month = demo._months_back(today, 1)[0]
    path_values = {
        "member_id": moving, "branch_id": foreign_branch,
        "unit_id": foreign_branch, "year": str(today.year), "plan_id": foreign_branch,
        "venue_id": venues[0]["venue_id"], "delivery_id": "none", "notification_id": "none", "subject_id": moving,
        "enterprise_id": next(m["enterprise_id"] for m in foreign_people if m["enterprise_id"]),
    }
    query_values = {"month": month, "year": str(today.year), "period": month}
    secretary = c.headers_for(["branch_secretary"], own_branch)

    leaks, probed = await foreign_reads(
        c, secretary, openapi=c.app.openapi(), path_values=path_values, query_values=query_values,
        foreign_branch=foreign_branch, foreign=foreign, allowed=ALLOWED)

    assert len(probed) >= 60, probed
    # The console's pages too: they read the same models outside the OpenAPI document.
    page_leaks, pages = await foreign_reads(
        c, secretary, openapi=page_routes(c.app), path_values=path_values, query_values=query_values,
        foreign_branch=foreign_branch, foreign=foreign, allowed=ALLOWED)
    assert {"/ui/members/{member_id}", "/ui/branches/{branch_id}", "/ui/enterprises/{enterprise_id}"} <= set(pages)
    leaks += page_leaks
    assert leaks == [], "\n".join(f"{leak.url} -> {leak.found}" for leak in leaks)
    # The probe can see a leak: the park's admin reading the same routes finds the foreign people.
    admin_leaks, _ = await foreign_reads(
        c, c.headers_for(["park_admin"]), openapi=c.app.openapi(), path_values=path_values,
        query_values=query_values, foreign_branch=foreign_branch, foreign=foreign, allowed=ALLOWED)
    assert {"/members", "/members/{member_id}/transfers"} <= {leak.route for leak in admin_leaks}

"""A branch secretary reads nothing of another branch's people (nor any public registrant), on every
GET route of events-public.

branch-1 runs a volunteer activity with its member m-1 signed up; a public registrant holds a seat
of a session. Then every route of the OpenAPI document is called as branch-2's secretary with those
ids (see `redpark_platform.testkit.scopes`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from redpark_events_public.app import create_app
from redpark_platform.clock import FrozenClock, utcnow
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.scopes import foreign_reads, page_routes

ALLOWED = {
    "/healthz": "liveness, no data",
    "/readyz": "readiness, no data",
    "/sessions/{session_id}/tickets/{ticket_code}": "public: the ticket code is the holder's own key to it",
    "/sessions/{session_id}/tickets/{ticket_code}/qr.png": "public: the ticket code is the holder's own key",
    "/ui/public/sessions/{session_id}/tickets/{ticket_code}": "public: the ticket page, by the holder's own key",
}


async def test_a_secretary_reads_nothing_of_another_branch_on_any_route(
    service_client: Callable[..., Awaitable[ServiceClient]], organization: Any,  # conftest.Organization
) -> None:
    now = utcnow()
    client = await service_client(create_app, clock=FrozenClock(now), log_level="WARNING")
    # Volunteer organizers and members are checked against the organization's events.
    await organization.branches("branch-1", "branch-2")
    await organization.members("m-foreign-1")
    await organization.read_by(client)
    officer = client.headers_for(["events_officer"])
    secretary = client.headers_for(["branch_secretary"], "branch-2")
    foreign_secretary = client.headers_for(["branch_secretary"], "branch-1")
    made = await client.post("/staff/volunteer-activities", headers=foreign_secretary, json={
        "activity_id": "v1", "kind": "tech_poverty_relief", "title": "助农科技服务", "organizer_branch_id": "branch-1",
        "place": "X村", "starts_at": (now + timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=1, hours=2)).isoformat()})
    assert made.status_code == 201, made.text
    signed = await client.post("/staff/volunteer-activities/v1/sign-ups", json={"member_id": "m-foreign-1"},
                               headers=foreign_secretary)
    assert signed.status_code == 201, signed.text
    for url, body in (("/staff/activities", {"activity_id": "a1", "kind": "youth_science_course",
                                              "title": "青少年机器人科普课", "place": "A3"}),
                      ("/staff/sessions", {"session_id": "s1", "activity_id": "a1", "place": "A3 报告厅",
                                           "starts_at": (now + timedelta(days=2)).isoformat(),
                                           "ends_at": (now + timedelta(days=2, hours=2)).isoformat(), "capacity": 5,
                                           "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
                                           "registration_closes_at": (now + timedelta(days=1)).isoformat()})):
        answer = await client.post(url, json=body, headers=officer)
        assert answer.status_code == 201, answer.text
    registered = await client.post("/sessions/s1/registrations", json={
        "name": "访客甲乙", "phone": "13500000007", "adults": 1, "children_ages": [], "consent": True})
    assert registered.status_code == 201, registered.text
    code = registered.json()["ticket_code"]
    # Probed once the ticket is readable, so a refusal below is the route's and not a lagging read.
    await eventually(lambda: client.get(f"/sessions/s1/tickets/{code}"), lambda r: r.status_code == 200)
    foreign = {"m-foreign-1", "访客甲乙", "13500000007", code, code.replace("-", "")}

    values = {"path_values": {"session_id": "s1", "ticket_code": registered.json()["ticket_code"],
                              "day": (now + timedelta(days=1)).date().isoformat(), "notification_id": "none",
                              "subject_id": "m-foreign-1",
                              "activity_id": "a1", "booking_id": "none"},
              "query_values": {"year": str(now.year)}, "foreign_branch": "branch-1", "foreign": foreign,
              "allowed": ALLOWED}
    leaks, probed = await foreign_reads(client, secretary, openapi=client.app.openapi(), **values)

    assert len(probed) >= 10, probed
    page_leaks, pages = await foreign_reads(client, secretary, openapi=page_routes(client.app), **values)
    assert "/ui/sessions/{session_id}" in pages
    leaks += page_leaks
    assert leaks == [], "\n".join(f"{leak.url} -> {leak.found}" for leak in leaks)
    # The probe sees what is there: without the allow-list, the ticket the code opens is found.
    unallowed, _ = await foreign_reads(client, secretary, openapi=client.app.openapi(), **{**values, "allowed": {}})
    assert "/sessions/{session_id}/tickets/{ticket_code}" in {leak.route for leak in unallowed}

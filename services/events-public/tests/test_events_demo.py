"""The demo season, loaded through the service's own HTTP API against real PostgreSQL and NATS,
then read back as the public and the staff see it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from redpark_events_public import demo
from redpark_events_public.app import create_app
from redpark_events_public.demo import season
from redpark_platform.calendar import PARK_TZ as PARK
from redpark_platform.testkit import ServiceClient, solved_challenge


@pytest.fixture
async def admin(service_client: Callable[..., Awaitable[ServiceClient]]) -> ServiceClient:
    return await service_client(create_app, roles=("park_admin",), log_level="WARNING")


def test_the_plan_puts_the_carnival_week_a_few_days_ahead_with_every_part_on_every_day() -> None:
    now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    activities, sessions = season.catalogue_plan(now)
    kinds = {a["kind"] for a in activities}
    assert {"science_carnival", "youth_science_course", "family_tech_tour"} <= kinds
    parts = [a for a in activities if a.get("carnival_id") == season.CARNIVAL]
    assert {p["kind"] for p in parts} == {"tech_garden_tour", "achievement_exhibition", "science_experience",
                                          "knowledge_contest", "performance", "food_tasting"}
    for part in parts:
        days = {datetime.fromisoformat(s["starts_at"]).date() for s in sessions
                if s["activity_id"] == part["activity_id"]}
        assert sorted(days) == [date(2026, 3, 14) + timedelta(days=d) for d in range(7)], part["activity_id"]
    assert all(datetime.fromisoformat(s["registration_opens_at"]) < now
               < datetime.fromisoformat(s["registration_closes_at"]) for s in sessions)
    assert len({s["session_id"] for s in sessions}) == len(sessions)
    # Deterministic registrations, one phone at most once, each fitting its session's age limits.
    one, two = season.registrations_plan(sessions), season.registrations_plan(sessions)
    assert one == two and len({b["phone"] for _, b in one}) == len(one)


async def test_the_demo_season_is_loaded_once_and_a_person_can_register_for_the_carnival(
        admin: ServiceClient, organization: Any) -> None:
    # The organization's demo park comes first (as `up` loads it): its branches and members, as events.
    plan = season.volunteer_plan(admin.runtime.now())
    await organization.branches(*sorted({body["organizer_branch_id"] for body, _ in plan}))
    await organization.members(*[m for _, members in plan for m in members])
    await organization.read_by(admin)
    transport = httpx.ASGITransport(app=admin.app)
    token = admin.token(["park_admin"])
    runtime = admin.runtime
    assert await demo.load("http://events", token, transport=transport, now=runtime.now()) is True
    last = await runtime.store.last_position()
    for name, runner in runtime.runners.items():
        if runtime.spec.name in runner.projection.sources:  # the organization's directory reads none of ours
            assert await runtime.wait_for(name, last, timeout=30), name
    staff = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://events", headers=staff) as c:
        catalogue = {a["activity_id"]: a for a in (await c.get("/catalogue")).json()["activities"]}
        today = runtime.today()

        carnival = catalogue[season.CARNIVAL]
        assert carnival["kind"] == "science_carnival" and carnival["daily_limit_per_phone"] == 3
        parts = [a for a in catalogue.values() if a["carnival_id"] == season.CARNIVAL]
        assert len(parts) == 6
        for part in parts:
            days = sorted({datetime.fromisoformat(s["starts_at"]).astimezone(PARK).date()
                           for s in part["sessions"]})
            assert days == [today + timedelta(days=season.CARNIVAL_STARTS_IN_DAYS + d) for d in range(7)]
        courses = [a for a in catalogue.values() if a["kind"] == "youth_science_course"]
        assert len(courses) == 2 and all(len(a["sessions"]) == 4 for a in courses)
        assert all(s["max_age"] is not None and s["max_age"] < 18 for a in courses for s in a["sessions"])
        tour = catalogue["demo-tour-family"]
        assert [stop["name"] for stop in tour["route"]][:2] == ["科技长廊", "智能机器人展厅"]

        # Counts are not zero: seats taken, and the small first tour has a waiting list.
        sessions = {s["session_id"]: s for a in catalogue.values() for s in a["sessions"]}
        assert sum(s["capacity"] - s["free_seats"] for s in sessions.values()) >= 36
        first_tour = sessions["demo-tour-family-w1"]
        assert first_tour["free_seats"] < first_tour["capacity"] and first_tour["waitlisted_parties"] >= 1
        listing = (await c.get("/staff/sessions/demo-tour-family-w1/registrations")).json()
        waiting = [r for r in listing["registrations"] if r["status"] == "waitlisted"]
        assert [r["waitlist_position"] for r in waiting] == list(range(1, len(waiting) + 1))

        report = (await c.get("/staff/volunteer-activities/report",
                              params={"year": today.year})).json()
        # The year's count holds activities already held; the demo's are still ahead.
        assert report["minimum"] >= 1
        volunteers = await runtime.pool.fetchval("SELECT count(*) FROM ep_volunteers")
        assert volunteers == 13

        visit_day = (today + timedelta(days=6)).isoformat()
        day = (await c.get(f"/staff/open-base/days/{visit_day}")).json()
        assert day["held"] == 75 and {v["status"] for v in day["visits"]} == {"confirmed"}
        later = (await c.get(f"/staff/open-base/days/{(today + timedelta(days=13)).isoformat()}")).json()
        assert sorted(v["status"] for v in later["visits"]) == ["declined", "requested"]

        # A person can register for the carnival now, from the demo's catalogue.
        garden = next(s for s in catalogue["demo-carnival-garden"]["sessions"] if s["free_seats"] > 0)
        answer = await c.post(f"/sessions/{garden['session_id']}/registrations",
                              json={"name": "韩梅梅", "phone": "137 0000 0001", "adults": 2,
                                    "children_ages": [7], "consent": True,
                                    "proof_of_work": await solved_challenge(c)})
        assert answer.status_code == 201, answer.text
        assert answer.json()["status"] == "confirmed" and answer.json()["seats"] == 3

    # Loaded once: a second run writes nothing.
    last = await runtime.store.last_position()
    assert await demo.load("http://events", token, transport=transport) is False
    assert await runtime.store.last_position() == last

"""Loads the demo season through the service's own HTTP API, as a park_admin would.

    await load("http://127.0.0.1:8000", token)            # a park_admin token
    await load("http://events", token, transport=httpx.ASGITransport(app=app))   # in tests

Loaded once: if the carnival is already in the catalogue, `load` returns False without writing.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx

from redpark_platform.clock import utcnow
from redpark_platform.demo_client import DemoApi
from redpark_platform.web.proof_of_work import solve

from .season import CARNIVAL, catalogue_plan, open_base_plan, registrations_plan, volunteer_plan

CONCURRENCY = 8


async def load(base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None,
               now: datetime | None = None) -> bool:
    """Create the demo season around `now` (the system's clock unless given); False when it was there
    already (the carnival is in the catalogue)."""
    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=60) as client:
        api = DemoApi(client, CONCURRENCY, staff={"Authorization": f"Bearer {token}"})
        catalogue = await api.call("GET", "/catalogue", public=True)
        if any(a["activity_id"] == CARNIVAL for a in catalogue["activities"]):
            return False
        now = now or utcnow()
        # Volunteering first, before the carnival marks the season loaded: its branches and members come
        # from the organization's events, so while this service has not read them yet the load fails and
        # is tried again whole. A repeat finds what the failed attempt wrote (409) and goes on.
        for body, members in volunteer_plan(now):
            await api.call("POST", "/staff/volunteer-activities", body, ok=(201, 409))
            # One after another: sign-ups of one activity share its stream.
            for member_id in members:
                await api.call("POST", f"/staff/volunteer-activities/{body['activity_id']}/sign-ups",
                               {"member_id": member_id}, ok=(201, 409))
        activities, sessions = catalogue_plan(now)
        # The carnival first: its parts name it.
        await api.call("POST", "/staff/activities", activities[0])
        await asyncio.gather(*(api.call("POST", "/staff/activities", a) for a in activities[1:]))
        await asyncio.gather(*(api.call("POST", "/staff/sessions", s) for s in sessions))
        # In order, so the waiting list of the small tour is the order written here. Each with a solved
        # proof of work, as the registration page sends (a carnival part's sessions ask for one).
        for session_id, body in registrations_plan(sessions):
            proof = solve(await api.call("GET", "/proof-of-work/challenge", public=True))
            await api.call("POST", f"/sessions/{session_id}/registrations", {**body, "proof_of_work": proof},
                           public=True)
        for body, then in open_base_plan(now):
            visit = await api.call("POST", "/open-base/visits", body, public=True)
            if then != "requested":
                action = "confirmation" if then == "confirm" else "decline"
                reason = {"reason": "当日基地接待已满，建议改期"} if then == "decline" else {}
                await api.call("POST", f"/staff/open-base/visits/{visit['booking_id']}/{action}",
                               {"day": body["day"], **reason})
    return True

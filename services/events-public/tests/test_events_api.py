"""The public-events API against real PostgreSQL and NATS: catalogue, registration, waiting list,
cancel and promote, tickets with QR codes, check-in, and the rush of 2,000 for 300 seats over HTTP."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from redpark_contracts.events_public import RegistrationPromoted, RegistrationWaitlisted
from redpark_events_public.api.deps import READ_MODEL_POSITION
from redpark_events_public.app import create_app
from redpark_platform.clock import FrozenClock, utcnow
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, eventually, solved_challenge
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
# Every test client comes from one address: the rush of 2,000 needs a limit far above the default.
HIGH_RATE_LIMITS = {
    "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_ADDRESS": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_TICKET_PER_ADDRESS": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_BROWSE_PER_ADDRESS": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_ADDRESS": "100000/minute",
}


@pytest.fixture
def rate_limits() -> dict[str, str]:
    """The rate-limit environment of the service under test; a test may parametrize its own."""
    return HIGH_RATE_LIMITS


async def start(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                rate_limits: dict[str, str], clock: FrozenClock | None = None) -> ServiceClient:
    for variable, value in rate_limits.items():
        monkeypatch.setenv(variable, value)
    return await service_client(create_app, clock=clock, log_level="WARNING")


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                 rate_limits: dict[str, str]) -> ServiceClient:
    return await start(service_client, monkeypatch, rate_limits)


def staff(role: str = "events_officer") -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, 'officer-1', [role])}"}


def iso(t: datetime) -> str:
    return t.isoformat()


async def publish_and_schedule(
    client: ServiceClient,
    *,
    session_id: str = "s1",
    capacity: int = 2,
    starts_in: timedelta = timedelta(days=2),
    closes_in: timedelta = timedelta(days=1),
    **session: Any,
) -> int:
    now = datetime.now(UTC)
    r = await client.post(
        "/staff/activities",
        headers=staff(),
        json={
            "activity_id": "a1",
            "kind": "youth_science_course",
            "title": "青少年机器人科普课",
            "place": "A3",
        },
    )
    assert r.status_code in (201, 409), r.text
    r = await client.post(
        "/staff/sessions",
        headers=staff(),
        json={
            "session_id": session_id,
            "activity_id": "a1",
            "starts_at": iso(now + starts_in),
            "ends_at": iso(now + starts_in + timedelta(hours=2)),
            "place": "A3 报告厅",
            "capacity": capacity,
            "registration_opens_at": iso(now - timedelta(hours=1)),
            "registration_closes_at": iso(now + closes_in),
            **session,
        },
    )
    assert r.status_code == 201, r.text
    position: int = r.json()["position"]
    return position


def person(i: int, **over: Any) -> dict[str, Any]:
    return {
        "name": f"访客{i}",
        "phone": f"135{i:08d}",
        "adults": 1,
        "children_ages": [],
        "consent": True,
        **over,
    }


async def test_a_published_session_shows_in_the_catalogue_with_its_free_seats(
    client: ServiceClient,
) -> None:
    position = await publish_and_schedule(client, capacity=30, min_age=8, max_age=14)
    r = await client.get("/catalogue", params={"after": position})
    assert r.status_code == 200
    [activity] = r.json()["activities"]
    assert activity["title"] == "青少年机器人科普课"
    [session] = activity["sessions"]
    assert (session["session_id"], session["free_seats"], session["min_age"], session["max_age"]) == (
        "s1",
        30,
        8,
        14,
    )


async def test_register_confirm_then_waitlist_then_cancel_promotes_the_first_waiting(
    client: ServiceClient,
) -> None:
    await publish_and_schedule(client, capacity=2)
    first = await client.post("/sessions/s1/registrations", json=person(1))
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "confirmed" and body["seats"] == 1 and body["waitlist_position"] is None
    assert len(body["ticket_code"]) == 9 and body["ticket_code"][4] == "-"

    family = await client.post("/sessions/s1/registrations", json=person(2, adults=1, children_ages=[9]))
    assert (
        family.json()["status"] == "waitlisted" and family.json()["waitlist_position"] == 1
    )  # 2 seats, 1 free

    ticket = await client.get(
        f"/sessions/s1/tickets/{family.json()['ticket_code']}", params={"after": family.json()["position"]}
    )
    assert ticket.status_code == 200
    assert ticket.json()["status"] == "waitlisted" and ticket.json()["waitlist_position"] == 1

    cancel = await client.post(
        "/sessions/s1/cancellations",
        json={"ticket_code": body["ticket_code"].lower(), "phone": "+86 135-0000-0001"},
    )
    assert cancel.status_code == 200, cancel.text
    assert cancel.json()["promoted"] == 1
    ticket = await client.get(
        f"/sessions/s1/tickets/{family.json()['ticket_code']}", params={"after": cancel.json()["position"]}
    )
    assert ticket.json()["status"] == "confirmed" and ticket.json()["waitlist_position"] is None

    qr = await client.get(f"/sessions/s1/tickets/{family.json()['ticket_code']}/qr.png")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_refusals_are_problems_in_both_languages_naming_the_field(client: ServiceClient) -> None:
    await publish_and_schedule(client, capacity=5)
    assert (await client.post("/sessions/s1/registrations", json=person(1))).status_code == 201

    again = await client.post("/sessions/s1/registrations", json=person(2, phone="135 0000 0001"))
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    problem = again.json()
    assert problem["code"] == "registration.phone_already_registered"
    assert "手机号" in problem["detail_zh"] and problem["errors"][0]["field"] == "phone"
    assert "13500000001" not in again.text  # the number is never echoed back

    bad_phone = await client.post("/sessions/s1/registrations", json=person(3, phone="12345"))
    assert bad_phone.status_code == 422 and bad_phone.json()["errors"][0]["field"] == "phone"
    no_consent = await client.post("/sessions/s1/registrations", json=person(4, consent=False))
    assert no_consent.status_code == 422 and no_consent.json()["code"] == "registration.consent_required"
    unknown = await client.post("/sessions/nope/registrations", json=person(5))
    assert unknown.status_code == 404 and unknown.json()["code"] == "session.not_found"
    wrong = await client.post(
        "/sessions/s1/cancellations", json={"ticket_code": "ACDEFGHJ", "phone": "13500000001"}
    )
    assert wrong.status_code == 404 and wrong.json()["code"] == "registration.not_found"


async def test_registration_outside_its_window_is_refused_with_the_reason(client: ServiceClient) -> None:
    now = datetime.now(UTC)
    await publish_and_schedule(client, registration_opens_at=iso(now + timedelta(hours=5)))
    r = await client.post("/sessions/s1/registrations", json=person(1))
    assert r.status_code == 409 and r.json()["code"] == "registration.not_open_yet"
    assert "报名开始时间" in r.json()["detail_zh"]


async def test_a_retried_registration_with_the_same_idempotency_key_registers_once(
    client: ServiceClient,
) -> None:
    await publish_and_schedule(client, capacity=5)
    headers = {"Idempotency-Key": "retry-1"}
    first = await client.post("/sessions/s1/registrations", json=person(1), headers=headers)
    second = await client.post("/sessions/s1/registrations", json=person(1), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers.get("Idempotent-Replayed") == "true"


async def test_staff_check_in_once_never_twice_and_not_at_the_wrong_door(client: ServiceClient) -> None:
    await publish_and_schedule(
        client,
        session_id="soon",
        capacity=5,
        starts_in=timedelta(minutes=30),
        closes_in=timedelta(minutes=20),
    )
    await publish_and_schedule(client, session_id="other", capacity=5)
    ticket = (await client.post("/sessions/soon/registrations", json=person(1))).json()["ticket_code"]

    assert (
        await client.post("/staff/sessions/soon/check-ins", json={"ticket_code": ticket})
    ).status_code == 401
    auditor = await client.post(
        "/staff/sessions/soon/check-ins", json={"ticket_code": ticket}, headers=staff("auditor")
    )
    assert auditor.status_code == 403
    wrong_door = await client.post(
        "/staff/sessions/other/check-ins", json={"ticket_code": ticket}, headers=staff()
    )
    assert wrong_door.status_code == 409 and wrong_door.json()["code"] == "checkin.wrong_session"
    done = await client.post("/staff/sessions/soon/check-ins", json={"ticket_code": ticket}, headers=staff())
    assert done.status_code == 200, done.text
    twice = await client.post("/staff/sessions/soon/check-ins", json={"ticket_code": ticket}, headers=staff())
    assert twice.status_code == 409 and twice.json()["code"] == "checkin.already_checked_in"

    listing = await client.get(
        "/staff/sessions/soon/registrations",
        params={"after": done.json()["position"]},
        headers=staff("auditor"),
    )
    assert listing.status_code == 200
    assert listing.json()["checked_in_seats"] == 1
    assert "访客1" not in listing.text and "13500000001" not in listing.text


async def test_2000_concurrent_registrations_for_300_seats_over_http_then_100_cancellations(
    client: ServiceClient,
) -> None:
    await publish_and_schedule(client, session_id="rush", capacity=300)
    answers = await asyncio.gather(
        *(client.post("/sessions/rush/registrations", json=person(i)) for i in range(1, 2001))
    )
    assert all(a.status_code == 201 for a in answers)
    bodies = [a.json() for a in answers]
    confirmed = [b for b in bodies if b["status"] == "confirmed"]
    waiting = sorted((b for b in bodies if b["status"] == "waitlisted"), key=lambda b: b["waitlist_position"])
    assert len(confirmed) == 300 and len(waiting) == 1700
    assert [b["waitlist_position"] for b in waiting] == list(range(1, 1701))

    # The answers agree with the stream: waiting-list positions are the order of arrival stored.
    store = client.app.state.runtime.store
    stored = [e.event for e in (await store.read_stream("session-rush")).events]
    stored_waiting = [e.registration_id for e in stored if isinstance(e, RegistrationWaitlisted)]
    assert stored_waiting == [b["registration_id"] for b in waiting]

    phone_of = {b["ticket_code"]: f"135{i:08d}" for i, b in enumerate(bodies, start=1)}
    leaving = random.Random(11).sample(confirmed, 100)
    cancels = await asyncio.gather(
        *(
            client.post(
                "/sessions/rush/cancellations",
                json={"ticket_code": b["ticket_code"], "phone": phone_of[b["ticket_code"]]},
            )
            for b in leaving
        )
    )
    assert all(c.status_code == 200 for c in cancels)
    assert sum(c.json()["promoted"] for c in cancels) == 100

    stored = [e.event for e in (await store.read_stream("session-rush")).events]
    promoted = [e.registration_id for e in stored if isinstance(e, RegistrationPromoted)]
    assert promoted == [b["registration_id"] for b in waiting[:100]]

    # The listing waits for `after` only so long (it must answer under load); it says which
    # position it shows, so the test reads again until that is the last cancellation's.
    last = max(c.json()["position"] for c in cancels)
    answer = await eventually(
        lambda: client.get("/staff/sessions/rush/registrations", params={"after": last}, headers=staff()),
        lambda r: r.status_code == 200 and int(r.headers[READ_MODEL_POSITION]) >= last,
    )
    listing = answer.json()
    assert listing["session"]["free_seats"] == 0 and listing["session"]["waitlisted_parties"] == 1600
    still_waiting = [r for r in listing["registrations"] if r["status"] == "waitlisted"]
    assert [r["registration_id"] for r in still_waiting] == [b["registration_id"] for b in waiting[100:]]
    assert [r["waitlist_position"] for r in still_waiting] == list(range(1, 1601))


async def test_volunteer_activity_sign_up_hours_and_the_years_report(
    service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
    rate_limits: dict[str, str], organization: Any  # conftest.Organization,
) -> None:
    now = utcnow()
    clock = FrozenClock(now)
    client = await start(service_client, monkeypatch, rate_limits, clock)
    await organization.branches("branch-1", "branch-3", general="gb")
    await organization.members("m-1")
    await organization.read_by(client)
    secretary = {"Authorization": f"Bearer {mint_token(SECRET, 'sec-1', ['branch_secretary'], 'branch-1')}"}
    body = {
        "activity_id": "v1",
        "kind": "tech_poverty_relief",
        "title": "助农科技服务",
        "organizer_branch_id": "branch-1",
        "place": "X村",
        "starts_at": iso(now + timedelta(seconds=1)),
        "ends_at": iso(now + timedelta(seconds=2)),
    }
    other_branch = await client.post(
        "/staff/volunteer-activities", json={**body, "organizer_branch_id": "branch-2"}, headers=secretary
    )
    assert other_branch.status_code == 403
    # an organizer or a volunteer the organization never told of is refused, naming the field
    unknown = await client.post(
        "/staff/volunteer-activities", json={**body, "organizer_branch_id": "branch-9"}, headers=staff()
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "volunteer.organizer_unknown"
    assert [e["field"] for e in unknown.json()["errors"]] == ["organizer_branch_id"]
    assert (await client.post("/staff/volunteer-activities", json=body, headers=secretary)).status_code == 201
    stranger = await client.post(
        "/staff/volunteer-activities/v1/sign-ups", json={"member_id": "m-404"}, headers=secretary
    )
    assert stranger.status_code == 404 and stranger.json()["code"] == "volunteer.member_unknown"
    signed = await client.post(
        "/staff/volunteer-activities/v1/sign-ups", json={"member_id": "m-1"}, headers=secretary
    )
    assert signed.status_code == 201, signed.text
    early = await client.post(
        "/staff/volunteer-activities/v1/hours", json={"member_id": "m-1", "hours": 0.0002}, headers=secretary
    )
    assert early.status_code == 409 and early.json()["code"] == "volunteer.not_over"
    clock.advance(seconds=2.1)  # the activity is over: its hours may be recorded
    recorded = await client.post(
        "/staff/volunteer-activities/v1/hours", json={"member_id": "m-1", "hours": 0.0002}, headers=secretary
    )
    assert recorded.status_code == 200, recorded.text
    report = await client.get(
        "/staff/volunteer-activities/report",
        params={"year": now.astimezone(ZoneInfo("Asia/Shanghai")).year, "after": recorded.json()["position"]},
        headers=staff("auditor"),
    )
    assert report.status_code == 200
    # every unit, those that held nothing too, against the assessment's default of one a quarter
    answer = report.json()
    assert (answer["per_quarter"], answer["minimum"]) == (1.0, 4)
    rows = {r["organizer_branch_id"]: r for r in answer["organizers"]}
    assert sorted(rows) == ["branch-1", "branch-3", "gb"]
    quarter = (now.astimezone(ZoneInfo("Asia/Shanghai")).month - 1) // 3
    assert rows["branch-1"]["held"] == 1 and rows["branch-1"]["held_by_quarter"][quarter] == 1
    assert not rows["branch-1"]["met"] and rows["branch-3"]["held"] == 0


async def test_open_base_visits_within_the_days_capacity_confirmed_or_declined_by_staff(
    client: ServiceClient,
) -> None:
    day = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    visit = {
        "day": day,
        "organization": "某区机关第三党支部",
        "contact_name": "王芳",
        "contact_phone": "138 0013 8000",
        "group_size": 60,
    }
    first = await client.post("/open-base/visits", json=visit)
    assert first.status_code == 201, first.text
    too_many = await client.post("/open-base/visits", json={**visit, "group_size": 41})
    assert too_many.status_code == 409 and too_many.json()["code"] == "open_base.day_full"
    assert "40" in too_many.json()["detail"]
    second = await client.post("/open-base/visits", json={**visit, "group_size": 40})
    assert second.status_code == 201

    booking = first.json()["booking_id"]
    declined = await client.post(
        f"/staff/open-base/visits/{booking}/decline",
        json={"day": day, "reason": "当日有检查"},
        headers=staff(),
    )
    assert declined.status_code == 200, declined.text
    again = await client.post(
        f"/staff/open-base/visits/{booking}/confirmation", json={"day": day}, headers=staff()
    )
    assert again.status_code == 409 and again.json()["code"] == "open_base.already_decided"
    view = await client.get(
        f"/staff/open-base/days/{day}", params={"after": declined.json()["position"]}, headers=staff()
    )
    assert view.status_code == 200
    assert view.json()["held"] == 40 and [v["status"] for v in view.json()["visits"]] == [
        "declined",
        "requested",
    ]
    assert "王芳" not in view.text and "13800138000" not in view.text


async def test_the_carnival_limits_registrations_per_phone_per_day_across_its_sessions(
    client: ServiceClient,
) -> None:
    now = datetime.now(UTC)
    carnival = await client.post(
        "/staff/activities",
        headers=staff(),
        json={
            "activity_id": "carnival",
            "kind": "science_carnival",
            "title": "科技嘉年华周",
            "daily_limit_per_phone": 1,
        },
    )
    assert carnival.status_code == 201, carnival.text
    for part, kind in (("contest", "knowledge_contest"), ("tasting", "food_tasting")):
        r = await client.post(
            "/staff/activities",
            headers=staff(),
            json={"activity_id": part, "kind": kind, "title": part, "carnival_id": "carnival"},
        )
        assert r.status_code == 201, r.text
        r = await client.post(
            "/staff/sessions",
            headers=staff(),
            json={
                "session_id": f"{part}-1",
                "activity_id": part,
                "starts_at": iso(now + timedelta(days=3)),
                "ends_at": iso(now + timedelta(days=3, hours=1)),
                "place": "广场",
                "capacity": 50,
                "registration_opens_at": iso(now - timedelta(hours=1)),
                "registration_closes_at": iso(now + timedelta(days=2)),
            },
        )
        assert r.status_code == 201, r.text
    not_a_carnival = await client.post(
        "/staff/activities",
        headers=staff(),
        json={"activity_id": "x", "kind": "performance", "title": "x", "carnival_id": "contest"},
    )
    assert not_a_carnival.status_code == 422 and not_a_carnival.json()["code"] == "activity.not_a_carnival"

    async def proved(i: int) -> dict[str, Any]:
        return {**person(i), "proof_of_work": await solved_challenge(client)}  # carnival parts ask for it

    first = await client.post("/sessions/contest-1/registrations", json=await proved(1))
    assert first.status_code == 201, first.text
    second = await client.post("/sessions/tasting-1/registrations", json=await proved(1))
    assert second.status_code == 409 and second.json()["code"] == "registration.daily_limit_reached"
    assert (await client.post("/sessions/tasting-1/registrations", json=await proved(2))).status_code == 201

    # A refused registration gives its slot back; so does a cancelled one.
    cancelled = await client.post(
        "/sessions/contest-1/cancellations",
        json={"ticket_code": first.json()["ticket_code"], "phone": "13500000001"},
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (await client.post("/sessions/tasting-1/registrations", json=await proved(1))).status_code == 201


@pytest.mark.parametrize(
    "rate_limits",
    [
        {
            "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS": "3/minute",
            "REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_ADDRESS": "100/minute",
            "REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_PHONE": "2/hour",
            "REDPARK_EVENTS_PUBLIC_RATE_TICKET_PER_ADDRESS": "2/minute",
            "REDPARK_EVENTS_PUBLIC_RATE_BROWSE_PER_ADDRESS": "4/minute",
        }
    ],
)
async def test_too_many_requests_from_one_address_or_for_one_phone_get_a_429_with_retry_after(
    client: ServiceClient,
) -> None:
    await publish_and_schedule(client, capacity=10)
    answers = [await client.post("/sessions/s1/registrations", json=person(i)) for i in range(1, 5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    refused = answers[3]
    assert refused.headers["content-type"].startswith("application/problem+json")
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    problem = refused.json()
    assert problem["status"] == 429 and problem["code"] == "rate_limited.address"
    assert f"{wait} seconds" in problem["detail"] and f"{wait} 秒后再试" in problem["detail_zh"]
    # The refused registration took no seat and no ticket: still 7 free.
    session = (await client.get("/sessions/s1", params={"after": answers[2].json()["position"]})).json()
    assert session["free_seats"] == 7

    # Per phone, from any address: a third cancellation attempt for one number within the hour.
    ticket = answers[0].json()["ticket_code"]
    wrong = {"ticket_code": "ACDE-FGHJ", "phone": "135 0000 0001"}
    assert (await client.post("/sessions/s1/cancellations", json=wrong)).status_code == 404
    assert (await client.post("/sessions/s1/cancellations", json=wrong)).status_code == 404
    third = await client.post("/sessions/s1/cancellations", json={"ticket_code": ticket, "phone": "13500000001"})
    assert third.status_code == 429 and third.json()["code"] == "rate_limited.phone"
    assert third.json()["errors"][0]["field"] == "phone" and "该手机号" in third.json()["detail_zh"]
    assert "13500000001" not in third.text
    other = await client.post(
        "/sessions/s1/cancellations", json={"ticket_code": answers[1].json()["ticket_code"], "phone": "13500000002"}
    )
    assert other.status_code == 200, other.text

    # Ticket lookups (page and QR image) share one limit per address.
    assert (await client.get(f"/sessions/s1/tickets/{ticket}")).status_code == 200
    assert (await client.get(f"/sessions/s1/tickets/{ticket}/qr.png")).status_code == 200
    looked_up = await client.get(f"/sessions/s1/tickets/{ticket}")
    assert looked_up.status_code == 429 and "Retry-After" in looked_up.headers

    # Public reads (catalogue and session) share a generous limit per address: one read above was one.
    paths = ("/catalogue", "/sessions/s1", "/catalogue", "/catalogue")
    reads = [(await client.get(path)).status_code for path in paths]
    assert reads == [200, 200, 200, 429]


async def test_the_qr_link_in_the_answer_works_behind_the_gateway_prefix(client: ServiceClient) -> None:
    """The embedded start serves this service under /events-public: the ticket link must carry it."""
    await publish_and_schedule(client, capacity=2)
    app = client.app
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, root_path="/events-public"),
                                 base_url="http://gateway.test", timeout=60) as behind:
        answer = await behind.post("/sessions/s1/registrations", json=person(1))
    assert answer.status_code == 201, answer.text
    link = answer.json()["qr_url"]
    assert link.startswith("/events-public/sessions/s1/tickets/") and link.endswith("/qr.png")
    direct = await client.post("/sessions/s1/registrations", json=person(2))
    assert direct.json()["qr_url"].startswith("/sessions/s1/tickets/")


async def test_a_retried_volunteer_sign_up_with_the_same_idempotency_key_signs_up_once(
    client: ServiceClient, organization: Any  # conftest.Organization,
) -> None:
    """A sign-up creates something; a retry after a lost answer must not meet 'already signed up'."""
    await organization.branches("branch-1")
    await organization.members("m-9")
    await organization.read_by(client)
    now = utcnow()
    secretary = {"Authorization": f"Bearer {mint_token(SECRET, 'sec-1', ['branch_secretary'], 'branch-1')}"}
    body = {"activity_id": "v9", "kind": "tech_poverty_relief", "title": "助农科技服务",
            "organizer_branch_id": "branch-1", "place": "X村",
            "starts_at": iso(now + timedelta(days=1)), "ends_at": iso(now + timedelta(days=1, hours=2))}
    assert (await client.post("/staff/volunteer-activities", json=body, headers=secretary)).status_code == 201
    keyed = {**secretary, "Idempotency-Key": "sign-up-m-9"}
    first = await client.post("/staff/volunteer-activities/v9/sign-ups", json={"member_id": "m-9"}, headers=keyed)
    again = await client.post("/staff/volunteer-activities/v9/sign-ups", json={"member_id": "m-9"}, headers=keyed)
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()

"""events_rush — the carnival opening: 5,000 public registrations from 200 concurrent clients on one
session of 500 seats, through a real uvicorn server of the events-public app, vs a bare FastAPI POST
that inserts one row with asyncpg, on the same servers under the same client load.

Both sides run as a uvicorn process of their own on a free loopback port (the clients are in this
process, so neither server shares its event loop with them); both use the rig's PostgreSQL, the
events-public app also its NATS (relay and projections run as deployed). Each repetition rushes a
fresh session: every client starts at the same moment, as when registration opens, and takes the
next registration from a shared list until none are left.

Checked every repetition, from the answers and from the session's stream in PostgreSQL: exactly
`seats` confirmed, the rest waitlisted at positions 1..n, the stream's order (arrival order) being
the waiting-list order, all confirmations before the first waitlisting, and no error responses.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from redpark_platform.web import mint_token
from redpark_platform.web.proof_of_work import solve

from .figures import Figure, median, ms, note, percentile, rate
from .rig import Rig

LOOPBACK = "127.0.0.1"
SECRET = "bench-events-rush-secret-0123456789abcdef0123456789"
BASELINE_DSN_VARIABLE = "BENCH_EVENTS_RUSH_DSN"
ROOT = Path(__file__).resolve().parent.parent
# Every client comes from 127.0.0.1: lift the per-address limits (the limiter still runs and is measured).
HIGH_LIMITS = {
    "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS": "10000000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_ADDRESS": "10000000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_TICKET_PER_ADDRESS": "10000000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_BROWSE_PER_ADDRESS": "10000000/minute",
}
# A carnival part asks every registration for a solved proof of work. The rush measures what the
# server does with one (check the signature and the hash, record it spent), not the browser's second
# of hashing: the challenges are easy and fetched and solved before registration opens.
EASY_PROOF_OF_WORK = {"REDPARK_EVENTS_PUBLIC_POW_MAX_NUMBER": "1000"}
RAW_TABLE = """
CREATE TABLE IF NOT EXISTS raw_registrations (
    id          uuid PRIMARY KEY,
    session_id  text NOT NULL,
    name        text NOT NULL,
    phone       text NOT NULL,
    party       jsonb NOT NULL,
    created_at  timestamptz NOT NULL
)"""
RAW_INSERT = ("INSERT INTO raw_registrations (id, session_id, name, phone, party, created_at)"
              " VALUES ($1, $2, $3, $4, $5::jsonb, $6)")


# --- the baseline server: a bare FastAPI POST inserting one row ------------------------------------


def baseline_app() -> FastAPI:
    """`uvicorn bench.events_rush:baseline_app --factory`: one INSERT per POST, nothing else."""
    state: dict[str, asyncpg.Pool] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        pool = await asyncpg.create_pool(os.environ[BASELINE_DSN_VARIABLE], min_size=4, max_size=20)
        assert pool is not None
        await pool.execute(RAW_TABLE)
        state["pool"] = pool
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/sessions/{session_id}/registrations", status_code=201)
    async def register(session_id: str, request: Request) -> JSONResponse:
        body = await request.json()
        row_id = uuid.uuid4()
        party = f'{{"adults": {int(body.get("adults", 1))}, "children": {len(body.get("children_ages", []))}}}'
        await state["pool"].execute(RAW_INSERT, row_id, session_id, body["name"], body["phone"], party,
                                    datetime.now(UTC))
        return JSONResponse({"registration_id": str(row_id)}, status_code=201)

    return app


# --- servers as child processes --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def _uvicorn(target: str, env: dict[str, str], log: Path, ready: str) -> Iterator[str]:
    port = _free_port()
    argv = [sys.executable, "-m", "uvicorn", target, "--factory", "--host", LOOPBACK, "--port", str(port),
            "--log-level", "warning", "--no-access-log"]
    with log.open("ab") as out:
        proc = subprocess.Popen(argv, env={**os.environ, **env, "PYTHONUNBUFFERED": "1"}, cwd=ROOT,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{target} exited with {proc.returncode}; see {log}:\n{_tail(log)}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + ready, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{target} not ready after 90 s; see {log}:\n{_tail(log)}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


# --- the rush ----------------------------------------------------------------------------------------


@dataclass
class Rush:
    seconds: float
    latencies: list[float]
    answers: list[dict[str, Any]]
    errors: int

    @property
    def per_s(self) -> float:
        return len(self.latencies) / self.seconds


def _person(rep: int, i: int) -> dict[str, Any]:
    # 13<rep><8 digits>: a valid mainland mobile, unique per registration across repetitions.
    return {"name": f"访客{i}", "phone": f"13{3 + rep}{i:08d}", "adults": 1, "children_ages": [],
            "consent": True}


async def _proofs(url: str, count: int) -> list[str]:
    """`count` solved challenges of the service, fetched by 20 clients before the rush."""
    solved: list[str] = []

    async def fetch(share: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            for _ in range(share):
                r = await http.get("/proof-of-work/challenge")
                r.raise_for_status()
                solved.append(solve(r.json()))

    await asyncio.gather(*(fetch(count // 20 + (1 if n < count % 20 else 0)) for n in range(20)))
    return solved


async def _rush(url: str, session_id: str, rep: int, registrations: int, clients: int,
                proofs: list[str]) -> Rush:
    todo = iter(range(registrations))
    latencies: list[float] = []
    answers: list[dict[str, Any]] = []
    errors = 0
    start = asyncio.Event()

    async def client() -> None:
        # A client of its own per person, one connection each, as 200 browsers: one shared
        # httpx pool of 200 connections is itself the bottleneck (70 req/s against a bare
        # /healthz here, against 180 req/s with a client each).
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, limits=httpx.Limits(max_connections=1), timeout=120) as http:
            await start.wait()
            for i in todo:
                began = time.perf_counter()
                try:
                    r = await http.post(f"/sessions/{session_id}/registrations",
                                        json={**_person(rep, i), "proof_of_work": proofs[i]})
                except httpx.HTTPError as error:
                    errors += 1
                    note(f"  request failed: {type(error).__name__}: {error}")
                    continue
                latencies.append(time.perf_counter() - began)
                if r.status_code == 201:
                    answers.append(r.json())
                else:
                    errors += 1
                    if errors <= 5:
                        note(f"  error response {r.status_code}: {r.text[:300]}")

    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    await asyncio.sleep(0.5)  # every client waiting: registration opens now
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    seconds = time.perf_counter() - began
    return Rush(seconds=seconds, latencies=latencies, answers=answers, errors=errors)


async def _schedule(url: str, session_id: str, seats: int) -> None:
    staff = {"Authorization": f"Bearer {mint_token(SECRET, 'bench', ['events_officer'])}"}
    now = datetime.now(UTC)
    async with httpx.AsyncClient(base_url=url, headers=staff, timeout=60) as http:
        # A part of a carnival week with the per-phone daily limit: each registration also takes
        # a slot in its phone's quota stream, as on the real opening day.
        for activity in (
            {"activity_id": "carnival", "kind": "science_carnival", "title": "科技嘉年华周",
             "daily_limit_per_phone": 3},
            {"activity_id": "carnival-opening", "kind": "science_experience", "title": "科普知识体验",
             "carnival_id": "carnival"},
        ):
            r = await http.post("/staff/activities", json=activity)
            if r.status_code not in (201, 409):
                raise RuntimeError(f"publishing {activity['activity_id']} answered {r.status_code}: {r.text}")
        r = await http.post("/staff/sessions", json={
            "session_id": session_id, "activity_id": "carnival-opening",
            "starts_at": (now + timedelta(days=3)).isoformat(),
            "ends_at": (now + timedelta(days=3, hours=2)).isoformat(),
            "place": "B2 科普体验馆", "capacity": seats,
            "registration_opens_at": (now - timedelta(minutes=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=2)).isoformat(),
            "max_party_size": 5, "waitlist_limit": None,
        })
        if r.status_code != 201:
            raise RuntimeError(f"scheduling {session_id} answered {r.status_code}: {r.text}")


async def _check(dsn: str, session_id: str, rush: Rush, registrations: int, seats: int) -> dict[str, Any]:
    """The outcome as the answers and the stream tell it; `in_order` only if they agree."""
    confirmed = [a for a in rush.answers if a["status"] == "confirmed"]
    waiting = sorted((a for a in rush.answers if a["status"] == "waitlisted"), key=lambda a: a["waitlist_position"])
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT type, data->>'registration_id' AS registration_id FROM events"
            " WHERE stream_id = $1 AND type LIKE '%registration_%' ORDER BY version",
            f"session-{session_id}",
        )
    finally:
        await conn.close()
    kinds = [r["type"].rsplit(".", 1)[-1] for r in rows]
    stored_waiting = [r["registration_id"] for r in rows if r["type"].endswith("registration_waitlisted")]
    stored_confirmed = kinds.count("registration_confirmed")
    in_order = (
        [a["waitlist_position"] for a in waiting] == list(range(1, len(waiting) + 1))
        and stored_waiting == [a["registration_id"] for a in waiting]
        and stored_confirmed == len(confirmed)
        and kinds == ["registration_confirmed"] * stored_confirmed
        + ["registration_waitlisted"] * (len(kinds) - stored_confirmed)
    )
    if len(confirmed) != seats or len(waiting) != registrations - seats or not in_order or rush.errors:
        note(f"  CHECK FAILED for {session_id}: confirmed {len(confirmed)} (want {seats}), waitlisted"
             f" {len(waiting)} (want {registrations - seats}), in order {in_order}, errors {rush.errors}")
    return {"confirmed": len(confirmed), "waitlisted": len(waiting), "in_order": in_order}


async def _warm(url: str, session_id: str, rep: int, proofs: list[str]) -> None:
    # Connections, pools and code paths warmed on a session that is not measured.
    await _rush(url, session_id, rep, registrations=200, clients=20, proofs=proofs)


async def run(rig: Rig, quick: bool) -> list[Figure]:
    registrations, seats, clients, reps = (1000, 100, 50, 1) if quick else (5000, 500, 200, 3)
    folder = rig.folder / "events_rush"
    folder.mkdir(exist_ok=True)
    service_dsn = await rig.new_database("events_public")
    raw_dsn = await rig.new_database("events_rush_raw")
    service_env = {
        "REDPARK_NATS_URL": rig.nats_url, "REDPARK_EVENTS_PUBLIC_DATABASE_URL": service_dsn,
        "REDPARK_DATA_DIR": str(folder), "REDPARK_JWT_SECRET": SECRET, "REDPARK_LOG_LEVEL": "WARNING",
        "REDPARK_TIMEZONE": "Asia/Shanghai", **HIGH_LIMITS, **EASY_PROOF_OF_WORK,
    }
    platform: list[tuple[Rush, dict[str, Any]]] = []
    raw: list[Rush] = []
    with (
        _uvicorn("redpark_events_public.app:create_app", service_env, folder / "events-public.log", "/readyz") as url,
        _uvicorn("bench.events_rush:baseline_app", {BASELINE_DSN_VARIABLE: raw_dsn}, folder / "baseline.log",
                 "/healthz") as raw_url,
    ):
        note(f"events-public on {url}, baseline on {raw_url}; {registrations} registrations, {seats} seats, "
             f"{clients} clients, {reps} repetition(s)")
        await _schedule(url, "warm-up", 100)
        warm_proofs = await _proofs(url, 200)
        await _warm(url, "warm-up", 0, warm_proofs)
        await _warm(raw_url, "warm-up", 0, warm_proofs)
        for rep in range(1, reps + 1):
            session_id = f"carnival-opening-{rep}"
            await _schedule(url, session_id, seats)
            proofs = await _proofs(url, registrations)
            rush = await _rush(url, session_id, rep, registrations, clients, proofs)
            outcome = await _check(service_dsn, session_id, rush, registrations, seats)
            platform.append((rush, outcome))
            note(f"  rep {rep} events-public: {rush.per_s:.0f} registrations/s, p50 {ms(median(rush.latencies))}"
                 f" ms, p99 {ms(percentile(rush.latencies, 99))} ms, {outcome}, errors {rush.errors}")
            base = await _rush(raw_url, session_id, rep, registrations, clients, proofs)  # the same bodies
            raw.append(base)
            note(f"  rep {rep} bare FastAPI+asyncpg: {base.per_s:.0f} requests/s, p50"
                 f" {ms(median(base.latencies))} ms, p99 {ms(percentile(base.latencies, 99))} ms, errors {base.errors}")

    rushes = [r for r, _ in platform]
    outcomes = [o for _, o in platform]
    return [
        Figure("events_rush", "registrations_per_s", rate(median([r.per_s for r in rushes])), "registrations/s",
               baseline=rate(median([r.per_s for r in raw])), target=">= 0.4 of baseline"),
        Figure("events_rush", "latency_p50_ms", ms(median([median(r.latencies) for r in rushes])), "ms",
               baseline=ms(median([median(r.latencies) for r in raw]))),
        Figure("events_rush", "latency_p99_ms", ms(median([percentile(r.latencies, 99) for r in rushes])), "ms",
               baseline=ms(median([percentile(r.latencies, 99) for r in raw])), target="< 300 ms"),
        # Correctness: the worst repetition, so one bad run cannot hide behind a median.
        Figure("events_rush", "confirmed", _worst([o["confirmed"] for o in outcomes], seats), "registrations",
               target=f"== {seats}"),
        Figure("events_rush", "waitlisted", _worst([o["waitlisted"] for o in outcomes], registrations - seats),
               "registrations", target=f"== {registrations - seats}"),
        Figure("events_rush", "waitlist_in_arrival_order", all(o["in_order"] for o in outcomes), None,
               target="true"),
        Figure("events_rush", "error_responses", max(r.errors for r in rushes), "responses",
               baseline=float(max(r.errors for r in raw)), target="== 0"),
    ]


def _worst(values: list[int], want: int) -> int:
    return max(values, key=lambda v: abs(v - want))

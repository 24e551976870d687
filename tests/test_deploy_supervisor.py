"""The whole platform as `up` runs it: each service on credentials of its own, and a supervisor that
brings back a process killed under it while everything else stays up.

One platform (every service, no demo data) for the module: starting it is most of the time.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import nats
import pytest
from redpark_platform.web.auth import mint_token

sys.path.insert(0, str(Path(__file__).parent))
from test_deploy_up import Up, pid_alive, start_up, stop_up  # noqa: E402

KILLED = "events-public"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Up]:
    up = start_up(tmp_path_factory.mktemp("supervised") / "redpark", timeout=240)
    try:
        yield up
    finally:
        if up.proc.poll() is None:
            stop_up(up)
        for pid in json.loads((up.data / "run.json").read_text())["pids"].values() \
                if (up.data / "run.json").exists() else up.state["pids"].values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)


def run_state(up: Up) -> dict:
    return json.loads((up.data / "run.json").read_text())


def token(up: Up, role: str) -> str:
    return mint_token((up.data / "jwt.key").read_text().strip(), f"test-{role}", [role])


def environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode().split("=", 1) for entry in raw if b"=" in entry)


class Watcher(threading.Thread):
    """Asks the gateway and the services that were not killed, every 0.1 s, whether they are up; and
    the killed one too, to be sure the watch covered the time it was down."""

    def __init__(self, urls: list[str], killed: str) -> None:
        super().__init__(daemon=True)
        self.urls = urls
        self.killed = killed
        self.failures: list[str] = []
        self.killed_down = 0
        self.done = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=5) as client:
            while not self.done.is_set():
                for url in [*self.urls, self.killed]:
                    try:
                        status = client.get(url).status_code
                    except httpx.HTTPError as error:
                        status, failure = 0, f"{url}: {type(error).__name__}"
                    else:
                        failure = f"{url}: {status}"
                    if status != 200:
                        if url == self.killed:
                            self.killed_down += 1
                        else:
                            self.failures.append(failure)
                self.done.wait(0.1)


def wait_until(check, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    pytest.fail(f"not within {timeout:.0f} s: {what}")


def test_a_killed_service_is_started_again_while_the_gateway_and_the_other_services_stay_up(platform: Up) -> None:
    before = run_state(platform)
    gateway = before["gateway"]
    others = [name for name in before["services"] if name != KILLED]
    watcher = Watcher([f"{gateway}/healthz", *(f"{gateway}/{name}/healthz" for name in others)],
                      f"{gateway}/{KILLED}/healthz")
    watcher.start()
    try:
        os.kill(before["pids"][KILLED], signal.SIGKILL)
        after = wait_until(lambda: (s := run_state(platform))["pids"][KILLED] != before["pids"][KILLED] and s,
                           60, f"a new pid for {KILLED} in run.json")
        assert pid_alive(after["pids"][KILLED])
        wait_until(lambda: httpx.get(f"{gateway}/{KILLED}/readyz", timeout=5).status_code == 200, 120,
                   f"{KILLED} ready again")
        # Requests succeed again: a command (an event appended, relayed, projected) through the gateway.
        created = httpx.post(f"{gateway}/{KILLED}/staff/activities", timeout=30,
                             headers={"Authorization": f"Bearer {token(platform, 'events_officer')}"},
                             json={"activity_id": "after-restart", "kind": "youth_science_course",
                                   "title": "重启之后的科普课"})
        assert created.status_code == 201, created.text
    finally:
        watcher.done.set()
        watcher.join(10)
    # The watch saw the killed service down (it covered the outage), and nothing else ever was.
    assert watcher.killed_down > 0 and watcher.failures == []
    for name in [*others, "gateway", "nats", "postgres"]:
        assert after["pids"][name] == before["pids"][name] and pid_alive(before["pids"][name]), name

    report = httpx.get(f"{gateway}/services", headers={"Accept": "application/json",
                                                       "Authorization": f"Bearer {token(platform, 'park_admin')}"})
    processes = report.json()["processes"]
    assert processes[KILLED]["restarts"] == 1
    assert processes[KILLED]["last_exit"]["reason"] == "signal SIGKILL"
    assert processes[KILLED]["pid"] == after["pids"][KILLED]
    assert all(p["restarts"] == 0 for name, p in processes.items() if name != KILLED)
    page = httpx.get(f"{gateway}/services?lang=en",
                     headers={"Authorization": f"Bearer {token(platform, 'park_admin')}"}).text
    row = page.split(f'data-process="{KILLED}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="restarts">1</td>' in row and "signal SIGKILL" in row and "Restarts" in page
    # Nobody signed in sees the services' readiness, not the processes' history.
    assert httpx.get(f"{gateway}/services", headers={"Accept": "application/json"}).json()["processes"] == {}
    assert f"{KILLED} exited unexpectedly (signal SIGKILL)" in platform.output()


def test_each_service_reaches_nats_and_its_database_as_itself_and_no_further(platform: Up) -> None:
    state = run_state(platform)
    services = list(state["services"])
    for secret in ("nats/passwords.json", "nats/nats.conf", "postgres/passwords.json"):
        assert (platform.data / secret).stat().st_mode & 0o077 == 0, secret
    passwords = {**json.loads((platform.data / "nats/passwords.json").read_text()),
                 **json.loads((platform.data / "postgres/passwords.json").read_text())}
    run_file = (platform.data / "run.json").read_text()
    assert not any(password in run_file for password in passwords.values())

    urls = {}
    for name in services:
        env = environment(state["pids"][name])
        nats_url = env["REDPARK_NATS_URL"]
        database_url = env[f"REDPARK_{name.upper().replace('-', '_')}_DATABASE_URL"]
        assert urlsplit(nats_url).username == name
        assert urlsplit(database_url).username == "redpark_" + name.replace("-", "_")
        urls[name] = (nats_url, database_url)

    async def trespass(name: str, other: str) -> list[str]:
        nats_url, database_url = urls[name]
        errors: list[str] = []

        async def collect(error: Exception) -> None:
            errors.append(str(error).lower())

        nc = await nats.connect(nats_url, error_cb=collect, inbox_prefix=f"_INBOX.{name}", allow_reconnect=False)
        await nc.publish(f"{other}.anything.forged", b"{}")
        await nc.flush()
        for _ in range(50):
            if errors:
                break
            await asyncio.sleep(0.1)
        await nc.close()
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await asyncpg.connect(database_url.rsplit("/", 1)[0] + "/redpark_" + other.replace("-", "_"))
        return errors

    for name, other in zip(services, services[1:] + services[:1], strict=True):
        errors = asyncio.run(trespass(name, other))
        assert f'permissions violation for publish to "{other}.anything.forged"' in " ".join(errors), name

    # What they are allowed to do works: every read model has its consumer on every stream it reads
    # (-1 would be a consumer its user could not create) and nothing was refused in the logs.
    for name in services:
        checks = httpx.get(f"{state['services'][name]}/readyz", timeout=10).json()["checks"]
        detail = next(c["detail"] for c in checks if c["name"] == "projections")
        assert "-1" not in detail, (name, detail)
        assert "permissions violation" not in (platform.data / "logs" / f"{name}.log").read_text().lower(), name

"""The platform as `python deploy/redpark.py up` runs it, for the fault suite: started in a data folder,
its processes found by the pids `up` writes to run.json (read again after every restart), and the
faults themselves: kill -9 a process, SIGSTOP/SIGCONT, PostgreSQL's fast shutdown, a stream deleted."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from redpark_platform.credentials import PASSWORDS_FILE, PasswordFile, with_user
from redpark_platform.testkit import TEST_TOKEN_TTL
from redpark_platform.web.auth import mint_token

ROOT = Path(__file__).resolve().parents[2]
REDPARK = ROOT / "deploy" / "redpark.py"
SKEW_HOOK = Path(__file__).resolve().parent / "skew"
START_TIMEOUT_S = 180
# The load comes from one address through the gateway: the public routes' per-address limits, meant
# for one family's phone, would refuse most of it. Per phone they stay (every registration has its own).
GENEROUS_LIMITS = {
    "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS": "",
    "REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_ADDRESS": "",
    "REDPARK_EVENTS_PUBLIC_RATE_TICKET_PER_ADDRESS": "",
    "REDPARK_EVENTS_PUBLIC_RATE_BROWSE_PER_ADDRESS": "",
}


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Platform:
    proc: subprocess.Popen[bytes]
    data: Path

    @property
    def run_file(self) -> Path:
        return self.data / "run.json"

    @property
    def skew_file(self) -> Path:
        """While it exists, the service it names starts with code one event version behind (skew/)."""
        return self.data.parent / "skew.flag"

    def state(self) -> dict[str, Any]:
        return dict(json.loads(self.run_file.read_text()))

    @property
    def gateway(self) -> str:
        return str(self.state()["gateway"])

    @property
    def services(self) -> list[str]:
        return sorted(self.state()["services"])

    def pid(self, name: str) -> int:
        return int(self.state()["pids"][name])

    def output(self) -> str:
        return (self.data.parent / "up.out").read_text(errors="replace")

    def token(self, roles: tuple[str, ...] = ("park_admin",)) -> str:
        secret = (self.data / "jwt.key").read_text().strip()
        return mint_token(secret, "fault-suite", list(roles), name="故障测试", ttl=TEST_TOKEN_TTL)

    def _password(self, server: str, user: str) -> str | None:
        """A password `up` made into the server's folder (none: a server that takes anyone)."""
        return PasswordFile(self.data / server / PASSWORDS_FILE).known(user)

    def database_dsn(self, service: str) -> str:
        """The superuser's DSN of a service's database: the suite reads the stores behind the services."""
        url = f"{str(self.state()['postgres_dsn']).rsplit('/', 1)[0]}/redpark_{service.replace('-', '_')}"
        password = self._password("postgres", "postgres")
        return with_user(url, "postgres", password) if password else url

    def nats_url(self, user: str) -> str:
        url = str(self.state()["nats_url"])
        password = self._password("nats", user)
        return with_user(url, user, password) if password else url

    # --- faults -------------------------------------------------------------------------------------

    def signal(self, name: str, sig: int) -> int:
        pid = self.pid(name)
        os.kill(pid, sig)
        return pid

    async def restarted(self, name: str, old_pid: int, timeout: float = 60) -> int:
        """The supervisor of `up` started `name` again: its new pid (run.json is rewritten then)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"up exited ({self.proc.returncode}):\n{self.output()[-3000:]}")
            try:
                pid = self.pid(name)
            except (KeyError, ValueError, OSError):  # run.json is replaced whole; a moment without it
                pid = old_pid
            if pid != old_pid and pid_alive(pid):
                return pid
            await asyncio.sleep(0.1)
        raise AssertionError(f"{name} was not started again within {timeout:.0f} s:\n{self.output()[-3000:]}")

    async def ready(self, client: httpx.AsyncClient, timeout: float = 60) -> None:
        """Every service answers /readyz with 200 through the gateway."""
        deadline = time.monotonic() + timeout
        pending = list(self.services)
        while pending:
            if time.monotonic() > deadline:
                raise AssertionError(f"not ready after {timeout:.0f} s: {pending}")
            try:
                answers = await asyncio.gather(*(client.get(f"{self.gateway}/{s}/readyz", timeout=5)
                                                 for s in pending))
                pending = [s for s, r in zip(pending, answers, strict=True) if r.status_code != 200]
            except httpx.HTTPError:
                pass
            if pending:
                await asyncio.sleep(0.2)

    def stop(self) -> None:
        stop_up(self)


def start_up(data: Path, timeout: float = START_TIMEOUT_S) -> Platform:
    data.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, REDPARK_NO_INSTALL="1", **GENEROUS_LIMITS)
    for key in [k for k in env if k.endswith(("_NATS_URL", "_DATABASE_URL"))]:
        del env[key]  # these would switch `up` to external servers
    # The version-skew fault: every Python process `up` starts imports skew/sitecustomize.py, which does
    # nothing unless `skew_file` names that process's service.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SKEW_HOOK), env.get("PYTHONPATH", "")) if p)
    env["REDPARK_FAULTS_SKEW_FILE"] = str(data.parent / "skew.flag")
    log = data.parent / "up.out"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, str(REDPARK), "up", "--no-demo", "--data", str(data)],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    platform = Platform(proc, data)
    deadline = time.monotonic() + timeout
    while not platform.run_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_up(platform)
            raise AssertionError("up did not start:\n" + log.read_text(errors="replace")[-4000:])
        time.sleep(0.2)
    return platform


def stop_up(platform: Platform) -> None:
    pids: dict[str, int] = {}
    try:
        pids = platform.state().get("pids", {})
    except (OSError, ValueError):
        pass
    if platform.proc.poll() is None:
        platform.proc.send_signal(signal.SIGINT)
        try:
            platform.proc.wait(60)
        except subprocess.TimeoutExpired:
            platform.proc.kill()
            platform.proc.wait()
    for pid in pids.values():  # whatever a crash left behind, by the pids `up` reported
        if pid_alive(pid):
            for sig in (signal.SIGCONT, signal.SIGKILL):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass

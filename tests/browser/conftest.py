"""The whole platform, started once for every browser test: `python deploy/redpark.py up`, as a
user runs it, in a temporary data folder on free ports, with the demo data loaded.

Fixtures:
- `platform` (session): a `Platform` with `url` (the gateway, the one address), `data` (the data
  folder), `token(roles)` (a JWT for API set-up calls, signed with the folder's key) and
  `add_account(username, roles)` → password (an account of the gateway's sign-in, in
  `<data>/accounts.json`).
- `sign_in(page, roles=("events_officer",))`: signs a page in through the real `/login` form
  (a fresh account per role set) and returns the account's user name.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from redpark_platform.accounts import AccountStore
from redpark_platform.web.auth import mint_token

ROOT = Path(__file__).resolve().parents[2]
REDPARK = ROOT / "deploy" / "redpark.py"
START_TIMEOUT_S = float(os.environ.get("REDPARK_BROWSER_START_TIMEOUT", "420"))


@dataclass
class Platform:
    url: str
    data: Path
    state: dict[str, Any]
    accounts: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)

    @property
    def secret(self) -> str:
        # As the services do: a REDPARK_JWT_SECRET of the environment wins over the folder's key.
        return os.environ.get("REDPARK_JWT_SECRET") or (self.data / "jwt.key").read_text().strip()

    def token(self, roles: Sequence[str] = ("park_admin",), subject: str = "browser-tests") -> str:
        return mint_token(self.secret, subject, list(roles), name="浏览器测试")

    def add_account(self, username: str, roles: Sequence[str], name: str = "") -> str:
        password = secrets.token_urlsafe(12)
        AccountStore(self.data / "accounts.json").add(username, password, list(roles), name=name or username)
        return password


def _stop(proc: subprocess.Popen[bytes], state: dict[str, Any]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in state.get("pids", {}).values():  # whatever a crash left behind, by the pids `up` reported
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data = tmp_path_factory.mktemp("browser") / "redpark"
    log = data.parent / "up.out"
    env = dict(os.environ, REDPARK_NO_INSTALL="1")
    for key in [k for k in env if k == "REDPARK_NATS_URL" or k.endswith("_DATABASE_URL")]:
        del env[key]  # these would switch `up` to external servers
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, str(REDPARK), "up", "--data", str(data)], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    run_file = data / "run.json"
    deadline = time.monotonic() + START_TIMEOUT_S
    while not run_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc, {})
            output = log.read_text(errors="replace")[-4000:]
            pytest.fail("the platform did not start:\n" + output, pytrace=False)
        time.sleep(0.3)
    state = json.loads(run_file.read_text())
    try:
        yield Platform(url=state["gateway"], data=data, state=state)
    finally:
        _stop(proc, state)


@pytest.fixture
def sign_in(platform: Platform) -> Callable[..., str]:
    def go(page: Any, roles: Sequence[str] = ("events_officer",), next_path: str = "/") -> str:
        key = tuple(sorted(roles))
        if key not in platform.accounts:
            username = "browser-" + "-".join(r.replace("_", "-") for r in key)
            platform.accounts[key] = (username, platform.add_account(username, key))
        username, password = platform.accounts[key]
        page.goto(f"{platform.url}/login?next={quote(next_path)}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        return username

    return go

"""`python deploy/redpark.py up`, run as a user runs it, each time in its own data folder.

It writes `run.json` in the data folder once everything is up (URLs and the pid of every child),
which is how these tests find the gateway and check that nothing is left after it stops.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import jwt
import pytest
from redpark_platform.credentials import PasswordFile, with_user

ROOT = Path(__file__).resolve().parents[1]
REDPARK = ROOT / "deploy" / "redpark.py"


@dataclass
class Up:
    proc: subprocess.Popen[str]
    data: Path
    state: dict

    def output(self) -> str:
        return (self.data.parent / f"{self.data.name}.out").read_text()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{entry.name}: {cmdline}")
    return found


def start_up(data: Path, *options: str, timeout: float = 90, sigint_ignored: bool = False) -> Up:
    out = (data.parent / f"{data.name}.out").open("w")
    env = dict(os.environ, REDPARK_NO_INSTALL="1")
    for key in [k for k in env if k == "REDPARK_NATS_URL" or k.endswith("_DATABASE_URL")]:
        del env[key]  # these would switch `up` to external servers
    proc = subprocess.Popen(
        [sys.executable, str(REDPARK), "up", "--no-demo", "--data", str(data), *options],
        stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, text=True,
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None,
    )
    out.close()
    run_file = data / "run.json"
    deadline = time.monotonic() + timeout
    while not run_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail("up did not start:\n" + (data.parent / f"{data.name}.out").read_text())
        time.sleep(0.2)
    return Up(proc, data, json.loads(run_file.read_text()))


def stop_up(up: Up, sig: int = signal.SIGINT, timeout: float = 60) -> int:
    up.proc.send_signal(sig)
    try:
        return up.proc.wait(timeout)
    except subprocess.TimeoutExpired:
        up.proc.kill()
        raise


@pytest.fixture
def cleanup() -> Iterator[list[Up]]:
    """Whatever a failing test leaves running is stopped here, by the pids `up` reported."""
    started: list[Up] = []
    yield started
    for up in started:
        if up.proc.poll() is None:
            up.proc.send_signal(signal.SIGINT)
            try:
                up.proc.wait(60)
            except subprocess.TimeoutExpired:
                up.proc.kill()
        for pid in up.state["pids"].values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_up_serves_the_platform_behind_one_address_and_ctrl_c_stops_every_child(
    tmp_path: Path, cleanup: list[Up]
) -> None:
    data = tmp_path / "redpark"
    # As a shell's background job: started with SIGINT ignored, `kill -INT` must still stop it.
    up = start_up(data, sigint_ignored=True)
    cleanup.append(up)
    gateway = up.state["gateway"]

    landing = httpx.get(gateway + "/")
    assert landing.status_code == 200
    assert '<html lang="zh-CN">' in landing.text
    assert httpx.get(gateway + "/healthz").json() == {"status": "ok"}
    for name in up.state["services"]:
        assert f'href="/{name}/docs"' in landing.text
        assert httpx.get(f"{gateway}/{name}/healthz").status_code == 200
        assert httpx.get(f"{gateway}/{name}/openapi.json").status_code == 200
    assert "nats" in up.state["pids"] and "postgres" in up.state["pids"]
    assert (data / "jwt.key").stat().st_mode & 0o077 == 0  # the signing key is readable by its owner only

    assert stop_up(up, signal.SIGINT) == 0
    for name, pid in up.state["pids"].items():
        assert not pid_alive(pid), f"{name} (pid {pid}) still runs after Ctrl-C"
    assert processes_mentioning(str(data)) == []
    assert not (data / "run.json").exists()
    assert "stopped" in up.output()
    assert "eyJ" not in up.output()  # no token in the terminal unless asked for with --print-token


def test_a_second_start_on_the_same_folder_keeps_the_postgres_data_and_the_jwt_key(
    tmp_path: Path, cleanup: list[Up]
) -> None:
    data = tmp_path / "redpark"
    first = start_up(data, "--services", "")
    cleanup.append(first)
    # run.json names the address; the superuser's password is only in the server's own folder.
    superuser = PasswordFile(data / "postgres" / "passwords.json").get("postgres")
    assert superuser not in (data / "run.json").read_text()
    with pytest.raises(asyncpg.InvalidPasswordError):
        asyncio.run(asyncpg.connect(first.state["postgres_dsn"]))

    async def create() -> None:
        conn = await asyncpg.connect(with_user(first.state["postgres_dsn"], "postgres", superuser))
        await conn.execute("CREATE TABLE kept (word text); INSERT INTO kept VALUES ('红色园区')")
        await conn.close()

    asyncio.run(create())
    key = (data / "jwt.key").read_text()
    assert stop_up(first, signal.SIGTERM) == 0

    second = start_up(data, "--services", "")
    cleanup.append(second)

    async def read() -> list[str]:
        conn = await asyncpg.connect(with_user(second.state["postgres_dsn"], "postgres", superuser))
        rows = await conn.fetch("SELECT word FROM kept")
        await conn.close()
        return [r["word"] for r in rows]

    assert asyncio.run(read()) == ["红色园区"]
    assert (data / "jwt.key").read_text() == key
    assert stop_up(second) == 0


def test_a_process_that_keeps_dying_fast_stops_the_platform_and_up_names_it(
    tmp_path: Path, cleanup: list[Up]
) -> None:
    """One crash is restarted (tests/test_deploy_supervisor.py); five within a minute are a crash
    loop that no restart will cure, and `up` gives up instead of filling the logs."""
    data = tmp_path / "redpark"
    up = start_up(data, "--services", "")
    cleanup.append(up)
    seen = [up.state["pids"]]

    for kill in range(1, 6):
        pid = json.loads((data / "run.json").read_text())["pids"]["gateway"]
        os.kill(pid, signal.SIGKILL)
        if kill == 5:
            break
        deadline = time.monotonic() + 60
        while (state := json.loads((data / "run.json").read_text()))["pids"]["gateway"] == pid:
            assert up.proc.poll() is None and time.monotonic() < deadline, up.output()
            time.sleep(0.1)
        assert state["processes"]["gateway"]["restarts"] == kill
        seen.append(state["pids"])

    assert up.proc.wait(60) == 1
    assert "gateway exited unexpectedly (signal SIGKILL), 5 times within 60 s" in up.output()
    assert "gateway started again" in up.output()
    for pids in seen:
        for name, pid in pids.items():
            assert not pid_alive(pid), f"{name} (pid {pid}) still runs"


def run_redpark(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, REDPARK_NO_INSTALL="1")
    return subprocess.run([sys.executable, str(REDPARK), *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_test_command_passes_its_arguments_to_pytest_and_returns_its_exit_code(tmp_path: Path) -> None:
    # Each nested run gets a temporary folder of its own: pytest's default one is shared with this
    # run, and a new session narrows its mode to 0700, locking out this run's PostgreSQL (which runs
    # as its own system user) in the middle of its work.
    passed = run_redpark("test", "-q", "tests/test_deploy_gateway.py", "-k", "answers_its_own_healthz",
                         "--basetemp", str(tmp_path / "passed"))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "1 passed" in passed.stdout
    missing = run_redpark("test", "-q", "tests/no_such_test_file.py", "--basetemp", str(tmp_path / "missing"))
    # Whatever pytest itself answers for a path that does not exist (with the suite's workers
    # that is "no tests ran", not its usage error): the command hands it on unchanged.
    direct = subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/no_such_test_file.py",
                             "--basetemp", str(tmp_path / "direct")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert missing.returncode == direct.returncode != 0


def test_an_unknown_command_prints_the_usage() -> None:
    result = run_redpark("deploy-everything")
    assert result.returncode == 2
    assert "usage: python3 deploy/redpark.py" in result.stderr


def verify(data: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, REDPARK_NO_INSTALL="1")
    for key in [k for k in env if k == "REDPARK_NATS_URL" or k.endswith("_DATABASE_URL")]:
        del env[key]
    return subprocess.run([sys.executable, str(REDPARK), "verify", "--data", str(data)], capture_output=True,
                          text=True, env=env, timeout=120)


def test_verify_finds_every_read_model_equal_to_its_rebuild_then_names_a_tampered_table(
        tmp_path: Path, cleanup: list[Up]) -> None:
    data = tmp_path / "data"
    up = start_up(data, "--services", "events-public")
    cleanup.append(up)

    first = verify(data)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "ep_volunteers" in first.stdout and "every read model equals its rebuild" in first.stdout

    async def tamper() -> None:
        # The service's own role, as an operator with the data folder would tamper.
        password = json.loads((data / "postgres" / "passwords.json").read_text())["redpark_events_public"]
        dsn = up.state["postgres_dsn"].rsplit("/", 1)[0] + "/redpark_events_public"
        conn = await asyncpg.connect(dsn, user="redpark_events_public", password=password)
        try:
            await conn.execute("INSERT INTO ep_volunteers (activity_id, member_id, signed_up_at)"
                               " VALUES ('ghost', 'nobody', now())")
        finally:
            await conn.close()

    asyncio.run(tamper())
    second = verify(data)
    assert second.returncode == 1, second.stdout + second.stderr
    line = next(x for x in second.stdout.splitlines() if "ep_volunteers" in x)
    assert "DIFFERS: 0 missing, 1 extra, 0 differing" in line
    assert stop_up(up) == 0


def test_up_prints_a_short_token_only_when_asked_and_refuses_a_short_signing_secret(
    tmp_path: Path, cleanup: list[Up]
) -> None:
    env = dict(os.environ, REDPARK_NO_INSTALL="1", REDPARK_JWT_SECRET="too-short-a-secret")
    refused = subprocess.run([sys.executable, str(REDPARK), "up", "--no-demo", "--services", "",
                              "--data", str(tmp_path / "refused")], env=env, capture_output=True, text=True,
                             timeout=120, check=False)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "REDPARK_JWT_SECRET has 18 bytes" in refused.stdout + refused.stderr
    assert not (tmp_path / "refused" / "run.json").exists()

    data = tmp_path / "redpark"
    up = start_up(data, "--services", "", "--print-token")
    cleanup.append(up)
    assert stop_up(up) == 0
    [token] = [line for line in up.output().splitlines() if line.startswith("eyJ")]
    claims = jwt.decode(token, (data / "jwt.key").read_text().strip(), algorithms=["HS256"], issuer="redpark")
    assert claims["roles"] == ["park_admin"] and claims["exp"] - claims["iat"] == 15 * 60

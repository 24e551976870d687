"""`redpark.py up`: the whole platform on one machine, from pip packages only.

Starts NATS (JetStream) and PostgreSQL on free loopback ports with all their data in one folder,
then every service as its own uvicorn process, then the gateway that puts them behind one address,
loads demo data once and supervises: a process that exits by itself is started again after a
back-off, and only one that keeps failing fast stops the platform. Ctrl-C or SIGTERM stops the
services first, then the servers. Each service reaches NATS and PostgreSQL with credentials of its
own (see `redpark_platform.credentials`). Runs inside the venv (redpark.py re-executes itself
there), so installed packages may be imported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from redpark_platform.accounts import AccountStore, generate_password
from redpark_platform.credentials import (
    GATEWAY,
    TOOLS,
    gateway_permissions,
    service_permissions,
    tools_permissions,
    without_password,
)
from redpark_platform.inbox import ensure_secrets_file
from redpark_platform.notifications.standins import LOCAL_KEY_ID, LOCAL_KEY_SECRET
from redpark_platform.servers import LOOPBACK, NatsServer, PostgresServer, free_port
from redpark_platform.settings import check_jwt_secret
from redpark_platform.web.auth import load_or_create_key, mint_token

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_SCRIPT = Path(__file__).resolve().parent / "gateway.py"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEMO_ATTEMPTS = 3
DEMO_RETRY_S = 3.0
# The supervisor: a process that exits by itself is started again after a back-off that doubles
# with each recent exit; FAST_FAILURES exits within FAST_WINDOW_S mean it will not get better by
# itself, and the platform stops (a crash loop would only fill the logs).
FAST_FAILURES = 5
FAST_WINDOW_S = 60.0
FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 10.0
ACCOUNTS_FILE = "accounts.json"
PASSWORDS_FILE = "initial-passwords.txt"
# The sign-in accounts `up` makes once per data folder: user name, role, name shown in the console.
DEMO_ACCOUNTS = (
    ("admin", "park_admin", "园区党总支"),
    ("secretary", "branch_secretary", "支部书记"),
    ("education", "education_officer", "学习教育专员"),
    ("support", "support_officer", "企业服务专员"),
    ("events", "events_officer", "活动专员"),
    ("auditor", "auditor", "审计员"),
)
# Shown on the landing page when a service's [tool.redpark] gives no title of its own.
DEFAULT_TITLES = {
    "organization": "组织建设",
    "education": "党员教育",
    "enterprise-support": "企业服务",
    "events-public": "公共活动",
}


def say(line: str) -> None:
    print(f"redpark: {line}", flush=True)


class Shutdown(Exception):
    """SIGTERM, handled like Ctrl-C."""


class StartFailed(Exception):
    pass


@dataclass(frozen=True)
class Service:
    """One folder under services/ with a pyproject.toml.

    Its pyproject names the Python package that holds `app.create_app`:
        [tool.redpark]
        package = "redpark_events_public"
        title = "公共活动"          # optional, for the landing page
    """

    name: str
    package: str
    title: str
    # The other services whose streams its projections and reactions read (`reads` in its
    # [tool.redpark]); its NATS user may consume those and its own stream, no other.
    reads: tuple[str, ...] = ()

    @property
    def env_key(self) -> str:
        return self.name.upper().replace("-", "_")

    @property
    def database(self) -> str:
        return "redpark_" + self.name.replace("-", "_")

    @property
    def database_env(self) -> str:
        return f"REDPARK_{self.env_key}_DATABASE_URL"

    @property
    def nats_env(self) -> str:
        """An external NATS URL with this service's own credentials (else REDPARK_NATS_URL)."""
        return f"REDPARK_{self.env_key}_NATS_URL"


def discover_services(root: Path) -> list[Service]:
    services = []
    for pyproject in sorted((root / "services").glob("*/pyproject.toml")):
        name = pyproject.parent.name
        with pyproject.open("rb") as f:
            conf = tomllib.load(f).get("tool", {}).get("redpark", {})
        package = conf.get("package") or "redpark_" + name.replace("-", "_")
        services.append(Service(name, package, conf.get("title") or DEFAULT_TITLES.get(name, name),
                                tuple(conf.get("reads", ()))))
    return services


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def http_ok(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def describe_exit(code: int | None) -> str:
    if code is None:
        return "running"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"code {code}"


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]
    url: str
    log: Path
    # How to start it again: the same command, environment and port (the gateway keeps its routes).
    argv: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None


@dataclass
class Supervised:
    """One process under the supervisor: how to see it, how to start it again, what it went through."""

    name: str
    process: Callable[[], subprocess.Popen[bytes] | None]
    restart: Callable[[], None]
    log: Path
    restarts: int = 0
    last_exit: dict[str, Any] | None = None
    exits: deque[float] = field(default_factory=deque)
    restart_at: float | None = None

    def recent_exits(self, now: float) -> int:
        while self.exits and self.exits[0] <= now - FAST_WINDOW_S:
            self.exits.popleft()
        return len(self.exits)

    def report(self) -> dict[str, Any]:
        proc = self.process()
        return {"pid": proc.pid if proc else None,
                "state": "restarting" if self.restart_at is not None else "running",
                "restarts": self.restarts, "last_exit": self.last_exit}


class CrashLoop(Exception):
    """A process failed FAST_FAILURES times within FAST_WINDOW_S."""


@dataclass
class Stack:
    data: Path
    gateway_port: int
    load_demo: bool
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    nats: NatsServer | None = None
    postgres: PostgresServer | None = None
    children: list[Child] = field(default_factory=list)
    gateway: Child | None = None
    supervised: list[Supervised] = field(default_factory=list)
    nats_url: str = ""
    # The local SMS/WeCom/SMTP stand-ins, and what the services are told of them.
    standins: Child | None = None
    notify_env: dict[str, str] = field(default_factory=dict)
    secret: str = ""  # the token signing secret, known once started

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def run_file(self) -> Path:
        return self.data / "run.json"

    def start(self, services: list[Service]) -> str:
        """Start everything and return a park_admin token; on failure, `stop()` cleans up."""
        self.data.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        nats_urls = self._start_nats(services)
        database_urls = self._start_postgres(services)
        key_file = self.data / "jwt.key"
        # Made once, then reused on every start, so tokens stay valid; a REDPARK_JWT_SECRET given by
        # the user wins, in the services as here.
        secret = check_jwt_secret(self.env.get("REDPARK_JWT_SECRET") or load_or_create_key(key_file),
                                  "REDPARK_JWT_SECRET" if self.env.get("REDPARK_JWT_SECRET") else str(key_file))
        # Inbound webhook secrets, once per data folder: the services and the simulators read this file.
        ensure_secrets_file(self.data / "webhook-secrets.json")
        # Known before the services start, so their messages can link to the gateway.
        self.secret = secret
        self.gateway_port = self.gateway_port or free_port()
        self._start_standins()
        for service in services:
            self._start_service(service, nats_urls[service.name], database_urls[service.name], key_file)
        for child in self.children:
            self._wait_ready(child, "/readyz")
            say(f"{child.name} ready on {child.url}")
        self.gateway = self._start_gateway(services)
        self._wait_ready(self.gateway, "/healthz")
        # For `up`'s own work (demo data, accounts): long enough for a slow demo load, never shown
        # unless asked for with --print-token.
        token = mint_token(secret, "park-admin", ["park_admin"], name="园区管理员", ttl=timedelta(hours=1))
        if self.load_demo:
            self._load_demo(services, token)
        self._ensure_accounts(token)
        self._supervise()
        self._write_run_file()
        return token

    def _start_nats(self, services: list[Service]) -> dict[str, str]:
        """Each service's NATS URL, with its own user's credentials."""
        if url := self.env.get("REDPARK_NATS_URL"):
            self.nats_url = without_password(url)
            say(f"NATS: external, {self.nats_url}")
            return {s.name: self.env.get(s.nats_env) or url for s in services}
        # A user per service (its own subjects and stream, the streams it reads), the gateway's and
        # the tools'; passwords made once into nats/passwords.json (0600), permissions every start.
        users = {s.name: service_permissions(s.name, {s.name, *s.reads}) for s in services}
        users.update({GATEWAY: gateway_permissions(), TOOLS: tools_permissions()})
        self.nats = NatsServer(self.data / "nats", sync_always=True, users=users)
        self.nats.start()
        self.nats_url = self.nats.address
        say(f"NATS (JetStream) on {self.nats.address}, a user per service")
        return {s.name: self.nats.url_for(s.name) for s in services}

    def _start_postgres(self, services: list[Service]) -> dict[str, str]:
        urls = {s.name: self.env[s.database_env] for s in services if self.env.get(s.database_env)}
        for name in urls:
            say(f"PostgreSQL for {name}: external")
        if services and len(urls) == len(services):
            return urls
        self.postgres = PostgresServer(self.data / "postgres", durable=True)
        self.postgres.start()
        say(f"PostgreSQL on {LOOPBACK}:{self.postgres.port}, a login role per service")
        for service in services:
            if service.name not in urls:
                # The superuser only sets up: each service owns its database under a role of its own.
                urls[service.name] = self.postgres.create_owned_database(service.database)
        return urls

    def _start_standins(self) -> None:
        """The SMS gateway, WeCom robot and SMTP stand-ins (`redpark_platform.notifications.standins`):
        messages land in the data folder. A provider the user configured in the environment wins."""
        http_port, smtp_port = free_port(), free_port()
        argv = [sys.executable, "-m", "redpark_platform.notifications.standins", "--data", str(self.data),
                "--host", LOOPBACK, "--http-port", str(http_port), "--smtp-port", str(smtp_port)]
        self.standins = self._spawn("notify-standins", argv, dict(self.env, PYTHONUNBUFFERED="1"),
                                    f"http://{LOOPBACK}:{http_port}")
        self._wait_ready(self.standins, "/healthz")
        say(f"SMS/WeCom stand-in on {self.standins.url}, SMTP on {LOOPBACK}:{smtp_port}: messages go to "
            f"{self.data / 'sms-outbox.jsonl'} and {self.data / 'mail'}")
        local = {"REDPARK_PUBLIC_URL": f"http://{LOOPBACK}:{self.gateway_port}"}
        if not self.env.get("REDPARK_SMS_PROVIDER"):
            local.update({"REDPARK_SMS_PROVIDER": "aliyun", "REDPARK_SMS_ENDPOINT": self.standins.url + "/",
                          "REDPARK_SMS_ACCESS_KEY_ID": LOCAL_KEY_ID, "REDPARK_SMS_ACCESS_KEY_SECRET": LOCAL_KEY_SECRET})
        if not self.env.get("REDPARK_SMTP_HOST"):
            local.update({"REDPARK_SMTP_HOST": LOOPBACK, "REDPARK_SMTP_PORT": str(smtp_port),
                          "REDPARK_SMTP_FROM": "notice@redpark.local"})
        if not self.env.get("REDPARK_WECOM_WEBHOOKS"):
            local["REDPARK_WECOM_WEBHOOKS"] = json.dumps(
                {"staff": f"{self.standins.url}/cgi-bin/webhook/send?key=local-staff-robot"})
        self.notify_env = {k: v for k, v in local.items() if not self.env.get(k)}

    def _start_service(self, service: Service, nats_url: str, database_url: str, key_file: Path) -> None:
        port = free_port()
        env = dict(self.env, **self.notify_env)
        env.update({
            "REDPARK_NATS_URL": nats_url,
            service.database_env: database_url,
            "REDPARK_JWT_KEY_FILE": str(key_file),
            "REDPARK_DATA_DIR": str(self.data),
            "REDPARK_TIMEZONE": self.env.get("REDPARK_TIMEZONE", DEFAULT_TIMEZONE),
            "PYTHONUNBUFFERED": "1",
        })
        # --root-path: behind the gateway the service lives under /<name>/, so its /docs page
        # must fetch /<name>/openapi.json; the gateway strips the prefix before forwarding.
        argv = [
            sys.executable, "-m", "uvicorn", f"{service.package}.app:create_app", "--factory",
            "--host", LOOPBACK, "--port", str(port), "--root-path", f"/{service.name}",
        ]
        self.children.append(self._spawn(service.name, argv, env, f"http://{LOOPBACK}:{port}"))

    def _spawn(self, name: str, argv: list[str], env: dict[str, str], url: str) -> Child:
        log = self.logs / f"{name}.log"
        return Child(name, self._popen(argv, env, log), url, log, argv=argv, env=env, cwd=self.data)

    def _popen(self, argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            # Own session: a Ctrl-C in the terminal reaches only this process, which then stops
            # the children in order instead of all of them at once.
            return subprocess.Popen(
                argv, env=env, cwd=self.data, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                start_new_session=True,
            )

    def _wait_ready(self, child: Child, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if child.proc.poll() is not None:
                raise StartFailed(
                    f"{child.name} exited with code {child.proc.returncode} while starting; "
                    f"last lines of {child.log}:\n{tail(child.log)}"
                )
            if http_ok(child.url + path):
                return
            time.sleep(0.2)
        raise StartFailed(
            f"{child.name} not ready after {timeout:.0f}s; last lines of {child.log}:\n{tail(child.log)}"
        )

    def _start_gateway(self, services: list[Service]) -> Child:
        port = self.gateway_port or free_port()
        routes = [
            {"name": s.name, "title": s.title, "url": c.url}
            for s, c in zip(services, self.children, strict=True)
        ]
        # The gateway signs staff in: it reads the accounts in the data folder and mints the same
        # tokens as the services verify.
        env = dict(self.env, REDPARK_GATEWAY_SERVICES=json.dumps(routes, ensure_ascii=False),
                   REDPARK_JWT_KEY_FILE=str(self.data / "jwt.key"), REDPARK_DATA_DIR=str(self.data),
                   PYTHONUNBUFFERED="1")
        # Its own NATS user, which may only ask how the streams are; a service's URL never reaches it.
        env.pop("REDPARK_NATS_URL", None)
        if self.nats:
            env["REDPARK_NATS_URL"] = self.nats.url_for(GATEWAY)
        argv = [sys.executable, str(GATEWAY_SCRIPT), "--host", LOOPBACK, "--port", str(port)]
        return self._spawn("gateway", argv, env, f"http://{LOOPBACK}:{port}")

    def _load_demo(self, services: list[Service], token: str) -> None:
        markers = self.data / "demo"
        markers.mkdir(exist_ok=True)
        # The organization's park comes first: the other services learn the enterprises and
        # members from its events, so their demos build on it.
        pairs = sorted(zip(services, self.children, strict=True),
                       key=lambda pair: (pair[0].name != "organization", pair[0].name))
        for service, child in pairs:
            marker = markers / f"{service.name}.loaded"
            if marker.exists() or not has_module(f"{service.package}.demo"):
                continue
            say(f"loading demo data into {service.name}")
            module = importlib.import_module(f"{service.package}.demo")
            for attempt in range(1, DEMO_ATTEMPTS + 1):
                try:
                    asyncio.run(module.load(child.url, token))
                except Exception as error:  # noqa: BLE001 - demo data is optional; the platform keeps running
                    if attempt < DEMO_ATTEMPTS:
                        # Its projections may still be catching up on the organization's events.
                        time.sleep(DEMO_RETRY_S)
                        continue
                    say(f"demo data for {service.name} failed ({type(error).__name__}: {error}); "
                        "it will be tried again on the next start")
                else:
                    marker.write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z") + "\n")
                break
        self._simulate_integrations({s.name: c.url for s, c in pairs}, markers / "integrations.loaded")

    def _simulate_integrations(self, urls: dict[str, str], marker: Path) -> None:
        """The property and recruitment systems' demo traffic, once, through their simulators: what a
        real sender does (duplicates, out-of-order, malformed and unsigned deliveries included), so the
        webhook ledgers and what follows from the deliveries are there to look at."""
        wanted = ("organization", "enterprise-support")
        simulators = ("redpark_organization.demo.simulate_property",
                      "redpark_enterprise_support.demo.simulate_recruitment")
        if marker.exists() or not all(name in urls for name in wanted) or not all(map(has_module, simulators)):
            return
        from redpark_enterprise_support.demo import simulate_recruitment
        from redpark_organization.demo import simulate_property

        secrets_file = self.data / "webhook-secrets.json"

        async def send() -> list[bool]:
            async with httpx.AsyncClient(timeout=30) as client:
                sent = await simulate_property.run_scenario(
                    client, urls["organization"], simulate_property.read_secret(secrets_file), "demo", prefix="DEMO")
                sent += await simulate_recruitment.run_scenario(
                    client, urls["enterprise-support"], simulate_recruitment.read_secret(secrets_file), "demo",
                    employer_code="demo-e001", prefix="DEMO")
            return [s.as_expected for s in sent]

        say("sending the property and recruitment systems' demo traffic (their simulators)")
        try:
            answers = asyncio.run(send())
        except Exception as error:  # noqa: BLE001 - demo traffic is optional; the platform keeps running
            say(f"the simulators failed ({type(error).__name__}: {error}); they will run again on the next start")
            return
        say(f"simulators: {sum(answers)} of {len(answers)} deliveries answered as a real sender expects")
        marker.write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z") + "\n")

    def _ensure_accounts(self, token: str) -> None:
        """The sign-in accounts, once per data folder, each with a random password written to
        `initial-passwords.txt` (readable only by us); an existing accounts file is never touched."""
        store = AccountStore(self.data / ACCOUNTS_FILE)
        if store.exists():
            return
        branch_id = self._demo_branch(token)
        lines = ["# Red Park: the first passwords of the sign-in accounts. Change them with",
                 "#   .venv/bin/redpark-accounts --file <data>/accounts.json passwd <user>",
                 "# and delete this file."]
        for username, role, name in DEMO_ACCOUNTS:
            if role == "branch_secretary" and branch_id is None:
                say("no branch yet, so no 'secretary' account; add one later with redpark-accounts "
                    "add secretary --role branch_secretary --branch <branch_id>")
                continue
            password = generate_password()
            store.add(username, password, [role], name=name,
                      branch_id=branch_id if role == "branch_secretary" else None)
            lines.append(f"{username} / {password}\t({role})")
        passwords = self.data / PASSWORDS_FILE
        fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        say(f"sign-in accounts created; their first passwords are in {passwords}")

    def _demo_branch(self, token: str) -> str | None:
        """A branch with members, from the organization's rosters (the secretary's account is
        scoped to it), or None when the organization is not running or has no branch."""
        organization = next((c for c in self.children if c.name == "organization"), None)
        if organization is None:
            return None
        request = urllib.request.Request(organization.url + "/branches?limit=100",
                                         headers={"Authorization": f"Bearer {token}"})
        first: str | None = None
        # Its rosters may still be catching up on the demo's events for a moment.
        for _ in range(10):
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    items = json.load(response).get("items", [])
            except (urllib.error.URLError, OSError, ValueError):
                return None
            active = [b for b in items if b.get("active", True)]
            first = first or next((b["branch_id"] for b in active), None)
            staffed = next((b["branch_id"] for b in active if b.get("members", 0) > 0), None)
            if staffed:
                return str(staffed)
            if first is None and not self.load_demo:
                break
            time.sleep(0.5)
        return first

    def _supervise(self) -> None:
        """What the supervisor watches: every child, and the servers it started."""
        self.supervised = [Supervised(c.name, lambda c=c: c.proc, lambda c=c: self._respawn(c), c.log)
                           for c in [*self.children, *([self.gateway] if self.gateway else []),
                                     *([self.standins] if self.standins else [])]]
        if self.nats:
            nats = self.nats
            self.supervised.append(Supervised("nats", lambda: nats.proc, lambda: nats.start(),
                                              nats.folder / "nats.log"))
        if self.postgres:
            postgres = self.postgres
            self.supervised.append(Supervised("postgres", lambda: postgres.proc, lambda: postgres.start(),
                                              postgres.folder / "postgres.log"))

    def _respawn(self, child: Child) -> None:
        child.proc = self._popen(child.argv, child.env, child.log)

    def _write_run_file(self) -> None:
        assert self.gateway is not None
        processes = {p.name: p.report() for p in self.supervised}
        state = {
            "pid": os.getpid(),
            "gateway": self.gateway.url,
            "services": {c.name: c.url for c in self.children},
            # Addresses only: the passwords stay in nats/passwords.json and postgres/passwords.json.
            "nats_url": self.nats_url,
            "postgres_dsn": without_password(self.postgres.dsn()) if self.postgres else None,
            "pids": {name: p["pid"] for name, p in processes.items() if p["pid"] is not None},
            "processes": processes,
        }
        # Written whole then renamed: a reader never sees half a file.
        partial = self.run_file.with_suffix(".tmp")
        partial.write_text(json.dumps(state, indent=2) + "\n")
        partial.replace(self.run_file)

    def watch(self, poll: float = 0.5) -> int:
        """Supervise until a signal interrupts (0 is then returned by the caller) or a process keeps
        failing fast (returns 1)."""
        while True:
            try:
                if self.supervise_once():
                    self._write_run_file()
            except CrashLoop as error:
                say(f"{error}; stopping the rest")
                return 1
            time.sleep(poll)

    def supervise_once(self) -> bool:
        """One look at every process: note the ones that exited, start those whose back-off is
        over. True when something changed (run.json is then written again)."""
        changed = False
        for entry in self.supervised:
            now = time.monotonic()
            proc = entry.process()
            if entry.restart_at is None and proc is not None and proc.poll() is not None:
                self._exited(entry, proc.returncode, now)
                changed = True
            elif entry.restart_at is not None and now >= entry.restart_at:
                self._restart(entry)
                changed = True
        return changed

    def _exited(self, entry: Supervised, code: int | None, now: float, reason: str = "") -> None:
        entry.exits.append(now)
        reason = reason or describe_exit(code)
        entry.last_exit = {"code": code, "reason": reason,
                           "at": datetime.now(UTC).isoformat(timespec="seconds")}
        recent = entry.recent_exits(now)
        if recent >= FAST_FAILURES:
            say(f"{entry.name} exited unexpectedly ({reason}), {recent} times within "
                f"{FAST_WINDOW_S:.0f} s; last lines of {entry.log}:")
            print(tail(entry.log), flush=True)
            raise CrashLoop(f"{entry.name} keeps failing")
        backoff = min(FIRST_BACKOFF_S * 2 ** (recent - 1), MAX_BACKOFF_S)
        say(f"{entry.name} exited unexpectedly ({reason}); starting it again in {backoff:.1f} s")
        entry.restart_at = now + backoff

    def _restart(self, entry: Supervised) -> None:
        entry.restart_at = None
        entry.restarts += 1
        try:
            entry.restart()
        except Exception as error:  # noqa: BLE001 - a failed start is one more fast failure
            say(f"{entry.name} could not be started again ({type(error).__name__}: {error})")
            self._exited(entry, None, time.monotonic(), reason=f"could not start: {type(error).__name__}")
            return
        proc = entry.process()
        say(f"{entry.name} started again (pid {proc.pid if proc else '?'}, restart {entry.restarts})")
        with contextlib.suppress(OSError), entry.log.open("a", encoding="utf-8") as out:
            out.write(f"--- redpark up: started again after {entry.last_exit['reason'] if entry.last_exit else 'an exit'}"
                      f" (restart {entry.restarts}) ---\n")

    def stop(self) -> None:
        front = [*self.children, *([self.gateway] if self.gateway else []),
                 *([self.standins] if self.standins else [])]
        for child in front:
            if child.proc.poll() is None:
                child.proc.terminate()
        for child in front:
            try:
                child.proc.wait(15)
            except subprocess.TimeoutExpired:
                say(f"{child.name} did not stop in 15 s; killing it")
                child.proc.kill()
                child.proc.wait(5)
        if self.nats:
            self.nats.stop()
        if self.postgres:
            self.postgres.stop()
        self.run_file.unlink(missing_ok=True)


def sign_in_hint(data: Path, url: str) -> str:
    """The line `up` prints at every start: where to sign in, as whom."""
    try:
        lines = (data / PASSWORDS_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    admin = next((line.split("\t")[0] for line in lines if line.startswith("admin / ")), None)
    if admin:
        return f"sign in at {url}/login   管理员 {admin}   (all accounts: {data / PASSWORDS_FILE})"
    return (f"sign in at {url}/login; to set a password: "
            f".venv/bin/redpark-accounts --file {data / ACCOUNTS_FILE} passwd admin")


def select_services(root: Path, only: list[str] | None) -> list[Service]:
    found = discover_services(root)
    if only is not None:
        unknown = set(only) - {s.name for s in found}
        if unknown:
            raise StartFailed(f"no such service: {', '.join(sorted(unknown))}")
        found = [s for s in found if s.name in only]
    services = []
    for service in found:
        if has_module(f"{service.package}.app"):
            services.append(service)
        else:
            say(f"skipping {service.name}: its package has no module {service.package}.app yet")
    return services


def _raise_shutdown(signum: int, frame: object) -> None:
    raise Shutdown


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="redpark.py up",
                                     description="Start the whole Red Park platform locally.")
    parser.add_argument("--data", type=Path, default=ROOT / ".redpark",
                        help="folder for all data: PostgreSQL, NATS, JWT key, logs (default: .redpark)")
    parser.add_argument("--port", type=int, default=0, help="gateway port (default: a free one)")
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    parser.add_argument("--print-token", action="store_true",
                        help="also print a park_admin bearer token for API clients (15 minutes; "
                             "redpark-mint-token makes others)")
    parser.add_argument("--services", default=None,
                        help="comma-separated services to start (default: all; '' for none)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI): noise, not a problem.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    only = None if args.services is None else [s for s in args.services.split(",") if s.strip()]
    stack = Stack(data=args.data.resolve(), gateway_port=args.port, load_demo=not args.no_demo)
    signal.signal(signal.SIGTERM, _raise_shutdown)
    # A shell starts background jobs with SIGINT ignored; `kill -INT` must still stop us cleanly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if secret := os.environ.get("REDPARK_JWT_SECRET"):
        try:
            check_jwt_secret(secret, "REDPARK_JWT_SECRET")
        except ValueError as error:
            say(f"start refused: {error}")
            return 2
    try:
        stack.start(select_services(ROOT, only))
        assert stack.gateway is not None
        say(f"data in {stack.data}, logs in {stack.logs}")
        if args.print_token:
            # A token in a terminal ends up in scroll-back and screen shares: only when asked.
            say("staff token (park_admin, 15 minutes), send as 'Authorization: Bearer <token>':")
            print(mint_token(stack.secret, "park-admin", ["park_admin"], name="园区管理员"), flush=True)
        say(f"open {stack.gateway.url}/   (Ctrl-C stops everything)")
        say(sign_in_hint(stack.data, stack.gateway.url))
        return stack.watch()
    except (KeyboardInterrupt, Shutdown):
        say("stopping")
        return 0
    except (StartFailed, RuntimeError, TimeoutError, OSError, subprocess.CalledProcessError) as error:
        say(f"start failed: {error}")
        return 1
    finally:
        # A second Ctrl-C must not leave servers running half-stopped.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        say("stopped")

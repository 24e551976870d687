"""One address for the whole platform: `/<service>/...` goes to that service; sign-in and dashboard.

A streaming reverse proxy (Starlette + httpx): bodies are passed through as they arrive, never
buffered, so large exports and server-sent events work. Services are given by the environment
variable REDPARK_GATEWAY_SERVICES, a JSON list of {"name", "title", "url"}; each service runs
with uvicorn's --root-path /<name>, so the links it makes (its /docs page too) carry the prefix.

The gateway is also where staff sign in (`/login`, local accounts of `redpark_platform.accounts`):
it sets a 15-minute access token as the `redpark_session` cookie, which every service accepts,
and a renewal token (`redpark_renew`, the working day) that only the gateway reads: while the
account's token version holds, each request through the gateway whose access token is missing or
near its end gets a new one, so a removed, disabled or re-passworded account loses access at once
and an idle console keeps working. An expired session on `/` goes to `/login` with a message. `/` is the
park's dashboard for a signed-in person (each service's `GET /dashboard`, side by side, and for a
park_admin an operations card read from every service's `/metrics`), else a landing page;
`/services` lists the services with their status and, to staff, the processes `up` supervises
(restarts, last exit: from `run.json` in REDPARK_DATA_DIR; JSON for `Accept: application/json`).
Settings from the environment:
REDPARK_JWT_SECRET or REDPARK_JWT_KEY_FILE (the signing key), REDPARK_ACCOUNTS_FILE (default
<REDPARK_DATA_DIR>/accounts.json), REDPARK_LOGIN_FAILURES (wrong passwords allowed per address in
10 minutes, default 10; counted in `login-failures.sqlite3` beside the accounts, so a restart of
the gateway does not forgive them).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.cookiejar
import json
import os
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import jwt
import msgspec
import uvicorn
from redpark_platform.accounts import AccountStore, default_accounts_file
from redpark_platform.console import SECTIONS, Console
from redpark_platform.console.dashboard import Dashboard
from redpark_platform.console.i18n import add_phrases
from redpark_platform.console.pages import STATIC_DIR, STATIC_PATH
from redpark_platform.decider import DomainError
from redpark_platform.operations import ErrorWindow, Samples, read_exposition, summarise
from redpark_platform.operations import tiles as operation_tiles
from redpark_platform.settings import JwtSource
from redpark_platform.web.auth import (
    DEFAULT_TTL,
    RENEW,
    RENEW_COOKIE,
    SESSION_COOKIE,
    SESSION_TTL,
    Principal,
    TokenVersions,
    decode_token,
    mint_token,
    signing_secret,
)
from redpark_platform.web.limits import BodyLimitMiddleware
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

TEMPLATES = Path(__file__).resolve().parent / "templates"
DASHBOARD_TIMEOUT_S = 3.0
OPERATIONS_SAMPLE_S = 60.0
OPERATIONS_ROLES = ("park_admin",)  # the operations card: the platform's health is the park admin's to watch
LOGIN_WINDOW_S = 600.0
DEFAULT_LOGIN_FAILURES = 10
LOGIN_FAILURES_FILE_NAME = "login-failures.sqlite3"
# An access token this close to its end is replaced on the way through, so a page's next request
# (or its form post minutes later) does not meet an expired one.
RENEW_BEFORE_S = 5 * 60

add_phrases({
    "工作人员登录": "Staff sign-in",
    "公众活动报名": "Public events: sign up",
    "用户名或密码错误": "Wrong user name or password",
    "尝试次数过多，请十分钟后再试": "Too many attempts; please try again in ten minutes",
    "请输入用户名和密码": "Please enter your user name and password",
    "登录已过期，请重新登录": "Your session has ended; please sign in again",
    "暂时无法获取": "Not available right now",
    "该服务尚未提供仪表盘": "This service has no dashboard yet",
    "你的账号无权查看这部分数据": "Your account may not see these figures",
    "园区概况": "How the park is doing",
    "服务状态": "Services",
    "服务": "Service",
    "地址": "Address",
    "文档": "Docs",
    "状态": "Status",
    "接口文档": "API docs",
    "就绪": "Ready",
    "未就绪": "Not ready",
    "无法连接": "Unreachable",
    "尚无服务运行。": "No service is running.",
    "进程": "Processes",
    "进程号": "PID",
    "重启次数": "Restarts",
    "上次退出": "Last exit",
    "运行中": "Running",
    "正在重启": "Restarting",
    "无": "None",
    "由 up 监管：意外退出的进程会在短暂等待后自动重启。": "Supervised by up: a process that exits unexpectedly is started again after a short wait.",
    "支部考核": "Branch scorecards",
    "本季度各支部的得分与一票否决见上方“组织”卡片；每张考核表的逐项得分见组织服务的 /assessment/scorecards 接口。":
        "This quarter's branch scores and vetoes are on the Organization card above; each card item by item is at"
        " the organization service's /assessment/scorecards API.",
    "查看": "Open",
    "进入工作页面": "Open the work pages",
    "数据表": "Data table",
    "欢迎": "Welcome",
    "党员、群众和企业职工可在线报名参加园区公开活动。": "Members, the public and employees sign up for the park's public events.",
    "园区党务工作人员使用账号登录。": "Party-work staff sign in with their account.",
    "平台运行": "Platform operations",
    "未能读取指标": "Metrics not readable",
    "同样的指标可由园区的 Prometheus 抓取，告警规则和 Grafana 仪表盘见 deploy/observability/。":
        "The park's Prometheus can scrape the same metrics; alert rules and a Grafana dashboard are in"
        " deploy/observability/.",
})

# Connection-level headers belong to one hop and must not be forwarded (RFC 9110 section 7.6.1).
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "transfer-encoding", "upgrade",
})
# What a client says about where it came from is not passed on: the services' per-address limits
# trust the gateway's hop alone, which states the address it saw.
CLIENT_CLAIMS = frozenset({"forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
                           "x-forwarded-prefix", "x-real-ip"})


class NoCookies(http.cookiejar.DefaultCookiePolicy):
    """The gateway is shared by every visitor: a cookie an upstream sets belongs to the visitor
    it answered (passed on in Set-Cookie), never to the gateway's own client."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


READINESS = {"就绪": "ready", "未就绪": "not_ready", "无法连接": "unreachable"}


def supervised_processes() -> dict[str, Any]:
    """What `up`'s supervisor last wrote about its processes (pid, state, restarts, last exit)."""
    data = os.environ.get("REDPARK_DATA_DIR")
    if not data:
        return {}
    try:
        processes = json.loads((Path(data) / "run.json").read_text(encoding="utf-8")).get("processes", {})
    except (OSError, ValueError):
        return {}
    return processes if isinstance(processes, dict) else {}


def exit_reason(last_exit: Any) -> str:
    if not isinstance(last_exit, dict):
        return ""
    return f"{last_exit.get('reason', '')} · {last_exit.get('at', '')}"


@dataclass(frozen=True)
class Upstream:
    name: str
    title: str
    url: str


class AnyPath(Convertor[str]):
    """The rest of the path, line breaks included: Starlette's `path` is `.*`, so a `%0A` in a
    service's path parameter missed the route and got a bare text 404 the service never saw."""

    regex = r"[\s\S]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("anypath", AnyPath())


def upstreams_from_env() -> list[Upstream]:
    return [Upstream(**entry) for entry in json.loads(os.environ.get("REDPARK_GATEWAY_SERVICES", "[]"))]


def problem(status: int, title: str, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def safe_next(target: str | None) -> str:
    """A path on this site to go to after signing in; anything else (another site, `//host`,
    a scheme, a backslash browsers read as a slash) becomes the dashboard."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


class LoginGuard:
    """Counts wrong passwords per client address in a moving window: guessing is slowed to a crawl,
    while a person who mistypes a few times is never locked out for long.

    The count is kept in a SQLite file beside the accounts, not in memory: restarting the gateway
    (or `up`'s supervisor doing it after a crash) does not hand a guesser a fresh allowance.
    """

    def __init__(self, allowed: int, path: Path, window_s: float = LOGIN_WINDOW_S) -> None:
        self.allowed = allowed
        self.window_s = window_s
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=5)
            db.execute("CREATE TABLE IF NOT EXISTS failures (address TEXT NOT NULL, at REAL NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS failures_by_address ON failures (address, at)")
            os.chmod(self.path, 0o600)  # client addresses are personal data
            self._db = db
        return self._db

    def blocked(self, address: str) -> bool:
        # Wall-clock time: a count that outlives the process cannot use a monotonic clock.
        with self._lock:
            (count,) = self._connection().execute(
                "SELECT count(*) FROM failures WHERE address = ? AND at > ?",
                (address, time.time() - self.window_s)).fetchone()
        return int(count) >= self.allowed

    def failed(self, address: str) -> None:
        now = time.time()
        with self._lock:
            db = self._connection()
            db.execute("INSERT INTO failures VALUES (?, ?)", (address, now))
            # What fell out of the window counts for nobody: forget it.
            db.execute("DELETE FROM failures WHERE at <= ?", (now - self.window_s,))


@dataclass(frozen=True)
class Card:
    """One service's part of the dashboard: its Dashboard, or why there is none."""

    upstream: Upstream
    dashboard: Dashboard | None = None
    problem: str = ""


def _same_site_post(request: Request) -> bool:
    """A form post from another site (Origin names another host) is refused; tools send no Origin."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def chart_specs(cards: list[Card], lang: str) -> list[dict[str, Any]]:
    """What the page's script draws: plain data, embedded in the page as JSON."""
    specs = []
    for card in cards:
        if card.dashboard is None:
            continue
        for chart in card.dashboard.charts:
            specs.append({
                "id": f"chart-{card.upstream.name}-{chart.key}",
                "kind": chart.kind,
                "title": chart.title_en if lang == "en" and chart.title_en else chart.title,
                "labels": chart.labels,
                "unit": chart.unit,
                "series": [{"label": (s.label_en if lang == "en" and s.label_en else s.label), "data": s.data}
                           for s in chart.series],
            })
    return specs


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `</script>` or `<!--` can end it early."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def create_app(upstreams: list[Upstream], *, secret: str | None = None, accounts: AccountStore | None = None,
               login_failures: int | None = None) -> Starlette:
    by_name = {u.name: u for u in upstreams}
    # The dashboard follows the console's navigation (organization first); other services after.
    order = [name for name, _ in SECTIONS]
    ordered = sorted(upstreams, key=lambda u: order.index(u.name) if u.name in order else len(order))
    client = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0), follow_redirects=False)
    client.cookies.jar.set_policy(NoCookies())
    console = Console("", TEMPLATES)
    allowed = login_failures or int(os.environ.get("REDPARK_LOGIN_FAILURES") or DEFAULT_LOGIN_FAILURES)
    keys: dict[str, Any] = {"secret": secret, "accounts": accounts, "guard": None, "versions": None}

    def jwt_secret() -> str:
        # Read when first needed: a gateway that only proxies never touches the key file.
        if not keys["secret"]:
            keys["secret"] = signing_secret(JwtSource.from_env())
        return str(keys["secret"])

    def account_store() -> AccountStore:
        if keys["accounts"] is None:
            given = os.environ.get("REDPARK_ACCOUNTS_FILE")
            keys["accounts"] = AccountStore(Path(given) if given else default_accounts_file())
        store: AccountStore = keys["accounts"]
        return store

    def guard() -> LoginGuard:
        if keys["guard"] is None:
            keys["guard"] = LoginGuard(allowed, account_store().path.parent / LOGIN_FAILURES_FILE_NAME)
        found: LoginGuard = keys["guard"]
        return found

    def token_versions() -> TokenVersions:
        if keys["versions"] is None:
            keys["versions"] = TokenVersions(account_store().versions_path)
        versions: TokenVersions = keys["versions"]
        return versions

    def valid(token: str, purpose: str = "access") -> Principal | None:
        try:
            principal = decode_token(jwt_secret(), token, purpose)
        except DomainError:
            return None  # expired or forged: treated as nobody signed in
        return principal if token_versions().holds(principal) else None

    def renewed_access(request: Request) -> str | None:
        """A new access token when the cookie's is missing, ended or about to, and the renewal
        cookie still names the account's current token version; None when no renewal is due."""
        renew = request.cookies.get(RENEW_COOKIE, "").strip()
        if not renew:
            return None
        current = request.cookies.get(SESSION_COOKIE, "").strip()
        if current and valid(current) is not None and _seconds_left(current) > RENEW_BEFORE_S:
            return None
        principal = valid(renew, RENEW)
        if principal is None:
            return None
        return mint_token(jwt_secret(), principal.subject, principal.roles, principal.branch_id,
                          name=principal.name, version=principal.version)

    def set_access(response: Response, request: Request, token: str) -> None:
        response.set_cookie(SESSION_COOKIE, token, max_age=int(DEFAULT_TTL.total_seconds()), path="/",
                            httponly=True, samesite="lax", secure=request.url.scheme == "https")

    def signed_in(request: Request) -> tuple[Principal, str] | None:
        token = request.state.renewed if getattr(request.state, "renewed", None) else (
            request.cookies.get(SESSION_COOKIE, "").strip())
        if not token:
            return None
        principal = valid(token)
        if principal is None:
            return None
        request.state.principal = principal
        return principal, token

    errors = ErrorWindow()

    async def scrape(upstream: Upstream) -> Samples | None:
        try:
            response = await client.get(upstream.url + "/metrics", timeout=DASHBOARD_TIMEOUT_S)
            response.raise_for_status()
            return read_exposition(response.text)
        except (httpx.HTTPError, ValueError):
            return None

    async def scrape_all() -> dict[str, Samples | None]:
        found = dict(zip((u.name for u in ordered), await asyncio.gather(*(scrape(u) for u in ordered)), strict=True))
        for name, samples in found.items():
            if samples is not None:
                errors.add(name, samples)
        return found

    async def sample_errors() -> None:
        # The last hour's error rate needs the counters an hour ago: sampled here, as Prometheus would.
        while True:
            with contextlib.suppress(Exception):
                await scrape_all()
            await asyncio.sleep(OPERATIONS_SAMPLE_S)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sampler = asyncio.create_task(sample_errors())
        yield
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        await client.aclose()

    async def readiness(upstream: Upstream) -> str:
        try:
            response = await client.get(upstream.url + "/readyz", timeout=2.0)
        except httpx.HTTPError:
            return "无法连接"
        return "就绪" if response.status_code == 200 else "未就绪"

    async def service_states() -> list[tuple[Upstream, str]]:
        states = await asyncio.gather(*(readiness(u) for u in upstreams))
        return list(zip(upstreams, states, strict=True))

    async def fetch_card(upstream: Upstream, token: str) -> Card:
        try:
            response = await client.get(upstream.url + "/dashboard", timeout=DASHBOARD_TIMEOUT_S,
                                        headers={"Authorization": f"Bearer {token}",
                                                 "Accept": "application/json"})
        except httpx.HTTPError:
            return Card(upstream, problem="暂时无法获取")
        if response.status_code in (404, 405):
            return Card(upstream, problem="该服务尚未提供仪表盘")
        if response.status_code == 403:
            return Card(upstream, problem="你的账号无权查看这部分数据")
        if response.status_code != 200:
            return Card(upstream, problem="暂时无法获取")
        try:
            return Card(upstream, dashboard=msgspec.json.decode(response.content, type=Dashboard))
        except msgspec.DecodeError:
            return Card(upstream, problem="暂时无法获取")

    async def home(request: Request) -> Response:
        request.state.renewed = renewed_access(request)
        session = signed_in(request)
        if session is None:
            if request.cookies.get(SESSION_COOKIE) or request.cookies.get(RENEW_COOKIE):
                # Someone was signed in here and the session ended (or was taken back): say so.
                expired = RedirectResponse("/login?expired=1", status_code=303)
                expired.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
                expired.delete_cookie(RENEW_COOKIE, path="/", httponly=True, samesite="lax")
                return expired
            return console.render(request, "gateway/landing.html", states=await service_states())
        principal, token = session
        lang = console.context(request)["lang"]
        operations = None
        if principal.has_any(OPERATIONS_ROLES):
            cards_and_scrapes = await asyncio.gather(asyncio.gather(*(fetch_card(u, token) for u in ordered)),
                                                     scrape_all())
            cards, scrapes = list(cards_and_scrapes[0]), cards_and_scrapes[1]
            ops = summarise(scrapes, errors)
            operations = {"tiles": operation_tiles(ops, lang), "unreachable": ops.unreachable}
        else:
            cards = list(await asyncio.gather(*(fetch_card(u, token) for u in ordered)))
        page = console.render(request, "gateway/dashboard.html", cards=cards, operations=operations,
                              charts_json=script_json(chart_specs(cards, lang)), tile_href=tile_href)
        if request.state.renewed:
            set_access(page, request, request.state.renewed)
        return page

    def staff(request: Request) -> Principal | None:
        """The person signed in by cookie, or a tool's bearer token."""
        session = signed_in(request)
        if session is not None:
            return session[0]
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        principal = valid(token) if token else None
        request.state.principal = principal
        return principal

    async def services(request: Request) -> Response:
        principal = staff(request)
        states = await service_states()
        # Which processes restarted and why is for staff; everyone may see whether a service is up.
        processes = supervised_processes() if principal is not None else {}
        if "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({
                "services": [{"name": u.name, "title": u.title, "status": READINESS[state]} for u, state in states],
                "processes": processes,
            })
        return console.render(request, "gateway/services.html", states=states, processes=processes,
                              exit_reason=exit_reason)

    def login_page(request: Request, *, status: int = 200, error: str = "", username: str = "",
                   next_url: str = "/") -> HTMLResponse:
        return console.render(request, "gateway/login.html", status=status, error=error, username=username,
                              next_url=safe_next(next_url), headers={"Cache-Control": "no-store"})

    async def login_form(request: Request) -> Response:
        expired = "登录已过期，请重新登录" if request.query_params.get("expired") else ""
        return login_page(request, error=expired, next_url=request.query_params.get("next", "/"))

    async def login(request: Request) -> Response:
        form = await request.form()
        username = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        next_url = safe_next(str(form.get("next") or "/"))
        address = request.client.host if request.client else ""
        if not _same_site_post(request):
            return login_page(request, status=403, error="请求来源不是本站页面，已拒绝", next_url=next_url)
        if await run_in_threadpool(guard().blocked, address):
            return login_page(request, status=429, error="尝试次数过多，请十分钟后再试", username=username,
                              next_url=next_url)
        if not username or not password:
            return login_page(request, status=422, error="请输入用户名和密码", username=username, next_url=next_url)
        # argon2 is slow on purpose: it runs off the event loop so the proxy keeps streaming meanwhile.
        account = await run_in_threadpool(account_store().verify, username, password)
        if account is None:
            await run_in_threadpool(guard().failed, address)
            return login_page(request, status=401, error="用户名或密码错误", username=username, next_url=next_url)
        token = mint_token(jwt_secret(), account.username, account.roles, account.branch_id,
                           name=account.name, version=account.token_version)
        renew = mint_token(jwt_secret(), account.username, account.roles, account.branch_id,
                           name=account.name, version=account.token_version, ttl=SESSION_TTL, purpose=RENEW)
        response = RedirectResponse(next_url, status_code=303)
        set_access(response, request, token)
        response.set_cookie(RENEW_COOKIE, renew, max_age=int(SESSION_TTL.total_seconds()), path="/",
                            httponly=True, samesite="lax", secure=request.url.scheme == "https")
        return response

    async def logout(request: Request) -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
        response.delete_cookie(RENEW_COOKIE, path="/", httponly=True, samesite="lax")
        return response

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def to_service_root(request: Request) -> Response:
        if request.path_params["service"] not in by_name:
            return problem(404, "Not Found", "没有这个服务 (no such service)")
        return RedirectResponse(f"/{request.path_params['service']}/", status_code=307)

    async def proxy(request: Request) -> Response:
        upstream = by_name.get(request.path_params["service"])
        if upstream is None:
            return problem(404, "Not Found", "没有这个服务 (no such service)")
        if request.path_params["path"].rstrip("/") == "metrics":
            # The gateway is the park's public edge: traffic figures are for the park's own
            # Prometheus, which scrapes each service's port (deploy/observability/README.md).
            return problem(404, "Not Found", "指标只在服务自己的端口提供 (metrics are served on each service's own port)")
        # The raw path keeps percent-encoding exactly as the client sent it.
        raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
        target = raw_path[len(upstream.name) + 1:] or b"/"
        query = request.scope.get("query_string", b"")
        url = httpx.URL(upstream.url).copy_with(raw_path=target + (b"?" + query if query else b""))
        headers = [(k, v) for k, v in request.headers.items() if k not in HOP_BY_HOP and k not in CLIENT_CLAIMS]
        renewed = renewed_access(request)
        if renewed or RENEW_COOKIE in request.cookies:
            # The renewal token is the gateway's alone; the service gets the fresh access token.
            cookies = {k: v for k, v in request.cookies.items() if k != RENEW_COOKIE}
            if renewed:
                cookies[SESSION_COOKIE] = renewed
            headers = [(k, v) for k, v in headers if k != "cookie"]
            if cookies:
                headers.append(("cookie", "; ".join(f"{k}={v}" for k, v in cookies.items())))
        client_host = request.client.host if request.client else ""
        headers += [
            ("x-forwarded-for", client_host),
            ("x-forwarded-proto", request.url.scheme),
            ("x-forwarded-prefix", f"/{upstream.name}"),
        ]
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        outgoing = client.build_request(
            request.method, url, headers=headers, content=request.stream() if has_body else None,
        )
        try:
            incoming = await client.send(outgoing, stream=True)
        except httpx.HTTPError as error:
            return problem(502, "Bad Gateway", f"服务 {upstream.name} 无法连接 ({type(error).__name__})")
        response = StreamingResponse(
            incoming.aiter_raw(), status_code=incoming.status_code,
            background=BackgroundTask(incoming.aclose),
        )
        response.raw_headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in incoming.headers.multi_items() if k.lower() not in HOP_BY_HOP
        ]
        if renewed:
            set_access(response, request, renewed)
        return response

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app = Starlette(
        routes=[
            Route("/", home, methods=["GET", "HEAD"]),
            Route("/services", services, methods=["GET", "HEAD"]),
            Route("/login", login_form, methods=["GET", "HEAD"]),
            Route("/login", login, methods=["POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Mount(STATIC_PATH, app=StaticFiles(directory=str(STATIC_DIR)), name="console-static"),
            Route("/{service}", to_service_root, methods=["GET", "HEAD"]),
            Route("/{service}/{path:anypath}", proxy, methods=methods),
        ],
        lifespan=lifespan,
        # The same bound as every service's, before the body is streamed on to one.
        middleware=[Middleware(BodyLimitMiddleware)],
    )
    app.state.service = ""
    return app


def _seconds_left(token: str) -> float:
    """Until the (already verified) token's end."""
    exp = jwt.decode(token, options={"verify_signature": False}).get("exp", 0)
    return float(exp) - time.time()


def tile_href(service: str, href: str) -> str:
    """A tile's work page behind the one address; only a path of that service, never another site."""
    if not href.startswith("/") or href.startswith("//") or "\\" in href:
        return ""
    return f"/{quote(service)}{href}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Red Park gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--trusted-proxies", default=os.environ.get("REDPARK_GATEWAY_TRUSTED_PROXIES", ""),
        help="addresses of a reverse proxy in front whose X-Forwarded-For is believed (default: none; "
             "the gateway is the edge and believes only the address it sees)")
    args = parser.parse_args()
    try:
        JwtSource.from_env()  # a REDPARK_JWT_SECRET too short to sign with stops the start, said plainly
    except ValueError as error:
        parser.exit(2, f"gateway: {error}\n")
    trusted = args.trusted_proxies.strip()
    uvicorn.run(create_app(upstreams_from_env()), host=args.host, port=args.port, log_level="warning",
                proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None)


if __name__ == "__main__":
    main()

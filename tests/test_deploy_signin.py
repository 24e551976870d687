"""Staff sign-in at the gateway: local accounts, the session cookie, `next`, sign-out, guessing slowed.

The real gateway process runs as `up` runs it, with an accounts file and a key file in its data
folder; the tests talk to it over loopback like a browser would (form posts, cookies).
"""

from __future__ import annotations

import importlib.util
import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import httpx
import jwt
import pytest
from redpark_platform.accounts import AccountStore
from redpark_platform.servers import LOOPBACK, free_port
from redpark_platform.web.auth import RENEW_COOKIE, SESSION_COOKIE, load_or_create_key

ROOT = Path(__file__).resolve().parents[1]
GATEWAY = ROOT / "deploy" / "local" / "gateway.py"
PASSWORD = "admin-password-1"


def start_gateway(data: Path, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    environment = dict(os.environ, REDPARK_GATEWAY_SERVICES="[]", REDPARK_DATA_DIR=str(data),
                       REDPARK_JWT_KEY_FILE=str(data / "jwt.key"), **env)
    environment.pop("REDPARK_JWT_SECRET", None)
    proc = subprocess.Popen([sys.executable, str(GATEWAY), "--host", LOOPBACK, "--port", str(port)],
                            env=environment, stdin=subprocess.DEVNULL)
    base = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the gateway exited with {proc.returncode}"
        try:
            httpx.get(base + "/healthz", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise TimeoutError(base)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signin")
    store = AccountStore(folder / "accounts.json")
    store.add("admin", PASSWORD, ["park_admin"], name="园区党总支")
    store.add("secretary", "secretary-pass-1", ["branch_secretary"], branch_id="b-42", name="支部书记")
    return folder


@pytest.fixture(scope="module")
def gateway(data: Path) -> Iterator[str]:
    proc, base = start_gateway(data)
    try:
        yield base
    finally:
        stop(proc)


def sign_in(base: str, username: str, password: str, next_url: str = "/") -> httpx.Response:
    return httpx.post(base + "/login", data={"username": username, "password": password, "next": next_url},
                      headers={"origin": base})


def test_the_sign_in_form_is_chinese_with_the_fields_and_the_way_back(gateway: str) -> None:
    page = httpx.get(gateway + "/login", params={"next": "/organization/ui/members?q=王"})
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert 'name="username"' in page.text and "用户名" in page.text
    assert 'name="password"' in page.text and 'type="password"' in page.text and "密码" in page.text
    assert "登录</button>" in page.text
    assert 'name="next" value="/organization/ui/members?q=王"' in page.text


def test_the_right_password_sets_an_httponly_lax_session_cookie_with_the_accounts_roles(
        gateway: str, data: Path) -> None:
    response = sign_in(gateway, "secretary", "secretary-pass-1", "/organization/ui/")
    assert response.status_code == 303
    assert response.headers["location"] == "/organization/ui/"
    cookie = response.headers["set-cookie"]
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    token = cookie.split(";")[0].removeprefix(f"{SESSION_COOKIE}=")
    claims = jwt.decode(token, load_or_create_key(data / "jwt.key"), algorithms=["HS256"])
    assert claims["sub"] == "secretary"
    assert claims["roles"] == ["branch_secretary"]
    assert claims["branch_id"] == "b-42"
    assert claims["name"] == "支部书记"
    # Short, and bound to the account's token version, which passwd/disable/remove move on.
    account = AccountStore(data / "accounts.json").get("secretary")
    assert account is not None
    assert claims["exp"] - claims["iat"] == 15 * 60 and claims["ver"] == account.token_version
    assert f"{RENEW_COOKIE}=" in cookie


def test_a_wrong_password_shows_the_form_again_with_a_chinese_message_and_401(gateway: str) -> None:
    response = sign_in(gateway, "admin", "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert 'value="admin"' in response.text  # the name stays typed in
    assert "set-cookie" not in response.headers
    unknown = sign_in(gateway, "nobody", PASSWORD)
    assert unknown.status_code == 401 and "用户名或密码错误" in unknown.text


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/evil.example",
    "javascript:alert(1)",
    "evil.example", "\t//evil.example", "/\t/evil.example",
])
def test_next_never_leads_to_another_site(gateway: str, target: str) -> None:
    response = sign_in(gateway, "admin", PASSWORD, target)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_a_local_next_with_its_query_is_kept(gateway: str) -> None:
    response = sign_in(gateway, "admin", PASSWORD, "/events-public/ui/events?page=2")
    assert response.headers["location"] == "/events-public/ui/events?page=2"


def test_a_sign_in_posted_from_another_site_is_refused(gateway: str) -> None:
    response = httpx.post(gateway + "/login", data={"username": "admin", "password": PASSWORD},
                          headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_signed_in_the_dashboard_shows_the_person_and_sign_out_clears_the_cookie(gateway: str) -> None:
    with httpx.Client(base_url=gateway) as browser:
        browser.post("/login", data={"username": "admin", "password": PASSWORD}, headers={"origin": gateway})
        home = browser.get("/")
        assert home.status_code == 200
        assert "园区党总支" in home.text and "园区概况" in home.text
        out = browser.post("/logout", headers={"origin": gateway})
        assert out.status_code == 303 and out.headers["location"] == "/login"
        cleared = out.headers["set-cookie"].lower()
        assert cleared.startswith(f"{SESSION_COOKIE}=") and "max-age=0" in cleared
        assert SESSION_COOKIE not in browser.cookies
        landing = browser.get("/")
        assert "工作人员登录" in landing.text and "园区概况" not in landing.text


def test_a_forged_or_expired_cookie_is_nobody_and_goes_to_the_sign_in_with_a_message(
        gateway: str, data: Path) -> None:
    forged = jwt.encode({"iss": "redpark", "sub": "x", "roles": ["park_admin"], "exp": 4102444800},
                        "a-key-that-is-not-the-platforms-" * 2,
                        algorithm="HS256")
    expired = jwt.encode({"iss": "redpark", "sub": "admin", "roles": ["park_admin"], "ver": 1,
                          "iat": 1700000000, "exp": 1700000900}, load_or_create_key(data / "jwt.key"),
                         algorithm="HS256")
    for token in (forged, expired):
        page = httpx.get(gateway + "/", cookies={SESSION_COOKIE: token})
        assert page.status_code == 303 and page.headers["location"] == "/login?expired=1"
        login = httpx.get(gateway + page.headers["location"])
        assert "工作人员登录" in login.text and "登录已过期，请重新登录" in login.text
        assert "园区概况" not in login.text


def test_the_console_session_renews_its_short_token_until_the_account_is_taken_back(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    store.add("li", PASSWORD, ["park_admin"], name="李管理")
    proc, base = start_gateway(tmp_path)
    try:
        signed = sign_in(base, "li", PASSWORD)
        renew = signed.cookies[RENEW_COOKIE]
        # The access cookie has ended (the browser dropped it); the renewal cookie brings a new one.
        home = httpx.get(base + "/", cookies={RENEW_COOKIE: renew})
        assert home.status_code == 200 and "李管理" in home.text
        fresh = home.cookies[SESSION_COOKIE]
        assert jwt.decode(fresh, options={"verify_signature": False})["sub"] == "li"
        # A new password ends both at once: the renewal and the access token in hand.
        store.set_password("li", "another-password-2")
        for cookies in ({RENEW_COOKIE: renew}, {SESSION_COOKIE: fresh}):
            ended = httpx.get(base + "/", cookies=cookies)
            assert ended.status_code == 303 and ended.headers["location"] == "/login?expired=1"
        # Signed in again, then disabled: the same.
        again = sign_in(base, "li", "another-password-2")
        assert httpx.get(base + "/", cookies={RENEW_COOKIE: again.cookies[RENEW_COOKIE]}).status_code == 200
        store.set_disabled("li")
        assert httpx.get(base + "/", cookies={RENEW_COOKIE: again.cookies[RENEW_COOKIE]}).status_code == 303
        assert sign_in(base, "li", "another-password-2").status_code == 401
    finally:
        stop(proc)


def test_guessing_is_refused_after_a_few_wrong_passwords_even_with_the_right_one(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    store.add("admin", PASSWORD, ["park_admin"])
    proc, base = start_gateway(tmp_path, REDPARK_LOGIN_FAILURES="3")
    try:
        assert [sign_in(base, "admin", f"guess-{i}").status_code for i in range(3)] == [401, 401, 401]
        refused = sign_in(base, "admin", PASSWORD)
        assert refused.status_code == 429
        assert "尝试次数过多" in refused.text
        assert "set-cookie" not in refused.headers
    finally:
        stop(proc)
    # The count is in the data folder, not the process: a restarted gateway still refuses.
    proc, base = start_gateway(tmp_path, REDPARK_LOGIN_FAILURES="3")
    try:
        assert sign_in(base, "admin", PASSWORD).status_code == 429
    finally:
        stop(proc)
    assert stat.S_IMODE((tmp_path / "login-failures.sqlite3").stat().st_mode) == 0o600


@pytest.mark.parametrize(("what", "username", "password", "status"), [
    # Refused by the gateway's form rules before sign-in code runs: a problem naming the field.
    ("NUL in the user name", "ad\x00min", PASSWORD, 422),
    ("a 10 kB user name", "名" * 10_000, PASSWORD, 401),
    ("a 100 kB password", "admin", "p" * 100_000, 401),
    ("a right-to-left override and emoji", "\u202eadmin👨‍👩‍👧", PASSWORD, 401),
    ("SQL-looking text", "admin' OR '1'='1", "' OR 1=1 --", 401),
    ("a blank user name", "   ", PASSWORD, 422),
])
def test_hostile_sign_in_input_is_refused_with_the_form_never_a_500(
        tmp_path: Path, what: str, username: str, password: str, status: int) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    store.add("admin", PASSWORD, ["park_admin"])
    proc, base = start_gateway(tmp_path)
    try:
        response = sign_in(base, username, password)
        assert response.status_code == status, (what, response.text[:300])
        assert "set-cookie" not in response.headers
        if "\x00" in username:
            assert response.json()["errors"][0]["field"] == "username"
        else:
            assert '<form' in response.text  # the form again, never a stack trace
        # A form far beyond any sign-in is refused before it is read.
        huge = httpx.post(base + "/login", content=b"username=" + b"a" * (300 * 1024), headers={
            "origin": base, "content-type": "application/x-www-form-urlencoded"})
        assert huge.status_code == 413
        assert sign_in(base, "admin", PASSWORD).status_code == 303  # and the right password still works
    finally:
        stop(proc)


# --- the accounts `up` makes ------------------------------------------------------------------------

def load_stack_module() -> ModuleType:
    path = ROOT / "deploy" / "local" / "stack.py"
    spec = importlib.util.spec_from_file_location("redpark_local_stack_signin", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class Branches(BaseHTTPRequestHandler):
    """The organization's `GET /branches`: an empty branch first, then one with members."""

    seen_tokens: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Branches.seen_tokens.append(self.headers.get("Authorization", ""))
        body = json.dumps({"items": [
            {"branch_id": "b-empty", "active": True, "members": 0},
            {"branch_id": "b-staffed", "active": True, "members": 12},
        ], "total": 2, "limit": 100, "offset": 0, "next_offset": None}).encode()
        self.send_response(200 if self.path.startswith("/branches") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_up_makes_the_accounts_once_and_says_how_to_sign_in(tmp_path: Path) -> None:
    stack_module = load_stack_module()
    server = ThreadingHTTPServer((LOOPBACK, 0), Branches)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        stack = stack_module.Stack(data=tmp_path, gateway_port=0, load_demo=True, env={})
        organization = f"http://{LOOPBACK}:{server.server_address[1]}"
        stack.children.append(stack_module.Child("organization", None, organization, tmp_path / "org.log"))
        stack._ensure_accounts("the-admin-token")
    finally:
        server.shutdown()
    assert Branches.seen_tokens == ["Bearer the-admin-token"]
    store = AccountStore(tmp_path / "accounts.json")
    accounts = {a.username: a for a in store.list()}
    assert set(accounts) == {"admin", "secretary", "education", "support", "events", "auditor"}
    assert accounts["admin"].roles == ("park_admin",) and accounts["admin"].name == "园区党总支"
    assert accounts["secretary"].roles == ("branch_secretary",)
    assert accounts["secretary"].branch_id == "b-staffed"
    passwords_file = tmp_path / "initial-passwords.txt"
    assert stat.S_IMODE(passwords_file.stat().st_mode) == 0o600
    passwords = dict(line.split("\t")[0].split(" / ") for line in passwords_file.read_text().splitlines()
                     if not line.startswith("#"))
    assert set(passwords) == set(accounts)
    assert all(store.verify(user, password) is not None for user, password in passwords.items())
    assert len(set(passwords.values())) == 6
    hint = stack_module.sign_in_hint(tmp_path, "http://127.0.0.1:8000")
    assert "http://127.0.0.1:8000/login" in hint and f"管理员 admin / {passwords['admin']}" in hint

    before = (tmp_path / "accounts.json").read_bytes()
    stack._ensure_accounts("the-admin-token")  # a second start leaves the accounts alone
    assert (tmp_path / "accounts.json").read_bytes() == before
    passwords_file.unlink()
    assert "redpark-accounts" in stack_module.sign_in_hint(tmp_path, "http://127.0.0.1:8000")


def test_without_an_organization_up_makes_every_account_but_the_secretary(tmp_path: Path) -> None:
    stack = load_stack_module().Stack(data=tmp_path, gateway_port=0, load_demo=False, env={})
    stack._ensure_accounts("token")
    names = [a.username for a in AccountStore(tmp_path / "accounts.json").list()]
    assert names == ["admin", "education", "support", "events", "auditor"]


def test_a_short_signing_secret_stops_the_gateway_at_start_with_what_to_do(tmp_path: Path) -> None:
    environment = dict(os.environ, REDPARK_GATEWAY_SERVICES="[]", REDPARK_DATA_DIR=str(tmp_path),
                       REDPARK_JWT_SECRET="x" * 31)
    started = subprocess.run([sys.executable, str(GATEWAY), "--host", LOOPBACK, "--port", str(free_port())],
                             env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                             check=False)
    assert started.returncode == 2
    assert "REDPARK_JWT_SECRET has 31 bytes" in started.stderr and "at least 32" in started.stderr

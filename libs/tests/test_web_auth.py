"""Staff routes need a valid bearer token and a role; auditors only read; secretaries stay in their branch."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from web_support import SECRET, client, make_app  # noqa: E402

from redpark_platform.settings import JwtSource  # noqa: E402
from redpark_platform.web.auth import decode_token, load_or_create_key, mint_token, mint_token_cli  # noqa: E402


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_no_token_is_401_with_www_authenticate() -> None:
    async with client(make_app()) as c:
        r = await c.get("/branches/b1/members")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["code"] == "auth.unauthenticated"


async def test_expired_forged_and_garbage_tokens_are_401() -> None:
    expired = mint_token(SECRET, "u1", ["park_admin"], now=datetime.now(UTC) - timedelta(days=2),
                         ttl=timedelta(hours=1))
    forged = mint_token("another-secret-of-sufficient-length-000000", "u1", ["park_admin"])
    async with client(make_app()) as c:
        for token in (expired, forged, "not.a.jwt"):
            r = await c.get("/branches/b1/members", headers=bearer(token))
            assert r.status_code == 401, token
            assert 'error="invalid_token"' in r.headers["www-authenticate"]
        r = await c.get("/branches/b1/members", headers=bearer(expired))
    assert r.json()["detail"] == "the token has expired"


async def test_a_role_not_allowed_is_403_and_an_allowed_one_gets_through() -> None:
    officer = mint_token(SECRET, "u2", ["education_officer"])
    admin = mint_token(SECRET, "u3", ["park_admin"], name="Admin")
    async with client(make_app()) as c:
        refused = await c.get("/branches/b1/members", headers=bearer(officer))
        allowed = await c.get("/branches/b1/members", headers=bearer(admin))
    assert refused.status_code == 403 and refused.json()["code"] == "auth.forbidden"
    assert allowed.status_code == 200 and allowed.json() == [{"member_id": "m-1", "branch_id": "b1"}]


async def test_the_auditor_reads_but_cannot_write() -> None:
    auditor = mint_token(SECRET, "aud", ["auditor"])
    officer = mint_token(SECRET, "off", ["events_officer"])
    async with client(make_app()) as c:
        read = await c.get("/branches/b1/members", headers=bearer(auditor))
        write = await c.post("/notes", json={"text": "x"}, headers=bearer(auditor))
        staff_write = await c.post("/notes", json={"text": "x"}, headers=bearer(officer))
    assert read.status_code == 200
    assert write.status_code == 403
    assert staff_write.status_code == 201 and staff_write.json() == {"author": "off", "text": "x"}


async def test_a_branch_secretary_acts_for_its_own_branch_only() -> None:
    secretary = mint_token(SECRET, "sec", ["branch_secretary"], "b1")
    async with client(make_app()) as c:
        own = await c.get("/branches/b1/members", headers=bearer(secretary))
        other = await c.get("/branches/b2/members", headers=bearer(secretary))
    assert own.status_code == 200
    assert other.status_code == 403 and other.json()["detail_zh"] == "只能操作本支部的数据"


def test_a_token_carries_the_principal() -> None:
    p = decode_token(SECRET, mint_token(SECRET, "sec", ["branch_secretary"], "b7", name="王书记"))
    assert (p.subject, p.name, p.roles, p.branch_id) == ("sec", "王书记", ("branch_secretary",), "b7")
    with pytest.raises(ValueError, match="branch"):
        mint_token(SECRET, "sec", ["branch_secretary"])
    with pytest.raises(ValueError, match="unknown role"):
        mint_token(SECRET, "x", ["janitor"])


def test_the_key_file_is_created_once_and_kept(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "jwt.key"
    first = load_or_create_key(key_file)
    assert len(first) >= 32 and key_file.stat().st_mode & 0o777 == 0o600
    assert load_or_create_key(key_file) == first
    source = JwtSource.from_env({"REDPARK_DATA_DIR": str(tmp_path / "data")})
    assert source.key_file == key_file and source.secret is None


def test_the_mint_cli_prints_a_token_signed_with_the_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    printed: list[str] = []
    code = mint_token_cli(["--role", "branch_secretary", "--branch", "b3", "--name", "Li", "--key-file",
                           str(key_file), "--hours", "1"], out=printed.append)
    assert code == 0
    p = decode_token(load_or_create_key(key_file), printed[0])
    assert p.roles == ("branch_secretary",) and p.branch_id == "b3" and p.name == "Li"
    assert mint_token_cli(["--role", "branch_secretary", "--key-file", str(key_file)], out=printed.append) == 2


def test_a_secretary_who_is_also_auditor_cannot_write_to_another_branch() -> None:
    """Review finding: the auditor role counted as park-wide on writes in ensure_branch."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from redpark_platform.web.auth import Principal, ensure_branch, mint_token, require_roles
    from redpark_platform.web.problems import install_problem_handlers

    app = FastAPI()
    install_problem_handlers(app)
    app.state.jwt_secret = "k" * 32

    @app.post("/branches/{branch_id}/study")
    async def study(branch_id: str, who: Principal = require_roles("branch_secretary", "park_admin")) -> dict:
        ensure_branch(who, branch_id)
        return {"ok": True}

    @app.get("/branches/{branch_id}/study")
    async def read(branch_id: str, who: Principal = require_roles("branch_secretary", "auditor")) -> dict:
        ensure_branch(who, branch_id)
        return {"ok": True}

    token = mint_token("k" * 32, "s1", ["branch_secretary", "auditor"], branch_id="b1")
    auth = {"Authorization": f"Bearer {token}"}
    client = TestClient(app)
    assert client.post("/branches/b1/study", headers=auth).status_code == 200
    assert client.post("/branches/b2/study", headers=auth).status_code == 403
    assert client.get("/branches/b2/study", headers=auth).status_code == 200  # the auditor reads all


async def test_an_accounts_tokens_end_at_once_on_passwd_disable_and_remove(tmp_path: Path) -> None:
    from redpark_platform.accounts import AccountStore
    from redpark_platform.web.auth import TokenVersions

    store = AccountStore(tmp_path / "accounts.json")
    store.add("li", "correct horse", ["park_admin"])
    app = make_app()
    app.state.token_versions = TokenVersions(store.versions_path)

    def token_of(username: str) -> str:
        account = store.get(username)
        assert account is not None
        return mint_token(SECRET, username, account.roles, version=account.token_version)

    async with client(app) as c:
        async def status(token: str) -> int:
            return (await c.get("/branches/b1/members", headers=bearer(token))).status_code

        first = token_of("li")
        assert await status(first) == 200
        store.set_password("li", "battery staple")
        refused = await c.get("/branches/b1/members", headers=bearer(first))
        assert refused.status_code == 401 and "taken back" in refused.json()["detail"]
        second = token_of("li")
        assert await status(second) == 200
        store.set_disabled("li")
        assert await status(second) == 401 and store.verify("li", "battery staple") is None
        store.set_disabled("li", False)
        assert await status(second) == 401 and await status(token_of("li")) == 200
        third = token_of("li")
        store.remove("li")
        assert await status(third) == 401
        # A tool's minted token names no account version: it lives its 15 minutes.
        assert await status(mint_token(SECRET, "tool", ["park_admin"])) == 200
    assert "password" not in store.versions_path.read_text()


async def test_the_gateways_renewal_token_is_no_access_token() -> None:
    from redpark_platform.web.auth import RENEW

    renew = mint_token(SECRET, "li", ["park_admin"], purpose=RENEW)
    async with client(make_app()) as c:
        r = await c.get("/branches/b1/members", headers=bearer(renew))
    assert r.status_code == 401
    assert decode_token(SECRET, renew, purpose=RENEW).subject == "li"


def test_a_short_signing_secret_is_refused_with_what_to_do(tmp_path: Path) -> None:
    from redpark_platform.settings import SettingsError

    with pytest.raises(SettingsError, match="REDPARK_JWT_SECRET has 31 bytes; .* at least 32"):
        JwtSource.from_env({"REDPARK_JWT_SECRET": "x" * 31, "REDPARK_DATA_DIR": str(tmp_path)})
    assert JwtSource.from_env({"REDPARK_JWT_SECRET": "x" * 32}).secret == "x" * 32
    short_key = tmp_path / "short.key"
    short_key.write_text("tooshort\n")
    assert mint_token_cli(["--role", "park_admin", "--key-file", str(short_key)], out=print) == 2


def test_a_minted_token_lasts_15_minutes_unless_a_longer_life_is_asked(tmp_path: Path) -> None:
    import jwt

    key_file = tmp_path / "k"
    printed: list[str] = []
    assert mint_token_cli(["--role", "park_admin", "--key-file", str(key_file)], out=printed.append) == 0
    assert mint_token_cli(["--role", "park_admin", "--key-file", str(key_file), "--hours", "720"],
                          out=printed.append) == 0
    lives = [(c["exp"] - c["iat"]) for c in (jwt.decode(t, options={"verify_signature": False}) for t in printed)]
    assert lives == [15 * 60, 720 * 3600]

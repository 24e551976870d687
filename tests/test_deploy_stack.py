"""What `up` does for each service, proven with a stand-in service package.

The stand-in is a real uvicorn process started by the stack exactly like a real service: it reads
the environment `up` gives it, opens its own database, talks to NATS, checks the staff token
with the generated key, and ships a `demo` module the stack must call once and only once.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import httpx
import jwt
import pytest

ROOT = Path(__file__).resolve().parents[1]

STANDIN_APP = textwrap.dedent('''
    import os
    from contextlib import asynccontextmanager
    from pathlib import Path

    import asyncpg
    import jwt
    from fastapi import FastAPI, Header, HTTPException
    from redpark_platform.bus import connect

    @asynccontextmanager
    async def lifespan(app):
        dsn = os.environ["REDPARK_STAND_IN_DATABASE_URL"]
        app.state.pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
        await app.state.pool.execute("CREATE TABLE IF NOT EXISTS words (word text)")
        # The platform's client: replies come to this service's own inbox prefix, the only one
        # its NATS user may read.
        app.state.nats = await connect(os.environ["REDPARK_NATS_URL"], "stand-in")
        yield
        await app.state.nats.close()
        await app.state.pool.close()

    def create_app():
        app = FastAPI(lifespan=lifespan)

        @app.get("/readyz")
        async def readyz():
            await app.state.pool.fetchval("SELECT 1")
            await app.state.nats.jetstream().account_info()
            return {"status": "ready"}

        @app.get("/api/env")
        async def env():
            names = ["REDPARK_NATS_URL", "REDPARK_STAND_IN_DATABASE_URL", "REDPARK_JWT_KEY_FILE",
                     "REDPARK_DATA_DIR", "REDPARK_TIMEZONE"]
            return {name: os.environ.get(name) for name in names}

        @app.get("/api/words")
        async def words():
            return [r["word"] for r in await app.state.pool.fetch("SELECT word FROM words")]

        @app.post("/api/words", status_code=201)
        async def add(body: dict, authorization: str = Header()):
            secret = Path(os.environ["REDPARK_JWT_KEY_FILE"]).read_text().strip()
            try:
                claims = jwt.decode(authorization.removeprefix("Bearer "), secret, algorithms=["HS256"])
            except jwt.InvalidTokenError:
                raise HTTPException(401)
            if "park_admin" not in claims["roles"]:
                raise HTTPException(403)
            await app.state.pool.execute("INSERT INTO words VALUES ($1)", body["word"])
            return body

        return app
''')

STANDIN_DEMO = textwrap.dedent('''
    import httpx

    async def load(base_url: str, token: str) -> None:
        async with httpx.AsyncClient(base_url=base_url) as client:
            response = await client.post("/api/words", json={"word": "党建"},
                                         headers={"Authorization": f"Bearer {token}"})
            response.raise_for_status()
''')


def load_stack_module() -> ModuleType:
    path = ROOT / "deploy" / "local" / "stack.py"
    spec = importlib.util.spec_from_file_location("redpark_local_stack_tested", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def standin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    package = tmp_path / "src" / "redpark_standin"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(STANDIN_APP)
    (package / "demo.py").write_text(STANDIN_DEMO)
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    return tmp_path / "src"


def test_each_service_gets_its_database_nats_key_and_demo_data_once(tmp_path: Path, standin: Path) -> None:
    stack_module = load_stack_module()
    env = {k: v for k, v in os.environ.items() if k != "REDPARK_NATS_URL" and not k.endswith("_DATABASE_URL")}
    env["PYTHONPATH"] = str(standin)
    service = stack_module.Service("stand-in", "redpark_standin", "替身服务")
    data = tmp_path / "redpark"

    stack = stack_module.Stack(data=data, gateway_port=0, load_demo=True, env=env)
    try:
        token = stack.start([service])
        gateway = stack.gateway.url
        seen = httpx.get(f"{gateway}/stand-in/api/env").json()
        # Its own NATS user and its own database role, never the admin's or the superuser's.
        assert seen["REDPARK_NATS_URL"].startswith("nats://stand-in:")
        assert seen["REDPARK_NATS_URL"].endswith(f"@127.0.0.1:{stack.nats.port}")
        assert seen["REDPARK_STAND_IN_DATABASE_URL"].startswith("postgresql://redpark_stand_in:")
        assert seen["REDPARK_STAND_IN_DATABASE_URL"].endswith("/redpark_stand_in")
        assert seen["REDPARK_JWT_KEY_FILE"] == str(data / "jwt.key")
        assert seen["REDPARK_DATA_DIR"] == str(data)
        assert seen["REDPARK_TIMEZONE"] == "Asia/Shanghai"
        assert httpx.get(f"{gateway}/stand-in/api/words").json() == ["党建"]
        assert (data / "demo" / "stand-in.loaded").exists()
        claims = jwt.decode(token, (data / "jwt.key").read_text().strip(), algorithms=["HS256"])
        assert "park_admin" in claims["roles"]
        landing = httpx.get(gateway + "/").text
        assert "替身服务" in landing and "就绪" in landing
    finally:
        stack.stop()
    first_pids = [c.proc.pid for c in stack.children]
    assert all(c.proc.poll() is not None for c in [*stack.children, stack.gateway])

    again = stack_module.Stack(data=data, gateway_port=0, load_demo=True, env=env)
    try:
        again.start([service])
        # Same rows: the database survived and the demo was not loaded a second time.
        assert httpx.get(f"{again.gateway.url}/stand-in/api/words").json() == ["党建"]
        assert [c.proc.pid for c in again.children] != first_pids
    finally:
        again.stop()
    assert again.nats.proc.poll() is not None and again.postgres.proc.poll() is not None


def test_external_servers_named_in_the_environment_are_used_instead_of_embedded_ones(
    tmp_path: Path, standin: Path, nats_url: str, pg_dsn: str
) -> None:
    stack_module = load_stack_module()
    env = dict(os.environ, PYTHONPATH=str(standin), REDPARK_NATS_URL=nats_url,
               REDPARK_STAND_IN_DATABASE_URL=pg_dsn)
    stack = stack_module.Stack(data=tmp_path / "redpark", gateway_port=0, load_demo=False, env=env)
    try:
        stack.start([stack_module.Service("stand-in", "redpark_standin", "替身服务")])
        seen = httpx.get(f"{stack.gateway.url}/stand-in/api/env").json()
        assert seen["REDPARK_NATS_URL"] == nats_url
        assert seen["REDPARK_STAND_IN_DATABASE_URL"] == pg_dsn
        assert stack.nats is None and stack.postgres is None
        assert httpx.get(f"{stack.gateway.url}/stand-in/api/words").json() == []
    finally:
        stack.stop()


def test_services_are_found_by_their_pyproject_and_its_tool_redpark_table(tmp_path: Path) -> None:
    stack_module = load_stack_module()
    services = tmp_path / "services"
    for folder, table in [
        ("events-public", '[tool.redpark]\npackage = "redpark_events_public"\n'),
        ("education", '[tool.redpark]\npackage = "redpark_edu"\ntitle = "教育"\n'),
        ("enterprise-support", ""),
    ]:
        (services / folder).mkdir(parents=True)
        (services / folder / "pyproject.toml").write_text('[project]\nname = "x"\n' + table)
    (services / "notes").mkdir()  # no pyproject.toml: not a service

    found = stack_module.discover_services(tmp_path)

    assert [(s.name, s.package, s.title) for s in found] == [
        ("education", "redpark_edu", "教育"),
        ("enterprise-support", "redpark_enterprise_support", "企业服务"),
        ("events-public", "redpark_events_public", "公共活动"),
    ]
    events = found[2]
    assert events.database == "redpark_events_public"
    assert events.database_env == "REDPARK_EVENTS_PUBLIC_DATABASE_URL"


def test_each_services_nats_user_may_consume_exactly_the_streams_its_read_models_follow() -> None:
    """`reads` in a service's [tool.redpark] is what its NATS user may consume; it must name every
    other service a projection or reaction of it reads (else that read model is refused under `up`),
    and nothing more (least privilege)."""
    stack_module = load_stack_module()
    for service in stack_module.discover_services(ROOT):
        app = importlib.import_module(f"{service.package}.app")
        spec = (getattr(app, "spec", None) or app.service_spec)()
        sources = {source for projection in spec.projections for source in projection.sources}
        assert set(service.reads) == sources - {service.name}, service.name

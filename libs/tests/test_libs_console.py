"""The console kit: sign-in-aware pages, the shared look in two languages, history with who acted."""

from __future__ import annotations

from typing import Annotated

import asyncpg
import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from redpark_platform.actor import acting_as
from redpark_platform.console import Console, page_roles, stream_history
from redpark_platform.events import Event, EventRegistry
from redpark_platform.store import EventStore
from redpark_platform.web import Principal, create_app, mint_token, require_roles
from redpark_platform.web.auth import SESSION_COOKIE

SECRET = "console-test-secret-0123456789-abcdefghij"
registry = EventRegistry("consoletest")


@registry.register("thing", "named", personal=("phone",), subject="thing_id")
class ThingNamed(Event, frozen=True, kw_only=True):
    thing_id: str
    name: str
    phone: str


def make_app() -> tuple[object, Console]:
    console = Console("organization")
    router = APIRouter()

    @router.get("/ui/", include_in_schema=False)
    async def home(request: Request, who: Annotated[Principal, page_roles("park_admin", "auditor")]) -> HTMLResponse:
        return console.render(request, "console/message.html", heading="组织", message=f"你好 {who.subject}")

    @router.post("/things")
    async def change(who: Annotated[Principal, require_roles("park_admin")]) -> dict[str, str]:
        return {"by": who.subject}

    return create_app(service="organization", title="t", routers=[router], jwt_secret=SECRET), console


def client(app: object, root_path: str = "") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, root_path=root_path)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://park.test")


async def test_a_page_without_a_session_sends_you_to_sign_in_and_back() -> None:
    app, _ = make_app()
    async with client(app, "/organization") as c:
        r = await c.get("/organization/ui/?x=1")
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/organization/ui/%3Fx%3D1"


async def test_a_signed_in_admin_sees_the_page_in_chinese_then_english() -> None:
    app, _ = make_app()
    token = mint_token(SECRET, "admin", ["park_admin"], None, name="王书记")
    async with client(app) as c:
        c.cookies.set(SESSION_COOKIE, token)
        zh = await c.get("/ui/")
        en = await c.get("/ui/?lang=en")
        again = await c.get("/ui/")
    assert zh.status_code == 200 and '<html lang="zh-CN">' in zh.text
    assert "你好 admin" in zh.text and "王书记" in zh.text and ">学习教育<" in zh.text
    assert '<html lang="en">' in en.text and ">Education<" in en.text
    assert en.cookies.get("redpark_lang") == "en"
    assert '<html lang="en">' in again.text  # the choice is remembered


async def test_a_role_the_page_does_not_take_gets_a_chinese_refusal_page() -> None:
    app, _ = make_app()
    token = mint_token(SECRET, "ev", ["events_officer"], None)
    async with client(app) as c:
        c.cookies.set(SESSION_COOKIE, token)
        r = await c.get("/ui/")
    assert r.status_code == 403 and "没有权限" in r.text


async def test_a_cookie_change_from_another_site_is_refused_and_from_this_site_accepted() -> None:
    app, _ = make_app()
    token = mint_token(SECRET, "admin", ["park_admin"], None)
    async with client(app) as c:
        c.cookies.set(SESSION_COOKIE, token)
        foreign = await c.post("/things", headers={"origin": "http://evil.test"})
        missing = await c.post("/things")
        own = await c.post("/things", headers={"origin": "http://park.test"})
    assert foreign.status_code == 403 and missing.status_code == 403
    assert own.status_code == 200 and own.json() == {"by": "admin"}


async def test_the_store_records_who_acted_and_history_shows_it_without_personal_fields(
        pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    with acting_as("admin"):
        await store.append("thing-1", [ThingNamed(thing_id="1", name="甲", phone="13800000000")])
    await store.append("thing-1", [ThingNamed(thing_id="1", name="乙", phone="13900000000")])
    entries = await stream_history(store, "thing-1", {"thing.named": "命名"})
    assert [(e.actor, e.label) for e in entries] == [("系统", "命名"), ("admin", "命名")]
    assert ("name", "乙") in entries[0].details
    assert all(k != "phone" for e in entries for k, _ in e.details)


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def test_a_browser_following_a_dead_link_gets_a_chinese_page_and_a_client_gets_a_problem() -> None:
    app, _ = make_app()
    async with client(app) as c:
        page = await c.get("/exports/expired-link.xlsx", headers=BROWSER)
        api = await c.get("/exports/expired-link.xlsx", headers={"Accept": "application/json"})
        bare = await c.get("/exports/expired-link.xlsx")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page.text and "没有这个页面" in page.text
    assert api.status_code == bare.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")
    assert bare.headers["content-type"].startswith("application/problem+json")


async def test_pages_are_never_kept_by_the_browser_so_back_after_sign_out_shows_nothing() -> None:
    app, _ = make_app()
    token = mint_token(SECRET, "admin", ["park_admin"], None, name="王书记")
    async with client(app) as c:
        c.cookies.set(SESSION_COOKIE, token)
        page = await c.get("/ui/")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"


async def test_a_nul_in_a_form_field_is_a_422_naming_the_field_before_any_page_runs() -> None:
    """PostgreSQL text cannot hold NUL: a page's command used to fail at the store with a 500."""
    app, _ = make_app()
    token = mint_token(SECRET, "admin", ["park_admin"], None, name="王书记")
    async with client(app) as c:
        c.cookies.set(SESSION_COOKIE, token)
        r = await c.post("/things", data={"action": "accept", "text": "李\x00四"})
        raw = await c.post("/things", content=b"action=accept&note=a\x00b",
                           headers={"content-type": "application/x-www-form-urlencoded"})
        fine = await c.post("/things", data={"action": "accept", "text": "李四"}, headers={"origin": "http://park.test"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "text"
    assert raw.status_code == 422 and raw.json()["errors"][0]["field"] == "note"
    assert fine.status_code == 200

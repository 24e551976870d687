"""The gateway: one address, `/<service>/...` streamed to the service, a zh-CN landing page at `/`.

A small FastAPI app stands in for a service, run by uvicorn exactly as `up` runs a real one
(own process, loopback, `--root-path /<name>`), with the real gateway process in front of it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redpark_platform.servers import LOOPBACK, free_port

ROOT = Path(__file__).resolve().parents[1]
GATEWAY = ROOT / "deploy" / "local" / "gateway.py"

UPSTREAM_APP = textwrap.dedent('''
    from fastapi import FastAPI, Request, Response
    from fastapi.responses import StreamingResponse

    app = FastAPI(title="stand-in")

    @app.get("/readyz")
    def readyz():
        return {"status": "ready"}

    @app.get("/api/echo/{word}")
    def echo_get(word: str, request: Request):
        return {"word": word, "query": request.url.query, "raw_path": request.scope["raw_path"].decode(),
                "host": request.headers.get("host"), "prefix": request.headers.get("x-forwarded-prefix")}

    @app.post("/api/echo", status_code=201)
    async def echo_post(request: Request, response: Response):
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return {"body": (await request.body()).decode(), "type": request.headers.get("content-type")}

    @app.get("/api/whoami")
    def whoami(request: Request):
        # What a service sees of its caller: uvicorn trusts X-Forwarded-For from loopback only.
        return {"address": request.client.host, "forwarded": request.headers.getlist("x-forwarded-for")}

    @app.get("/api/lang/{lang}")
    def choose_lang(lang: str, response: Response):
        response.set_cookie("redpark_lang", lang)
        return {"lang": lang}

    @app.get("/api/cookies")
    def cookies(request: Request):
        return dict(request.cookies)

    @app.get("/api/stream")
    def stream():
        return StreamingResponse((f"line {i}\\n" for i in range(1000)), media_type="text/plain")
''')


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"process for {url} exited with {proc.returncode}"
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(url)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("gateway")
    (folder / "standin.py").write_text(UPSTREAM_APP)
    service_port, dead_port, gateway_port = free_port(), free_port(), free_port()
    service = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "standin:app", "--app-dir", str(folder), "--host", LOOPBACK,
         "--port", str(service_port), "--root-path", "/stand-in", "--log-level", "warning"],
        stdin=subprocess.DEVNULL,
    )
    routes = [
        {"name": "stand-in", "title": "替身服务", "url": f"http://{LOOPBACK}:{service_port}"},
        {"name": "gone", "title": "停掉的服务", "url": f"http://{LOOPBACK}:{dead_port}"},
    ]
    env = dict(os.environ, REDPARK_GATEWAY_SERVICES=json.dumps(routes))
    gw = subprocess.Popen(
        [sys.executable, str(GATEWAY), "--host", LOOPBACK, "--port", str(gateway_port)],
        env=env, stdin=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://{LOOPBACK}:{service_port}/readyz", service)
        base = f"http://{LOOPBACK}:{gateway_port}"
        wait_http(base + "/healthz", gw)
        yield base
    finally:
        stop(gw)
        stop(service)


def test_the_landing_page_is_chinese_and_lists_each_service_with_docs_and_health(gateway: str) -> None:
    response = httpx.get(gateway + "/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="zh-CN">' in page
    assert '<a href="/stand-in/">替身服务</a>' in page
    assert '<a href="/stand-in/docs">接口文档</a>' in page
    assert "就绪" in page
    assert "停掉的服务" in page and "无法连接" in page


def test_the_gateway_answers_its_own_healthz(gateway: str) -> None:
    response = httpx.get(gateway + "/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_get_reaches_the_service_without_the_prefix_and_with_its_query(gateway: str) -> None:
    response = httpx.get(gateway + "/stand-in/api/echo/%E7%BA%A2?x=1&y=%20")
    assert response.status_code == 200
    body = response.json()
    assert body["word"] == "红"
    assert body["query"] == "x=1&y=%20"
    assert body["raw_path"] == "/stand-in/api/echo/%E7%BA%A2"  # root_path + the path the service got
    assert body["host"] == gateway.removeprefix("http://")
    assert body["prefix"] == "/stand-in"


def test_a_path_holding_a_line_break_reaches_the_service(gateway: str) -> None:
    # Starlette's `path` convertor is `.*`: a %0A missed the proxy route and got a text 404 the
    # service never saw (schemathesis through the gateway found it, as an undocumented text/plain).
    response = httpx.get(gateway + "/stand-in/api/echo/a%0Ab")
    assert response.status_code == 200, response.text
    assert response.json()["word"] == "a\nb"


def test_a_post_body_status_and_every_set_cookie_pass_through(gateway: str) -> None:
    sent = '{"名称": "主题党日"}'
    response = httpx.post(gateway + "/stand-in/api/echo", content=sent.encode(),
                          headers={"content-type": "application/json"})
    assert response.status_code == 201
    assert response.json() == {"body": sent, "type": "application/json"}
    assert sorted(c.split(";")[0] for c in response.headers.get_list("set-cookie")) == ["a=1", "b=2"]


def test_a_streamed_response_arrives_whole(gateway: str) -> None:
    with httpx.stream("GET", gateway + "/stand-in/api/stream") as response:
        assert response.status_code == 200
        lines = [line for line in response.iter_lines() if line]
    assert len(lines) == 1000
    assert lines[0] == "line 0" and lines[-1] == "line 999"


def test_the_services_docs_page_loads_its_openapi_through_the_gateway(gateway: str) -> None:
    docs = httpx.get(gateway + "/stand-in/docs")
    assert docs.status_code == 200
    assert "/stand-in/openapi.json" in docs.text
    openapi = httpx.get(gateway + "/stand-in/openapi.json")
    assert openapi.status_code == 200
    assert "/api/echo/{word}" in openapi.json()["paths"]


def test_an_unknown_service_is_a_404_problem_and_a_stopped_one_a_502(gateway: str) -> None:
    unknown = httpx.get(gateway + "/nothing-here/api")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    gone = httpx.get(gateway + "/gone/api")
    assert gone.status_code == 502
    assert gone.json()["status"] == 502


def test_a_service_name_alone_redirects_to_its_root(gateway: str) -> None:
    response = httpx.get(gateway + "/stand-in")
    assert response.status_code == 307
    assert response.headers["location"] == "/stand-in/"


def test_the_gateway_keeps_no_cookies_between_visitors(gateway: str) -> None:
    """One visitor choosing English must not switch the site to English for the next one: the
    gateway passes Set-Cookie on to its client and keeps none for itself."""
    with httpx.Client(base_url=gateway) as first, httpx.Client(base_url=gateway) as second:
        chose = first.get("/stand-in/api/lang/en")
        assert chose.status_code == 200 and "redpark_lang=en" in chose.headers["set-cookie"]
        assert first.get("/stand-in/api/cookies").json() == {"redpark_lang": "en"}  # the client's own jar
        assert second.get("/stand-in/api/cookies").json() == {}


def test_a_forged_x_forwarded_for_is_replaced_by_the_address_the_gateway_saw(gateway: str) -> None:
    """Per-address rate limits key on the address a service sees; a client's own X-Forwarded-For
    must not reach the service, or any client could pick a fresh address per request."""
    seen = httpx.get(gateway + "/stand-in/api/whoami",
                     headers={"X-Forwarded-For": "203.0.113.7", "Forwarded": "for=203.0.113.8"}).json()
    assert seen["address"] == LOOPBACK
    assert seen["forwarded"] == [LOOPBACK]


def test_an_oversized_body_is_refused_before_it_reaches_a_service(gateway: str) -> None:
    declared = httpx.post(gateway + "/stand-in/api/echo", content=b"x" * (300 * 1024),
                          headers={"content-type": "application/json"})
    assert declared.status_code == 413
    assert declared.headers["content-type"].startswith("application/problem+json")

    def chunks():  # no Content-Length: the gateway must stop reading at the bound
        for _ in range(64):
            yield b"y" * 16384

    streamed = httpx.post(gateway + "/stand-in/api/echo", content=chunks(),
                          headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["errors"][0]["field"] == "body"

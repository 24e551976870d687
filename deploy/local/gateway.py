"""One address for the whole platform: `/<service>/...` goes to that service, `/` lists them.

A streaming reverse proxy (Starlette + httpx): bodies are passed through as they arrive, never
buffered, so large exports and server-sent events work. Services are given by the environment
variable REDPARK_GATEWAY_SERVICES, a JSON list of {"name", "title", "url"}; each service runs
with uvicorn's --root-path /<name>, so the links it makes (its /docs page too) carry the prefix.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

# Connection-level headers belong to one hop and must not be forwarded (RFC 9110 section 7.6.1).
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "transfer-encoding", "upgrade",
})


@dataclass(frozen=True)
class Upstream:
    name: str
    title: str
    url: str


def upstreams_from_env() -> list[Upstream]:
    return [Upstream(**entry) for entry in json.loads(os.environ.get("REDPARK_GATEWAY_SERVICES", "[]"))]


def problem(status: int, title: str, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def create_app(upstreams: list[Upstream]) -> Starlette:
    by_name = {u.name: u for u in upstreams}
    client = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0), follow_redirects=False)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    async def readiness(upstream: Upstream) -> str:
        try:
            response = await client.get(upstream.url + "/readyz", timeout=2.0)
        except httpx.HTTPError:
            return "无法连接"
        return "就绪" if response.status_code == 200 else "未就绪"

    async def landing(request: Request) -> HTMLResponse:
        states = await asyncio.gather(*(readiness(u) for u in upstreams))
        rows = "\n".join(
            f'<tr><td><a href="/{html.escape(u.name)}/">{html.escape(u.title)}</a></td>'
            f"<td><code>/{html.escape(u.name)}/</code></td>"
            f'<td><a href="/{html.escape(u.name)}/docs">接口文档</a></td>'
            f'<td class="{"ok" if state == "就绪" else "bad"}">{state}</td></tr>'
            for u, state in zip(upstreams, states, strict=True)
        ) or '<tr><td colspan="4">尚无服务运行。</td></tr>'
        page = f"""<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>红色园区 · 党建平台</title>
<style>
body{{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:48rem}}
h1{{color:#b71c1c}} table{{border-collapse:collapse;width:100%}}
td,th{{padding:.4rem .6rem;border-bottom:1px solid #ddd;text-align:left}}
.ok{{color:#2e7d32}}.bad{{color:#c62828}}</style></head>
<body><h1>红色园区 · 党建平台</h1>
<p>本机运行的服务如下。员工接口需要登录令牌（启动时在终端打印）。</p>
<table><thead><tr><th>服务</th><th>地址</th><th>文档</th><th>状态</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""
        return HTMLResponse(page)

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
        # The raw path keeps percent-encoding exactly as the client sent it.
        raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
        target = raw_path[len(upstream.name) + 1:] or b"/"
        query = request.scope.get("query_string", b"")
        url = httpx.URL(upstream.url).copy_with(raw_path=target + (b"?" + query if query else b""))
        headers = [(k, v) for k, v in request.headers.items() if k not in HOP_BY_HOP]
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
        return response

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return Starlette(
        routes=[
            Route("/", landing, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/{service}", to_service_root, methods=["GET", "HEAD"]),
            Route("/{service}/{path:path}", proxy, methods=methods),
        ],
        lifespan=lifespan,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Red Park gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(upstreams_from_env()), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

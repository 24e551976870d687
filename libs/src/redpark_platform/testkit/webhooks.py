"""A receiving system on loopback for outbound-webhook tests: `webhook_receiver` fixture.

It answers 503 to its first `fail_first` deliveries (to exercise retries), then verifies each
delivery's Standard Webhooks signature with `secret` (a bad one raises, failing the request) and
answers 204. `seen` keeps every request's headers and body.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import uvicorn
from standardwebhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Receiver:
    secret: str = ""
    fail_first: int = 0
    seen: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    async def hook(self, request: Request) -> Response:
        body = await request.body()
        self.seen.append((dict(request.headers), body))
        if len(self.seen) <= self.fail_first:
            return Response("busy", status_code=503)
        Webhook(self.secret).verify(body, dict(request.headers))
        return Response(status_code=204)


@pytest.fixture
async def webhook_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/hook", receiver.hook, methods=["POST"])]),
                                           log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    receiver.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    yield receiver
    server.should_exit = True
    await task

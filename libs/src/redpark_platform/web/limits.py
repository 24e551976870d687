"""One bound on every request body, before any route code runs.

Route code used to read a body whole and only then look at its size (bodies, the webhook inbox,
the idempotency fingerprint, the phone rate-limit key): a client could make every one of them hold
as much as it cared to send. This middleware refuses on `Content-Length` at once and caps what it
reads of a body sent without one, so memory per request is bounded by `max_bytes`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .bodies import MAX_BODY_BYTES
from .problems import FieldError, ProblemResponse, problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._refuse(scope, receive, send, 400, "Content-Length is not a number",
                                   "请求头 Content-Length 无效")
                return
            if int(declared) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
        # Read the body here, bounded, and hand it on: what arrives beyond the bound is never kept.
        buffered: list[Message] = []
        total = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break  # the client went away: let the app see it
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._refuse(scope, receive, send, 413, f"the request body is over {self.max_bytes} bytes",
                           "请求内容过长")

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int, detail: str,
                      detail_zh: str) -> None:
        body = problem(None, status, detail, detail_zh=detail_zh, code="request.body_too_large"
                       if status == 413 else "request.bad_content_length",
                       errors=[FieldError(field="body" if status == 413 else "Content-Length",
                                          message=detail, message_zh=detail_zh)])
        # Connection: close, since the rest of an unread body would otherwise be taken as the next request.
        await ProblemResponse(body, headers={"Connection": "close"})(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None

"""One bound on every request body, before any route code runs.

Route code used to read a body whole and only then look at its size (bodies, the webhook inbox,
the idempotency fingerprint, the phone rate-limit key): a client could make every one of them hold
as much as it cared to send. This middleware refuses on `Content-Length` at once and caps what it
reads of a body sent without one, so memory per request is bounded by `max_bytes`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

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

        if (_header(scope, b"content-type") or "").startswith("application/x-www-form-urlencoded"):
            field = _form_field_with_nul(b"".join(m.get("body", b"") for m in buffered))
            if field is not None:
                # PostgreSQL text cannot hold NUL: the page's command would fail at the store (500).
                await self._refuse(scope, receive, send, 422, "a form field contains the NUL character",
                                   "文本中包含非法的空字符", field=field)
                return

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._refuse(scope, receive, send, 413, f"the request body is over {self.max_bytes} bytes",
                           "请求内容过长")

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int, detail: str,
                      detail_zh: str, *, field: str | None = None) -> None:
        code = {413: "request.body_too_large", 400: "request.bad_content_length"}.get(status, "request.invalid")
        named = field or ("body" if status == 413 else "Content-Length")
        body = problem(None, status, detail, detail_zh=detail_zh, code=code,
                       errors=[FieldError(field=named, message=detail, message_zh=detail_zh)])
        # Connection: close, since the rest of an unread body would otherwise be taken as the next request.
        await ProblemResponse(body, headers={"Connection": "close"})(scope, receive, send)


def _form_field_with_nul(body: bytes) -> str | None:
    """The name of the first form field whose name or value holds NUL (sent as %00 or raw)."""
    if b"%00" not in body and b"\x00" not in body:
        return None
    for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace"):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "body"
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None

"""Errors as RFC 9457 problem details (`application/problem+json`), in English and Chinese.

Every error a service returns goes through here, so clients see one shape: refusals by a rule
(`DomainError`), bad input (naming each field), unknown routes, and, last, unexpected failures,
which say nothing about internals. Bad input is never a 500, and neither is a database that is
down or restarting: that is a 503 the client may retry (`Retry-After`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import asyncpg
import msgspec
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ..errors import STATUS_OF_KIND as STATUS_OF_KIND  # the edge's table of kind -> status, re-exported
from ..errors import DomainError
from .routes import allowed_methods

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:redpark:problem:"

log = logging.getLogger("redpark.web")


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    message: str
    message_zh: str


class ReadyCheck(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    ok: bool
    detail: str = ""


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details with the platform's extensions: code, detail_zh, errors, checks."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str | None = None
    code: str | None = None
    detail_zh: str | None = None
    errors: list[FieldError] | None = None
    checks: list[ReadyCheck] | None = None


_encoder = msgspec.json.Encoder()


class ProblemResponse(Response):
    media_type = PROBLEM_JSON

    def __init__(self, problem: Problem, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(_encoder.encode(problem), status_code=problem.status, headers=headers)


class BadRequestBody(Exception):
    """A request body that is not JSON at all (400) or does not fit its type (422)."""

    def __init__(self, status: int, detail: str, detail_zh: str, errors: list[FieldError]) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.detail_zh = detail_zh
        self.errors = errors


def http_status(exc: DomainError) -> int:
    """The status of the error's kind (`STATUS_OF_KIND`), or an explicit one kept from before kinds."""
    return exc.status


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _instance(request: Request) -> str:
    # The path only: a query string may carry personal data and is never echoed back.
    return request.url.path


def problem(
    request: Request | None, status: int, detail: str, *, detail_zh: str | None = None,
    code: str | None = None, errors: list[FieldError] | None = None,
    checks: list[ReadyCheck] | None = None,
) -> Problem:
    return Problem(
        type=TYPE_PREFIX + code if code else "about:blank",
        title=_phrase(status),
        status=status,
        detail=detail,
        instance=_instance(request) if request is not None else None,
        code=code,
        detail_zh=detail_zh,
        errors=errors,
        checks=checks,
    )


# --- msgspec body errors -------------------------------------------------------------------------

_MSGSPEC_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]+)`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>[^`]+)`$")
_EXPECTED = re.compile(r"^Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`$")
_CONSTRAINT = re.compile(r"^Expected `(?P<want>[^`]+)` (?P<rule>.+)$")
_INVALID_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")


def _join(path: str, name: str) -> str:
    path = path.lstrip(".")
    return f"{path}.{name}" if path else name


def msgspec_field_error(message: str) -> FieldError:
    """`Expected `int`, got `str` - at `$.party.adults`` -> field "party.adults", with a Chinese message."""
    m = _MSGSPEC_AT.match(message)
    text, path = (m.group("message"), m.group("path") or "") if m else (message, "")
    field = path.lstrip(".")
    if (mm := _MISSING.match(text)) is not None:
        return FieldError(field=_join(path, mm["name"]), message="required field is missing",
                          message_zh="缺少必填字段")
    if (mm := _UNKNOWN.match(text)) is not None:
        return FieldError(field=_join(path, mm["name"]), message="unknown field", message_zh="不允许的字段")
    if (mm := _EXPECTED.match(text)) is not None:
        return FieldError(field=field, message=text, message_zh=f"类型错误：应为 {mm['want']}，实际为 {mm['got']}")
    if (mm := _CONSTRAINT.match(text)) is not None:
        return FieldError(field=field, message=text, message_zh=f"取值不符合要求：应为 {mm['want']} {mm['rule']}")
    if _INVALID_ENUM.match(text) is not None:
        return FieldError(field=field, message=text, message_zh="取值不在允许的范围内")
    return FieldError(field=field, message=text, message_zh="取值无效")


def body_error(exc: msgspec.DecodeError) -> BadRequestBody:
    """Turn a msgspec failure into a problem: ValidationError is a subclass of DecodeError."""
    if isinstance(exc, msgspec.ValidationError):
        err = msgspec_field_error(str(exc))
        return BadRequestBody(422, f"the request body is invalid: {err.field or 'body'}: {err.message}",
                              "请求内容有误", [err])
    return BadRequestBody(400, "the request body is not valid JSON", "请求内容不是有效的 JSON",
                          [FieldError(field="body", message="malformed JSON", message_zh="JSON 格式错误")])


# --- FastAPI parameter errors ---------------------------------------------------------------------

_PYDANTIC_ZH = {
    "missing": "缺少必填字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为布尔值",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "greater_than": "取值过小",
    "greater_than_equal": "取值过小",
    "less_than": "取值过大",
    "less_than_equal": "取值过大",
    "enum": "取值不在允许的范围内",
    "literal_error": "取值不在允许的范围内",
    "uuid_parsing": "应为 UUID",
    "date_parsing": "应为日期",
    "datetime_parsing": "应为日期时间",
}


def _loc(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _fastapi_errors(exc: RequestValidationError) -> tuple[int, list[FieldError]]:
    errors: list[FieldError] = []
    malformed = False
    for e in exc.errors():
        kind = str(e.get("type", ""))
        if kind == "json_invalid":
            malformed = True
        # `msg` only, never `input`: the rejected value may be personal data.
        errors.append(FieldError(field=_loc(e.get("loc", ())), message=str(e.get("msg", "invalid")),
                                 message_zh=_PYDANTIC_ZH.get(kind, "取值无效")))
    return (400 if malformed else 422), errors


# --- handlers -------------------------------------------------------------------------------------

async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    errors = None
    if exc.field:
        errors = [FieldError(field=exc.field, message=exc.detail, message_zh=exc.detail_zh)]
    body = problem(request, http_status(exc), exc.detail, detail_zh=exc.detail_zh, code=exc.code, errors=errors)
    return ProblemResponse(body, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    status, errors = _fastapi_errors(exc)
    if status == 400:
        detail, detail_zh = "the request body is not valid JSON", "请求内容不是有效的 JSON"
    else:
        names = ", ".join(e.field for e in errors)
        detail, detail_zh = f"invalid input: {names}", f"输入有误：{names}"
    code = "request.malformed" if status == 400 else "request.invalid"
    return ProblemResponse(problem(request, status, detail, detail_zh=detail_zh, code=code, errors=errors))


async def _bad_body(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadRequestBody)
    code = "request.malformed" if exc.status == 400 else "request.invalid"
    return ProblemResponse(problem(request, exc.status, exc.detail, detail_zh=exc.detail_zh,
                                   code=code, errors=exc.errors))


HTTP_ZH = {
    400: "请求有误", 401: "需要登录", 403: "没有权限", 404: "未找到", 405: "不支持该请求方法",
    406: "无法提供所需的格式", 409: "请求冲突", 413: "请求内容过大", 415: "不支持的内容类型",
    422: "请求内容有误", 429: "请求过于频繁", 503: "服务暂不可用",
}


async def _msgspec_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, msgspec.DecodeError)
    return await _bad_body(request, body_error(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else _phrase(status)
    if status == 404 and detail == "Not Found":
        detail = f"no such resource: {request.url.path}"
    body = problem(request, status, detail, detail_zh=HTTP_ZH.get(status, _phrase(status)))
    headers = dict(exc.headers or {})
    if status == 405:
        allowed = allowed_methods(request.app, request.url.path)
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    if status in (204, 304):
        return Response(status_code=status, headers=headers)
    return ProblemResponse(body, headers=headers)


# The database cannot be reached or is going away (a restart, a fast shutdown, a lost connection):
# nothing was committed that the client was told of, and the same request may succeed in a moment.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: cannot connect, connection lost mid-statement
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,  # sessions ended by a fast shutdown
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    ConnectionError,  # refused or reset by the operating system: nothing listens yet
)
RETRY_AFTER_S = 2


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("database unavailable in %s %s: %s", request.method, _route_template(request), type(exc).__name__)
    body = problem(request, 503, "the service cannot reach its database just now; try again shortly",
                   detail_zh="服务暂时无法访问数据库，请稍后重试", code="service.unavailable")
    return ProblemResponse(body, headers={"Retry-After": str(RETRY_AFTER_S)})


async def unexpected_error_response(request: Request, exc: Exception) -> Response:
    # The traceback goes to the log (redacted there); the client learns only that it failed.
    log.error("unhandled error in %s %s", request.method, _route_template(request), exc_info=exc)
    return ProblemResponse(problem(request, 500, "the server failed to handle this request",
                                   detail_zh="服务器内部错误，请稍后重试", code="server.error"))


def _route_template(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", None) or "<unrouted>"


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(BadRequestBody, _bad_body)
    app.add_exception_handler(msgspec.DecodeError, _msgspec_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _database_unavailable)
    app.add_exception_handler(Exception, unexpected_error_response)

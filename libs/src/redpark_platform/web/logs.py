"""Structured logs: one JSON object per line, with the service, the current trace and span ids and the
event position the line is about (`redpark_platform.log_context`) where there is one, redacted.

Personal data never reaches a log: anything that looks like a mainland mobile number or an
18-character resident ID number is masked in messages, arguments, extras and tracebacks. Request
lines carry the method, the route's path template, the status and the duration: never a body, a
concrete path (it may hold a ticket code or a name) or a query string.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from opentelemetry import trace

from ..log_context import current_position

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE_MASK = "[mobile]"
ID_MASK = "[id-number]"
_OURS = "_redpark_json_handler"

http_log = logging.getLogger("redpark.http")


def redact(text: str) -> str:
    # ID numbers first: their 11-digit runs must not be half-masked as mobiles first.
    return MOBILE.sub(MOBILE_MASK, ID_NUMBER.sub(ID_MASK, text))


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact_value(v) for v in value]
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        # A phone number logged as an int is still a phone number.
        text = str(value)
        return value if redact(text) == text else redact(text)
    return redact(str(value))


class RedactingFilter(logging.Filter):
    """Masks personal data in the message and its arguments before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must still be logged, just unformatted
            message = f"{record.msg!r} (unformattable arguments)"
        record.msg = redact(message)
        record.args = None
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            record.fields = _redact_value(fields)
        return True


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "service": self.service,
            "message": redact(record.getMessage()),
        }
        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            entry["trace_id"] = format(ctx.trace_id, "032x")
            entry["span_id"] = format(ctx.span_id, "016x")
        position = current_position()
        if position is not None:
            entry["position"] = position
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(_redact_value(fields))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stdout is now, so a replaced stdout (test capture, a reloader) is followed."""

    @property
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def json_handler(service: str, stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream) if stream is not None else _StdoutHandler()
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(RedactingFilter())
    setattr(handler, _OURS, True)
    return handler


def configure_logging(service: str, level: int | str = logging.INFO, stream: TextIO | None = None) -> None:
    """Send every logger's records through one JSON handler on the root logger (idempotent)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
    root.addHandler(json_handler(service, stream))
    root.setLevel(level)
    # uvicorn's access log prints the raw path and query string; our request line replaces it.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        uv = logging.getLogger(name)
        uv.handlers.clear()
        uv.propagate = True


def log_request(method: str, route: str | None, status: int, duration_s: float) -> None:
    template = route or "<unmatched>"
    level = logging.ERROR if status >= 500 else logging.INFO
    http_log.log(level, "%s %s %d", method, template, status, extra={"fields": {
        "http": {"method": method, "route": template, "status": status,
                 "duration_ms": round(duration_s * 1000, 3)},
    }})

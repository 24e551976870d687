"""Who may do what on the bus and in the database: generated passwords and NATS permissions.

Embedded servers never take anyone: NATS has one user per service, one for the gateway, one for
tools (verify, inspection) and an `admin` for setup; PostgreSQL has a superuser used only to set
things up and one login role per service that owns only its own database. Passwords are made once
and kept in a JSON file readable by its owner only (mode 0600), beside the server's data.

A service's NATS user may publish only its own subjects (`<service>.>`, its dead letters) and call
the JetStream API of its own stream; it may consume (create, read and acknowledge its consumers on)
only the streams it reads. Replies come to its own inbox prefix, `_INBOX.<user>.`, which no other
user may subscribe to (see `bus.connect`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from .bus import DEAD_LETTER_STREAM, inbox_prefix

ADMIN = "admin"
GATEWAY = "gateway"
TOOLS = "tools"
PASSWORDS_FILE = "passwords.json"

# A NATS permissions map as the server's configuration spells it: {"publish": {"allow": [...]}, ...};
# None means every subject (the admin).
Permissions = dict[str, Any] | None


class PasswordFile:
    """Passwords by name, made on first use and never changed, in a 0600 JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        if not isinstance(value, dict):
            raise ValueError(f"{self.path.name} must be a JSON object of name to password")
        return {str(k): str(v) for k, v in value.items()}

    def get(self, name: str) -> str:
        known = self._read()
        if name not in known:
            # Letters, digits, '-' and '_': safe in a URL's user-info without escaping.
            known[name] = secrets.token_urlsafe(24)
            self._write(known)
        return known[name]

    def known(self, name: str) -> str | None:
        """The password of `name` if one was made; a reader (a tool) never makes one."""
        return self._read().get(name)

    def _write(self, passwords: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an older partial file may have had another mode
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(passwords, indent=2, sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())
        partial.replace(self.path)


def with_user(url: str, user: str, password: str) -> str:
    """`nats://127.0.0.1:4222` -> `nats://user:password@127.0.0.1:4222` (any URL scheme)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"))


def without_password(url: str) -> str:
    """The URL with its password left out (the user stays): an address to show or write down."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}@{host}"))


def redacted(url: str) -> str:
    """The URL with its password replaced, for logs and pages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}"))


def url_user(url: str) -> str | None:
    return urlsplit(url).username or None


def _stream(service: str) -> str:
    # As `bus.stream_name` spells it without a prefix: events-public -> EVENTS_PUBLIC.
    return service.upper().replace("-", "_").replace(".", "_")


def service_permissions(service: str, reads: Iterable[str]) -> dict[str, Any]:
    """What the NATS user of `service` may do: publish its own events and run its own stream; read
    (consume) the streams in `reads` (its projections' and reactions' sources, its own included)."""
    own = _stream(service)
    dead = DEAD_LETTER_STREAM
    publish = [
        f"{service}.>",
        f"deadletter.{service}.>",
        "$JS.API.INFO",
        *(f"$JS.API.STREAM.{op}.{own}" for op in ("INFO", "CREATE", "UPDATE", "MSG.GET")),
        f"$JS.API.DIRECT.GET.{own}", f"$JS.API.DIRECT.GET.{own}.>",
        *(f"$JS.API.STREAM.{op}.{dead}" for op in ("INFO", "CREATE", "UPDATE", "MSG.GET")),
    ]
    for source in sorted(set(reads)):
        stream = _stream(source)
        publish += [
            f"$JS.API.STREAM.INFO.{stream}",
            f"$JS.API.STREAM.MSG.GET.{stream}",
            *(f"$JS.API.CONSUMER.{op}.{stream}.>"
              for op in ("CREATE", "DURABLE.CREATE", "INFO", "DELETE", "MSG.NEXT")),
            f"$JS.ACK.{stream}.>",
        ]
    return {"publish": {"allow": sorted(set(publish))},
            "subscribe": {"allow": [f"{inbox_prefix(service)}.>"]}}


def tools_permissions() -> dict[str, Any]:
    """Tools (verify, inspection) read every stream and publish none."""
    return {
        "publish": {"allow": [
            "$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.LIST", "$JS.API.STREAM.INFO.*",
            "$JS.API.STREAM.MSG.GET.*", "$JS.API.DIRECT.GET.>", "$JS.API.CONSUMER.CREATE.>",
            "$JS.API.CONSUMER.DURABLE.CREATE.>", "$JS.API.CONSUMER.INFO.>", "$JS.API.CONSUMER.DELETE.>",
            "$JS.API.CONSUMER.MSG.NEXT.>", "$JS.API.CONSUMER.LIST.*", "$JS.ACK.>", "$JS.FC.>",
        ]},
        "subscribe": {"allow": [f"{inbox_prefix(TOOLS)}.>"]},
    }


def gateway_permissions() -> dict[str, Any]:
    """The gateway may ask how the streams are (for status pages), nothing more."""
    return {
        "publish": {"allow": ["$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.INFO.*",
                              "$JS.API.CONSUMER.INFO.>"]},
        "subscribe": {"allow": [f"{inbox_prefix(GATEWAY)}.>"]},
    }


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677), made here so
    the password itself never travels to the server, nor into its log if a statement fails."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"

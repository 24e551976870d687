"""A service's settings, read once from the environment when the service starts.

Read in the runtime's startup, never at import time, so tests and tools can import any module
without a configured environment.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_DATA_DIR = ".redpark"
JWT_KEY_FILE_NAME = "jwt.key"
WEBHOOK_SECRETS_FILE_NAME = "webhook-secrets.json"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


MIN_JWT_SECRET_BYTES = 32
# JetStream keeps a stream on at most five servers of a cluster.
MAX_STREAM_REPLICAS = 5


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names the environment variable."""


def database_url_variable(service: str) -> str:
    """`organization` -> `REDPARK_ORGANIZATION_DATABASE_URL`, `events-public` -> `..._EVENTS_PUBLIC_...`."""
    return f"REDPARK_{service.upper().replace('-', '_')}_DATABASE_URL"


@dataclass(frozen=True, kw_only=True)
class JwtSource:
    """Where the signing secret comes from: the secret itself, or a key file (created on first use)."""

    secret: str | None
    key_file: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> JwtSource:
        env = os.environ if env is None else env
        secret = env.get("REDPARK_JWT_SECRET") or None
        if secret is not None:
            check_jwt_secret(secret, "REDPARK_JWT_SECRET")
        key_file = env.get("REDPARK_JWT_KEY_FILE")
        if key_file:
            return cls(secret=secret, key_file=Path(key_file))
        return cls(secret=secret, key_file=_data_dir(env) / JWT_KEY_FILE_NAME)


def check_jwt_secret(secret: str, where: str) -> str:
    """The secret when it is long enough to sign tokens with: HS256 with a shorter one can be
    brute-forced offline from a single token (RFC 7518 asks for at least the hash's 256 bits)."""
    size = len(secret.encode("utf-8"))
    if size < MIN_JWT_SECRET_BYTES:
        raise SettingsError(
            f"{where} has {size} bytes; a token signing secret needs at least {MIN_JWT_SECRET_BYTES} "
            "(make one with `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`), or leave "
            "REDPARK_JWT_SECRET unset to use the data folder's generated jwt.key")
    return secret


def _data_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("REDPARK_DATA_DIR") or DEFAULT_DATA_DIR)


def _required(env: Mapping[str, str], name: str, why: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(f"environment variable {name} is not set: {why}")
    return value


def webhook_secrets_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """Per-system inbound webhook secrets (`whsec_...`): `REDPARK_WEBHOOK_SECRETS` as JSON
    `{"property": "whsec_..."}`, else `<data dir>/webhook-secrets.json`, else none (every delivery refused)."""
    raw = env.get("REDPARK_WEBHOOK_SECRETS", "").strip()
    origin = "REDPARK_WEBHOOK_SECRETS"
    if not raw:
        path = _data_dir(env) / WEBHOOK_SECRETS_FILE_NAME
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        origin = str(path)
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise SettingsError(f"{origin} is not JSON: an object of system name to secret") from exc
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise SettingsError(f"{origin} must be a JSON object of system name to secret string")
    return value


def stream_replicas_from_env(env: Mapping[str, str]) -> int:
    raw = env.get("REDPARK_STREAM_REPLICAS", "").strip() or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_STREAM_REPLICAS:
        raise SettingsError(f"REDPARK_STREAM_REPLICAS={raw!r} is not a whole number from 1 to {MAX_STREAM_REPLICAS}")
    return int(raw)


@dataclass(frozen=True, kw_only=True)
class Settings:
    service: str
    # Both carry the service's own credentials: never in a repr that could reach a log.
    nats_url: str = field(repr=False)
    database_url: str = field(repr=False)
    timezone: str
    data_dir: Path
    jwt: JwtSource
    log_level: str
    # Inbound webhook secrets per sending system (see `redpark_platform.inbox`); never logged.
    webhook_secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Streams and subjects under this name on a shared NATS (`REDPARK_BUS_PREFIX`, see
    # `redpark_platform.bus.use_prefix`); None leaves the process's prefix as it is, which is how a
    # test's `bus_prefix` fixture reaches a Settings built without one.
    bus_prefix: str | None = None
    # How many servers of a NATS cluster keep each stream the relay creates (`REDPARK_STREAM_REPLICAS`):
    # 1 for the single server of `up`, 3 on a three-node cluster, so losing a node loses no event.
    stream_replicas: int = 1

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        db_var = database_url_variable(service)
        nats_url = _required(env, "REDPARK_NATS_URL", "the NATS server URL, e.g. nats://127.0.0.1:14222")
        database_url = _required(env, db_var, f"the PostgreSQL DSN of the {service} service's own database")
        timezone = env.get("REDPARK_TIMEZONE") or DEFAULT_TIMEZONE
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"REDPARK_TIMEZONE={timezone!r} is not a known IANA time zone") from exc
        log_level = (env.get("REDPARK_LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise SettingsError(f"REDPARK_LOG_LEVEL={log_level!r} is not one of {', '.join(LOG_LEVELS)}")
        return cls(
            service=service,
            nats_url=nats_url,
            database_url=database_url,
            timezone=timezone,
            data_dir=_data_dir(env),
            jwt=JwtSource.from_env(env),
            log_level=log_level,
            webhook_secrets=webhook_secrets_from_env(env),
            bus_prefix=env.get("REDPARK_BUS_PREFIX", "").strip(),
            stream_replicas=stream_replicas_from_env(env),
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]

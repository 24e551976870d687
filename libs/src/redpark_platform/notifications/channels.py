"""The ways a notification leaves: what every channel answers, and the channels' settings.

A channel sends one message and says `Accepted` (with the provider's id), `Retry` (rate-limited, the
provider or the network down: try again later) or `Rejected` (never deliverable as addressed: an
invalid number). After a crash between sending and recording, `find` asks the provider whether it
already took the message (by our notification id); a channel that cannot tell answers `UNKNOWN`
and the message goes again with the same id, which its receivers de-duplicate on where they can.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Protocol

from .policy import Policy, QuietHours
from .templates import Template

DEFAULT_PARK_NAME = "红色园区"


@dataclass(frozen=True)
class Accepted:
    provider_id: str


@dataclass(frozen=True)
class Retry:
    reason: str


@dataclass(frozen=True)
class Rejected:
    reason: str


Outcome = Accepted | Retry | Rejected


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """One message as a channel sends it: the address opened, the parameters with the park's name."""

    notification_id: str
    address: str  # a phone, an e-mail address, or a WeCom group's name
    template: Template
    lang: str
    params: Mapping[str, str]
    park: str
    created_at: datetime

    @property
    def text(self) -> str:
        return self.template.render(self.lang, self.params)

    @property
    def title(self) -> str:
        return self.template.title(self.lang, self.park)


class Channel(Protocol):
    name: str

    async def send(self, message: Outgoing) -> Outcome: ...

    async def find(self, message: Outgoing) -> str | None | _Unknown:
        """The provider's id of this message if it already took it, None if it did not, or UNKNOWN."""
        ...

    async def close(self) -> None: ...


# --- settings ---------------------------------------------------------------------------------------

class NotifySettingsError(ValueError):
    """A notification setting is invalid; the message names the environment variable."""


@dataclass(frozen=True, kw_only=True)
class SmsSettings:
    provider: str  # aliyun | tencent
    endpoint: str
    access_key_id: str
    access_key_secret: str = field(repr=False)
    sign_name: str
    region: str
    sdk_app_id: str = ""  # Tencent's SmsSdkAppId
    # Our template code (`ep.registration_promoted.zh`) -> the provider's (`SMS_123…` / `1234567`).
    template_codes: Mapping[str, str] = field(default_factory=dict)

    def code_of(self, template: Template, lang: str) -> str:
        ours = template.provider_code(lang)
        return self.template_codes.get(ours, ours)


@dataclass(frozen=True, kw_only=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = field(default="", repr=False)
    tls: str = "none"  # none | starttls | tls


@dataclass(frozen=True, kw_only=True)
class NotifySettings:
    park_name: str = DEFAULT_PARK_NAME
    # Where people reach the platform (the gateway's public address), for links in messages.
    public_url: str = ""
    sms: SmsSettings | None = None
    smtp: SmtpSettings | None = None
    # WeCom group robots: a group's name -> its webhook address (the key in it is a secret: never logged).
    wecom: Mapping[str, str] = field(default_factory=dict, repr=False)
    policy: Policy = Policy()
    max_attempts: int = 6
    backoff_base: float = 30.0
    backoff_cap: float = 3600.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NotifySettings:
        env = os.environ if env is None else env
        park = env.get("REDPARK_PARK_NAME", "").strip() or DEFAULT_PARK_NAME
        sms: SmsSettings | None = None
        provider = env.get("REDPARK_SMS_PROVIDER", "").strip().lower()
        if provider:
            if provider not in ("aliyun", "tencent"):
                raise NotifySettingsError(f"REDPARK_SMS_PROVIDER={provider!r} is not aliyun or tencent")
            default_endpoint = {"aliyun": "https://dysmsapi.aliyuncs.com/",
                                "tencent": "https://sms.tencentcloudapi.com/"}[provider]
            default_region = {"aliyun": "cn-hangzhou", "tencent": "ap-guangzhou"}[provider]
            sms = SmsSettings(
                provider=provider,
                endpoint=env.get("REDPARK_SMS_ENDPOINT", "").strip() or default_endpoint,
                access_key_id=_required(env, "REDPARK_SMS_ACCESS_KEY_ID"),
                access_key_secret=_required(env, "REDPARK_SMS_ACCESS_KEY_SECRET"),
                sign_name=env.get("REDPARK_SMS_SIGN_NAME", "").strip() or park,
                region=env.get("REDPARK_SMS_REGION", "").strip() or default_region,
                sdk_app_id=env.get("REDPARK_SMS_SDK_APP_ID", "").strip(),
                template_codes=_json_map(env, "REDPARK_SMS_TEMPLATE_CODES"),
            )
            if provider == "tencent" and not sms.sdk_app_id:
                raise NotifySettingsError("REDPARK_SMS_SDK_APP_ID is not set: Tencent Cloud SMS needs the SmsSdkAppId")
        smtp: SmtpSettings | None = None
        if host := env.get("REDPARK_SMTP_HOST", "").strip():
            tls = env.get("REDPARK_SMTP_TLS", "none").strip().lower() or "none"
            if tls not in ("none", "starttls", "tls"):
                raise NotifySettingsError(f"REDPARK_SMTP_TLS={tls!r} is not none, starttls or tls")
            smtp = SmtpSettings(host=host, port=_int(env, "REDPARK_SMTP_PORT", 25),
                                sender=_required(env, "REDPARK_SMTP_FROM"),
                                username=env.get("REDPARK_SMTP_USER", ""),
                                password=env.get("REDPARK_SMTP_PASSWORD", ""), tls=tls)
        try:
            quiet = QuietHours.parse(env.get("REDPARK_NOTIFY_QUIET_HOURS", "").strip() or "21:00-08:00")
        except ValueError as exc:
            raise NotifySettingsError(f"REDPARK_NOTIFY_QUIET_HOURS: {exc}") from None
        return cls(park_name=park, public_url=env.get("REDPARK_PUBLIC_URL", "").strip(), sms=sms, smtp=smtp,
                   wecom=_json_map(env, "REDPARK_WECOM_WEBHOOKS"),
                   policy=Policy(quiet=quiet, daily_cap=_int(env, "REDPARK_NOTIFY_DAILY_CAP", 10)),
                   max_attempts=_int(env, "REDPARK_NOTIFY_MAX_ATTEMPTS", 6))


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise NotifySettingsError(f"environment variable {name} is not set")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise NotifySettingsError(f"{name}={raw!r} is not a whole number") from None
    if value < 1:
        raise NotifySettingsError(f"{name} must be at least 1")
    return value


def _json_map(env: Mapping[str, str], name: str) -> dict[str, str]:
    raw = env.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise NotifySettingsError(f"{name} is not JSON (an object of names to strings)") from None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise NotifySettingsError(f"{name} must be a JSON object of names to strings")
    return value

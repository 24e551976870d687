"""The notification stand-ins on loopback for tests: `notify_standins` fixture.

    async def test_x(notify_standins, service_client):
        c = await service_client(create_app, data_dir=notify_standins.data)   # templates land where it reads
        ... notify_standins.settings() is a NotifySettings pointing at them (SMS Aliyun-shaped,
        `provider="tencent"` for the other), SMTP and a WeCom group "staff".
        await eventually(notify_standins.sms_lines, lambda lines: len(lines) == 1)
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from ..notifications.channels import NotifySettings, SmsSettings, SmtpSettings
from ..notifications.policy import Policy
from ..notifications.standins import LOCAL_KEY_ID, LOCAL_KEY_SECRET, HttpStandIn, SmsGateway, start_smtp
from ..servers import LOOPBACK, free_port


@dataclass
class StandIns:
    data: Path
    gateway: SmsGateway
    http_url: str
    smtp_port: int

    def settings(self, *, provider: str = "aliyun", park_name: str = "测试园区", policy: Policy | None = None,
                 **overrides: Any) -> NotifySettings:
        sms = SmsSettings(provider=provider, endpoint=self.http_url, access_key_id=LOCAL_KEY_ID,
                          access_key_secret=LOCAL_KEY_SECRET, sign_name=park_name,
                          region="cn-hangzhou" if provider == "aliyun" else "ap-guangzhou",
                          sdk_app_id="1400000000" if provider == "tencent" else "")
        base = NotifySettings(park_name=park_name, sms=sms,
                              smtp=SmtpSettings(host=LOOPBACK, port=self.smtp_port, sender="notice@park.example"),
                              wecom={"staff": f"{self.http_url}cgi-bin/webhook/send?key=staff-robot"},
                              policy=policy or Policy(), backoff_base=60.0)
        return replace(base, **overrides)

    def sms_lines(self) -> list[dict[str, Any]]:
        return self.gateway.lines()

    def wecom_lines(self) -> list[dict[str, Any]]:
        try:
            text = self.gateway.wecom_outbox.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def mails(self) -> list[Message]:
        folder = self.data / "mail"
        if not folder.exists():
            return []
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))]


@pytest.fixture
async def notify_standins(tmp_path: Path) -> AsyncIterator[StandIns]:
    data = tmp_path / "notify-data"
    data.mkdir()
    gateway = SmsGateway(data)
    http = HttpStandIn(gateway, LOOPBACK, free_port())
    await http.start()
    smtp_port = free_port()
    smtp = await start_smtp(data / "mail", LOOPBACK, smtp_port)
    try:
        yield StandIns(data=data, gateway=gateway, http_url=http.url, smtp_port=smtp_port)
    finally:
        if gateway.hold is not None:
            gateway.hold.set()
        smtp.close()
        await http.stop()

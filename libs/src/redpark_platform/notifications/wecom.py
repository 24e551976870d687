"""WeCom (企业微信) group robots: a staff group's webhook address takes `{"msgtype": "text", ...}`.
The address holds the robot's key, a secret: it stays in the settings, never in a stored row or a log;
a row names the group."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from .channels import UNKNOWN, Accepted, Outcome, Outgoing, Rejected, Retry, _Unknown

RATE_LIMITED = 45009  # the robot's 20 messages a minute
INVALID_KEY = 93000


class WeComRobot:
    name = "wecom"

    def __init__(self, webhooks: Mapping[str, str], timeout: float = 10.0) -> None:
        self.webhooks = dict(webhooks)
        self.client = httpx.AsyncClient(timeout=timeout)

    async def send(self, message: Outgoing) -> Outcome:
        url = self.webhooks.get(message.address)
        if url is None:
            return Retry(f"no WeCom robot configured for group {message.address!r}")
        try:
            response = await self.client.post(url, json={"msgtype": "text", "text": {"content": message.text}})
            answer = response.json()
        except httpx.HTTPError as exc:
            return Retry(type(exc).__name__)
        except ValueError:
            return Retry(f"HTTP {response.status_code}, not JSON")
        code = answer.get("errcode") if isinstance(answer, dict) else None
        if code == 0:
            return Accepted("")
        reason = f"errcode {code}: {answer.get('errmsg', '') if isinstance(answer, dict) else ''}"[:300]
        return Rejected(reason) if code == INVALID_KEY else Retry(reason)

    async def find(self, message: Outgoing) -> str | None | _Unknown:
        return UNKNOWN  # a robot keeps no record we can ask: at least once

    async def close(self) -> None:
        await self.client.aclose()

"""The sending side of Standard Webhooks, for the simulators of the park's other systems.

A simulator stands in for the property-management or the recruitment system: it signs what it
sends with the `standardwebhooks` package, exactly as the real sender must, and records each
answer next to the one a correct receiver gives (`Sent.as_expected`), so its awkward deliveries
(duplicates, wrong secrets, malformed bodies) show whether the platform answered them right.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from standardwebhooks import Webhook


def read_secret(path: Path, system: str) -> str:
    """The park's `webhook-secrets.json` (the `system` entry), or a file holding the secret alone."""
    text = path.read_text(encoding="utf-8").strip()
    if text.startswith("{"):
        secret = json.loads(text).get(system)
        if not isinstance(secret, str):
            raise SystemExit(f"{path} has no {system!r} secret")
        return secret
    return text


@dataclass(frozen=True)
class Sent:
    label: str
    webhook_id: str
    status: int
    expected: int
    body: Any

    @property
    def as_expected(self) -> bool:
        return self.status == self.expected


def report(sent: Sequence[Sent]) -> int:
    """One line per delivery for a person at a terminal; the exit code says whether every answer
    was the one a real receiver should give."""
    for s in sent:
        mark = "ok " if s.as_expected else "!! "
        print(f"{mark}{s.status} (expected {s.expected})  {s.label}  [{s.webhook_id}]")
    return 0 if all(s.as_expected for s in sent) else 1


class SignedSender:
    """Sends signed notices to `<url>/webhooks/<system>` and keeps what came back in `sent`."""

    system: str = ""

    def __init__(self, client: httpx.AsyncClient, url: str, secret: str) -> None:
        self.client = client
        self.endpoint = url.rstrip("/") + f"/webhooks/{self.system}"
        self.secret = secret
        self.sent: list[Sent] = []

    async def send(self, label: str, notice: dict[str, Any] | bytes, *, webhook_id: str | None = None,
                   expected: int = 202, secret: str | None = None, sent_at: datetime | None = None) -> Sent:
        body = notice if isinstance(notice, bytes) else json.dumps(notice, ensure_ascii=False).encode()
        webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
        at = (sent_at or datetime.now(UTC)).astimezone(UTC)
        # A malformed body is sent as it is; its signature covers the bytes as text.
        signature = Webhook(secret or self.secret).sign(webhook_id, at, body.decode("utf-8", "replace"))
        headers = {"content-type": "application/json", "webhook-id": webhook_id,
                   "webhook-timestamp": str(int(at.timestamp())), "webhook-signature": signature}
        response = await self.client.post(self.endpoint, content=body, headers=headers)
        try:
            answer: Any = response.json()
        except ValueError:
            answer = response.text
        result = Sent(label, webhook_id, response.status_code, expected, answer)
        self.sent.append(result)
        return result

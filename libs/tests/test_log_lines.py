"""Log lines are JSON with the service, the trace id and the event position they are about."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_metrics import Refuses13  # noqa: E402
from test_runtime import router, tally_service  # noqa: E402

from redpark_platform.testkit import ServiceClient, eventually  # noqa: E402


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


async def test_a_commands_request_line_and_a_dead_letter_name_the_event_position(
    service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    client = await service_client(tally_service(tmp_path, router, Refuses13()), service="tally")
    client.runtime.runners["tally_picky"].max_deliver = 1
    position = (await client.post("/tallies/13812345678/counts", json={"by": 13})).json()["position"]
    seen: list[dict[str, Any]] = []

    def dead_letter_logged() -> list[dict[str, Any]]:
        seen.extend(lines(capsys.readouterr().out))
        return [e for e in seen if "dead-lettered" in e["message"]]

    (dead,) = await eventually(dead_letter_logged, timeout=20)
    assert dead["position"] == position and dead["service"] == "tally" and dead["level"] == "ERROR"
    (request,) = [e for e in seen if e.get("http", {}).get("route") == "/tallies/{tally_id}/counts"]
    assert request["position"] == position and len(request["trace_id"]) == 32
    assert "13812345678" not in json.dumps(seen)

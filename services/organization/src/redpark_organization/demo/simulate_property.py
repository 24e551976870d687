"""A stand-in for the park's property-management system: signed webhooks to a running organization service.

    python -m redpark_organization.demo.simulate_property --url http://127.0.0.1:8000/organization \\
        --secret-file .redpark/webhook-secrets.json [--scenario demo]
    python -m redpark_organization.demo.simulate_property --url ... --secret-file F \\
        --scenario move-in --tenant-code T2025-0042 --tenant-name 某某科技 --bldg-code HX-A01 --floor 3

`--secret-file` is either the park's `webhook-secrets.json` (its `property` entry is used) or a file
holding the secret alone. The `demo` scenario sends what a real sender does now and then: a
building handed over, tenants checking in, a delivery sent twice, a check-out arriving before its
check-in, an old "changed floor" arriving after a newer one, a malformed body and a bad signature.
Standard library and httpx only, so it runs anywhere; tests call `run_scenario` with their own client.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from redpark_platform.clock import utcnow
from redpark_platform.webhook_sender import Sent, SignedSender, report
from redpark_platform.webhook_sender import read_secret as shared_read_secret

SYSTEM = "property"


def read_secret(path: Path) -> str:
    return shared_read_secret(path, SYSTEM)


class PropertySystem(SignedSender):
    """Sends signed notices to `<url>/webhooks/property`."""

    system = SYSTEM


def _at(minutes_ago: float) -> str:
    return (utcnow() - timedelta(minutes=minutes_ago)).isoformat()


def building_added(bldg_code: str, name: str, phase: int = 1, floors: int = 12,
                   minutes_ago: float = 60) -> dict[str, Any]:
    return {"event_type": "building.added", "bldg_code": bldg_code, "bldg_name": name, "park_phase": phase,
            "floors_above_ground": floors, "occurred_at": _at(minutes_ago)}


def checked_in(tenant_code: str, name: str, bldg_code: str, floor: int, *, staff: int = 20, hi_tech: bool = True,
               legal_rep: str = "", minutes_ago: float = 30) -> dict[str, Any]:
    return {"event_type": "tenant.checked_in", "tenant_code": tenant_code, "tenant_name": name,
            "bldg_code": bldg_code, "floor_no": floor, "unit": f"{floor:02d}01", "staff_count": staff,
            "hi_tech_certified": hi_tech, "legal_rep": legal_rep, "occurred_at": _at(minutes_ago)}


def checked_out(tenant_code: str, bldg_code: str, minutes_ago: float = 1) -> dict[str, Any]:
    return {"event_type": "tenant.checked_out", "tenant_code": tenant_code, "bldg_code": bldg_code,
            "occurred_at": _at(minutes_ago)}


def unit_changed(tenant_code: str, bldg_code: str, floor: int, minutes_ago: float) -> dict[str, Any]:
    return {"event_type": "tenant.unit_changed", "tenant_code": tenant_code, "bldg_code": bldg_code,
            "floor_no": floor, "unit": f"{floor:02d}08", "occurred_at": _at(minutes_ago)}


async def demo(pms: PropertySystem, prefix: str = "") -> list[Sent]:
    """Realistic traffic, the awkward parts included; each `Sent` says what answer it expects."""
    run = prefix or uuid.uuid4().hex[:6].upper()
    bldg, t1, t2 = f"HX-{run}-A1", f"T-{run}-01", f"T-{run}-02"
    await pms.send("building handed over", building_added(bldg, f"{run}号研发楼", floors=16))
    first = await pms.send("tenant checks in",
                           checked_in(t1, f"洛阳{run}智能科技有限公司", bldg, 5, legal_rep="王立新"))
    await pms.send("the same delivery again (network retry)",
                   checked_in(t1, f"洛阳{run}智能科技有限公司", bldg, 5, legal_rep="王立新"),
                   webhook_id=first.webhook_id)
    await pms.send("check-out arriving before its check-in", checked_out(t2, bldg, minutes_ago=1))
    await pms.send("the late check-in", checked_in(t2, f"{run}云数据有限公司", bldg, 8, staff=6, hi_tech=False,
                                                  minutes_ago=20))
    await pms.send("moves to floor 9 (newer)", unit_changed(t1, bldg, 9, minutes_ago=2))
    await pms.send("moves to floor 7 (older, arrives late: ignored)", unit_changed(t1, bldg, 7, minutes_ago=10))
    await pms.send("malformed body", b'{"event_type": "tenant.checked_in", "tenant_code": ', expected=422)
    await pms.send("schema violation", {**checked_in(f"T-{run}-03", "某公司", bldg, 3), "floor_no": "three"},
                   expected=422)
    await pms.send("wrong secret", checked_out(t1, bldg), expected=401,
                   secret="whsec_" + base64.b64encode(b"not the park's secret").decode())
    return pms.sent


async def move_in(pms: PropertySystem, tenant_code: str, tenant_name: str, bldg_code: str, floor: int,
                  phase: int = 1, floors: int = 20) -> list[Sent]:
    # The hand-over first, as the property system would have sent it: nothing happens if the
    # building is already known under that code, and the check-in then never waits for it.
    await pms.send("building handed over", building_added(bldg_code, f"{bldg_code}号楼", phase=phase,
                                                          floors=max(floors, floor)))
    await pms.send("tenant checks in", checked_in(tenant_code, tenant_name, bldg_code, floor, minutes_ago=1))
    return pms.sent


async def run_scenario(client: httpx.AsyncClient, url: str, secret: str, scenario: str = "demo",
                       **options: Any) -> list[Sent]:
    pms = PropertySystem(client, url, secret)
    if scenario == "demo":
        return await demo(pms, options.get("prefix", ""))
    if scenario == "move-in":
        return await move_in(pms, options["tenant_code"], options["tenant_name"], options["bldg_code"],
                             options["floor"], options.get("phase", 1))
    raise ValueError(f"unknown scenario {scenario!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="simulate_property", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the organization service, e.g. http://127.0.0.1:8000/organization")
    parser.add_argument("--secret-file", required=True, type=Path)
    parser.add_argument("--scenario", choices=("demo", "move-in"), default="demo")
    parser.add_argument("--tenant-code", default=f"T-{uuid.uuid4().hex[:6].upper()}")
    parser.add_argument("--tenant-name", default="模拟科技有限公司")
    parser.add_argument("--bldg-code", default="HX-A01")
    parser.add_argument("--floor", type=int, default=1)
    parser.add_argument("--phase", type=int, default=1, help="the park phase of the building (move-in)")
    args = parser.parse_args(argv)
    secret = read_secret(args.secret_file)

    async def go() -> list[Sent]:
        async with httpx.AsyncClient(timeout=10) as client:
            return await run_scenario(client, args.url, secret, args.scenario, tenant_code=args.tenant_code,
                                      tenant_name=args.tenant_name, bldg_code=args.bldg_code, floor=args.floor,
                                      phase=args.phase)

    return report(asyncio.run(go()))


if __name__ == "__main__":
    sys.exit(main())

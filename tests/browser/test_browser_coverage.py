"""A tenant moves in through the property-management simulator: the dashboard's coverage drops;
staff assign a liaison instructor on the building grid and it rises again. Real Chromium, the
whole platform behind the gateway, the simulator signing its deliveries like the real system."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from typing import Any

import httpx

COVERAGE = '.tile:has(.tile-label:text-is("组织覆盖率")) .tile-value'


def coverage_on_dashboard(page: Any, url: str) -> float:
    page.goto(url)
    value = page.locator(COVERAGE).first.inner_text()
    match = re.fullmatch(r"\s*([\d.]+)%\s*", value)
    assert match, value
    return float(match.group(1))


def until_coverage(page: Any, url: str, check: Any, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while True:
        value = coverage_on_dashboard(page, url)
        if check(value) or time.monotonic() > deadline:
            return value
        time.sleep(1)


def inbox_settled(platform: Any, timeout: float = 120) -> None:
    """No property delivery pending: the demo's own traffic (a check-out waiting for its check-in)
    must not move the figure while the test reads it."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=10, headers={"Authorization": f"Bearer {platform.token()}"}) as client:
        while True:
            pending = client.get(f"{platform.url}/organization/webhooks/deliveries",
                                 params={"status": "pending", "system": "property"}).json()["total"]
            if pending == 0:
                return
            assert time.monotonic() < deadline, f"{pending} property deliveries still pending"
            time.sleep(1)


def test_a_tenant_moving_in_lowers_coverage_until_a_liaison_instructor_is_assigned(
    platform: Any, new_page: Any, screenshot: Any, sign_in: Any,
) -> None:
    page = new_page("laptop")
    sign_in(page, roles=("park_admin",), next_path="/")
    inbox_settled(platform)
    before = coverage_on_dashboard(page, f"{platform.url}/")
    assert 0 < before < 100
    screenshot(page, "coverage-1-dashboard-before")

    tag = uuid.uuid4().hex[:6].upper()
    tenant = f"洛阳{tag}量子科技有限公司"

    # The simulator's own command line, as an operator would run it against the platform.
    sent = subprocess.run(
        [sys.executable, "-m", "redpark_organization.demo.simulate_property", "--url", f"{platform.url}/organization",
         "--secret-file", str(platform.data / "webhook-secrets.json"), "--scenario", "move-in",
         "--tenant-code", f"T-{tag}", "--tenant-name", tenant, "--bldg-code", f"HX-{tag}", "--floor", "3"],
        capture_output=True, text=True, timeout=60)
    assert sent.returncode == 0, sent.stdout + sent.stderr

    dropped = until_coverage(page, f"{platform.url}/", lambda v: v < before)
    assert dropped < before
    screenshot(page, "coverage-2-dashboard-after-move-in")

    page.goto(f"{platform.url}/organization/ui/grid")
    row = page.locator("tr[data-enterprise-id]", has_text=tenant)
    row.locator("select[name=member_id]").select_option(index=1)
    screenshot(page, "coverage-3-grid-assigning")
    row.get_by_role("button", name="指派指导员").click()
    page.wait_for_load_state()
    assert page.locator("tr[data-enterprise-id]", has_text=tenant).count() == 0  # no longer uncovered

    after = until_coverage(page, f"{platform.url}/", lambda v: v > dropped)
    assert after > dropped  # one more enterprise, now covered
    screenshot(page, "coverage-4-dashboard-after-liaison")

"""A citizen registers for a carnival session on a phone and gets a QR ticket; the same phone is
refused; staff check the citizen in at the door by typing the ticket code. Real Chromium, the
whole platform behind the gateway."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

PHONE = "13912345678"


def carnival_session_starting_soon(platform: Any) -> tuple[str, str]:
    """A carnival part with a session whose door opens now (check-in starts an hour before)."""
    tag = uuid.uuid4().hex[:8]
    carnival, part, session = f"browser-carnival-{tag}", f"browser-garden-{tag}", f"browser-garden-{tag}-1"
    now = datetime.now(UTC)
    headers = {"Authorization": f"Bearer {platform.token()}"}
    api = f"{platform.url}/events-public"
    with httpx.Client(timeout=30) as client:
        for body in (
            {"activity_id": carnival, "kind": "science_carnival", "title": "夜间科技嘉年华",
             "daily_limit_per_phone": 3},
            {"activity_id": part, "kind": "tech_garden_tour", "title": "夜游科技长廊", "place": "园区科技长廊",
             "summary": "跟随讲解员夜游园区科技长廊。", "carnival_id": carnival},
        ):
            r = client.post(f"{api}/staff/activities", json=body, headers=headers)
            assert r.status_code == 201, r.text
        r = client.post(f"{api}/staff/sessions", headers=headers, json={
            "session_id": session, "activity_id": part,
            "starts_at": (now + timedelta(minutes=20)).isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat(), "place": "科技长廊东门", "capacity": 30,
            "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (now + timedelta(minutes=15)).isoformat()})
        assert r.status_code == 201, r.text
        assert client.get(f"{api}/catalogue", params={"after": r.json()["position"]}).status_code == 200
    return part, session


def test_a_citizen_registers_on_a_phone_and_staff_check_them_in(
    platform: Any, new_page: Any, screenshot: Any, sign_in: Any,
) -> None:
    part, session = carnival_session_starting_soon(platform)

    phone = new_page("phone")
    phone.goto(f"{platform.url}/events-public/")
    assert phone.locator("h1").first.inner_text() == "近期活动"
    screenshot(phone, "events-public-list-phone")
    phone.locator(f'a[href$="/ui/public/activities/{part}"]').first.click()
    assert "剩余名额 30" in phone.locator("main").inner_text()
    phone.locator(f'a[href$="/ui/public/sessions/{session}"]').click()

    phone.fill("#f-name", "王小明")
    phone.fill("#f-phone", PHONE)
    phone.fill("#f-adults", "1")
    phone.fill("#f-children_ages", "9")
    phone.check("#f-consent")
    # A carnival session: the page's own script fetches a proof-of-work challenge, solves it with
    # crypto.subtle and only then sends the form.
    with phone.expect_navigation(timeout=60_000):
        phone.get_by_role("button", name="提交报名").click()
    assert "报名成功" in phone.locator("main").inner_text()
    code = phone.locator("#ticket-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    qr = phone.locator("main img").first
    qr.scroll_into_view_if_needed()
    assert phone.evaluate("img => img.complete && img.naturalWidth > 100", qr.element_handle())
    assert phone.get_by_role("link", name="保存为图片").get_attribute("download") == f"红色园区-{code}.png"
    screenshot(phone, "events-public-ticket-phone")

    phone.goto(f"{platform.url}/events-public/ui/public/sessions/{session}")
    # On a plain-HTTP intranet address crypto.subtle is missing; the script's own SHA-256 stands in.
    assert phone.evaluate("window.redparkProofOfWork.sha256Hex('abc')") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    phone.fill("#f-name", "王小明")
    phone.fill("#f-phone", "139 1234 5678")  # the same number, written differently
    phone.check("#f-consent")
    with phone.expect_navigation(timeout=60_000):
        phone.get_by_role("button", name="提交报名").click()
    beside = phone.locator("#e-phone")
    assert beside.inner_text() == "该手机号已报名本场次，每个手机号每场限报一次。"
    assert phone.locator(".field.invalid #f-phone").count() == 1
    screenshot(phone, "events-public-same-phone-refused")

    # A staff laptop watches the session page: its counts refresh by themselves.
    laptop = new_page("laptop")
    sign_in(laptop, ["events_officer"], next_path=f"/events-public/ui/sessions/{session}")
    assert laptop.locator("#checked-in-count").inner_text() == "0"

    desk = new_page("phone")
    sign_in(desk, ["events_officer"], next_path=f"/events-public/ui/sessions/{session}/check-in")
    assert desk.url.endswith(f"/events-public/ui/sessions/{session}/check-in")
    before = int(desk.locator("#checked-in-count").inner_text())
    assert before == 0
    desk.fill("#f-ticket_code", code.replace("-", "").lower())
    desk.get_by_role("button", name="签到", exact=True).click()
    desk.wait_for_load_state()
    assert desk.locator("#checkin-result strong").inner_text() == "签到成功"
    assert int(desk.locator("#checked-in-count").inner_text()) == before + 2  # the child counts too
    screenshot(desk, "events-public-check-in-success")

    desk.fill("#f-ticket_code", code)
    desk.get_by_role("button", name="签到", exact=True).click()
    desk.wait_for_load_state()
    assert desk.locator("#checkin-result strong").inner_text() == "已签到过"

    # No camera in a headless browser: the vendored decoder reads the ticket's own QR image instead.
    desk.wait_for_function("() => typeof window.jsQR === 'function'")
    decoded = desk.evaluate("""async (src) => {
        const image = new Image(); image.src = src; await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
        const context = canvas.getContext("2d"); context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
        const found = window.jsQR(pixels.data, pixels.width, pixels.height);
        return found && found.data;
    }""", f"{platform.url}/events-public/sessions/{session}/tickets/{code}/qr.png")
    assert decoded == f"REDPARK-TICKET:{session}:{code.replace('-', '')}"

    laptop.wait_for_function("() => document.querySelector('#checked-in-count').textContent.trim() === '2'",
                             timeout=15_000)  # no reload: the page polls /ui/counts
    laptop.reload()
    assert "签到" in laptop.locator(".history").inner_text()
    screenshot(laptop, "events-public-session-staff")

"""The park's dashboard at the gateway: every service's `GET /dashboard`, side by side.

Two stand-in services run on loopback as `up` runs a real one: one answers a `Dashboard` (and
checks it was asked with the signed-in person's token), the other fails in several ways (an
error, no dashboard yet, too slow). The page must show the first's tiles and charts and a calm
card for each of the others; a real Chromium draws it at a laptop's and a phone's width.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redpark_platform.accounts import AccountStore
from redpark_platform.servers import LOOPBACK, free_port
from redpark_platform.web.auth import SESSION_COOKIE

ROOT = Path(__file__).resolve().parents[1]
GATEWAY = ROOT / "deploy" / "local" / "gateway.py"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SECRET = "dashboard-test-secret-" + "x" * 32
PASSWORD = "admin-password-1"

STANDINS = textwrap.dedent('''
    import asyncio, os
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse, Response
    import msgspec
    from redpark_platform.console.dashboard import Chart, Dashboard, Series, Tile
    from redpark_platform.web.auth import decode_token

    healthy = FastAPI()
    broken = FastAPI()

    @healthy.get("/readyz")
    @broken.get("/readyz")
    def readyz():
        return {"status": "ready"}

    @healthy.get("/dashboard")
    def dashboard(request: Request):
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            who = decode_token(os.environ["SECRET"], token)
        except Exception:
            return JSONResponse({"status": 401}, status_code=401)
        board = Dashboard(
            service="organization", title="组织建设", title_en="Organization",
            tiles=[
                Tile(key="coverage", label="党组织覆盖率", label_en="Coverage", value="84.4%",
                     note="54 / 64 家企业", tone="ok", href="/ui/grid"),
                Tile(key="members", label="党员人数", label_en="Members", value="312", note=who.name),
                Tile(key="transfers", label="待办转接", label_en="Transfers pending", value="3", tone="warn",
                     href="/ui/transfers"),
                Tile(key="arrears", label="欠缴党费", label_en="Dues in arrears", value="7", tone="bad"),
            ],
            charts=[
                Chart(key="coverage-trend", title="覆盖率走势", title_en="Coverage trend", kind="line",
                      labels=["6月", "7月", "8月", "9月", "10月", "11月"],
                      series=[Series(label="覆盖率", data=[71.5, 74.0, 77.2, 80.1, 82.8, 84.4])], unit="%"),
                Chart(key="members-by-branch", title="各支部党员", title_en="Members by branch", kind="bar",
                      labels=["第一支部", "第二支部", "联合支部</script>"],
                      series=[Series(label="正式党员", data=[40, 31, 25]), Series(label="预备党员", data=[4, 2, 6])]),
                Chart(key="kinds", title="组织形式", title_en="Kinds", kind="doughnut",
                      labels=["单独组建", "联合组建", "未覆盖"], series=[Series(label="企业", data=[38, 16, 10])]),
            ],
        )
        return Response(msgspec.json.encode(board), media_type="application/json")

    scrapes = {"count": 0}

    @healthy.get("/metrics")
    def metrics():
        # Each scrape finds 100 more requests, 5 of them failed: a 5% error rate over any window.
        scrapes["count"] += 1
        done = 100 * scrapes["count"]
        text = "\\n".join([
            "# TYPE redpark_http_request_duration_seconds histogram",
            f'redpark_http_request_duration_seconds_count{{route="/x",method="GET",status="200"}} {done * 0.95}',
            f'redpark_http_request_duration_seconds_count{{route="/x",method="POST",status="503"}} {done * 0.05}',
            "# TYPE redpark_relay_backlog_events gauge", "redpark_relay_backlog_events 7",
            "# TYPE redpark_relay_lag_seconds gauge", "redpark_relay_lag_seconds 1.5",
            "# TYPE redpark_projection_lag_seconds gauge",
            'redpark_projection_lag_seconds{read_model="org_coverage",source="organization"} 42.0',
            "# TYPE redpark_dead_letters gauge", 'redpark_dead_letters{read_model="org_coverage"} 2',
            "# TYPE redpark_inbox_deliveries gauge", 'redpark_inbox_deliveries{system="property",status="parked"} 1',
        ]) + "\\n"
        return Response(text, media_type="text/plain; version=0.0.4")

    @broken.get("/metrics")
    def no_metrics():
        raise RuntimeError("the metrics are broken too")

    @broken.get("/dashboard")
    def failing():
        raise RuntimeError("the database is down")

    @broken.get("/closed/dashboard")
    def closed():
        return JSONResponse({"status": 403}, status_code=403)

    @broken.get("/slow/dashboard")
    async def slow():
        await asyncio.sleep(10)
        return {}
''')


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"process for {url} exited with {proc.returncode}"
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(url)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dashboard")
    (folder / "standins.py").write_text(STANDINS)
    AccountStore(folder / "accounts.json").add("admin", PASSWORD, ["park_admin"], name="园区党总支")
    AccountStore(folder / "accounts.json").add("officer", PASSWORD, ["events_officer"], name="活动专员")
    env = dict(os.environ, SECRET=SECRET)
    procs: list[subprocess.Popen[bytes]] = []
    urls = {}
    try:
        for app in ("healthy", "broken"):
            port = free_port()
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", f"standins:{app}", "--app-dir", str(folder),
                 "--host", LOOPBACK, "--port", str(port), "--log-level", "critical"],
                env=env, stdin=subprocess.DEVNULL))
            urls[app] = f"http://{LOOPBACK}:{port}"
            wait_http(urls[app] + "/readyz", procs[-1])
        routes = [
            {"name": "organization", "title": "组织建设", "url": urls["healthy"]},
            {"name": "education", "title": "党员教育", "url": urls["broken"]},
            {"name": "events-public", "title": "公共活动", "url": urls["broken"] + "/slow"},
            {"name": "enterprise-support", "title": "企业服务", "url": urls["healthy"] + "/nothing"},
            {"name": "closed", "title": "不对外", "url": urls["broken"] + "/closed"},
        ]
        port = free_port()
        procs.append(subprocess.Popen(
            [sys.executable, str(GATEWAY), "--host", LOOPBACK, "--port", str(port)],
            env=dict(os.environ, REDPARK_GATEWAY_SERVICES=json.dumps(routes), REDPARK_JWT_SECRET=SECRET,
                     REDPARK_DATA_DIR=str(folder)),
            stdin=subprocess.DEVNULL))
        base = f"http://{LOOPBACK}:{port}"
        wait_http(base + "/healthz", procs[-1])
        yield base
    finally:
        for proc in reversed(procs):
            stop(proc)


def session(gateway: str, username: str = "admin") -> str:
    response = httpx.post(gateway + "/login", data={"username": username, "password": PASSWORD},
                          headers={"origin": gateway})
    assert response.status_code == 303
    return response.cookies[SESSION_COOKIE]


@pytest.fixture(scope="module")
def dashboard(gateway: str) -> tuple[str, float]:
    started = time.monotonic()
    page = httpx.get(gateway + "/", cookies={SESSION_COOKIE: session(gateway)}, timeout=20)
    assert page.status_code == 200
    return page.text, time.monotonic() - started


def test_the_tiles_of_a_service_show_with_links_to_its_work_pages(dashboard: tuple[str, float]) -> None:
    page, _ = dashboard
    assert "园区概况" in page
    organization = page.split('id="service-organization"')[1].split("</section>")[0]
    assert "党组织覆盖率" in organization and "84.4%" in organization and "54 / 64 家企业" in organization
    assert '<a class="tile ok" href="/organization/ui/grid">' in organization
    assert '<a class="tile warn" href="/organization/ui/transfers">' in organization
    assert '<div class="tile bad"' in organization and "欠缴党费" in organization
    # The service saw the signed-in person's token: it put the name it decoded into a tile.
    assert "园区党总支" in organization


def test_the_charts_data_is_embedded_as_json_for_chart_js(dashboard: tuple[str, float]) -> None:
    page, _ = dashboard
    raw = re.search(r'<script type="application/json" id="dashboard-charts">(.*?)</script>', page, re.DOTALL)
    assert raw is not None
    specs = {spec["id"]: spec for spec in json.loads(raw.group(1))}
    trend = specs["chart-organization-coverage-trend"]
    assert trend["kind"] == "line" and trend["unit"] == "%"
    assert trend["labels"][-1] == "11月" and trend["series"][0]["data"] == [71.5, 74.0, 77.2, 80.1, 82.8, 84.4]
    by_branch = specs["chart-organization-members-by-branch"]
    assert [s["label"] for s in by_branch["series"]] == ["正式党员", "预备党员"]
    assert by_branch["labels"][2] == "联合支部</script>"  # escaped in the page, whole after parsing
    assert 'id="chart-organization-kinds"' in page
    assert '/static/console/vendor/chart.umd.min.js' in page


def test_a_failing_slow_or_silent_service_gets_a_calm_card_not_an_error(dashboard: tuple[str, float]) -> None:
    page, elapsed = dashboard
    for name in ("education", "events-public"):
        card = page.split(f'id="service-{name}"')[1].split("</section>")[0]
        assert "暂时无法获取" in card
    no_board = page.split('id="service-enterprise-support"')[1].split("</section>")[0]
    assert "该服务尚未提供仪表盘" in no_board
    closed = page.split('id="service-closed"')[1].split("</section>")[0]
    assert "你的账号无权查看这部分数据" in closed
    assert elapsed < 8, "the slow service is asked with a 3 s limit, in parallel with the others"


def test_the_dashboard_speaks_english_on_request(gateway: str) -> None:
    page = httpx.get(gateway + "/?lang=en", cookies={SESSION_COOKIE: session(gateway)}, timeout=20).text
    assert "How the park is doing" in page and "Coverage" in page and "Not available right now" in page


def test_nobody_signed_in_gets_the_two_doors_and_the_services_page_keeps_the_list(gateway: str) -> None:
    landing = httpx.get(gateway + "/").text
    assert '<a class="door" href="/events-public/">' in landing and "公众活动报名" in landing
    assert '<a class="door staff" href="/login">' in landing and "工作人员登录" in landing
    assert "园区概况" not in landing
    services = httpx.get(gateway + "/services").text
    assert '<a href="/organization/docs">接口文档</a>' in services and "就绪" in services


def test_the_gateway_serves_the_vendored_chart_js(gateway: str) -> None:
    script = httpx.get(gateway + "/static/console/vendor/chart.umd.min.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert script.text.startswith("/*!\n * Chart.js v4.")


def test_the_dashboard_draws_in_chromium_on_a_laptop_and_a_phone(gateway: str) -> None:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    token = session(gateway)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            for width, height in ((1280, 900), (390, 844)):
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
                context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": gateway}])
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error, seen=errors: seen.append(str(error)))
                page.goto(gateway + "/", wait_until="networkidle", timeout=30_000)
                drawn = page.evaluate(
                    "() => [...document.querySelectorAll('canvas')]"
                    ".map(c => !!Chart.getChart(c) && c.width > 0)")
                assert drawn == [True, True, True]
                widest = page.evaluate("() => document.documentElement.scrollWidth")
                assert widest <= width, f"the page scrolls sideways at {width}px ({widest}px wide)"
                assert errors == []
                path = SCREENSHOTS / f"gateway-dashboard-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                assert path.stat().st_size > 10_000
                context.close()
        finally:
            browser.close()


def test_a_park_admin_sees_the_operations_card_read_from_the_services_metrics(dashboard: tuple[str, float]) -> None:
    page, _ = dashboard
    card = page.split('id="operations"')[1].split("</section>")[0]
    tiles = dict(re.findall(r'<span class="tile-label">(.*?)</span>\s*<strong class="tile-value">(.*?)</strong>', card))
    assert tiles == {"待发布事件": "7", "最慢读模型延迟": "42.0 s", "死信": "2", "搁置的投递": "1",
                     "近一小时错误率": "5.00%"}
    assert "organization / org_coverage" in card
    assert '<div class="tile bad"' in card  # a dead letter and a lag over the alert's 30 s are bad news
    assert "未能读取指标" in card and "education" in card  # its /metrics failed: said, not hidden


def test_the_operations_card_is_the_park_admins_only_and_metrics_stay_off_the_public_edge(gateway: str) -> None:
    page = httpx.get(gateway + "/", cookies={SESSION_COOKIE: session(gateway, "officer")}, timeout=20).text
    assert "园区概况" in page and 'id="operations"' not in page
    english = httpx.get(gateway + "/?lang=en", cookies={SESSION_COOKIE: session(gateway)}, timeout=20).text
    assert "Platform operations" in english and "Slowest read model&#39;s lag" in english
    for path in ("/organization/metrics", "/organization/metrics/", "/education/metrics"):
        assert httpx.get(gateway + path).status_code == 404

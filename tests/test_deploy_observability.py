"""What a park's IT installs, checked against a running platform after a demo day.

`up` starts the whole platform with its demo data (the property and recruitment simulators too), as a
user runs it. Then every service's `/metrics` is scraped and each metric of issue 25 must be there
with a sensible value; the alert rules, the Grafana dashboard and the Kubernetes objects in
deploy/observability/ must parse and name only metrics those scrapes hold; the targets file made
from run.json must point Prometheus at exactly those ports; the gateway keeps `/metrics` off the
public edge; and the park admin's dashboard shows the operations card from the same figures.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from redpark_platform.operations import Samples, read_exposition
from redpark_platform.testkit import eventually
from redpark_platform.web.auth import SESSION_COOKIE, mint_token

ROOT = Path(__file__).resolve().parents[1]
REDPARK = ROOT / "deploy" / "redpark.py"
OBSERVABILITY = ROOT / "deploy" / "observability"
START_TIMEOUT_S = float(os.environ.get("REDPARK_BROWSER_START_TIMEOUT", "420"))
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# Issue 25's list, by the sample names Prometheus stores (a histogram's _count, a counter's _total).
EVERY_SERVICE = (
    "redpark_http_request_duration_seconds_bucket", "redpark_http_request_duration_seconds_count",
    "redpark_http_request_duration_seconds_sum", "redpark_events_appended_total", "redpark_relay_backlog_events",
    "redpark_relay_lag_seconds", "redpark_projection_lag_seconds", "redpark_projection_position",
    "redpark_dead_letters", "redpark_parked_messages", "redpark_service_ready",
)
WITH_WEBHOOKS = {"organization": "property", "enterprise-support": "recruitment"}
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("observability") / "redpark"
    log = data.parent / "up.out"
    env = dict(os.environ, REDPARK_NO_INSTALL="1")
    for key in [k for k in env if k == "REDPARK_NATS_URL" or k.endswith("_DATABASE_URL")]:
        del env[key]  # these would switch `up` to external servers
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, str(REDPARK), "up", "--data", str(data)], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    state: dict[str, Any] = {}
    try:
        run_file = data / "run.json"
        deadline = time.monotonic() + START_TIMEOUT_S
        while not run_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the platform did not start:\n" + log.read_text(errors="replace")[-4000:], pytrace=False)
            time.sleep(0.3)
        state = json.loads(run_file.read_text())
        yield {**state, "data": data}
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid in state.get("pids", {}).values():  # whatever a crash left, by the pids `up` reported
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def scrape(url: str) -> Samples:
    response = httpx.get(url + "/metrics", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert not MOBILE.search(response.text), "a phone number in a label"
    return read_exposition(response.text)


def values(samples: Samples, name: str, **labels: str) -> list[float]:
    return [v for seen, v in samples.get(name, []) if all(seen.get(k) == want for k, want in labels.items())]


@pytest.fixture(scope="module")
def scrapes(platform: dict[str, Any]) -> dict[str, Samples]:
    """Every service's /metrics once the demo day has settled: relays and read models caught up."""
    assert sorted(platform["services"]) == SERVICES

    async def settled() -> dict[str, Samples]:
        found = {name: scrape(url) for name, url in platform["services"].items()}
        for name, samples in found.items():
            assert values(samples, "redpark_relay_backlog_events") == [0], name
            assert max(values(samples, "redpark_projection_lag_seconds")) < 30, name
        return found

    import asyncio

    return asyncio.run(eventually(settled, timeout=120, interval=1))


def test_every_service_has_each_metric_with_sensible_values_after_a_demo_day(scrapes: dict[str, Samples]) -> None:
    for name, samples in scrapes.items():
        missing = [metric for metric in EVERY_SERVICE if metric not in samples]
        assert not missing, f"{name} lacks {missing}"
        requests = samples["redpark_http_request_duration_seconds_count"]
        assert sum(v for _, v in requests) > 0, f"{name}: the demo data went in over HTTP"
        routes = {labels["route"] for labels, _ in requests}
        assert "/readyz" in routes and all(r.startswith("/") or r == "<unmatched>" for r in routes), routes
        assert all(labels["status"].isdigit() for labels, _ in requests)
        appended = {labels["category"]: v for labels, v in samples["redpark_events_appended_total"]}
        assert appended and all(v > 0 for v in appended.values()), f"{name}: {appended}"
        assert values(samples, "redpark_relay_lag_seconds") == [0]
        positions = {(labels["read_model"], labels["source"]): v for labels, v in samples["redpark_projection_position"]}
        own = [v for (_, source), v in positions.items() if source == name]
        assert own and max(own) > 0, f"{name}: its read models applied its demo events: {positions}"
        assert {labels["read_model"] for labels, _ in samples["redpark_dead_letters"]} == {m for m, _ in positions}
        assert set(values(samples, "redpark_dead_letters")) == {0}, f"{name}: a demo event was dead-lettered"
        assert set(values(samples, "redpark_parked_messages")) == {0}
        assert values(samples, "redpark_service_ready") == [1]
        assert {labels.get("service_name") for labels, _ in requests} == {name}


def test_webhook_deliveries_and_rate_limits_are_counted_where_the_service_has_them(
    scrapes: dict[str, Samples],
) -> None:
    for name, system in WITH_WEBHOOKS.items():
        samples = scrapes[name]
        statuses = {labels["status"]: v for labels, v in samples["redpark_inbox_deliveries"]
                    if labels["system"] == system}
        assert set(statuses) == {"pending", "applied", "parked", "rejected"}
        assert statuses["applied"] > 0, f"{name}: the {system} simulator's deliveries were applied"
        assert statuses["parked"] == 0
        outbound = samples["redpark_outbound_deliveries"]
        assert outbound and {labels["status"] for labels, _ in outbound} >= {"pending", "delivered", "failed"}
    limits = {labels["limit"] for labels, _ in scrapes["events-public"]["redpark_rate_limited_total"]}
    assert "events-public.registration" in limits, limits
    for name in ("education",):
        assert "redpark_inbox_deliveries" not in scrapes[name]  # no inbound system: no made-up series
    # `up` gives every service its SMS, SMTP and WeCom stand-ins: each channel, each status, in each
    # (education and enterprise-support send only the staff alerts, yet configure every channel).
    for name in SERVICES:
        outbox = {(labels["channel"], labels["status"]) for labels, _ in scrapes[name]["redpark_notifications"]}
        assert {("sms", "failed"), ("sms", "sent"), ("wecom", "pending")} <= outbox, f"{name}: {outbox}"


def promql_metrics(expr: str) -> set[str]:
    return set(re.findall(r"\b(redpark_[a-z0-9_]+|up)\b(?=\s*[{\[)\s]|$)", expr))


def test_alert_rules_and_the_dashboard_name_only_metrics_the_platform_serves(scrapes: dict[str, Samples]) -> None:
    served = {name for samples in scrapes.values() for name in samples} | {"up"}  # up: Prometheus' own
    rules = yaml.safe_load((OBSERVABILITY / "rules.yml").read_text())
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"]}
    assert set(alerts) == {"RedparkRelayBacklogGrowing", "RedparkProjectionLagging", "RedparkDeadLetters",
                           "RedparkParkedMessages", "RedparkParkedWebhooks", "RedparkErrorRate",
                           "RedparkServiceNotReady", "RedparkServiceDown", "RedparkNotificationsFailed"}
    assert "> 30" in alerts["RedparkProjectionLagging"]["expr"] and "0.01" in alerts["RedparkErrorRate"]["expr"]
    named = {m for r in alerts.values() for m in promql_metrics(r["expr"])}
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    panels = dashboard["panels"]
    in_panels = {m for p in panels for t in p["targets"] for m in promql_metrics(t["expr"])}
    assert all(p["targets"] and p["title"] for p in panels)
    assert {"redpark_relay_backlog_events", "redpark_projection_lag_seconds", "redpark_dead_letters",
            "redpark_parked_messages", "redpark_http_request_duration_seconds_count",
            "redpark_notifications"} <= in_panels
    for where, metrics in (("rules.yml", named), ("grafana-dashboard.json", in_panels)):
        assert metrics and not metrics - served, f"{where} names metrics no service serves: {metrics - served}"
    for expr in [r["expr"] for r in alerts.values()] + [t["expr"] for p in panels for t in p["targets"]]:
        assert expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}"), expr


def test_the_kubernetes_objects_and_the_prometheus_config_parse_and_agree_with_the_rules() -> None:
    config = yaml.safe_load((OBSERVABILITY / "prometheus.yml").read_text())
    assert config["rule_files"] == ["rules.yml"]
    (job,) = config["scrape_configs"]
    assert job["job_name"] == "redpark" and job["metrics_path"] == "/metrics"
    monitors = list(yaml.safe_load_all((OBSERVABILITY / "kubernetes" / "servicemonitors.yaml").read_text()))
    assert all(m["kind"] == "ServiceMonitor" and m["apiVersion"] == "monitoring.coreos.com/v1" for m in monitors)
    assert sorted(m["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] for m in monitors) == [
        f"redpark-{name}" for name in SERVICES]
    assert {e["path"] for m in monitors for e in m["spec"]["endpoints"]} == {"/metrics"}
    rule = yaml.safe_load((OBSERVABILITY / "kubernetes" / "prometheusrule.yaml").read_text())
    assert rule["kind"] == "PrometheusRule"
    assert rule["spec"]["groups"] == yaml.safe_load((OBSERVABILITY / "rules.yml").read_text())["groups"]


def test_the_targets_file_points_prometheus_at_every_services_metrics(
    platform: dict[str, Any], tmp_path: Path,
) -> None:
    out = tmp_path / "targets" / "redpark.json"
    subprocess.run([sys.executable, str(OBSERVABILITY / "targets.py"), "--run-file",
                    str(platform["data"] / "run.json"), "--out", str(out)], check=True, capture_output=True)
    listed = json.loads(out.read_text())
    assert sorted(t["labels"]["service"] for t in listed) == SERVICES
    for target in listed:
        (address,) = target["targets"]
        assert httpx.get(f"http://{address}/metrics", timeout=10).status_code == 200


def test_the_gateway_keeps_metrics_off_the_public_edge(platform: dict[str, Any]) -> None:
    for name in SERVICES:
        assert httpx.get(f"{platform['gateway']}/{name}/metrics", timeout=10).status_code == 404


def test_the_park_admin_sees_the_operations_card_from_the_same_metrics(platform: dict[str, Any]) -> None:
    secret = os.environ.get("REDPARK_JWT_SECRET") or (platform["data"] / "jwt.key").read_text().strip()
    admin = mint_token(secret, "ops-test", ["park_admin"], name="运维测试")
    page = httpx.get(platform["gateway"] + "/", cookies={SESSION_COOKIE: admin}, timeout=30).text
    card = page.split('id="operations"')[1].split("</section>")[0]
    tiles = dict(re.findall(r'<span class="tile-label">(.*?)</span>\s*<strong class="tile-value">(.*?)</strong>', card))
    assert tiles["待发布事件"] == "0" and tiles["死信"] == "0" and tiles["搁置的投递"] == "0"
    assert tiles["最慢读模型延迟"].endswith(" s") and float(tiles["最慢读模型延迟"].split()[0]) < 30
    assert tiles["近一小时错误率"].endswith("%") or tiles["近一小时错误率"] == "—"
    assert "未能读取指标" not in card
    officer = mint_token(secret, "ops-test", ["events_officer"], name="活动专员")
    assert 'id="operations"' not in httpx.get(platform["gateway"] + "/", cookies={SESSION_COOKIE: officer},
                                              timeout=30).text

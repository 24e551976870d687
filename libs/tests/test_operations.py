"""The operations card's figures from the services' own /metrics (pure: expositions in, tiles out)."""

from __future__ import annotations

from redpark_platform.operations import ErrorWindow, read_exposition, summarise, tiles


def exposition(*, requests: int = 0, errors: int = 0, backlog: int = 0, relay_lag: float = 0.0,
               lags: dict[str, float] | None = None, dead: int = 0, parked_in: int = 0, failed_out: int = 0) -> str:
    lines = [
        "# TYPE redpark_http_request_duration_seconds histogram",
        f'redpark_http_request_duration_seconds_count{{route="/x",method="GET",status="200"}} {requests - errors}',
        f'redpark_http_request_duration_seconds_count{{route="/x",method="POST",status="500"}} {errors}',
        "# TYPE redpark_relay_backlog_events gauge", f"redpark_relay_backlog_events {backlog}",
        "# TYPE redpark_relay_lag_seconds gauge", f"redpark_relay_lag_seconds {relay_lag}",
        "# TYPE redpark_projection_lag_seconds gauge",
        *(f'redpark_projection_lag_seconds{{read_model="{m}",source="s"}} {v}' for m, v in (lags or {}).items()),
        "# TYPE redpark_dead_letters gauge", f'redpark_dead_letters{{read_model="m"}} {dead}',
        "# TYPE redpark_inbox_deliveries gauge",
        f'redpark_inbox_deliveries{{system="property",status="parked"}} {parked_in}',
        'redpark_inbox_deliveries{system="property",status="applied"} 40',
        "# TYPE redpark_outbound_deliveries gauge",
        f'redpark_outbound_deliveries{{topic="venue",status="failed"}} {failed_out}',
    ]
    return "\n".join(lines) + "\n"


def test_the_error_rate_is_the_increase_over_the_last_hour_across_a_restart() -> None:
    window = ErrorWindow()
    window.add("org", read_exposition(exposition(requests=500, errors=400)), at=0)  # before the hour: not counted
    window.add("org", read_exposition(exposition(requests=1000, errors=900)), at=800)  # the last before the hour
    window.add("org", read_exposition(exposition(requests=1100, errors=900)), at=1000)
    window.add("org", read_exposition(exposition(requests=1300, errors=904)), at=3000)
    window.add("org", read_exposition(exposition(requests=50, errors=1)), at=4000)  # restarted: from zero
    requests, errors, covered = window.increase(at=4500)
    # Measured from the last sample before the hour began (as a minute's sampling allows).
    assert (requests, errors, covered) == (100 + 200 + 50, 0 + 4 + 1, 3600)


def test_the_card_sums_the_services_and_names_the_slowest_read_model() -> None:
    window = ErrorWindow()
    for at, (requests, errors) in enumerate([(0, 0), (1000, 20)]):
        window.add("org", read_exposition(exposition(requests=requests, errors=errors)), at=at * 60)
    scrapes = {
        "organization": read_exposition(exposition(requests=1000, errors=20, backlog=3, relay_lag=45.0,
                                                   lags={"org_coverage": 2.5, "org_assessment": 41.0},
                                                   parked_in=2)),
        "education": read_exposition(exposition(lags={"edu_lessons": 0.0}, dead=1, failed_out=1)),
        "events-public": None,
    }
    ops = summarise(scrapes, window, at=60)
    assert (ops.relay_backlog, ops.slowest_read_model, ops.slowest_lag_s) == (3, "organization / org_assessment", 41.0)
    assert (ops.dead_letters, ops.parked, ops.unreachable) == (1, 3, ("events-public",))
    assert ops.error_rate == 0.02
    shown = {t.key: t for t in tiles(ops)}
    assert [shown[k].tone for k in ("relay-backlog", "slowest-read-model", "dead-letters", "parked", "error-rate")] \
        == ["warn", "bad", "bad", "bad", "bad"]
    assert shown["error-rate"].value == "2.00%" and "（近 1 分钟）" in shown["error-rate"].note
    assert shown["slowest-read-model"].value == "41.0 s"
    english = {t.key: t for t in tiles(ops, "en")}
    assert english["parked"].note == "inbound 2 · outbound failed 1 · messages 0"


def test_a_quiet_healthy_platform_is_all_ok_and_says_there_were_no_requests() -> None:
    ops = summarise({"organization": read_exposition(exposition(lags={"org_coverage": 0.0}))}, ErrorWindow(), at=0)
    shown = {t.key: t for t in tiles(ops)}
    assert shown["error-rate"].value == "—" and shown["error-rate"].note == "暂无请求"
    assert {shown[k].tone for k in ("relay-backlog", "slowest-read-model", "dead-letters", "parked")} == {"ok"}

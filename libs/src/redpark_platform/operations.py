"""The park dashboard's operations card: the services' own `/metrics`, read as Prometheus reads them.

On one machine there is no Prometheus, so the gateway scrapes every service itself (for the card,
and once a minute for the error rate's window) and this module turns those scrapes into five
figures: the relay backlog, the slowest read model's lag, dead letters, parked deliveries and the
error rate of the last hour. Pure functions and a window of samples: no I/O here.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families

from .console.dashboard import Tile, Tone

WINDOW_S = 3600.0
SLOW_READ_MODEL_S = 30.0  # the alert rule's threshold (deploy/observability/rules.yml)
ERROR_RATE_LIMIT = 0.01

Samples = dict[str, list[tuple[dict[str, str], float]]]


def read_exposition(text: str) -> Samples:
    """Every sample of a Prometheus text exposition, by sample name (`..._count`, `..._total`)."""
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((dict(sample.labels), float(sample.value)))
    return found


def _sum(samples: Samples, name: str, **labels: str) -> float:
    return sum(v for seen, v in samples.get(name, []) if all(seen.get(k) == want for k, want in labels.items()))


def request_counts(samples: Samples) -> tuple[float, float]:
    """(requests, of which answered 5xx) since the service started."""
    counts = samples.get("redpark_http_request_duration_seconds_count", [])
    return (sum(v for _, v in counts), sum(v for labels, v in counts if labels.get("status", "").startswith("5")))


@dataclass
class ErrorWindow:
    """Request and 5xx counters of each service sampled over time; the increase over the last hour
    is summed sample to sample, a counter that went down (a restart) counting from zero."""

    span_s: float = WINDOW_S
    _samples: dict[str, deque[tuple[float, float, float]]] = field(default_factory=dict)

    def add(self, service: str, samples: Samples, at: float | None = None) -> None:
        now = time.monotonic() if at is None else at
        total, errors = request_counts(samples)
        seen = self._samples.setdefault(service, deque())
        seen.append((now, total, errors))
        # Keep one sample older than the window: the increase is measured from it.
        while len(seen) > 2 and seen[1][0] <= now - self.span_s:
            seen.popleft()

    def increase(self, at: float | None = None) -> tuple[float, float, float]:
        """(requests, 5xx, seconds covered) over the last hour, summed over the services."""
        now = time.monotonic() if at is None else at
        total = errors = covered = 0.0
        for seen in self._samples.values():
            points = list(seen)
            for (_t0, total0, errors0), (t1, total1, errors1) in zip(points, points[1:], strict=False):
                if t1 <= now - self.span_s:
                    continue
                total += total1 - total0 if total1 >= total0 else total1
                errors += errors1 - errors0 if errors1 >= errors0 else errors1
            if len(points) > 1:
                covered = max(covered, min(self.span_s, now - points[0][0]))
        return total, errors, covered


@dataclass(frozen=True)
class Operations:
    relay_backlog: int
    relay_lag_s: float
    slowest_lag_s: float
    slowest_read_model: str  # "service / read model", or "" when none reported
    dead_letters: int
    parked_webhooks: int  # inbound parked
    failed_outbound: int
    parked_messages: int
    requests: float
    errors: float
    window_s: float
    unreachable: tuple[str, ...] = ()

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.requests if self.requests else None

    @property
    def parked(self) -> int:
        return self.parked_webhooks + self.failed_outbound + self.parked_messages


def summarise(scrapes: Mapping[str, Samples | None], window: ErrorWindow, at: float | None = None) -> Operations:
    """The card's figures from the latest scrape of each service (None: it did not answer)."""
    backlog = dead = parked_in = failed_out = parked_msgs = 0
    relay_lag = slowest = 0.0
    slowest_name = ""
    for service, samples in scrapes.items():
        if samples is None:
            continue
        backlog += int(_sum(samples, "redpark_relay_backlog_events"))
        relay_lag = max([relay_lag, *(v for _, v in samples.get("redpark_relay_lag_seconds", []))])
        for labels, lag in samples.get("redpark_projection_lag_seconds", []):
            if lag > slowest or not slowest_name:
                slowest, slowest_name = lag, f"{service} / {labels.get('read_model', '')}"
        dead += int(_sum(samples, "redpark_dead_letters"))
        parked_msgs += int(_sum(samples, "redpark_parked_messages"))
        parked_in += int(_sum(samples, "redpark_inbox_deliveries", status="parked"))
        failed_out += int(_sum(samples, "redpark_outbound_deliveries", status="failed"))
    requests, errors, covered = window.increase(at)
    return Operations(
        relay_backlog=backlog, relay_lag_s=relay_lag, slowest_lag_s=slowest, slowest_read_model=slowest_name,
        dead_letters=dead, parked_webhooks=parked_in, failed_outbound=failed_out, parked_messages=parked_msgs,
        requests=requests, errors=errors, window_s=covered,
        unreachable=tuple(sorted(name for name, samples in scrapes.items() if samples is None)))


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 100 else f"{value / 60:.0f} min"


def tiles(ops: Operations, lang: str = "zh-CN") -> list[Tile]:
    """The card as dashboard tiles, coloured by the alert rules' thresholds; notes in `lang`."""
    en = lang == "en"
    backlog_tone: Tone = "ok" if not ops.relay_backlog else ("bad" if ops.relay_lag_s >= 300 else
                                                       "warn" if ops.relay_lag_s >= SLOW_READ_MODEL_S else "ok")
    rate = ops.error_rate
    minutes = max(1, round(ops.window_s / 60)) if ops.window_s else 0
    if rate is None:
        rate_note = "no requests yet" if en else "暂无请求"
    else:
        rate_note = (f"{int(ops.errors)} of {int(ops.requests)} requests" if en
                     else f"{int(ops.errors)} / {int(ops.requests)} 次请求")
        if minutes < 60:
            rate_note += f" (last {minutes} min)" if en else f"（近 {minutes} 分钟）"
    oldest = ""
    if ops.relay_backlog:
        oldest = f"oldest {_seconds(ops.relay_lag_s)}" if en else f"最久 {_seconds(ops.relay_lag_s)}"
    parked_note = (f"inbound {ops.parked_webhooks} · outbound failed {ops.failed_outbound} · messages "
                   f"{ops.parked_messages}" if en else
                   f"入站 {ops.parked_webhooks} · 出站失败 {ops.failed_outbound} · 消息 {ops.parked_messages}")
    return [
        Tile(key="relay-backlog", label="待发布事件", label_en="Relay backlog", value=f"{ops.relay_backlog:,}",
             note=oldest, tone=backlog_tone),
        Tile(key="slowest-read-model", label="最慢读模型延迟", label_en="Slowest read model's lag",
             value=_seconds(ops.slowest_lag_s), note=ops.slowest_read_model,
             tone="bad" if ops.slowest_lag_s > SLOW_READ_MODEL_S else "ok"),
        Tile(key="dead-letters", label="死信", label_en="Dead letters", value=str(ops.dead_letters),
             tone="bad" if ops.dead_letters else "ok"),
        Tile(key="parked", label="搁置的投递", label_en="Parked deliveries", value=str(ops.parked),
             note=parked_note, tone="bad" if ops.parked else "ok"),
        Tile(key="error-rate", label="近一小时错误率", label_en="Error rate, last hour",
             value="—" if rate is None else f"{rate:.2%}", note=rate_note,
             tone="" if rate is None else ("bad" if rate > ERROR_RATE_LIMIT else "ok")),
    ]

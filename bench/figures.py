"""What a benchmark reports: one JSON line per figure on stdout, everything else on stderr."""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    bench: str
    figure: str
    value: Any
    unit: str | None
    baseline: float | None = None
    target: str | None = None  # a note for stderr, not part of the JSON line

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0) or not isinstance(self.value, (int, float)):
            return None
        return round(self.value / self.baseline, 3)

    def line(self) -> str:
        return json.dumps({
            "bench": self.bench, "figure": self.figure, "value": self.value, "unit": self.unit,
            "baseline": self.baseline, "ratio": self.ratio,
        }, ensure_ascii=False)


def emit(figure: Figure) -> None:
    # stdout carries nothing but figure lines, so `python -m bench | jq` always works.
    print(figure.line(), file=sys.stdout, flush=True)


def note(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rate(value: float) -> float:
    """Events per second, rounded to what a run-to-run difference can tell apart."""
    if value >= 1000:
        return float(round(value, -1))
    return round(value, 1)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); exact for the sample, no interpolation."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]

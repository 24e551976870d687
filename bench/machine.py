"""The machine a run measured: CPU model, core count and memory, nothing that names the host."""

from __future__ import annotations

import os
from pathlib import Path

from .figures import Figure


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def figures() -> list[Figure]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        Figure("machine", "cpu", f"{_cpu_model()} x{cores}", None),
        Figure("machine", "memory", _memory_gib(), "GiB"),
        # The machine may be shared: a busy neighbour shows here and explains a noisy run.
        Figure("machine", "load_1min_at_start", round(os.getloadavg()[0], 2), None),
    ]

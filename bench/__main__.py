"""`python -m bench [--only append,relay,projection,rebuild] [--quick] [--profile]`

Starts a fresh durable PostgreSQL and NATS (JetStream, sync_interval always) in a temporary
folder, runs the selected benchmarks, prints one JSON line per figure on stdout, stops both.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path

from . import append, events_rush, machine, projection, rebuild, relay
from .figures import Figure, emit, note
from .rig import Rig

BENCHES: dict[str, Callable[[Rig, bool], Awaitable[list[Figure]]]] = {
    "append": append.run,
    "relay": relay.run,
    "projection": projection.run,
    "rebuild": rebuild.run,
    "events_rush": events_rush.run,
}


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHES),
                        help=f"comma-separated benchmarks to run (default: all of {','.join(BENCHES)})")
    parser.add_argument("--quick", action="store_true", help="smaller counts and one repetition: a smoke run")
    parser.add_argument("--profile", action="store_true",
                        help="profile each benchmark with cProfile and print the top functions on stderr")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in args.only if name not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    return args


def _report(fig: Figure) -> None:
    emit(fig)
    if fig.target:
        verdict = "" if fig.ratio is None else f" (ratio {fig.ratio})"
        note(f"  {fig.bench}/{fig.figure}: {fig.value} {fig.unit or ''}, target {fig.target}{verdict}")


async def _run(rig: Rig, args: argparse.Namespace) -> None:
    for name in args.only:
        started = time.monotonic()
        note(f"{name}: start")
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        try:
            figures = await BENCHES[name](rig, args.quick)
        finally:
            if profiler:
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
                print(out.getvalue(), file=sys.stderr)
        for fig in figures:
            _report(fig)
        note(f"{name}: done in {time.monotonic() - started:.1f}s")


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    started = time.monotonic()
    for fig in machine.figures():
        emit(fig)
    with tempfile.TemporaryDirectory(prefix="redpark-bench-") as folder:
        note("starting PostgreSQL (durable) and NATS (JetStream, sync_interval always)")
        rig = Rig(Path(folder)).start()
        try:
            asyncio.run(_run(rig, args))
        finally:
            rig.stop()
    note(f"all done in {time.monotonic() - started:.1f}s; 1-minute load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Prometheus targets for a platform started by `up`: its services' ports, from run.json.

Each start of `up` chooses free ports and writes them to `<data folder>/run.json`. This writes the
file_sd_configs file `prometheus.yml` reads (one target per service, labelled `service`), once or,
with `--watch`, again whenever run.json changes. Standard library only, like deploy/redpark.py.

    python3 deploy/observability/targets.py --run-file .redpark/run.json \\
        --out deploy/observability/targets/redpark.json [--watch]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from urllib.parse import urlsplit


def targets(run: dict[str, object]) -> list[dict[str, object]]:
    services = run.get("services")
    if not isinstance(services, dict):
        raise SystemExit("run.json has no services: is the platform started?")
    found = []
    for name, url in sorted(services.items()):
        parts = urlsplit(str(url))
        found.append({"targets": [parts.netloc], "labels": {"service": name}})
    return found


def write(run_file: Path, out: Path) -> None:
    listed = targets(json.loads(run_file.read_text()))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".tmp")  # written whole then renamed: Prometheus never reads half a file
    partial.write_text(json.dumps(listed, indent=2) + "\n")
    partial.replace(out)
    print(f"{out}: {', '.join(t['labels']['service'] + ' ' + t['targets'][0] for t in listed)}")  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--run-file", type=Path, default=Path(".redpark/run.json"))
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "targets" / "redpark.json")
    parser.add_argument("--watch", action="store_true", help="rewrite the targets whenever run.json changes")
    args = parser.parse_args()
    seen = None
    while True:
        try:
            stamp = args.run_file.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp is not None and stamp != seen:
            write(args.run_file, args.out)
            seen = stamp
        elif stamp is None and not args.watch:
            raise SystemExit(f"{args.run_file} not found: start the platform with `python3 deploy/redpark.py up`")
        if not args.watch:
            return
        time.sleep(2)


if __name__ == "__main__":
    main()

"""`redpark-privacy`: a person's erasure and own copy across every service, through their APIs.

    redpark-privacy erase --person m-001 --why person_request
    redpark-privacy erase --phone 13800138000 --why person_request     (the public, known by phone)
    redpark-privacy copy --person m-001 [--xlsx FOLDER]

It reads the gateway's address and the services from `<data>/run.json` (written by `up`) and signs
a short park_admin token with `<data>/jwt.key`; `--url` and `--key-file` name them otherwise. Each
service answers for itself: what it erased where, or that it holds nothing about the person.
The person's values are never printed: ids, table names and counts only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from redpark_contracts.privacy import ErasureReason

from .settings import DEFAULT_DATA_DIR
from .web.auth import load_or_create_key, mint_token

REASONS: tuple[str, ...] = ErasureReason.__args__  # type: ignore[attr-defined]
TIMEOUT_S = 30.0


def _target(args: argparse.Namespace) -> tuple[str, list[str]]:
    run = json.loads((args.data / "run.json").read_text()) if (args.data / "run.json").exists() else {}
    url = args.url or run.get("gateway")
    services = args.services.split(",") if args.services else sorted(run.get("services") or {})
    if not url or not services:
        raise SystemExit(f"redpark-privacy: no gateway address or services: start `up` or pass --url and --services "
                         f"(looked in {args.data / 'run.json'})")
    return url.rstrip("/"), services


def _token(args: argparse.Namespace) -> str:
    path = args.key_file or args.data / "jwt.key"
    if not path.exists():  # never make a key here: tokens signed by it would open nothing
        raise SystemExit(f"redpark-privacy: no signing key at {path}: pass --data or --key-file")
    key = load_or_create_key(path)
    return mint_token(key, "redpark-privacy", ["park_admin"], ttl=timedelta(minutes=10))


def _problem(r: httpx.Response) -> str:
    try:
        return str(r.json().get("code") or r.status_code)
    except ValueError:
        return str(r.status_code)


def erase(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    url, services = _target(args)
    body: dict[str, Any] = {"why": args.why}
    body.update({"phone": args.phone} if args.phone else {"subject_id": args.person})
    failed = False
    with httpx.Client(headers={"Authorization": f"Bearer {_token(args)}"}, timeout=TIMEOUT_S) as http:
        for service in services:
            r = http.post(f"{url}/{service}/privacy/erasures", json=body)
            if r.status_code == 200:
                for person in r.json()["people"]:
                    where = ", ".join(f"{e['where']} {e['rows']}" for e in person["erased"]) or "no read-model rows"
                    again = " (erased before)" if person["already_erased"] else ""
                    out(f"{service}: erased {person['subject_id']}{again}: key destroyed; {where}")
            elif r.status_code == 404 or _problem(r) == "privacy.phone_not_known_here":
                out(f"{service}: holds nothing about this person")
            else:
                failed = True
                out(f"{service}: FAILED ({_problem(r)})")
    return 1 if failed else 0


def copy(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    url, services = _target(args)
    copies: dict[str, Any] = {}
    failed = False
    with httpx.Client(headers={"Authorization": f"Bearer {_token(args)}"}, timeout=TIMEOUT_S) as http:
        for service in services:
            r = http.get(f"{url}/{service}/privacy/subjects/{args.person}")
            if r.status_code != 200:
                failed = True
                out(f"{service}: FAILED ({_problem(r)})")
                continue
            copies[service] = r.json()
            if args.xlsx:
                book = http.get(f"{url}/{service}/privacy/subjects/{args.person}/copy.xlsx")
                args.xlsx.mkdir(parents=True, exist_ok=True)
                target = args.xlsx / f"{args.person}-{service}.xlsx"
                target.write_bytes(book.content)
                target.chmod(0o600)
    if args.xlsx:
        out(f"workbooks written to {args.xlsx}")
    else:
        out(json.dumps(copies, ensure_ascii=False, indent=2))
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="redpark-privacy", description="Erase a person, or copy what is held "
                                     "about them, in every service of the platform.")
    parser.add_argument("--data", type=Path, default=Path(DEFAULT_DATA_DIR), help="the data folder `up` uses")
    parser.add_argument("--url", help="the gateway's address (default: from <data>/run.json)")
    parser.add_argument("--services", help="comma-separated services (default: every one in run.json)")
    parser.add_argument("--key-file", type=Path, help="the token signing key (default: <data>/jwt.key)")
    sub = parser.add_subparsers(dest="command", required=True)
    erasing = sub.add_parser("erase", help="destroy the person's key, purge the read models, record the erasure")
    who = erasing.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", help="the person's id (member, applicant, lecturer, registrant, ...)")
    who.add_argument("--phone", help="a public registrant's phone (events-public knows the public by phone)")
    erasing.add_argument("--why", required=True, choices=REASONS)
    copying = sub.add_parser("copy", help="everything every service holds about the person (JSON, or XLSX files)")
    copying.add_argument("--person", required=True)
    copying.add_argument("--xlsx", type=Path, help="write one workbook per service into this folder")
    args = parser.parse_args(argv)
    try:
        return erase(args, out) if args.command == "erase" else copy(args, out)
    except httpx.HTTPError as exc:
        print(f"redpark-privacy: {type(exc).__name__}: the platform did not answer", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

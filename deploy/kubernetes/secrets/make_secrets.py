#!/usr/bin/env python3
"""Print Red Park's Secrets with fresh random values, for `kubectl apply -n redpark -f -`.

Reads redpark-secrets.template.yaml beside this file and replaces every CHANGE-ME with a value of
its own: a URL-safe password (it goes into URLs unescaped), or a `whsec_` key for the webhook
secrets. Standard library only, so it runs before anything is installed. Nothing is written to
disk: pipe it to kubectl, and give each other system its webhook secret from the Secret afterwards.
"""

from __future__ import annotations

import base64
import re
import secrets
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "redpark-secrets.template.yaml"
PLACEHOLDER = re.compile(r"CHANGE-ME(-WHSEC)?")


def fresh(match: re.Match[str]) -> str:
    if match.group(1):
        # The Standard Webhooks form redpark_platform.inbox makes: "whsec_" + base64 of 32 bytes.
        return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(32)


def filled(template: str) -> str:
    return PLACEHOLDER.sub(fresh, template)


def main() -> int:
    sys.stdout.write(filled(TEMPLATE.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

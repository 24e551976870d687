"""The static checks of this service are part of the test command, so they stay clean: ruff
(libs' rule set: pycodestyle, pyflakes, bugbear, import order, pyupgrade) over src/, and mypy
(strict) over the deciders in domain/. The rules are in this service's pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SERVICE = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=SERVICE, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing_in_the_service() -> None:
    done = run("ruff", "check", "--no-cache", "src")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_the_deciders() -> None:
    done = run("mypy", "--config-file", "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr

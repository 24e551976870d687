"""The static checks of libs/ are part of the test command, so they stay clean: ruff (pycodestyle,
pyflakes, bugbear, import order, pyupgrade) over libs/, mypy (strict) over libs/src. The rules are
in libs/pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LIBS = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=LIBS, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing_in_libs() -> None:
    done = run("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_libs() -> None:
    done = run("mypy", "--config-file", "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr

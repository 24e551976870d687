"""The static checks a package's tests run, so that the README's test command keeps them clean:
ruff and mypy, each configured in the package's own pyproject.toml.

    def test_ruff_finds_nothing() -> None:
        assert_clean(ruff(PACKAGE, "src"))
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=folder, capture_output=True, text=True, timeout=600)


def ruff(folder: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """`ruff check` over `paths` of the package at `folder` (all of it by default)."""
    return _run(folder, "ruff", "check", "--no-cache", *(paths or (".",)))


def mypy(folder: Path) -> subprocess.CompletedProcess[str]:
    """mypy as the package's pyproject.toml configures it (which files, how strict)."""
    return _run(folder, "mypy", "--config-file", "pyproject.toml")


def assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout + done.stderr

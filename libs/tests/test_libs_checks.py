"""The static checks of libs/ are part of the test command, so they stay clean: ruff (pycodestyle,
pyflakes, bugbear, import order, pyupgrade) over libs/, mypy (strict) over libs/src. The rules are
in libs/pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from redpark_platform.testkit.checks import assert_clean, mypy, ruff

LIBS = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing_in_libs() -> None:
    assert_clean(ruff(LIBS))


def test_mypy_finds_nothing_in_libs() -> None:
    assert_clean(mypy(LIBS))

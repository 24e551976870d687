"""The static checks of this service are part of the test command, so they stay clean: ruff
(libs' rule set: pycodestyle, pyflakes, bugbear, import order, pyupgrade) over src/, and mypy
(strict) over the deciders in domain/. The rules are in this service's pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from redpark_platform.testkit.checks import assert_clean, mypy, ruff

SERVICE = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing_in_the_service() -> None:
    assert_clean(ruff(SERVICE, "src"))


def test_mypy_finds_nothing_in_the_deciders() -> None:
    assert_clean(mypy(SERVICE))

"""The service's static checks are part of its tests, so they stay clean: ruff with libs' rule set
over the service (src and tests), mypy (strict) over the pure rules in domain/. Both are
configured in the service's pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from redpark_platform.testkit.checks import assert_clean, mypy, ruff

SERVICE = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing_in_the_service() -> None:
    assert_clean(ruff(SERVICE))


def test_mypy_finds_nothing_in_the_rules() -> None:
    assert_clean(mypy(SERVICE))

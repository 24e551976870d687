"""Every test of the service runs it with an easy proof of work: the tests solve challenges for real
(`redpark_platform.testkit.solved_challenge`), in microseconds instead of a phone's second."""

from __future__ import annotations

import pytest

EASY_PROOF_OF_WORK = "1000"


@pytest.fixture(autouse=True)
def easy_proof_of_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDPARK_EVENTS_PUBLIC_POW_MAX_NUMBER", EASY_PROOF_OF_WORK)

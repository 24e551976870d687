"""Given (events) / When (command) / Then (events or error), with no I/O.

    spec = DeciderSpec(member_decider)
    spec.given([MemberRegistered(...)]).when(PayDues(...)).then([DuesPaid(...)])
    spec.given([...]).when(PayDues(...)).then_raises(DomainError, code="dues.already_paid")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..decider import Decider
from ..errors import DomainError

C = TypeVar("C")
S = TypeVar("S")
E = TypeVar("E")


@dataclass(frozen=True)
class DeciderSpec(Generic[C, S, E]):
    decider: Decider[C, S, E]

    def given(self, events: Sequence[E] = ()) -> _Given[C, S, E]:
        return _Given(self.decider, list(events))


@dataclass(frozen=True)
class _Given(Generic[C, S, E]):
    decider: Decider[C, S, E]
    events: list[E]

    def when(self, command: C) -> _When[C, S, E]:
        return _When(self.decider, self.events, command)


@dataclass(frozen=True)
class _When(Generic[C, S, E]):
    decider: Decider[C, S, E]
    events: list[E]
    command: C

    def _run(self) -> list[E]:
        state = self.decider.fold(self.events)
        return list(self.decider.decide(self.command, state))

    def then(self, expected: Sequence[E]) -> list[E]:
        produced = self._run()
        assert produced == list(expected), f"\nexpected: {list(expected)!r}\nproduced: {produced!r}"
        return produced

    def then_raises(self, error: type[Exception] = DomainError, *, code: str | None = None,
                    field: str | None = None) -> Exception:
        try:
            produced = self._run()
        except error as exc:
            got_code, got_field = getattr(exc, "code", None), getattr(exc, "field", None)
            if code is not None:
                assert got_code == code, f"expected code {code!r}, got {got_code!r}"
            if field is not None:
                assert got_field == field, f"expected field {field!r}, got {got_field!r}"
            return exc
        raise AssertionError(f"expected {error.__name__}, but the command produced {produced!r}")

    def then_state(self, **expected: Any) -> S:
        """Check the state after applying what the command produced (for evolve tests)."""
        state = self.decider.fold(self._run(), self.decider.fold(self.events))
        for name, value in expected.items():
            got = getattr(state, name)
            assert got == value, f"state.{name}: expected {value!r}, got {got!r}"
        return state

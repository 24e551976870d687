"""Errors a rule raises, with no idea of HTTP: a stable code, a kind, English and Chinese.

A rule says *what kind* of refusal it is (`conflict`, `not_found`, `invalid`, ...); the HTTP edge
(`redpark_platform.web.problems.STATUS_OF_KIND`) decides which status that is. A service lists its
refusals once in an `ErrorCatalogue` (code -> kind, English, Chinese), so a decider raises by code
and carries no sentences:

    ERRORS = ErrorCatalogue({
        "dues.already_paid": ("conflict", "dues for {month} are already paid", "{month} 的党费已缴纳"),
    })
    raise ERRORS.error("dues.already_paid", field="month", month="2025-03")

`DomainError(code, detail, detail_zh=..., status=...)` keeps working as before: an explicit
`status` (argument or class attribute) wins over the kind's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, get_args

ErrorKind = Literal[
    "conflict",  # the state does not allow it now (the default)
    "not_found",  # what the command names does not exist
    "invalid",  # the values themselves break a rule about the input
    "forbidden",  # the actor may not do this
    "unauthenticated",  # no valid identity
    "too_large",  # more than a limit allows
    "rate_limited",  # too many tries in a window
    "unavailable",  # try again later (e.g. the stream kept changing)
]
KINDS: tuple[str, ...] = get_args(ErrorKind)

# How the HTTP edge reads each kind (web.problems answers with it). Rules never name a status; the
# table sits here only so that `DomainError.status`, which the services' pages read today, keeps
# answering while they migrate.
STATUS_OF_KIND: dict[str, int] = {
    "conflict": 409, "not_found": 404, "invalid": 422, "forbidden": 403, "unauthenticated": 401,
    "too_large": 413, "rate_limited": 429, "unavailable": 503,
}


class DomainError(Exception):
    """A command refused by a rule. `code` is stable and machine-readable (e.g.
    "dues.already_paid"); `field` names the input field at fault when there is one; `detail` is
    English, `detail_zh` Chinese; `kind` says what sort of refusal it is."""

    kind: ClassVar[ErrorKind] = "conflict"
    _status: int | None = None

    @property
    def status(self) -> int:
        """Kept for code written before kinds: an explicit status, else the kind's (see the module doc).
        A subclass's `status = 503` class attribute still overrides it, as before."""
        return self._status if self._status is not None else STATUS_OF_KIND[self.kind]

    @status.setter
    def status(self, value: int) -> None:
        self._status = value

    def __init__(
        self, code: str, detail: str, *, detail_zh: str = "", field: str | None = None,
        status: int | None = None, kind: ErrorKind | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.detail_zh = detail_zh or detail
        self.field = field
        if status is not None:
            self.status = status
        if kind is not None:
            if kind not in KINDS:
                raise ValueError(f"unknown error kind {kind!r}; kinds are {', '.join(KINDS)}")
            self.kind = kind  # type: ignore[misc]  # an instance may narrow its class's kind


class NotFound(DomainError):
    kind: ClassVar[ErrorKind] = "not_found"


class InvalidCommand(DomainError):
    """The command is well-formed but its values break a rule about the input itself."""

    kind: ClassVar[ErrorKind] = "invalid"


class TooManyConflicts(DomainError):
    kind: ClassVar[ErrorKind] = "unavailable"


class ConcurrencyConflict(Exception):
    """The stream was not at the expected version: someone else appended first (retried by the
    decider runner, never shown to a user as such)."""

    def __init__(self, stream_id: str, expected: int | None) -> None:
        super().__init__(f"stream {stream_id!r} is not at version {expected}")
        self.stream_id = stream_id
        self.expected = expected


# The class an error of each kind is raised as, so `except NotFound` keeps catching catalogue errors.
_CLASS_OF_KIND: dict[str, type[DomainError]] = {"not_found": NotFound, "invalid": InvalidCommand}


@dataclass(frozen=True)
class ErrorEntry:
    kind: ErrorKind
    english: str
    chinese: str


class ErrorCatalogue:
    """A service's refusals: code -> (kind, English, Chinese). Sentences may hold `{name}`
    placeholders, filled from the keywords of `error` (and `{field}`, the field at fault)."""

    def __init__(self, entries: Mapping[str, tuple[str, str, str] | ErrorEntry]) -> None:
        self._entries: dict[str, ErrorEntry] = {}
        for code, entry in entries.items():
            if not isinstance(entry, ErrorEntry):
                kind, english, chinese = entry
                entry = ErrorEntry(kind=kind, english=english, chinese=chinese)  # type: ignore[arg-type]
            if entry.kind not in KINDS:
                raise ValueError(f"{code}: unknown error kind {entry.kind!r}; kinds are {', '.join(KINDS)}")
            if not code or not entry.english or not entry.chinese:
                raise ValueError(f"{code!r}: a code, an English and a Chinese sentence are all needed")
            self._entries[code] = entry

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def __iter__(self) -> Any:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, code: str) -> ErrorEntry:
        try:
            return self._entries[code]
        except KeyError:
            raise KeyError(f"error code {code!r} is not in the catalogue") from None

    def error(self, code: str, *, field: str | None = None, **values: Any) -> DomainError:
        """The error to raise: `raise ERRORS.error("member.not_found", field="member_id", member_id=m)`."""
        entry = self.entry(code)
        cls = _CLASS_OF_KIND.get(entry.kind, DomainError)
        words = {"field": field, **values}  # a sentence may name the field at fault too
        return cls(code, entry.english.format(**words), detail_zh=entry.chinese.format(**words), field=field,
                   kind=entry.kind)

    def merged(self, other: ErrorCatalogue) -> ErrorCatalogue:
        """One catalogue of two (e.g. a service's and the platform's); a code in both is a mistake."""
        clash = set(self._entries) & set(other._entries)
        if clash:
            raise ValueError(f"codes in both catalogues: {', '.join(sorted(clash))}")
        return ErrorCatalogue({**self._entries, **other._entries})

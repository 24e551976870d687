"""Bounds at the edge: the one set of types every body, path and query parameter uses.

The write side must refuse what the read side cannot hold: an int column is int4, an id ends up
in a URL path, a date goes through the park's calendar. A value past those limits used to be
stored as an event and then dead-lettered by the read model (or make an id unreachable), so each
type here is checked where the request enters, with a 422 naming the field:

    class NewBuilding(msgspec.Struct, frozen=True, kw_only=True):
        building_id: Id
        floors: Floors

    @router.get("/members/{member_id}")
    async def member(member_id: Id, on: Annotated[Day | None, Query()] = None) -> ...

Each type carries a `msgspec.Meta` (bodies, decoded by msgspec, and their JSON schema) and the
same constraint for pydantic (FastAPI's path and query parameters); each library ignores the
other's. A use that needs a narrower range gets a named type here rather than a second copy.
Dates in bodies are kept within `DATE_MIN`..`DATE_MAX` by the body reader (msgspec has no range
for dates); `Day` does the same for a query or path parameter and refuses anything but
`YYYY-MM-DD` there (pydantic would read `0` as 1970-01-01).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from annotated_types import Ge, Le
from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema

INT4_MIN = -(2**31)
INT4_MAX = 2**31 - 1
ID_MAX_LENGTH = 64

# No whitespace anywhere (so never whitespace-only), no `/` `\` `?` `#` `%` (an id is a URL path
# segment) and no control characters. PostgreSQL text cannot hold NUL, which this excludes too.
# Whitespace is spelled out rather than `\s`: Python, Rust (pydantic) and ECMAScript (the JSON
# Schema reading) disagree on what `\s` holds (U+0085, for one), and all three must read one rule.
_ID_CHARS = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff/\\?#%]"
ID_PATTERN = rf"^{_ID_CHARS}+$"
# Python's `$` also matches before a final newline; the JSON Schema (ECMAScript) reading does not.
# msgspec uses Python's `re`, so its pattern closes that gap; pydantic's regex engine has no such gap.
_ID_PATTERN_STRICT = rf"^{_ID_CHARS}+$(?!\n)"

# A mainland mobile number as the public types it: eleven digits starting 13-19, optionally after
# +86 / 0086 / 86, with spaces, dashes, dots or brackets between. The service normalises it.
# ASCII digits only: Python's `\d` also takes ۱ or ๑, which the normalised number must never hold.
_SEP = r"[\s\-().]*"
PHONE_PATTERN = rf"^{_SEP}(?:(?:\+|00)?86{_SEP})?1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}{_SEP}$"
PHONE_MAX_LENGTH = 30

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The window as a JSON Schema pattern (a prefix of the ISO date or date-time), so the document says
# what the edge refuses: years 1900-2100, months 01-12, days 01-31.
DATE_PATTERN = r"^(19[0-9][0-9]|20[0-9][0-9]|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"

Id = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=ID_MAX_LENGTH, pattern=_ID_PATTERN_STRICT,
                 description="An id: 1-64 characters, no whitespace, `/`, `\\`, `?`, `#`, `%` or control characters",
                 examples=["b-42"]),
    StringConstraints(min_length=1, max_length=ID_MAX_LENGTH, pattern=ID_PATTERN),
]

# An id that may be left empty ("none"), where a command has always spelled absence that way.
OptionalId = Annotated[
    str,
    msgspec.Meta(max_length=ID_MAX_LENGTH, pattern=rf"^{_ID_CHARS}*$(?!\n)",
                 description="An id, or empty for none"),
    StringConstraints(max_length=ID_MAX_LENGTH, pattern=rf"^{_ID_CHARS}*$"),
]

Phone = Annotated[
    str,
    msgspec.Meta(max_length=PHONE_MAX_LENGTH, pattern=PHONE_PATTERN,
                 description="A mainland China mobile number (11 digits, 13x-19x; +86 and separators allowed)",
                 examples=["13800138000"]),
    StringConstraints(max_length=PHONE_MAX_LENGTH, pattern=PHONE_PATTERN),
]

# Ints: what an int4 column holds, and the narrower ranges the park's facts live in.
Int4 = Annotated[int, msgspec.Meta(ge=INT4_MIN, le=INT4_MAX), Ge(INT4_MIN), Le(INT4_MAX)]
Count = Annotated[int, msgspec.Meta(ge=0, le=INT4_MAX, description="A count (0 to 2^31-1)"), Ge(0), Le(INT4_MAX)]
Fen = Annotated[int, msgspec.Meta(ge=0, le=INT4_MAX, description="An amount in fen (0.01 yuan), up to 2^31-1"),
                Ge(0), Le(INT4_MAX)]
BigFen = Annotated[int, msgspec.Meta(ge=0, le=10**12, description="An amount in fen, up to 10 billion yuan"),
                   Ge(0), Le(10**12)]
Floors = Annotated[int, msgspec.Meta(ge=1, le=200, description="Floors of a building"), Ge(1), Le(200)]
Floor = Annotated[int, msgspec.Meta(ge=-10, le=200, description="A floor (negative: underground)"), Ge(-10), Le(200)]
Phase = Annotated[int, msgspec.Meta(ge=1, le=20, description="The park's phase (一期 = 1)"), Ge(1), Le(20)]
Headcount = Annotated[int, msgspec.Meta(ge=0, le=1_000_000, description="People"), Ge(0), Le(1_000_000)]
Quota = Annotated[int, msgspec.Meta(ge=0, le=100_000, description="New members a year"), Ge(0), Le(100_000)]
Ordinal = Annotated[int, msgspec.Meta(ge=1, le=10_000, description="A place in a sequence, from 1"), Ge(1), Le(10_000)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=1440, description="Minutes, within a day"), Ge(1), Le(1440)]
SmallCount = Annotated[int, msgspec.Meta(ge=0, le=1000, description="A small count (0 to 1000)"), Ge(0), Le(1000)]
Age = Annotated[int, msgspec.Meta(ge=0, le=150, description="An age in years"), Ge(0), Le(150)]
Year = Annotated[int, msgspec.Meta(ge=2000, le=2100, description="A calendar year"), Ge(2000), Le(2100)]
# A score or a threshold: finite, and within what a percentage-based rating can reach.
Score = Annotated[float, msgspec.Meta(ge=0, le=1000, description="A score (0 to 1000)"), Ge(0), Le(1000)]


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


def _within_window(value: date) -> date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(f"must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}")
    return value


Day = Annotated[date, BeforeValidator(_iso_date_only), AfterValidator(_within_window),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN + "$"})]

# An instant in a body: msgspec documents a datetime as a bare string, so this says what it takes.
Instant = Annotated[datetime, msgspec.Meta(extra_json_schema={"format": "date-time", "pattern": DATE_PATTERN + "T"})]


def out_of_window(value: Any, path: str = "") -> str | None:
    """The dotted path of the first date or datetime in a decoded body outside the window, or of a
    float that is not finite (JSON's 1e999 decodes as infinity, which then encodes as null), if any."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, (date, datetime)):
        day = value.date() if isinstance(value, datetime) else value
        return None if DATE_MIN <= day <= DATE_MAX else path
    if isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            found = out_of_window(getattr(value, name), f"{path}.{name}" if path else name)
            if found is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            found = out_of_window(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = out_of_window(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None

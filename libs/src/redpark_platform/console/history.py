"""An entity's history — who did what, when — read from the events of its stream.

Personal fields are left out (the page shows that something changed, not the phone number), and
so is `now`, the command's clock, which `recorded_at` already says.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import msgspec

from ..store import EventStore

SYSTEM = "系统"
_SKIPPED = frozenset({"now"})


class HistoryEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    actor: str
    event_type: str  # `<aggregate>.<name>`
    label: str  # what the page shows, e.g. "企业入驻"
    details: list[tuple[str, str]]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(_show(v) for v in value)
    if isinstance(value, msgspec.Struct):
        return "；".join(f"{k}: {_show(v)}" for k, v in msgspec.structs.asdict(value).items())
    return "" if value is None else str(value)


async def stream_history(store: EventStore, stream_id: str, labels: Mapping[str, str] | None = None,
                         *, newest_first: bool = True) -> list[HistoryEntry]:
    """Every event of `stream_id`; `labels` maps `<aggregate>.<name>` to the words the page shows."""
    read = await store.read_stream(stream_id)
    entries = []
    for loaded in read.events:
        event, record = loaded.event, loaded.record
        hidden = set(getattr(event, "personal_fields", ()) or ()) | _SKIPPED
        details = [(name, _show(value)) for name, value in msgspec.structs.asdict(event).items()
                   if name not in hidden and value not in (None, "", [], ())]
        entries.append(HistoryEntry(
            at=record.recorded_at, actor=record.actor or SYSTEM, event_type=record.type,
            label=(labels or {}).get(record.type, record.type), details=details))
    return entries[::-1] if newest_first else entries

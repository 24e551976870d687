"""The erasure of a person, published by every service on its own stream (`<service>.person.erased`).

It is the audit record PIPL asks for (who erased, when, why) and the signal for every read model,
in this service and in the services reading its stream, to drop what it holds about the person.
It carries the person's id only, never a name or a phone: after the erasure the id points at
nothing readable. `why` is a closed list, so no free text (which could name someone) is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from redpark_platform.events import Event, EventRegistry

ErasureReason = Literal[
    "person_request",  # 本人申请删除
    "consent_withdrawn",  # 撤回同意
    "retention_ended",  # 保存期限届满
    "left_the_park",  # 已离开园区
    "legal_order",  # 依法要求
]
ERASURE_AGGREGATE = "person"
ERASURE_NAME = "erased"
ERASURE_KEY = f"{ERASURE_AGGREGATE}.{ERASURE_NAME}"


class PersonErased(Event, frozen=True, kw_only=True):
    subject_id: str  # the erasing service's own id of the person (member, registrant, hire, ...)
    erased_by: str  # the account that ran it
    why: ErasureReason
    erased_at: datetime


def register_erasure(registry: EventRegistry) -> None:
    """Every service's contract carries the same erasure event, on its own stream."""
    registry.register(ERASURE_AGGREGATE, ERASURE_NAME)(PersonErased)


def erasure_stream(subject_id: str) -> str:
    return f"person-{subject_id}"

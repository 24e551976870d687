"""The member-development pipeline and the year's admission quota."""

from __future__ import annotations

import json
from datetime import date

import msgspec

from ..domain.development import PipelineEntry
from . import Db


class PipelineRow(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    name: str
    enterprise_id: str | None
    priority_groups: list[str]
    stage: str
    reached: dict[str, date]


async def pipeline(db: Db) -> list[PipelineRow]:
    rows = await db.fetch("SELECT person_id, name, enterprise_id, priority_groups, stage, reached::text AS reached"
                          " FROM org_development ORDER BY person_id")
    return [PipelineRow(person_id=r["person_id"], name=r["name"], enterprise_id=r["enterprise_id"],
                        priority_groups=list(r["priority_groups"]), stage=r["stage"],
                        reached={k: date.fromisoformat(v) for k, v in json.loads(r["reached"]).items()})
            for r in rows]


def as_pipeline_entries(rows: list[PipelineRow]) -> list[PipelineEntry]:
    return [msgspec.convert({"person_id": r.person_id, "stage": r.stage, "reached": r.reached,
                             "priority_groups": r.priority_groups}, PipelineEntry)
            for r in rows]


async def quota(db: Db, year: int) -> int | None:
    value: int | None = await db.fetchval("SELECT quota FROM org_development_quotas WHERE year = $1", year)
    return value

"""The enterprise-support figures for the park's dashboard: the four quarterlies of this quarter,
needs open and overdue, enterprises without a contact point, visits, funding applications pending,
and needs by status."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter

from redpark_platform.calendar import quarter_bounds, quarter_of
from redpark_platform.console.dashboard import Chart, Dashboard, Series, Tile
from redpark_platform.ops import with_operations
from redpark_platform.web import MsgspecResponse, Principal, require_roles, response_schema
from redpark_platform.web.paging import PageRequest

from .. import queries
from ..application import EnterpriseSupport
from ..domain.quarterly import KINDS
from .deps import Support
from .exports import QUARTERLY

router = APIRouter(tags=["dashboard"])

AnyStaff = Annotated[Principal, require_roles()]
# The needs board's columns: an accepted need with work recorded is "in work".
NEED_STATUSES = (("raised", "待受理", "Raised"), ("accepted", "已受理", "Accepted"),
                 ("in_work", "办理中", "In work"), ("resolved", "已办结", "Resolved"), ("closed", "已关闭", "Closed"))


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    quarter: str
    quarterlies_held: int
    quarterlies_missing: list[str]
    needs_open: int
    needs_overdue: int
    enterprises: int
    without_contact_point: int
    visits: int  # this quarter
    enterprises_visited: int  # this quarter
    applications_pending: int
    needs_by_status: dict[str, int]


async def figures(support: EnterpriseSupport, day: date | None = None) -> Figures:
    day = day or support.today()
    first, _ = quarter_bounds(quarter_of(day))
    report = await queries.quarter(support.pool, quarter_of(day))
    counts = await queries.dashboard_counts(support.pool, first, day)
    without = (await queries.enterprises(support.pool, without_contact_point=True,
                                         paging=PageRequest(limit=1))).total
    return Figures(
        quarter=report.quarter, quarterlies_held=sum(r.status == "held" for r in report.quarterlies),
        quarterlies_missing=list(report.missing), needs_open=counts.needs["open"],
        needs_overdue=counts.needs["overdue"], enterprises=counts.in_park, without_contact_point=without,
        visits=counts.visits, enterprises_visited=counts.visited, applications_pending=counts.applications_pending,
        needs_by_status={key: counts.needs[key] for key, _, _ in NEED_STATUSES})


def dashboard_of(f: Figures) -> Dashboard:
    missing = "、".join(QUARTERLY.get(k, k) for k in f.quarterlies_missing)
    visited = f.enterprises_visited / f.enterprises if f.enterprises else None
    return Dashboard(
        service="enterprise-support", title="服务企业", title_en="Enterprise support",
        tiles=[
            Tile(key="quarterlies", label="本季度四个一", label_en="Four quarterlies this quarter",
                 value=f"{f.quarterlies_held} / {len(KINDS)}", note=f"未开展：{missing}" if missing else "已全部开展",
                 tone="ok" if not f.quarterlies_missing else "warn", href="/ui/quarterlies"),
            Tile(key="needs_open", label="待办困难问题", label_en="Needs open", value=str(f.needs_open),
                 note=f"其中逾期 {f.needs_overdue} 件",
                 tone="bad" if f.needs_overdue else "ok" if not f.needs_open else "",
                 href="/ui/needs"),
            Tile(key="without_contact_point", label="未落实联系点企业",
                 label_en="Enterprises without a contact point",
                 value=str(f.without_contact_point), note=f"共 {f.enterprises} 家在园企业",
                 tone="warn" if f.without_contact_point else "ok", href="/ui/visits"),
            Tile(key="visits", label="本季度走访", label_en="Visits this quarter",
                 value=f"{f.enterprises_visited} / {f.enterprises}",
                 note=f"走访 {f.visits} 次（已走访企业 / 在园企业）",
                 tone="" if visited is None else "ok" if visited >= 0.8 else "warn", href="/ui/visits"),
            Tile(key="applications_pending", label="待决定资金申请", label_en="Funding applications pending",
                 value=str(f.applications_pending), href="/ui/applications"),
        ],
        charts=[Chart(key="needs_by_status", title="困难问题状态", title_en="Needs by status", kind="doughnut",
                      labels=[zh for _, zh, _ in NEED_STATUSES],
                      series=[Series(label="件数", label_en="Needs",
                                     data=[float(f.needs_by_status[k]) for k, _, _ in NEED_STATUSES])])]
        if any(f.needs_by_status.values()) else [],
    )


@router.get("/dashboard", responses=response_schema(Dashboard),
            summary="The service's figures for the park's dashboard")
async def dashboard(support: Support, who: AnyStaff) -> MsgspecResponse:
    return MsgspecResponse(await with_operations(dashboard_of(await figures(support)), support.runtime))

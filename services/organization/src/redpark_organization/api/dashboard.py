"""The organization's figures for the park's dashboard: coverage and its trend, enterprises not
covered, members, transfers pending, this year's dues arrears and the development pipeline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import msgspec
from fastapi import APIRouter

from redpark_platform.calendar import day_start
from redpark_platform.console.dashboard import Chart, Dashboard, Series, Tile, Tone
from redpark_platform.notifications import dashboard_tile
from redpark_platform.ops import with_operations
from redpark_platform.web import MsgspecResponse, Principal, require_roles, response_schema
from redpark_platform.web.edge import ReadYourWrites

from ..application.assessment import QuarterView
from ..application.organization import Organization
from ..domain.coverage import coverage
from ..projections.coverage_history import NAME as COVERAGE_HISTORY
from ..projections.development import NAME as DEVELOPMENT
from ..projections.dues import NAME as DUES
from ..projections.park import NAME as PARK
from ..projections.rosters import NAME as ROSTERS
from ..queries import census as census_reads
from ..queries import dashboard as dashboard_queries
from ..queries import dues as dues_reads
from .deps import Assess, Org

router = APIRouter(tags=["dashboard"])

AnyStaff = Annotated[Principal, require_roles()]
# Below these coverage rates the tile turns amber, then red (全覆盖 is the goal).
WARN_BELOW = 0.9
BAD_BELOW = 0.7
TREND_DAYS = 90
CHANGES_SHOWN = 200  # points of a first day's trend, one per change
STAGES = (("applicant", "入党申请人"), ("activist", "入党积极分子"), ("candidate", "发展对象"),
          ("probationary", "预备党员"))
READ_MODELS = (PARK, ROSTERS, DUES, DEVELOPMENT, COVERAGE_HISTORY)


def tone_of(rate: float | None) -> Tone:
    if rate is None:
        return ""
    return "bad" if rate < BAD_BELOW else "warn" if rate < WARN_BELOW else "ok"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


class TrendPoint(msgspec.Struct, frozen=True, kw_only=True):
    label: str  # the park day (YYYY-MM-DD), or the park time of the change
    covered: int
    total: int
    rate: float | None


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    """The figures behind the tiles, also shown on the console's home page."""

    year: int
    covered: int
    enterprises: int
    rate: float | None
    uncovered: int
    full_members: int
    probationary_members: int
    transfers_pending: int
    arrears_members: int
    arrears_fen: int
    pipeline: list[tuple[str, int]]  # (stage, people at it), in stage order
    trend: list[TrendPoint]


async def coverage_trend(org: Organization, today: date, days: int = TREND_DAYS) -> list[TrendPoint]:
    """Coverage at the end of each park day of the last `days`, from the coverage history; days
    before the first enterprise moved in are left out (there was no rate). While the history holds
    today only (a new park), one point per change instead, so the first day's changes show."""
    zone = org.runtime.settings.zone
    first = today - timedelta(days=days - 1)
    start = day_start(first, zone)
    pool = org.runtime.pool
    before = await dashboard_queries.coverage_before(pool, start)
    rows = await dashboard_queries.coverage_since(pool, start)
    if before is None and {r["at"].astimezone(zone).date() for r in rows} == {today}:
        return [TrendPoint(label=r["at"].astimezone(zone).strftime("%m-%d %H:%M:%S"), covered=r["covered"],
                           total=r["total"], rate=r["covered"] / r["total"] if r["total"] else None)
                for r in rows[-CHANGES_SHOWN:]]
    last: tuple[int, int] | None = (before["covered"], before["total"]) if before else None
    end_of_day: dict[date, tuple[int, int]] = {}
    for r in rows:
        end_of_day[r["at"].astimezone(zone).date()] = (r["covered"], r["total"])
    points = []
    for n in range(days):
        day = first + timedelta(days=n)
        last = end_of_day.get(day, last)
        if last is None:
            continue
        covered, total = last
        points.append(TrendPoint(label=day.isoformat(), covered=covered, total=total,
                                 rate=covered / total if total else None))
    return points


async def arrears_this_year(org: Organization, today: date) -> tuple[int, int]:
    """(members owing for a month of this year, the amount owed for this year's months so far)."""
    pool = org.runtime.pool
    now = await dues_reads.dues_arrears(pool, f"{today.year:04d}-{today.month:02d}")
    before = await dues_reads.dues_arrears(pool, f"{today.year - 1:04d}-12")
    earlier = {m.member_id: m.amount_fen for b in before for m in b.members}
    owing = [(m.member_id, m.amount_fen - earlier.get(m.member_id, 0)) for b in now for m in b.members
             if any(month.startswith(f"{today.year:04d}-") for month in m.months)]
    return len(owing), sum(amount for _, amount in owing)


async def figures(org: Organization, today: date | None = None) -> Figures:
    today = today or org.now().date()
    pool = org.runtime.pool
    cov = coverage(await census_reads.census_snapshot(pool))
    members = await dashboard_queries.member_counts(pool)
    stages = await dashboard_queries.people_per_stage(pool)
    arrears_members, arrears_fen = await arrears_this_year(org, today)
    return Figures(
        year=today.year, covered=cov.overall.covered, enterprises=cov.overall.total, rate=cov.overall.rate,
        uncovered=len(cov.uncovered), full_members=members["full"], probationary_members=members["probationary"],
        transfers_pending=members["elsewhere"], arrears_members=arrears_members, arrears_fen=arrears_fen,
        pipeline=[(stage, stages.get(stage, 0)) for stage, _ in STAGES],
        trend=await coverage_trend(org, today))


def dashboard_of(f: Figures, cards: QuarterView | None = None) -> Dashboard:
    """`cards`: this quarter's scorecards (the assessment), shown as a tile and a chart when given."""
    stage_names = dict(STAGES)
    branches = [card for card in (cards.scorecards if cards else []) if card.unit_kind == "branch"]
    vetoed = sum(card.vetoed for card in branches)
    in_pipeline = sum(n for _, n in f.pipeline)
    trend = [p for p in f.trend if p.rate is not None]
    return Dashboard(
        service="organization", title="组织覆盖与党员管理", title_en="Organization",
        tiles=[
            Tile(key="coverage", label="组织覆盖率", label_en="Coverage", value=percent(f.rate),
                 note=f"{f.covered} / {f.enterprises} 家企业", tone=tone_of(f.rate), href="/ui/grid"),
            Tile(key="uncovered", label="未覆盖企业", label_en="Enterprises not covered", value=str(f.uncovered),
                 note="点击指派指导员", tone="ok" if f.uncovered == 0 else "warn", href="/ui/grid#uncovered"),
            Tile(key="members", label="党员", label_en="Members", value=str(f.full_members + f.probationary_members),
                 note=f"正式 {f.full_members} / 预备 {f.probationary_members}", href="/ui/branches"),
            Tile(key="transfers_pending", label="组织关系未转入", label_en="Transfers pending",
                 value=str(f.transfers_pending), note="组织关系在园区外的党员",
                 tone="ok" if f.transfers_pending == 0 else "warn", href="/ui/#transfers"),
            Tile(key="dues_arrears", label=f"{f.year}年党费欠缴", label_en=f"Dues in arrears {f.year}",
                 value=str(f.arrears_members), note=f"共 ¥{f.arrears_fen / 100:,.2f}",
                 tone="ok" if f.arrears_members == 0 else "warn", href="/ui/#arrears"),
            Tile(key="pipeline", label="发展党员", label_en="Development pipeline", value=str(in_pipeline),
                 note=" · ".join(f"{stage_names[s]} {n}" for s, n in f.pipeline), href="/ui/"),
            *([Tile(key="assessment", label="本季度支部考核（平均分）",
                    label_en="Branch scorecards this quarter (mean)",
                    value=f"{sum(c.score for c in branches) / len(branches):.1f}" if branches else "—",
                    note=f"{cards.quarter} · {vetoed} 个支部一票否决", tone="bad" if vetoed else "ok")]
              if cards else []),
        ],
        charts=[
            Chart(key="coverage_trend", title=f"组织覆盖率（近{TREND_DAYS}天）",
                  title_en=f"Coverage (last {TREND_DAYS} days)", kind="line", unit="%",
                  labels=[p.label for p in trend],
                  series=[Series(label="覆盖率", label_en="Coverage",
                                 data=[round((p.rate or 0) * 100, 1) for p in trend])]),
            Chart(key="pipeline", title="发展党员各阶段人数", title_en="Development pipeline by stage", kind="bar",
                  labels=[stage_names[s] for s, _ in f.pipeline],
                  series=[Series(label="人数", label_en="People", data=[float(n) for _, n in f.pipeline])]),
            *([Chart(key="branch_scores", title=f"{cards.quarter} 支部考核得分",
                     title_en=f"Branch scores {cards.quarter}",
                     kind="bar", labels=[c.name for c in branches],
                     series=[Series(label="得分", label_en="Score", data=[c.score for c in branches])])]
              if cards else []),
        ],
    )


@router.get("/dashboard", responses=response_schema(Dashboard),
            summary="The organization's figures for the park's dashboard (coverage, members, dues, pipeline)",
            dependencies=[ReadYourWrites(*READ_MODELS)])
async def dashboard(org: Org, assess: Assess, who: AnyStaff) -> MsgspecResponse:
    cards = await assess.quarter(assess.current_quarter())
    board = dashboard_of(await figures(org), cards)
    # The notification tile is read live from the outbox, beside the figures of the read models.
    board = msgspec.structs.replace(board, tiles=[*board.tiles, await dashboard_tile(org.runtime)])
    return MsgspecResponse(await with_operations(board, org.runtime))

"""The education figures for the park's dashboard: the three guarantees this quarter and month,
park lessons against the year's minimum, and compliance per branch."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter

from redpark_platform.calendar import month_of, quarter_of
from redpark_platform.console.dashboard import Chart, Dashboard, Series, Tile, Tone
from redpark_platform.ops import with_operations
from redpark_platform.web import MsgspecResponse, Principal, require_roles, response_schema

from .. import queries
from ..application import Education
from ..domain import guarantees
from .deps import Edu

router = APIRouter(tags=["dashboard"])

AnyStaff = Annotated[Principal, require_roles()]
# Below these shares of members meeting the guarantees the tile turns amber, then red.
WARN_BELOW = 0.8
BAD_BELOW = 0.6


def tone_of(share: float | None) -> Tone:
    if share is None:
        return ""
    return "bad" if share < BAD_BELOW else "warn" if share < WARN_BELOW else "ok"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    """The figures behind the tiles, also shown on the console's home page."""

    quarter: str
    month: str
    members: int
    members_compliant: int
    branches: int
    branches_compliant: int
    lessons_held: int
    lessons_minimum: int
    self_study_expected: int
    self_study_filed: int
    weeks_expected: int
    weeks_held: int
    per_branch: list[tuple[str, float]]  # (branch name, share of its members compliant)


def branch_compliant(line: guarantees.BranchLine) -> bool:
    """A branch meets the guarantees when every member does and no week went without study."""
    return line.members_fully_compliant == line.members and not line.missing_weeks


async def figures(edu: Education, today: date | None = None, branch_id: str | None = None) -> Figures:
    """The park's figures, or one branch's (lessons stay park-wide: they are the park's)."""
    today = today or edu.today()
    facts = await queries.facts(edu.pool, branch_id)
    quarter = guarantees.compliance(quarter_of(today), today, facts)
    month = guarantees.compliance(month_of(today), today, facts)
    expected = [m for m in month.members if m.self_study != "not_expected"]
    lessons = await queries.lessons(edu.pool, today.year)
    return Figures(
        quarter=quarter.quarter, month=month.period, members=len(quarter.members),
        members_compliant=sum(not m.missing for m in quarter.members), branches=len(quarter.branches),
        branches_compliant=sum(branch_compliant(b) for b in quarter.branches),
        lessons_held=sum(r.held_on is not None for r in lessons),
        lessons_minimum=(await edu.targets(today.year)).park_lessons_minimum,
        self_study_expected=len(expected), self_study_filed=sum(m.self_study == "filed" for m in expected),
        weeks_expected=sum(b.weeks_expected for b in month.branches),
        weeks_held=sum(b.weeks_held for b in month.branches),
        per_branch=[(b.name, b.members_fully_compliant / b.members) for b in quarter.branches if b.members])


def dashboard_of(f: Figures) -> Dashboard:
    members = _share(f.members_compliant, f.members)
    branches = _share(f.branches_compliant, f.branches)
    study = _share(f.self_study_filed, f.self_study_expected)
    weeks = _share(f.weeks_held, f.weeks_expected)
    return Dashboard(
        service="education", title="学习教育", title_en="Education",
        tiles=[
            Tile(key="members_compliant", label="三个保证达标率（党员）", label_en="Three guarantees met (members)",
                 value=_pct(members), note=f"{f.quarter}：{f.members_compliant} / {f.members} 名党员",
                 tone=tone_of(members), href=f"/ui/compliance?period={f.quarter}"),
            Tile(key="branches_compliant", label="三个保证达标率（支部）", label_en="Three guarantees met (branches)",
                 value=_pct(branches), note=f"{f.quarter}：{f.branches_compliant} / {f.branches} 个支部",
                 tone=tone_of(branches), href=f"/ui/compliance?period={f.quarter}"),
            Tile(key="lessons_held", label="本年大党课", label_en="Park lessons this year",
                 value=f"{f.lessons_held} / {f.lessons_minimum}", note="已举行 / 最低要求",
                 tone="ok" if f.lessons_held >= f.lessons_minimum else "warn", href="/ui/lessons"),
            Tile(key="self_study_filed", label="本月自学已提交", label_en="Self-study filed this month",
                 value=_pct(study), note=f"{f.month}：{f.self_study_filed} / {f.self_study_expected} 名党员",
                 tone=tone_of(study), href=f"/ui/compliance?period={f.quarter}"),
            Tile(key="weekly_study_held", label="本月周学习", label_en="Weekly study this month",
                 value=f"{f.weeks_held} / {f.weeks_expected}", note="已开展 / 应开展（支部·周）",
                 tone=tone_of(weeks), href=f"/ui/compliance?period={f.quarter}"),
        ],
        charts=[Chart(
            key="compliance_per_branch", title=f"各支部三个保证达标率（{f.quarter}）",
            title_en=f"Three guarantees met per branch ({f.quarter})", kind="bar", unit="%",
            labels=[name for name, _ in f.per_branch],
            series=[Series(label="达标率", label_en="Met", data=[round(s * 100, 1) for _, s in f.per_branch])],
        )] if f.per_branch else [],
    )


@router.get("/dashboard", responses=response_schema(Dashboard),
            summary="The service's figures for the park's dashboard")
async def dashboard(edu: Edu, who: AnyStaff) -> MsgspecResponse:
    return MsgspecResponse(await with_operations(dashboard_of(await figures(edu)), edu.runtime))

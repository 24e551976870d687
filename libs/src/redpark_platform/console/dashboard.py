"""What each service gives the park's dashboard: `GET /dashboard` answers one `Dashboard`.

The dashboard page (served at the platform's one address) asks every service and shows their
tiles and charts side by side, so each team decides its own figures and the page needs no
knowledge of any service. Labels are Chinese with an English twin for the second language.
"""

from __future__ import annotations

from typing import Literal

import msgspec

Tone = Literal["", "ok", "warn", "bad"]


class Tile(msgspec.Struct, frozen=True, kw_only=True):
    """One figure, e.g. 覆盖率 84.4%."""

    key: str
    label: str
    label_en: str
    value: str  # already formatted for people: "84.4%", "12", "¥3,200.00"
    note: str = ""  # e.g. "54 / 64 家企业"
    tone: Tone = ""  # ok / warn / bad colours the tile
    href: str = ""  # the work page behind the figure, relative to the service's root, e.g. "/ui/grid"


class Series(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    label_en: str = ""
    data: list[float]


class Chart(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: str
    title_en: str
    kind: Literal["line", "bar", "doughnut"]
    labels: list[str]  # x axis (or the doughnut's slices)
    series: list[Series]
    unit: str = ""  # e.g. "%" for rates


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    title: str
    title_en: str
    tiles: list[Tile]
    charts: list[Chart] = []

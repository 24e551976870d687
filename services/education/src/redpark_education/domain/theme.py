"""Annual themes (五个教育主题): the year's education themes, each linked to the monthly topics and
park lessons that serve it. One stream per year; the plan sets five themes a year at most."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import AnnualThemeDefined, ThemeLinked, ThemeLinkKind
from redpark_platform.decider import Decider

from .errors import ERRORS, THEME_LINK_ERRORS

MAX_THEMES = 5


def stream_id(year: int) -> str:
    return f"themes-{year}"


class DefineTheme(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    theme_id: str
    title: str
    description: str
    now: datetime


class LinkToTheme(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    theme_id: str
    kind: ThemeLinkKind
    ref: str
    ref_year: int | None  # the year of the topic or lesson linked; None when it does not exist
    now: datetime


ThemeCommand = DefineTheme | LinkToTheme
ThemeEvent = AnnualThemeDefined | ThemeLinked


class Themes(msgspec.Struct, frozen=True, kw_only=True):
    themes: frozenset[str] = frozenset()
    links: frozenset[tuple[str, str, str]] = frozenset()


def decide(command: ThemeCommand, state: Themes) -> list[ThemeEvent]:
    match command:
        case DefineTheme():
            if command.theme_id in state.themes:
                raise ERRORS.error("theme.already_defined", field="theme_id", theme_id=command.theme_id)
            if len(state.themes) >= MAX_THEMES:
                raise ERRORS.error("theme.too_many", field="theme_id", year=command.year, most=MAX_THEMES)
            if not command.title.strip():
                raise ERRORS.error("theme.title_missing", field="title")
            return [AnnualThemeDefined(year=command.year, theme_id=command.theme_id, title=command.title.strip(),
                                       description=command.description.strip())]
        case LinkToTheme():
            if command.theme_id not in state.themes:
                raise ERRORS.error("theme.unknown", field="theme_id", year=command.year, theme_id=command.theme_id)
            if command.ref_year is None:
                raise THEME_LINK_ERRORS.error(f"{command.kind}.unknown", field="ref", ref=command.ref)
            if command.ref_year != command.year:
                raise ERRORS.error("theme.other_year", field="ref", kind=command.kind, ref=command.ref,
                                   year=command.year)
            if (command.theme_id, command.kind, command.ref) in state.links:
                return []
            return [ThemeLinked(year=command.year, theme_id=command.theme_id, kind=command.kind, ref=command.ref)]
        case _:
            assert_never(command)


def evolve(state: Themes, event: ThemeEvent) -> Themes:
    match event:
        case AnnualThemeDefined():
            return msgspec.structs.replace(state, themes=state.themes | {event.theme_id})
        case ThemeLinked():
            return msgspec.structs.replace(state, links=state.links | {(event.theme_id, event.kind, event.ref)})
        case _:
            assert_never(event)


decider: Decider[ThemeCommand, Themes, ThemeEvent] = Decider(initial=Themes(), decide=decide, evolve=evolve)

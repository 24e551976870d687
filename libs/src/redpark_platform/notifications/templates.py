"""What a notification says: templates in Chinese and English with named parameters.

A template is registered with an SMS provider under a code (Aliyun `SMS_…`, Tencent a number), one per
language; the provider keeps the text, we send the code and the parameters. E-mail and WeCom carry the
text itself, rendered here. `${park}` is always available: the park's name (a setting).
Pure: no I/O, so rules and tests may use it freely.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["service", "reminder", "alert"]
Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
_PLACEHOLDER = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


class TemplateError(ValueError):
    pass


@dataclass(frozen=True, kw_only=True)
class Template:
    """`kind`: `service` answers something the person did or holds (a ticket, a code) and cannot be opted
    out of; `reminder` and `alert` can. `urgent` ones go out in quiet hours too."""

    code: str  # ours, e.g. `ep.registration_promoted`
    zh: str
    en: str
    kind: Kind = "service"
    urgent: bool = False
    title_zh: str = ""  # an e-mail's subject; the first clause of the text when empty
    title_en: str = ""

    def __post_init__(self) -> None:
        if _names(self.zh) != _names(self.en):
            raise TemplateError(f"{self.code}: the Chinese and English texts use different parameters")

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters in the order they first appear in the Chinese text (Tencent's {1}, {2}, …)."""
        return _names(self.zh)

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def title(self, lang: str, park: str) -> str:
        given = self.title_en if lang == "en" else self.title_zh
        return f"{park} {given}".strip() if given else park

    def render(self, lang: str, params: Mapping[str, str]) -> str:
        try:
            return string.Template(self.text(lang)).substitute(params)
        except (KeyError, ValueError) as exc:
            raise TemplateError(f"{self.code}: parameter {exc} is missing") from None

    def provider_code(self, lang: str) -> str:
        """The code the provider knows it by, unless a setting maps it (see `ChannelSettings`)."""
        return f"{self.code}.{'en' if lang == 'en' else 'zh'}"


def _names(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in _PLACEHOLDER.findall(text):
        seen.setdefault(name, None)
    return tuple(seen)


class TemplateCatalogue:
    """The templates one service sends, by code."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self.by_code: dict[str, Template] = {}
        for t in templates:
            if t.code in self.by_code:
                raise TemplateError(f"template {t.code} defined twice")
            self.by_code[t.code] = t

    def __getitem__(self, code: str) -> Template:
        return self.by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __iter__(self) -> Iterator[Template]:
        return iter(self.by_code.values())

    def provider_registrations(self, codes: Mapping[str, str] | None = None) -> dict[str, dict[str, object]]:
        """What one registers with an SMS provider: provider code -> parameter order and text. The
        local gateway reads this (as a provider's console would hold it) to write each message's text."""
        codes = codes or {}
        out: dict[str, dict[str, object]] = {}
        for t in self.by_code.values():
            for lang in LANGS:
                ours = t.provider_code(lang)
                out[codes.get(ours, ours)] = {"params": list(t.params), "text": t.text(lang)}
        return out

    def provider_registrations_json(self, codes: Mapping[str, str] | None = None) -> str:
        return json.dumps(self.provider_registrations(codes), ensure_ascii=False, indent=2, sort_keys=True)

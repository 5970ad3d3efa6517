"""The portals' two languages: zh-CN (default) and en, from the catalogues in i18n/*.json.

The language is the `paizhu_lang` cookie (set by the switch on every page). Dates and numbers are written the
way each language writes them. The services' own labels are bilingual, "中文 (English)": `label()` keeps the
half of the user's language.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh-CN", "en")
DEFAULT = "zh-CN"
COOKIE = "paizhu_lang"
FOLDER = Path(__file__).resolve().parent / "i18n"
_BILINGUAL = re.compile(r"^(?P<zh>.*?)\s*[(（](?P<en>[^()（）]*)[)）]\s*$", re.DOTALL)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def catalogue(language: str) -> dict[str, str]:
    """`i18n/<language>.json` and every `i18n/<language>/*.json` beside it (one file per part of the portals);
    a key defined twice is an error, never a silent override."""
    found: dict[str, str] = {}
    for path in (FOLDER / f"{language}.json", *sorted((FOLDER / language).glob("*.json"))):
        part: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        twice = found.keys() & part.keys()
        if twice:
            raise ValueError(f"{path.name} defines {sorted(twice)} again")
        found.update(part)
    return found


def language_of(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT


class Translator:
    """What a template calls: `t("key")`, `label(text)`, `day(value)`, `number(value)`."""

    def __init__(self, language: str) -> None:
        self.language = language_of(language)
        self._own = catalogue(self.language)
        self._fallback = catalogue(DEFAULT)

    def t(self, key: str, **values: Any) -> str:
        text = self._own.get(key) or self._fallback.get(key) or key
        return text.format(**values) if values else text

    def label(self, text: str | None) -> str:
        """The user's half of a bilingual "中文 (English)" text; any other text as it is."""
        if not text:
            return ""
        found = _BILINGUAL.match(text)
        if found is None or not found["zh"]:
            return text
        return found["en"] if self.language == "en" else found["zh"]

    def day(self, value: date | datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                parsed: date = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
            except ValueError:
                return value
            value = parsed
        if isinstance(value, datetime):
            clock = value.strftime("%H:%M")
            return (f"{value.year}年{value.month}月{value.day}日 {clock}" if self.language == "zh-CN"
                    else f"{value.day} {_MONTHS[value.month - 1]} {value.year}, {clock}")
        return (f"{value.year}年{value.month}月{value.day}日" if self.language == "zh-CN"
                else f"{value.day} {_MONTHS[value.month - 1]} {value.year}")

    def number(self, value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return ""
        return f"{value:,.{digits}f}"

    def percent(self, part: float, whole: float) -> str:
        return "–" if not whole else f"{100 * part / whole:.1f}%"

"""Wording of the staff tools (scaffold, coverage, PR summary), from locale/tools.yml."""
from __future__ import annotations

from typing import Any

from .. import locale


def texts() -> dict[str, Any]:
    return locale.load(locale.TOOLS)


def text(key: str, lang: str | None = None, **params: object) -> str:
    """One text; a bilingual entry gives "中文 / English" (or the other way round with lang="en"),
    or only one language when `lang` is "zh-only"/"en-only"."""
    entry = texts()[key]
    if isinstance(entry, str):
        return entry.format(**params)
    if lang in ("zh-only", "en-only"):
        one: str = entry[lang[:2]].format(**params)
        return one
    first, second = ("en", "zh") if lang == "en" else ("zh", "en")
    return f"{entry[first].format(**params)} / {entry[second].format(**params)}"

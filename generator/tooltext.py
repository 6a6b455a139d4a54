"""Wording of the staff tools (scaffold, coverage, PR summary), from locale/tools.yml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_TEXTS = Path(__file__).parent / "locale" / "tools.yml"


@lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load(_TEXTS.read_text(encoding="utf-8"))


def text(key: str, lang: str | None = None, **params) -> str:
    """One text; a bilingual entry gives "中文 / English" (or the other way round with lang="en"),
    or only one language when `lang` is "zh-only"/"en-only"."""
    entry = texts()[key]
    if isinstance(entry, str):
        return entry.format(**params)
    if lang in ("zh-only", "en-only"):
        return entry[lang[:2]].format(**params)
    first, second = ("en", "zh") if lang == "en" else ("zh", "en")
    return f"{entry[first].format(**params)} / {entry[second].format(**params)}"

"""Translation coverage: which records lack English (`python -m generator check --coverage`).

What "lacks English" means here. Every human-readable field is a text `{zh: …, en: …}`. A text lacks
English when its `en`
- is missing, empty or only blanks ("missing"); or
- is the same as its `zh` while the `zh` has Chinese characters: a copy, not a translation ("same"); or
- has Chinese characters and no Latin letter at all: Chinese typed into the English side ("chinese").
An English text that quotes a Chinese name ("Qingshi (青石)") counts as English. A record lacks
English when at least one of its texts does. `internal:` blocks are never published and are not
counted. Missing `en` is also a validation problem (check fails); the other two pass validation,
which is why this list exists.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from ..catalog.model import PRIVATE_KEYS
from ..catalog.reader import RawRecord
from ..catalog.yamlsafe import KeyPath
from ..problems import dotted
from .tooltext import text

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Gap:
    file: str
    line: int
    col: int
    field: str
    reason: str  # missing | same | chinese

    def message(self, lang: str) -> str:
        return text(f"coverage.{self.reason}", lang)


def _texts(value: object, path: KeyPath = ()) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
    """(path, text) for every {zh, en} text in a record, outside `internal`."""
    if isinstance(value, dict):
        if value and set(value) <= {"zh", "en"} and isinstance(value.get("zh"), str):
            yield path, value
            return
        for key, sub in value.items():
            if not path and key in PRIVATE_KEYS:
                continue
            yield from _texts(sub, path + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _texts(sub, path + (index,))


def reason(value: dict[str, Any]) -> str | None:
    """Why this text lacks English, or None when it has English."""
    en, zh = value.get("en"), value.get("zh") or ""
    if not isinstance(en, str) or not en.strip():
        return "missing"
    if en.strip() == zh.strip() and HAN.search(zh):
        return "same"
    if HAN.search(en) and not LATIN.search(en):
        return "chinese"
    return None


def coverage(records: list[RawRecord]) -> dict[str, Any]:
    """Counts and every gap, for people (format_text), tools (JSON) and the PR summary."""
    gaps: list[Gap]
    gaps, total_texts, with_text = [], 0, 0
    for record in records:
        found = list(_texts(record.data))
        with_text += bool(found)
        total_texts += len(found)
        for path, value in found:
            why = reason(value)
            if why:
                # On the `en:` line when there is one: that is the line to change.
                line, col = record.at(*path, "en") if "en" in value else record.at(*path)
                gaps.append(Gap(record.file, line, col, dotted(path), why))
    lacking = sorted({g.file for g in gaps})
    return {"records": with_text, "records_lacking": len(lacking), "texts": total_texts, "texts_lacking": len(gaps),
            "files": lacking, "gaps": [asdict(g) for g in sorted(gaps, key=lambda g: (g.file, g.line, g.col))]}


def title(report: dict[str, Any], lang: str = "zh") -> str:
    return text("coverage.title", lang, records=report["records_lacking"], total=report["records"],
                texts=report["texts_lacking"], all_texts=report["texts"])


def format_text(report: dict[str, Any], lang: str = "zh") -> str:
    lines, current = [title(report, lang)], None
    for gap in (Gap(**g) for g in report["gaps"]):
        if gap.file != current:
            current = gap.file
            lines.append(f"  {gap.file}")
        lines.append(f"    {gap.file}:{gap.line}:{gap.col}  [{gap.field}]  {gap.message(lang)}")
    return "\n".join(lines)


def format_github(report: dict[str, Any]) -> str:
    """One ::notice per gap (shown on the line in the pull request), then the count as a notice."""
    lines = []
    for gap in (Gap(**g) for g in report["gaps"]):
        lines.append(f"::notice file={gap.file},line={gap.line},col={gap.col},title={gap.field}::{gap.message('zh')}")
    lines.append(f"::notice title=translation coverage::{title(report)}")
    return "\n".join(lines)

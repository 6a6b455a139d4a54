"""Readiness: what an investor needs that the catalog does not give yet (`python -m generator check --readiness`).

For each project and park, the facts an investor compares before asking (the facts panel of its
page) and the ways to ask, each either given or missing:

- project: planned amount, land (its park's land available), cooperation mode, county, park, a
  contact with a phone or an email (its own contact or lead department, or the site's enquiry form,
  email or phone), photos, English text (every text has a real translation: tools/coverage.py);
- park: land available, utilities, map position, county, photos, English text.

Withdrawn projects and internal blocks are not counted. This is a to-do list for staff: it never
changes the result of the check.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import i18n
from ..catalog.model import Catalog, Record
from ..catalog.reader import RawRecord
from . import coverage
from .tooltext import text

Fact = Callable[[Catalog, Record], bool]


def _reachable(catalog: Catalog, project: Record) -> bool:
    site = catalog.site.fields
    if site.get("enquiry_form") or site.get("email") or site.get("phone"):
        return True
    people = [catalog.get("contact", project.contact),
              catalog.get("contact", (project.five_ones or {}).get("lead_department"))]
    return any(c is not None and (c.phone or c.email) for c in people)


def _land(catalog: Catalog, project: Record) -> bool:
    park = catalog.get("park", project.park)
    return bool(park is not None and park.land_available)


# record type -> (fact name, is it given); the names are tools.yml's readiness.<name>.
FACTS: dict[str, list[tuple[str, Fact]]] = {
    "project": [
        ("amount", lambda c, r: bool(r.amount)),
        ("land", _land),
        ("cooperation", lambda c, r: bool(r.cooperation)),
        ("county", lambda c, r: bool(r.county)),
        ("park", lambda c, r: bool(r.park)),
        ("contact", _reachable),
        ("photos", lambda c, r: bool(r.images)),
    ],
    "park": [
        ("land", lambda c, r: bool(r.land_available)),
        ("utilities", lambda c, r: bool(r.utilities)),
        ("map", lambda c, r: bool(r.coordinates)),
        ("county", lambda c, r: bool(r.county)),
        ("photos", lambda c, r: bool(r.images)),
    ],
}
ENGLISH = "english"


@dataclass
class RecordReadiness:
    type: str
    id: str
    file: str
    missing: list[str] = field(default_factory=list)


def readiness(catalog: Catalog, records: list[RawRecord]) -> dict[str, Any]:
    """Per record what is missing, and per type and fact how many records miss it."""
    lacking_english = set(coverage.coverage(records)["files"])
    rows: list[RecordReadiness] = []
    totals: dict[str, dict[str, Any]] = {}
    for record_type, facts in FACTS.items():
        counted = [r for r in catalog.of(record_type) if not r.fields.get("withdrawn")]
        names = [name for name, _ in facts] + [ENGLISH]
        missing_counts = dict.fromkeys(names, 0)
        complete = 0
        for record in counted:
            row = RecordReadiness(record_type, record.id, record.file,
                                  [name for name, given in facts if not given(catalog, record)])
            if record.file in lacking_english:
                row.missing.append(ENGLISH)
            for name in row.missing:
                missing_counts[name] += 1
            complete += not row.missing
            rows.append(row)
        totals[record_type] = {"records": len(counted), "complete": complete, "missing": missing_counts}
    return {"totals": totals, "records": [asdict(r) for r in rows]}


def fact_name(name: str, lang: str | None = None) -> str:
    """A fact's name: "中文 / English", or one language with lang "zh" or "en"."""
    return text(f"readiness.{name}", f"{lang}-only" if lang else None)


def totals_lines(report: dict[str, Any], lang: str) -> list[str]:
    """In one language ("zh" or "en"), a line per record type: complete of all, then how many lack each fact."""
    one = f"{lang}-only"
    lines = []
    for record_type, t in report["totals"].items():
        gaps = ("；" if lang == "zh" else "; ").join(f"{fact_name(n, lang)} {count}"
                                                    for n, count in t["missing"].items() if count)
        lines.append(text("readiness.totals", one, type=text(f"readiness.type.{record_type}", one),
                          complete=t["complete"], records=t["records"], gaps=gaps or "—"))
    return lines


def format_text(report: dict[str, Any], lang: str = "zh") -> str:
    """The totals in both languages (`lang` first), then each record that lacks something."""
    first, second = lang, i18n.other(lang)
    lines = [text("readiness.title", lang), *totals_lines(report, first), *totals_lines(report, second)]
    for row in report["records"]:
        if row["missing"]:
            names = " / ".join(", ".join(fact_name(n, each) for n in row["missing"]) for each in (first, second))
            lines.append(f"  {row['file']}  {text('readiness.lacks', lang)}: {names}")
    return "\n".join(lines)


def format_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def summary_markdown(head: dict[str, Any], base: dict[str, Any] | None) -> list[str]:
    """The PR summary's table: per type and fact, records lacking it now, and the change from the base."""
    rows = ["| | " + text("readiness.column.now") + " | " + text("readiness.column.change") + " |", "|---|---|---|"]
    for record_type, t in head["totals"].items():
        was = (base or {}).get("totals", {}).get(record_type)
        label = text(f"readiness.type.{record_type}")
        rows.append(f"| **{label}** · {text('readiness.complete')} | {t['complete']} / {t['records']} | "
                    f"{_delta(t['complete'], was['complete'] if was else None)} |")
        for name, count in t["missing"].items():
            before = was["missing"].get(name) if was else None
            rows.append(f"| {label} · {text('readiness.lacking')}: {fact_name(name)} | {count} | "
                        f"{_delta(count, before)} |")
    return rows


def _delta(now: int, before: int | None) -> str:
    if before is None:
        return "—"
    return "±0" if now == before else f"{now - before:+d}"

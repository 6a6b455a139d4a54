"""Targets page: a bar chart by county for each indicator of the annex, and monthly progress.

The charts are SVG written here, at build time, into the page itself (no script, no request, no
library: a bar chart is a few rectangles, and hand-written SVG keeps every label a real text node
in the page's language). Each is role="img" with a <title> and a <desc> that reads out every
figure; the annex table above them is the data table. A blank cell of the annex is "no target"
and gets no bar (a bar of 0 would claim a target of zero). The city total is left out of the bars
(it would dwarf them) and named in the description.

Progress: a county record may carry `progress`, one entry per month with that month's own figures
(signed projects, investment). They are shown month by month with their running totals against
the annex targets: signed projects against "newly attracted industrial projects", investment in
yuan against "domestic funds from outside the province", in US dollars against "foreign capital
actually used". A county without progress shows nothing.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from .. import i18n
from ..catalog.model import Catalog
from ..i18n import money_in, tr
from .base import Output

WIDTH = 360  # viewBox units; the figure is at most 480 px wide, so text stays near its nominal size
BAR_MAX = 270  # room to the right of the longest bar for its figure
ROW = 38
LABEL_SIZE = 13
BAR_HEIGHT = 12
# Progress measures: (indicator compared against, what the entry records)
PROGRESS_TARGETS = [("new_projects", "signed_projects"), ("funds_outside_province", "investment"),
                    ("foreign_capital", "investment")]


def _indicator(catalog: Catalog, indicator_id: str) -> dict[str, Any]:
    return next(i for i in catalog.site.target_table["indicators"] if i["id"] == indicator_id)


def chart(catalog: Catalog, indicator: dict[str, Any], lang: str) -> Markup:
    units = catalog.units
    values = [c.targets[indicator["id"]] for c in units]
    largest = max((Decimal(str(v)) for v in values if v is not None), default=Decimal(0))
    unit = i18n.unit_name(indicator["unit"], lang)
    label = tr(indicator["label"], lang)
    no_target = i18n.label("chart.no_target", lang)
    ident = f"chart-{indicator['id'].replace('_', '-')}"
    sep = "；" if lang == "zh" else "; "
    readout = sep.join(f"{tr(c.name, lang)} {i18n.number(v, lang) if v is not None else no_target}"
                       for c, v in zip(units, values, strict=True))
    total = catalog.city.targets[indicator["id"]]
    desc = (i18n.label("chart.desc", lang).replace("{values}", readout)
            .replace("{total}", i18n.number(total, lang) if total is not None else no_target))
    height = ROW * len(units) + 4
    parts = [
        f'<svg class="portal-chart__svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(label)} ({escape(unit)})</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    for row, (county, value) in enumerate(zip(units, values, strict=True)):
        top = row * ROW + 4
        bar_y = top + LABEL_SIZE + 5
        parts.append(f'<text x="0" y="{top + LABEL_SIZE}" class="portal-chart__label">'
                     f'{escape(tr(county.name, lang))}</text>')
        if value is None:
            parts.append(f'<text x="0" y="{bar_y + BAR_HEIGHT - 1}" class="portal-chart__none">'
                         f'{escape(no_target)}</text>')
            continue
        width = (Decimal(str(value)) / largest * BAR_MAX) if largest else Decimal(0)
        width = width.quantize(Decimal("0.1"))
        parts.append(f'<rect x="0" y="{bar_y}" width="{width}" height="{BAR_HEIGHT}" class="portal-chart__bar"/>')
        parts.append(f'<text x="{width + 4}" y="{bar_y + BAR_HEIGHT - 1}" class="portal-chart__value">'
                     f'{escape(i18n.number(value, lang))}</text>')
    parts.append("</svg>")
    return Markup(f'<figure class="portal-chart" id="{ident}">' + "".join(parts) + "</figure>")


def charts(catalog: Catalog, lang: str) -> list[dict[str, Any]]:
    """One chart per indicator, in the annex's order: {id, title, svg}."""
    return [{"id": i["id"], "title": f"{tr(i['label'], lang)} ({i18n.unit_name(i['unit'], lang)})",
             "svg": chart(catalog, i, lang)} for i in catalog.site.target_table["indicators"]]


def _share(done: Decimal, target: Any) -> str | None:
    if target is None or Decimal(str(target)) == 0:
        return None
    return f"{(done / Decimal(str(target)) * 100).quantize(Decimal('0.1'))}%"


def progress(catalog: Catalog, lang: str) -> list[dict[str, Any]]:
    """For each county with progress: its months (with running totals) and each measure against its target."""
    result = []
    for county in catalog.counties:
        entries = sorted(county.progress or [], key=lambda e: e["month"])
        if not entries:
            continue
        totals = {target: Decimal(0) for target, _ in PROGRESS_TARGETS}
        recorded = {target: False for target, _ in PROGRESS_TARGETS}
        months = []
        for entry in entries:
            signed = entry.get("signed_projects")
            if signed is not None:
                totals["new_projects"] += signed
                recorded["new_projects"] = True
            investment = entry.get("investment")
            for target in ("funds_outside_province", "foreign_capital"):
                value = money_in(investment, _indicator(catalog, target)["unit"])
                if value is not None:
                    totals[target] += value
                    recorded[target] = True
            months.append({
                "month": entry["month"],
                "signed": signed,
                "signed_total": totals["new_projects"] if recorded["new_projects"] else None,
                "investment": i18n.amount(investment["value"], investment["unit"], lang) if investment else None,
            })
        measures = []
        for target, _ in PROGRESS_TARGETS:
            if not recorded[target]:
                continue
            indicator = _indicator(catalog, target)
            goal = county.targets[target]
            done = totals[target].normalize()
            measures.append({
                "indicator": tr(indicator["label"], lang),
                "done": i18n.amount(done, indicator["unit"], lang),
                "target": i18n.amount(goal, indicator["unit"], lang) if goal is not None else None,
                "share": _share(totals[target], goal),
            })
        result.append({"county": county, "months": months, "measures": measures, "last": entries[-1]["month"]})
    return result


class Charts(Output):
    name = "charts"

    def template_globals(self) -> Mapping[str, Any]:
        return {"charts": lambda lang: charts(self.catalog, lang),
                "progress": lambda lang: progress(self.catalog, lang)}

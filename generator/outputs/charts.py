"""Targets page: a bar chart by county for each indicator of the annex, and monthly progress.

The charts are SVG written here, at build time, into the page itself (no script, no request, no
library: a bar chart is a few rectangles, and hand-written SVG keeps every label a real text node
in the page's language). Each is role="img" with a <title> and a <desc> that reads out every
figure; the annex table above them is the data table. A blank cell of the annex is "no target"
and gets no bar (a bar of 0 would claim a target of zero). The city total is left out of the bars
(it would dwarf them) and named in the description.

Progress: a county record may carry `progress`, one entry per month with that month's own figures
(signed projects, investment). They are shown month by month with their running totals against
the indicators the settings mark with `progress`: signed projects against those marked
`signed_projects`, investment against those marked `investment` whose unit has its currency. A
county without progress shows nothing.

The table's header follows the declaration too (`header_rows`): a row of groups when indicators
have one, then each indicator over its own column and, for one with "of which" indicators, an
"of which" cell over theirs, as deep as the declaration goes.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from .. import i18n
from ..catalog.model import Catalog
from ..catalog.targets import Indicator, TargetTable, value
from ..i18n import money_in, tr
from .base import Output

WIDTH = 360  # viewBox units; the figure is at most 480 px wide, so text stays near its nominal size
BAR_MAX = 270  # room to the right of the longest bar for its figure
ROW = 38
LABEL_SIZE = 13
BAR_HEIGHT = 12


def chart(catalog: Catalog, indicator: Indicator, lang: str) -> Markup:
    units = catalog.units
    values = [value(c.targets, indicator.id) for c in units]
    largest = max((Decimal(str(v)) for v in values if v is not None), default=Decimal(0))
    unit = catalog.unit_name(indicator.unit, lang)
    label = tr(indicator.label, lang)
    no_target = catalog.label("chart.no_target", lang)
    ident = f"chart-{indicator.id.replace('_', '-')}"
    sep = "；" if lang == "zh" else "; "
    readout = sep.join(f"{tr(c.name, lang)} {i18n.number(v, lang) if v is not None else no_target}"
                       for c, v in zip(units, values, strict=True))
    total = value(catalog.city.targets, indicator.id)
    desc = (catalog.label("chart.desc", lang).replace("{values}", readout)
            .replace("{total}", i18n.number(total, lang) if total is not None else no_target))
    height = ROW * len(units) + 4
    parts = [
        f'<svg class="portal-chart__svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(label)} ({escape(unit)})</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    for row, (county, figure) in enumerate(zip(units, values, strict=True)):
        top = row * ROW + 4
        bar_y = top + LABEL_SIZE + 5
        parts.append(f'<text x="0" y="{top + LABEL_SIZE}" class="portal-chart__label">'
                     f'{escape(tr(county.name, lang))}</text>')
        if figure is None:
            parts.append(f'<text x="0" y="{bar_y + BAR_HEIGHT - 1}" class="portal-chart__none">'
                         f'{escape(no_target)}</text>')
            continue
        width = (Decimal(str(figure)) / largest * BAR_MAX) if largest else Decimal(0)
        width = width.quantize(Decimal("0.1"))
        parts.append(f'<rect x="0" y="{bar_y}" width="{width}" height="{BAR_HEIGHT}" class="portal-chart__bar"/>')
        parts.append(f'<text x="{width + 4}" y="{bar_y + BAR_HEIGHT - 1}" class="portal-chart__value">'
                     f'{escape(i18n.number(figure, lang))}</text>')
    parts.append("</svg>")
    return Markup(f'<figure class="portal-chart" id="{ident}">' + "".join(parts) + "</figure>")


def charts(catalog: Catalog, lang: str) -> list[dict[str, Any]]:
    """One chart per indicator, in the table's column order: {id, title, svg}."""
    return [{"id": i.id, "title": f"{tr(i.label, lang)} ({catalog.unit_name(i.unit, lang)})",
             "svg": chart(catalog, i, lang)} for i in catalog.target_table.columns]


def _share(done: Decimal, target: Any) -> str | None:
    if target is None or Decimal(str(target)) == 0:
        return None
    return f"{(done / Decimal(str(target)) * 100).quantize(Decimal('0.1'))}%"


def progress_measures(table: TargetTable) -> list[Indicator]:
    """The indicators monthly progress is set against: signed projects first, then investment."""
    return table.progress("signed_projects") + table.progress("investment")


def progress(catalog: Catalog, lang: str) -> list[dict[str, Any]]:
    """For each county with progress: its months (with running totals) and each measure against its target."""
    measures_of = progress_measures(catalog.target_table)
    result = []
    for county in catalog.counties:
        entries = sorted(county.progress or [], key=lambda e: e["month"])
        if not entries:
            continue
        totals = {i.id: Decimal(0) for i in measures_of}
        recorded = {i.id: False for i in measures_of}
        signed_total, signed_any = Decimal(0), False
        months = []
        for entry in entries:
            signed = entry.get("signed_projects")
            investment = entry.get("investment")
            if signed is not None:
                signed_total += signed
                signed_any = True
            for indicator in measures_of:
                done = signed if indicator.progress == "signed_projects" else money_in(investment, indicator.unit)
                if done is not None:
                    totals[indicator.id] += done
                    recorded[indicator.id] = True
            months.append({
                "month": entry["month"],
                "signed": signed,
                "signed_total": signed_total if signed_any else None,
                "investment": i18n.amount(investment["value"], investment["unit"], lang) if investment else None,
            })
        measures = []
        for indicator in measures_of:
            if not recorded[indicator.id]:
                continue
            goal = value(county.targets, indicator.id)
            measures.append({
                "indicator": tr(indicator.label, lang),
                "done": i18n.amount(totals[indicator.id].normalize(), indicator.unit, lang),
                "target": i18n.amount(goal, indicator.unit, lang) if goal is not None else None,
                "share": _share(totals[indicator.id], goal),
            })
        result.append({"county": county, "months": months, "measures": measures, "last": entries[-1]["month"]})
    return result


def header_rows(table: TargetTable) -> list[list[dict[str, Any]]]:
    """The header of the target table, row by row: cells {kind: county | group | indicator | of_which,
    rowspan, colspan, and the indicator or group}. Groups make the first row when any indicator has
    one; an indicator starts at the row of its depth and spans down to the last row; one with "of
    which" indicators has an "of which" cell beside it over their columns, and they start a row lower."""
    banded = any(table.group_of(i) is not None for i in table.top)

    def start(top: Indicator) -> int:  # the row a top indicator's own cell is in
        return 1 if banded and table.group_of(top) is not None else 0

    height = max((start(top) + d.depth + 1 for top in table.top for d in (top, *top.descendants())), default=1)
    rows: list[list[dict[str, Any]]] = [[] for _ in range(height)]
    rows[0].append({"kind": "county", "rowspan": height, "colspan": 1})
    index = 0
    while index < len(table.top):
        indicator = table.top[index]
        group = table.group_of(indicator)
        run = [indicator]
        while group is not None and index + len(run) < len(table.top) and \
                table.group_of(table.top[index + len(run)]) is group:
            run.append(table.top[index + len(run)])
        if group is not None:
            width = sum(1 + len(i.descendants()) for i in run)
            rows[0].append({"kind": "group", "group": group, "rowspan": 1, "colspan": width})
        for member in run:
            _place(rows, member, start(member), height)
        index += len(run)
    return rows


def _place(rows: list[list[dict[str, Any]]], indicator: Indicator, row: int, height: int) -> None:
    rows[row].append({"kind": "indicator", "indicator": indicator, "rowspan": height - row, "colspan": 1})
    if indicator.children:
        rows[row].append({"kind": "of_which", "rowspan": 1, "colspan": len(indicator.descendants())})
        for child in indicator.children:
            _place(rows, child, row + 1, height)


def home_figures(catalog: Catalog) -> list[Indicator]:
    """The city's money targets, which the home page shows under the headline targets."""
    return [i for i in catalog.target_table.columns if i.is_money]


class Charts(Output):
    name = "charts"

    def template_globals(self) -> Mapping[str, Any]:
        return {"charts": lambda lang: charts(self.catalog, lang),
                "progress": lambda lang: progress(self.catalog, lang),
                "header": lambda: header_rows(self.catalog.target_table),
                "home_figures": lambda: home_figures(self.catalog),
                "value": value}

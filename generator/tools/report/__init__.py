"""The monthly summary for the leading group office: `python -m generator report --month 2024-03`.

The plan (§三(一)) keeps two libraries, of projects and of investor leads, tracks how negotiations
stand, and reports to the leading group office every month. Those facts sit in each record's
`internal:` block (schema: common.schema.json $defs/internal), which model.py drops before anything
is published. This module is the only reader of `internal:`, and it writes outside site/
(reports/ by default, which git ignores): the same tables as Markdown and as XLSX.

Sections: projects by county and by chain (negotiation stage as of the month's end), the month's
stage changes, the month's signed projects, the year's signed projects and investment against the
county targets (public, from the annex), and every internal block in full.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ... import i18n, locale
from ...catalog.reader import RawRecord
from ...catalog.targets import Indicator, target_table
from ...i18n import money_in
from ...outputs.charts import progress_measures
from ...outputs.formats import cell_value, formula_like
from ...registry import SCHEMA_DIR

HERE = Path(__file__).parent
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet name


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return locale.load(HERE / "labels.yml")


@lru_cache(maxsize=1)
def stages() -> list[str]:
    """The negotiation stages in order, as the schema lists them (one source of truth)."""
    common = json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))
    return list(common["$defs"]["negotiation_stage"]["enum"])


def valid_month(text: str) -> str:
    if not MONTH.match(text or ""):
        raise ValueError(f"month {text!r}: expected YYYY-MM, e.g. 2024-03 / 月份应为 YYYY-MM，例如 2024-03")
    return text


@dataclass
class Table:
    key: str  # a key of labels()['sections']
    header: list[str]  # keys of labels()['columns'], `stage:<stage>`, or keys of `labels`
    rows: list[list[object]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # headings made from the settings (indicators)

    def headings(self) -> list[str]:
        return [self.labels[column] if column in self.labels else header_text(column) for column in self.header]

    @property
    def title(self) -> dict[str, str]:
        title: dict[str, str] = labels()["sections"][self.key]
        return title


@dataclass
class Report:
    month: str
    tables: list[Table]


def header_text(column: str) -> str:
    """A column heading, Chinese then English: a column key, or `stage:<stage>`."""
    kind, _, key = column.rpartition(":")
    text = labels()["stages" if kind == "stage" else "columns"][key]
    return f"{text['zh']} / {text['en']}"


class Share(Decimal):
    """A share of a target, in per cent (shown as 12.5%)."""


# --- reading the internal blocks ------------------------------------------------------------------

def _internal(record: RawRecord) -> dict[str, Any]:
    value = record.data.get("internal")
    return value if isinstance(value, dict) else {}


def _history(internal: dict[str, Any]) -> list[dict[str, Any]]:
    # Stable sort: entries of one month keep the order they are written in.
    return sorted((h for h in internal.get("stage_history") or [] if isinstance(h, dict)),
                  key=lambda h: str(h.get("month")))


def stage_at(internal: dict[str, Any], month: str) -> str | None:
    """The negotiation stage at the end of `month`: the last change up to then, else the undated stage."""
    history = _history(internal)
    past = [h for h in history if str(h["month"]) <= month]
    if past:
        stage: str = past[-1]["stage"]
        return stage
    if history:
        return None  # every recorded change is later: not yet in negotiation then
    return internal.get("stage")


def signed_month(internal: dict[str, Any]) -> str | None:
    """When the project was signed: the first change to `signed`, else the month of signed.date."""
    for entry in _history(internal):
        if entry.get("stage") == "signed":
            return str(entry["month"])
    date = (internal.get("signed") or {}).get("date")
    return str(date)[:7] if date else None


def _name(record: RawRecord | None, lang: str = "zh") -> str:
    if record is None:
        citywide: str = labels()["rows"]["citywide"][lang]
        return citywide
    text = record.data.get("title") or record.data.get("name")
    if isinstance(text, dict):
        name: str = text.get(lang) or record.data.get("id", "")
        return name
    return str(record.data.get("id", ""))


def _both(record: RawRecord | None) -> str:
    zh, en = _name(record, "zh"), _name(record, "en")
    return zh if zh == en else f"{zh} ({en})"


def _share(done: Decimal | int, target: object) -> Decimal | None:
    if target in (None, 0):
        return None
    return Share((Decimal(done) * 100 / Decimal(str(target))).quantize(Decimal("0.1")))


# --- the tables -----------------------------------------------------------------------------------

class Tables:
    """The report's tables for one month, from validated records (the internal blocks included)."""

    def __init__(self, records: list[RawRecord], month: str):
        self.records = records
        self.month = valid_month(month)
        self.by_type: dict[str, dict[str, RawRecord]] = {}
        for record in records:
            self.by_type.setdefault(record.type, {})[str(record.data.get("id"))] = record
        self.projects = sorted(self.of("project"), key=lambda r: r.data["id"])
        self.counties = sorted((c for c in self.of("county") if c.data.get("kind") != "city"),
                               key=lambda c: (c.data.get("order", 0), c.data["id"]))
        self.city = next((c for c in self.of("county") if c.data.get("kind") == "city"), None)
        self.chains = sorted(self.of("chain"), key=lambda c: (c.data.get("order", 0), c.data["id"]))
        site = next(iter(self.of("site")), None)
        self.measures = progress_measures(target_table(site.data)) if site is not None else []

    def of(self, record_type: str) -> list[RawRecord]:
        return list(self.by_type.get(record_type, {}).values())

    def county_of(self, project: RawRecord) -> RawRecord | None:
        county = project.data.get("county")
        return self.by_type.get("county", {}).get(county) if county is not None else None

    def chain_of(self, project: RawRecord) -> RawRecord | None:
        chain = project.data.get("chain")
        return self.by_type.get("chain", {}).get(chain) if chain is not None else None

    def counts(self, key: str, column: str, groups: list[RawRecord | None],
               group_of: Callable[[RawRecord], RawRecord | None]) -> Table:
        """Projects by county or chain, by their negotiation stage at the month's end."""
        stage_keys = stages()
        table = Table(key, [column, "projects", *(f"stage:{s}" for s in stage_keys), "none"])
        totals = [0] * (len(stage_keys) + 2)
        for group in groups:
            members = [p for p in self.projects if group_of(p) is group]
            if group is None and not members:
                continue
            at_end = [stage_at(_internal(p), self.month) for p in members]
            counts = [len(members), *(at_end.count(s) for s in stage_keys), at_end.count(None)]
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            table.rows.append([_name(group), *counts])
        table.rows.append([labels()["rows"]["total"]["zh"], *totals])
        return table

    def changes(self) -> Table:
        table = Table("changes", ["project", "county", "chain", "from", "to", "note"])
        for project in self.projects:
            history = _history(_internal(project))
            for index, entry in enumerate(history):
                if str(entry["month"]) != self.month:
                    continue
                before = history[index - 1]["stage"] if index else None
                table.rows.append([_name(project), _name(self.county_of(project)), _name(self.chain_of(project)),
                                   _stage(before), _stage(entry["stage"]), entry.get("note")])
        return table

    def signed(self) -> Table:
        table = Table("signed", ["project", "county", "chain", "date", "amount"])
        for project in self.projects:
            internal = _internal(project)
            if signed_month(internal) == self.month:
                deal = internal.get("signed") or {}
                table.rows.append([_name(project), _name(self.county_of(project)), _name(self.chain_of(project)),
                                   deal.get("date"), _amount_text(deal.get("amount"))])
        return table

    def investment(self) -> Table:
        """The year's signed projects and investment against the targets the settings mark for progress:
        signed projects against those marked `signed_projects`, money against `investment` ones."""
        header = ["county"]
        for indicator in self.measures:
            agreed = "signed_ytd" if indicator.progress == "signed_projects" else f"agreed_ytd:{indicator.unit}"
            header += [agreed, f"target:{indicator.id}", "share"]
        table = Table("investment", header, labels=self._target_headers())
        year_start = self.month[:4] + "-01"
        sums = [Decimal(0) for _ in self.measures]
        for group in [*self.counties, None]:
            this_year = [p for p in self.projects if self.county_of(p) is group
                         and year_start <= (signed_month(_internal(p)) or "") <= self.month]
            if group is None and not this_year:
                continue
            done = [self._done(indicator, this_year) for indicator in self.measures]
            sums = [a + b for a, b in zip(sums, done, strict=True)]
            targets = (group.data.get("targets") or {}) if group is not None else {}
            table.rows.append(self._row(_name(group), done, targets))
        city_targets = (self.city.data.get("targets") or {}) if self.city is not None else {}
        table.rows.append(self._row(labels()["rows"]["total"]["zh"], sums, city_targets))
        return table

    def _done(self, indicator: Indicator, projects: list[RawRecord]) -> Decimal:
        if indicator.progress == "signed_projects":
            return Decimal(len(projects))
        return sum((money_in((_internal(p).get("signed") or {}).get("amount"), indicator.unit) or Decimal(0)
                    for p in projects), Decimal(0))

    def _row(self, name: str, done: list[Decimal], targets: dict[str, Any]) -> list[object]:
        row: list[object] = [name]
        for indicator, figure in zip(self.measures, done, strict=True):
            target = targets.get(indicator.id)
            shown: object = int(figure) if indicator.progress == "signed_projects" else (figure.normalize()
                                                                                       if figure else Decimal(0))
            row += [shown, target, _share(figure, target)]
        return row

    def _target_headers(self) -> dict[str, str]:
        """The headings of the columns named after the settings' indicators and units."""
        words = labels()["columns"]
        found = {}
        for indicator in self.measures:
            unit = {"zh": f"（{indicator.unit}）", "en": f" ({i18n.unit_name(indicator.unit, 'en')})"}
            if indicator.progress == "signed_projects":
                unit = {"zh": "", "en": ""}
            found[f"target:{indicator.id}"] = " / ".join(
                words["target"][lang].replace("{label}", indicator.label[lang]) + unit[lang] for lang in ("zh", "en"))
            found[f"agreed_ytd:{indicator.unit}"] = " / ".join(
                words["agreed_ytd"][lang].replace("{unit}", unit[lang].strip(" （）()")) for lang in ("zh", "en"))
        return found

    def register(self) -> Table:
        table = Table("register", ["record", "file", "stage", "leader", "notes", "leads", "history", "signed"])
        for record in sorted(self.records, key=lambda r: (r.type, str(r.data.get("id")))):
            internal = _internal(record)
            if internal:
                table.rows.append(_register_row(record, internal))
        return table


def _register_row(record: RawRecord, internal: dict[str, Any]) -> list[object]:
    leader = internal.get("leader") or {}
    deal = internal.get("signed") or {}
    return [
        f"{labels()['record_types'][record.type]['zh']} {record.data.get('id')}: {_both(record)}",
        record.file,
        _stage(internal.get("stage")),
        " ".join(str(v) for v in (leader.get("name"), leader.get("phone")) if v) or None,
        internal.get("notes"),
        "\n".join(" / ".join(str(lead[k]) for k in ("name", "person", "phone", "email", "note") if lead.get(k))
                  for lead in internal.get("leads") or []) or None,
        "\n".join(f"{h['month']} {_stage(h['stage'])}" + (f": {h['note']}" if h.get("note") else "")
                  for h in _history(internal)) or None,
        " ".join(v for v in (str(deal["date"]) if deal.get("date") else None,
                             _amount_text(deal.get("amount"))) if v) or None,
    ]


def build(records: list[RawRecord], month: str) -> Report:
    """Every table of the report for `month` (YYYY-MM), from validated records."""
    tables = Tables(records, month)
    return Report(tables.month, [
        tables.counts("by_county", "county", [*tables.counties, None], tables.county_of),
        tables.counts("by_chain", "chain", [*tables.chains, None], tables.chain_of),
        tables.changes(), tables.signed(), tables.investment(), tables.register(),
    ])


def _stage(stage: str | None) -> str:
    if stage is None:
        none: str = labels()["rows"]["none"]["zh"]
        return none
    name: str = labels()["stages"][stage]["zh"]
    return name


def _amount_text(amount: dict[str, Any] | None) -> str | None:
    if not amount:
        return None
    value = Decimal(str(amount["value"])).normalize()
    return f"{format(value, 'f')} {amount['unit']}"


# --- writing --------------------------------------------------------------------------------------

def _cell_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Share):
        return f"{value}%"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _md_cell(value: object) -> str:
    """A table cell: plain text, so HTML, pipes and line breaks cannot change the table."""
    text = _cell_text(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def markdown(report: Report) -> str:
    env = Environment(loader=FileSystemLoader(HERE), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["cell"] = _md_cell
    return env.get_template("report.md.j2").render(report=report, L=labels())


def xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for number, table in enumerate(report.tables, start=1):
        sheet = book.create_sheet(f"{number} {table.title['zh']}"[:SHEET_TITLE_LIMIT])
        sheet.append([f"{table.title['zh']} / {table.title['en']} — {report.month}"])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.headings())
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([float(value) / 100 if isinstance(value, Share) else
                          value if isinstance(value, (int, Decimal)) else
                          (None if value is None else cell_value(str(value))) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if isinstance(value, Share):
                    cell.number_format = "0.0%"
                elif formula_like(value):
                    cell.data_type = "s"  # a note that starts like a formula is text, never a formula
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B3"
        for index, _ in enumerate(table.header, start=1):
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = 18
    book.properties.title = f"{labels()['title']['zh']} {report.month}"
    book.save(path)


def write(records: list[RawRecord], month: str, out_dir: Path) -> list[Path]:
    """Write reports/<month>/report-<month>.md and .xlsx; returns their paths."""
    report = build(records, month)
    folder = Path(out_dir) / month
    folder.mkdir(parents=True, exist_ok=True)
    md_path = folder / f"report-{month}.md"
    xlsx_path = folder / f"report-{month}.xlsx"
    md_path.write_text(markdown(report), encoding="utf-8")
    xlsx(report, xlsx_path)
    return [md_path, xlsx_path]

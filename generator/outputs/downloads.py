"""Data downloads, per language: the projects as CSV, and every record type as XLSX and JSON.

Files (below each language root, zh at /, en at /en/):
  data/projects.csv   UTF-8 with a BOM and CRLF line ends, so that Excel opens it as it is
  data/catalog.xlsx   one sheet per record type, header row frozen and filtered
  data/catalog.json   {"dataset": …, "columns": …, "<type>": [records]}

The rows come from one table spec, so the three formats always agree. They are built from the
public model (no `internal:` block) and hold only what the records say: a value the source does
not give is an empty cell (null in JSON). Builds are reproducible: the workbook's own dates come
from the records, and its ZIP entries carry a fixed timestamp.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

from .. import i18n
from ..model import Catalog, Record
from ._common import href, lang_root, latest_date, plain, public_url, record_url, tr
from .calendar import ics_path
from .contacts import vcard_path

CSV_PATH = "data/projects.csv"
XLSX_PATH = "data/catalog.xlsx"
JSON_PATH = "data/catalog.json"
# (path, label key, file name offered to the browser)
FILES = [
    (CSV_PATH, "downloads.csv", "shaoyang-projects-{lang}.csv"),
    (XLSX_PATH, "downloads.xlsx", "shaoyang-catalog-{lang}.xlsx"),
    (JSON_PATH, "downloads.json", "shaoyang-catalog-{lang}.json"),
]
# What the Dataset JSON-LD (outputs/sharing.py) lists as the catalogue's distribution.
DATASET_FILES = [
    (CSV_PATH, "text/csv"),
    (XLSX_PATH, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (JSON_PATH, "application/json"),
]
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time ZIP can store: the same in every build
UTILITIES = ["water", "power", "telecoms", "waste-sewage", "greening", "gas", "roads"]


@dataclass
class Column:
    key: str  # the JSON key, stable across languages
    label: str  # label key, or the header text itself when `literal`
    value: Callable[[Record], object]
    literal: bool = False


@dataclass
class Table:
    key: str  # record type, plural: the JSON key and the sheet's label key (sheet.<key>)
    columns: list[Column]
    rows: list[Record]


def tables(catalog: Catalog, lang: str) -> list[Table]:
    """Every record type as a table of plain values (str, Decimal, int, bool, list or None)."""

    def t(value):
        return tr(value, lang)

    def name(record_type):
        def get(record_id):
            other = catalog.get(record_type, record_id)
            return t(other.name or other.title) if other else None
        return get

    def names(record_type, ids):
        return [name(record_type)(i) for i in ids or []] or None

    def label(prefix):
        return lambda value: i18n.label(f"{prefix}.{value}", lang) if value else None

    def page(record):
        path = record_url(record)
        return public_url(catalog, lang, path) or path

    def amount_value(amount):
        return amount["value"] if amount else None

    def amount_unit(amount):
        return i18n.unit_name(amount["unit"], lang) if amount else None

    def hectares(land):
        if not land:
            return None
        if land["unit"] == "亩":
            return i18n.hectares(land["value"])
        return land["value"] if land["unit"] == "公顷" else None

    def utility(kind):
        return lambda park: next((t(u["text"]) for u in park.utilities or [] if u["kind"] == kind), None)

    source = Column("source_ref", "data.source_ref", lambda r: r.source_ref)
    example = Column("example", "data.example", lambda r: bool(r.example))
    page_col = Column("page", "data.page", page)
    ident = Column("id", "data.id", lambda r: r.id)

    projects = [
        ident,
        Column("title", "field.name", lambda p: t(p.title)),
        Column("chain", "field.chain", lambda p: name("chain")(p.chain)),
        Column("park", "field.park", lambda p: name("park")(p.park)),
        Column("county", "field.county", lambda p: name("county")(p.county)),
        Column("enterprise", "field.enterprise", lambda p: t(p.enterprise)),
        Column("stage", "field.stage", lambda p: label("stage")(p.stage)),
        Column("amount", "field.amount", lambda p: amount_value(p.amount)),
        Column("amount_unit", "targets.unit_label", lambda p: amount_unit(p.amount)),
        Column("cooperation", "field.cooperation",
               lambda p: [label("cooperation")(c) for c in p.cooperation] if p.cooperation else None),
        Column("key", "field.key", lambda p: p.key),
        Column("lead_department", "data.lead_department",
               lambda p: name("contact")((p.five_ones or {}).get("lead_department"))),
        Column("contact", "field.contact", lambda p: name("contact")(p.contact)),
        Column("goal", "field.goal", lambda p: t(p.goal)),
        Column("description", "field.description", lambda p: t(p.description)),
        Column("updated", "field.updated", lambda p: p.updated),
        source, example, page_col,
    ]
    chains = [
        ident,
        Column("order", "data.order", lambda c: c.order),
        Column("name", "field.name", lambda c: t(c.name)),
        Column("summary", "field.description", lambda c: t(c.summary)),
        Column("parks", "field.parks", lambda c: names("park", c.parks)),
        Column("enterprises", "field.enterprises", lambda c: [t(e) for e in c.enterprises or []] or None),
        source, page_col,
    ]
    parks = [
        ident,
        Column("name", "field.name", lambda p: t(p.name)),
        Column("kind", "field.kind", lambda p: label("park")(p.kind)),
        Column("chains", "field.chains", lambda p: names("chain", p.chains)),
        Column("county", "field.county", lambda p: name("county")(p.county)),
        Column("industries", "field.industries", lambda p: [t(i) for i in p.industries or []] or None),
        Column("land_available", "field.land", lambda p: amount_value(p.land_available)),
        Column("land_unit", "targets.unit_label", lambda p: amount_unit(p.land_available)),
        Column("land_hectares", "data.land_hectares", lambda p: hectares(p.land_available)),
        *[Column(f"utility_{u.replace('-', '_')}", f"utility.{u}", utility(u)) for u in UTILITIES],
        Column("lat", "data.lat", lambda p: (p.coordinates or {}).get("lat")),
        Column("lng", "data.lng", lambda p: (p.coordinates or {}).get("lng")),
        Column("description", "field.description", lambda p: t(p.description)),
        source, example, page_col,
    ]
    policies = [
        ident,
        Column("kind", "field.kind", lambda p: label("policy")(p.kind)),
        Column("title", "field.name", lambda p: t(p.title)),
        Column("number", "field.number", lambda p: p.number),
        Column("date", "field.date", lambda p: p.date),
        Column("issuer", "field.issuer", lambda p: t(p.issuer)),
        Column("summary", "field.description", lambda p: t(p.summary)),
        Column("points", "field.points", lambda p: [t(x) for x in p.points or []] or None),
        Column("chains", "field.chains", lambda p: names("chain", p.chains)),
        source, example, page_col,
    ]
    events = [
        ident,
        Column("kind", "field.kind", lambda e: label("event")(e.kind)),
        Column("title", "field.name", lambda e: t(e.title)),
        Column("date", "field.date", lambda e: e.date),
        Column("end", "data.end", lambda e: e.end),
        Column("year", "field.year", lambda e: e.year),
        Column("schedule", "field.schedule", lambda e: t(e.schedule)),
        Column("venue", "field.venue", lambda e: t(e.venue)),
        Column("regions", "field.regions", lambda e: names("region", e.regions)),
        Column("chains", "field.chains", lambda e: names("chain", e.chains)),
        Column("description", "field.description", lambda e: t(e.description)),
        Column("calendar_file", "data.ics", lambda e: ics_path(e)),
        source, example, page_col,
    ]
    contacts = [
        ident,
        Column("kind", "field.kind", lambda c: label("contact")(c.kind)),
        Column("name", "field.name", lambda c: t(c.name)),
        Column("regions", "field.regions", lambda c: names("region", c.regions)),
        Column("team_size", "field.team_size", lambda c: c.team_size),
        Column("phone", "field.phone", lambda c: c.phone),
        Column("email", "field.email", lambda c: c.email),
        Column("address", "field.address", lambda c: t(c.address)),
        Column("description", "field.description", lambda c: t(c.description)),
        Column("vcard_file", "data.vcard", lambda c: vcard_path(c)),
        source, example,
    ]
    regions = [
        ident,
        Column("order", "data.order", lambda r: r.order),
        Column("name", "field.name", lambda r: t(r.name)),
        Column("priority", "data.priority", lambda r: label("region")(r.priority)),
        Column("description", "field.description", lambda r: t(r.description)),
        source,
    ]
    indicators = catalog.site.target_table["indicators"]
    counties = [
        ident,
        Column("name", "field.name", lambda c: t(c.name)),
        *[Column(i["id"], f"{t(i['label'])} ({i18n.unit_name(i['unit'], lang)})",
                 (lambda key: lambda c: c.targets[key])(i["id"]), literal=True) for i in indicators],
        source,
    ]
    result = [
        Table("projects", projects, catalog.projects),
        Table("chains", chains, catalog.chains),
        Table("parks", parks, catalog.parks),
        Table("policies", policies, catalog.policies),
        Table("events", events, catalog.events),
        Table("contacts", contacts, catalog.contacts),
        Table("regions", regions, catalog.regions),
        Table("counties", counties, catalog.counties),
    ]
    progress_rows = [(c, entry) for c in catalog.counties for entry in c.progress or []]
    if progress_rows:
        result.append(Table("progress", [
            Column("county", "field.county", lambda row: t(row[0].name)),
            Column("month", "data.month", lambda row: row[1]["month"]),
            Column("signed_projects", "data.signed_projects", lambda row: row[1].get("signed_projects")),
            Column("investment", "data.investment", lambda row: amount_value(row[1].get("investment"))),
            Column("investment_unit", "targets.unit_label", lambda row: amount_unit(row[1].get("investment"))),
        ], progress_rows))
    return result


def header(column: Column, lang: str) -> str:
    return column.label if column.literal else i18n.label(column.label, lang)


def cell_text(value, lang: str):
    """A value as a spreadsheet cell: lists joined, booleans as words; numbers stay numbers."""
    if value is None:
        return None
    if isinstance(value, bool):
        return i18n.label("answer.yes" if value else "answer.no", lang)
    if isinstance(value, list):
        return ("；" if lang == "zh" else "; ").join(str(v) for v in value if v is not None)
    return value


# A cell that starts like a formula would run as one when the CSV is opened in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(catalog: Catalog, lang: str) -> str:
    table = tables(catalog, lang)[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header(c, lang) for c in table.columns])
    for record in table.rows:
        row = []
        for column in table.columns:
            value = cell_text(column.value(record), lang)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                value = "'" + value
            row.append("" if value is None else (format(value, "f") if isinstance(value, Decimal) else value))
        writer.writerow(row)
    return out.getvalue()


def xlsx_bytes(catalog: Catalog, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    import datetime as dt

    # Write-only mode streams the rows out (about twice as fast at 1,000 projects); it wants the
    # sheet's settings (widths, frozen header, filter) before the first row.
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables(catalog, lang):
        sheet = book.create_sheet(i18n.label(f"sheet.{table.key}", lang)[:31])
        headers = [header(c, lang) for c in table.columns]
        rows = [[cell_text(c.value(record), lang) for c in table.columns] for record in table.rows]
        for index, head in enumerate(headers):
            widest = max([len(str(head))] + [len(str(row[index])) for row in rows if row[index]])
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(60, max(8, widest + 2))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        heading_row = []
        for head in headers:
            cell = WriteOnlyCell(sheet, value=head)
            cell.font = bold
            heading_row.append(cell)
        sheet.append(heading_row)
        for row in rows:
            sheet.append([_text_cell(sheet, value) if isinstance(value, str) and value.startswith("=") else value
                          for value in row])
    stamp = dt.datetime.fromisoformat(latest_date(catalog) or "2020-01-01")
    book.properties.creator = catalog.site.name[lang]
    book.properties.title = catalog.site.name[lang]
    book.properties.created = stamp
    book.properties.lastModifiedBy = None
    raw = io.BytesIO()
    book.save(raw)  # sets the "modified" property to the clock: _fixed_zip puts the record date back
    return _fixed_zip(raw.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _text_cell(sheet, value: str):
    """A cell holding text that starts with "=": text here, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes, modified: str) -> bytes:
    """The same ZIP with fixed entry times and "modified" property, so that two builds give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = MODIFIED.sub(rb"\g<1>" + modified.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def json_text(catalog: Catalog, lang: str) -> str:
    document: dict = {
        "dataset": {
            "name": catalog.site.name[lang],
            "publisher": catalog.site.organizer[lang],
            "language": "zh-Hans" if lang == "zh" else "en",
            "source": i18n.label("source.document", lang),
            "modified": latest_date(catalog),
        },
        "columns": {},
    }
    for table in tables(catalog, lang):
        document["columns"][table.key] = {c.key: header(c, lang) for c in table.columns}
        document[table.key] = [{c.key: plain(c.value(r)) for c in table.columns} for r in table.rows]
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write(catalog: Catalog, site_dir: Path, build_dir: Path) -> None:
    for lang in i18n.LANGS:
        folder = lang_root(site_dir, lang) / "data"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / Path(CSV_PATH).name).write_text(csv_text(catalog, lang), encoding="utf-8-sig", newline="")
        (folder / Path(XLSX_PATH).name).write_bytes(xlsx_bytes(catalog, lang))
        (folder / Path(JSON_PATH).name).write_text(json_text(catalog, lang), encoding="utf-8")


def template_globals(catalog: Catalog) -> dict:
    return {"data_files": [(path, key, name) for path, key, name in FILES], "file_href": href}

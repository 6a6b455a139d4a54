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

import contextlib
import csv
import functools
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import i18n, registry
from ..catalog.model import Catalog, latest_date
from ..plan import urls
from ..registry import Column
from .base import Output
from .formats import cell_value, formula_like, plain, public_url, write_language_files

CSV_PATH = "data/projects.csv"
XLSX_PATH = "data/catalog.xlsx"
JSON_PATH = "data/catalog.json"
# (path, label key, file name offered to the browser; {slug} is the site's short name)
FILES = [
    (CSV_PATH, "downloads.csv", "{slug}-projects-{lang}.csv"),
    (XLSX_PATH, "downloads.xlsx", "{slug}-catalog-{lang}.xlsx"),
    (JSON_PATH, "downloads.json", "{slug}-catalog-{lang}.json"),
]
# What the Dataset JSON-LD (outputs/sharing.py) lists as the catalogue's distribution.
DATASET_FILES = [
    (CSV_PATH, "text/csv"),
    (XLSX_PATH, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (JSON_PATH, "application/json"),
]
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time ZIP can store: the same in every build
FALLBACK_DATE = "1980-01-01"  # a workbook's date when no record has one: fixed, never the clock


class Cells:
    """How a value is written into a cell, in one language (registry.Cells)."""

    def __init__(self, catalog: Catalog, lang: str, file_of: Any = None):
        self.catalog = catalog
        self.lang = lang
        self.file_of = file_of

    def text(self, value: Any) -> Any:
        return i18n.tr(value, self.lang)

    def name(self, record_type: str, record_id: str | None) -> str | None:
        other = self.catalog.get(record_type, record_id)
        return self.text(other.fields.get("name") or other.fields.get("title")) if other else None

    def names(self, record_type: str, ids: Sequence[str] | None) -> list[str | None] | None:
        return [self.name(record_type, i) for i in ids or []] or None

    def label(self, prefix: str, value: str | None) -> str | None:
        return self.catalog.label(f"{prefix}.{value}", self.lang) if value else None

    def page(self, record: registry.RecordLike) -> str | None:
        path = urls.record_url(record.type, record.id)
        return (public_url(self.catalog, self.lang, path) or path) if path else None

    def file(self, record: registry.RecordLike) -> str | None:
        return self.file_of(record) if self.file_of else None

    def amount_value(self, amount: Mapping[str, Any] | None) -> Any:
        return amount["value"] if amount else None

    def amount_unit(self, amount: Mapping[str, Any] | None) -> str | None:
        return self.catalog.unit_name(amount["unit"], self.lang) if amount else None

    def hectares(self, land: Mapping[str, Any] | None) -> Any:
        if not land:
            return None
        if land["unit"] == "亩":
            return i18n.hectares(land["value"])
        return land["value"] if land["unit"] == "公顷" else None

    def with_unit(self, text: Any, unit: str) -> str:
        return f"{self.text(text)} ({self.catalog.unit_name(unit, self.lang)})"


# The files a record of a type has below the language root (the download sheet's file column).
RECORD_FILES = {"event": urls.calendar_file, "contact": urls.vcard_file}


def tables(catalog: Catalog, lang: str) -> list[Table]:
    """Every record type with a download sheet (registry.columns) as a table of plain values."""
    settings = catalog.site.fields
    result = []
    for record_type in registry.downloads():
        cells = Cells(catalog, lang, RECORD_FILES.get(record_type.name))
        records = catalog.of(record_type.name)
        result.append(Table(record_type.folder, record_type.sheet_columns(settings), records, cells))
        for sub in record_type.subtables:
            rows = [(record, entry) for record in records for entry in record.fields.get(sub.field) or []]
            if rows:
                result.append(Table(sub.key, sub.columns, rows, cells))
    return result


@dataclass
class Table:
    key: str  # the JSON key and the sheet's label key (sheet.<key>): the type's folder, or a sub-table's key
    columns: Sequence[Column]
    rows: Sequence[Any]
    cells: Cells

    def values(self, row: Any) -> list[Any]:
        return [column.value(row, self.cells) for column in self.columns]

    @functools.cached_property
    def grid(self) -> list[list[Any]]:
        """values() of every row, worked out once for the CSV, the workbook and the JSON."""
        return [self.values(row) for row in self.rows]

    def headers(self) -> list[str]:
        label = self.cells.catalog.label
        return [column.heading(self.cells) if column.heading else label(column.label, self.cells.lang)
                for column in self.columns]


def cell_text(catalog: Catalog, value: Any, lang: str) -> Any:
    """A value as a spreadsheet cell: lists joined, booleans as words; numbers stay numbers."""
    if value is None:
        return None
    if isinstance(value, bool):
        return catalog.label("answer.yes" if value else "answer.no", lang)
    if isinstance(value, list):
        return ("；" if lang == "zh" else "; ").join(str(v) for v in value if v is not None)
    return value


def csv_text(catalog: Catalog, lang: str, found: list[Table] | None = None) -> str:
    table = (found or tables(catalog, lang))[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(head) for head in table.headers()])
    for values in table.grid:
        writer.writerow([_csv_cell(cell_text(catalog, value, lang)) for value in values])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    """A value as a CSV field: text that starts like a formula gets an apostrophe, so that it stays text."""
    value = cell_value(value)
    if formula_like(value):
        value = "'" + value
    return "" if value is None else (format(value, "f") if isinstance(value, Decimal) else value)


def xlsx_bytes(catalog: Catalog, lang: str) -> bytes:
    return workbook_bytes(workbook_content(catalog, lang))


def workbook_content(catalog: Catalog, lang: str, found: list[Table] | None = None) -> dict[str, Any]:
    """All a language's workbook holds, as plain values: the sheets' titles, headings and cells, and the
    workbook's properties. workbook_bytes makes the file from this alone, so it is also the cache key."""
    used: set[str] = set()
    sheets = []
    for table in found or tables(catalog, lang):
        title = sheet_title(catalog.label(f"sheet.{table.key}", lang), used)
        rows = [[cell_value(cell_text(catalog, value, lang)) for value in values] for values in table.grid]
        sheets.append({"title": title, "headers": [cell_value(head) for head in table.headers()], "rows": rows})
    return {"sheets": sheets, "name": catalog.site.name[lang], "date": latest_date(catalog) or FALLBACK_DATE}


def workbook_bytes(content: Mapping[str, Any]) -> bytes:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Write-only mode streams the rows out (about twice as fast at 1,000 projects); it wants the
    # sheet's settings (widths, frozen header, filter) before the first row.
    book = Workbook(write_only=True)
    try:
        bold = Font(bold=True)
        for spec in content["sheets"]:
            sheet = book.create_sheet(spec["title"])
            headers, rows = spec["headers"], spec["rows"]
            for index, head in enumerate(headers):
                widest = max([len(str(head))] + [len(str(row[index])) for row in rows if row[index]])
                sheet.column_dimensions[get_column_letter(index + 1)].width = min(60, max(8, widest + 2))
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
            heading_row = []
            for head in headers:  # a label may start like a formula too
                cell = _text_cell(sheet, head) if formula_like(head) else WriteOnlyCell(sheet, value=head)
                cell.font = bold
                heading_row.append(cell)
            sheet.append(heading_row)
            for row in rows:
                sheet.append([_text_cell(sheet, value) if formula_like(value) else value for value in row])
        stamp = dt.datetime.fromisoformat(content["date"])
        book.properties.creator = content["name"]
        book.properties.title = content["name"]
        book.properties.created = stamp
        book.properties.lastModifiedBy = None
        raw = io.BytesIO()
        book.save(raw)  # sets the "modified" property to the clock: _fixed_zip puts the record date back
    except BaseException:  # a stop (SIGINT, SIGTERM) or a failure half-way through a sheet
        _abandon(book)
        raise
    return _fixed_zip(raw.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _abandon(book: Any) -> None:
    """Close each half-written sheet's row stream, then its temporary file, in that order. Left to the
    garbage collector they close the other way round, and each prints an "Exception ignored …
    I/O operation on closed file" traceback to the user after the build has been stopped."""
    for sheet in book.worksheets:
        rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
        for close in (getattr(rows, "close", None), getattr(writer, "close", None),
                      getattr(writer, "cleanup", None)):
            if close is not None:
                with contextlib.suppress(Exception):
                    close()


def _text_cell(sheet: Any, value: str) -> Any:
    """A cell holding text that starts like a formula ("=", "+", "-", "@"): text here, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
SHEET_RESERVED = {"history"}  # Excel keeps the name for itself


def sheet_title(label: str, used: set[str]) -> str:
    """A label as a sheet's name: none of \\ / ? * [ ] : (openpyxl refuses them), no apostrophe at either
    end, at most 31 UTF-16 units (Excel's limit), not Excel's own "History", and unlike the workbook's
    other names whatever the case (a number is added)."""
    title = SHEET_FORBIDDEN.sub("_", cell_value(label)).strip("'") or "_"
    if title.casefold() in SHEET_RESERVED:
        title += "_"
    base, number = title, 1
    while True:
        suffix = f" {number}" if number > 1 else ""
        title = _utf16_cut(base, 31 - len(suffix)) + suffix
        if title.casefold() not in used:
            used.add(title.casefold())
            return title
        number += 1


def _utf16_cut(text: str, units: int) -> str:
    while len(text.encode("utf-16-le")) > 2 * units:
        text = text[:-1]
    return text.rstrip("'") or "_"


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


def json_text(catalog: Catalog, lang: str, found: list[Table] | None = None) -> str:
    document: dict[str, Any] = {
        "dataset": {
            "name": catalog.site.name[lang],
            "publisher": catalog.site.organizer[lang],
            "language": i18n.HTML_LANG[lang],
            "source": catalog.label("source.document", lang),
            "modified": latest_date(catalog),
        },
        "columns": {},
    }
    for table in found or tables(catalog, lang):
        keys = [c.key for c in table.columns]
        document["columns"][table.key] = dict(zip(keys, table.headers(), strict=True))
        document[table.key] = [dict(zip(keys, map(plain, values), strict=True)) for values in table.grid]
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


class Downloads(Output):
    name = "downloads"

    def prepare(self) -> None:
        """The workbooks, most of this output's time, into build/cache: they need only the model, so the
        pipeline makes them beside MkDocs and `write` finds them there."""
        for lang in i18n.LANGS:
            self._workbook(lang, tables(self.catalog, lang))

    def write(self, site_dir: Path) -> None:
        catalog = self.catalog
        found: dict[str, list[Table]] = {}  # each language's tables, their values worked out once for all three

        def of(lang: str) -> list[Table]:
            return found.setdefault(lang, tables(catalog, lang))

        write_language_files(site_dir, {
            # a BOM, so that Excel reads UTF-8
            CSV_PATH: lambda lang: csv_text(catalog, lang, of(lang)).encode("utf-8-sig"),
            XLSX_PATH: lambda lang: self._workbook(lang, of(lang)),
            JSON_PATH: lambda lang: json_text(catalog, lang, of(lang)).encode("utf-8"),
        })

    def _workbook(self, lang: str, found: list[Table]) -> bytes:
        # openpyxl is most of this output's time: the file is made again only when what it holds changed
        content = workbook_content(self.catalog, lang, found)
        return self.cached(f"catalog-{lang}.xlsx", content, lambda: workbook_bytes(content))

    def template_globals(self) -> Mapping[str, Any]:
        return {"files": [(path, key, name.replace("{slug}", self.catalog.slug)) for path, key, name in FILES]}

"""Whole-build fuzz (issue 15): every field of every record type, from the JSON Schemas, given hostile values.

The fields are not a hand list: `schema_fields` walks each record file's own schema (the `$schema` line,
$refs into common.schema.json resolved) down to every leaf, lists as their first item, and names each
leaf's kind (line, paragraph, date, month, number, integer, enum, id, boolean, pattern). An example takes
a real record of the catalog, puts one drawn value at one such field (creating the objects and lists on the
way) and writes the file; values come from nasty classes: text the schema accepts and text it refuses
(Unicode whitespace and format characters, escapes, every line break form, CR, NEL, emoji, astral
characters, combining marks, long words), extremes of numbers and dates at and beyond the schema's
bounds, wrong types, raw YAML (tags, escapes such as "\\e" and "\\L", anchors, NaN, huge exponents), and
the whole file in another encoding. Property, checked in process (the check stage on that file against
the rest of the real catalog, as tests/test_trust_properties.py does):

- either the check reports problems, each located (file, line, column) and worded in Chinese and English;
- or the record validates, and the outputs written from its fields parse with independent readers
  (tests/strict_formats.py): its vCard or iCalendar file, the CSV, XLSX and JSON downloads, both feeds, the
  sitemap, and its share-card lines.

PORTAL_FUZZ_EXAMPLES examples (default 300, about 30 s here). A few whole builds (PORTAL_FUZZ_BUILDS,
default 2; `slow`) run the real CLI on a copy of the catalog with several drawn values: exit 1 with no
"Traceback" and site/ byte-for-byte as it was, or exit 0 and every file of the site parses (HTML, XML,
JSON, CSV, XLSX, PDF through pdftotext, ICS, VCF, images).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import yaml
from conftest import CATALOG, REPO, copy_catalog
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strict_formats import PARSED_SUFFIXES, components, parse_file, text_value, unescape_text
from test_invalid_catalog import make_site, snapshot
from test_trust_properties import SETTINGS, _scratch, assert_located, base, check_one
from test_trust_writers import line as valid_line
from test_trust_writers import paragraph as valid_paragraph
from trust_catalog import record_files

from generator.catalog import reader as catalog_stage
from generator.catalog import validation
from generator.catalog.model import build_model
from generator.outputs import calendar, contacts, downloads, feeds, sharecards, sitemap
from generator.plan import make_plan

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "300"))
BUILDS = int(os.environ.get("PORTAL_FUZZ_BUILDS", "2"))
SCHEMAS = REPO / "generator" / "schemas"
RAW = "FUZZRAW0"  # put where a raw YAML token goes, then replaced in the file's text


# --- the fields, from the schemas -------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    path: tuple[str | int, ...]
    kind: str  # line, paragraph, date, month, number, integer, enum, id, boolean, pattern, string
    schema: str  # a JSON dump of the leaf's schema (hashable)

    @property
    def leaf(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.schema)
        return loaded


@cache
def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


KINDS = {"line": "line", "paragraph": "paragraph", "date": "date", "month": "month", "id": "id",
         "email": "pattern", "phone": "pattern", "url": "pattern", "site_path": "pattern"}


def schema_fields(schema_name: str) -> list[Field]:
    """Every leaf of a record schema, with its kind."""
    found: dict[tuple, Field] = {}

    def visit(node: dict[str, Any], where: str, path: tuple, depth: int) -> None:
        if depth > 12:
            return
        ref = node.get("$ref")
        if ref:
            file, _, pointer = ref.partition("#")
            target_file = file or where
            name = pointer.rsplit("/", 1)[-1]
            if name in KINDS:
                found.setdefault(path, Field(path, KINDS[name], json.dumps(node)))
                return
            target: Any = _schema(target_file)
            for part in pointer.strip("/").split("/") if pointer else []:
                target = target[part]
            visit(target, target_file, path, depth + 1)
            return
        for key in ("oneOf", "anyOf", "allOf"):
            for option in node.get(key, []):
                visit(option, where, path, depth + 1)
        kind = node.get("type")
        if "enum" in node or "const" in node:
            found.setdefault(path, Field(path, "enum", json.dumps(node, ensure_ascii=False)))
        elif kind == "object" or "properties" in node:
            for key, child in node.get("properties", {}).items():
                visit(child, where, path + (key,), depth + 1)
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                visit(extra, where, path + ("fuzz-key",), depth + 1)
        elif kind == "array":
            if isinstance(node.get("items"), dict):
                visit(node["items"], where, path + (0,), depth + 1)
        elif kind in ("number", "integer", "boolean"):
            found.setdefault(path, Field(path, kind, json.dumps(node, ensure_ascii=False)))
        elif kind == "string":
            found.setdefault(path, Field(path, "pattern" if "pattern" in node else "string",
                                         json.dumps(node, ensure_ascii=False)))

    visit(_schema(schema_name), schema_name, (), 0)
    return sorted(found.values(), key=lambda f: [str(p) for p in f.path])


def schema_of(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    return first.rsplit("/", 1)[-1]


@lru_cache(maxsize=1)
def files() -> list[Path]:
    return record_files(CATALOG)


# --- the values -------------------------------------------------------------------------------------------

BAD_TEXT = ["", " ", "\u3000", "\u200b\ufeff", "\t", "a\nb", "a\rb", "a\r\nb", "a\x85b", "a\u2028b", "a\u2029b",
            "a\x0bb", "a\x0cb", "a\x1cb", "\x7f", "x" * 2001, "段" * 20001, "\ud7ff", "\ufffe", "\uffff"]
RAW_TOKENS = ['"\\e"', '"\\0"', '"\\x01"', '"\\L"', '"\\P"', '"\\N"', '"\\_"', '"\\ud800"', '"a\\rb"',
              "!!binary aGk=", "!!python/object:os.system x", "!!timestamp 2020-01-01", "!!set {a}", "!!float nan",
              ".nan", ".inf", "-.inf", "1e999999", "1.5e-999999", "0x1F", "0o17", "~", "{}", "[]", "&a x", "*a",
              "!!str 1", "!!int 1", "2020-02-30", "1948-12-31", "2101-01-01", "'  '", "|\n  x\n  y\n", "<<: {}",
              "? a", "- a", "yes", "NO", "0", "-0", "1_000", "+1", "'=1+1'", '"\\u202e"', '"\\t\\t"',
              '"https://a\\x01b/"', '"https://a/\\x7f"', '"https://a/\\ufffe/"']
NUMBERS = [0, -1, 1, 10**9, 10**9 + 1, 10**18, 10**30, -(10**30), 0.1, 1e-300, 1e300, 3.14159265358979,
           99.99999999999, 2**53 + 1, True, False]
DATES = ["1949-01-01", "2100-12-31", "1948-12-31", "2101-01-01", "2000-02-29", "2100-02-29", "2020-06-31",
         "0001-01-01", "9999-12-31", "2020-6-1", "20200601", "2020-01-01T00:00:00"]
MONTHS = ["1949-01", "2100-12", "1948-12", "2101-01", "2020-13", "2020-00", "2020-1"]
ENCODINGS = ["gb18030", "utf-16", "utf-16-be", "big5", "shift_jis", "latin-1", "utf-8-sig"]
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.text(max_size=10),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


def value_for(field: Field, good_only: bool = False) -> st.SearchStrategy[Any]:
    """What may be put at a field: values of its own kind (good and bad) and, now and then, anything."""
    leaf = field.leaf
    kind = field.kind
    if kind == "line":
        own: st.SearchStrategy[Any] = st.one_of(valid_line, st.sampled_from(BAD_TEXT))
    elif kind == "paragraph":
        own = st.one_of(valid_paragraph, st.sampled_from(BAD_TEXT))
    elif kind in ("number", "integer"):
        bounds = [leaf[k] for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") if k in leaf]
        edges = [b + d for b in bounds for d in (-1, 0, 1)] + [b * 1.0000001 for b in bounds]
        own = st.one_of(st.sampled_from(NUMBERS + edges), st.integers(-10**12, 10**12),
                        st.floats(allow_nan=False, allow_infinity=False))
    elif kind == "date":
        own = st.one_of(st.sampled_from(DATES), st.dates().map(lambda d: d.isoformat()))
    elif kind == "month":
        own = st.sampled_from(MONTHS)
    elif kind == "enum":
        choices = leaf.get("enum") or [leaf.get("const")]
        own = st.one_of(st.sampled_from(choices), st.sampled_from(["", "other", "OTHER", " attracting"]))
    elif kind == "id":
        own = st.one_of(st.sampled_from(sorted({r.data.get("id") for r in base() if r.data.get("id")})),
                        st.sampled_from(["", "a", "A", "a--b", "-a", "x" * 61, "邵阳", "a b"]))
    elif kind == "boolean":
        own = st.sampled_from([True, False, "true", 0, 1, None])
    else:
        own = st.one_of(valid_line, st.sampled_from(BAD_TEXT + ["http://x/", "https://a.b/", "a@b.cn", "+86 739 1"]))
    good = {"line": valid_line, "string": valid_line, "pattern": _matching(leaf), "paragraph": valid_paragraph,
            "date": st.dates(dt.date(1949, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat),
            "number": st.one_of(st.sampled_from([leaf.get("minimum", 0), leaf.get("maximum", 10**9)]),
                                st.floats(leaf.get("minimum", 0), leaf.get("maximum", 10**9))),
            "integer": st.integers(leaf.get("minimum", 0), leaf.get("maximum", 10**9))}.get(kind, own)
    classes = {"good": good, "own": own, "raw": st.sampled_from(RAW_TOKENS).map(lambda t: ("raw", t)), "junk": JUNK}
    # (one_of would give each distinct strategy the same share: the valid values are weighted here)
    if good_only:
        return good
    return st.sampled_from(["good"] * 5 + ["own"] * 3 + ["raw", "junk"]).flatmap(classes.__getitem__)


def _matching(leaf: dict[str, Any]) -> st.SearchStrategy[str]:
    """Text matching a leaf's pattern (its own, or that of the common definition it names)."""
    ref = leaf.get("$ref", "")
    pattern = leaf.get("pattern") or _schema("common.schema.json")["$defs"].get(ref.rsplit("/", 1)[-1], {}).get("pattern")
    if not pattern:
        return valid_line
    return st.from_regex(validation.python_pattern(pattern)).filter(
        lambda text: len(text) <= leaf.get("maxLength", 2000))


def put(data: Any, path: tuple, value: Any) -> Any:
    """`data` with `value` at `path`, the objects and lists on the way created as needed."""
    if not path:
        return value
    key, rest = path[0], path[1:]
    if isinstance(key, int):
        items = list(data) if isinstance(data, list) else []
        if not items:
            items.append({} if rest and not isinstance(rest[0], int) else [] if rest else None)
        items[0] = put(items[0], rest, value)
        return items
    mapping = dict(data) if isinstance(data, dict) else {}
    mapping[key] = put(mapping.get(key), rest, value)
    other = {"zh": "en", "en": "zh"}.get(key) if not rest else None
    if other and other not in mapping and isinstance(value, str):  # a new text: both languages
        mapping[other] = value
    return mapping


@st.composite
def fuzzed(draw, good_only: bool = False):
    source = draw(st.sampled_from(files()))
    field = draw(st.sampled_from(schema_fields(schema_of(source))))
    value = draw(value_for(field, good_only))
    encoding = "utf-8" if good_only else draw(st.sampled_from(["utf-8"] * 40 + ENCODINGS))
    hypothesis.note(f"{source.relative_to(CATALOG)} {field.path} ({field.kind}) = {value!r} [{encoding}]")
    return case_of(source.relative_to(CATALOG).as_posix(), field.path, value, encoding)


def case_of(rel: str, path: tuple, value: Any, encoding: str = "utf-8"):
    """(source file, field, the file's new content, the record's id): `value` (or ("raw", YAML text)) at
    `path` of a real record. Also what the @examples below are made of."""
    source = CATALOG / rel
    field = next((f for f in schema_fields(schema_of(source)) if f.path == path), Field(path, "string", "{}"))
    original = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw = None
    if isinstance(value, tuple) and value[:1] == ("raw",):
        raw, value = value[1], RAW
    data = put(original, field.path, value)
    head = source.read_text(encoding="utf-8").splitlines()[0]
    text = head + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    if raw is not None:
        text = text.replace(RAW, raw.replace("\n", "\n" + " " * 4) if "\n" in raw else raw, 1)
    try:
        content: str | bytes = text if encoding == "utf-8" else text.encode(encoding)
    except UnicodeEncodeError:
        content = text
    return source, field, content, original.get("id")


# --- the property -----------------------------------------------------------------------------------------

def check_outputs(records, new_type: str, new_id: str) -> None:
    """The outputs written from a catalog that validates, read back by independent readers."""
    from openpyxl import load_workbook

    model = build_model(records)
    record = model.get(new_type, new_id) if new_id else None
    for lang in ("zh", "en"):
        cells = [c for row in csv.reader(io.StringIO(downloads.csv_text(model, lang), newline="")) for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], "a CSV formula"
        json.loads(downloads.json_text(model, lang))
        ET.fromstring(feeds.projects_feed(model, lang))
        ET.fromstring(feeds.events_feed(model, lang))
        # Every card and calendar file (a site setting, a label, reach them all), read strictly.
        written = [contacts.vcard_text(model, c, lang) for c in model.of("contact")]
        written += [calendar.ics_text(model, e, lang) for e in model.of("event") if e.date]
        for file in written:
            for _name, props in components(file.encode("utf-8")):
                for key in ("FN", "NOTE", "SUMMARY", "DESCRIPTION", "LOCATION", "UID", "CATEGORIES"):
                    for value in props.get(key, []):
                        unescape_text(value, ",") if key == "CATEGORIES" else text_value(value)
    book = load_workbook(io.BytesIO(downloads.xlsx_bytes(model, "en")), read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert not [cell for cell in row if getattr(cell, "data_type", None) == "f"], "a formula cell"
    book.close()
    plan, problems = make_plan(model, records)
    if not problems:
        ET.fromstring(sitemap.sitemap_xml(plan).encode("utf-8"))
    if record is not None:
        title = record.fields.get("title") or record.fields.get("name")
        if isinstance(title, dict):
            font = _font()
            for lang in ("zh", "en"):
                for piece in sharecards.wrap(title[lang], font, sharecards.WIDTH - 2 * sharecards.MARGIN, 2,
                                             by_word=lang == "en"):
                    assert font.getlength(piece) <= sharecards.WIDTH - 2 * sharecards.MARGIN


@lru_cache(maxsize=1)
def _font():
    from generator import fonts

    return fonts.pillow_font(sharecards.TITLE_SIZE, "bold")


def test_every_record_type_has_fields():
    by_schema = {schema_of(p): len(schema_fields(schema_of(p))) for p in files()}
    assert set(by_schema) >= {f"{t}.schema.json" for t in ("project", "park", "event", "policy", "chain", "contact",
                                                             "region", "county", "site")}, by_schema
    assert all(count >= 3 for count in by_schema.values()), by_schema


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(case=fuzzed())
# Found by the campaign (trust.md): an indicator's label is a sheet's column heading; "=…" was a formula cell.
@example(case=case_of("site/settings.yml", ("target_table", "indicators", 0, "label", "en"), '=HYPERLINK("http://x")'))
@example(case=case_of("site/settings.yml", ("labels", "field.name"), {"zh": "=1+1", "en": "@SUM(A1)"}))  # CSV heading
def test_any_value_in_any_field_is_a_problem_or_writes(case, tmp_path_factory):
    source, field, content, original_id = case
    root = _scratch(tmp_path_factory) / "projects_catalog"
    path = root / source.relative_to(CATALOG)
    records, problems = check_one(root, path, content, replaces=original_id)
    shown = catalog_stage.display_path(path, root)
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    hypothesis.event(f"{field.kind}: {problems[0].code}" if problems else f"{field.kind}: valid")
    assert_located(problems, root, {shown: text})
    for p in problems:
        assert p.file == shown or p.file.startswith("projects_catalog"), p
    if not problems:
        new = records[-1]
        check_outputs(records, new.type, new.data.get("id"))


# --- a few whole builds -----------------------------------------------------------------------------------

def run_cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=1800)


@pytest.mark.slow
@settings(max_examples=BUILDS, **SETTINGS)
@given(cases=st.sampled_from([True, True, False]).flatmap(  # mostly values of the field's own kind: a build
    lambda good: st.tuples(st.just(good), st.lists(fuzzed(good), min_size=1, max_size=4, unique_by=lambda c: c[0]))))
def test_whole_builds_fail_cleanly_or_every_file_parses(cases, tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz-build")
    good, cases = cases
    if good:  # a build that gets through the check: only values the check stage takes (if any)
        scratch = _scratch(tmp_path_factory) / "projects_catalog"
        cases = [c for c in cases if not check_one(scratch, scratch / c[0].relative_to(CATALOG), c[2],
                                                   replaces=c[3])[1]] or cases[:1]
    catalog = copy_catalog(root / "projects_catalog")
    for source, _field, content, _id in cases:
        target = catalog / source.relative_to(CATALOG)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    site = make_site(root)
    before = snapshot(site)
    result = run_cli("build", "--catalog", catalog, "--site-dir", site, "--build-dir", root / "build")
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    hypothesis.event(f"build exit {result.returncode}")
    if result.returncode != 0:
        assert result.returncode == 1, output
        assert "校验失败" in output and "Check failed" in output, output
        assert snapshot(site) == before
        return
    parsed = 0
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix.lower() in PARSED_SUFFIXES:
            try:
                parse_file(path)
            except Exception as exc:  # noqa: BLE001 - name the file
                raise AssertionError(f"{path.relative_to(site)}: {type(exc).__name__}: {exc}") from exc
            parsed += 1
    assert parsed > 100

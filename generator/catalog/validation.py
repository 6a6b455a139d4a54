"""Stage 2: validate raw records against their JSON Schema, then across records.

Every finding becomes a located, bilingual Problem. One run collects every problem.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import jsonschema
from referencing import Registry, Resource, Specification

from .. import i18n, registry
from ..problems import Problem, messages
from ..registry import SCHEMA_DIR
from . import images
from .reader import RawRecord, display_path

if TYPE_CHECKING:
    from referencing.jsonschema import Schema

DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only (fullmatch)


@lru_cache(maxsize=1)
def _registry() -> Registry[Schema]:
    resources = []
    for path in SCHEMA_DIR.glob("*.schema.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, default_specification=_spec())))
    return Registry().with_resources(resources)


def _spec() -> Specification[Schema]:
    from referencing.jsonschema import DRAFT7

    return DRAFT7


def _is_date(value: object) -> TypeGuard[str]:
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checks("date")(_is_date)


@lru_cache(maxsize=256)
def python_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema pattern (ECMA-262) as Python reads it. The one difference that matters here: an
    ECMA `$` (without the m flag) is the end of the text, while Python's `$` also matches before a final
    line break, so "https://x/\\n" passed the URL pattern. Every `$` outside a character class becomes `\\Z`.
    The patterns themselves spell out their classes ([0-9], not \\d), which mean the same in both."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif in_class:
            out.append(char)
            in_class = char != "]"
        elif char == "[":
            out.append(char)
            in_class = True
        else:
            out.append("\\Z" if char == "$" else char)
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    if validator.is_type(instance, "string") and not python_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})


@cache
def validator_for(record_type: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / f"{record_type}.schema.json").read_text(encoding="utf-8"))
    validator: jsonschema.Draft7Validator = _Validator(schema, registry=_registry(), format_checker=_FORMATS)
    return validator


@lru_cache(maxsize=1)
def shared_definitions() -> dict[str, Any]:
    """common.schema.json's $defs: the one definition of a line, a paragraph, a date."""
    defs: dict[str, Any] = json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))["$defs"]
    return defs


@lru_cache(maxsize=1)
def _visible() -> re.Pattern[str]:
    """The class of visible characters, as the line pattern's lookahead spells it: ^(?=[\\s\\S]*?[^…])."""
    found = re.match(r"\^\(\?=\[\\s\\S\]\*\?(\[\^.*?[^\\]\])\)", shared_definitions()["line"]["pattern"])
    assert found, "common.schema.json: the line pattern starts with its visible-character lookahead"
    return re.compile(found.group(1))


# What a text may not hold, by kind, for the message: the schema's patterns decide, these only say why.
LINE_BREAKS = "\n\r\u2028\u2029\x85"
# Embeddings, overrides and isolates: they make text display in another order than it is read
# ("Trojan Source"); a Chinese or English text never needs them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _text_problem(record: RawRecord, line: int, col: int, path: tuple[Any, ...], value: str,
                  one_line: bool) -> Problem:
    """Why a text failed the line/paragraph pattern: blank, a line break in a one-line field, or a
    control (or non-)character."""
    if _visible().search(value) is None:
        return Problem.make(record.file, line, col, path, "empty_text")
    if one_line and any(char in LINE_BREAKS for char in value):
        return Problem.make(record.file, line, col, path, "text_line_break")
    direction = next((char for char in value if char in BIDI_CONTROLS), None)
    if direction is not None:
        return Problem.make(record.file, line, col, path, "text_bidi_control", found=f"U+{ord(direction):04X}")
    bad = next((char for char in value if (unicodedata.category(char) == "Cc" and char != "\n")
                or char in "\ufffe\uffff"), "\ufffd")
    return Problem.make(record.file, line, col, path, "text_control", found=f"U+{ord(bad):04X}")


def _wants_text(schema: dict[str, Any]) -> bool:
    """Does the field take a string (its type, or every value of its enum)?"""
    if "enum" in schema:
        return all(isinstance(v, str) for v in schema["enum"])
    return schema.get("type") == "string" or "pattern" in schema and "type" not in schema


def _source_token(record: RawRecord, line: int, col: int) -> str | None:
    """The plain scalar as written at (line, col) of the record's file, e.g. `no` or `0123`."""
    try:
        text = record.path.read_text(encoding="utf-8-sig").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    found = re.match(r"[^\s,#\]}\[{'\"]+", text[col - 1:])
    return found.group(0) if found else None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _short(value: object, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_problem(record: RawRecord, error: jsonschema.ValidationError) -> Problem:
    path = tuple(error.absolute_path)
    line, col = record.at(*path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        props = set(schema.get("properties", {}))
        if props == {"zh", "en"}:
            return Problem.make(record.file, line, col, path + (missing,), "missing_translation", lang=missing)
        if props == {"value", "unit"}:
            return Problem.make(record.file, line, col, path + (missing,), "amount_incomplete", missing=missing)
        return Problem.make(record.file, line, col, path + (missing,), "missing_field", missing=missing)
    if kind == "additionalProperties":
        allowed = tuple(sorted(schema.get("properties", {})))
        extras = [k for k in error.instance if k not in schema.get("properties", {})]
        key = extras[0] if extras else "?"
        kline, kcol = record.loaded.key_positions.get(path + (key,), (line, col))
        if set(allowed) == {"en", "zh"} and isinstance(error.instance, dict) and error.instance.get(key) is None:
            # {en: Culture, tourism and wellness}: the comma ended the text, and the rest became a key.
            return Problem.make(record.file, kline, kcol, path + (key,), "text_comma", found=key)
        return Problem.make(record.file, kline, kcol, path + (key,), "unknown_field", found=key, expected=allowed)
    if kind in ("type", "enum") and not isinstance(error.instance, (str, dict, list)) and _wants_text(schema):
        raw = _source_token(record, line, col)
        if raw is not None and raw != str(error.instance):
            # yes/no/on/off, 0123, 1e3: YAML read a word or a code as a boolean or a number.
            return Problem.make(record.file, line, col, path, "yaml_unquoted", found=raw,
                                value=_short(error.instance))
    if kind == "type":
        props = set(schema.get("properties", {}))
        if props == {"zh", "en"}:
            return Problem.make(record.file, line, col, path, "text_needs_translation", found=_short(error.instance))
        if props == {"value", "unit"}:
            return Problem.make(record.file, line, col, path, "amount_needs_unit", found=_short(error.instance))
        expected = schema.get("type")
        expected = tuple(expected) if isinstance(expected, list) else expected
        return Problem.make(record.file, line, col, path, "wrong_type", found=_json_type(error.instance),
                            value=_short(error.instance), expected=expected)
    if kind == "enum":
        return Problem.make(record.file, line, col, path, "bad_enum", found=_short(error.instance),
                            expected=tuple(str(v) for v in schema.get("enum", [])))
    if kind == "format" and schema.get("format") == "date":
        return Problem.make(record.file, line, col, path, "bad_date", found=_short(error.instance))
    if kind == "pattern" and schema.get("format") == "date":
        if not _is_date(error.instance):
            return Problem.make(record.file, line, col, path, "bad_date", found=_short(error.instance))
        return Problem.make(record.file, line, col, path, "date_out_of_range", found=error.instance,
                            first=schema.get("formatMinimum"), last=schema.get("formatMaximum"))
    defs = shared_definitions()
    if kind == "pattern" and error.validator_value in (defs["line"]["pattern"], defs["paragraph"]["pattern"]):
        return _text_problem(record, line, col, path, error.instance,
                             one_line=error.validator_value == defs["line"]["pattern"])
    if kind == "pattern":
        code = "bad_id" if schema.get("maxLength") == 60 and "[a-z0-9]" in schema.get("pattern", "") else "bad_pattern"
        return Problem.make(record.file, line, col, path, code, found=_short(error.instance),
                            expected=schema.get("pattern", ""))
    if kind == "minLength":
        return Problem.make(record.file, line, col, path, "empty_text")
    if kind == "maxLength":
        return Problem.make(record.file, line, col, path, "text_too_long", length=len(error.instance),
                            limit=error.validator_value)
    if kind in ("minimum", "maximum"):
        return Problem.make(record.file, line, col, path, "out_of_range", found=_short(error.instance),
                            bound=kind, limit=error.validator_value)
    if kind == "uniqueItems":
        # Point at the first item that repeats an earlier one, and name that item.
        index = next((i for i, item in enumerate(error.instance) if item in error.instance[:i]), None)
        if index is not None:
            path += (index,)
            line, col = record.at(*path)
        item = error.instance[index] if index is not None else error.instance
        return Problem.make(record.file, line, col, path, "duplicate_item", found=_short(item))
    if kind == "minItems":
        return Problem.make(record.file, line, col, path, "too_few", limit=error.validator_value)
    if kind == "maxItems":
        return Problem.make(record.file, line, col, path, "too_many", limit=error.validator_value)
    return Problem.make(record.file, line, col, path, "schema_other", detail=error.message)


def check_schema(record: RawRecord) -> list[Problem]:
    # Kept on the record: `serve` reuses the records of unchanged files (catalog.ReadCache).
    cached = record.__dict__.get("_schema_problems")
    if cached is None:
        validator = validator_for(record.type)
        cached = record.__dict__["_schema_problems"] = [_schema_problem(record, e)
                                                        for e in validator.iter_errors(record.data)]
    return list(cached)


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def check_across(records: list[RawRecord], unreadable: dict[str, set[str]] | None = None,
                 site_file: str = "site/settings.yml") -> list[Problem]:
    """Checks between records. `unreadable`: type -> ids of files that could not be read, which count as
    known ids here (their own problem is reported; one bad file should not flag every record citing it).
    A value the schema refuses is left out of these checks: its own problem is the one to fix."""
    unreadable = unreadable or {}
    problems: list[Problem] = []
    by_type: dict[str, dict[str, RawRecord]] = defaultdict(dict)
    fixed_pages = registry.fixed_page_sources()
    for record in records:
        rid = record.data.get("id")
        if not isinstance(rid, str):
            continue
        stem = record.path.stem
        if rid != stem:
            problems.append(Problem.make(record.file, *record.at("id"), ("id",), "id_mismatch_file",
                                         found=rid, expected=stem))
        page = registry.get(record.type).page_src(rid)
        if page is not None and page in fixed_pages:
            problems.append(Problem.make(record.file, *record.at("id"), ("id",), "id_is_a_page", found=rid,
                                         page="/" + registry.page_url(page)))
        first = by_type[record.type].get(rid)
        if first is not None:
            problems.append(Problem.make(record.file, *record.at("id"), ("id",), "duplicate_id",
                                         found=rid, first=first.file))
            continue
        by_type[record.type][rid] = record

    for record_type, reference in registry.references():
        path, target = reference.path, reference.target
        for record in by_type.get(record_type.name, {}).values():
            value = _get(record.data, path)
            values = value if isinstance(value, list) else [value]
            for index, ref in enumerate(values):
                if not isinstance(ref, str) or ref in by_type.get(target, {}) or ref in unreadable.get(target, ()):
                    continue
                ref_path = path + (index,) if isinstance(value, list) else path
                problems.append(Problem.make(record.file, *record.at(*ref_path), ref_path, "unknown_ref",
                                             found=ref, kind=_noun(target),
                                             expected=_few(sorted(by_type.get(target, {})))))

    for record_type in registry.types():
        if record_type.scaffold is not None and record_type.scaffold.subfolder_field:
            problems += _check_subfolders(record_type.scaffold, by_type.get(record_type.name, {}))
    problems += _check_dates(records)
    problems += _check_singletons(by_type, site_file)
    problems += _check_totals(by_type.get("county", {}), by_type.get("site", {}))
    problems += _check_settings(by_type.get("site", {}), by_type.get("county", {}))
    problems += _check_site_url(by_type.get("site", {}))
    return problems


def _noun(record_type: str) -> tuple[tuple[str, str], ...]:
    """What staff call a record type, in both languages (labels record.*)."""
    return tuple((lang, i18n.label(f"record.{record_type}", lang)) for lang in i18n.LANGS)


def _few(ids: list[str], limit: int = 12) -> tuple[str, ...]:
    return tuple(ids[:limit]) + (("…",) if len(ids) > limit else ())


def _check_subfolders(scaffold: registry.Scaffold, records: dict[str, RawRecord]) -> list[Problem]:
    """projects/<county>/ holds that county's projects, so that CODEOWNERS can give each county its folder."""
    problems = []
    key = scaffold.subfolder_field or ""
    for record in records.values():
        folder = record.path.parent.name
        value = record.data.get(key)
        expected = value if isinstance(value, str) else scaffold.default_subfolder
        if folder != expected:
            problems.append(Problem.make(record.file, *record.at(key) if value else record.at("id"),
                                         (key,), "project_folder", found=folder, expected=expected))
    return problems


def _check_dates(records: list[RawRecord]) -> list[Problem]:
    problems = []
    for record in records:
        start, end = record.data.get("date"), record.data.get("end")
        if _is_date(start) and _is_date(end) and end < start:
            problems.append(Problem.make(record.file, *record.at("end"), ("end",), "date_order",
                                         found=end, expected=start))
    return problems


def _check_singletons(by_type: dict[str, dict[str, RawRecord]], site_file: str) -> list[Problem]:
    problems = []
    sites = list(by_type.get("site", {}).values())
    if not sites:
        problems.append(Problem.make(site_file, 1, 1, "", "site_missing"))
    for extra in sites[1:]:
        problems.append(Problem.make(extra.file, 1, 1, "id", "site_twice", first=sites[0].file))
    cities = [r for r in by_type.get("county", {}).values() if r.data.get("kind") == "city"]
    if by_type.get("county") and not cities:
        first = next(iter(by_type["county"].values()))
        problems.append(Problem.make(first.file, *first.at("kind"), ("kind",), "city_row_missing"))
    elif not by_type.get("county") and sites:
        # No county at all: the target table the settings declare has no row to stand in.
        site = sites[0]
        problems.append(Problem.make(site.file, *site.at("target_table"), ("target_table",), "city_row_missing"))
    for extra in cities[1:]:
        problems.append(Problem.make(extra.file, *extra.at("kind"), ("kind",), "city_row_twice",
                                     first=cities[0].file))
    return problems


def _indicators(sites: dict[str, RawRecord]) -> list[dict[str, Any]]:
    """The target indicators the settings declare (those of the right shape)."""
    site = next(iter(sites.values()), None)
    table = site.data.get("target_table") if site is not None else None
    items = table.get("indicators") if isinstance(table, dict) else None
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)] if isinstance(items, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _refused(record: RawRecord, path: tuple[str, ...]) -> bool:
    field = ".".join(path)
    return any(p.field == field for p in check_schema(record))


def _check_totals(counties: dict[str, RawRecord], sites: dict[str, RawRecord]) -> list[Problem]:
    """Each declared indicator that adds up: the units' figures must add up to the city row, exactly;
    a city row without a target while units have one is a problem too (a blank is no target)."""
    cities = [r for r in counties.values() if r.data.get("kind") == "city"]
    if len(cities) != 1:
        return []
    city = cities[0]
    units = [r for r in counties.values() if r is not city]
    city_targets = city.data.get("targets")
    city_targets = city_targets if isinstance(city_targets, dict) else {}
    problems = []
    for indicator in _indicators(sites):
        key = indicator["id"]
        if indicator.get("adds_up") is False:
            continue
        values = [(r, r.data["targets"].get(key)) for r in units if isinstance(r.data.get("targets"), dict)]
        if any(_refused(r, ("targets", key)) for r, _ in values) or _refused(city, ("targets", key)):
            continue  # a figure the schema refuses (out of range): its problem says so
        numbers = [Decimal(str(v)) for _, v in values if _is_number(v)]
        city_value = city_targets.get(key)
        if not _is_number(city_value):
            if numbers and city_value is None:
                where = ("targets", key) if key in city_targets else ("targets",)
                problems.append(Problem.make(city.file, *city.at(*where), ("targets", key), "total_without_city",
                                             indicator=key, total=_num(sum(numbers, Decimal(0)))))
            continue
        total = sum(numbers, Decimal(0))
        if total != Decimal(str(city_value)):
            diff = total - Decimal(str(city_value))
            problems.append(Problem.make(city.file, *city.at("targets", key), ("targets", key),
                                         "total_mismatch", indicator=key, total=_num(total),
                                         city=_num(Decimal(str(city_value))),
                                         diff=("+" if diff > 0 else "") + _num(diff)))
    return problems


DECLARED = {"indicator": {"zh": "指标", "en": "indicator"}, "group": {"zh": "分组", "en": "group"},
            "headline": {"zh": "主要目标", "en": "headline target"}}


def _check_settings(sites: dict[str, RawRecord], counties: dict[str, RawRecord]) -> list[Problem]:
    """What the settings declare and the records use must agree: indicator, group and headline ids
    (once each, parents that exist and make no loop), comparisons, counties' targets, label keys."""
    site = next(iter(sites.values()), None)
    if site is None:
        return []
    problems: list[Problem] = []
    found_table = site.data.get("target_table")
    table: dict[str, Any] = found_table if isinstance(found_table, dict) else {}
    declared: dict[str, list[str]] = {}
    for name, path in (("indicator", ("target_table", "indicators")), ("group", ("target_table", "groups")),
                       ("headline", ("headline_targets",))):
        items = _get(site.data, path)
        ids: list[str] = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            value = item.get("id") if isinstance(item, dict) else None
            if not isinstance(value, str):
                continue
            if value in ids:
                problems.append(Problem.make(site.file, *site.at(*path, index, "id"), (*path, index, "id"),
                                             "duplicate_item", found=value))
            ids.append(value)
        declared[name] = ids

    def known(kind: str, value: Any, where: tuple[Any, ...], record: RawRecord = site, key: bool = False) -> None:
        if isinstance(value, str) and value not in declared[kind]:
            line, col = record.loaded.key_positions.get(where, record.at(*where)) if key else record.at(*where)
            problems.append(Problem.make(record.file, line, col, where, "unknown_declared", found=value,
                                         kind=DECLARED[kind], expected=_few(declared[kind])))

    indicators = _indicators(sites)
    parents = {i["id"]: i.get("parent") for i in indicators}
    for index, indicator in enumerate(table.get("indicators") or []):
        if not isinstance(indicator, dict):
            continue
        where = ("target_table", "indicators", index)
        known("group", indicator.get("group"), (*where, "group"))
        known("indicator", indicator.get("parent"), (*where, "parent"))
        ident = indicator.get("id")
        if not isinstance(ident, str):  # a list or mapping as id: the schema reports it, and it is no key
            continue
        seen, current = set(), parents.get(ident)
        while isinstance(current, str) and current in parents and current not in seen:
            seen.add(current)
            current = parents[current]
        if ident in seen:
            problems.append(Problem.make(site.file, *site.at(*where, "parent"), (*where, "parent"),
                                         "indicator_loop", found=ident))
    for index, item in enumerate(table.get("comparisons") or []):
        if isinstance(item, dict):
            known("headline", item.get("headline"), ("target_table", "comparisons", index, "headline"))
            known("indicator", item.get("indicator"), ("target_table", "comparisons", index, "indicator"))
    for county in counties.values():
        targets = county.data.get("targets")
        for key in targets if isinstance(targets, dict) else {}:
            known("indicator", key, ("targets", key), county, key=True)
    labels = site.data.get("labels")
    engine = set(i18n.labels())
    for key in labels if isinstance(labels, dict) else {}:
        if key not in engine and not key.startswith(i18n.ADDABLE_LABELS):
            line, col = site.loaded.key_positions.get(("labels", key), site.at("labels", key))
            problems.append(Problem.make(site.file, line, col, ("labels", key), "unknown_label", found=key))
    return problems


def _num(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


# A site address the QR codes, the sitemap and every canonical link carry: https, an ASCII host (an
# internationalised domain written in punycode), no user name, query or fragment, a plain path.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_PATH = re.compile(r"(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*")


def site_address_fault(url: str) -> str | None:
    """Why `url` is no site address (a key of the message site_url_reason), or None when it is one."""
    if not re.match(r"https?://", url):
        return "scheme"
    rest = url.split("://", 1)[1]
    authority, slash, path = rest.partition("/")
    if any(ch in rest for ch in "?#"):
        return "query"
    if "@" in authority:
        return "userinfo"
    host, _, port = authority.partition(":")
    if not host:
        return "host"
    if not host.isascii():
        return "idn"
    if not _HOST.fullmatch(host) or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        return "host"
    if not _PATH.fullmatch(slash + path):
        return "characters"
    return None


def site_address_reason(fault: str, lang: str) -> str:
    text: str = messages()[f"site_url_reason.{fault}"][lang]
    return text


def _check_site_url(sites: dict[str, RawRecord]) -> list[Problem]:
    site = next(iter(sites.values()), None)
    url = site.data.get("site_url") if site is not None else None
    pattern = registry.get("site").schema()["properties"]["site_url"]["pattern"]
    if site is None or not isinstance(url, str) or not python_pattern(pattern).search(url):
        return []  # absent, or the schema has said what is wrong
    fault = site_address_fault(url)
    if fault is None:
        return []
    reason = tuple((lang, site_address_reason(fault, lang)) for lang in i18n.LANGS)
    return [Problem.make(site.file, *site.at("site_url"), ("site_url",), "site_url_invalid", found=url,
                         reason=reason)]


def validate(records: list[RawRecord], catalog_dir: Path,
             unreadable: dict[str, set[str]] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for record in records:
        problems += check_schema(record)
    # Cross-record checks run on every record: each check skips values of the wrong shape,
    # which the schema check has already reported.
    site = registry.get("site")
    site_file = display_path(Path(catalog_dir) / site.folder / (site.singleton or ""), Path(catalog_dir))
    problems += check_across(records, unreadable, site_file)
    # The photos records name must exist and be usable images.
    problems += images.check(records, catalog_dir)
    problems += images.check_logo(records, catalog_dir)
    # One problem per place and code is enough.
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.col, p.code, p.field))

"""`python -m generator new project|park|policy|event|contact`: a new record file, ready to edit.

The file is written from the record type's JSON Schema, so it follows the schema as the schema
changes: every field gets a comment with the Chinese half of its `description`, required fields get
a value that passes `check` (placeholders that say "to fill in"), optional fields are written as
comments to uncomment. The first line is the `$schema` line; the record carries a fresh id and is
marked `example: true` (its page says "示例 / Example") until someone who checked it removes that line.
An existing record is never overwritten.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from .. import registry, schemawalk
from ..catalog.reader import SCHEMA_LINE_PREFIX, expected_schema_ref
from ..schemawalk import chinese, english
from .tooltext import text

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def reference_fields(record_type: str) -> dict[str, str]:
    """Fields of a type that name records of another type (their comment lists the ids): field -> type."""
    return {reference.path[-1]: reference.target for reference in registry.get(record_type).references}


class ScaffoldError(Exception):
    """A bilingual reason the record was not written."""


def _schema_file(name: str) -> dict[str, Any]:
    return schemawalk.engine().file(name)


def resolve(schema: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
    return schemawalk.engine().resolve(schema, base)


def _kind(schema: dict[str, Any]) -> str:
    if schemawalk.is_text(schema):
        return "text"
    if "enum" in schema:
        return "enum"
    if schema.get("format") == "date":
        return "date"
    if schema.get("type") == "object":
        return "object"
    if schema.get("type") == "array":
        return "array"
    return schema.get("type", "string") if isinstance(schema.get("type"), str) else "string"


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class Writer:
    def __init__(self, record_type: str, values: dict[str, Any], today: str, existing: dict[str, list[str]]):
        self.record_type = record_type
        self.values = values  # field -> value given on the command line (id, references)
        self.today = today
        self.existing = existing  # record type -> ids in the catalog, for the comments
        self.lines: list[str] = []

    def emit(self, name: str, schema: dict[str, Any], base: str, required: bool, indent: int, commented: bool,
             top: bool = False) -> None:
        schema, base = resolve(schema, base)
        pad = " " * indent
        hash_ = "# " if commented else ""
        note = chinese(schema.get("description")) or text("scaffold.no_description")
        note += text("scaffold.required") if required else text("scaffold.optional")
        choices = self._choices(name, schema)
        self.lines.append(f"{pad}# {note}{choices}")
        kind = _kind(schema)
        given = self.values.get(name) if top else None
        if kind == "text":
            self.lines.append(f"{pad}{hash_}{name}:")
            sub = schema["properties"]
            for lang in ("zh", "en"):
                lang_note = chinese(resolve(sub[lang], base)[0].get("description"))
                placeholder = text(f"scaffold.placeholder_{lang}", field=chinese(schema.get("description")) or name,
                                   field_en=english(schema.get("description")) or name)
                self.lines.append(f"{pad}  {hash_}{lang}: {_q(placeholder if required else '')}  # {lang_note}")
        elif kind == "object":
            self.lines.append(f"{pad}{hash_}{name}:")
            needed = set(schema.get("required", []))
            props = schema.get("properties", {})
            if not props:
                self.lines[-1] += " {}"
            for sub_name, sub_schema in props.items():
                optional = sub_name not in needed
                self.emit(sub_name, sub_schema, base, not optional, indent + 2, commented or optional)
        elif kind == "array":
            items, items_base = resolve(schema.get("items", {}), base)
            self.lines.append(f"{pad}{hash_}{name}:")
            item_kind = _kind(items)
            if given:
                for value in given:
                    self.lines.append(f"{pad}  {hash_}- {value}")
            elif item_kind in ("object", "text"):
                # One item, as a comment to copy.
                self.lines.append(f"{pad}  # -")
                needed = set(items.get("required", []))
                for sub_name, sub_schema in items.get("properties", {}).items():
                    self.emit(sub_name, sub_schema, items_base, sub_name in needed, indent + 4, True)
            else:
                self.lines.append(f"{pad}  # - {self._scalar(name, items, item_kind)}")
                if not commented:
                    self.lines[-2] += " []"
        else:
            value = given if given is not None else self._scalar(name, schema, kind)
            self.lines.append(f"{pad}{hash_}{name}: {value}")

    def _scalar(self, name: str, schema: dict[str, Any], kind: str) -> str:
        if name == "id":
            record_id: str = self.values["id"]
            return record_id
        if kind == "enum":
            first = schema["enum"][0]
            return _q(first) if isinstance(first, str) else json.dumps(first)
        if kind == "date":
            return self.today
        if kind == "boolean":
            return "false"
        if kind == "integer":
            return str(schema.get("minimum", 1))
        if kind == "number":
            return str(schema.get("minimum", 0))
        if name == "source_ref":
            return _q(text("scaffold.source_ref"))
        if schema.get("pattern") or schema.get("format"):
            return '""'
        return _q(text("scaffold.placeholder_zh", field=chinese(schema.get("description")) or name, field_en=name))

    def _choices(self, name: str, schema: dict[str, Any]) -> str:
        target = reference_fields(self.record_type).get(name)
        if target and target in self.existing and _kind(schema) in ("string", "array"):
            return text("scaffold.choices", ids="、".join(self.existing[target]))
        return ""


def existing_ids(catalog: Path) -> dict[str, dict[str, Path]]:
    """record type -> {id: file}, from the file names (a record's id is its file name)."""
    out: dict[str, dict[str, Path]] = {}
    for record_type_entry in registry.types():
        folder, record_type = record_type_entry.folder, record_type_entry.name
        root = catalog / folder
        out[record_type] = {p.stem: p for p in sorted(root.rglob("*.yml"))} if root.is_dir() else {}
    return out


def fresh_id(record_type: str, taken: dict[str, Path], today: dt.date) -> str:
    n = 1
    while f"{record_type}-{today:%Y%m%d}-{n}" in taken:
        n += 1
    return f"{record_type}-{today:%Y%m%d}-{n}"


def render(record_type: str, catalog: Path, path: Path, values: dict[str, Any], today: dt.date,
           ids: dict[str, dict[str, Path]]) -> str:
    schema = _schema_file(f"{record_type}.schema.json")
    writer = Writer(record_type, values, today.isoformat(), {t: sorted(i) for t, i in ids.items()})
    lines = [SCHEMA_LINE_PREFIX + expected_schema_ref(path, record_type, catalog),
             f"# {text('scaffold.header', type=chinese(schema.get('title')) or record_type)}"]
    writer.lines = lines
    required = schema.get("required", [])
    props = schema.get("properties", {})
    for name in schemawalk.record_order(list(props)):
        if name == "example":
            lines.append(f"# {text('scaffold.example')}")
            lines.append("example: true")
            continue
        given = name in values
        writer.emit(name, props[name], f"{record_type}.schema.json", name in required, 0,
                    commented=not (name in required or given or name == "updated"), top=True)
    return "\n".join(lines) + "\n"


def new_record(record_type: str, catalog: Path, record_id: str | None = None, today: dt.date | None = None,
               **references: str | None) -> Path:
    """Write a new record file; returns its path. Raises ScaffoldError (bilingual) when it cannot.

    `references`: a referenced type -> the id to fill in (chain="equipment" fills `chain` or `chains`)."""
    today = today or dt.date.today()
    spec = registry.get(record_type)
    ids = existing_ids(catalog)
    taken = ids[record_type]
    if record_id is None:
        record_id = fresh_id(record_type, taken, today)
    if not ID_RE.match(record_id) or len(record_id) > 60:
        raise ScaffoldError(text("scaffold.bad_id", id=record_id))
    if record_id in taken:
        raise ScaffoldError(text("scaffold.exists", id=record_id, file=taken[record_id].as_posix()))
    schema = _schema_file(f"{record_type}.schema.json")
    values: dict[str, Any] = {"id": record_id}
    options = {reference.target: reference.path[0] for reference in spec.references if len(reference.path) == 1}
    for option, value in references.items():
        if value is not None and option not in options:
            raise ScaffoldError(text("scaffold.no_such_option", option=option, type=record_type))
    for option, field in options.items():
        value = references.get(option)
        if value is None:
            if field in schema.get("required", []):
                raise ScaffoldError(text("scaffold.needs", option=option, ids="、".join(sorted(ids[option]))))
            continue
        if value not in ids[option]:
            raise ScaffoldError(text("scaffold.unknown_ref", option=option, id=value,
                                     ids="、".join(sorted(ids[option]))))
        values[field] = [value] if resolve(schema["properties"][field], f"{record_type}.schema.json")[0].get(
            "type") == "array" else value
    folder = catalog / spec.folder
    scaffold = spec.scaffold
    if scaffold is not None and scaffold.subfolder_field:
        folder = folder / (values.get(scaffold.subfolder_field) or scaffold.default_subfolder or "")
    path = folder / f"{record_id}.yml"
    if path.exists():  # a file that is not a record id yet (e.g. a different type's folder) is still kept
        raise ScaffoldError(text("scaffold.exists", id=record_id, file=path.as_posix()))
    content = render(record_type, catalog, path, values, today, ids)
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(content)
    return path


# --- a whole new catalog: `python -m generator new site` ------------------------------------------

SITE_SETTINGS = """{schema}
# 网站设置：把“待填写”改成本市的内容。说明见 docs/maintainers/adopting.md
# Site settings: replace every “To be filled in” with your city's. See docs/maintainers/adopting.md
id: settings
example: true
name:
  zh: {name_zh}
  en: {name_en}
slug: {slug}
organizer:
  zh: 待填写：主办单位
  en: "To be filled in: organizer"
description:
  zh: 待填写：网站简介
  en: "To be filled in: description"
# source:            # 本站所据的文件（可选）/ The document the site is drawn from (optional)
#   title: {{zh: …, en: …}}
#   number: {{zh: …, en: …}}
#   year: 2024
target_table:
  title:
    zh: 待填写：目标表名称
    en: "To be filled in: the target table's title"
  source:
    zh: 待填写：目标表出处
    en: "To be filled in: where the targets come from"
  indicators:
    - id: new_projects
      label:
        zh: 新引进项目
        en: New projects
      unit: 个
"""
CITY_ROW = """{schema}
# 全市一行：各县市区的目标之和应等于它 / The city row: the counties' targets add up to it
id: city
example: true
order: 0
kind: city
name:
  zh: 全市
  en: City total
targets: {{}}
"""


def new_site(catalog: Path, name_zh: str, name_en: str, slug: str | None = None) -> list[Path]:
    """Write a minimal catalog that builds (site settings and the city row) into an empty folder."""
    from ..catalog.model import slugify

    if catalog.exists() and any(catalog.iterdir()):
        raise ScaffoldError(text("scaffold.site_exists", folder=catalog.as_posix()))
    slug = slug or slugify(name_en)
    if not ID_RE.match(slug):
        raise ScaffoldError(text("scaffold.bad_id", id=slug))
    files = {
        catalog / "site" / "settings.yml": (SITE_SETTINGS, "site"),
        catalog / "counties" / "city.yml": (CITY_ROW, "county"),
    }
    made = []
    for path, (template, record_type) in files.items():
        schema = SCHEMA_LINE_PREFIX + expected_schema_ref(path, record_type, catalog)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(schema=schema, name_zh=_q(name_zh), name_en=_q(name_en), slug=slug),
                        encoding="utf-8")
        made.append(path)
    return made

"""The web editor's config.yml (Decap CMS), made from the record types' JSON Schemas at build time.

One folder collection per record type of the registry (the site settings: a file collection), one
form field per schema property, in the schema's order, so that a field added to a schema is in the
editor at the next build. Each collection's format is its own (`catalog-yaml-<type>`, defined in the
browser by templates/catalog-format.js): YAML as `check` wants it, its `$schema` line first.
How a schema node becomes a Decap widget:

- fields in the schema's order, as our tools write files (id first, `internal` last);
- a bilingual text ({zh, en}) or any object: an object widget of its properties;
- a string: `string`, or `text` when its pattern admits a line break; its pattern as
  `pattern: [regex, message]` (the message is the schema's description);
- `format: date`: a date picker writing YYYY-MM-DD;
- an enum: a select of its values, each labelled with the site's wording (labels `<prefix>.<value>`,
  the prefix found among the label keys); an array of an enum: a multiple select;
- a field the registry declares as a reference (registry.Reference): a relation widget to the target
  type's collection (value `id`, searched by id and the target's name in both languages);
- integer / number: `number` with min / max; boolean: `boolean`; an array: a `list` of its items;
- required: only when the field and every object around it are required (an optional object's own
  required fields would otherwise block saving it empty); `check` still checks the rest;
- the schema's description (Chinese / English) is the hint.

Objects of free keys (a map, e.g. the settings' `labels`) have no Decap widget: they are left out of
the form, and Decap keeps their values as they are in the file.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import registry
from ...catalog.reader import expected_schema_ref
from ...schemawalk import SchemaSet, chinese, is_text, record_order

# (zh, en) of a label key, or None when the site has no such label.
LabelLookup = Callable[[str], tuple[str, str] | None]
DATE_FORMAT = "YYYY-MM-DD"


@dataclass(frozen=True)
class Editor:
    """Where edits go: the settings' `editor` block (None: not set up, the page says what to set)."""
    repo: str
    branch: str = "main"
    base_url: str | None = None
    auth_endpoint: str | None = None

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Editor | None:
        block = settings.get("editor")
        if not isinstance(block, dict) or not block.get("repo"):
            return None
        return cls(block["repo"], block.get("branch") or "main", block.get("base_url"), block.get("auth_endpoint"))

    def backend(self) -> dict[str, Any]:
        backend: dict[str, Any] = {"name": "github", "repo": self.repo, "branch": self.branch}
        if self.base_url:
            backend["base_url"] = self.base_url
        if self.auth_endpoint:
            backend["auth_endpoint"] = self.auth_endpoint
        return backend


def label_lookup(keys: Sequence[str], text: Callable[[str, str], str]) -> LabelLookup:
    """A LabelLookup over a site's label keys and its wording (catalog.label)."""
    known = frozenset(keys)
    return lambda key: (text(key, "zh"), text(key, "en")) if key in known else None


def enum_prefix(values: Sequence[Any], keys: Sequence[str], preferred: Sequence[str]) -> str | None:
    """The label prefix that names every value (`stage` for stage.attracting …): the first of
    `preferred` that does, else the first in alphabetical order that does, else None."""
    prefixes = sorted({key.rpartition(".")[0] for key in keys if "." in key})
    known = set(keys)
    fits = [p for p in prefixes if all(f"{p}.{v}" in known for v in values)]
    return next((p for p in preferred if p in fits), fits[0] if fits else None)


class Mapper:
    """Schema nodes -> Decap fields, for one set of schemas and one site's labels."""

    def __init__(self, schemas: SchemaSet, label_keys: Sequence[str], labels: LabelLookup):
        self.schemas = schemas
        self.label_keys = list(label_keys)
        self.labels = labels

    def fields(self, record_type: str) -> list[dict[str, Any]]:
        """The form of a record type: one field per top-level property, in the schema's order."""
        schema = self.schemas.record(record_type)
        references = {ref.path: ref.target for ref in registry.get(record_type).references}
        fields = self._properties(schema, f"{record_type}.schema.json", (), True, references, record_type)
        order = record_order([f["name"] for f in fields])  # as our tools write files: internal last
        return sorted(fields, key=lambda f: order.index(f["name"]))

    def _properties(self, schema: dict[str, Any], base: str, path: tuple[str, ...], required: bool,
                    references: dict[tuple[str, ...], str], record_type: str) -> list[dict[str, Any]]:
        needed = set(schema.get("required", []))
        found = []
        for name, node in schema.get("properties", {}).items():
            field = self.field(name, node, base, (*path, name), required and name in needed, references,
                               record_type)
            if field is not None:
                found.append(field)
        return found

    def field(self, name: str, node: dict[str, Any], base: str, path: tuple[str, ...], required: bool,
              references: dict[tuple[str, ...], str], record_type: str) -> dict[str, Any] | None:
        schema, base = self.schemas.resolve(node, base)
        description = schema.get("description") or ""
        out: dict[str, Any] = {"name": name, "label": _label(name, description), "required": required}
        if description:
            out["hint"] = description
        widget = self._widget(name, schema, base, path, required, references, record_type)
        if widget is None:
            return None
        return {**out, **widget}

    def _widget(self, name: str, schema: dict[str, Any], base: str, path: tuple[str, ...], required: bool,
                references: dict[tuple[str, ...], str], record_type: str) -> dict[str, Any] | None:
        kind = schema.get("type")
        if path in references:
            return {**self.relation(references[path]), **({"multiple": True} if kind == "array" else {})}
        if "enum" in schema:
            return self.select(name, schema["enum"], record_type)
        if kind == "object":
            if "properties" not in schema:
                return None  # a map of free keys: no Decap widget (see the module's docstring)
            widget = {"widget": "object", "collapsed": not required and not is_text(schema),
                      "fields": self._properties(schema, base, path, required, references, record_type)}
            return widget
        if kind == "array":
            return self._list(name, schema, base, path, required, references, record_type)
        if kind == "boolean":
            return {"widget": "boolean", "required": False}
        if kind in ("integer", "number"):
            widget = {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
            widget.update({key: schema[word] for key, word in (("min", "minimum"), ("max", "maximum"))
                           if word in schema})
            return widget
        if schema.get("format") == "date":
            return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT,
                    "time_format": False, "picker_utc": True}
        widget = {"widget": "text" if _multiline(schema) else "string"}
        if "pattern" in schema:
            widget["pattern"] = [schema["pattern"], schema.get("description") or "格式不符 / Wrong format"]
        return widget

    def _list(self, name: str, schema: dict[str, Any], base: str, path: tuple[str, ...], required: bool,
              references: dict[tuple[str, ...], str], record_type: str) -> dict[str, Any] | None:
        items, items_base = self.schemas.resolve(schema.get("items", {}), base)
        if "enum" in items:
            return {**self.select(name, items["enum"], record_type), "multiple": True}
        widget: dict[str, Any] = {"widget": "list", "collapsed": True}
        widget.update({key: schema[word] for key, word in (("min", "minItems"), ("max", "maxItems"))
                       if word in schema})
        if items.get("type") == "object" and "properties" in items:
            widget["fields"] = self._properties(items, items_base, path, True, references, record_type)
            return widget
        item = self.field(name, items, items_base, path, True, references, record_type)
        if item is None:
            return None
        widget["field"] = item
        return widget

    def relation(self, target: str) -> dict[str, Any]:
        """A relation to another type's collection: its value the id, found by id or name."""
        shown = next((n for n, node in self.schemas.record(target).get("properties", {}).items()
                      if is_text(self.schemas.resolve(node, f"{target}.schema.json")[0])), None)
        names = [f"{shown}.zh", f"{shown}.en"] if shown else []
        return {"widget": "relation", "collection": target, "value_field": "id",
                "search_fields": ["id", *names], "display_fields": names or ["id"], "options_length": 200}

    def select(self, name: str, values: Sequence[Any], record_type: str) -> dict[str, Any]:
        prefix = enum_prefix(values, self.label_keys, (name, record_type))
        options = []
        for value in values:
            texts = self.labels(f"{prefix}.{value}") if prefix else None
            options.append({"label": _both(*texts) if texts else str(value), "value": value})
        return {"widget": "select", "options": options}


def _label(name: str, description: str) -> str:
    """A field's heading: the start of its Chinese description, then its key in the YAML file."""
    head = re.split(r"[：:（(，,；;]", chinese(description), maxsplit=1)[0].strip()
    return f"{head} · {name}" if head and head != name else name


def _both(zh: str, en: str) -> str:
    return zh if zh == en else f"{zh} / {en}"


def _multiline(schema: dict[str, Any]) -> bool:
    pattern = schema.get("pattern")
    return isinstance(pattern, str) and re.fullmatch(pattern, "a\nb") is not None


def format_name(record_type: str) -> str:
    """The YAML format (catalog-format.js) that writes a type's files with its `$schema` line."""
    return f"catalog-yaml-{record_type}"


def formats(catalog_folder: str) -> dict[str, str]:
    """Each type's format name -> the `$schema` reference its files carry (as `check` expects)."""
    root = Path("/repository") / catalog_folder
    found = {}
    for record_type in registry.types():
        folder = root / record_type.folder
        scaffold = record_type.scaffold
        if record_type.singleton is not None:
            path = folder / record_type.singleton
        elif scaffold is not None and scaffold.subfolder_field:
            path = folder / "subfolder" / "record.yml"
        else:
            path = folder / "record.yml"
        found[format_name(record_type.name)] = expected_schema_ref(path, record_type.name, root)
    return found


def collections(schemas: SchemaSet, catalog_folder: str, label_keys: Sequence[str],
                labels: LabelLookup) -> list[dict[str, Any]]:
    """One collection per record type of the registry, in its order."""
    mapper = Mapper(schemas, label_keys, labels)
    found = []
    for record_type in registry.types():
        schema = schemas.record(record_type.name)
        title = schema.get("title") or record_type.name
        folder = f"{catalog_folder}/{record_type.folder}"
        fields = mapper.fields(record_type.name)
        common = {"name": record_type.name, "label": chinese(title) or record_type.name,
                  "description": title, "format": format_name(record_type.name), "extension": "yml"}
        if record_type.singleton is not None:
            stem = record_type.singleton.rsplit(".", 1)[0]
            found.append({**common, "files": [{"name": stem, "label": chinese(title) or stem,
                                                "file": f"{folder}/{record_type.singleton}", "fields": fields}]})
            continue
        collection = {**common, "folder": folder, "create": True, "identifier_field": "id",
                      "slug": "{{id}}", "summary": "{{id}}", "fields": fields}
        scaffold = record_type.scaffold
        if scaffold is not None and scaffold.subfolder_field:
            # projects/<county>/<id>.yml (validation's project_folder): the folder follows the field.
            default = f" | default('{scaffold.default_subfolder}')" if scaffold.default_subfolder else ""
            collection["path"] = "{{" + scaffold.subfolder_field + default + "}}/{{slug}}"
        found.append(collection)
    return found


def config(schemas: SchemaSet, catalog_folder: str, settings: dict[str, Any], label_keys: Sequence[str],
           labels: LabelLookup) -> dict[str, Any]:
    """The whole config.yml; `catalog_folder` is the catalog's path in the repository."""
    editor = Editor.from_settings(settings)
    backend = editor.backend() if editor else {"name": "github", "repo": "", "branch": "main"}
    return {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "locale": "zh_Hans",
        "media_folder": f"{catalog_folder}/images",
        "public_folder": "/images",
        "collections": collections(schemas, catalog_folder, label_keys, labels),
    }

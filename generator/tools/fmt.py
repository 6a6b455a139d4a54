"""`python -m generator fmt [paths]`: catalog YAML in the form our tools write.

A file saved by the web editor (Decap CMS) has no `$schema` line, its own key order and its own
quoting; one edited by hand may drift the same way. fmt gives every record file:

- the `# yaml-language-server: $schema=…` line first (the one `check` expects for its place);
- its keys in the order of the schema's properties, at every level (keys the schema does not name
  stay after them, in their order: `check` reports them);
- stable quoting: a string keeps the quotes it has; a plain one that YAML 1.1 (our reader) would
  read as something else (yes, on, 2020-01-01, 010) gets double quotes; nothing else changes;
- no empty values (null, "", or a mapping or list left empty), which the editor writes for fields
  left blank and `check` would refuse.

Comments stay (round-trip YAML: ruamel.yaml). Running it twice changes nothing. `--check` writes
nothing and exits 1 listing the files that would change.
"""
from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, comment_attrib
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import registry
from ..catalog.reader import PLACEMENTS_NAME, SCHEMA_LINE_PREFIX, expected_schema_ref
from ..schemawalk import SchemaSet, engine, record_order

SUFFIXES = (".yml", ".yaml")


def record_type_of(path: Path, catalog: Path) -> str | None:
    """The record type of a catalog file (by its folder), or None for a file no type holds."""
    try:
        rel = Path(path).resolve().relative_to(Path(catalog).resolve())
    except ValueError:
        return None
    if len(rel.parts) == 1:
        return "placements" if rel.name == PLACEMENTS_NAME else None
    found = registry.by_folder().get(rel.parts[0])
    return found.name if found is not None else None


def files(paths: Sequence[Path], catalog: Path) -> Iterator[Path]:
    """The YAML files below the given paths (the whole catalog when none), sorted."""
    for path in [Path(p) for p in paths] or [Path(catalog)]:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        else:
            yield path


def _yaml() -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never fold a long line: a diff shows the changed text, not a reflowed paragraph
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (dict, list)) and not value)


def _plain_reads_as_other(text: str) -> bool:
    """True when PyYAML (YAML 1.1, our reader) would read the plain scalar as not this string."""
    try:
        return bool(pyyaml.safe_load(text) != text)
    except pyyaml.YAMLError:
        return True


class Formatter:
    def __init__(self, schemas: SchemaSet | None = None):
        self.schemas = schemas or engine()

    def normalise(self, value: Any, schema: dict[str, Any] | None, base: str, top: bool = False) -> Any:
        node, base = self.schemas.resolve(schema, base) if schema is not None else ({}, base)
        if isinstance(value, dict):
            return self._mapping(value, node, base, top)
        if isinstance(value, list):
            items = node.get("items")
            seq = CommentedSeq(self.normalise(v, items, base) for v in value if not _empty(v))
            return _keep_layout(value, seq)
        if type(value) is str and _needs_quotes(value):
            return DoubleQuotedScalarString(value)
        return value

    def _mapping(self, value: dict[str, Any], node: dict[str, Any], base: str, top: bool) -> CommentedMap:
        props = node.get("properties", {})
        known = record_order(list(props)) if top else list(props)
        order = [k for k in known if k in value] + [k for k in value if k not in props]
        out = CommentedMap()
        for key in order:
            item = self.normalise(value[key], props.get(key, node.get("additionalProperties")
                                                         if isinstance(node.get("additionalProperties"), dict)
                                                         else None), base)
            if not _empty(item):
                out[key] = item
        kept: CommentedMap = _keep_layout(value, out)
        return kept

    def text(self, path: Path, catalog: Path, record_type: str) -> str:
        """The formatted text of one file."""
        original = Path(path).read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        body = "".join(lines[1:]) if lines and lines[0].startswith(SCHEMA_LINE_PREFIX) else original
        rt = _yaml()
        data = rt.load(body)
        data = self.normalise(data if data is not None else CommentedMap(), {"$ref": f"{record_type}.schema.json"},
                              f"{record_type}.schema.json", top=True)
        out = io.StringIO()
        rt.dump(data, out)
        return SCHEMA_LINE_PREFIX + expected_schema_ref(Path(path), record_type, catalog) + "\n" + out.getvalue()


def _keep_layout(old: Any, new: CommentedMap | CommentedSeq) -> Any:
    """The comments (attached to the key or item they follow) and the flow style ({zh: …, en: …})
    of the mapping or list that `new` replaces."""
    if isinstance(old, (CommentedMap, CommentedSeq)):
        setattr(new, comment_attrib, old.ca)
        if old.fa.flow_style():
            new.fa.set_flow_style()
    return new


def _needs_quotes(text: str) -> bool:
    """A plain string that must be quoted to read back as itself (the emitter quotes the others)."""
    return text != "" and "\n" not in text and _plain_reads_as_other(text)


def run(paths: Sequence[Path], catalog: Path, check: bool = False,
        schemas: SchemaSet | None = None) -> tuple[list[Path], list[Path]]:
    """(changed or would change, skipped: no record type) for the files below `paths`."""
    formatter = Formatter(schemas)
    changed, skipped = [], []
    for path in files(paths, catalog):
        record_type = record_type_of(path, catalog)
        if record_type is None:
            skipped.append(path)
            continue
        new = formatter.text(path, catalog, record_type)
        if new != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    return changed, skipped
